"""A limit on live trainings at once, shared by every learner of one server.

A classroom of 30 pressing "Train" together would leave each training a sliver
of two CPU cores and every page slow. Instead at most MAX_TRAINERS run at once;
the others wait their turn (and are told so) or, after a while, are asked to
try again. Streamlit serves every learner from threads of one process, so a
module-level semaphore is shared by all of them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from engine.errors import EngineError

MAX_TRAINERS = 2
MAX_WAIT_SECONDS = 90.0  # a learner waits at most this long for a free trainer

_slots = threading.BoundedSemaphore(MAX_TRAINERS)
_lock = threading.Lock()
_state = {"running": 0, "waiting": 0}


class TrainersBusy(EngineError):
    """Every trainer stayed busy for the whole wait."""


def status() -> dict[str, int]:
    """How many trainings run now and how many learners wait for one."""
    with _lock:
        return dict(_state)


@contextmanager
def trainer_slot(
    on_wait: Callable[[int], None] | None = None,
    max_wait: float | None = None,
) -> Iterator[None]:
    """Hold one of the MAX_TRAINERS slots while the block runs.

    When none is free, `on_wait(waiting)` is called (say so to the learner) and
    the call blocks until a slot frees up, raising TrainersBusy after `max_wait`
    seconds (MAX_WAIT_SECONDS by default).
    """
    max_wait = MAX_WAIT_SECONDS if max_wait is None else max_wait
    if not _slots.acquire(blocking=False):
        with _lock:
            _state["waiting"] += 1
            waiting = _state["waiting"]
        if on_wait is not None:
            on_wait(waiting)
        begin = time.monotonic()
        try:
            got = _slots.acquire(timeout=max_wait)
        finally:
            with _lock:
                _state["waiting"] -= 1
        if not got:
            waited = time.monotonic() - begin
            raise TrainersBusy(
                f"All {MAX_TRAINERS} trainers stayed busy for {waited:.0f} seconds "
                "(other learners are training). Please try again in a minute."
            )
    with _lock:
        _state["running"] += 1
    try:
        yield
    finally:
        with _lock:
            _state["running"] -= 1
        _slots.release()
