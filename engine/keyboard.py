"""A phone-style keyboard on top of a next-word model.

While the learner types, the keyboard keeps the hidden state after every word
already typed, so a new keystroke costs at most one LSTM step, never a re-read of
the whole text. A half-typed last word is not fed to the model: it filters the
suggestions instead ("gov" -> government, governor, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import torch

from engine.baselines import KneserNeyTrigram
from engine.language_model import LanguageModel, State
from engine.profanity import profane_mask
from engine.text import EOS, SPECIALS, Vocab, tokenize

MAX_CONTEXT_TOKENS = 200  # longer texts: only the last 150-200 tokens are read
# The window start moves in steps of this many tokens, so typing at the end of a
# long text re-reads it only once every 50 words instead of at every word.
WINDOW_STEP = 50
_ENDS_IN_WORD = re.compile(r"[^\W_]$")  # the last character is a letter or digit


@dataclass
class Suggestion:
    word: str
    probability: float  # P(word | context), before filtering by the typed prefix


@dataclass
class Reading:
    """What the keyboard made of the text typed so far."""

    context: list[str]  # complete tokens the model has read (the last N at most)
    prefix: str  # the half-typed last word ("" after a space or punctuation)
    dropped: int  # tokens left out because the text was longer than N
    probabilities: np.ndarray  # P(next word) over the vocabulary


def split_typed(
    text: str, max_tokens: int = MAX_CONTEXT_TOKENS
) -> tuple[list, str, int]:
    """The complete tokens (the last ones), the half-typed word, tokens dropped."""
    tokens = tokenize(text)
    prefix = ""
    if tokens and _ENDS_IN_WORD.search(text.rstrip("\n")) and text == text.rstrip():
        prefix = tokens.pop()
    dropped = tokens_to_drop(len(tokens), max_tokens)
    return tokens[dropped:], prefix, dropped


def tokens_to_drop(n_tokens: int, max_tokens: int = MAX_CONTEXT_TOKENS) -> int:
    """How many leading tokens to leave out so that at most max_tokens are read."""
    if n_tokens <= max_tokens:
        return 0
    return -(-(n_tokens - max_tokens) // WINDOW_STEP) * WINDOW_STEP


def rank(
    probabilities: np.ndarray,
    words: np.ndarray,
    prefix: str,
    k: int,
    banned: np.ndarray,
) -> list[Suggestion]:
    """The k most probable words that start with `prefix` (specials never shown)."""
    k = max(int(k), 1)  # a k below 1 (say, --k -5) asks for the top word only
    scores = np.where(banned, -1.0, probabilities)
    if prefix:
        scores = np.where(np.char.startswith(words, prefix), scores, -1.0)
    top = np.argpartition(-scores, min(k, len(scores) - 1))[: k + 1]
    top = top[np.argsort(-scores[top])][:k]
    return [
        Suggestion(str(words[i]), float(probabilities[i]))
        for i in top
        if scores[i] >= 0
    ]


def prefix_probability(
    probabilities: np.ndarray, words: np.ndarray, prefix: str, banned: np.ndarray
) -> float:
    """P(the next word starts with `prefix`): the total over the words that do.
    Dividing by it gives each completion's share among the completions."""
    completes = ~banned & np.char.startswith(words, prefix)
    return float(probabilities[completes].sum())


class Keyboard:
    """Suggestions from a model: subclasses say how P(next word) is computed."""

    def __init__(self, vocab: Vocab, classroom_safe: bool = True) -> None:
        self.vocab = vocab
        self.words = np.array(vocab.itos)
        self.banned = np.zeros(len(vocab), dtype=bool)
        self.banned[: len(SPECIALS)] = True  # never suggest <unk>, <eos>, ...
        if classroom_safe:  # suggestions, completions and keep tapping alike
            self.banned |= profane_mask(self.words)
        # Typed texts start as if a new paragraph began: the model saw <eos> there.
        self.start = [EOS]

    def next_word_probabilities(self, context: list[str]) -> np.ndarray:
        raise NotImplementedError

    def read(self, text: str) -> Reading:
        context, prefix, dropped = split_typed(text)
        return Reading(context, prefix, dropped, self.next_word_probabilities(context))

    def suggest(self, text: str, k: int = 3) -> list[Suggestion]:
        reading = self.read(text)
        return rank(reading.probabilities, self.words, reading.prefix, k, self.banned)


@dataclass
class _Cache:
    tokens: list[str] = field(default_factory=list)
    states: list[State] = field(default_factory=list)  # state after each token


class LSTMKeyboard(Keyboard):
    """Keeps the state after each typed token: typing or deleting a word costs
    one LSTM step (or none), whatever the length of the text."""

    def __init__(
        self, model: LanguageModel, vocab: Vocab, classroom_safe: bool = True
    ) -> None:
        super().__init__(vocab, classroom_safe)
        self.model = model.eval()
        self._cache = _Cache()

    @torch.no_grad()
    def next_word_probabilities(self, context: list[str]) -> np.ndarray:
        tokens = self.start + context
        cache = self._cache
        same = 0  # how many leading tokens the cache already has
        for cached, token in zip(cache.tokens, tokens, strict=False):
            if cached != token:
                break
            same += 1
        del cache.tokens[same:], cache.states[same:]
        state = cache.states[-1] if cache.states else None
        ids = self.vocab.encode(tokens[same:])
        # one step at a time so the state after every token can be kept
        for token, token_id in zip(tokens[same:], ids, strict=True):
            state = self.model.step(token_id, state)
            cache.tokens.append(token)
            cache.states.append(state)
        return self.model.next_word_probabilities(cache.states[-1]).numpy()


class KNKeyboard(Keyboard):
    """The Kneser-Ney trigram: only the last two tokens matter."""

    def __init__(self, model: KneserNeyTrigram, vocab: Vocab) -> None:
        super().__init__(vocab)
        self.model = model

    def next_word_probabilities(self, context: list[str]) -> np.ndarray:
        return self.model.distribution(self.vocab.encode(self.start + context))


@dataclass
class Influence:
    token: str
    drop: float  # how much P(word) falls when this token is hidden (as <unk>)


@torch.no_grad()
def occlusion_influence(
    keyboard: LSTMKeyboard, text: str, word: str, window: int = 12
) -> list[Influence]:
    """For each of the last `window` tokens read: hide it (replace it with <unk>)
    and measure how much the probability of `word` falls. A big drop means the
    network's memory of that token is what made it suggest `word`.
    """
    reading = keyboard.read(text)
    tokens = keyboard.start + reading.context
    if word not in keyboard.vocab or len(tokens) < 2:
        return []
    target = keyboard.vocab.stoi[word]
    base = float(reading.probabilities[target])
    first = max(1, len(tokens) - window)  # never hide the <eos> start marker
    cache = keyboard._cache
    state = cache.states[first - 1]  # the state before the window: shared by all
    ids = torch.tensor(keyboard.vocab.encode(tokens[first:]))  # (W,)
    batch = ids.repeat(len(ids), 1)  # (W, W): row i hides token i
    batch[torch.arange(len(ids)), torch.arange(len(ids))] = keyboard.vocab.unk_id
    logits, _ = keyboard.model.run(batch, _repeat(state, len(ids)))  # (W, W, V)
    probs = torch.softmax(logits[:, -1], dim=-1)[:, target]  # (W,)
    return [
        Influence(token, base - float(p))
        for token, p in zip(tokens[first:], probs, strict=True)
    ]


def _repeat(state: State, copies: int) -> State:
    """The same state for every row of a batch: (layers, 1, H) -> (layers, n, H)."""
    if isinstance(state, tuple):
        return tuple(s.repeat(1, copies, 1) for s in state)
    return state.repeat(1, copies, 1)


@torch.no_grad()
def continue_text(
    keyboard: Keyboard,
    text: str,
    n_words: int,
    temperature: float | None = None,
    top_k: int = 10,
    seed: int = 0,
) -> list[str]:
    """Keep tapping: n more tokens, always the top suggestion (temperature None)
    or sampled from the top_k words with the given temperature. A half-typed last
    word is finished first, as the suggestions do ("The weather tod" -> "today"),
    never read as a word. The word just added is never suggested again straight
    away, which breaks the "the the the" loops that greedy choice falls into."""
    generator = torch.Generator().manual_seed(seed)
    context, prefix, _ = split_typed(text)
    allowed = ~keyboard.banned & np.char.startswith(keyboard.words, prefix)
    if not allowed.any():  # no word starts with it: a word the model does not know
        context, allowed = [*context, prefix], ~keyboard.banned
    words: list[str] = []
    for _ in range(n_words):
        tokens = context + words
        tokens = tokens[tokens_to_drop(len(tokens)) :]
        probs = torch.from_numpy(keyboard.next_word_probabilities(tokens))
        scores = probs.masked_fill(torch.from_numpy(~allowed), -1.0)  # never chosen
        if words:
            scores[keyboard.vocab.stoi.get(words[-1], keyboard.vocab.unk_id)] = -1.0
        if temperature is None:
            choice = int(scores.argmax())
        else:
            top = scores.topk(min(max(1, top_k), len(scores)))
            weights = top.values.clamp_min(1e-12).log() / max(temperature, 1e-3)
            weights[top.values < 0] = -torch.inf
            pick = torch.multinomial(torch.softmax(weights, 0), 1, generator=generator)
            choice = int(top.indices[pick])
        words.append(keyboard.vocab.itos[choice])
        allowed = ~keyboard.banned  # the half-typed word is finished: any word next
    return words


_GLUED_PUNCTUATION = set(".,!?;:%)'")


def apply_suggestion(text: str, prefix: str, word: str) -> str:
    """The text after tapping `word`: it replaces the half-typed prefix, and a
    space follows, as on a phone keyboard ("The gov" -> "The government ")."""
    if prefix and text.lower().endswith(prefix):
        text = text[: -len(prefix)]
    elif word in _GLUED_PUNCTUATION:
        text = text.rstrip()
    elif text and not text[-1].isspace():
        text += " "
    return text + word + " "
