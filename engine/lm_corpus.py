"""The next-word model's text: BBC News (near-duplicates removed) + everyday English.

Two domains, each with its own held-out documents, so the benchmark can say how
the keyboard does on news and on what people type:

- bbc: the shared BBC split, minus every training article that shares more than
  half of its 8-word sequences with a validation or test article (news agencies
  rewrite one story many times; a model that has read the story is not predicting);
- everyday: tweets, WordNet usage examples and the rated review sentences
  (engine/everyday.py), each in its own document split.
"""

from __future__ import annotations

import hashlib
import random
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from engine.checkpoints import default_path, load_checkpoint
from engine.corpora import Document, corpus_split
from engine.everyday import everyday_split
from engine.everyday_grammar import sample_everyday, split_of
from engine.language_model import document_tokens
from engine.text import SPECIALS, Vocab, tokenize

DOMAINS = ("bbc", "everyday")
NGRAM = 8  # word 8-grams: long enough that a shared one is copied text
NEAR_DUPLICATE_SHARE = 0.5  # of a held-out article's 8-grams found in one train article
GRAMMAR_SENTENCES = 6_000  # generated scenes: about 3% of training tokens, for
# the words of a home ("mat", "fridge") that real text here names only once or twice
GRAMMAR_PER_DOC = 20
MIX_SEED = 7  # the order in which training documents of both domains are interleaved
KEYBOARD = "next-word"  # the task whose vocabulary the Text to numbers page shows
TOP_TOKENS = 15  # the most frequent training tokens stored for that page's chart
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _ngrams(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + NGRAM]) for i in range(len(tokens) - NGRAM + 1)}


@cache
def bbc_near_duplicates() -> dict[str, float]:
    """Train article id -> the largest share of a held-out article's 8-grams in it."""
    split = corpus_split("bbc")
    owners: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for index, doc in enumerate(split.train):
        for gram in _ngrams(tokenize(doc.text, emoji=False)):
            owners[gram].add(index)
    worst: dict[str, float] = {}
    for doc in split.valid + split.test:
        grams = _ngrams(tokenize(doc.text, emoji=False))
        shared = Counter(i for g in grams for i in owners.get(g, ()))
        for index, count in shared.items():
            share = count / max(len(grams), 1)
            if share > NEAR_DUPLICATE_SHARE:
                doc_id = split.train[index].doc_id
                worst[doc_id] = max(worst.get(doc_id, 0.0), round(share, 3))
    return worst


def bbc_documents(part: str) -> tuple[Document, ...]:
    """The BBC split for the language model: near-duplicates dropped from train."""
    docs = corpus_split("bbc").parts()[part]
    if part != "train":
        return docs
    drop = bbc_near_duplicates()
    return tuple(d for d in docs if d.doc_id not in drop)


def sentences(docs: tuple[Document, ...]) -> list[str]:
    """Every sentence of some documents, tokenized and joined by spaces."""
    return [
        " ".join(tokens)
        for doc in docs
        for line in doc.text.splitlines()
        for sentence in _SENTENCE_END.split(line)
        if (tokens := tokenize(sentence, emoji=False))
    ]


def verbatim_overlap(train: tuple[Document, ...], test: tuple[Document, ...]) -> dict:
    """How many test sentences occur word for word in the training text."""
    seen = set(sentences(train))
    test_sentences = sentences(test)
    repeated = sum(s in seen for s in test_sentences)
    return {
        "test_sentences": len(test_sentences),
        "verbatim_in_train": repeated,
        "share": round(repeated / max(len(test_sentences), 1), 4),
    }


def bbc_overlap_report() -> dict:
    """Verbatim overlap of BBC test sentences with train, before and after."""
    split = corpus_split("bbc")
    return {
        "near_duplicate_train_articles_dropped": len(bbc_near_duplicates()),
        "rule": f"a train article holding > {NEAR_DUPLICATE_SHARE:.0%} of a held-out "
        f"article's word {NGRAM}-grams",
        "before": verbatim_overlap(split.train, split.test),
        "after": verbatim_overlap(bbc_documents("train"), split.test),
    }


@cache
def domain_token_docs(domain: str, part: str) -> tuple[tuple[str, ...], ...]:
    """Every document of one domain and split, tokenized, in a fixed order."""
    if domain == "bbc":
        docs = bbc_documents(part)
    elif domain == "everyday":
        docs = tuple(d for s in everyday_split().values() for d in s.parts()[part])
    else:
        raise ValueError(f"unknown domain {domain!r}: choose one of {DOMAINS}")
    return tuple(tuple(document_tokens(d.text)) for d in docs)


@cache
def grammar_train_docs() -> tuple[tuple[str, ...], ...]:
    """The generated scenes of engine/everyday_grammar.py that fall in its train
    split (never the seed sentence), 20 to a document. Training only: the
    benchmark's everyday domain is real text."""
    train = [s for s in sample_everyday(GRAMMAR_SENTENCES) if split_of(s) == "train"]
    return tuple(
        tuple(document_tokens("\n".join(train[i : i + GRAMMAR_PER_DOC])))
        for i in range(0, len(train), GRAMMAR_PER_DOC)
    )


@cache
def mixed_train_docs() -> tuple[tuple[str, ...], ...]:
    """Both domains' training documents and the generated scenes, shuffled
    together (seeded), so every batch column reads news and everyday text in turn."""
    docs = [d for domain in DOMAINS for d in domain_token_docs(domain, "train")]
    docs += grammar_train_docs()
    random.Random(MIX_SEED).shuffle(docs)
    return tuple(docs)


def build_mixed_vocab(max_size: int, min_count: int = 2) -> Vocab:
    """The most frequent train tokens of both domains (seen at least twice)."""
    return Vocab.build(mixed_train_docs(), min_count, max_size=max_size)


def domain_shares() -> dict[str, float]:
    """Each source's share of the training tokens (shown on the keyboard page)."""
    counts = {"bbc": sum(len(d) for d in domain_token_docs("bbc", "train"))}
    for source, split in everyday_split().items():
        counts[source] = sum(len(document_tokens(d.text)) for d in split.train)
    counts["generated"] = sum(len(d) for d in grammar_train_docs())
    total = sum(counts.values())
    return {k: round(v / total, 4) for k, v in counts.items()}


def vocab_digest(vocab: Vocab) -> str:
    """A short hash of a vocabulary's tokens in id order: it changes if any id does."""
    return hashlib.sha256("\n".join(vocab.itos).encode("utf-8")).hexdigest()[:16]


def vocab_coverage(
    vocab: Vocab,
    train_docs: Iterable[Sequence[str]],
    test_docs: Mapping[str, Iterable[Sequence[str]]],
    top: int = TOP_TOKENS,
) -> dict:
    """How a vocabulary covers the text it was counted on and held-out text.

    `test_docs` maps a domain name to its test documents; the report gives the
    share of their tokens that are not in the vocabulary (read as <unk>).
    """
    counts = Counter(t for doc in train_docs for t in doc)
    n_tokens = sum(counts.values())
    words = vocab.itos[len(SPECIALS) :]  # the counted words, most frequent first
    seen = [counts[w] for w in words]
    known = sum(n for token, n in counts.items() if token in vocab)
    unknown = {}
    for domain, docs in test_docs.items():
        tokens = [t for doc in docs for t in doc]
        missing = sum(t not in vocab for t in tokens)
        unknown[domain] = round(missing / max(len(tokens), 1), 4)
    return {
        "fingerprint": vocab_digest(vocab),
        "size": len(vocab),
        "train_tokens": n_tokens,
        # distinct tokens of the text, special ones (<eos> ...) left out
        "train_distinct_words": sum(t not in SPECIALS for t in counts),
        "rarest_count": min(seen, default=0),
        "median_count": statistics.median(seen) if seen else 0,
        "train_known_share": round(known / max(n_tokens, 1), 4),
        "top": [[token, n] for token, n in counts.most_common(top)],
        "test_unknown_share": unknown,
    }


def keyboard_vocab_report() -> dict:
    """vocab_coverage() of the shipped keyboard's vocabulary on its training text
    and on each domain's test text: stored in corpus_stats.json for the page."""
    vocab = load_checkpoint(default_path(KEYBOARD), KEYBOARD).vocab
    tests = {domain: domain_token_docs(domain, "test") for domain in DOMAINS}
    report = vocab_coverage(vocab, mixed_train_docs(), tests)
    return report | {"train_shares": domain_shares()}  # what it was counted on
