import nltk.lm as nltk_lm  # the reference implementation (a dev requirement)
import numpy as np
import pytest

from engine.baselines import KneserNeyTrigram

TEXT = (
    "the cat sat on the mat . the dog sat on the log . a cat saw the dog . "
    "the dog ran to the mat and the cat sat . a bird sat on the dog ."
).split()


@pytest.mark.parametrize("discount", [0.1, 0.75])
def test_kneser_ney_matches_nltk(discount):
    from nltk.util import everygrams

    reference = nltk_lm.KneserNeyInterpolated(3, discount=discount)
    reference.fit([list(everygrams(TEXT, max_len=3))], vocabulary_text=TEXT)
    words = sorted(set(TEXT))
    index = {w: i for i, w in enumerate(words)}
    ours = KneserNeyTrigram([index[w] for w in TEXT], len(words), discount)
    contexts = [(), ("the",), ("sat",), ("the", "cat"), ("sat", "on"), ("on", "the"),
                ("cat", "ran"), ("to", "the"), ("mat", "and")]  # fmt: skip
    for context in contexts:
        got = ours.distribution([index[w] for w in context])
        for word in words:
            expected = reference.unmasked_score(word, context or None)
            assert got[index[word]] == pytest.approx(expected, abs=1e-6), (
                word,
                context,
            )


def test_distributions_sum_to_one_over_seen_contexts():
    index = {w: i for i, w in enumerate(sorted(set(TEXT)))}
    ids = [index[w] for w in TEXT]
    model = KneserNeyTrigram(ids, len(index))
    for context in ([], ids[:1], ids[3:5], [ids[-1], ids[0]]):
        assert np.isclose(model.distribution(context).sum(), 1.0)
