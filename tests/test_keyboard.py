"""Keep tapping and completions, on a keyboard whose model is a small table."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from engine.keyboard import (
    MAX_CONTEXT_TOKENS,
    Keyboard,
    continue_text,
    prefix_probability,
    split_typed,
)
from engine.text import EOS, SPECIALS, UNK, Vocab

# the last token read -> the most likely next one
FOLLOWS = {EOS: "the", "the": "weather", "weather": "is", UNK: "is", "today": "is"}


class TableKeyboard(Keyboard):
    """P(next word) from FOLLOWS; remembers every context it was asked about."""

    def __init__(self) -> None:
        words = ["the", "weather", "today", "todd", "is", "sunny", "."]
        super().__init__(Vocab([*SPECIALS, *words]))
        self.contexts: list[list[str]] = []

    def next_word_probabilities(self, context: list[str]) -> np.ndarray:
        self.contexts.append(list(context))
        last = self.vocab.itos[self.vocab.encode((self.start + context)[-1:])[0]]
        probs = np.full(len(self.vocab), 0.01)
        probs[self.vocab.stoi[FOLLOWS.get(last, "sunny")]] = 0.5
        return probs / probs.sum()


def test_keep_tapping_finishes_a_half_typed_word_first():
    keyboard = TableKeyboard()
    assert continue_text(keyboard, "The weather tod", 3) == ["today", "is", "sunny"]
    # "tod" was never read as a word: the model only saw "the weather", then "today"
    assert all("tod" not in c and UNK not in c for c in keyboard.contexts)
    assert keyboard.contexts[0] == ["the", "weather"]


def test_sampled_keep_tapping_also_starts_with_a_completion():
    for seed in range(20):
        words = continue_text(TableKeyboard(), "The weather tod", 2, 2.0, 5, seed)
        assert words[0] in {"today", "todd"}


def test_keep_tapping_after_a_space_reads_every_word():
    keyboard = TableKeyboard()
    assert continue_text(keyboard, "The weather ", 2) == ["is", "sunny"]
    assert keyboard.contexts[0] == ["the", "weather"]


def test_a_word_nothing_completes_is_read_as_an_unknown_word():
    keyboard = TableKeyboard()
    assert continue_text(keyboard, "The weather zzqx", 1) == ["is"]
    assert keyboard.contexts[0] == ["the", "weather", "zzqx"]


def test_keep_tapping_reads_at_most_the_last_tokens():
    keyboard = TableKeyboard()
    continue_text(keyboard, "the " * (MAX_CONTEXT_TOKENS - 1) + "tod", 30)
    assert max(len(c) for c in keyboard.contexts) <= MAX_CONTEXT_TOKENS


def test_prefix_probability_sums_the_completions_only():
    vocab = Vocab([*SPECIALS, "today", "todd", "is"])
    probs = np.array([0.1, 0.1, 0.1, 0.1, 0.2, 0.1, 0.3])
    words, banned = np.array(vocab.itos), np.arange(len(vocab)) < len(SPECIALS)
    assert np.isclose(prefix_probability(probs, words, "tod", banned), 0.3)
    assert prefix_probability(probs, words, "zz", banned) == 0.0
    assert np.isclose(prefix_probability(probs, words, "", banned), 0.6)


@given(st.text(max_size=40), st.integers(1, 5), st.sampled_from([None, 0.5, 2.0]))
def test_keep_tapping_any_text(text, n_words, temperature):
    keyboard = TableKeyboard()
    words = continue_text(keyboard, text, n_words, temperature, top_k=4)
    assert len(words) == n_words and not set(words) & set(SPECIALS)
    context, prefix, _ = split_typed(text)
    if any(word.startswith(prefix) for word in keyboard.vocab.itos[len(SPECIALS) :]):
        assert keyboard.contexts[0] == context and words[0].startswith(prefix)
