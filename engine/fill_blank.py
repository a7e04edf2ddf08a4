"""Fill the missing word: one network that reads a sentence from both ends.

Why one model with three heads, not three models: a forward LSTM reads the words
left of the blank, a backward LSTM reads the words right of it, and three output
heads guess the blank from the forward state only, the backward state only, or
both together. Because all three share the same word vectors and the same two
readers, the difference between their answers is only *which side of the
sentence they could see*, which is the lesson of the demo. One training run
(three losses added) also costs a third of three runs.

The two directions are two separate LSTMs (as in ELMo), not one
`nn.LSTM(bidirectional=True)` with two layers: in a stacked bidirectional LSTM the
second layer reads both directions of the first, so the "forward" state at a
word would already have seen the word itself.

A sentence is read as  <eos> w1 ... wn <eos>.  For the word at position t the
forward state after w(t-1) and the backward state after w(t+1) never contain w(t),
so every word of every training sentence is a fill-in exercise at once.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from engine.errors import InputError
from engine.review_grammar import words
from engine.sentiment import clean_text
from engine.text import BLANK, SPECIALS, Vocab, shown_word, tokenize

# Function words: blanking them would make the exercise a grammar quiz. The
# benchmark blanks only other words ("content words").
STOP_WORDS = frozenset(
    words(
        "a about above after again against all also am an and any are as at be "
        "because been before being below between both but by can could did do does "
        "doing down during each few for from further had has have having he her here "
        "hers herself him himself his how i if in into is it its itself just me more "
        "most my myself no nor not now of off on once only or other our ours "
        "ourselves out over own same she should so some such than that the their "
        "theirs them themselves then there these they this those through to too "
        "under until up very was we were what when where which while who whom why "
        "will with would you your yours yourself yourselves said says say mr mrs ms "
        "one two also it's he's she's i'm we're they're don't didn't can't won't "
        "isn't wasn't aren't there's that's us may might must shall yet us"
    )
)

_WORD_RE = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    words("mr mrs ms dr st prof gen sen rep gov jr sr no vs co corp inc ltd lt col")
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"']?\s+(?=[\"'(]?[A-Z0-9])")


def is_word(token: str) -> bool:
    """A word (letters, maybe an inner apostrophe), not punctuation or a number."""
    return bool(_WORD_RE.fullmatch(token))


def is_content_word(token: str) -> bool:
    return is_word(token) and token not in STOP_WORDS


def split_sentences(paragraph: str) -> list[str]:
    """Cut a paragraph into sentences at . ! ? followed by a capital or a digit,
    but not after "Mr." or "Dr." and the like. A closing quote right after the
    stop goes with the break (it is not a word anyone could fill in)."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : match.start()].rstrip("\"'")
        last_word = before.rsplit(None, 1)[-1].rstrip(".").lower() if before else ""
        if last_word in _ABBREVIATIONS or len(last_word) == 1:  # "J. Smith"
            continue
        sentences.append(paragraph[start : match.start()].strip())
        start = match.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


@dataclass
class FillBlankConfig:
    """The shape of the fill-in model; stored in its checkpoint."""

    vocab_size: int = 10_000
    embed_size: int = 256  # word vectors, also the output layer's (tied) rows
    hidden_size: int = 256  # per direction
    num_layers: int = 2  # per direction
    dropout: float = 0.3
    blank_rate: float = 0.1  # training: share of input words shown as <blank>

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Reading:
    """What the three heads say about every position of one or more sentences."""

    forward: Tensor  # (B, T, V) logits: the word at t from the words before it
    backward: Tensor  # (B, T, V) logits: from the words after it
    both: Tensor  # (B, T, V) logits: from both sides
    forward_states: Tensor  # (B, T, H) top-layer forward state after each input
    backward_states: Tensor  # (B, T, H) top-layer backward state after each input


class FillBlankModel(nn.Module):
    """Embedding -> forward LSTM and backward LSTM -> three heads -> tied decoder."""

    def __init__(self, config: FillBlankConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.embedding = nn.Embedding(c.vocab_size, c.embed_size)
        lstm = {"num_layers": c.num_layers, "batch_first": True}
        lstm["dropout"] = c.dropout if c.num_layers > 1 else 0.0
        self.forward_rnn = nn.LSTM(c.embed_size, c.hidden_size, **lstm)
        self.backward_rnn = nn.LSTM(c.embed_size, c.hidden_size, **lstm)
        self.drop = nn.Dropout(c.dropout)
        # Each head turns a state into a word vector; the decoder scores it
        # against every word's own vector (weights tied to the embedding).
        self.forward_head = nn.Linear(c.hidden_size, c.embed_size)
        self.backward_head = nn.Linear(c.hidden_size, c.embed_size)
        # The joint head mixes both states through a hidden layer, so it can
        # use combinations ("sat" on the right *and* "the" on the left).
        self.both_head = nn.Sequential(
            nn.Linear(2 * c.hidden_size, 2 * c.hidden_size),
            nn.Tanh(),
            nn.Linear(2 * c.hidden_size, c.embed_size),
        )
        self.decoder_bias = nn.Parameter(torch.zeros(c.vocab_size))
        nn.init.uniform_(self.embedding.weight, -0.1, 0.1)

    def decode(self, vectors: Tensor) -> Tensor:
        """Word vectors from a head -> a score (logit) for every word."""
        return F.linear(self.drop(vectors), self.embedding.weight, self.decoder_bias)

    def read(self, ids: Tensor, lengths: Tensor, decode: bool = True) -> Reading:
        """Read padded sentences (B, T) of the given lengths (pads on the right).

        The logits at position t guess the word at t; positions 0 and len-1 (the
        boundary markers) get no guess (zeros).
        """
        batch, steps = ids.shape
        vectors = self.drop(self.embedding(ids))
        forward_out, _ = self.forward_rnn(vectors)
        # The backward LSTM is an ordinary LSTM reading each sentence reversed
        # (within its own length, so padding is never read before a word).
        reverse = _reversal_index(lengths, steps)
        backward_out, _ = self.backward_rnn(_gather_steps(vectors, reverse))
        backward_out = _gather_steps(backward_out, reverse)  # back in word order
        # left[t] = forward state after w(t-1); right[t] = backward state after w(t+1)
        left = F.pad(forward_out[:, :-1], (0, 0, 1, 0))
        right = F.pad(backward_out[:, 1:], (0, 0, 0, 1))
        heads = (
            self.forward_head(self.drop(left)),
            self.backward_head(self.drop(right)),
            self.both_head(self.drop(torch.cat([left, right], dim=-1))),
        )
        if decode:
            heads = tuple(self.decode(h) for h in heads)
        return Reading(*heads, forward_out, backward_out)

    def heads_at(self, ids: Tensor, position: int) -> tuple[Tensor, Tensor, Tensor]:
        """The three heads' word vectors at one position of one sentence (ids:
        (T,), markers included), reading only what each side needs: the words
        before it forward, the words after it backward. Same numbers as `read`
        at that position, for about half the work."""
        vectors = self.drop(self.embedding(ids[None]))  # (1, T, E)
        left_out, _ = self.forward_rnn(vectors[:, :position])
        right_out, _ = self.backward_rnn(vectors[:, position + 1 :].flip(1))
        left, right = left_out[0, -1], right_out[0, -1]
        return (
            self.forward_head(left),
            self.backward_head(right),
            self.both_head(torch.cat([left, right])),
        )

    def forward(self, ids: Tensor, lengths: Tensor) -> tuple[None, Tensor]:
        """Training: the sum of the three heads' losses over every word.

        Some input words are shown as <blank> (never the guessed word's own
        input, which no head can see anyway), so the model learns to read
        sentences with other blanks in them.
        """
        inputs = ids
        if self.training and self.config.blank_rate > 0:
            hide = torch.rand(ids.shape, device=ids.device) < self.config.blank_rate
            inputs = ids.masked_fill(hide & (ids > BLANK_ID), BLANK_ID)
        reading = self.read(inputs, lengths, decode=False)
        positions = torch.arange(ids.shape[1], device=ids.device)
        inside = (positions >= 1) & (positions[None, :] < (lengths[:, None] - 1))
        targets = ids[inside]
        loss = sum(
            F.cross_entropy(self.decode(head[inside]), targets)
            for head in (reading.forward, reading.backward, reading.both)
        )
        return None, loss


BLANK_ID = SPECIALS.index(BLANK)  # every vocabulary starts with the specials


def _reversal_index(lengths: Tensor, steps: int) -> Tensor:
    """(B, T) index that reverses the first len(b) steps of row b, keeps the rest."""
    positions = torch.arange(steps, device=lengths.device)[None, :]
    flipped = lengths[:, None] - 1 - positions
    return torch.where(flipped >= 0, flipped, positions)


def _gather_steps(values: Tensor, index: Tensor) -> Tensor:
    return values.gather(1, index[..., None].expand(-1, -1, values.shape[-1]))


# --------------------------------------------------------------------- reading text
MAX_CONTEXT = 60  # tokens read on each side of a blank; the rest is cut, with a note
MAX_BLANKS = 10  # more blanks than this are read as a mistake
VIEWS = ("forward", "backward", "both")


@dataclass
class Candidate:
    word: str
    probability: float


@dataclass
class BlankGuess:
    """The three views' answers for one blank, and what each side could see."""

    position: int  # index of the blank in Filling.tokens
    tokens: list[str]  # the sentence as read at this step (earlier blanks filled)
    forward: list[Candidate]
    backward: list[Candidate]
    both: list[Candidate]
    window: tuple[int, int]  # the token range [start, end) that was read
    # (T, H): each reader's state after each token of the window and its markers;
    # only filled when asked for (fill(..., states=True)), as the page does
    forward_states: Tensor | None = None
    backward_states: Tensor | None = None

    @property
    def choice(self) -> str:
        """The word filled in: the bidirectional answer's first choice."""
        return self.both[0].word

    def ranked(self, view: str) -> list[Candidate]:
        return getattr(self, view)


@dataclass
class Filling:
    """A text with one or more blanks, filled one blank at a time, left to right."""

    tokens: list[str]  # the text's tokens; "<blank>" where a word is missing
    steps: list[BlankGuess] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # words the model never saw
    notes: list[str] = field(default_factory=list)

    @property
    def blanks(self) -> list[int]:
        return [step.position for step in self.steps]

    @property
    def filled(self) -> list[str]:
        tokens = list(self.tokens)
        for step in self.steps:
            tokens[step.position] = step.choice
        return tokens


class FillBlankReader:
    """Fills blanks with a trained FillBlankModel; ready for the app and the CLI."""

    def __init__(self, model: FillBlankModel, vocab: Vocab) -> None:
        self.model, self.vocab = model.eval(), vocab
        # Only words can fill a blank: no punctuation, numbers or markers.
        self.fillable = torch.tensor([is_word(t) for t in vocab.itos])

    def distributions(
        self, ids: list[int], position: int, states: bool = False
    ) -> dict[str, Tensor]:
        """P(word at `position`) under each view, over the fillable words (ids
        include the <eos> markers); with `states`, also both readers' hidden
        states after every token (for the heatmaps: a full read of both ways)."""
        result = {}
        with torch.no_grad():
            sentence = torch.tensor(ids)
            # decode only the blank's position: scoring 10,000 words at every
            # position would cost ~50x more
            heads = self.model.heads_at(sentence, position)
            for view, vector in zip(VIEWS, heads, strict=True):
                logits = self.model.decode(vector)
                logits = logits.masked_fill(~self.fillable, float("-inf"))
                result[view] = torch.softmax(logits, dim=0)
            if states:
                reading = self.model.read(
                    sentence[None], torch.tensor([len(ids)]), decode=False
                )
                result["forward_states"] = reading.forward_states[0]
                result["backward_states"] = reading.backward_states[0]
        return result

    def top(self, probabilities: Tensor, k: int) -> list[Candidate]:
        values, ids = probabilities.topk(k)
        return [
            Candidate(self.vocab.itos[i], round(float(p), 6))
            for p, i in zip(values.tolist(), ids.tolist(), strict=True)
        ]

    def fill(self, text: str, k: int = 5, states: bool = False) -> Filling:
        """Fill every blank (`___`) of a text, left to right.

        Raises InputError with a friendly message when there is nothing to fill.
        """
        cleaned = clean_text(text)
        tokens = tokenize(cleaned.text)
        filling = Filling(tokens)
        if cleaned.removed:
            filling.notes.append(f"Left out: {', '.join(cleaned.removed)}.")
        positions = [i for i, t in enumerate(tokens) if t == BLANK]
        if not positions:
            raise InputError(
                "There is no blank to fill. Write ___ (three underscores) where a "
                "word is missing, for example: The ___ sat on the mat."
            )
        if len(positions) > MAX_BLANKS:
            raise InputError(
                f"That text has {len(positions)} blanks; {MAX_BLANKS} at most, "
                "please. Each blank needs words around it to be guessed."
            )
        if len(positions) == len(tokens):
            raise InputError(
                "There are only blanks here: add some words around the ___ so "
                "the model has something to read."
            )
        filling.unknown = sorted(
            {shown_word(t) for t in tokens if t != BLANK and t not in self.vocab}
        )
        current = list(tokens)
        for position in positions:
            step = self._guess(current, position, k, states)
            filling.steps.append(step)
            current[position] = step.choice
        if len(tokens) > 2 * MAX_CONTEXT + 1:
            filling.notes.append(
                f"The text is long: the model reads up to {MAX_CONTEXT} words on "
                "each side of a blank."
            )
        return filling

    def _guess(
        self, tokens: list[str], position: int, k: int, states: bool = False
    ) -> BlankGuess:
        start = max(0, position - MAX_CONTEXT)
        end = min(len(tokens), position + MAX_CONTEXT + 1)
        window = tokens[start:end]
        ids = [self.vocab.eos_id, *self.vocab.encode(window), self.vocab.eos_id]
        at = position - start + 1  # +1: the <eos> in front
        found = self.distributions(ids, at, states)
        k = max(1, min(k, int(self.fillable.sum())))
        return BlankGuess(
            position=position,
            tokens=list(tokens),
            forward=self.top(found["forward"], k),
            backward=self.top(found["backward"], k),
            both=self.top(found["both"], k),
            window=(start, end),
            forward_states=found.get("forward_states"),
            backward_states=found.get("backward_states"),
        )

    def rank_of(self, text: str, word: str, view: str) -> int | None:
        """Where `word` ranks (1 = first) for the text's first blank."""
        if word not in self.vocab:
            return None
        tokens = tokenize(text)
        position = tokens.index(BLANK)
        ids = [self.vocab.eos_id, *self.vocab.encode(tokens), self.vocab.eos_id]
        probabilities = self.distributions(ids, position + 1)[view]
        better = probabilities > probabilities[self.vocab.stoi[word]]
        return int(better.sum()) + 1
