"""8x8 handwritten digits for the "RNN shapes" page: one-to-one and one-to-many.

The data is scikit-learn's copy of the UCI optical digits (1,797 images, ink
0..16, CC BY 4.0), shipped byte for byte as engine/data/digits.csv.gz: each row
holds 64 pixel values, then the label.

- one-to-one: `OneStepClassifier` runs an RNN cell for exactly one time step
  (the 64 pixels are x_1, the state starts at zero), then a linear head.
- one-to-many: `SpellingDecoder` turns the image into the initial hidden state of
  a GRU that writes the digit's name letter by letter ("seven" -> s e v e n <eos>).
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from engine.checkpoints import default_path, load_checkpoint
from engine.errors import InputError
from engine.models import make_recurrent_layer
from engine.text import EOS, PAD, SPECIALS, Vocab

DATA_FILE = Path(__file__).parent / "data" / "digits.csv.gz"
CLASSIFIER_TASK, SPELLER_TASK = "digits", "digit-spelling"
DIGIT_NAMES = ("zero", "one", "two", "three", "four")
DIGIT_NAMES += ("five", "six", "seven", "eight", "nine")
SIDE, PIXELS, MAX_INK = 8, 64, 16.0
SPLIT_SEED = 0
VALID_SHARE, TEST_SHARE = 0.15, 0.15  # of each digit's images (stratified)
MAX_LETTERS = 8  # output steps at most: the speller stops here without <eos>
MAX_DRAWING_CHARS = 2000
PAD_ID = SPECIALS.index(PAD)  # padding after a short name: no loss there

# ---------------------------------------------------------------- data


@cache
def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """All images (1797, 8, 8) as float64 ink 0..16 and labels (1797,), file order.

    Read the way sklearn.datasets.load_digits() reads the same file, so both give
    identical arrays. The arrays are shared (cached): they are read-only.
    """
    with gzip.open(DATA_FILE, "rt") as handle:
        data = np.loadtxt(handle, delimiter=",")
    images = data[:, :-1].reshape(-1, SIDE, SIDE)
    labels = data[:, -1].astype(int)
    images.flags.writeable = labels.flags.writeable = False
    return images, labels


@dataclass(frozen=True)
class DigitSplit:
    """Row numbers of the train / valid / test images (sorted, disjoint)."""

    train: np.ndarray
    valid: np.ndarray
    test: np.ndarray

    def part(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(images (N, 8, 8), labels (N,)) of 'train', 'valid' or 'test'."""
        images, labels = load_digits()
        rows = getattr(self, name)
        return images[rows], labels[rows]

    def fingerprints(self) -> dict[str, str]:
        """A short hash of each part's rows and of the data file."""
        prints = {"file": hashlib.sha256(DATA_FILE.read_bytes()).hexdigest()[:16]}
        for name in ("train", "valid", "test"):
            rows = getattr(self, name).astype(np.int64).tobytes()
            prints[name] = hashlib.sha256(rows).hexdigest()[:16]
        return prints


@cache
def digit_split() -> DigitSplit:
    """A seeded split, stratified by digit: 70 / 15 / 15 % of every digit's images.

    The same split everywhere: training, benchmarks, tests and the page.
    """
    _, labels = load_digits()
    rng = np.random.default_rng(SPLIT_SEED)
    parts: dict[str, list[np.ndarray]] = {"train": [], "valid": [], "test": []}
    for digit in range(10):
        rows = rng.permutation(np.flatnonzero(labels == digit))
        n_test = round(TEST_SHARE * len(rows))
        n_valid = round(VALID_SHARE * len(rows))
        parts["test"].append(rows[:n_test])
        parts["valid"].append(rows[n_test : n_test + n_valid])
        parts["train"].append(rows[n_test + n_valid :])
    return DigitSplit(**{name: np.sort(np.concatenate(p)) for name, p in parts.items()})


def test_examples(n: int = 10, seed: int = 0) -> list[tuple[np.ndarray, int]]:
    """`n` held-out test images (8, 8) with their labels, drawn by `seed`."""
    images, labels = digit_split().part("test")
    if not isinstance(n, int | np.integer) or not 1 <= n <= len(labels):
        raise InputError(f"Ask for between 1 and {len(labels)} test images.")
    rows = np.random.default_rng(seed).choice(len(labels), size=n, replace=False)
    return [(images[i].copy(), int(labels[i])) for i in rows]


test_examples.__test__ = False  # its name is the API; pytest must not collect it


# ---------------------------------------------------------------- drawings

INK = {"#": 16.0, "@": 16.0, "+": 8.0, "o": 8.0, ".": 0.0, " ": 0.0, "-": 0.0}
DRAWING_HELP = (
    "Draw the digit as 8 lines of 8 characters: # for ink, + for light ink, "
    ". for paper."
)

# Drawn in the style of the data (centred, about 4 pixels wide, a crossed 7):
# the page offers them as starting points.
EXAMPLE_DRAWINGS = {
    "0": "\n".join(
        ["..+##+..", ".+#++#+.", ".+#..##.", ".##..+#.", ".#+..+#.", ".##..##."]
        + [".+#++#..", "..+##+.."]
    ),
    "1": "\n".join(
        ["...+#...", "..+##...", ".+###...", "...##...", "...##...", "...##..."]
        + ["...##...", "..+##+.."]
    ),
    "3": "\n".join(
        ["..+##+..", ".+#++#+.", "....+#..", "...+#+..", "....+#+.", ".....##."]
        + [".+++##+.", "..+##+.."]
    ),
    "4": "\n".join(
        ["....##..", "...##...", "..##....", ".+#..#+.", ".######.", "....##.."]
        + ["....##..", "....#+.."]
    ),
    "7": "\n".join(
        ["..+####.", "..+++##.", ".....#+.", "..+++#+.", "..+###+.", "....#+.."]
        + ["...+#...", "...#+..."]
    ),
}


def parse_drawing(text: str) -> np.ndarray:
    """8 lines of 8 characters -> an (8, 8) image of ink 0..16.

    '#' or '@' is full ink (16), '+' or 'o' half (8), '.', ' ' or '-' paper (0).
    Forgiven: trailing spaces, blank lines before and after, short lines (padded
    with paper), tabs (indentation shared by every line is dropped; any other tab
    is one paper cell). Anything else raises InputError saying what to type.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"The drawing is empty. {DRAWING_HELP}")
    if len(text) > MAX_DRAWING_CHARS:
        raise InputError(
            f"That is {len(text):,} characters; a drawing needs only 8 lines of 8. "
            + DRAWING_HELP
        )
    lines = [line.rstrip() for line in text.splitlines()]
    lines = [line.replace("\t", " ") for line in _drop_tab_indent(lines)]
    # Blank lines around the drawing are dropped, but only while there are more
    # than 8 lines: a row of spaces at the top or bottom is a row of paper.
    while len(lines) > SIDE and not lines[-1]:
        lines.pop()
    while len(lines) > SIDE and not lines[0]:
        lines.pop(0)
    if len(lines) != SIDE:
        count = f"{len(lines)} line" + ("s" if len(lines) != 1 else "")
        raise InputError(f"The drawing has {count}, not 8. {DRAWING_HELP}")
    for number, line in enumerate(lines, start=1):
        if len(line) > SIDE:
            raise InputError(
                f"Line {number} has {len(line)} characters; use at most 8. "
                + DRAWING_HELP
            )
    unknown = sorted({ch for line in lines for ch in line} - set(INK))
    if unknown:
        shown = " ".join(repr(ch) for ch in unknown[:5])
        raise InputError(f"The drawing may not contain {shown}. {DRAWING_HELP}")
    image = np.array([[INK[ch] for ch in line.ljust(SIDE)] for line in lines])
    if not image.any():
        raise InputError(f"The drawing has no ink. {DRAWING_HELP}")
    return image


def _drop_tab_indent(lines: list[str]) -> list[str]:
    """Remove the leading tabs every non-blank line shares (a pasted indent)."""
    drawn = [line for line in lines if line]
    indent = min((len(line) - len(line.lstrip("\t")) for line in drawn), default=0)
    return [line[indent:] for line in lines]


def drawing_of(image: np.ndarray | Tensor | list) -> str:
    """An image as text: '#' for ink >= 12, '+' for ink >= 4, '.' below."""
    pixels = as_image(image)
    return "\n".join(
        "".join("#" if v >= 12 else "+" if v >= 4 else "." for v in row)
        for row in pixels
    )


def as_image(image: np.ndarray | Tensor | list) -> np.ndarray:
    """Check an image (64 values of ink 0..16, any shape) -> (8, 8) float64."""
    try:
        pixels = np.asarray(image, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(f"That is not an image. {DRAWING_HELP}") from error
    if pixels.size != PIXELS:
        raise InputError(
            f"An image has 8 x 8 = 64 pixels, not {pixels.size}. {DRAWING_HELP}"
        )
    if not np.isfinite(pixels).all() or pixels.min() < 0 or pixels.max() > MAX_INK:
        raise InputError("Every pixel must be ink between 0 (paper) and 16 (full).")
    return pixels.reshape(SIDE, SIDE)


def _pixels_in(images: np.ndarray | Tensor) -> Tensor:
    """(B, 8, 8) or (B, 64) ink 0..16 -> (B, 64) floats 0..1 for the networks."""
    return torch.as_tensor(images, dtype=torch.float32).reshape(-1, PIXELS) / MAX_INK


# ---------------------------------------------------------------- one-to-one


@dataclass
class ClassifierConfig:
    """The one-step RNN classifier; stored in its checkpoint."""

    hidden_size: int = 64  # length of the hidden state h_1

    def to_dict(self) -> dict:
        return asdict(self)


class OneStepClassifier(nn.Module):
    """One-to-one: an RNN cell runs one step from h_0 = 0, then a linear head.

    h_1 = tanh(W_ih x_1 + b_ih + W_hh h_0 + b_hh) with h_0 = 0, so W_hh is never
    used: with a single input the loop never turns and the RNN is a plain layer.
    """

    def __init__(self, config: ClassifierConfig) -> None:
        super().__init__()
        self.config = config
        self.rnn = nn.RNN(PIXELS, config.hidden_size, batch_first=True)
        self.head = nn.Linear(config.hidden_size, 10)

    def hidden(self, images: Tensor) -> Tensor:
        """h_1 for each image: (B, H)."""
        x = _pixels_in(images).unsqueeze(1)  # (B, 1, 64): one time step
        _, h_n = self.rnn(x)  # h_0 defaults to zeros
        return h_n[0]

    def forward(
        self, images: Tensor, labels: Tensor | None = None
    ) -> tuple[Tensor, Tensor | None]:
        logits = self.head(self.hidden(images))  # (B, 10)
        loss = F.cross_entropy(logits, labels) if labels is not None else None
        return logits, loss


class DigitClassifier:
    """The trained one-step classifier, ready for single images."""

    def __init__(self, model: OneStepClassifier, metrics: dict) -> None:
        self.model, self.metrics = model.eval(), metrics

    def probabilities(self, images: np.ndarray | Tensor) -> Tensor:
        """P(digit) for a batch of images: (B, 10)."""
        with torch.no_grad():
            return self.model(images)[0].softmax(dim=1)

    def classify(self, image: np.ndarray | Tensor | list) -> list[tuple[int, float]]:
        """All ten (digit, probability) pairs, most likely first."""
        probs = self.probabilities(as_image(image)[None])[0]
        order = probs.argsort(descending=True).tolist()
        return [(digit, float(probs[digit])) for digit in order]

    def hidden(self, image: np.ndarray | Tensor | list) -> list[float]:
        """The hidden state h_1 the head reads, for showing."""
        with torch.no_grad():
            return self.model.hidden(as_image(image)[None])[0].tolist()


def load_digit_classifier(path: Path | None = None) -> DigitClassifier:
    """The shipped (or given) one-step classifier; CheckpointError if unusable."""
    checkpoint = load_checkpoint(path or default_path(CLASSIFIER_TASK), CLASSIFIER_TASK)
    model = OneStepClassifier(ClassifierConfig(**checkpoint.config))
    model.load_state_dict(checkpoint.state_dict)
    return DigitClassifier(model, checkpoint.metrics)


# ---------------------------------------------------------------- one-to-many


def letter_vocab() -> Vocab:
    """<pad> <unk> <eos> <blank>, then the letters of the ten names, a to z."""
    return Vocab(list(SPECIALS) + sorted(set("".join(DIGIT_NAMES))))


def spelling_ids(digit: int, vocab: Vocab) -> tuple[list[int], list[int]]:
    """Decoder inputs and targets for one name, e.g. for "six":
    inputs <eos> s i x, targets s i x <eos>. <eos> also starts the word
    ("nothing written yet"), so the decoder needs no extra start token."""
    letters = vocab.encode(DIGIT_NAMES[digit])
    return [vocab.eos_id] + letters, letters + [vocab.eos_id]


@dataclass
class SpellerConfig:
    """The image-to-name speller; stored in its checkpoint."""

    cell: str = "gru"  # gru, lstm or rnn
    vocab_size: int = 19  # the specials and the 15 letters of the names
    embed_size: int = 16  # length of each letter vector
    hidden_size: int = 64  # length of the hidden state h_t

    def to_dict(self) -> dict:
        return asdict(self)


class SpellingDecoder(nn.Module):
    """One-to-many: the image sets h_0, then a GRU writes the name letter by letter,
    each step reading the letter it wrote last."""

    def __init__(self, config: SpellerConfig) -> None:
        super().__init__()
        self.config = config
        self.encoder = nn.Linear(PIXELS, config.hidden_size)
        self.embedding = nn.Embedding(config.vocab_size, config.embed_size)
        self.rnn = make_recurrent_layer(
            config.cell, config.embed_size, config.hidden_size
        )
        self.head = nn.Linear(config.hidden_size, config.vocab_size)

    def initial_state(self, images: Tensor) -> Tensor | tuple[Tensor, Tensor]:
        """The image as the decoder's starting state: (1, B, H), plus c_0 for LSTM."""
        h_0 = torch.tanh(self.encoder(_pixels_in(images))).unsqueeze(0)
        if self.config.cell == "lstm":
            return h_0, torch.zeros_like(h_0)
        return h_0

    def step(self, letters: Tensor, state) -> tuple[Tensor, object]:
        """One step: the previous letters (B, T) -> logits (B, T, V) and the state."""
        out, state = self.rnn(self.embedding(letters), state)  # (B, T, H)
        return self.head(out), state

    def forward(
        self, images: Tensor, inputs: Tensor, targets: Tensor | None = None
    ) -> tuple[Tensor, Tensor | None]:
        # teacher forcing: every step reads the true previous letter
        logits, _ = self.step(inputs, self.initial_state(images))  # (B, T, V)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(
                logits.flatten(0, 1), targets.flatten(), ignore_index=PAD_ID
            )
        return logits, loss


@dataclass
class LetterStep:
    """One output step: the letter written and what else it considered."""

    letter: str  # a letter, or "<eos>" for "the word ends here"
    probability: float
    top: list[tuple[str, float]]  # the most likely choices, best (= chosen) first


@dataclass
class Spelling:
    """What the speller wrote for one image."""

    word: str  # the letters, without <eos>
    steps: list[LetterStep] = field(default_factory=list)
    finished: bool = True  # False: cut at MAX_LETTERS without writing <eos>

    @property
    def digit(self) -> int | None:
        """The digit whose name it wrote, or None for a word that is no name."""
        return DIGIT_NAMES.index(self.word) if self.word in DIGIT_NAMES else None

    def to_dict(self) -> dict:
        return {
            "word": self.word,
            "digit": self.digit,
            "finished": self.finished,
            "steps": [
                {
                    "letter": s.letter,
                    "probability": round(s.probability, 4),
                    "top": [[t, round(p, 4)] for t, p in s.top],
                }
                for s in self.steps
            ],
        }


class DigitSpeller:
    """The trained speller: greedy decoding, one letter at a time."""

    def __init__(self, model: SpellingDecoder, vocab: Vocab, metrics: dict) -> None:
        self.model, self.vocab, self.metrics = model.eval(), vocab, metrics
        # only letters and <eos> may be written; the other specials never are
        writable = torch.full((len(vocab),), float("-inf"))
        writable[[i for i, t in enumerate(vocab.itos) if t not in SPECIALS]] = 0.0
        writable[vocab.eos_id] = 0.0
        self._mask = writable

    def spell(self, image: np.ndarray | Tensor | list, k: int = 3) -> Spelling:
        """Write the name, feeding back each chosen letter, until <eos> or 8 letters."""
        return self.spell_batch(as_image(image)[None], k)[0]

    def spell_batch(self, images: np.ndarray | Tensor, k: int = 3) -> list[Spelling]:
        """Greedy spellings for a batch (B, 8, 8) of checked images."""
        k = min(max(int(k), 1), len(self.vocab) - len(SPECIALS) + 1)
        spellings = [Spelling("", finished=False) for _ in range(len(images))]
        with torch.no_grad():
            state = self.model.initial_state(images)
            previous = torch.full((len(images), 1), self.vocab.eos_id)
            for _ in range(MAX_LETTERS):
                logits, state = self.model.step(previous, state)
                probs = (logits[:, -1] + self._mask).softmax(dim=1)  # (B, V)
                top = probs.topk(k)
                previous = top.indices[:, :1]  # greedy: feed back the best letter
                for spelling, values, ids in zip(
                    spellings, top.values.tolist(), top.indices.tolist(), strict=True
                ):
                    if not spelling.finished:
                        self._write(spelling, values, ids)
                if all(s.finished for s in spellings):
                    break
        return spellings

    def _write(self, spelling: Spelling, values: list, ids: list) -> None:
        choices = [(self.vocab.itos[i], p) for p, i in zip(values, ids, strict=True)]
        letter, probability = choices[0]
        spelling.steps.append(LetterStep(letter, probability, choices))
        if letter == EOS:
            spelling.finished = True
        else:
            spelling.word += letter


def load_digit_speller(path: Path | None = None) -> DigitSpeller:
    """The shipped (or given) speller; CheckpointError if unusable."""
    checkpoint = load_checkpoint(path or default_path(SPELLER_TASK), SPELLER_TASK)
    model = SpellingDecoder(SpellerConfig(**checkpoint.config))
    model.load_state_dict(checkpoint.state_dict)
    return DigitSpeller(model, checkpoint.vocab or letter_vocab(), checkpoint.metrics)
