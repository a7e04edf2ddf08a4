"""Classroom-safe keyboards: the shipped model never suggests a profanity."""

import numpy as np

from engine.keyboard import Keyboard, continue_text
from engine.profanity import is_profane, profane_words
from engine.text import SPECIALS, Vocab

WORDS = ["the", "shit", "day", "fuck", "lovely"]


class SwearingKeyboard(Keyboard):
    """A model whose favourite next words are the two profanities."""

    def next_word_probabilities(self, context):
        probs = np.full(len(self.vocab), 0.01)
        probs[self.vocab.stoi["shit"]] = 0.5
        probs[self.vocab.stoi["fuck"]] = 0.4
        return probs / probs.sum()


def test_the_list_is_better_profanitys_and_keeps_ordinary_words():
    assert len(profane_words()) > 500
    assert is_profane("shit") and is_profane("fuck") and is_profane("shit's")
    assert not any(is_profane(w) for w in ("the", "day", "mat", "class", "assess"))


def test_suggestions_completions_and_keep_tapping_skip_profanities():
    keyboard = SwearingKeyboard(Vocab([*SPECIALS, *WORDS]))
    shown = {s.word for s in keyboard.suggest("What a ", k=3)}
    assert shown == {"day", "lovely", "the"}  # the clean words, all equally likely
    assert keyboard.suggest("What a sh", k=3) == []  # no clean word starts so
    assert not any(is_profane(w) for w in continue_text(keyboard, "What a ", 5))
    sampled = continue_text(keyboard, "What a ", 5, temperature=2.0, seed=3)
    assert not any(is_profane(w) for w in sampled)


def test_a_learners_own_keyboard_keeps_their_words():
    keyboard = SwearingKeyboard(Vocab([*SPECIALS, *WORDS]), classroom_safe=False)
    assert keyboard.suggest("What a ", k=1)[0].word == "shit"
