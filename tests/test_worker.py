"""Live trainings run in a child process (engine.worker) and report back."""

import io
import os
from pathlib import Path

import pytest
import torch

from engine.errors import EngineError, InputError
from engine.worker import SAVE_EVERY_S, run_job


def test_cells_job_trains_in_a_child_and_returns_run_and_weights():
    messages = []
    result, weights = run_job(
        "cells",
        {"task": "memory10", "cell": "gru", "seconds": 2},
        lambda kind, message: messages.append((kind, message)),
    )
    kinds = {kind for kind, _ in messages}
    assert {"step", "eval"} <= kinds
    steps = [m["step"] for k, m in messages if k == "step"]
    assert steps == sorted(steps) and steps[-1] <= result["steps"]
    assert result["cell"] == "gru" and result["steps"] > 0
    assert result["curve"][-1]["step"] == result["steps"]
    state = torch.load(io.BytesIO(weights), weights_only=True)
    assert any(name.startswith("rnn.") for name in state)


def test_memory_job_reports_every_epoch_of_every_network():
    messages = []
    runs = [
        {"cell": "rnn", "length": 5, "seconds": 1.0, "max_epochs": 2},
        {"cell": "lstm", "length": 5, "seconds": 1.0, "max_epochs": 2},
    ]
    result, weights = run_job(
        "memory", {"runs": runs}, lambda kind, message: messages.append(message)
    )
    assert weights is None
    assert [len(h) for h in result["histories"]] == [2, 2]
    assert [m["run"] for m in messages] == [0, 0, 1, 1]
    assert messages[-1]["last"] == result["histories"][1][-1]


def test_a_friendly_error_comes_back_as_it_was():
    with pytest.raises(InputError, match="Unknown cell"):
        run_job("cells", {"task": "memory10", "cell": "transformer", "seconds": 2})


def test_a_child_that_dies_is_a_clear_engine_error():
    with pytest.raises(EngineError, match="stopped unexpectedly"):
        run_job("memory", {"runs": [{"no such argument": 1}]})
    with pytest.raises(EngineError, match="Unknown training job"):
        run_job("mine bitcoin", {})


def worker_children() -> list[int]:
    """This process's children that run engine.worker (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue  # it ended meanwhile
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"engine.worker" in command:
            found.append(int(entry.name))
    return found


def test_the_child_is_killed_when_the_page_stops():
    class PageStopped(Exception):
        pass

    def stop(kind, message):
        raise PageStopped  # what Streamlit raises when the learner moves on

    with pytest.raises(PageStopped):
        run_job("cells", {"task": "memory10", "cell": "rnn", "seconds": 20}, stop)
    assert worker_children() == []  # killed and reaped, not left training


def test_own_keyboard_job_saves_weights_that_fit_the_learners_model(tmp_path):
    from engine.corpora import load_bbc
    from engine.own_keyboard import prepare

    text = "\n".join(d.text for d in load_bbc()[:2])
    saved, kinds = tmp_path / "weights.pt", set()
    result, data = run_job(
        "own-keyboard",
        {"text": text, "max_seconds": 3},
        lambda kind, message: kinds.add(kind),
        weights=saved,
    )
    assert result["epochs_run"] >= 1 and "step" in kinds
    assert saved.is_file() and data == saved.read_bytes()  # the caller's file stays
    own = prepare(text)  # the server builds the same model from the same text
    own.model.load_state_dict(torch.load(saved, weights_only=True))


def test_stop_keeps_the_own_keyboards_weights_saved_so_far(tmp_path):
    from engine.corpora import load_bbc
    from engine.own_keyboard import prepare

    class Stopped(Exception):
        pass

    def stop_after_a_save(kind, message):
        if kind == "step" and message["elapsed_s"] > SAVE_EVERY_S + 1:
            raise Stopped  # the learner pressed Stop

    text = "\n".join(d.text for d in load_bbc()[:200])  # minutes of training
    saved = tmp_path / "weights.pt"
    with pytest.raises(Stopped):
        run_job("own-keyboard", {"text": text}, stop_after_a_save, weights=saved)
    assert worker_children() == []
    own = prepare(text)  # what the page holds: the saved weights fit it
    own.model.load_state_dict(torch.load(saved, weights_only=True))
