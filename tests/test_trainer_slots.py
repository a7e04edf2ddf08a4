"""At most MAX_TRAINERS live trainings at once; the rest queue, then give up."""

import threading
import time

import pytest

from engine import trainer_slots
from engine.trainer_slots import MAX_TRAINERS, TrainersBusy, status, trainer_slot


def test_a_third_training_waits_for_a_free_slot():
    release = threading.Event()
    started = []

    def train(name: str) -> None:
        with trainer_slot():
            started.append(name)
            release.wait(5)

    runners = [threading.Thread(target=train, args=(n,)) for n in ("a", "b")]
    for runner in runners:
        runner.start()
    while len(started) < MAX_TRAINERS:
        time.sleep(0.01)
    waits: list[int] = []

    def third_training() -> None:
        with trainer_slot(on_wait=waits.append):
            started.append("c")

    third = threading.Thread(target=third_training)
    third.start()
    time.sleep(0.2)
    assert waits == [1] and started == ["a", "b"]  # told it is first in the queue
    assert status() == {"running": 2, "waiting": 1}
    release.set()  # a and b finish; c gets a slot
    for runner in [*runners, third]:
        runner.join(5)
    assert started[-1] == "c"
    assert status() == {"running": 0, "waiting": 0}


def test_waiting_too_long_is_a_friendly_error(monkeypatch):
    monkeypatch.setattr(trainer_slots, "MAX_WAIT_SECONDS", 0.2)
    with trainer_slot(), trainer_slot():
        with pytest.raises(TrainersBusy, match="try again in a minute"):
            with trainer_slot():
                pass
    assert status() == {"running": 0, "waiting": 0}


def test_a_failing_training_gives_its_slot_back():
    with pytest.raises(ValueError):
        with trainer_slot():
            raise ValueError("boom")
    assert status()["running"] == 0
    with trainer_slot(), trainer_slot():  # both slots are free again
        assert status()["running"] == 2
