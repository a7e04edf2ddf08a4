import json

from engine.corpora import (
    TWEET_LABELS,
    corpus_split,
    corpus_stats,
    fingerprint,
    load_bbc,
    load_tweets,
    split_documents,
)


def test_bbc_has_all_topics_without_repeated_articles():
    docs = load_bbc()
    assert len(docs) == 2127  # 2,225 files less 98 repeated articles
    assert {d.label for d in docs} == {
        "business",
        "entertainment",
        "politics",
        "sports",
        "tech",
    }
    assert len({d.text for d in docs}) == len(docs)
    assert all(d.text for d in docs)


def test_tweets_have_three_labels_and_no_duplicate_texts():
    docs = load_tweets()
    assert 37_000 < len(docs) < 38_158
    assert {d.label for d in docs} == set(TWEET_LABELS)
    assert len({d.text for d in docs}) == len(docs)


def test_splits_are_80_10_10_disjoint_and_complete():
    for name, docs in (("bbc", load_bbc()), ("tweets", load_tweets())):
        split = corpus_split(name)
        ids = [{d.doc_id for d in part} for part in split.parts().values()]
        assert sum(len(i) for i in ids) == len(docs)
        assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
        assert abs(len(split.train) / len(docs) - 0.8) < 0.01
        texts = [{d.text for d in part} for part in split.parts().values()]
        assert not (texts[0] & texts[2]), "a test text also appears in train"


def test_split_is_deterministic_and_independent_of_input_order():
    docs = load_bbc()
    assert split_documents(docs) == split_documents(tuple(reversed(docs)))
    assert split_documents(docs, seed=1) != split_documents(docs, seed=2)


def test_fingerprints_are_stable_and_sensitive():
    split = corpus_split("bbc")
    assert split.fingerprints() == corpus_split("bbc").fingerprints()
    assert fingerprint(split.test) != fingerprint(split.test[1:])


def test_corpus_stats_counts_every_split():
    stats = corpus_stats()
    for name in ("bbc", "tweets"):
        assert stats[name]["train"]["unknown_rate_vs_train_vocab"] == 0
        assert 0 < stats[name]["test"]["unknown_rate_vs_train_vocab"] < 0.1
        assert stats[name]["train"]["tokens"] > 500_000
    assert stats["bbc"]["train"]["documents"] == 1702


def test_the_shipped_corpus_statistics_are_current():
    from engine.corpora import STATS_FILE, corpus_stats, shipped_corpus_stats

    assert STATS_FILE.is_file(), "python -m engine bench corpora --json " + str(
        STATS_FILE
    )
    assert shipped_corpus_stats() == json.loads(json.dumps(corpus_stats()))
