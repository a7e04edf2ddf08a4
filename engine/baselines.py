"""Baselines a practitioner would try first, so the neural models have a bar to beat.

`KneserNeyTrigram` is an interpolated Kneser-Ney trigram model computed exactly
as `nltk.lm.KneserNeyInterpolated(order=3)` does (the tests compare them), but
vectorised with numpy so it can rank a whole vocabulary per keystroke.
"""

from __future__ import annotations

from collections import Counter, defaultdict
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
        trigrams = Counter(zip(ids, ids[1:], ids[2:], strict=False))
        bigrams = Counter(zip(ids, ids[1:], strict=False))
        # highest order: raw counts of w after (u, v)
        self.tri_next: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
        for (u, v, w), n in trigrams.items():
            self.tri_next[(u, v)][w] = n
        self.tri_total = {ctx: sum(f.values()) for ctx, f in self.tri_next.items()}
        # middle order: N(. v w), distinct u before (v, w); N(. v .) all such types
        self.mid_next: dict[int, dict[int, int]] = defaultdict(dict)
        for _u, v, w in trigrams:
            self.mid_next[v][w] = self.mid_next[v].get(w, 0) + 1
        self.mid_total = {v: sum(f.values()) for v, f in self.mid_next.items()}
        # nltk's gamma(v) counts the distinct words after v in the *bigram* counts
        self.bigram_types_after = Counter(v for v, _w in bigrams)
        # lowest order: N(. w) / N(. .), distinct words before w
        before = Counter(w for _v, w in bigrams)
        self.unigram = np.zeros(vocab_size)
        for w, n in before.items():
            self.unigram[w] = n
        self.unigram /= max(len(bigrams), 1)

    def _middle(self, v: int) -> np.ndarray:
        total = self.mid_total.get(v, 0)
        if self.bigram_types_after.get(v, 0) == 0 or total == 0:
            return self.unigram  # no data for this context: back off completely
        probs = self.unigram * (self.discount * self.bigram_types_after[v] / total)
        for w, n in self.mid_next[v].items():
            probs[w] += max(n - self.discount, 0.0) / total
        return probs

    def distribution(self, context: Sequence[int]) -> np.ndarray:
        """P(w | the last two ids of context) for every w in the vocabulary."""
        context = tuple(context[-2:])
        if not context:
            return self.unigram.copy()
        if len(context) == 1:
            return self._middle(context[0]).copy()
        lower = self._middle(context[1])
        followers = self.tri_next.get(context)
        if not followers:
            return lower.copy()
        total = self.tri_total[context]
        probs = lower * (self.discount * len(followers) / total)
        for w, n in followers.items():
            probs[w] += max(n - self.discount, 0.0) / total
        return probs

    def probability(self, word: int, context: Sequence[int]) -> float:
        return float(self.distribution(context)[word])
