"""Save and load checkpoints: weights + config + vocab + data fingerprint + metrics.

Everything is stored as plain dicts, lists, strings, numbers and tensors, so a
checkpoint loads with `torch.load(weights_only=True)`: nothing is unpickled that
could run code. A digest over the contents catches truncated or altered files.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import Tensor

from engine.errors import CheckpointError
from engine.text import Vocab

FORMAT_VERSION = 1
CHECKPOINT_DIR = Path(__file__).parent / "checkpoints"


@dataclass
class Checkpoint:
    """A trained model's weights and everything needed to use and trust them."""

    task: str
    state_dict: dict[str, Tensor]
    config: dict
    vocab: Vocab | None
    fingerprint: dict  # which data it was trained on (split hashes)
    metrics: dict  # measured quality when it was saved


def default_path(task: str) -> Path:
    """Where the shipped checkpoint of a task lives."""
    return CHECKPOINT_DIR / f"{task}.pt"


def rebuild_hint(task: str) -> str:
    return f"Rebuild it with: python -m engine train {task}"


def _digest(meta: dict, state_dict: dict[str, Tensor]) -> str:
    digest = hashlib.sha256(json.dumps(meta, sort_keys=True).encode("utf-8"))
    for name in sorted(state_dict):
        tensor = state_dict[name].detach().cpu().contiguous()
        digest.update(name.encode("utf-8"))
        digest.update(str(tensor.dtype).encode("utf-8"))
        digest.update(str(tuple(tensor.shape)).encode("utf-8"))
        digest.update(tensor.view(torch.uint8).numpy().tobytes())
    return digest.hexdigest()


def save_checkpoint(checkpoint: Checkpoint, path: Path, half: bool = False) -> Path:
    """Write a checkpoint; `half` stores float weights as float16 (half the size)."""
    state = {
        name: (t.half() if half and t.is_floating_point() else t).detach().cpu()
        for name, t in checkpoint.state_dict.items()
    }
    meta = {
        "format": FORMAT_VERSION,
        "task": checkpoint.task,
        "config": checkpoint.config,
        "vocab": _packed(checkpoint.vocab.to_list()) if checkpoint.vocab else None,
        "fingerprint": checkpoint.fingerprint,
        "metrics": checkpoint.metrics,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".tmp")
    torch.save({**meta, "state_dict": state, "digest": _digest(meta, state)}, temporary)
    temporary.replace(path)  # never leave a half-written file under the real name
    return path


def _packed(words: list[str]) -> str | list[str]:
    """The vocabulary as one newline-separated string: a pickled list of 15,000
    short strings costs twice the bytes (250 KB of a 10 MB sentiment reader).
    A list where a word holds a newline (tokens never do)."""
    return words if not words or any("\n" in w for w in words) else "\n".join(words)


def _unpacked(vocab: str | list[str]) -> list[str]:
    """Either form: checkpoints saved before December 2026 hold a list."""
    return vocab.split("\n") if isinstance(vocab, str) else list(vocab)


def load_checkpoint(path: Path, task: str) -> Checkpoint:
    """Load and verify a checkpoint of `task`; any problem raises CheckpointError."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(
            f"The '{task}' model file {path} is missing. {rebuild_hint(task)}"
        )
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # truncated zip, foreign pickle, random bytes...
        raise CheckpointError(
            f"The '{task}' model file {path} is damaged and cannot be read "
            f"({type(error).__name__}). {rebuild_hint(task)}"
        ) from error
    try:
        meta = {key: payload[key] for key in ("format", "task", "config", "vocab")}
        meta |= {key: payload[key] for key in ("fingerprint", "metrics")}
        state, stored_digest = payload["state_dict"], payload["digest"]
        intact = _digest(meta, state) == stored_digest
    except (KeyError, TypeError, AttributeError, RuntimeError) as error:
        raise CheckpointError(
            f"The file {path} is not an RNN Playground checkpoint. {rebuild_hint(task)}"
        ) from error
    if not intact:
        raise CheckpointError(
            f"The '{task}' model file {path} has been altered since it was saved "
            f"(its contents no longer match their checksum). {rebuild_hint(task)}"
        )
    if meta["task"] != task or meta["format"] != FORMAT_VERSION:
        raise CheckpointError(
            f"{path} holds a '{meta['task']}' model (format {meta['format']}), "
            f"not a '{task}' model. {rebuild_hint(task)}"
        )
    return Checkpoint(
        task=task,
        state_dict={
            name: t.float() if t.is_floating_point() else t for name, t in state.items()
        },
        config=meta["config"],
        vocab=Vocab(_unpacked(meta["vocab"])) if meta["vocab"] is not None else None,
        fingerprint=meta["fingerprint"],
        metrics=meta["metrics"],
    )


def add_metrics(path: Path, task: str, **metrics) -> dict:
    """Measure-then-store: add numbers measured on a saved (float16) checkpoint's
    own weights to its metrics. The weights are written back unchanged."""
    checkpoint = load_checkpoint(path, task)
    checkpoint.metrics = checkpoint.metrics | metrics
    save_checkpoint(checkpoint, path, half=True)
    return checkpoint.metrics
