"""Many-to-one topic: an LSTM reads a news paragraph word by word, then one of
five BBC topics.

The classifier pools (averages) the LSTM's hidden states over the words read
instead of keeping only the last one: a topic is spread over the whole text, and
an average gives every word a direct path to the answer, so a 400-word article
read by a model trained on paragraphs does not hang on its final sentence. The
average over the first t words is also exactly what the model would answer if
the text stopped after word t, so the page's "guess after every word" is the
model's real answer, computed in the same single pass.
"""

from __future__ import annotations

import html
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from engine.checkpoints import load_checkpoint
from engine.errors import CheckpointError, InputError
from engine.models import make_recurrent_layer
from engine.text import Vocab, tokenize

TOPICS = ("business", "entertainment", "politics", "sports", "tech")  # BBC labels
MAX_WORDS = 400  # the reader reads this many words (a BBC article is ~390)
MAX_CHARS = 30_000  # longer input is refused (the longest BBC article is 25,484)
PARAGRAPH_WORDS = 120  # training paragraphs longer than this are cut into pieces

_HTML_TAG = re.compile(r"<[^<>]{0,200}>")


@dataclass
class TopicConfig:
    """The shape of the topic classifier; stored in its checkpoint."""

    vocab_size: int = 8  # rows of the embedding table
    embed_size: int = 64  # length of each word vector
    hidden_size: int = 128  # length of the LSTM state
    cell: str = "lstm"  # rnn, lstm or gru
    pooling: str = "mean"  # "mean" of all hidden states, or the "last" one
    dropout: float = 0.0  # on word vectors and before the head
    num_classes: int = len(TOPICS)

    def to_dict(self) -> dict:
        return asdict(self)


class TopicClassifier(nn.Module):
    """Embedding -> one-direction LSTM -> pooled hidden state -> five scores."""

    def __init__(self, config: TopicConfig) -> None:
        super().__init__()
        if config.pooling not in ("mean", "last"):
            raise ValueError(f"unknown pooling {config.pooling!r}: mean or last")
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed_size)
        self.rnn = make_recurrent_layer(
            config.cell, config.embed_size, config.hidden_size
        )
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(config.hidden_size, config.num_classes)

    def hidden_states(self, ids: Tensor, lengths: Tensor) -> Tensor:
        """h_t for every word, zero on padding: (B, T, H)."""
        x = self.drop(self.embedding(ids))  # (B, T, E)
        packed = nn.utils.rnn.pack_padded_sequence(
            x, lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        out, _ = self.rnn(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(
            out, batch_first=True, total_length=ids.shape[1]
        )
        return out

    def summary(self, ids: Tensor, lengths: Tensor) -> Tensor:
        """One vector per text: the mean or the last of its hidden states: (B, H)."""
        out = self.hidden_states(ids, lengths)  # (B, T, H)
        if self.config.pooling == "mean":
            return out.sum(dim=1) / lengths[:, None].to(out.dtype)
        return out[torch.arange(len(ids)), lengths - 1]

    def forward(
        self, ids: Tensor, lengths: Tensor, targets: Tensor | None = None
    ) -> tuple[Tensor, Tensor | None]:
        logits = self.head(self.drop(self.summary(ids, lengths)))  # (B, C)
        loss = None if targets is None else F.cross_entropy(logits, targets)
        return logits, loss

    @torch.no_grad()
    def prefix_probabilities(self, ids: Tensor) -> Tensor:
        """P(topic) if the text stopped after word t, for every t: (T, C)."""
        out, _ = self.rnn(self.embedding(ids[None]))  # (1, T, H)
        states = out[0]
        if self.config.pooling == "mean":  # running mean of h_1..h_t
            steps = torch.arange(1, len(states) + 1, dtype=states.dtype)[:, None]
            states = states.cumsum(dim=0) / steps
        return torch.softmax(self.head(states), dim=-1)


def encode_batch(id_lists: list[list[int]], pad_id: int) -> tuple[Tensor, Tensor]:
    """Pad id lists into (B, T) with their lengths; an empty text reads as one pad."""
    lengths = torch.tensor([max(len(ids), 1) for ids in id_lists])
    batch = torch.full((len(id_lists), int(lengths.max())), pad_id, dtype=torch.long)
    for row, ids in enumerate(id_lists):
        batch[row, : len(ids)] = torch.tensor(ids, dtype=torch.long)
    return batch, lengths


def topic_tokens(text: str) -> list[str]:
    """The words the model reads: HTML tags and entities out, lower case."""
    return tokenize(_HTML_TAG.sub(" ", html.unescape(text)))


def paragraph_chunks(text: str, max_words: int = PARAGRAPH_WORDS) -> list[list[str]]:
    """An article as paragraphs (blank-line separated; the headline is one), each
    cut into pieces of at most `max_words` tokens."""
    chunks = []
    for paragraph in re.split(r"\n\s*\n", text):
        words = topic_tokens(paragraph)
        chunks += [words[i : i + max_words] for i in range(0, len(words), max_words)]
    return chunks


@dataclass
class TopicReading:
    """What the reader says about one text (JSON-ready via `to_dict`)."""

    words: list[str]  # the words read, in order (at most MAX_WORDS)
    unknown: list[str]  # words not in the vocabulary, read as <unk> (no repeats)
    topics: list[dict]  # [{"topic", "probability"}], most likely first
    steps: list[dict[str, float]]  # topic -> P after each word, one per word read
    words_total: int  # words in the text; more than len(words) if it was cut
    notes: list[str] = field(default_factory=list)  # friendly remarks on the input

    @property
    def topic(self) -> str:
        return self.topics[0]["topic"]

    @property
    def truncated(self) -> bool:
        return self.words_total > len(self.words)

    def to_dict(self) -> dict:
        return asdict(self) | {"topic": self.topic, "truncated": self.truncated}


class TopicReader:
    """A trained topic classifier with its vocabulary, ready to read texts."""

    def __init__(self, model: TopicClassifier, vocab: Vocab, metrics: dict) -> None:
        self.model, self.vocab, self.metrics = model.eval(), vocab, metrics

    def words(self, text: str) -> tuple[list[str], int, list[str]]:
        """(words to read, words in the text, notes); InputError if unusable."""
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                "Type or paste a paragraph of news first: there is nothing to read."
            )
        if len(text) > MAX_CHARS:
            raise InputError(
                f"That is {len(text):,} characters; paste at most {MAX_CHARS:,} "
                "(one news article)."
            )
        words = topic_tokens(text)
        if not any(w in self.vocab for w in words if any(c.isalpha() for c in w)):
            raise InputError(
                "None of these words is in the model's news vocabulary (emoji, "
                "symbols and HTML are skipped). Try a sentence such as "
                f"'{EXAMPLES[0]}'"
            )
        notes = []
        if len(words) > MAX_WORDS:
            notes.append(
                f"This text has {len(words):,} words; the model reads the first "
                f"{MAX_WORDS}."
            )
        return words[:MAX_WORDS], len(words), notes

    def read(self, text: str) -> TopicReading:
        """Topic probabilities for a text, and after each word read."""
        words, total, notes = self.words(text)
        unknown = list(dict.fromkeys(w for w in words if w not in self.vocab))
        if unknown:
            shown = ", ".join(f"'{w}'" for w in unknown[:5])
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            notes.append(f"Words the model has never seen (read as unknown): {shown}")
            notes[-1] += more + "."
        ids = torch.tensor(self.vocab.encode(words))
        rows = self.model.prefix_probabilities(ids).tolist()  # (T, C)
        steps = [[round(p, 4) for p in row] for row in rows]
        ranked = sorted(zip(TOPICS, steps[-1], strict=True), key=lambda tp: -tp[1])
        return TopicReading(
            words=words,
            unknown=unknown,
            topics=[{"topic": t, "probability": p} for t, p in ranked],
            steps=[dict(zip(TOPICS, row, strict=True)) for row in steps],
            words_total=total,
            notes=notes,
        )

    @torch.no_grad()
    def predict_ids(self, id_lists: list[list[int]]) -> list[int]:
        """The most likely topic index for many encoded texts at once."""
        predicted = []
        for start in range(0, len(id_lists), 256):
            chunk = id_lists[start : start + 256]
            logits, _ = self.model(*encode_batch(chunk, self.vocab.pad_id))
            predicted += logits.argmax(dim=1).tolist()
        return predicted


def load_topic_reader(path: Path) -> TopicReader:
    """The reader of a saved 'topic' checkpoint (CheckpointError if unusable)."""
    checkpoint = load_checkpoint(path, "topic")
    try:
        model = TopicClassifier(TopicConfig(**checkpoint.config))
        model.load_state_dict(checkpoint.state_dict)
    except (TypeError, ValueError, RuntimeError) as error:
        raise CheckpointError(
            f"The 'topic' checkpoint {path} does not fit the model: {error}. "
            "Rebuild it with: python -m engine train topic"
        ) from error
    return TopicReader(model, checkpoint.vocab, checkpoint.metrics)


# Default inputs for the page: one short paragraph per topic, written for the app
# (not from the corpus), and one that turns from politics to entertainment.
EXAMPLES = (
    "The bank raised interest rates again as inflation climbed and shares fell.",
    "The film won three awards and its star thanked the director on stage.",
    "The prime minister faced questions from MPs about the election campaign.",
    "The striker scored twice as the home side won the cup final.",
    "The new phone runs faster software and lets users stream music online.",
    "MPs voted on the new law before the singer won an award for her album.",
)
