"""The cells task: RNN vs LSTM vs GRU trained on the same tasks with the same
training (steps, data, hidden size), plus a plain RNN widened to the LSTM's
parameter count.

`train` runs all twelve trainings (two memory lengths and next-word; the three
cells and the wide RNN each) and ships their curves, table and weights in one
checkpoint; `predict` asks the eight memory models to recall the first letter of
a typed sequence.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from engine.cell_comparison import (
    NAME,
    RUNS,
    WIDE_RNN,
    Comparison,
    build_comparison,
    cell_anatomy,
    example_sequences,
    load_comparison,
    memory_accuracy,
    memory_test_set,
    perplexity,
    recall,
    retrain_one,
    run_all,
    save_comparison,
    settings,
    word_data,
)
from engine.models import count_parameters
from engine.tasks import Task
from engine.train import Progress, one_thread


def train(
    quick: bool, out: Path, on_step: Callable[[Progress], None] | None = None
) -> dict:
    config = settings(quick)
    runs = run_all(config, on_step=on_step)  # one thread per run (train_run)
    comparison = build_comparison(config, runs, word_data(config.words).vocab)
    metrics = save_comparison(comparison, out)
    return {"table": metrics["table"], "quick": quick}


def predict(texts: list[str], checkpoint: Path, k: int = 3) -> list[dict]:
    comparison = load_comparison(checkpoint)
    return [recall(comparison, text, k) for text in texts]


def _rescore(comparison: Comparison) -> dict:
    """Each run's held-out number again, from the shipped (fp16) weights."""
    scores = {}
    for spec in comparison.settings.memory:
        for cell in RUNS:
            model = comparison.model(spec.task, cell)
            scores[f"{spec.task}.{cell}"] = round(memory_accuracy(model, spec), 4)
    words = comparison.settings.words
    valid = word_data(words).valid
    for cell in RUNS:
        model = comparison.model(words.task, cell)
        scores[f"{words.task}.{cell}"] = round(perplexity(model, valid), 2)
    return scores


def _p95_ms(action: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return round(timings[int(0.95 * (len(timings) - 1))], 3)


def bench(quick: bool, checkpoint: Path) -> dict:
    with one_thread():  # as the page runs it
        return _bench(quick, checkpoint)


def _bench(quick: bool, checkpoint: Path) -> dict:
    comparison = load_comparison(checkpoint)
    longest = max(comparison.settings.memory, key=lambda spec: spec.length)
    _, targets = memory_test_set(longest)
    # the trivial baseline: always answer the most common first letter
    most_common = Counter(targets.tolist()).most_common(1)[0][1]
    rescored = _rescore(comparison)
    text = example_sequences(longest, 1)[0]
    p95 = _p95_ms(lambda: recall(comparison, text), 20 if quick else 200)
    report = {
        "task": NAME,
        "memory_lengths": [spec.length for spec in comparison.settings.memory],
        "accuracy": rescored[f"{longest.task}.lstm"],
        "baseline": round(most_common / len(targets), 4),
        "baseline_name": "always answer the most common first letter "
        f"(chance is 1/{longest.n_symbols}), length {longest.length}",
        "rnn_accuracy": rescored[f"{longest.task}.rnn"],
        "gru_accuracy": rescored[f"{longest.task}.gru"],
        # a plain RNN with about the LSTM's parameter count (see cell_comparison)
        "wide_rnn_accuracy": rescored[f"{longest.task}.{WIDE_RNN}"],
        "wide_rnn_hidden_size": comparison.run(longest.task, WIDE_RNN).hidden_size,
        "n_test": len(targets),
        "cells": comparison.table(),
        "rescored_from_shipped_weights": rescored,
        "predict_p95_ms": p95,
        "predict_input": f"one sequence of {longest.length} letters, all "
        f"{len(comparison.settings.memory) * len(RUNS)} memory models",
        "parameters": sum(
            count_parameters(comparison.model(run.task, run.cell))
            for run in comparison.runs
        ),
        "checkpoint_kb": round(Path(checkpoint).stat().st_size / 1024, 1),
        "train_seconds_total": round(
            sum(run.train_seconds for run in comparison.runs), 1
        ),
        "weight_blocks": {a["cell"]: a["weight_blocks"] for a in cell_anatomy()},
        "quick": quick,
    }
    if not quick:  # the page's live rerun, timed with its default cap
        start = time.perf_counter()
        live = retrain_one("memory10", "lstm", seconds_cap=20)
        report["retrain_memory10_lstm"] = {
            "wall_seconds": round(time.perf_counter() - start, 2),
            "steps": live.steps,
            "accuracy": live.final_metric,
            "stopped_because": live.stopped_because,
        }
    return report


TASK = Task(
    name=NAME,
    summary="cells: RNN vs LSTM vs GRU, same training (steps, data, hidden size), "
    "plus an RNN with about the LSTM's parameter count",
    train=train,
    predict=predict,
    bench=bench,
)
