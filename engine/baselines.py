"""Baselines a practitioner would try first, so the neural models have a bar to beat.

`KneserNeyTrigram` is an interpolated Kneser-Ney trigram model computed exactly
as `nltk.lm.KneserNeyInterpolated(order=3)` does (the tests compare them), but
vectorised with numpy so it can rank a whole vocabulary per keystroke.

`TfidfLogisticRegression` (word 1-2 grams) and `vader_label` are the sentiment
baselines: the strong bag-of-words classifier and the rule-based lexicon.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import cache

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


class BidirectionalKneserNey:
    """Fills a blank with a trigram model read both ways:

        score(w) = P(w | l2 l1) * P(r1 | l1 w) * P(r2 | w r1)

    for "l2 l1 ___ r1 r2". The last two factors ask of every candidate w how well
    the words after the blank follow it. Computed exactly for the whole
    vocabulary at once from extra indexes over the same counts (a loop over
    10,000 candidates would take seconds per blank).
    """

    def __init__(self, kn: KneserNeyTrigram) -> None:
        self.kn, size = kn, kn.vocab_size
        top = kn.top  # trigram counts grouped by their context (u, v)
        contexts = top.keys
        totals = np.asarray(top.totals, dtype=np.float64)
        followers = np.diff(top.starts).astype(np.float64)  # distinct w after (u v)
        u, v = contexts // size, contexts % size
        # contexts (u, v) seen in training, found by u and by v
        self.by_first = _Grouped(u, v, totals), _Grouped(u, v, followers)
        self.by_second = _Grouped(v, u, totals), _Grouped(v, u, followers)
        # c(u v w) found by (u, w) and by (v, w)
        row_context = np.repeat(contexts, np.diff(top.starts))
        tri_u, tri_v, tri_w = row_context // size, row_context % size, top.words
        self.tri_by_uw = _Grouped(tri_u * size + tri_w, tri_v, top.counts)
        self.tri_by_vw = _Grouped(tri_v * size + tri_w, tri_u, top.counts)
        # N(. v w) found by w; N(. v .) for every v
        mid = kn.mid
        mid_context = np.repeat(mid.keys, np.diff(mid.starts))
        self.mid_by_follower = _Grouped(mid.words, mid_context, mid.counts)
        self.mid_totals = np.zeros(size)
        self.mid_totals[mid.keys] = mid.totals

    def _middle_for_every_context(self, word: int) -> np.ndarray:
        """P_kn(word | v) for every v at once."""
        kn, d = self.kn, self.kn.discount
        result = np.full(kn.vocab_size, kn.unigram[word])
        seen = (kn.bigram_types_after > 0) & (self.mid_totals > 0)
        totals = np.where(seen, self.mid_totals, 1.0)
        backoff = d * kn.bigram_types_after / totals * kn.unigram[word]
        result[seen] = backoff[seen]
        group = self.mid_by_follower.find(word)
        if group is not None:
            before, counts, _ = group
            hit = seen[before]
            result[before[hit]] += np.maximum(counts[hit] - d, 0) / totals[before[hit]]
        return result

    def _after_blank(self, left: int, right: int) -> np.ndarray:
        """P(right | left, w) for every w."""
        d = self.kn.discount
        result = self._middle_for_every_context(right)
        group = self.by_first[0].find(left)
        if group is None:
            return result
        blanks, totals, _ = group  # the w with (left, w) seen, sorted
        followers = self.by_first[1].find(left)[1]
        values = d * followers / totals * result[blanks]
        hits = self.tri_by_uw.find(left * self.kn.vocab_size + right)
        if hits is not None:
            position = np.searchsorted(blanks, hits[0])
            values[position] += np.maximum(hits[1] - d, 0) / totals[position]
        result[blanks] = values
        return result

    def _two_after_blank(self, right: int, right2: int) -> np.ndarray:
        """P(right2 | w, right) for every w."""
        d = self.kn.discount
        middle = self.kn._middle(right)[right2]
        result = np.full(self.kn.vocab_size, middle)
        group = self.by_second[0].find(right)
        if group is None:
            return result
        blanks, totals, _ = group
        followers = self.by_second[1].find(right)[1]
        values = d * followers / totals * middle
        hits = self.tri_by_vw.find(right * self.kn.vocab_size + right2)
        if hits is not None:
            position = np.searchsorted(blanks, hits[0])
            values[position] += np.maximum(hits[1] - d, 0) / totals[position]
        result[blanks] = values
        return result

    def scores(self, left: Sequence[int], right: Sequence[int]) -> np.ndarray:
        """Unnormalised score(w) for every w, from up to two words on each side."""
        score = self.kn.distribution(left)
        if left and right:
            score = score * self._after_blank(left[-1], right[0])
        elif right:
            score = score * self._middle_for_every_context(right[0])
        if len(right) >= 2:
            score = score * self._two_after_blank(right[0], right[1])
        return score


def word_ngrams(tokens: Sequence[str]) -> list[str]:
    """Words and word pairs: "not good" is a feature of its own."""
    return list(tokens) + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


class TfidfLogisticRegression:
    """TF-IDF over word 1-2 grams + multinomial logistic regression.

    Fitted with scikit-learn (the reference implementation), then kept as plain
    arrays so the app can use it without scikit-learn: the tests check that
    `probabilities` equals scikit-learn's `predict_proba`.
    """

    def __init__(
        self, terms: list[str], idf: np.ndarray, coef: np.ndarray, bias: np.ndarray
    ):
        self.terms = terms
        self.index = {term: i for i, term in enumerate(terms)}
        self.idf = np.asarray(idf, dtype=np.float64)  # (V,)
        self.coef = np.asarray(coef, dtype=np.float64)  # (C, V)
        self.bias = np.asarray(bias, dtype=np.float64)  # (C,)

    @classmethod
    def fit(
        cls, token_lists: list[list[str]], labels: list[int], c: float = 3.0
    ) -> tuple[TfidfLogisticRegression, object]:
        """Fit on tokenized texts; also returns scikit-learn's pipeline (for tests)."""
        try:
            from sklearn.feature_extraction.text import TfidfVectorizer
            from sklearn.linear_model import LogisticRegression
            from sklearn.pipeline import make_pipeline
        except ImportError as error:  # only training needs it, not the app
            raise ImportError(
                "Fitting the TF-IDF baseline needs scikit-learn: "
                "pip install -r requirements-dev.txt"
            ) from error
        # sublinear tf: the tenth "great" adds less than the first
        vectorizer = TfidfVectorizer(analyzer=word_ngrams, min_df=2, sublinear_tf=True)
        classifier = LogisticRegression(C=c, max_iter=3000)
        pipeline = make_pipeline(vectorizer, classifier).fit(token_lists, labels)
        terms = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        baseline = cls(terms, vectorizer.idf_, classifier.coef_, classifier.intercept_)
        return baseline, pipeline

    def features(self, tokens: Sequence[str]) -> np.ndarray:
        """The L2-normalised TF-IDF vector of one text: (V,)."""
        vector = np.zeros(len(self.terms))
        for term, count in Counter(word_ngrams(tokens)).items():
            if term in self.index:
                vector[self.index[term]] = 1.0 + math.log(count)
        vector *= self.idf
        norm = np.linalg.norm(vector)
        return vector / norm if norm > 0 else vector

    def probabilities(self, tokens: Sequence[str]) -> np.ndarray:
        """P(label) for one tokenized text: (C,)."""
        logits = self.coef @ self.features(tokens) + self.bias
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def term_weights(self, tokens: Sequence[str], label: int) -> dict[str, float]:
        """Each known word's and pair's push towards `label` (for explanations)."""
        vector = self.features(tokens)
        return {
            term: float(vector[self.index[term]] * self.coef[label, self.index[term]])
            for term in dict.fromkeys(word_ngrams(tokens))
            if term in self.index
        }


VADER_NEUTRAL_BAND = 0.05  # the usual rule: compound within +-0.05 is neutral


@cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_compound(text: str) -> float:
    """VADER's compound score in [-1, 1] (it reads raw text: case, !!! and :) )."""
    return _vader().polarity_scores(text)["compound"]


def vader_label(compound: float) -> str:
    if compound >= VADER_NEUTRAL_BAND:
        return "positive"
    if compound <= -VADER_NEUTRAL_BAND:
        return "negative"
    return "neutral"


def vader_lexicon() -> dict[str, float]:
    """VADER's human-rated valences, word -> mean rating in [-4, 4]."""
    return dict(_vader().lexicon)


def vader_emoji_names() -> dict[str, str]:
    """VADER's emoji -> its name in words ("😂" -> "face with tears of joy")."""
    return dict(_vader().emojis)


def majority_label(labels: Sequence[int]) -> int:
    """The floor: always answer the commonest training label."""
    return Counter(labels).most_common(1)[0][0]
