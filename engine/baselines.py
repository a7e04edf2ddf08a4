"""Baselines a practitioner would try first, so the neural models have a bar to beat.

`KneserNeyTrigram` is an interpolated Kneser-Ney trigram model computed exactly
as `nltk.lm.KneserNeyInterpolated(order=3)` does (the tests compare them), but
vectorised with numpy so it can rank a whole vocabulary per keystroke.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class KneserNeyTrigram:
    """Interpolated Kneser-Ney over integer token ids 0..vocab_size-1.

    P(w | u v) = max(c(u v w) - d, 0) / c(u v .) + gamma(u v) * P_kn(w | v)
    P_kn(w | v) = max(N(. v w) - d, 0) / N(. v .) + gamma(v) * P_kn(w)
    P_kn(w) = N(. w) / N(. .)
    where N counts distinct continuations (how many different words came before),
    not occurrences: a word that follows many different words is a likely
    continuation of a new context, even if it is rare overall.
    """

    def __init__(self, ids: Sequence[int], vocab_size: int, discount: float = 0.75):
        self.vocab_size, self.discount = vocab_size, discount
        stream = np.asarray(ids, dtype=np.int64)
        # Distinct n-gram types with their counts, as sorted integer keys: compact
        # arrays instead of dicts of tuples (a classroom server keeps one copy).
        tri_keys, tri_counts = _ngram_types(stream, 3, vocab_size)
        bi_keys, _ = _ngram_types(stream, 2, vocab_size)
        u, v, w = (
            tri_keys // vocab_size**2,
            tri_keys // vocab_size % vocab_size,
            tri_keys % vocab_size,
        )
        # highest order: c(u v w), grouped by the context (u, v)
        self.top = _Grouped(u * vocab_size + v, w, tri_counts)
        # middle order: N(. v w) = distinct u before (v, w), grouped by v
        mid_keys, mid_counts = np.unique(v * vocab_size + w, return_counts=True)
        self.mid = _Grouped(mid_keys // vocab_size, mid_keys % vocab_size, mid_counts)
        # nltk's gamma(v) counts the distinct words after v in the *bigram* counts
        self.bigram_types_after = np.bincount(
            bi_keys // vocab_size, minlength=vocab_size
        )
        # lowest order: N(. w) / N(. .), distinct words before w
        before = np.bincount(bi_keys % vocab_size, minlength=vocab_size)
        self.unigram = before / max(len(bi_keys), 1)

    def _middle(self, v: int) -> np.ndarray:
        group = self.mid.find(v)
        if self.bigram_types_after[v] == 0 or group is None:
            return self.unigram  # no data for this context: back off completely
        followers, counts, total = group
        probs = self.unigram * (self.discount * self.bigram_types_after[v] / total)
        probs[followers] += np.maximum(counts - self.discount, 0.0) / total
        return probs

    def distribution(self, context: Sequence[int]) -> np.ndarray:
        """P(w | the last two ids of context) for every w in the vocabulary."""
        context = tuple(context[-2:])
        if not context:
            return self.unigram.copy()
        if len(context) == 1:
            return self._middle(context[0]).copy()
        lower = self._middle(context[1])
        group = self.top.find(context[0] * self.vocab_size + context[1])
        if group is None:
            return lower.copy()
        followers, counts, total = group
        probs = lower * (self.discount * len(followers) / total)
        probs[followers] += np.maximum(counts - self.discount, 0.0) / total
        return probs

    def probability(self, word: int, context: Sequence[int]) -> float:
        return float(self.distribution(context)[word])


def _ngram_types(stream: np.ndarray, n: int, vocab_size: int):
    """Each distinct n-gram as one integer key (sorted), and how often it occurs."""
    keys = np.zeros(len(stream) - n + 1, dtype=np.int64)
    for offset in range(n):
        keys = keys * vocab_size + stream[offset : len(stream) - n + 1 + offset]
    return np.unique(keys, return_counts=True)


class _Grouped:
    """Rows (context, word, count) sorted by context, found by binary search."""

    def __init__(self, contexts: np.ndarray, words: np.ndarray, counts: np.ndarray):
        order = np.lexsort((words, contexts))
        contexts, self.words = contexts[order], words[order].astype(np.int32)
        self.counts = counts[order].astype(np.float64)
        self.keys, self.starts = np.unique(contexts, return_index=True)
        self.starts = np.append(self.starts, len(contexts))
        self.totals = (
            np.add.reduceat(self.counts, self.starts[:-1]) if len(contexts) else []
        )

    def find(self, context: int):
        """(words, counts, total) after a context, or None if it was never seen."""
        row = int(np.searchsorted(self.keys, context))
        if row == len(self.keys) or self.keys[row] != context:
            return None
        start, end = self.starts[row], self.starts[row + 1]
        return self.words[start:end], self.counts[start:end], self.totals[row]
