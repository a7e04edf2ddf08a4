"""The dates task: an encoder-decoder turns spelled-out numbers and dates into
digits ("twenty seven november twenty twenty six" -> "2026-11-27").

The RNN shape "many to many, different lengths". Data comes from the seeded
generator in engine/spelled.py; test numbers and dates are never seen in
training, in any wording (the split is by value).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import torch

from engine.checkpoints import (
    Checkpoint,
    load_checkpoint,
    rebuild_hint,
    save_checkpoint,
)
from engine.errors import CheckpointError, InputError
from engine.seq2seq import (
    EncoderDecoder,
    Seq2SeqConfig,
    Translator,
    char_vocab,
    count_parameters,
    source_batch,
    target_batch,
)
from engine.spelled import WORDS, Value, sample_pairs, split_of
from engine.tasks import Task
from engine.text import SPECIALS, Vocab
from engine.train import (
    EpochResult,
    Progress,
    TrainConfig,
    Trainer,
    one_thread,
    set_seed,
    time_each,
)

NAME = "dates"
TRAIN_PAIRS, VALID_PAIRS = 80_000, 2_000
TEST_NUMBERS, TEST_DATES = 2_000, 2_000
BATCH_SIZE = 128
EPOCHS = 7  # about 2.5 minutes on one CPU thread
TRAIN_SEED, VALID_SEED, TEST_SEED = 1, 2, 3
TIMING_TRIALS = 200

# What the page offers to try: numbers and dates, a leap day, the largest number.
EXAMPLES = [
    "twenty seven november twenty twenty six",
    "the third of march nineteen ninety nine",
    "three hundred and five",
    "twelve thousand four hundred",
    "the twenty ninth of february two thousand",
    "forty two",
    "july the fourth nineteen oh five",
    "nine hundred and ninety nine thousand nine hundred and ninety nine",
]


# ----------------------------------------------------------------------------- data
def word_vocab() -> Vocab:
    """Every word the generator writes, alphabetical (no frequency needed)."""
    return Vocab([*SPECIALS, *sorted(WORDS)])


def make_batches(
    pairs: list[tuple[str, str]], words: Vocab, chars: Vocab, size: int
) -> list[tuple[torch.Tensor, ...]]:
    """(words, digits) pairs -> (source, lengths, target_in, target_out) batches."""
    batches = []
    for start in range(0, len(pairs), size):
        chunk = pairs[start : start + size]
        source, lengths = source_batch([text.split() for text, _ in chunk], words)
        targets = target_batch([answer for _, answer in chunk], chars)
        batches.append((source, lengths, *targets))
    return batches


def test_pairs(quick: bool = False) -> dict[str, list[tuple[str, str]]]:
    """Held-out numbers and dates (distinct inputs, values never in training)."""
    n_numbers, n_dates = (200, 200) if quick else (TEST_NUMBERS, TEST_DATES)
    return {
        "numbers": sample_pairs("test", n_numbers, TEST_SEED, 0.0, distinct=True),
        "dates": sample_pairs("test", n_dates, TEST_SEED, 1.0, distinct=True),
    }


# ---------------------------------------------------------------------------- train
def _settings(quick: bool) -> tuple[int, Seq2SeqConfig, TrainConfig]:
    words = len(word_vocab())
    if quick:  # a tiny model in seconds, for tests
        config = Seq2SeqConfig(source_size=words, embed_size=8, hidden_size=16)
        return 1_000, config, TrainConfig(epochs=1, lr=1e-2)
    config = Seq2SeqConfig(source_size=words, embed_size=32, hidden_size=128)
    # a smaller step for the last two epochs settles into a sharper minimum
    schedule = TrainConfig(
        epochs=EPOCHS, lr=3e-3, patience=5, lr_steps={EPOCHS - 1: 0.3, EPOCHS: 0.3}
    )
    return TRAIN_PAIRS, config, schedule


def exact_match(translator: Translator, pairs: list[tuple[str, str]]) -> float:
    """Share of inputs whose whole answer is right, character for character."""
    answers = translator.outputs([text.split() for text, _ in pairs])
    hits = sum(a == b for a, (_, b) in zip(answers, pairs, strict=True))
    return round(hits / max(len(pairs), 1), 4)


def train(
    quick: bool, out: Path, on_step: Callable[[Progress], None] | None = None
) -> dict:
    set_seed(0)
    n_train, config, schedule = _settings(quick)
    words, chars = word_vocab(), char_vocab(config.output_chars)
    train_pairs = sample_pairs("train", n_train, TRAIN_SEED)
    valid_pairs = sample_pairs("valid", 200 if quick else VALID_PAIRS, VALID_SEED)
    model = EncoderDecoder(config)
    start = time.perf_counter()
    history: list[EpochResult] = []
    with one_thread():
        result = Trainer(model, schedule, on_step=on_step, on_epoch=history.append).fit(
            make_batches(train_pairs, words, chars, BATCH_SIZE),
            make_batches(valid_pairs, words, chars, 500),
        )
    metrics = {
        "valid_loss": round(result.best_valid_loss, 5),
        "valid_exact_match": exact_match(Translator(model, words), valid_pairs),
        # scored after a float16 round trip: the numbers of the shipped weights
        "held_out": held_out_scores(_as_shipped(model, words), quick),
        "epochs": result.epochs_run,
        "stopped_because": result.stopped_because,
        "train_seconds": round(time.perf_counter() - start, 1),
        "train_pairs": len(train_pairs),
        "history": [
            {"epoch": r.epoch, "train_loss": round(r.train_loss, 5)}
            | {"valid_loss": round(r.valid_loss, 5)}
            for r in history
        ],
        "quick": quick,
    }
    save_checkpoint(
        Checkpoint(
            task=NAME,
            state_dict=model.state_dict(),
            config=config.to_dict(),
            vocab=words,
            fingerprint={
                "generator": "engine.spelled.sample_pairs",
                "seeds": {"train": TRAIN_SEED, "valid": VALID_SEED},
                "split": "by value (sha256), 85/5/10",
            },
            metrics=metrics,
        ),
        out,
        half=True,  # fp16 weights: half the file, same answers (checked by bench)
    )
    return metrics


def _as_shipped(model: EncoderDecoder, words: Vocab) -> Translator:
    """A copy of the model with its weights rounded to float16 and back."""
    shipped = EncoderDecoder(model.config)
    shipped.load_state_dict(
        {
            name: t.half().float() if t.is_floating_point() else t
            for name, t in model.state_dict().items()
        }
    )
    return Translator(shipped, words)


# -------------------------------------------------------------------------- predict
def load_model(path: Path) -> tuple[EncoderDecoder, Checkpoint]:
    checkpoint = load_checkpoint(path, NAME)
    try:
        model = EncoderDecoder(Seq2SeqConfig(**checkpoint.config))
        model.load_state_dict(checkpoint.state_dict)
    except (TypeError, RuntimeError) as error:
        raise CheckpointError(
            f"{path} does not fit the dates model. {rebuild_hint(NAME)}"
        ) from error
    return model.eval(), checkpoint


def load_translator(path: Path) -> Translator:
    """The shipped (or any) dates checkpoint, ready to translate learner text."""
    model, checkpoint = load_model(path)
    return Translator(model, checkpoint.vocab)


def predict(texts: list[str], checkpoint: Path, k: int = 3) -> list[dict]:
    """For each text: the answer, every decoding step with k alternatives, and
    the rule-based referee's answer; bad input gives {"text", "error"}."""
    translator = load_translator(checkpoint)
    results = []
    for text in texts:
        try:
            results.append(translator.translate(text, k).to_dict())
        except InputError as error:
            results.append({"text": text, "error": str(error)})
    return results


# ---------------------------------------------------------------------------- bench
def _by_digits(translator: Translator, pairs: list[tuple[str, str]]) -> dict:
    """Exact match of numbers by their number of digits (are long ones harder?)."""
    groups: dict[int, list[tuple[str, str]]] = {}
    for pair in pairs:
        groups.setdefault(len(pair[1]), []).append(pair)
    return {str(n): exact_match(translator, groups[n]) for n in sorted(groups)}


def held_out_scores(translator: Translator, quick: bool = False) -> dict:
    """Exact match on the held-out numbers and dates, beside the trivial answer
    (stored with the checkpoint: the page shows it without recomputing)."""
    parts = test_pairs(quick)
    held_out = parts["numbers"] + parts["dates"]
    majority = _training_answers(quick).most_common(1)[0][0]
    return {
        "accuracy": exact_match(translator, held_out),
        "baseline": round(sum(a == majority for _, a in held_out) / len(held_out), 4),
        "baseline_name": f"always answer the most frequent training output "
        f"({majority!r})",
        "n_test": len(held_out),
    }


def _training_answers(quick: bool) -> Counter:
    n_train = 1_000 if quick else TRAIN_PAIRS
    return Counter(answer for _, answer in sample_pairs("train", n_train, TRAIN_SEED))


def bench(quick: bool, checkpoint: Path) -> dict:
    translator = load_translator(checkpoint)
    parts = test_pairs(quick)
    held_out = parts["numbers"] + parts["dates"]
    seen = _training_answers(quick)
    with one_thread():
        report = {
            "task": NAME,
            **held_out_scores(translator, quick),
            "accuracy_numbers": exact_match(translator, parts["numbers"]),
            "accuracy_dates": exact_match(translator, parts["dates"]),
            "accuracy_numbers_by_digits": _by_digits(translator, parts["numbers"]),
        }
    report |= {
        "n_test_numbers": len(parts["numbers"]),
        "n_test_dates": len(parts["dates"]),
        # the split is by value: no test answer may occur among training answers
        "test_answers_seen_in_training": sum(a in seen for _, a in held_out),
        "test_values_outside_test_split": sum(
            split_of(_value(a)) != "test" for _, a in held_out
        ),
        "examples": {text: translator.translate(text).output for text in EXAMPLES},
    }
    half = (20 if quick else TIMING_TRIALS) // 2
    timed = parts["numbers"][:half] + parts["dates"][:half]
    report |= time_each(translator.translate, [text for text, _ in timed])
    report |= {
        "parameters": count_parameters(translator.model),
        "checkpoint_kb": round(Path(checkpoint).stat().st_size / 1024, 1),
        "quick": quick,
        "trained_metrics": load_checkpoint(checkpoint, NAME).metrics,
    }
    return report


def _value(answer: str) -> Value:
    """'2026-11-27' -> date, '305' -> 305 (the value the split was drawn by)."""
    return date.fromisoformat(answer) if "-" in answer else int(answer)


TASK = Task(
    name=NAME,
    summary="dates  an encoder-decoder GRU turns spelled numbers and dates into digits",
    train=train,
    predict=predict,
    bench=bench,
)
