"""Words a classroom keyboard never suggests: better-profanity's maintained list.

Tweets swear, and the next-word model learnt from tweets. The list (917 entries,
leetspeak spellings included) ships with the `better-profanity` package (MIT);
it is read as a file, without importing the package. A learner's own keyboard
keeps the learner's own words: only the shipped models are filtered.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from engine.corpora import package_dir
from engine.text import tokenize

PACKAGE = "better_profanity"
WORDLIST = "profanity_wordlist.txt"


@cache
def profane_words() -> frozenset[str]:
    """Every single-token entry of the list, tokenized as the models see words."""
    path = package_dir(PACKAGE) / WORDLIST
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        tokens = tokenize(line)
        if len(tokens) == 1:
            words.add(tokens[0])
    return frozenset(words)


def profane_mask(words: np.ndarray) -> np.ndarray:
    """True for each vocabulary word on the list (also "word's" of a listed word)."""
    banned = profane_words()
    return np.array([w in banned or w.split("'")[0] in banned for w in words])


def is_profane(word: str) -> bool:
    return word in profane_words() or word.split("'")[0] in profane_words()
