"""The demo task: an LSTM learns to recall the first of a stream of letters.

Tiny on purpose: it trains in under a minute on a CPU and exercises the whole
train -> checkpoint -> predict -> bench path that the real demos use.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import torch

from engine.checkpoints import Checkpoint, load_checkpoint, save_checkpoint
from engine.errors import InputError
from engine.memory_task import first_symbol_batch, first_symbol_batches, symbol_vocab
from engine.models import RecurrentConfig, SequenceClassifier, count_parameters
from engine.tasks import Task
from engine.text import SPECIALS, Vocab, tokenize
from engine.train import Progress, TrainConfig, Trainer, set_seed

NAME = "demo"
N_SYMBOLS = 6  # the letters a to f
TRAIN_LENGTHS = (2, 20)  # sequence lengths seen in training
BENCH_LENGTHS = (5, 20, 50)  # 50 is longer than any training sequence
MAX_INPUT_SYMBOLS = 200
DATA_SEED, VALID_SEED, TEST_SEED = 1, 2, 3


def _model_config() -> RecurrentConfig:
    return RecurrentConfig(
        cell="lstm",
        vocab_size=len(SPECIALS) + N_SYMBOLS,
        embed_size=8,
        hidden_size=32,
        num_classes=N_SYMBOLS,
    )


def train(
    quick: bool, out: Path, on_step: Callable[[Progress], None] | None = None
) -> dict:
    set_seed(0)
    n_batches = 8 if quick else 400
    train_batches = first_symbol_batches(
        n_batches, 32, TRAIN_LENGTHS, N_SYMBOLS, DATA_SEED
    )
    valid_batches = first_symbol_batches(20, 32, TRAIN_LENGTHS, N_SYMBOLS, VALID_SEED)
    model = SequenceClassifier(_model_config())
    config = TrainConfig(epochs=1 if quick else 12, lr=1e-2, patience=3)
    result = Trainer(model, config, on_step=on_step).fit(train_batches, valid_batches)
    metrics = {
        "valid_loss": round(result.best_valid_loss, 4),
        "epochs": result.epochs_run,
        "stopped_because": result.stopped_because,
        "quick": quick,
    }
    metrics |= {f"accuracy_len{n}": _accuracy(model, n) for n in BENCH_LENGTHS}
    save_checkpoint(
        Checkpoint(
            task=NAME,
            state_dict=model.state_dict(),
            config=model.config.to_dict(),
            vocab=symbol_vocab(N_SYMBOLS),
            fingerprint={"generator": "first_symbol_batches", "seed": DATA_SEED},
            metrics=metrics,
        ),
        out,
    )
    return metrics


def load_model(path: Path) -> tuple[SequenceClassifier, Checkpoint]:
    checkpoint = load_checkpoint(path, NAME)
    model = SequenceClassifier(RecurrentConfig(**checkpoint.config))
    model.load_state_dict(checkpoint.state_dict)
    return model.eval(), checkpoint


def _accuracy(model: SequenceClassifier, length: int, n: int = 1000) -> float:
    generator = torch.Generator().manual_seed(TEST_SEED + length)
    ids, targets = first_symbol_batch(n, length, N_SYMBOLS, generator)
    with torch.no_grad():
        logits, _ = model(ids)
    return round((logits.argmax(1) == targets).float().mean().item(), 4)


def parse_symbols(text: str) -> list[str]:
    """'c a b' or 'cab' -> ['c', 'a', 'b']; anything but the letters is refused."""
    letters = [ch for token in tokenize(text) for ch in token]
    allowed = "abcdef"[:N_SYMBOLS]
    if not letters:
        raise InputError(f"Type a few letters from {allowed}, for example: c a f b")
    if len(letters) > MAX_INPUT_SYMBOLS:
        raise InputError(
            f"That is {len(letters)} letters; use at most {MAX_INPUT_SYMBOLS}."
        )
    unknown = sorted(set(letters) - set(allowed))
    if unknown:
        raise InputError(
            f"This model only knows the letters {allowed}; "
            f"remove: {' '.join(unknown[:10])}"
        )
    return letters


def recall(model: SequenceClassifier, vocab: Vocab, text: str, k: int = 3) -> dict:
    """What the trained model says the first letter of `text` was, ranked."""
    letters = parse_symbols(text)
    ids = torch.tensor([vocab.encode(letters)])  # (1, T)
    with torch.no_grad():
        probs = model(ids)[0].softmax(dim=1)[0]  # (classes,)
    top = probs.topk(min(max(k, 1), N_SYMBOLS))
    ranked = [
        {
            "symbol": vocab.itos[len(SPECIALS) + int(i)],
            "probability": round(float(p), 4),
        }
        for p, i in zip(top.values, top.indices, strict=True)
    ]
    return {
        "text": text,
        "first": letters[0],
        "length": len(letters),
        "ranked": ranked,
        "correct": ranked[0]["symbol"] == letters[0],
    }


def predict(texts: list[str], checkpoint: Path, k: int = 3) -> list[dict]:
    model, ckpt = load_model(checkpoint)
    return [recall(model, ckpt.vocab, text, k) for text in texts]


def bench(quick: bool, checkpoint: Path) -> dict:
    model, ckpt = load_model(checkpoint)
    timings = []
    generator = torch.Generator().manual_seed(TEST_SEED)
    for _ in range(20 if quick else 200):
        ids, _ = first_symbol_batch(1, 20, N_SYMBOLS, generator)
        start = time.perf_counter()
        with torch.no_grad():
            model(ids)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "task": NAME,
        **{f"accuracy_len{n}": _accuracy(model, n) for n in BENCH_LENGTHS},
        "chance_accuracy": round(1 / N_SYMBOLS, 4),
        "n_test_per_length": 1000,
        "predict_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 3),
        "parameters": count_parameters(model),
        "checkpoint_kb": round(Path(checkpoint).stat().st_size / 1024, 1),
        "trained_metrics": ckpt.metrics,
    }


TASK = Task(
    name=NAME,
    summary="demo: an LSTM recalls the first of a stream of letters (seeded toy data)",
    train=train,
    predict=predict,
    bench=bench,
)
