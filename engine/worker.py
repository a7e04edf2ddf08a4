"""Live trainings in a child process: `run_job` on the server, `python -m
engine.worker` in the child.

Why a child process: Streamlit serves every learner's page from threads of one
Python process, where one thread runs Python at a time (the GIL). A live training
in one of those threads takes a whole core for 20 to 60 seconds and competes
with every page for the GIL; under the classroom load test
(tests/load_classroom.py) pages took up to 10 s while one ran. In a child
process at a lower priority (nice 10) it shares no GIL with the pages and gets
the CPU they leave over.

The protocol is plain JSON lines. The server writes one request on the child's
stdin, `{"job": ..., "args": {...}, "weights": path}`. The child answers on
stdout with messages `{"kind": "step" | "eval" | "epoch", ...}` while it trains,
then `{"kind": "result", ...}` or `{"kind": "error", "message": ...}`. Weights go
through a file (`torch.save` of a state_dict, read with `weights_only=True`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from engine.errors import EngineError, InputError

ROOT = Path(__file__).resolve().parents[1]
CHILD_NICE = 10  # the pages first, the training with what is left
SEND_EVERY_S = 0.1  # step messages at most this often (the page redraws less)

Send = Callable[[str, dict], None]


# -------------------------------------------------------------------- child side
def _save_weights(model, path: Path) -> None:
    """torch.save of the state_dict, whole or not at all (the child may be killed
    while it writes: the server then reads the previous file)."""
    import torch

    partial = path.with_suffix(".partial")
    torch.save(model.state_dict(), partial)
    os.replace(partial, path)


def _cells_job(args: dict, send: Send, weights: Path) -> dict:
    """One cell of the RNN / LSTM / GRU comparison, trained again."""

    from engine.cell_comparison import retrain_one

    last_sent = [float("-inf")]

    def on_step(progress) -> None:
        now = time.monotonic()
        if now - last_sent[0] >= SEND_EVERY_S:
            last_sent[0] = now
            send("step", {"step": progress.step, "total_steps": progress.total_steps})

    def on_eval(run) -> None:
        send("eval", {"curve": run.curve})

    run = retrain_one(
        args["task"], args["cell"], args["seconds"], on_step=on_step, on_eval=on_eval
    )
    _save_weights(run.model, weights)
    result = asdict(run)
    result.pop("model")
    return result


def _memory_job(args: dict, send: Send, weights: Path) -> dict:
    """The gradient lab's memory task for one network after another."""
    from engine.gradients import train_memory_task

    histories = []
    for index, settings in enumerate(args["runs"]):

        def on_epoch(run, index=index) -> None:
            send("epoch", {"run": index, "last": run.history[-1]})

        histories.append(train_memory_task(**settings, on_epoch=on_epoch).history)
    return {"histories": histories}


SAVE_EVERY_S = 5.0  # the own keyboard's weights, for a learner who presses Stop


def _own_keyboard_job(args: dict, send: Send, weights: Path) -> dict:
    """A learner's own keyboard, trained on their text. The weights so far are
    saved every few seconds, so Stop keeps them."""
    from engine.own_keyboard import MAX_SECONDS, fit, prepare

    own = prepare(args["text"])
    last_sent, last_saved = [float("-inf")], [time.monotonic()]

    def on_step(progress) -> None:
        now = time.monotonic()
        if now - last_sent[0] >= SEND_EVERY_S:
            last_sent[0] = now
            send("step", asdict(progress))
        if now - last_saved[0] >= SAVE_EVERY_S:
            last_saved[0] = now
            _save_weights(own.model, weights)

    def on_epoch(record) -> None:
        send("epoch", {"epoch": record.epoch, "valid_loss": record.valid_loss})

    seconds = min(float(args.get("max_seconds", MAX_SECONDS)), MAX_SECONDS)
    result = fit(own, seconds, on_step=on_step, on_epoch=on_epoch).result
    _save_weights(own.model, weights)  # the best epoch's weights
    return {
        "best_valid_loss": result.best_valid_loss,
        "epochs_run": result.epochs_run,
        "stopped_because": result.stopped_because,
    }


JOBS: dict[str, Callable[[dict, Send, Path], dict]] = {
    "cells": _cells_job,
    "memory": _memory_job,
    "own-keyboard": _own_keyboard_job,
}


def child_main() -> int:
    """Read one request from stdin, run it, answer on stdout."""
    try:
        os.nice(CHILD_NICE)
    except OSError:
        pass  # not allowed here: run at the normal priority
    import torch

    torch.set_num_threads(1)  # one core, like every live training

    def send(kind: str, payload: dict) -> None:
        print(json.dumps({"kind": kind, **payload}), flush=True)

    try:
        request = json.loads(sys.stdin.read())
        job = JOBS[request["job"]]
        send("result", job(request["args"], send, Path(request["weights"])))
    except EngineError as error:  # a friendly message, passed on as it is
        send("error", {"message": str(error), "input": isinstance(error, InputError)})
        return 1
    return 0


# ------------------------------------------------------------------- server side
def run_job(
    job: str,
    args: dict,
    on_message: Callable[[str, dict], None] | None = None,
    weights: Path | None = None,
) -> tuple[dict, bytes | None]:
    """Run `job` in a child process; `on_message(kind, message)` sees its progress.

    Returns the result and the weights it saved (or None). Raises InputError or
    EngineError with the child's own message, or EngineError if it died. If the
    caller stops (an exception in on_message, e.g. Streamlit's rerun), the child
    is killed. With `weights`, the child saves there (and the file stays: a
    caller that stopped can still read what was saved before).
    """
    if job not in JOBS:
        raise EngineError(f"Unknown training job {job!r}.")
    with tempfile.TemporaryDirectory(prefix="rnn-playground-") as folder:
        errors = Path(folder) / "stderr.txt"
        weights = weights or Path(folder) / "weights.pt"
        request = {"job": job, "args": args, "weights": str(weights)}
        with open(errors, "wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-m", "engine.worker"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
            )
        try:
            process.stdin.write(json.dumps(request))
            process.stdin.close()
            result = _read_messages(process, on_message)
            process.wait(timeout=30)
            return result, weights.read_bytes() if weights.is_file() else None
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def _read_messages(process: subprocess.Popen, on_message) -> dict:
    for line in process.stdout:
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue  # a library printed something: not ours
        kind = message.pop("kind", None)
        if kind == "result":
            return message
        if kind == "error":
            error = InputError if message.get("input") else EngineError
            raise error(message["message"])
        if on_message is not None:
            on_message(kind, message)
    raise EngineError(
        "The training stopped unexpectedly (the server may be short of memory). "
        "Please try again in a moment."
    )


if __name__ == "__main__":
    sys.exit(child_main())
