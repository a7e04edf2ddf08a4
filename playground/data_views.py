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


@st.cache_data
def label_counts(name: str) -> pd.DataFrame:
    counts = Counter(d.label for d in corpus_split(name).train)
    return pd.DataFrame(sorted(counts.items()), columns=["label", "documents"])


@st.cache_data
def top_words(name: str, n: int = 25) -> pd.DataFrame:
    counts = Counter(t for doc in tokenized_split(name)["train"] for t in doc)
    return pd.DataFrame(counts.most_common(n), columns=["token", "count"])


@st.cache_data
def documents(name: str, part: str) -> list[dict]:
    docs = corpus_split(name).parts()[part]
    return [{"id": d.doc_id, "label": d.label, "text": d.text} for d in docs]
