"""Two RNN shapes on 8x8 handwritten digits (see engine/digits.py).

- "digits" (one-to-one): an RNN cell run for one step classifies an image.
- "digit-spelling" (one-to-many): the image sets a GRU's first hidden state and
  the GRU spells the digit's name, letter by letter.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from engine.checkpoints import Checkpoint, save_checkpoint
from engine.digits import (
    CLASSIFIER_TASK,
    DIGIT_NAMES,
    MAX_LETTERS,
    PAD_ID,
    SPELLER_TASK,
    ClassifierConfig,
    DigitClassifier,
    DigitSpeller,
    OneStepClassifier,
    SpellerConfig,
    SpellingDecoder,
    digit_split,
    letter_vocab,
    load_digit_classifier,
    load_digit_speller,
    parse_drawing,
    spelling_ids,
)
from engine.errors import InputError
from engine.models import count_parameters
from engine.tasks import Task
from engine.text import EOS, Vocab
from engine.train import Progress, TrainConfig, Trainer, one_thread, set_seed

BATCH_SIZE = 32
QUICK_TRAIN_IMAGES = 200  # --quick: a tiny model in seconds, for tests


def _training_images(quick: bool) -> tuple:
    """(train images, train labels, valid images, valid labels) as tensors."""
    split = digit_split()
    train_x, train_y = split.part("train")
    valid_x, valid_y = split.part("valid")
    if quick:
        train_x, train_y = train_x[:QUICK_TRAIN_IMAGES], train_y[:QUICK_TRAIN_IMAGES]
    return (
        torch.tensor(train_x, dtype=torch.float32),
        torch.tensor(train_y),
        torch.tensor(valid_x, dtype=torch.float32),
        torch.tensor(valid_y),
    )


def _batches(*tensors: torch.Tensor, seed: int) -> list[tuple[torch.Tensor, ...]]:
    """Seeded shuffled batches; the Trainer also shuffles their order each epoch."""
    order = torch.randperm(
        len(tensors[0]), generator=torch.Generator().manual_seed(seed)
    )
    return [
        tuple(t[order[i : i + BATCH_SIZE]] for t in tensors)
        for i in range(0, len(order), BATCH_SIZE)
    ]


def _train_metrics(result, began: float, quick: bool) -> dict:
    return {
        "valid_loss": round(result.best_valid_loss, 4),
        "epochs": result.epochs_run,
        "stopped_because": result.stopped_because,
        "train_seconds": round(time.perf_counter() - began, 1),
        "quick": quick,
    }


def _p95_ms(run: Callable[[], object], repeats: int) -> float:
    """95th percentile of the wall time of `run`, on one thread as the app runs."""
    timings = []
    with one_thread():
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return round(timings[int(0.95 * (len(timings) - 1))], 3)


def _drawings(texts: list[str]) -> list[np.ndarray]:
    """CLI drawings: rows separated by newlines or '/' ("..##../.#..#./...")."""
    if not texts:
        raise InputError("Give at least one drawing, e.g. ..####../.##..##./...")
    return [parse_drawing(text.replace("/", "\n")) for text in texts]


def _majority_digit(labels: np.ndarray) -> int:
    """The most frequent training digit (the smallest one on a tie)."""
    return int(np.bincount(labels, minlength=10).argmax())


# ---------------------------------------------------------------- one-to-one


def train_classifier(
    quick: bool, out: Path, on_step: Callable[[Progress], None] | None = None
) -> dict:
    set_seed(0)
    train_x, train_y, valid_x, valid_y = _training_images(quick)
    config = ClassifierConfig(hidden_size=16 if quick else 64)
    model = OneStepClassifier(config)
    began = time.perf_counter()
    result = Trainer(
        model,
        TrainConfig(epochs=2 if quick else 100, lr=3e-3, patience=8),
        on_step=on_step,
    ).fit(_batches(train_x, train_y, seed=0), _batches(valid_x, valid_y, seed=1))
    reader = DigitClassifier(model, {})
    metrics = _train_metrics(result, began, quick)
    metrics["valid_accuracy"] = round(_classifier_accuracy(reader, "valid"), 4)
    metrics["held_out"] = classifier_held_out(reader)  # what the page shows
    save_checkpoint(
        Checkpoint(
            CLASSIFIER_TASK,
            model.state_dict(),
            config.to_dict(),
            None,
            digit_split().fingerprints(),
            metrics,
        ),
        out,
        half=True,
    )
    return metrics


def _classifier_accuracy(reader: DigitClassifier, part: str) -> float:
    images, labels = digit_split().part(part)
    predicted = reader.probabilities(np.asarray(images)).argmax(1).numpy()
    return float((predicted == labels).mean())


def predict_classifier(texts: list[str], checkpoint: Path, k: int = 3) -> list[dict]:
    reader = load_digit_classifier(checkpoint)
    results = []
    for text, image in zip(texts, _drawings(texts), strict=True):
        ranked = reader.classify(image)[: min(max(k, 1), 10)]
        results.append(
            {
                "drawing": text,
                "digit": ranked[0][0],
                "ranked": [{"digit": d, "probability": round(p, 4)} for d, p in ranked],
            }
        )
    return results


def classifier_held_out(reader: DigitClassifier) -> dict:
    """Accuracy on the test images, and the trivial baseline's on the same ones."""
    _, labels = digit_split().part("test")
    majority = _majority_digit(digit_split().part("train")[1])
    return {
        "accuracy": round(_classifier_accuracy(reader, "test"), 4),
        "baseline": round(float((labels == majority).mean()), 4),
        "baseline_name": f"always the most frequent training digit ({majority})",
        "n_test": len(labels),
    }


def bench_classifier(quick: bool, checkpoint: Path) -> dict:
    reader = load_digit_classifier(checkpoint)
    images, labels = digit_split().part("test")
    predicted = reader.probabilities(np.asarray(images)).argmax(1).numpy()
    hidden = reader.model.config.hidden_size
    per_digit = {
        str(d): round(float((predicted[labels == d] == d).mean()), 4) for d in range(10)
    }
    return {
        "task": CLASSIFIER_TASK,
        **classifier_held_out(reader),
        "accuracy_per_digit": per_digit,
        "predict_p95_ms": _p95_ms(
            lambda: reader.classify(images[0]), 50 if quick else 500
        ),
        "parameters": count_parameters(reader.model),
        # W_hh multiplies h_0 = 0: with one time step it never changes the output
        "unused_recurrent_weights": hidden * hidden,
        "checkpoint_kb": round(Path(checkpoint).stat().st_size / 1024, 1),
        "split": "stratified by digit, seed 0: 70/15/15 %",
        "trained_metrics": reader.metrics,
    }


TASK_DIGITS = Task(
    name=CLASSIFIER_TASK,
    summary="digits: one-to-one, an RNN cell run one step classifies an 8x8 digit",
    train=train_classifier,
    predict=predict_classifier,
    bench=bench_classifier,
)


# ---------------------------------------------------------------- one-to-many


def _spelling_tensors(labels: torch.Tensor, vocab: Vocab) -> tuple:
    """Decoder inputs and targets (N, T) for each label, padded with <pad>."""
    length = max(len(name) for name in DIGIT_NAMES) + 1  # letters + <eos>
    inputs = torch.full((len(labels), length), PAD_ID)
    targets = torch.full((len(labels), length), PAD_ID)
    for row, digit in enumerate(labels.tolist()):
        x, y = spelling_ids(digit, vocab)
        inputs[row, : len(x)] = torch.tensor(x)
        targets[row, : len(y)] = torch.tensor(y)
    return inputs, targets


def train_speller(
    quick: bool, out: Path, on_step: Callable[[Progress], None] | None = None
) -> dict:
    set_seed(0)
    vocab = letter_vocab()
    train_x, train_y, valid_x, valid_y = _training_images(quick)
    config = SpellerConfig(
        vocab_size=len(vocab),
        embed_size=8 if quick else 16,
        hidden_size=16 if quick else 64,
    )
    model = SpellingDecoder(config)
    began = time.perf_counter()
    result = Trainer(
        model,
        TrainConfig(epochs=2 if quick else 100, lr=3e-3, patience=8),
        on_step=on_step,
    ).fit(
        _batches(train_x, *_spelling_tensors(train_y, vocab), seed=0),
        _batches(valid_x, *_spelling_tensors(valid_y, vocab), seed=1),
    )
    reader = DigitSpeller(model, vocab, {})
    metrics = _train_metrics(result, began, quick)
    metrics["valid_exact_match"] = _spelling_scores(reader, "valid")["exact_match"]
    metrics["held_out"] = speller_held_out(reader)  # what the page shows
    save_checkpoint(
        Checkpoint(
            SPELLER_TASK,
            model.state_dict(),
            config.to_dict(),
            vocab,
            digit_split().fingerprints(),
            metrics,
        ),
        out,
        half=True,
    )
    return metrics


def _letters_right(written: list[str], name: str) -> int:
    """How many of the name's letters and its final <eos> the output matches,
    position by position."""
    truth = list(name) + [EOS]
    return sum(w == t for w, t in zip(written, truth, strict=False))


def _spelling_scores(reader: DigitSpeller, part: str) -> dict:
    images, labels = digit_split().part(part)
    spellings = reader.spell_batch(np.asarray(images))
    names = [DIGIT_NAMES[d] for d in labels]
    written = [[s.letter for s in spelling.steps] for spelling in spellings]
    return {
        "exact_match": round(
            float(
                np.mean([s.word == n for s, n in zip(spellings, names, strict=True)])
            ),
            4,
        ),
        "letter_accuracy": round(
            sum(_letters_right(w, n) for w, n in zip(written, names, strict=True))
            / sum(len(n) + 1 for n in names),
            4,
        ),
        "non_words": sum(s.digit is None for s in spellings),
        "n": len(labels),
    }


def predict_spelling(texts: list[str], checkpoint: Path, k: int = 3) -> list[dict]:
    reader = load_digit_speller(checkpoint)
    return [
        {"drawing": text} | reader.spell(image, k).to_dict()
        for text, image in zip(texts, _drawings(texts), strict=True)
    ]


def speller_held_out(reader: DigitSpeller) -> dict:
    """Exact-match spelling on the test images, and the trivial baseline's."""
    _, labels = digit_split().part("test")
    majority = _majority_digit(digit_split().part("train")[1])
    return {
        "accuracy": _spelling_scores(reader, "test")["exact_match"],
        "baseline": round(float((labels == majority).mean()), 4),
        "baseline_name": "always the most frequent training digit's name: "
        + DIGIT_NAMES[majority],
        "n_test": len(labels),
    }


def bench_speller(quick: bool, checkpoint: Path) -> dict:
    reader = load_digit_speller(checkpoint)
    images, labels = digit_split().part("test")
    majority = _majority_digit(digit_split().part("train")[1])
    name = DIGIT_NAMES[majority]
    scores = _spelling_scores(reader, "test")
    baseline_letters = sum(
        _letters_right([*name, EOS], DIGIT_NAMES[d]) for d in labels
    ) / sum(len(DIGIT_NAMES[d]) + 1 for d in labels)
    return {
        "task": SPELLER_TASK,
        **speller_held_out(reader),
        "letter_accuracy": scores["letter_accuracy"],
        "baseline_letter_accuracy": round(baseline_letters, 4),
        "non_words": scores["non_words"],
        "n_test": len(labels),
        "max_letters": MAX_LETTERS,
        "predict_p95_ms": _p95_ms(
            lambda: reader.spell(images[0]), 50 if quick else 500
        ),
        "parameters": count_parameters(reader.model),
        "checkpoint_kb": round(Path(checkpoint).stat().st_size / 1024, 1),
        "split": "stratified by digit, seed 0: 70/15/15 %",
        "trained_metrics": reader.metrics,
    }


TASK_SPELLING = Task(
    name=SPELLER_TASK,
    summary="digit-spelling: one-to-many, a GRU spells an 8x8 digit's name",
    train=train_speller,
    predict=predict_spelling,
    bench=bench_speller,
)
