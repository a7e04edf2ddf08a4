"""Many-to-one sentiment: an LSTM reads a text word by word, then one output.

The reader also answers "what would it say if the text stopped here?" after every
word (the trajectory) and "how much did each word matter?" (occlusion), so a
learner can watch the decision form as the network reads.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from engine.checkpoints import Checkpoint, load_checkpoint
from engine.errors import CheckpointError, InputError
from engine.models import RecurrentConfig, SequenceClassifier
from engine.text import (
    Vocab,
    has_skin_tone,
    shown_word,
    skipped_characters,
    tokenize,
)

LABELS = ("negative", "neutral", "positive")
MAX_WORDS = 200  # a tweet is about 20 words; longer texts are cut, with a note
MAX_OCCLUDED_WORDS = 40  # occlusion rereads the text once per word: keep it quick
MAX_BI_STEPS = 50  # a BiLSTM rereads each prefix: its trajectory stops here

_URL = re.compile(r"(?:https?://|www\.)\S*|\bt\.co/\S*", re.IGNORECASE)
_MENTION = re.compile(r"(?<![\w@])@\w+")
_RETWEET = re.compile(r"^\s*rt\b:?", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^<>]{0,200}>")


@dataclass
class CleanText:
    """A text as the model reads it, and what was taken out on the way."""

    text: str
    removed: list[str] = field(default_factory=list)  # "links", "@mentions", ...


def clean_text(text: str) -> CleanText:
    """Take out what carries no sentiment in itself: links, @mentions, a leading
    "RT", HTML tags and entities, the # of hashtags (the word stays).

    The tweets name airlines in @mentions, and most airline tweets are complaints;
    dropping the names keeps the model from learning "@united means negative".
    """
    removed = []
    steps = (
        (_HTML_TAG, "HTML tags"),
        (_URL, "links"),
        (_RETWEET, "a retweet marker"),
        (_MENTION, "@mentions"),
    )
    text = html.unescape(text)
    for pattern, what in steps:
        text, count = pattern.subn(" ", text)
        if count:
            removed.append(what)
    return CleanText(text.replace("#", " "), removed)


def sentiment_tokens(text: str) -> list[str]:
    """The words the model reads (the same for training, baselines and the app)."""
    return tokenize(clean_text(text).text)


class SentimentClassifier(SequenceClassifier):
    """Embedding -> LSTM (one or both directions) -> a linear layer on the final
    hidden state -> three scores. Texts in a batch may have different lengths."""

    def summary(self, ids: Tensor, lengths: Tensor | None = None) -> Tensor:
        """The final hidden state after each text's last real word: (B, D*H)."""
        x = self.drop(self.embedding(ids))  # (B, T, E)
        if lengths is not None:  # padding must not be read as words
            x = nn.utils.rnn.pack_padded_sequence(
                x, lengths.cpu(), batch_first=True, enforce_sorted=False
            )
        _, state = self.rnn(x)
        h_n = state[0] if isinstance(state, tuple) else state  # (L*D, B, H)
        directions = 2 if self.config.direction == "bi" else 1
        return torch.cat(list(h_n[-directions:]), dim=1)

    def forward(
        self, ids: Tensor, lengths: Tensor | None = None, targets: Tensor | None = None
    ) -> tuple[Tensor, Tensor | None]:
        logits = self.head(self.drop(self.summary(ids, lengths)))  # (B, C)
        loss = None if targets is None else F.cross_entropy(logits, targets)
        return logits, loss

    @torch.no_grad()
    def prefix_probabilities(self, ids: Tensor) -> Tensor:
        """P(label) if the text stopped after word t, for every t: (T, C).

        One direction: the head read out at every step of one pass (that is what
        the network "thinks" so far). Both directions: the backward half must see
        the end of the text, so each prefix is read as a text of its own.
        """
        if self.config.direction == "uni":
            out, _ = self.rnn(self.embedding(ids[None]))  # (1, T, H)
            return torch.softmax(self.head(out[0]), dim=-1)
        n = ids.numel()
        prefixes = ids.repeat(n, 1)  # row t holds the first t + 1 words (+ padding)
        lengths = torch.arange(1, n + 1)
        logits, _ = self(prefixes, lengths)
        return torch.softmax(logits, dim=-1)


def encode_batch(id_lists: list[list[int]], pad_id: int) -> tuple[Tensor, Tensor]:
    """Pad id lists into (B, T) with their lengths; an empty text reads as one pad."""
    lengths = torch.tensor([max(len(ids), 1) for ids in id_lists])
    batch = torch.full((len(id_lists), int(lengths.max())), pad_id, dtype=torch.long)
    for row, ids in enumerate(id_lists):
        batch[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
    return batch, lengths


@dataclass
class Reading:
    """What the reader says about one text."""

    words: list[str]  # the words read, in order
    known: list[bool]  # False where a word is not in the vocabulary (<unk>)
    probabilities: dict[str, float]  # label -> P(label | whole text)
    steps: list[dict[str, float]]  # label -> P after each word (BiLSTM: the first 50)
    notes: list[str]  # friendly remarks about the input (cut, links removed, ...)

    @property
    def stepped_words(self) -> list[str]:
        """The words that have an answer after them in `steps`."""
        return self.words[: len(self.steps)]

    @property
    def label(self) -> str:
        return max(self.probabilities, key=self.probabilities.get)


class SentimentReader:
    """A trained sentiment classifier with its vocabulary, ready to read texts."""

    def __init__(self, model: SentimentClassifier, vocab: Vocab, metrics: dict):
        self.model, self.vocab, self.metrics = model.eval(), vocab, metrics

    @classmethod
    def load(cls, path: Path, task: str = "sentiment") -> SentimentReader:
        checkpoint = load_checkpoint(path, task)
        return cls.from_checkpoint(checkpoint)

    @classmethod
    def from_checkpoint(cls, checkpoint: Checkpoint) -> SentimentReader:
        try:
            model = SentimentClassifier(RecurrentConfig(**checkpoint.config))
            model.load_state_dict(checkpoint.state_dict)
        except (TypeError, RuntimeError) as error:
            raise CheckpointError(
                f"The '{checkpoint.task}' checkpoint does not fit the model: {error}"
            ) from error
        return cls(model, checkpoint.vocab, checkpoint.metrics)

    @property
    def direction(self) -> str:
        return self.model.config.direction

    def words(self, text: str) -> tuple[list[str], list[str]]:
        """The words to read and notes on the input; InputError if there are none."""
        if not text or not text.strip():
            raise InputError("Type a sentence first: there is nothing to read yet.")
        cleaned = clean_text(text)
        words = tokenize(cleaned.text)
        notes = []
        if cleaned.removed:
            notes.append(
                f"Left out {', '.join(cleaned.removed)}: they carry no sentiment "
                "of their own."
            )
        skipped = skipped_characters(cleaned.text)
        if skipped:
            shown = " ".join(shown_word(c) for c in skipped[:10])
            notes.append(f"Skipped, as no model here reads them: {shown}")
        if has_skin_tone(cleaned.text):
            notes.append("Skin tones are folded: 👍🏽 is read as 👍.")
        if not words:
            raise InputError(
                "There are no words or emoji to read here (symbols and links are "
                "skipped). Try a sentence such as 'The food was not good'."
            )
        if len(words) > MAX_WORDS:
            notes.append(
                f"This text has {len(words):,} words; the model reads the first "
                f"{MAX_WORDS} (it was trained on tweets of about 20)."
            )
            words = words[:MAX_WORDS]
        unknown = [w for w in words if w not in self.vocab]
        if len(unknown) == len(words):
            notes.append(
                "None of these words is in the model's vocabulary, so it reads them "
                "all as the same unknown word: the answer below is only a guess."
            )
        elif unknown:
            shown = ", ".join(f"'{shown_word(w)}'" for w in dict.fromkeys(unknown[:5]))
            notes.append(f"Words the model has never seen (read as unknown): {shown}.")
        return words, notes

    def probabilities(self, texts: list[str]) -> Tensor:
        """P(label) for many texts at once (bad texts read as empty): (N, C)."""
        id_lists = [self.vocab.encode(sentiment_tokens(t)[:MAX_WORDS]) for t in texts]
        with torch.no_grad():
            logits, _ = self.model(*encode_batch(id_lists, self.vocab.pad_id))
        return torch.softmax(logits, dim=-1)

    def read(self, text: str, steps: bool = True) -> Reading:
        """Label probabilities for a text, and after each word if `steps`."""
        words, notes = self.words(text)
        ids = torch.tensor(self.vocab.encode(words))
        trajectory = []
        if steps:
            limit = len(words) if self.direction == "uni" else MAX_BI_STEPS
            trajectory = self.model.prefix_probabilities(ids[:limit]).tolist()
            if len(words) > limit:
                notes.append(
                    "A BiLSTM reads the whole text again for every cut, so the "
                    f"answer after each word is shown for the first {limit} words."
                )
        if len(trajectory) == len(words):  # after the last word: the final answer
            final = trajectory[-1]
        else:
            with torch.no_grad():
                logits, _ = self.model(ids[None])
            final = torch.softmax(logits[0], dim=-1).tolist()
        return Reading(
            words=words,
            known=[w in self.vocab for w in words],
            probabilities=dict(zip(LABELS, final, strict=True)),
            steps=[dict(zip(LABELS, row, strict=True)) for row in trajectory],
            notes=notes,
        )

    def word_contributions(self, words: list[str]) -> list[float]:
        """How much each word pushes the text towards positive (+) or negative (-).

        Occlusion: read the text again without word i; the contribution is how
        much the score P(positive) - P(negative) drops when the word is gone.
        It costs one reading per word, so only the first MAX_OCCLUDED_WORDS count.
        """
        ids = self.vocab.encode(words[:MAX_OCCLUDED_WORDS])
        variants = [ids] + [ids[:i] + ids[i + 1 :] for i in range(len(ids))]
        with torch.no_grad():
            logits, _ = self.model(*encode_batch(variants, self.vocab.pad_id))
        probs = torch.softmax(logits, dim=-1)
        score = probs[:, LABELS.index("positive")] - probs[:, LABELS.index("negative")]
        return (score[0] - score[1:]).tolist()


# What the tweets are about, guessed from keywords (the corpus has no topic
# column): the first matching topic wins.
TWEET_TOPICS = (
    (
        "airlines",
        r"@(united|americanair|usairways|southwestair|jetblue|virginamerica|delta\w*)"
        r"\b|\bflight|\bairline",
    ),
    ("Coachella festival", r"coachella|festival|lineup"),
    ("#DeflateGate (football)", r"deflate|patriots|brady|\bnfl\b|belichick|superbowl"),
    ("self-driving cars", r"self.?driving|driverless|autonomous|robot car"),
    ("allergy pills", r"claritin|allerg|zyrtec|sneez"),
    ("Apple and gadgets", r"apple|iphone|ipad|\bmac|\bios\b|google|samsung|android"),
)
_TOPIC_PATTERNS = [(name, re.compile(p, re.IGNORECASE)) for name, p in TWEET_TOPICS]


def guess_topic(text: str) -> str:
    for name, pattern in _TOPIC_PATTERNS:
        if pattern.search(text):
            return name
    return "other"


def label_documents(reader: SentimentReader, texts: list[str]) -> list[dict]:
    """The reader's label and confidence for many raw texts (in batches)."""
    rows = []
    for start in range(0, len(texts), 256):
        probabilities = reader.probabilities(texts[start : start + 256])
        for row in probabilities.tolist():
            best = max(range(len(LABELS)), key=row.__getitem__)
            rows.append({"predicted": LABELS[best], "confidence": row[best]})
    return rows
