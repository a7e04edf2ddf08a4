"""The tasks the CLI knows: each can train, predict and benchmark itself.

A later feature adds a task by writing a module with a `TASK` and listing it here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from engine.train import Progress


@dataclass(frozen=True)
class Task:
    """What `python -m engine train|predict|bench NAME` calls."""

    name: str
    summary: str  # one line for --help
    # train(quick, out_path, on_step) -> the metrics stored in the checkpoint
    train: Callable[[bool, Path, Callable[[Progress], None] | None], dict]
    # predict(texts, checkpoint_path, k) -> one JSON-ready dict per text
    # (sentiment's also takes steps=True: the answer after every word)
    predict: Callable[[list[str], Path, int], list[dict]]
    # bench(quick, checkpoint_path) -> the benchmark's JSON-ready numbers
    bench: Callable[[bool, Path], dict]


def all_tasks() -> dict[str, Task]:
    # imported here: tasks may be heavy to import
    from engine.tasks import (
        cells,
        dates,
        demo,
        digits,
        fill_blank,
        next_word,
        sentiment,
        tiny_rnn,
        topic,
        truecase,
    )

    return {
        task.name: task
        for task in (
            demo.TASK,
            next_word.TASK,
            sentiment.TASK,
            fill_blank.TASK,
            tiny_rnn.TASK,
            digits.TASK_DIGITS,
            digits.TASK_SPELLING,
            dates.TASK,
            topic.TASK,
            truecase.TASK,
            cells.TASK,
        )
    }
