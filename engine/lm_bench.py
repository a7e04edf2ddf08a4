"""Measuring next-word models the same way: perplexity, top-k and keystroke savings.

Every model is given as a function from the tokens read so far to P(next word)
over the shared vocabulary, so the LSTM and the n-gram baseline are scored on
exactly the same tokens.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import torch

from engine.baselines import KneserNeyTrigram
from engine.language_model import LanguageModel
from engine.text import EOS, SPECIALS, Vocab

# One P(next word) over the vocabulary before each target, in stream order.
Distributions = Iterator[np.ndarray]


def lstm_distributions(model: LanguageModel, ids: list[int], chunk: int = 256):
    """P(next word) before each of ids[1:], reading ids in order, state carried."""
    model.eval()
    state = None
    with torch.no_grad():
        inputs = ids[:-1]  # the last token is only a target
        for start in range(0, len(inputs), chunk):
            window = torch.tensor([inputs[start : start + chunk]])  # (1, T)
            logits, state = model.run(window, state)
            yield from torch.softmax(logits[0], dim=-1).numpy()


def kn_distributions(model: KneserNeyTrigram, ids: list[int]):
    for i in range(1, len(ids)):
        yield model.distribution(ids[max(0, i - 2) : i])


def score_stream(distributions: Distributions, ids: list[int], vocab: Vocab) -> dict:
    """Perplexity over every target, top-1/top-3 over targets that are real words.

    Suggestions never include special tokens, and a keyboard cannot usefully
    suggest <unk> or <eos>, so those targets count for perplexity only.
    """
    n_special = len(SPECIALS)
    nll, n, hits1, hits3, n_words = 0.0, 0, 0, 0, 0
    for probs, target in zip(distributions, ids[1:], strict=False):
        nll -= math.log(max(float(probs[target]), 1e-12))
        n += 1
        if target >= n_special:
            top = np.argpartition(-probs[n_special:], 3)[:3] + n_special
            best = top[np.argmax(probs[top])]
            hits1 += int(best == target)
            hits3 += int(target in top)
            n_words += 1
    return {
        "ppl": round(math.exp(nll / max(n, 1)), 2),
        "top1": round(hits1 / max(n_words, 1), 4),
        "top3": round(hits3 / max(n_words, 1), 4),
        "n_tokens": n,
        "n_word_targets": n_words,
    }


def keystrokes_for(
    probs: np.ndarray,
    words: np.ndarray,
    candidates: np.ndarray,
    target: str,
    k: int = 3,
) -> int:
    """Keystrokes a typist needs for `target` (and its space) with k suggestions.

    Before each keystroke the keyboard shows the k most probable words that start
    with what is typed so far; if the target is shown, one tap enters it with its
    space; otherwise the next character is typed.
    """
    for typed in range(len(target) + 1):
        prefix = target[:typed]
        if typed:
            candidates = candidates[np.char.startswith(words[candidates], prefix)]
        if len(candidates) == 0:
            break
        shown = candidates[np.argsort(-probs[candidates])[:k]]
        if target in words[shown]:
            return typed + 1
    return len(target) + 1  # typed in full, then the space


def keystroke_savings(
    distributions: Distributions,
    tokens: list[str],
    vocab: Vocab,
    n_words: int,
    stride: int = 1,
) -> dict:
    """KSR = 1 - keystrokes used / characters in the text (one space per word).

    `tokens` are the real test tokens (rare words stay themselves, so a word the
    vocabulary lacks can never be suggested and must be typed in full). The first
    token is context only; <eos> (a paragraph break) is read but not typed.
    The typist types every `stride`-th word (the model reads all of them), so
    `n_words` can sample a whole test text, every source of it, not its start.
    """
    words = np.array(vocab.itos)
    allowed = np.arange(len(SPECIALS), len(vocab))
    keystrokes = characters = typed_words = seen = 0
    for probs, target in zip(distributions, tokens[1:], strict=False):
        if target == EOS:
            continue
        seen += 1
        if (seen - 1) % stride:
            continue
        keystrokes += keystrokes_for(probs, words, allowed, target)
        characters += len(target) + 1
        typed_words += 1
        if typed_words >= n_words:
            break
    return {
        "ksr": round(1 - keystrokes / max(characters, 1), 4),
        "words": typed_words,
        "stride": stride,
        "characters": characters,
        "keystrokes": keystrokes,
    }
