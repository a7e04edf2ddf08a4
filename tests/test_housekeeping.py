"""The server tidies memory once it goes quiet, and live trainings redraw their
progress at a bounded rate (both found by tests/load_classroom.py)."""

import threading
import time
import weakref

from playground import housekeeping
from playground.widgets import Every
from tests.test_app import run_app


def test_tidy_collects_cycles():
    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    alive = []

    weakref.finalize(a, alive.append, "freed")
    del a, b
    housekeeping.tidy()
    assert alive == ["freed"]


def test_watcher_tidies_once_after_quiet(monkeypatch):
    monkeypatch.setattr(housekeeping, "QUIET_S", 0.2)
    before = housekeeping.tidy_ups
    housekeeping.start()
    housekeeping.note_rerun()
    time.sleep(0.05)
    assert housekeeping.tidy_ups == before  # not while learners are active
    deadline = time.monotonic() + 5
    while housekeeping.tidy_ups == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert housekeeping.tidy_ups == before + 1
    time.sleep(0.5)
    assert housekeeping.tidy_ups == before + 1  # nothing new to tidy: no repeat


def watchers() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if t.name == "housekeeping"}


def test_the_app_starts_one_watcher_and_notes_each_run():
    before, started = watchers(), time.monotonic()
    run_app()
    assert housekeeping._last_rerun >= started
    run_app()
    assert len(watchers() - before) <= 1  # one per server, not one per run
    assert watchers()


def test_every_says_yes_at_most_once_per_interval():
    due = Every(0.2)
    answers = [due() for _ in range(1000)]  # a training's steps, in a burst
    assert answers[0] and sum(answers) == 1
    assert due(force=True)  # the last state is always drawn
    time.sleep(0.25)
    assert due()
