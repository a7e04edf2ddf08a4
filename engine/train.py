"""A small Trainer with callbacks: the CLI's progress bar and the app's live
charts both listen to the same `on_step` / `on_epoch` hooks."""

from __future__ import annotations

import contextlib
import copy
import math
import random
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
import torch
from torch import Tensor, nn

T = TypeVar("T")

Batch = tuple[Tensor, ...]  # passed to the model as model(*batch) -> (logits, loss)


def set_seed(seed: int) -> None:
    """Seed every generator a training run touches, so runs repeat exactly."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@contextlib.contextmanager
def one_thread():
    """Run torch on one thread, as the app does (it shares a few cores among
    learners); benchmarks time the pages' work inside this."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


@dataclass
class TrainConfig:
    """How long and how carefully to train."""

    epochs: int = 10  # passes over the training batches at most
    lr: float = 3e-3  # Adam learning rate
    clip_norm: float | None = (
        1.0  # clipping the gradient norm tames exploding gradients
    )
    patience: int = 3  # stop after this many epochs without a better valid loss
    max_seconds: float | None = None  # hard wall-clock cap (live training in the app)
    seed: int = 0
    shuffle: bool = True  # False keeps batch order (a language model's carried state)
    lr_decay: float = 1.0  # multiply the lr by this after an epoch without progress
    # epoch -> factor: multiply the lr by it when that epoch starts (a step schedule:
    # a smaller step late in training settles into a better minimum)
    lr_steps: dict[int, float] = field(default_factory=dict)
    # parameter-name prefix -> factor on the lr for those weights ("embedding.": 0.1):
    # pre-trained layers fine-tuned with a smaller step than a new head (ULMFiT's
    # discriminative fine-tuning) forget less of what pre-training taught them
    lr_factors: dict[str, float] = field(default_factory=dict)
    # "cpu" (the app, the tests) or e.g. "cuda" to speed up a long offline run; the
    # weights come back to the CPU at the end either way
    device: str = "cpu"
    # keep a running average of the weights (decay per step, e.g. 0.999: about the
    # last thousand steps); validation, early stopping and the saved weights use
    # the average, which sits nearer the middle of the valley than any one noisy
    # step (Polyak averaging). None trains and keeps the weights as they are.
    average_decay: float | None = None


class AveragedWeights:
    """An exponential moving average of a model's weights, and a way to lend it
    to the model for a while (to evaluate or copy it)."""

    def __init__(self, model: nn.Module, decay: float) -> None:
        self.parameters = list(model.parameters())
        self.average = [p.detach().clone() for p in self.parameters]
        self.decay = decay

    @torch.no_grad()
    def update(self) -> None:
        current = [p.detach() for p in self.parameters]
        torch._foreach_lerp_(self.average, current, 1.0 - self.decay)

    @contextlib.contextmanager
    def lent(self):
        """Inside the block the model holds the averaged weights."""
        kept = [p.detach().clone() for p in self.parameters]
        with torch.no_grad():
            torch._foreach_copy_([p.detach() for p in self.parameters], self.average)
        try:
            yield
        finally:
            with torch.no_grad():
                torch._foreach_copy_([p.detach() for p in self.parameters], kept)


def param_groups(model: nn.Module, config: TrainConfig) -> list[dict]:
    """The model's weights grouped by learning rate (see TrainConfig.lr_factors);
    one group at config.lr when there are no factors."""
    groups: dict[float, list] = {}
    for name, parameter in model.named_parameters():
        factor = next(
            (f for prefix, f in config.lr_factors.items() if name.startswith(prefix)),
            1.0,
        )
        groups.setdefault(config.lr * factor, []).append(parameter)
    return [{"params": params, "lr": lr} for lr, params in groups.items()]


@dataclass
class Progress:
    """What a callback sees after each optimisation step."""

    epoch: int
    step: int  # steps done so far, all epochs together
    total_steps: int  # steps in all planned epochs
    loss: float  # this batch's training loss
    tokens_per_s: float
    elapsed_s: float
    eta_s: float  # time left for the planned epochs at the current speed


@dataclass
class EpochResult:
    epoch: int
    train_loss: float
    valid_loss: float
    elapsed_s: float
    improved: bool = False  # the best validation loss so far (weights worth saving)
    lr: float = 0.0


@dataclass
class TrainResult:
    best_valid_loss: float
    epochs_run: int
    stopped_because: str  # "finished", "early stopping", "time limit" or "stopped"
    history: list[EpochResult] = field(default_factory=list)


class Trainer:
    """Adam + gradient clipping + early stopping on the validation loss.

    The best weights (lowest validation loss) are restored at the end.
    """

    def __init__(
        self,
        model: nn.Module,
        config: TrainConfig,
        on_step: Callable[[Progress], None] | None = None,
        on_epoch: Callable[[EpochResult], None] | None = None,
    ) -> None:
        self.model, self.config = model, config
        self.on_step, self.on_epoch = on_step, on_epoch
        self._stop = threading.Event()  # set from another thread (a Stop button)

    def request_stop(self) -> None:
        """Finish the current step, then stop and keep the best weights so far."""
        self._stop.set()

    def _start_pass(self, training: bool) -> None:
        self.model.train(training)
        if hasattr(
            self.model, "reset_state"
        ):  # a stateful model starts each pass fresh
            self.model.reset_state()

    def _on_device(self, batches: Sequence[Batch]) -> Sequence[Batch]:
        """The batches moved to the training device once, not at every step."""
        device = torch.device(self.config.device)
        if device.type == "cpu":
            return batches
        return [tuple(t.to(device) for t in batch) for batch in batches]

    def evaluate(self, batches: Sequence[Batch]) -> float:
        """Mean loss over batches, weighted by batch size, without gradients."""
        self._start_pass(training=False)
        total, count = 0.0, 0
        with torch.no_grad():
            for batch in self._on_device(batches):
                _, loss = self.model(*batch)
                total += loss.item() * len(batch[0])
                count += len(batch[0])
        return total / max(count, 1)

    def fit(self, train: Sequence[Batch], valid: Sequence[Batch]) -> TrainResult:
        cfg = self.config
        set_seed(cfg.seed)
        self.model.to(cfg.device)
        train, valid = self._on_device(train), self._on_device(valid)
        optimizer = torch.optim.Adam(param_groups(self.model, cfg), lr=cfg.lr)
        averaged = (
            AveragedWeights(self.model, cfg.average_decay)
            if cfg.average_decay
            else None
        )
        best_loss = self.evaluate(valid)
        best_state = copy.deepcopy(self.model.state_dict())
        result = TrainResult(best_loss, 0, "finished")
        total_steps, step, tokens = cfg.epochs * len(train), 0, 0
        start, since_best = time.perf_counter(), 0
        for epoch in range(1, cfg.epochs + 1):
            for group in optimizer.param_groups:
                group["lr"] *= cfg.lr_steps.get(epoch, 1.0)
            self._start_pass(training=True)
            order = (
                torch.randperm(len(train)).tolist()
                if cfg.shuffle
                else range(len(train))
            )
            epoch_loss = 0.0
            for index in order:
                batch = train[index]
                optimizer.zero_grad()
                _, loss = self.model(*batch)
                loss.backward()
                if cfg.clip_norm:
                    nn.utils.clip_grad_norm_(self.model.parameters(), cfg.clip_norm)
                optimizer.step()
                if averaged is not None:
                    averaged.update()
                step, tokens = step + 1, tokens + batch[0].numel()
                epoch_loss += loss.item()  # (on a GPU this waits for the step)
                elapsed = time.perf_counter() - start
                if self.on_step:
                    self.on_step(
                        Progress(
                            epoch,
                            step,
                            total_steps,
                            loss.item(),
                            tokens / max(elapsed, 1e-9),
                            elapsed,
                            elapsed / step * (total_steps - step),
                        )
                    )
                reason = self._reason_to_stop(elapsed)
                if reason:
                    result.stopped_because = reason
                    break
            with averaged.lent() if averaged is not None else contextlib.nullcontext():
                valid_loss = self.evaluate(valid)
                improved = valid_loss < best_loss or math.isnan(best_loss)
                if improved:
                    best_state = copy.deepcopy(self.model.state_dict())
            record = EpochResult(
                epoch,
                epoch_loss / max(len(order), 1),
                valid_loss,
                time.perf_counter() - start,
                improved,
                max(group["lr"] for group in optimizer.param_groups),
            )
            result.history.append(record)
            result.epochs_run = epoch
            if self.on_epoch:
                self.on_epoch(record)
            if improved:
                best_loss, since_best = valid_loss, 0
            else:
                since_best += 1
                for group in optimizer.param_groups:  # a smaller step may still help
                    group["lr"] *= cfg.lr_decay
            if result.stopped_because != "finished":
                break
            if since_best >= cfg.patience:
                result.stopped_because = "early stopping"
                break
        self.model.load_state_dict(best_state)
        self.model.to("cpu").eval()
        result.best_valid_loss = best_loss
        return result

    def _reason_to_stop(self, elapsed: float) -> str | None:
        if self._stop.is_set():
            return "stopped"
        if self.config.max_seconds is not None and elapsed >= self.config.max_seconds:
            return "time limit"
        return None


def time_each(run: Callable[[T], object], items: Sequence[T]) -> dict[str, float]:
    """Milliseconds of `run(item)` per item on one thread (what one learner's
    request costs), as p50 and p95. Items `run` refuses (InputError) are skipped."""
    from engine.errors import InputError

    timings = []
    with one_thread():
        for item in items:
            start = time.perf_counter()
            try:
                run(item)
            except InputError:
                continue
            timings.append((time.perf_counter() - start) * 1000)
    ordered = sorted(timings) or [float("nan")]
    return {
        "predict_p50_ms": round(float(np.percentile(ordered, 50)), 2),
        "predict_p95_ms": round(float(np.percentile(ordered, 95)), 2),
    }


def epoch_logger(name: str) -> Callable[[EpochResult], None]:
    """An on_epoch callback that prints one line per epoch to stderr."""

    def log(record: EpochResult) -> None:
        print(
            f"{name} epoch {record.epoch}: train loss {record.train_loss:.4f}, "
            f"valid loss {record.valid_loss:.4f}, {record.elapsed_s:.0f} s"
            + (" (best)" if record.improved else ""),
            file=sys.stderr,
            flush=True,
        )

    return log
