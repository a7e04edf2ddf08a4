"""Many-to-many truecasing: a bidirectional LSTM reads lower-cased text and tags
every token "lower", "Capitalised" or "UPPER", so the names light up.

The labels come free from the original BBC text: the case the writer used. It is
a stand-in for named-entity tagging: a word mid-sentence is capitalised because
it names someone or something. The model never sees the original case; it reads
lower-cased words, their last three letters, and three cheap facts that survive
lower-casing: is it the first word, does it follow a . ! or ?, has it no letters.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from engine.checkpoints import load_checkpoint
from engine.errors import CheckpointError, InputError
from engine.text import Vocab, written_tokens

TAGS = ("lower", "Capitalised", "UPPER")  # UPPER: two or more letters, all capitals
LOWER, CAPITALISED, UPPER = range(len(TAGS))
FEATURES = ("first word", "after . ! or ?", "no letters")
SENTENCE_ENDS = frozenset(".!?")
SUFFIX_LETTERS = 3  # a word's ending, e.g. "-son", "-ski" (names) vs "-ing"
MAX_TOKENS = 400  # words and punctuation marks read (a long BBC paragraph)
MAX_CHARS = 20_000  # longer input is refused
IGNORE = -100  # the loss skips padding positions with this target

_HTML_TAG = re.compile(r"<[^<>]{0,200}>")


def has_letter(token: str) -> bool:
    return any(ch.isalpha() for ch in token)


def tag_of(written: str) -> int:
    """The tag of a token as the writer wrote it ("BBC" UPPER, "Mr" Capitalised)."""
    if not has_letter(written) or not written[0].isupper():
        return LOWER
    letters = [ch for ch in written if ch.isalpha()]
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return UPPER
    return CAPITALISED


def rule_tags(tokens: list[str]) -> list[int]:
    """The baseline rule: capitalise the first word and the first word after
    every full stop, ! or ? (quotes and brackets in between are skipped)."""
    tags, start = [], True
    for token in tokens:
        if has_letter(token):
            tags.append(CAPITALISED if start else LOWER)
            start = False
        else:
            tags.append(LOWER)
            start = start or token in SENTENCE_ENDS
    return tags


def shape_features(tokens: list[str]) -> list[list[float]]:
    """Per token: first word?, after a sentence end?, no letters? (as 0/1)."""
    rule = rule_tags(tokens)
    first = next((i for i, t in enumerate(tokens) if has_letter(t)), -1)
    return [
        [float(i == first), float(rule[i] == CAPITALISED and i != first), 0.0]
        if has_letter(t)
        else [0.0, 0.0, 1.0]
        for i, t in enumerate(tokens)
    ]


def suffix(token: str) -> str:
    return token[-SUFFIX_LETTERS:]


def render(token: str, tag: int, spellings: dict[str, str]) -> str:
    """A lower-case token written with a tag; known odd spellings ("MPs",
    "O'Driscoll", "iPod") come from the training text."""
    known = spellings.get(f"{TAGS[tag]}|{token}")
    if known:
        return known
    if tag == UPPER:
        return token.upper()
    if tag == CAPITALISED:
        return token[:1].upper() + token[1:]
    return token


@dataclass
class TruecaseConfig:
    """The shape of the tagger; stored in its checkpoint."""

    vocab_size: int = 8  # rows of the word table
    suffix_vocab_size: int = 8  # rows of the word-ending table
    embed_size: int = 48  # length of each word vector
    suffix_size: int = 16  # length of each word-ending vector
    hidden_size: int = 64  # per direction
    dropout: float = 0.0  # on the inputs and before the tag layer
    spellings: dict[str, str] = field(default_factory=dict)  # "tag|word" -> form

    def to_dict(self) -> dict:
        return asdict(self)


class TruecaseTagger(nn.Module):
    """(word, ending, shape) vectors -> BiLSTM -> three tag scores per token."""

    def __init__(self, config: TruecaseConfig) -> None:
        super().__init__()
        self.config = config
        self.embedding = nn.Embedding(config.vocab_size, config.embed_size)
        self.suffix_embedding = nn.Embedding(
            config.suffix_vocab_size, config.suffix_size
        )
        inputs = config.embed_size + config.suffix_size + len(FEATURES)
        self.rnn = nn.LSTM(
            inputs, config.hidden_size, batch_first=True, bidirectional=True
        )
        self.drop = nn.Dropout(config.dropout)
        self.head = nn.Linear(2 * config.hidden_size, len(TAGS))

    def forward(
        self,
        ids: Tensor,
        suffixes: Tensor,
        features: Tensor,
        lengths: Tensor,
        targets: Tensor | None = None,
    ) -> tuple[Tensor, Tensor | None]:
        x = torch.cat(
            [self.embedding(ids), self.suffix_embedding(suffixes), features], dim=-1
        )  # (B, T, E + S + F)
        packed = nn.utils.rnn.pack_padded_sequence(
            self.drop(x), lengths.cpu(), batch_first=True, enforce_sorted=False
        )
        out, _ = self.rnn(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(
            out, batch_first=True, total_length=ids.shape[1]
        )  # (B, T, 2H)
        logits = self.head(self.drop(out))  # (B, T, tags)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(
                logits.reshape(-1, len(TAGS)), targets.reshape(-1), ignore_index=IGNORE
            )
        return logits, loss


@dataclass
class Encoded:
    """One text's tokens as the tagger reads them."""

    ids: list[int]
    suffixes: list[int]
    features: list[list[float]]


def encode(tokens: list[str], vocab: Vocab, suffixes: Vocab) -> Encoded:
    return Encoded(
        vocab.encode(tokens),
        suffixes.encode(suffix(t) for t in tokens),
        shape_features(tokens),
    )


def collate(
    texts: list[Encoded], targets: list[list[int]] | None = None
) -> tuple[Tensor, ...]:
    """Pad texts into (ids, suffixes, features, lengths[, targets]) tensors."""
    lengths = torch.tensor([max(len(t.ids), 1) for t in texts])
    shape = (len(texts), int(lengths.max()))
    ids = torch.zeros(shape, dtype=torch.long)  # 0 is <pad> in both vocabularies
    ends = torch.zeros(shape, dtype=torch.long)
    features = torch.zeros(shape + (len(FEATURES),))
    for row, text in enumerate(texts):
        n = len(text.ids)
        ids[row, :n] = torch.tensor(text.ids, dtype=torch.long)
        ends[row, :n] = torch.tensor(text.suffixes, dtype=torch.long)
        features[row, :n] = torch.tensor(text.features).view(n, len(FEATURES))
    if targets is None:
        return ids, ends, features, lengths
    tags = torch.full(shape, IGNORE, dtype=torch.long)
    for row, target in enumerate(targets):
        tags[row, : len(target)] = torch.tensor(target, dtype=torch.long)
    return ids, ends, features, lengths, tags


@dataclass
class TokenTag:
    """One token: as read, as restored, its tag and how sure the tagger is."""

    token: str  # lower case, as the model read it
    restored: str  # written with its tag
    tag: str  # lower, Capitalised or UPPER
    probability: float  # P(tag)
    p_capital: float  # P(Capitalised) + P(UPPER): how name-like (for colouring)
    known: bool  # False: not in the vocabulary, read as <unk>


@dataclass
class Restoration:
    """What the truecaser makes of one text (JSON-ready via `to_dict`)."""

    text: str  # the input, lower-cased, with the case restored
    tokens: list[TokenTag]
    tokens_total: int  # tokens in the input; more than len(tokens) if it was cut
    notes: list[str] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.tokens_total > len(self.tokens)

    def to_dict(self) -> dict:
        return asdict(self) | {"truncated": self.truncated}


def _spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Where each token of `written_tokens(text)` sits in `text`, in order."""
    spans, position = [], 0
    for token in tokens:
        start = text.find(token, position)
        spans.append((start, start + len(token)))
        position = start + len(token)
    return spans


class Truecaser:
    """A trained tagger with its vocabularies, ready to restore capitals."""

    def __init__(
        self, model: TruecaseTagger, vocab: Vocab, suffixes: Vocab, metrics: dict
    ) -> None:
        self.model, self.vocab, self.suffixes = model.eval(), vocab, suffixes
        self.metrics = metrics

    @property
    def spellings(self) -> dict[str, str]:
        return self.model.config.spellings

    def _checked(self, text: str) -> str:
        """The text as the tagger reads it (NFKC, no HTML); InputError if unusable."""
        if not isinstance(text, str) or not text.strip():
            raise InputError(
                f"Type a few words in lower case first, for example: {EXAMPLES[0]}"
            )
        if len(text) > MAX_CHARS:
            raise InputError(
                f"That is {len(text):,} characters; type at most {MAX_CHARS:,} "
                "(a paragraph or two)."
            )
        text = unicodedata.normalize("NFKC", _HTML_TAG.sub(" ", html.unescape(text)))
        return text.replace("\u2019", "'")

    def tag_probabilities(self, token_lists: list[list[str]]) -> list[Tensor]:
        """P(tag) per token for many lower-case token lists: one (T, tags) each."""
        encoded = [encode(t, self.vocab, self.suffixes) for t in token_lists]
        with torch.no_grad():
            logits, _ = self.model(*collate(encoded))
        probabilities = torch.softmax(logits, dim=-1)
        return [probabilities[i, : len(t)] for i, t in enumerate(token_lists)]

    def restore(self, text: str) -> Restoration:
        """Lower-case the text, then give every token its most likely case."""
        text = self._checked(text)
        written = written_tokens(text)
        tokens = [t.casefold() for t in written]
        if not any(has_letter(t) for t in tokens):
            raise InputError(
                "There are no words here to capitalise (emoji, symbols and numbers "
                f"are skipped). Try: {EXAMPLES[0]}"
            )
        notes = []
        if len(tokens) > MAX_TOKENS:
            notes.append(
                f"This text has {len(tokens):,} words and punctuation marks; the "
                f"model reads the first {MAX_TOKENS}."
            )
        read = tokens[:MAX_TOKENS]
        if not any(t in self.vocab for t in read if has_letter(t)):
            raise InputError(
                "None of these words is in the model's vocabulary (it learnt from "
                f"BBC News). Try an English sentence, for example: {EXAMPLES[0]}"
            )
        probabilities = self.tag_probabilities([read])[0]  # (T, tags)
        tagged = [self._token(t, p) for t, p in zip(read, probabilities, strict=True)]
        return Restoration(
            text=self._rewrite(text, written[: len(read)], tagged),
            tokens=tagged,
            tokens_total=len(tokens),
            notes=notes,
        )

    def _token(self, token: str, probabilities: Tensor) -> TokenTag:
        if not has_letter(token):  # numbers and punctuation have no case
            return TokenTag(token, token, TAGS[LOWER], 1.0, 0.0, token in self.vocab)
        tag = int(probabilities.argmax())
        return TokenTag(
            token=token,
            restored=render(token, tag, self.spellings),
            tag=TAGS[tag],
            probability=round(float(probabilities[tag]), 4),
            p_capital=round(float(probabilities[CAPITALISED:].sum()), 4),
            known=token in self.vocab,
        )

    @staticmethod
    def _rewrite(text: str, written: list[str], tagged: list[TokenTag]) -> str:
        """The input with each token read replaced by its restored form; spaces and
        line breaks kept as typed, anything after the last token read dropped."""
        pieces, position = [], 0
        for (start, end), token in zip(_spans(text, written), tagged, strict=True):
            pieces += [text[position:start].casefold(), token.restored]
            position = end
        return "".join(pieces)


def load_truecaser(path: Path) -> Truecaser:
    """The truecaser of a saved 'truecase' checkpoint (CheckpointError if unusable)."""
    checkpoint = load_checkpoint(path, "truecase")
    try:
        config = dict(checkpoint.config)
        suffixes = Vocab(config.pop("suffixes"))
        model = TruecaseTagger(TruecaseConfig(**config))
        model.load_state_dict(checkpoint.state_dict)
    except (KeyError, TypeError, ValueError, RuntimeError) as error:
        raise CheckpointError(
            f"The 'truecase' checkpoint {path} does not fit the model: {error}. "
            "Rebuild it with: python -m engine train truecase"
        ) from error
    return Truecaser(model, checkpoint.vocab, suffixes, checkpoint.metrics)


# Default inputs for the page, written for the app (not from the corpus).
EXAMPLES = (
    "tony blair met gordon brown in london before the bbc interview on monday.",
    "shares in microsoft rose after bill gates said the new xbox would sell in "
    "japan and the us.",
    'the england captain said: "we played well." chelsea won 2-0 at stamford bridge.',
    "apple's ipod and sony's playstation were the best-selling gadgets of 2004.",
)
