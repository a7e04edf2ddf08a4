"""RNN vs LSTM vs GRU: the same task, the same training (steps, data, hidden size).

Every cell gets the same data in the same order, the same hidden size, the same
number of Adam steps at the same learning rate, the same clipping and the same
seed. Only the cell differs, so any gap in the curves is the cell's doing.

The same hidden size is not the same number of parameters: the gates bring
weights of their own (an LSTM has four blocks where a plain RNN has one). So a
fourth run trains a plain RNN widened until its parameter count is the closest
a plain RNN can get to the LSTM's, with the same data, steps and seed: if it
still falls behind, the LSTM's lead is its gates, not its size.

Two comparisons: the long-range memory task (recall the first of `length`
symbols) at a short and a long length, and next-word prediction on a slice of
the BBC News train split, scored by perplexity on a slice of the valid split.
"""

from __future__ import annotations

import math
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import torch
from torch import Tensor, nn

from engine.checkpoints import Checkpoint, load_checkpoint, save_checkpoint
from engine.corpora import corpus_split
from engine.errors import InputError
from engine.language_model import (
    CarriedStateObjective,
    LanguageModel,
    LMConfig,
    batchify,
    bbc_token_docs,
    stream,
)
from engine.memory_task import first_symbol_batch, symbol_vocab
from engine.models import (
    RecurrentConfig,
    SequenceClassifier,
    count_parameters,
    make_recurrent_layer,
)
from engine.text import SPECIALS, Vocab
from engine.train import Progress, one_thread, set_seed

NAME = "cells"
CELL_TYPES = ("rnn", "lstm", "gru")  # the three kinds of cell compared
CELL_LABELS = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
WIDE_RNN = "rnn-wide"  # a plain RNN cell with as many parameters as the LSTM
MATCHED = "lstm"  # the run whose parameter count the wide RNN matches
# Every trained run: the three cells at the shared hidden size, then the wide RNN.
# A run's name is its `Run.cell`; `cell_of` gives the kind of cell it trains.
RUNS = (*CELL_TYPES, WIDE_RNN)
RUN_LABELS = CELL_LABELS | {WIDE_RNN: "wide RNN"}
NEXT_WORD = "next-word"
MAX_RETRAIN_SECONDS = 60.0  # one learner's live rerun may not hog a shared server
TIED = "decoder.weight"  # the language model's output layer IS its embedding


@dataclass(frozen=True)
class MemorySpec:
    """One memory-task comparison: data, model size and the shared training."""

    length: int  # symbols per sequence; the answer is the first one
    n_symbols: int = 8  # the letters a.. that can be the answer
    # every letter after the first comes from these extra letters, so the answer
    # is the one letter of its kind (the gradient lab's task)
    n_distractors: int = 4
    # LSTM forget / GRU update gate bias at the start: the usual "keep by default"
    # initialisation of gated cells (the plain RNN has no gate to open)
    keep_bias: float = 2.0
    embed_size: int = 8
    hidden_size: int = 32
    steps: int = 1500  # Adam steps, the same for every cell
    batch_size: int = 32  # fresh sequences every step, the same for every cell
    eval_every: int = 100
    lr: float = 3e-3
    clip: float = 1.0  # gradient-norm clipping, so an exploding RNN still trains
    seed: int = 0  # weights; the data has its own seeds below
    n_test: int = 1000  # held-out sequences (a different seed from training)

    @property
    def task(self) -> str:
        return f"memory{self.length}"


@dataclass(frozen=True)
class WordSpec:
    """The next-word comparison: a BBC slice, a small model, the shared training."""

    train_tokens: int = 100_000  # the first tokens of the BBC train split
    valid_tokens: int = 20_000  # the first tokens of the BBC valid split
    vocab_size: int = 3_000  # from the train slice; the rest become <unk>
    hidden_size: int = 48  # also the word-vector size (input and output tied)
    steps: int = 600
    batch_size: int = 32
    bptt: int = 35  # words per window; the state is carried between windows
    eval_every: int = 50
    # 3e-3 leaves the gated cells far from done after 600 steps; the RNN ends at
    # the same perplexity with either rate
    lr: float = 1e-2
    clip: float = 0.5
    seed: int = 0

    @property
    def task(self) -> str:
        return NEXT_WORD


@dataclass(frozen=True)
class Settings:
    """Everything that defines a comparison; stored in the checkpoint's config."""

    memory: tuple[MemorySpec, ...]
    words: WordSpec
    quick: bool = False

    def to_dict(self) -> dict:
        return {
            "memory": [asdict(spec) for spec in self.memory],
            "words": asdict(self.words),
            "quick": self.quick,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Settings:
        return cls(
            tuple(MemorySpec(**spec) for spec in data["memory"]),
            WordSpec(**data["words"]),
            data["quick"],
        )

    def spec(self, task: str) -> MemorySpec | WordSpec:
        specs = {s.task: s for s in (*self.memory, self.words)}
        if task not in specs:
            raise InputError(
                f"Unknown comparison {task!r}: choose one of {', '.join(specs)}."
            )
        return specs[task]

    @property
    def tasks(self) -> list[str]:
        return [s.task for s in self.memory] + [self.words.task]


MEMORY_LENGTHS = (10, 50)


def settings(quick: bool = False) -> Settings:
    """The shipped comparison, or a toy one that trains in seconds (tests)."""
    if quick:
        memory = tuple(
            MemorySpec(length, hidden_size=8, steps=20, eval_every=10, n_test=200)
            for length in (5, 10)
        )
        words = WordSpec(
            train_tokens=4_000,
            valid_tokens=1_000,
            vocab_size=300,
            hidden_size=16,
            steps=12,
            batch_size=8,
            eval_every=6,
        )
        return Settings(memory, words, quick=True)
    return Settings(tuple(MemorySpec(n) for n in MEMORY_LENGTHS), WordSpec())


# ---------------------------------------------------------------- the runs


def cell_of(run: str) -> str:
    """The kind of cell a run trains: the wide RNN is a plain RNN."""
    if run not in RUNS:
        raise InputError(f"Unknown cell {run!r}: choose one of {', '.join(RUNS)}.")
    return "rnn" if run == WIDE_RNN else run


@dataclass
class Run:
    """One cell trained on one task: its size, its cost and its learning curve."""

    task: str
    cell: str  # the run's name, one of RUNS (see `cell_of` for its kind of cell)
    parameters: int
    metric: str  # "accuracy" (higher is better) or "perplexity" (lower is better)
    steps: int  # optimisation steps actually taken
    train_seconds: float  # wall time of the training steps (evaluation excluded)
    hidden_size: int = 0  # units in the recurrent layer
    # per evaluation point: step, seconds, train_loss (mean since the last point;
    # None at step 0) and the held-out metric under its own name
    curve: list[dict] = field(default_factory=list)
    stopped_because: str = "finished"  # or "time limit" / "stopped"
    model: nn.Module | None = field(default=None, repr=False, compare=False)

    @property
    def final_metric(self) -> float | None:
        return self.curve[-1][self.metric]

    def row(self) -> dict:
        """The table row: plain JSON-ready values."""
        return {
            "task": self.task,
            "cell": self.cell,
            "hidden_size": self.hidden_size,
            "parameters": self.parameters,
            "train_seconds": self.train_seconds,
            "metric": self.metric,
            "final_metric": self.final_metric,
            "steps": self.steps,
            "stopped_because": self.stopped_because,
        }

    def to_dict(self) -> dict:
        return self.row() | {"curve": self.curve}

    @classmethod
    def from_dict(cls, data: dict) -> Run:
        fields = (
            "task",
            "cell",
            "parameters",
            "metric",
            "steps",
            "train_seconds",
            "hidden_size",
        )
        return cls(
            **{key: data[key] for key in fields},
            curve=data["curve"],
            stopped_because=data["stopped_because"],
        )


def _fit(
    run: Run,
    objective: nn.Module,
    next_batch: Callable[[int], tuple[Tensor, ...]],
    evaluate: Callable[[], float],
    spec: MemorySpec | WordSpec,
    on_step: Callable[[Progress], None] | None,
    on_eval: Callable[[Run], None] | None,
    seconds_cap: float | None,
    should_stop: Callable[[], bool] | None,
) -> Run:
    """Adam for spec.steps steps (fewer if capped), evaluating every eval_every."""
    set_seed(spec.seed)
    optimizer = torch.optim.Adam(objective.parameters(), lr=spec.lr)
    started = time.perf_counter()
    training_s, losses = 0.0, []

    def record(step: int) -> None:
        value = evaluate()
        mean_loss = sum(losses) / len(losses) if losses else None
        losses.clear()
        run.curve.append(
            {
                "step": step,
                "seconds": round(training_s, 2),
                "train_loss": _finite(mean_loss),
                run.metric: _finite(value),
            }
        )
        if on_eval:
            on_eval(run)

    record(0)
    for step in range(1, spec.steps + 1):
        tick = time.perf_counter()
        objective.train()
        batch = next_batch(step - 1)
        optimizer.zero_grad()
        _, loss = objective(*batch)
        loss.backward()
        # clipping keeps one exploding step (a plain RNN's weakness) from
        # throwing the weights away; every cell gets the same clip
        nn.utils.clip_grad_norm_(objective.parameters(), spec.clip)
        optimizer.step()
        training_s += time.perf_counter() - tick
        losses.append(loss.item())
        run.steps = step
        if on_step:
            tokens = step * batch[0].numel()
            on_step(_progress(step, spec.steps, losses[-1], tokens, started))
        if should_stop and should_stop():
            run.stopped_because = "stopped"
        elif seconds_cap is not None and time.perf_counter() - started >= seconds_cap:
            run.stopped_because = "time limit"
        stopping = run.stopped_because != "finished"
        if stopping or step % spec.eval_every == 0 or step == spec.steps:
            record(step)
        if stopping:
            break
    run.train_seconds = round(training_s, 2)
    objective.eval()
    return run


def _progress(
    step: int, total: int, loss: float, tokens: int, started: float
) -> Progress:
    """What the CLI's progress bar and the page's live chart read after a step."""
    elapsed = time.perf_counter() - started
    return Progress(
        epoch=1,
        step=step,
        total_steps=total,
        loss=loss,
        tokens_per_s=tokens / max(elapsed, 1e-9),
        elapsed_s=elapsed,
        eta_s=elapsed / step * (total - step),
    )


def _finite(value: float | None) -> float | None:
    """JSON has no NaN: a diverged value is recorded as None."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, 4)


# ------------------------------------------------------------- memory task


def memory_model(
    spec: MemorySpec, cell: str, hidden_size: int | None = None
) -> SequenceClassifier:
    """The classifier for one memory comparison, freshly initialised (the
    spec's hidden size unless another is given)."""
    hidden_size = hidden_size or spec.hidden_size
    model = SequenceClassifier(
        RecurrentConfig(
            cell=cell,
            vocab_size=len(memory_vocab(spec)),
            embed_size=spec.embed_size,
            hidden_size=hidden_size,
            num_classes=spec.n_symbols,
        )
    )
    if cell != "rnn":
        # LSTM forget gate and GRU update gate: both the second block of rows
        keep = slice(hidden_size, 2 * hidden_size)
        with torch.no_grad():
            model.rnn.bias_ih_l0[keep] = spec.keep_bias
            model.rnn.bias_hh_l0[keep] = 0.0
    return model


def memory_test_set(spec: MemorySpec) -> tuple[Tensor, Tensor]:
    """Held-out sequences: a seed no training batch uses."""
    generator = torch.Generator().manual_seed(10_000 + spec.length)
    return first_symbol_batch(
        spec.n_test, spec.length, spec.n_symbols, generator, spec.n_distractors
    )


def memory_accuracy(model: SequenceClassifier, spec: MemorySpec) -> float:
    ids, targets = memory_test_set(spec)
    model.eval()
    with torch.no_grad():
        logits, _ = model(ids)
    return (logits.argmax(1) == targets).float().mean().item()


def _train_memory(spec: MemorySpec, name: str, **hooks) -> Run:
    set_seed(spec.seed)
    size = hidden_size(spec, name, len(memory_vocab(spec)))
    model = memory_model(spec, cell_of(name), size)
    # the same generator seed for every cell: the same batches in the same order
    generator = torch.Generator().manual_seed(1 + spec.length)

    def next_batch(_: int) -> tuple[Tensor, Tensor]:
        return first_symbol_batch(
            spec.batch_size, spec.length, spec.n_symbols, generator, spec.n_distractors
        )

    run = Run(spec.task, name, count_parameters(model), "accuracy", 0, 0.0, size)
    run.model = model
    return _fit(
        run, model, next_batch, lambda: memory_accuracy(model, spec), spec, **hooks
    )


def memory_vocab(spec: MemorySpec) -> Vocab:
    """The special tokens, the answer letters (a-h), then the distractors (i-l)."""
    return symbol_vocab(spec.n_symbols + spec.n_distractors)


# --------------------------------------------------------- next-word task


@dataclass(frozen=True)
class WordData:
    """The BBC slices one next-word comparison trains and scores on."""

    vocab: Vocab
    train: list[tuple[Tensor, Tensor]]  # (B, bptt) windows, carried state between
    valid: list[tuple[Tensor, Tensor]]


@cache
def word_data(spec: WordSpec) -> WordData:
    """The first tokens of the BBC train and valid splits, as batched windows."""
    train_tokens = _first_tokens(bbc_token_docs("train"), spec.train_tokens)
    valid_tokens = _first_tokens(bbc_token_docs("valid"), spec.valid_tokens)
    # the vocabulary comes from the training slice only
    vocab = Vocab.build([train_tokens], max_size=spec.vocab_size)
    train = batchify(stream([train_tokens], vocab), spec.batch_size, spec.bptt)
    valid = batchify(stream([valid_tokens], vocab), 10, spec.bptt)
    return WordData(vocab, train, valid)


def _first_tokens(docs: list[list[str]], n: int) -> list[str]:
    tokens: list[str] = []
    for doc in docs:
        tokens += doc
        if len(tokens) >= n:
            break
    return tokens[:n]


def word_model(
    spec: WordSpec, cell: str, vocab_size: int, hidden_size: int | None = None
) -> LanguageModel:
    """A one-layer language model without dropout (600 steps are too few for it);
    the spec's hidden size unless another is given."""
    config = LMConfig(
        vocab_size=vocab_size,
        cell=cell,
        hidden_size=hidden_size or spec.hidden_size,
        num_layers=1,
        dropout=0.0,
    )
    return LanguageModel(config)


def perplexity(model: LanguageModel, windows: list[tuple[Tensor, Tensor]]) -> float:
    """exp(mean cross-entropy per word) over the windows, state carried through."""
    objective = CarriedStateObjective(model).eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for ids, targets in windows:
            _, loss = objective(ids, targets)
            total += loss.item() * targets.numel()
            count += targets.numel()
    return math.exp(min(total / max(count, 1), 50.0))  # exp(50): beyond any vocab


def _train_words(spec: WordSpec, name: str, **hooks) -> Run:
    data = word_data(spec)
    set_seed(spec.seed)
    size = hidden_size(spec, name, len(data.vocab))
    model = word_model(spec, cell_of(name), len(data.vocab), size)
    objective = CarriedStateObjective(model)

    def next_batch(index: int) -> tuple[Tensor, Tensor]:
        position = index % len(data.train)
        if position == 0:  # back to the start of the text: forget the old state
            objective.reset_state()
        return data.train[position]

    run = Run(spec.task, name, count_parameters(model), "perplexity", 0, 0.0, size)
    run.model = model
    return _fit(
        run, objective, next_batch, lambda: perplexity(model, data.valid), spec, **hooks
    )


# ------------------------------------------------------------- the wide RNN


def hidden_size(
    spec: MemorySpec | WordSpec, run: str, vocab_size: int | None = None
) -> int:
    """A run's hidden units: the spec's shared size, except for the wide RNN,
    which gets the size that brings a plain RNN's whole-model parameter count
    closest to the LSTM's on the same task.

    `vocab_size` is the next-word vocabulary's real size (default: the spec's
    cap); the memory task's vocabulary is fixed by its spec.
    """
    cell_of(run)  # a friendly error for an unknown run
    if run != WIDE_RNN:
        return spec.hidden_size
    if isinstance(spec, WordSpec):
        vocab_size = vocab_size or spec.vocab_size
    else:
        vocab_size = len(memory_vocab(spec))
    return _matching_size(spec, vocab_size)


@cache
def _matching_size(spec: MemorySpec | WordSpec, vocab_size: int) -> int:
    target = _count(spec, MATCHED, spec.hidden_size, vocab_size)
    size = spec.hidden_size
    # a plain RNN's count grows with every unit: widen it while it stays at or
    # below the target, then keep whichever of that size and the next is closer
    while _count(spec, "rnn", size + 1, vocab_size) <= target:
        size += 1
    return min(
        (size, size + 1),
        key=lambda units: abs(_count(spec, "rnn", units, vocab_size) - target),
    )


def _count(spec: MemorySpec | WordSpec, cell: str, size: int, vocab_size: int) -> int:
    """The parameters of the task's whole model, counted on a real one built on
    the meta device (shapes only, no memory, the random state left alone)."""
    with torch.device("meta"), torch.random.fork_rng():
        if isinstance(spec, MemorySpec):
            model: nn.Module = memory_model(spec, cell, size)
        else:
            model = word_model(spec, cell, vocab_size, size)
    return count_parameters(model)


# ------------------------------------------------------ the whole comparison


def train_run(
    task: str,
    cell: str,
    config: Settings,
    on_step: Callable[[Progress], None] | None = None,
    on_eval: Callable[[Run], None] | None = None,
    seconds_cap: float | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Run:
    """Train one run (a cell, or the wide RNN) on one task with the comparison's
    training: its steps, data, seed and (but for the wide RNN) hidden size."""
    cell_of(cell)  # a friendly error for an unknown run
    spec = config.spec(task)
    hooks = {
        "on_step": on_step,
        "on_eval": on_eval,
        "seconds_cap": seconds_cap,
        "should_stop": should_stop,
    }
    # one thread: the timings compare cells, not thread scheduling, and a live
    # rerun must not take every core of a shared server
    with one_thread(), torch.random.fork_rng():  # the caller's RNG is left alone
        if isinstance(spec, MemorySpec):
            return _train_memory(spec, cell, **hooks)
        return _train_words(spec, cell, **hooks)


@dataclass
class Comparison:
    """Every run of a comparison: the table, the curves and the trained models."""

    settings: Settings
    runs: list[Run]
    state_dict: dict[str, Tensor] = field(repr=False)  # keys "<task>.<run>.<param>"
    word_vocab: Vocab = field(repr=False)
    _models: dict = field(default_factory=dict, repr=False, compare=False)

    def run(self, task: str, cell: str) -> Run:
        for run in self.runs:
            if run.task == task and run.cell == cell:
                return run
        raise InputError(
            f"No run for {task!r} with {cell!r}: tasks are "
            f"{', '.join(self.settings.tasks)}; cells {', '.join(RUNS)}."
        )

    def model(self, task: str, cell: str) -> nn.Module:
        """The trained model of one run (eval mode), built once and then shared:
        read it, do not train it."""
        if (task, cell) not in self._models:
            self._models[task, cell] = self._build(task, cell)
        return self._models[task, cell]

    def _build(self, task: str, cell: str) -> nn.Module:
        size = self.run(task, cell).hidden_size  # an unknown pair: a friendly error
        spec = self.settings.spec(task)
        with torch.random.fork_rng():  # the weights are overwritten below anyway
            if isinstance(spec, MemorySpec):
                model: nn.Module = memory_model(spec, cell_of(cell), size)
            else:
                model = word_model(spec, cell_of(cell), len(self.word_vocab), size)
        prefix = f"{task}.{cell}."
        weights = {
            key[len(prefix) :]: value
            for key, value in self.state_dict.items()
            if key.startswith(prefix)
        }
        if TIED in model.state_dict():
            weights[TIED] = weights["embedding.weight"]
        model.load_state_dict(weights)
        return model.eval()

    def table(self) -> list[dict]:
        return comparison_table(self.runs)

    def curve_rows(self) -> list[dict]:
        """One tidy row per (task, cell, evaluation point), for line charts."""
        return [
            {
                "task": run.task,
                "cell": run.cell,
                "label": RUN_LABELS[run.cell],
                "step": point["step"],
                "seconds": point["seconds"],
                "train_loss": point["train_loss"],
                "metric": run.metric,
                "value": point[run.metric],
            }
            for run in self.runs
            for point in run.curve
        ]


def comparison_table(runs: list[Run] | Comparison) -> list[dict]:
    """One row per run: task, cell, parameters, train_seconds, metric, steps."""
    if isinstance(runs, Comparison):
        runs = runs.runs
    return [run.row() for run in runs]


def run_all(
    config: Settings, on_step: Callable[[Progress], None] | None = None
) -> list[Run]:
    """Every task with every run (the three cells, then the wide RNN)."""
    return [
        train_run(task, run, config, on_step=on_step)
        for task in config.tasks
        for run in RUNS
    ]


def build_comparison(
    config: Settings, runs: list[Run], word_vocab: Vocab
) -> Comparison:
    state = {}
    for run in runs:
        for key, value in run.model.state_dict().items():
            if key != TIED:  # stored once, as embedding.weight
                state[f"{run.task}.{run.cell}.{key}"] = value
    return Comparison(config, runs, state, word_vocab)


def save_comparison(comparison: Comparison, path: Path) -> dict:
    """Write the comparison as a checkpoint (fp16 weights); return its metrics."""
    metrics = {
        "table": comparison.table(),
        "runs": [run.to_dict() for run in comparison.runs],
    }
    save_checkpoint(
        Checkpoint(
            task=NAME,
            state_dict=comparison.state_dict,
            config=comparison.settings.to_dict(),
            vocab=comparison.word_vocab,
            fingerprint=_fingerprint(comparison.settings),
            metrics=metrics,
        ),
        path,
        half=True,
    )
    return metrics


def _fingerprint(config: Settings) -> dict:
    prints = corpus_split("bbc").fingerprints()
    return {
        "memory": "first_symbol_batch, seeds 1+length (train), 10000+length (test)",
        "bbc_train": prints["train"],
        "bbc_valid": prints["valid"],
        "bbc_slices": f"first {config.words.train_tokens} train tokens, "
        f"first {config.words.valid_tokens} valid tokens",
    }


def load_comparison(path: Path) -> Comparison:
    """The shipped (or any saved) comparison; a bad file raises CheckpointError."""
    checkpoint = load_checkpoint(path, NAME)
    runs = [Run.from_dict(data) for data in checkpoint.metrics["runs"]]
    return Comparison(
        Settings.from_dict(checkpoint.config),
        runs,
        checkpoint.state_dict,
        checkpoint.vocab,
    )


def retrain_one(
    task: str,
    cell: str,
    seconds_cap: float = 20.0,
    on_step: Callable[[Progress], None] | None = None,
    on_eval: Callable[[Run], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    quick: bool = False,
) -> Run:
    """Rerun one cell live with the shipped training, stopped at `seconds_cap`.

    The returned Run holds the trained model in `.model`; its curve can be drawn
    next to the shipped one. `on_eval` sees the run after every evaluation point.
    """
    if not isinstance(seconds_cap, int | float) or not (
        1 <= seconds_cap <= MAX_RETRAIN_SECONDS
    ):
        raise InputError(
            f"The time limit must be between 1 and {MAX_RETRAIN_SECONDS:.0f} seconds."
        )
    return train_run(
        task,
        cell,
        settings(quick),
        on_step=on_step,
        on_eval=on_eval,
        seconds_cap=float(seconds_cap),
        should_stop=should_stop,
    )


# ------------------------------------------------------------ gate diagrams

# The blocks of weight_ih / weight_hh in torch's order, with what each computes.
_BLOCKS = {
    "rnn": [
        (
            "new state",
            "the new hidden state: the word and the old state mixed and squashed",
            "h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh)",
        )
    ],
    "lstm": [
        (
            "input gate",
            "how much of the candidate to write into the cell state",
            "i_t = sigmoid(W_ii x_t + b_ii + W_hi h_(t-1) + b_hi)",
        ),
        (
            "forget gate",
            "how much of the old cell state to keep",
            "f_t = sigmoid(W_if x_t + b_if + W_hf h_(t-1) + b_hf)",
        ),
        (
            "candidate",
            "the new content on offer",
            "g_t = tanh(W_ig x_t + b_ig + W_hg h_(t-1) + b_hg)",
        ),
        (
            "output gate",
            "how much of the cell state to show as h_t",
            "o_t = sigmoid(W_io x_t + b_io + W_ho h_(t-1) + b_ho)",
        ),
    ],
    "gru": [
        (
            "reset gate",
            "how much of the old state the candidate may look at",
            "r_t = sigmoid(W_ir x_t + b_ir + W_hr h_(t-1) + b_hr)",
        ),
        (
            "update gate",
            "how much of the old state to keep instead of the candidate",
            "z_t = sigmoid(W_iz x_t + b_iz + W_hz h_(t-1) + b_hz)",
        ),
        (
            "candidate",
            "the new content, built from the word and the reset old state",
            "n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_(t-1) + b_hn))",
        ),
    ],
}
_STATE_UPDATE = {
    "rnn": ["h_t = the new state (nothing decides what to keep)"],
    "lstm": ["c_t = f_t * c_(t-1) + i_t * g_t", "h_t = o_t * tanh(c_t)"],
    "gru": ["h_t = (1 - z_t) * n_t + z_t * h_(t-1)"],
}


def cell_anatomy(input_size: int = 8, hidden_size: int = 32) -> list[dict]:
    """Per cell: its weight blocks (gates and candidate) read off a real layer.

    `weight_blocks` is weight_ih's rows / hidden size of a torch layer of that
    type (RNN 1, GRU 3, LSTM 4), and `parameters` that layer's count.
    """
    anatomy = []
    for cell in CELL_TYPES:
        with torch.device("meta"):  # shapes only, no memory
            layer = make_recurrent_layer(cell, input_size, hidden_size)
        blocks = layer.weight_ih_l0.shape[0] // hidden_size
        if blocks != len(_BLOCKS[cell]):
            raise RuntimeError(f"torch's {cell} has {blocks} blocks; update _BLOCKS")
        anatomy.append(
            {
                "cell": cell,
                "label": CELL_LABELS[cell],
                "weight_blocks": blocks,
                "weight_matrices": 2 * blocks,  # one W_i* and one W_h* per block
                "parameters": count_parameters(layer),
                "input_size": input_size,
                "hidden_size": hidden_size,
                "gates": [
                    {
                        "name": name,
                        "is_gate": name.endswith("gate"),  # sigmoid, 0..1
                        "meaning": meaning,
                        "equation": equation,
                    }
                    for name, meaning, equation in _BLOCKS[cell]
                ],
                "state_update": _STATE_UPDATE[cell],
                "has_cell_state": cell == "lstm",
            }
        )
    return anatomy


# ----------------------------------------------------- asking the memory models

MAX_SEQUENCE = 200  # letters in one typed sequence
_SEPARATORS = set(" ,;-\t\n")


def parse_sequence(text: str, spec: MemorySpec) -> list[str]:
    """'c i k j l' or 'cikjl' -> letters; anything the models never saw is refused.

    The first letter is the one to remember (a-h); every letter after it is a
    distractor (i-l), as in training.
    """
    vocab = memory_vocab(spec)
    answers = vocab.itos[len(SPECIALS) : len(SPECIALS) + spec.n_symbols]
    distractors = vocab.itos[len(SPECIALS) + spec.n_symbols :]
    example = "c i k j l i"
    if not isinstance(text, str) or len(text) > 4 * MAX_SEQUENCE:
        raise InputError(f"Type at most {MAX_SEQUENCE} letters, for example: {example}")
    normal = unicodedata.normalize("NFKC", text).casefold()
    letters = [ch for ch in normal if ch not in _SEPARATORS]
    if not letters:
        raise InputError(f"Type a few letters, for example: {example}")
    if len(letters) > MAX_SEQUENCE:
        raise InputError(f"That is {len(letters)} letters; use at most {MAX_SEQUENCE}.")
    strange = sorted(set(letters) - set(answers) - set(distractors))
    if strange:
        raise InputError(
            f"Use only the letters {answers[0]}-{answers[-1]} and "
            f"{distractors[0]}-{distractors[-1]}, for example: {example}"
        )
    if letters[0] not in answers:
        raise InputError(
            f"Start with the letter to remember, one of {' '.join(answers)}; "
            f"for example: {example}"
        )
    if any(ch not in distractors for ch in letters[1:]):
        raise InputError(
            f"After the first letter use only the distractors "
            f"{' '.join(distractors)}, as in training; for example: {example}"
        )
    return letters


def example_sequences(spec: MemorySpec, n: int = 3, seed: int = 0) -> list[str]:
    """Typical sequences of the spec's length, reproducible from `seed`."""
    generator = torch.Generator().manual_seed(20_000 + seed)
    ids, _ = first_symbol_batch(
        n, spec.length, spec.n_symbols, generator, spec.n_distractors
    )
    vocab = memory_vocab(spec)
    return [" ".join(vocab.decode(row.tolist())) for row in ids]


def recall(comparison: Comparison, text: str, k: int = 3) -> dict:
    """Every trained memory model's answer to one typed sequence, ranked."""
    specs = comparison.settings.memory
    letters = parse_sequence(text, specs[0])
    answers = []
    for spec in specs:
        vocab = memory_vocab(spec)
        ids = torch.tensor([vocab.encode(letters)])  # (1, T)
        for cell in RUNS:
            with torch.no_grad():
                logits, _ = comparison.model(spec.task, cell)(ids)
            probs = logits.softmax(dim=1)[0]  # (n_symbols,)
            top = probs.topk(min(max(int(k), 1), spec.n_symbols))
            ranked = [
                {
                    "symbol": vocab.itos[len(SPECIALS) + int(i)],
                    "probability": round(float(p), 4),
                }
                for p, i in zip(top.values, top.indices, strict=True)
            ]
            answers.append(
                {
                    "task": spec.task,
                    "trained_length": spec.length,
                    "cell": cell,
                    "label": RUN_LABELS[cell],
                    "answer": ranked[0]["symbol"],
                    "probability": ranked[0]["probability"],
                    "correct": ranked[0]["symbol"] == letters[0],
                    "ranked": ranked,
                }
            )
    return {
        "text": text,
        "first": letters[0],
        "length": len(letters),
        "answers": answers,
    }
