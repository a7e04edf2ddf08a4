"""The gradient lab: how the gradient of a loss at the last step shrinks or grows
on its way back through time, measured with autograd on real unrolled cells.

Backpropagation through time (BPTT) is backpropagation on the unrolled network.
For a plain RNN the Jacobian of one step is dh_t/dh_(t-1) = diag(f'(a_t)) W_hh:
the weights are the same at every step, the slope f'(a_t) is not. Backpropagation
multiplies the gradient by its transpose, W_hh^T diag(f'(a_t)), once per step. If
the largest singular value of W_hh times the largest slope of f is below 1, the
gradient must vanish; above 1 is needed for it to explode, but not enough (Pascanu,
Mikolov and Bengio 2013). The weight scale sets the singular values of W_hh;
saturation (f' near 0) shrinks; along the LSTM's cell state and the GRU's state
each step multiplies the gradient by a gate (f_t, z_t) instead of a matrix.

Truncated BPTT detaches the state k steps before the loss, so autograd stops there.
Gradient clipping (`clip_grad_norm_`) acts after backpropagation, on the weights'
whole gradient at once: it shortens the update and keeps its direction, so it
leaves the profile of dL/dh_t across time as it is.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import Tensor, nn

from engine.cells import CELLS, Step, TransparentRNN
from engine.errors import InputError
from engine.memory_task import first_symbol_batch, first_symbol_batches
from engine.models import RecurrentConfig, SequenceClassifier
from engine.train import TrainConfig, Trainer, set_seed

# name -> (cell type, nonlinearity for a plain RNN)
CELL_KINDS = {
    "rnn-tanh": ("rnn", "tanh"),
    "rnn-relu": ("rnn", "relu"),
    "linear": ("rnn", "identity"),
    "lstm": ("lstm", "tanh"),
    "gru": ("gru", "tanh"),
}
CELL_LABELS = {
    "rnn-tanh": "RNN (tanh)",
    "rnn-relu": "RNN (ReLU)",
    "linear": "Linear RNN",
    "lstm": "LSTM",
    "gru": "GRU",
}
INITS = ("orthogonal", "gaussian")
INPUTS = ("noise", "zeros")
MAX_LENGTH, MAX_HIDDEN = 500, 256
MIN_SCALE, MAX_SCALE = 0.01, 10.0
INPUT_SIZE = 16  # size of the random or zero input vectors
# The LSTM's forget-gate and the GRU's update-gate bias at the start: positive, so
# both keep most of the old state (for the GRU, z near 1 in PyTorch's convention),
# as is usual in practice. The lab measures and the memory task trains this start.
KEEP_BIAS = 2.0
KEEP_GATE = {"lstm": "forget", "gru": "update"}  # the gate on the state's own path


@dataclass
class GradientRun:
    """Gradient norms ||dL/dh_t|| for several weight scales of one cell."""

    cell: str
    scales: list[float]
    norms: np.ndarray  # (scales, length): column k is k steps back from the output
    overflow_step: list[int | None] = field(default_factory=list)  # first inf/NaN
    # LSTM forget / GRU update gate, averaged over steps and units (empty otherwise)
    keep_gate: list[float] = field(default_factory=list)
    # steps back where truncated BPTT cut the backward pass (None: nothing was cut);
    # every column further back is exactly 0
    truncated: int | None = None

    def rows(self) -> list[dict]:
        """One row per (scale, steps back): a tidy table for charts and CSV."""
        return [
            {
                "cell": self.cell,
                "scale": scale,
                "steps_back": k,
                "grad_norm": None if not math.isfinite(value) else float(value),
            }
            for scale, row in zip(self.scales, self.norms, strict=True)
            for k, value in enumerate(row)
        ]


def _recurrent_weight(shape, scale: float, init: str, gen: torch.Generator) -> Tensor:
    """One (rows, H) recurrent matrix: each H x H block `scale` times a random
    orthogonal matrix (every singular value exactly `scale`) or `scale` times a
    Gaussian one with entries N(0, 1/H) (spectral radius about `scale`, largest
    singular value about 2 x `scale` for a large H)."""
    rows, hidden = shape
    blocks = []
    for _ in range(rows // hidden):
        if init == "orthogonal":
            q, r = torch.linalg.qr(
                torch.randn(hidden, hidden, generator=gen, dtype=torch.float64)
            )
            blocks.append(
                q * torch.sign(torch.diagonal(r))
            )  # a uniformly random rotation
        else:
            blocks.append(
                torch.randn(hidden, hidden, generator=gen, dtype=torch.float64)
                / math.sqrt(hidden)
            )
    return scale * torch.cat(blocks)


def check_settings(
    cell: str, scales: list[float], hidden: int, length: int, init: str
) -> None:
    if cell not in CELL_KINDS:
        raise InputError(
            f"Unknown cell {cell!r}: choose one of {', '.join(CELL_KINDS)}."
        )
    if init not in INITS:
        raise InputError(f"Unknown initialisation {init!r}: use {' or '.join(INITS)}.")
    if not 1 <= length <= MAX_LENGTH:
        raise InputError(f"The sequence length must be between 1 and {MAX_LENGTH}.")
    if not 1 <= hidden <= MAX_HIDDEN:
        raise InputError(f"The hidden size must be between 1 and {MAX_HIDDEN}.")
    if not scales or not all(MIN_SCALE <= s <= MAX_SCALE for s in scales):
        raise InputError(f"Weight scales must be between {MIN_SCALE} and {MAX_SCALE}.")


def make_inputs(
    kind: str, length: int, seed: int = 0, dtype: torch.dtype = torch.float32
) -> Tensor:
    """Inputs x_1..x_T of shape (T, INPUT_SIZE): Gaussian noise or all zeros."""
    if kind not in INPUTS:
        raise InputError(f"Unknown input {kind!r}: use {' or '.join(INPUTS)}.")
    if kind == "zeros":
        return torch.zeros(length, INPUT_SIZE, dtype=dtype)
    gen = torch.Generator().manual_seed(seed + 1)
    return torch.randn(length, INPUT_SIZE, generator=gen, dtype=torch.float64).to(dtype)


def build_network(
    cell: str,
    scales: list[float],
    hidden: int,
    input_size: int,
    init: str,
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
    keep_bias: float = KEEP_BIAS,
) -> TransparentRNN:
    """One transparent cell whose weights have one copy per scale (batch rows).

    Every copy shares the same random directions; only the recurrent scale differs,
    so the curves differ by the scale alone.
    """
    kind, nonlinearity = CELL_KINDS[cell]
    network = TransparentRNN(kind, input_size, hidden, nonlinearity=nonlinearity)
    unit = network.layers[0][0]
    gen = torch.Generator().manual_seed(seed)
    gates = CELLS[kind].n_gates
    recurrent = _recurrent_weight((gates * hidden, hidden), 1.0, init, gen)
    to_input = torch.randn(
        gates * hidden, input_size, generator=gen, dtype=torch.float64
    )
    to_input /= math.sqrt(input_size)
    batch = len(scales)
    with torch.no_grad():
        weights = {
            "weight_hh": torch.stack([s * recurrent for s in scales]),  # (S, G*H, H)
            "weight_ih": to_input.expand(batch, -1, -1),  # (S, G*H, I)
            "bias_ih": torch.zeros(batch, gates * hidden, dtype=torch.float64),
            "bias_hh": torch.zeros(batch, gates * hidden, dtype=torch.float64),
        }
        if kind in ("lstm", "gru"):
            # The LSTM's forget gate and the GRU's update gate are both the second
            # block: a positive bias opens the "keep the old state" path.
            weights["bias_ih"][:, hidden : 2 * hidden] = keep_bias
    for name, value in weights.items():
        setattr(
            unit, name, nn.Parameter(value.to(dtype).contiguous(), requires_grad=False)
        )
    return network


def gradient_norms(
    cell: str,
    scales: list[float],
    hidden: int = 64,
    length: int = 100,
    init: str = "orthogonal",
    inputs: Tensor | None = None,
    dtype: torch.dtype = torch.float32,
    seed: int = 0,
    keep_bias: float = KEEP_BIAS,
    truncate: int | None = None,
) -> GradientRun:
    """||dL/dh_t|| for t = T, T-1, ..., 1 (index k = T - t steps back), per scale.

    L = v . h_T for a fixed random unit vector v, so ||dL/dh_T|| = 1 and every
    other value is how much of the output's gradient reaches step t. With
    `truncate` = k the backward pass stops k steps back (truncated BPTT): the
    values up to k are the same as without it, every one further back is 0.
    """
    if inputs is None:
        inputs = make_inputs("noise", length, seed, dtype)
    length = inputs.shape[0]
    check_settings(cell, scales, hidden, length, init)
    cut = cut_step(truncate, length)
    network = build_network(
        cell, scales, hidden, inputs.shape[1], init, seed, dtype, keep_bias
    )
    x = inputs.to(dtype).unsqueeze(0).expand(len(scales), -1, -1)  # (S, T, I)
    with torch.enable_grad():
        steps = _unroll(network, x, cut)
        hs = [step.h for step in steps]  # T tensors of (S, H)
        loss = _output_loss(hs[-1], seed)  # rows (scales) are independent
        # the steps before a cut are not on the loss's graph: their gradient is 0
        grads = torch.autograd.grad(loss, hs, allow_unused=True, materialize_grads=True)
    keep = KEEP_GATE.get(CELL_KINDS[cell][0])
    keep_gate = []
    if keep:  # (T, S, H) -> one mean per scale
        gate = torch.stack([step.gates[keep] for step in steps])
        keep_gate = gate.double().mean(dim=(0, 2)).tolist()
    # norms in float64: squaring a 1e-30 float32 gradient would underflow to 0
    norms = torch.stack([g.double().norm(dim=1) for g in grads], dim=1)  # (S, T)
    norms = norms.flip(1).numpy()  # column k: k steps back from the output
    overflow = [_first_bad(row) for row in norms]
    for row, bad in zip(norms, overflow, strict=True):
        if bad is not None:  # past an overflow the numbers are meaningless, up to
            row[bad : None if cut is None else cut + 1] = np.nan  # the cut's zeros
    return GradientRun(cell, list(scales), norms, overflow, keep_gate, cut)


def cut_step(truncate: int | None, length: int) -> int | None:
    """Steps back at which truncated BPTT cuts a sequence of `length` steps; None
    when it cuts nothing (no truncation, or k reaches back to h_1 or further)."""
    if truncate is None:
        return None
    if isinstance(truncate, bool) or not isinstance(truncate, int) or truncate < 0:
        raise InputError("Truncate the backward pass after 0 or more whole steps.")
    return truncate if truncate < length - 1 else None


def _unroll(network: TransparentRNN, x: Tensor, cut: int | None) -> list[Step]:
    """Run the network's one cell over x (S, T, I) from h_0 = 0 (and c_0 = 0).

    With `cut` = k, h_(T-k) is replaced by a detached copy, as a language model
    does between windows: the forward pass goes on from the same numbers, but
    autograd stops there, k steps back from the output (truncated BPTT).
    """
    unit = network.layers[0][0]
    batch, length = x.shape[0], x.shape[1]
    # h_0 is marked as needing a gradient so autograd records the whole chain
    # h_0 -> h_1 -> ... -> h_T even where the weights themselves stay fixed
    h0 = x.new_zeros(batch, unit.hidden_size).requires_grad_()
    c0 = torch.zeros_like(h0) if network.cell_type == "lstm" else None
    state, steps = Step(h=h0, c=c0), []
    for t in range(length):
        state = unit(x[:, t], state)
        if cut is not None and t == length - 1 - cut:
            state = _detach(state)
        steps.append(state)
    return steps


def _detach(step: Step) -> Step:
    """The same state cut off from its past: h.detach() and, for the LSTM,
    c.detach(). The new h is a leaf that still records its own gradient: the
    last one the cut lets through."""
    c = None if step.c is None else step.c.detach()
    return Step(h=step.h.detach().requires_grad_(), c=c, gates=step.gates)


def _output_loss(h_last: Tensor, seed: int) -> Tensor:
    """L = v . h_T for a fixed random unit vector v, summed over the batch rows."""
    gen = torch.Generator().manual_seed(seed + 2)
    v = torch.randn(h_last.shape[1], generator=gen, dtype=torch.float64)
    v = v.to(h_last.dtype)
    return (h_last * (v / v.norm())).sum()


def _first_bad(row: np.ndarray) -> int | None:
    bad = np.flatnonzero(~np.isfinite(row))
    return int(bad[0]) if len(bad) else None


def growth_per_step(run: GradientRun, row: int) -> tuple[float, int] | None:
    """The measured factor per step back (a geometric mean) and over how many
    steps: up to the last finite, non-zero norm. None if there is no such step."""
    norms = run.norms[row]
    good = np.flatnonzero(np.isfinite(norms) & (norms > 0))
    steps = int(good[-1]) if len(good) else 0
    if steps == 0:
        return None
    return float((norms[steps] / norms[0]) ** (1 / steps)), steps


def steps_to_overflow(rate: float, dtype: torch.dtype = torch.float32) -> int | None:
    """Steps back at which a gradient of norm 1 growing by `rate` per step passes
    the largest number of `dtype`; None if it does not grow."""
    if rate <= 1:
        return None
    return math.ceil(math.log(torch.finfo(dtype).max) / math.log(rate))


def recurrent_spectrum(init: str, hidden: int, seed: int = 0) -> tuple[float, float]:
    """(largest singular value, spectral radius) of the plain RNNs' W_hh at scale 1:
    the matrix the lab scales (both grow in proportion to the scale)."""
    unit = build_network("linear", [1.0], hidden, INPUT_SIZE, init, seed).layers[0][0]
    matrix = unit.weight_hh[0].double()
    radius = torch.linalg.eigvals(matrix).abs().max()
    return float(torch.linalg.svdvals(matrix)[0]), float(radius)


def theory_line(scale: float, length: int) -> np.ndarray:
    """What a linear RNN with orthogonal W_hh must give: scale ** steps back."""
    return scale ** np.arange(length, dtype=np.float64)


# What the gradient's size after the whole trip means: the first bound it is under
SIZE_MEANINGS = (
    (1e-6, "it has vanished, so with these weights early inputs can barely "
        "teach the network"),
    (1e-2, "it has shrunk but not vanished, so early inputs can still teach "
        "the network, more weakly than recent ones"),
    (1e2, "it survives the trip, so early inputs can still teach the network"),
    (1e6, "it has grown, so early inputs weigh more than recent ones in a "
        "training step"),
    (math.inf, "it has exploded, so one training step would be huge"),
)  # fmt: skip


def verdict(run: GradientRun, row: int, dtype: torch.dtype = torch.float32) -> str:
    """One plain sentence on what happened to the gradient for one scale."""
    norms = run.norms[row]
    bad = run.overflow_step[row]
    if bad is not None:
        name = "float32" if dtype == torch.float32 else "float64"
        return (
            f"It exceeds the {name} range {bad} steps back: the gradient has "
            "exploded (shown as a gap, not as numbers)."
        )
    steps = len(norms) - 1
    if steps == 0:
        return "With one step there is nothing to carry back: try a longer sequence."
    cut = run.truncated
    if cut == 0:
        return (
            "The backward pass is cut at the output itself (truncated BPTT): every "
            f"one of the {steps} earlier steps gets a gradient of exactly 0."
        )
    final = norms[steps if cut is None else cut]
    meaning = next(text for limit, text in SIZE_MEANINGS if final < limit)
    if cut is None:
        return (
            f"After {steps} steps back the gradient is {final:.2g} times its size "
            f"at the output: {meaning}."
        )
    return (
        f"After {cut} steps back, where truncated BPTT cuts the backward pass, the "
        f"gradient is {final:.2g} times its size at the output: {meaning}. Further "
        f"back it is exactly 0: the {steps - cut} earlier steps get no gradient "
        "at all, whatever the weights."
    )


# the cell's weights by their names in torch's layers, as the page writes them
WEIGHT_NAMES = {
    "weight_hh": "W_hh",
    "weight_ih": "W_ih",
    "bias_hh": "b_hh",
    "bias_ih": "b_ih",
}


@dataclass
class ClipStep:
    """One update's gradient g of L with respect to all of a cell's weights, before
    and after `torch.nn.utils.clip_grad_norm_` (as training does it)."""

    cell: str
    threshold: float  # c: clip_grad_norm_'s max_norm
    before: dict[str, float]  # ||dL/dW|| per weight before clipping (in float64)
    after: dict[str, float]  # the same after clipping
    total: float  # ||g|| over all the weights, as clip_grad_norm_ computed it
    total_after: float  # ||g|| after clipping
    cosine: float  # cos(g before, g after): 1 = the same direction; NaN for g = 0
    finite: bool  # every number of g before clipping is finite

    @property
    def factor(self) -> float:
        """What clipping multiplied every number of g by (NaN if g is 0 or inf)."""
        before = math.sqrt(sum(v * v for v in self.before.values()))
        return self.total_after / before if 0 < before < math.inf else math.nan


def clip_gradient(
    cell: str,
    scale: float,
    threshold: float = 1.0,
    hidden: int = 64,
    length: int = 100,
    init: str = "orthogonal",
    inputs: Tensor | None = None,
    dtype: torch.dtype = torch.float32,
    seed: int = 0,
    keep_bias: float = KEEP_BIAS,
    truncate: int | None = None,
) -> ClipStep:
    """Backpropagate L = v . h_T into the cell's weights, then clip with the real
    `clip_grad_norm_`: if ||g|| > c, every number of g is multiplied by c / ||g||.

    The same network and loss as `gradient_norms` at one scale, so this is the
    update the curve of ||dL/dh_t|| would cause. Clipping acts on g after
    backpropagation: dL/dh_t is not touched.
    """
    if not 0 < threshold < math.inf:
        raise InputError("The clip threshold must be a positive number.")
    if inputs is None:
        inputs = make_inputs("noise", length, seed, dtype)
    check_settings(cell, [scale], hidden, inputs.shape[0], init)
    cut = cut_step(truncate, inputs.shape[0])
    network = build_network(
        cell, [scale], hidden, inputs.shape[1], init, seed, dtype, keep_bias
    )
    weights = dict(network.layers[0][0].named_parameters())
    for weight in weights.values():
        weight.requires_grad_(True)
    with torch.enable_grad():
        steps = _unroll(network, inputs.to(dtype).unsqueeze(0), cut)
        _output_loss(steps[-1].h, seed).backward()
    before = {name: w.grad.clone() for name, w in weights.items()}
    total = nn.utils.clip_grad_norm_(weights.values(), threshold)  # in place
    after = {name: w.grad for name, w in weights.items()}
    flat_before, flat_after = _flat(before), _flat(after)
    return ClipStep(
        cell,
        threshold,
        _named_norms(before),
        _named_norms(after),
        float(total),
        float(flat_after.norm()),
        _cosine(flat_before, flat_after),
        bool(torch.isfinite(flat_before).all()),
    )


def _flat(grads: dict[str, Tensor]) -> Tensor:
    # float64: the squares of a float32 gradient of 1e20 would overflow
    return torch.cat([g.double().flatten() for g in grads.values()])


def _named_norms(grads: dict[str, Tensor]) -> dict[str, float]:
    return {WEIGHT_NAMES[name]: float(g.double().norm()) for name, g in grads.items()}


def _cosine(a: Tensor, b: Tensor) -> float:
    norms = a.norm() * b.norm()
    if not (0 < norms < math.inf):
        return math.nan
    return float(a @ b / norms)


def clip_verdict(step: ClipStep, dtype: torch.dtype = torch.float32) -> str:
    """What clip_grad_norm_ did to one update, in one or two plain sentences."""
    name = "float32" if dtype == torch.float32 else "float64"
    c = step.threshold
    if not step.finite:
        return (
            f"The gradient itself overflowed {name} (it holds inf or NaN), so "
            "clipping cannot rescue it: clip_grad_norm_ scales by c/inf = 0, and "
            "0 times inf is NaN."
        )
    if not math.isfinite(step.total):
        return (
            f"Every number of g is finite, but the sum of their squares passes "
            f"{name}'s largest number ({torch.finfo(dtype).max:.2g}), so "
            "clip_grad_norm_ computes ||g|| = inf and multiplies every number by "
            "c/inf = 0: this update is lost. Clipping cannot rescue a gradient whose "
            "norm overflows."
        )
    if step.total <= c or not math.isfinite(step.factor):
        return (
            f"||g|| = {step.total:.2g} is not above c = {c:g}, so clip_grad_norm_ "
            "leaves g as it is: clipping never scales a gradient up, so it cannot "
            "help one that vanishes."
        )
    return (
        f"||g|| = {step.total:.2g} is above c = {c:g}, so clip_grad_norm_ multiplied "
        f"every number of g by the same factor, {step.factor:.2g}: now ||g|| = "
        f"{step.total_after:.3g}, and the cosine similarity between g before and "
        f"after is {step.cosine:.6f}: the same direction, only a shorter step."
    )


def log_spaced_scales(n: int = 31, low: float = 0.1, high: float = 4.0) -> list[float]:
    return [float(s) for s in np.geomspace(low, high, n)]


@dataclass
class MemoryRun:
    """One network trained on the recall-the-first-symbol task."""

    cell: str
    length: int
    history: list[dict] = field(default_factory=list)  # per epoch: loss, accuracy
    stopped_because: str = ""

    @property
    def accuracy(self) -> float:
        return self.history[-1]["accuracy"] if self.history else 0.0


def train_memory_task(
    cell: str,
    length: int,
    seconds: float = 20.0,
    clip: float | None = 1.0,
    recurrent_scale: float | None = None,
    lr: float = 3e-3,
    on_epoch=None,
    on_step=None,
    seed: int = 0,
    keep_bias: float = KEEP_BIAS,
    max_epochs: int = 10_000,
) -> MemoryRun:
    """Train a small network to recall the first of `length` symbols, capped in time.

    `recurrent_scale` multiplies the initial recurrent weights (a large value makes
    a plain RNN explode); `clip` None trains without gradient clipping.
    """
    if cell not in ("rnn", "lstm", "gru"):
        raise InputError(f"Unknown cell {cell!r}: choose rnn, lstm or gru.")
    if not 2 <= length <= MAX_LENGTH:
        raise InputError(f"The sequence length must be between 2 and {MAX_LENGTH}.")
    set_seed(seed)
    n_symbols, n_distractors = 8, 4
    config = RecurrentConfig(
        cell=cell,
        vocab_size=4 + n_symbols + n_distractors,
        embed_size=8,
        hidden_size=32,
        num_classes=n_symbols,
    )
    model = SequenceClassifier(config)
    with torch.no_grad():
        if cell in ("lstm", "gru"):
            # Gated cells start biased to keep the old state (LSTM forget, GRU
            # update: both the second block of 32), as is usual in practice.
            model.rnn.bias_ih_l0[32:64] = keep_bias
            model.rnn.bias_hh_l0[32:64] = 0.0
        if recurrent_scale is not None:
            model.rnn.weight_hh_l0.mul_(recurrent_scale)
    lengths = (length, length)
    train = first_symbol_batches(50, 32, lengths, n_symbols, seed + 1, n_distractors)
    valid = first_symbol_batches(4, 64, lengths, n_symbols, seed + 2, n_distractors)
    test_ids, test_targets = first_symbol_batch(
        500, length, n_symbols, torch.Generator().manual_seed(seed + 3), n_distractors
    )
    run = MemoryRun(cell, length)

    def record(epoch_result) -> None:
        with torch.no_grad():
            logits, _ = model(test_ids)
        accuracy = (logits.argmax(1) == test_targets).float().mean().item()
        loss = epoch_result.train_loss
        run.history.append(
            {
                "epoch": epoch_result.epoch,
                "seconds": round(epoch_result.elapsed_s, 2),
                "loss": loss if math.isfinite(loss) else None,
                "accuracy": accuracy,
            }
        )
        if on_epoch:
            on_epoch(run)

    config = TrainConfig(
        epochs=max_epochs,
        lr=lr,
        clip_norm=clip,
        patience=10_000,
        max_seconds=seconds,
        seed=seed,
    )
    result = Trainer(model, config, on_step=on_step, on_epoch=record).fit(train, valid)
    run.stopped_because = result.stopped_because
    return run


MEMORY_LENGTHS = (10, 25, 50, 100)
MEMORY_EPOCHS = 30  # the fixed budget per run: 30 x 50 = 1,500 steps of batch 32


def bench_gradients(quick: bool = False) -> dict:
    """The numbers behind the lab: theory check, sweep speed, memory-task accuracy."""
    scales = [0.5, 0.9, 1.0, 1.1, 1.5]
    run = gradient_norms("linear", scales, 64, 100, dtype=torch.float64)
    errors = [
        np.max(np.abs(row / theory_line(scale, 100) - 1))
        for scale, row in zip(scales, run.norms, strict=True)
    ]
    sweep = []
    for _ in range(3):
        start = time.perf_counter()
        for cell in CELL_KINDS:
            gradient_norms(cell, log_spaced_scales(), 64, 100)
        sweep.append(time.perf_counter() - start)
    memory: dict = {}
    lengths = MEMORY_LENGTHS[:2] if quick else MEMORY_LENGTHS
    epochs = 2 if quick else MEMORY_EPOCHS
    for cell in ("rnn", "lstm", "gru"):
        memory[cell] = {}
        for length in lengths:
            result = train_memory_task(cell, length, seconds=600, max_epochs=epochs)
            memory[cell][f"T{length}"] = round(result.accuracy, 3)
    return {
        "task": "gradients",
        "linear_theory_max_rel_err": float(max(errors)),
        "sweep_seconds": round(sorted(sweep)[1], 3),
        "memory_task": memory,
        "memory_task_budget": f"{epochs * 50} steps of batch 32 per run "
        "(hidden 32, Adam 3e-3, clip 1.0), the same for every cell and length",
        "quick": quick,
    }
