"""Cached views of the corpora and of the keyboard's vocabulary for the pages."""

from __future__ import annotations

import math
from collections import Counter

import pandas as pd
import streamlit as st

from engine.corpora import CORPORA, corpus_split, shipped_corpus_stats
from engine.lm_corpus import vocab_digest
from engine.text import EOS, SPECIALS, Vocab, is_emoji
from playground.keyboard_views import SOURCE_NAMES
from playground.models import next_word_model

CORPUS_NAMES = {"bbc": "BBC News articles", "tweets": "Labelled tweets"}


def keyboard_vocab() -> Vocab:
    """The vocabulary the next-word keyboard reads with: a real model's, not one
    built for this page (its checkpoint, loaded once per server)."""
    return next_word_model()[1].vocab


@st.cache_resource(show_spinner=False)
def keyboard_vocab_stats() -> dict | None:
    """What the vocabulary covers, counted on the keyboard's text and stored (the
    counting takes seconds); None if the stored counts belong to another
    vocabulary (the model was retrained since: rerun the corpus benchmark)."""
    stats = shipped_corpus_stats().get("keyboard_vocab")
    if not stats or stats["fingerprint"] != vocab_digest(keyboard_vocab()):
        return None
    return stats


@st.cache_resource(show_spinner=False)
def emoji_in_vocab() -> int:
    """How many emoji and emoticons the keyboard's vocabulary holds."""
    return sum(is_emoji(token) for token in keyboard_vocab().itos)


def vocab_sentence(stats: dict) -> str:
    """Where the vocabulary comes from and what it covers, every number counted."""
    size = stats["size"]
    parts = [
        f"{SOURCE_NAMES.get(name, name)} ({share:.0%})"
        for name, share in sorted(stats["train_shares"].items(), key=lambda kv: -kv[1])
    ]
    shares = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    unknown = stats["test_unknown_share"]
    return (
        "The ids on this page are the ones the **next-word keyboard** reads with "
        "(the LSTM of the Next-word keyboard page): a vocabulary of "
        f"**{size:,} tokens**, "
        f"counted on its **training** text only: {stats['train_tokens']:,} tokens "
        f"of {shares}. That text holds {stats['train_distinct_words']:,} different "
        f"tokens; the vocabulary keeps the {size - len(SPECIALS):,} most frequent "
        f"(each seen at least {stats['rarest_count']:,} times) and the "
        f"{len(SPECIALS)} special tokens below, and every other token becomes "
        f"`<unk>`.\n\nThe tokens it keeps make up {stats['train_known_share']:.1%} of "
        "the training text. Words that appear only in the held-out test text stay "
        "unknown, so the test measures what the model does with text it has never "
        f"seen: there, {unknown['bbc']:.1%} of the news tokens and "
        f"{unknown['everyday']:.1%} of the everyday tokens are `<unk>`."
    )


def top_tokens(stats: dict) -> pd.DataFrame:
    """The most frequent tokens of the keyboard's training text, as stored."""
    return pd.DataFrame(stats["top"], columns=["token", "count"])


def top_tokens_look_for(stats: dict) -> str:
    """What to look for in the chart of the most frequent tokens, counted."""
    top = stats["top"]
    share = sum(count for _, count in top) / max(stats["train_tokens"], 1)
    words = stats["size"] - len(SPECIALS)
    eos = " (`<eos>` ends every paragraph.)" if EOS in dict(top) else ""
    # at least half of the counts lie at or below the floor of their median
    return (
        f"Look at how fast the bars shrink: these {len(top)} tokens alone are "
        f"{share:.0%} of the {stats['train_tokens']:,} training tokens, while half "
        f"of the vocabulary's {words:,} words are seen "
        f"{math.floor(stats['median_count']):,} times or fewer.{eos}"
    )


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
            "not in its train split": stats[name][part]["unknown_rate_vs_train_vocab"],
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
def documents(name: str, part: str) -> list[dict]:
    docs = corpus_split(name).parts()[part]
    return [{"id": d.doc_id, "label": d.label, "text": d.text} for d in docs]
