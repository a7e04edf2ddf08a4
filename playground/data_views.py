"""Cached views of the corpora and the shared vocabulary for the pages."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import streamlit as st

from engine.corpora import CORPORA, corpus_split, shipped_corpus_stats, tokenized_split
from engine.text import Vocab

CORPUS_NAMES = {"bbc": "BBC News articles", "tweets": "Labelled tweets"}
VOCAB_MIN_FREQ = 2  # a word must appear twice in train to get its own id


@st.cache_resource(show_spinner="Building the vocabulary from the BBC train split…")
def bbc_vocab() -> Vocab:
    return Vocab.build(tokenized_split("bbc")["train"], min_freq=VOCAB_MIN_FREQ)


@st.cache_data(show_spinner="Counting the corpora…")
def split_table() -> pd.DataFrame:
    stats = shipped_corpus_stats()
    rows = [
        {
            "corpus": CORPUS_NAMES[name],
            "split": part,
            "documents": stats[name][part]["documents"],
            "tokens": stats[name][part]["tokens"],
            "distinct tokens": stats[name][part]["distinct_tokens"],
            "unknown to train vocab": stats[name][part]["unknown_rate_vs_train_vocab"],
            "fingerprint": stats[name][part]["fingerprint"],
        }
        for name in CORPORA
        for part in ("train", "valid", "test")
    ]
    return pd.DataFrame(rows)


EVERYDAY_NAMES = {
    "tweets": (
        "Tweets (cleaned)",
        "@handles, URLs, RT and HTML entities removed, "
        "#word kept as word; tweets left with < 3 words or mostly not English "
        "dropped",
    ),
    "wordnet": (
        "WordNet 3.0 usage examples",
        "the quoted examples of each synset; the definitions are left out",
    ),
    "rated": (
        "Human-rated sentences (VADER paper)",
        "movie, Amazon and editorial review sentences and tweets; repeats dropped",
    ),
}


@st.cache_data
def everyday_table() -> pd.DataFrame:
    """The next-word model's everyday sources, as measured and stored."""
    stats = shipped_corpus_stats()["everyday"]
    rows = []
    for source, (name, _) in EVERYDAY_NAMES.items():
        entry = stats[source]
        rows.append(
            {
                "source": name,
                "licence": entry["licence"],
                **{
                    f"{p} tokens": entry[p]["tokens"]
                    for p in ("train", "valid", "test")
                },
                "documents": sum(
                    entry[p]["documents"] for p in ("train", "valid", "test")
                ),
            }
        )
    return pd.DataFrame(rows)


def cleaning_notes() -> str:
    """One line per everyday source: how it was cleaned."""
    return "\n".join(
        f"- **{name}**: {cleaning}." for name, cleaning in EVERYDAY_NAMES.values()
    )


def overlap_sentence() -> str:
    """BBC's near-duplicate articles and the verbatim overlap before and after."""
    report = shipped_corpus_stats()["bbc_near_duplicates"]
    before, after = report["before"], report["after"]
    dropped = shipped_corpus_stats()["everyday"]["tweets"]["dropped"]
    return (
        f"News repeats itself: {before['verbatim_in_train']:,} of "
        f"{before['test_sentences']:,} BBC test sentences ({before['share']:.1%}) "
        "also occur word for word in the training articles. For the next-word "
        f"model, the {report['near_duplicate_train_articles_dropped']} training "
        "articles that hold more than half of a held-out article's 8-word "
        f"sequences are dropped, which leaves {after['verbatim_in_train']:,} "
        f"({after['share']:.1%}). Cleaning dropped "
        f"{dropped['not_english']:,} tweets that were mostly not English and "
        f"{dropped['too_short_after_cleaning']:,} left with fewer than 3 words."
    )


@st.cache_data
def label_counts(name: str) -> pd.DataFrame:
    counts = Counter(d.label for d in corpus_split(name).train)
    return pd.DataFrame(sorted(counts.items()), columns=["label", "documents"])


@st.cache_data
def top_words(name: str, n: int = 25) -> pd.DataFrame:
    counts = Counter(t for doc in tokenized_split(name)["train"] for t in doc)
    return pd.DataFrame(counts.most_common(n), columns=["token", "count"])


@st.cache_data
def top_share(name: str, n: int) -> float:
    """The share of all training tokens that the n most frequent tokens make up."""
    counts = Counter(t for doc in tokenized_split(name)["train"] for t in doc)
    return sum(c for _, c in counts.most_common(n)) / max(sum(counts.values()), 1)


@st.cache_data
def documents(name: str, part: str) -> list[dict]:
    docs = corpus_split(name).parts()[part]
    return [{"id": d.doc_id, "label": d.label, "text": d.text} for d in docs]
