"""The gradient lab's engine: autograd gradient norms against theory and intuition."""

import inspect

import numpy as np
import pytest
import torch
from torch import nn

from engine.errors import InputError
from engine.gradients import (
    CELL_KINDS,
    INPUT_SIZE,
    GradientRun,
    build_network,
    clip_gradient,
    clip_verdict,
    gradient_norms,
    growth_per_step,
    log_spaced_scales,
    make_inputs,
    recurrent_spectrum,
    steps_to_overflow,
    theory_line,
    train_memory_task,
    verdict,
)


def test_linear_rnn_matches_scale_to_the_power_of_steps_back():
    scales = [0.5, 0.9, 1.0, 1.1, 1.5]
    run = gradient_norms("linear", scales, 64, 100, dtype=torch.float64)
    for scale, row in zip(scales, run.norms, strict=True):
        assert np.allclose(row, theory_line(scale, 100), rtol=1e-6)


def test_gated_cells_keep_more_gradient_than_the_tanh_rnn_at_scale_one():
    last = {
        cell: gradient_norms(cell, [1.0], 64, 100).norms[0, -1]
        for cell in ("rnn-tanh", "lstm", "gru")
    }
    assert last["lstm"] > 100 * last["rnn-tanh"]
    assert last["gru"] > 100 * last["rnn-tanh"]


def test_opening_the_keep_gate_slows_the_decay():
    closed = gradient_norms("lstm", [1.0], 32, 60, keep_bias=0.0).norms[0, -1]
    opened = gradient_norms("lstm", [1.0], 32, 60, keep_bias=3.0).norms[0, -1]
    assert opened > 1e3 * closed


def test_saturation_makes_gradients_vanish_even_with_large_weights():
    strong = make_inputs("noise", 100) * 5
    tanh = gradient_norms("rnn-tanh", [2.0], 64, 100, inputs=strong).norms[0, -1]
    linear = gradient_norms(
        "linear", [2.0], 64, 100, inputs=strong, dtype=torch.float64
    )
    assert tanh < 1e-6 < 1e6 < linear.norms[0, -1]


def test_overflow_is_caught_not_plotted():
    run = gradient_norms("linear", [4.0], 64, 100)
    bad = run.overflow_step[0]
    assert bad is not None and 50 < bad < 80  # 4**64 passes float32's 3.4e38
    assert np.isnan(run.norms[0, bad:]).all() and np.isfinite(run.norms[0, :bad]).all()
    assert "exceeds the float32 range" in verdict(run, 0)
    assert all(r["grad_norm"] is None for r in run.rows() if r["steps_back"] >= bad)


def test_clipping_rescales_the_whole_weight_gradient_once():
    """clip_grad_norm_ multiplies every number of g by c/||g||: the direction stays."""
    step = clip_gradient("linear", 1.1, 1.0, 16, 50)
    norm = np.sqrt(sum(v**2 for v in step.before.values()))  # over all the weights
    assert step.total == pytest.approx(norm, rel=1e-5) and step.total > 1e3
    assert step.total_after == pytest.approx(1.0, rel=1e-5)
    assert step.cosine == pytest.approx(1.0, abs=1e-9)
    for weight, before in step.before.items():  # the same factor for every weight
        assert step.after[weight] == pytest.approx(before / step.total, rel=1e-5)
    assert step.factor == pytest.approx(1 / step.total, rel=1e-5)
    text = clip_verdict(step)
    assert f"multiplied every number of g by the same factor, {step.factor:.2g}" in text
    assert "cosine similarity between g before and after is 1.000000" in text


def test_the_weight_gradient_is_the_one_torch_rnn_gets():
    hidden, length = 8, 12
    step = clip_gradient("rnn-tanh", 1.3, 1e9, hidden, length, dtype=torch.float64)
    unit = build_network("rnn-tanh", [1.3], hidden, INPUT_SIZE, "orthogonal")
    reference = nn.RNN(INPUT_SIZE, hidden, batch_first=True).double()
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(reference, name + "_l0").copy_(getattr(unit.layers[0][0], name)[0])
    out, _ = reference(make_inputs("noise", length, dtype=torch.float64)[None])
    v = torch.randn(hidden, generator=torch.Generator().manual_seed(2)).double()
    (out[0, -1] @ (v / v.norm())).backward()
    for name, short in (("weight_hh", "W_hh"), ("weight_ih", "W_ih")):
        grad = getattr(reference, name + "_l0").grad.norm().item()
        assert step.before[short] == pytest.approx(grad, rel=1e-6)
    assert step.after == step.before  # far below the threshold: left as it is
    assert "is not above c = 1e+09" in clip_verdict(step)


def test_clipping_cannot_rescue_a_norm_that_overflows_float32():
    step = clip_gradient("linear", 2.0)  # ||g|| about 3e31: its square overflows
    assert step.finite and step.total == np.inf and step.total_after == 0
    assert "this update is lost" in clip_verdict(step)
    wide = clip_gradient("linear", 2.0, dtype=torch.float64)
    assert 1e30 < wide.total < 1e33 and wide.cosine == pytest.approx(1, abs=1e-9)
    nan = clip_gradient("linear", 4.0)  # g itself overflows
    assert not nan.finite and "overflowed float32" in clip_verdict(nan)


@pytest.mark.parametrize("cell", ["rnn-tanh", "linear", "lstm", "gru"])
def test_truncation_stops_the_gradient_exactly_k_steps_back(cell):
    full = gradient_norms(cell, [0.9, 1.2], 16, 20, dtype=torch.float64)
    cut = gradient_norms(cell, [0.9, 1.2], 16, 20, dtype=torch.float64, truncate=5)
    assert (full.norms > 0).all() and full.truncated is None
    assert cut.truncated == 5 and (cut.norms[:, 6:] == 0).all()
    assert (cut.norms[:, :6] > 0).all()
    assert np.allclose(cut.norms[:, :6], full.norms[:, :6], rtol=1e-12)
    assert np.array_equal(cut.keep_gate, full.keep_gate)  # the same forward pass


def test_truncation_edge_cases():
    run = gradient_norms("lstm", [1.0], 8, 10, truncate=0)
    norms = run.norms
    assert norms[0, 0] == pytest.approx(1) and (norms[0, 1:] == 0).all()
    assert "every one of the 9 earlier steps gets a gradient of exactly 0" in verdict(
        run, 0
    )
    for k in (9, 10, 400):  # reaching h_1 or further back: nothing to cut
        run = gradient_norms("gru", [1.0], 8, 10, truncate=k)
        assert run.truncated is None and (run.norms > 0).all()
    assert gradient_norms("rnn-tanh", [1.0], 1, 1, truncate=1).norms.shape == (1, 1)
    for bad in (-1, 2.5):
        with pytest.raises(InputError):
            gradient_norms("gru", [1.0], 8, 10, truncate=bad)


def test_the_truncated_verdict_reads_the_cut_not_the_zeros():
    run = gradient_norms("linear", [1.0], 16, 50, truncate=10)
    text = verdict(run, 0)
    assert text.startswith("After 10 steps back, where truncated BPTT cuts")
    assert "the 39 earlier steps get no gradient at all" in text
    assert "vanished" not in text
    exploded = gradient_norms("linear", [4.0], 64, 100, truncate=80)
    assert "exceeds the float32 range" in verdict(exploded, 0)
    assert (exploded.norms[0, 81:] == 0).all()  # past the cut: 0, not NaN


def test_truncation_leaves_the_early_steps_out_of_the_weight_gradient():
    """The weights get only the last k steps' share: much less where the gradient
    grows going back, next to nothing less where it has vanished by step k."""
    full = clip_gradient("linear", 1.1, 1e12, 16, 50, dtype=torch.float64)
    cut = clip_gradient("linear", 1.1, 1e12, 16, 50, dtype=torch.float64, truncate=5)
    assert 0 < cut.before["b_hh"] < full.before["b_hh"] / 10
    full = clip_gradient("linear", 0.5, 1e12, 16, 50, dtype=torch.float64)
    cut = clip_gradient("linear", 0.5, 1e12, 16, 50, dtype=torch.float64, truncate=30)
    assert cut.before != full.before
    assert cut.before == pytest.approx(full.before, rel=1e-6)  # 0.5^30 = 9e-10


@pytest.mark.parametrize(
    "final, meaning",
    [
        (1e-9, "it has vanished"),
        (4e-4, "it has shrunk but not vanished"),
        (0.5, "it survives the trip"),
        (1.3e4, "it has grown"),
        (1e9, "it has exploded"),
    ],
)
def test_the_verdict_follows_the_size_that_arrives(final, meaning):
    run = GradientRun("lstm", [1.0], np.array([[1.0, 1.0, final]]), [None])
    text = verdict(run, 0)
    assert text.startswith(f"After 2 steps back the gradient is {final:.2g} times")
    assert f"its size at the output: {meaning}" in text


def test_the_lab_measures_the_gated_cells_as_the_memory_task_trains_them():
    def keep_bias(function) -> float:
        return inspect.signature(function).parameters["keep_bias"].default

    assert keep_bias(gradient_norms) == keep_bias(train_memory_task)


def test_batched_scales_equal_one_scale_at_a_time():
    scales = [0.7, 1.3]
    together = gradient_norms("gru", scales, 16, 30).norms
    alone = np.stack([gradient_norms("gru", [s], 16, 30).norms[0] for s in scales])
    assert np.allclose(together, alone, rtol=1e-5)


def test_the_default_sweep_covers_every_cell():
    for cell in CELL_KINDS:
        run = gradient_norms(cell, log_spaced_scales(), 64, 100)
        assert run.norms.shape == (31, 100) and run.norms[0, 0] == pytest.approx(
            1, 1e-5
        )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cell": "transformer", "scales": [1.0]},
        {"cell": "lstm", "scales": [0.0]},
        {"cell": "lstm", "scales": [1.0], "hidden": 0},
        {"cell": "lstm", "scales": [1.0], "length": 501},
        {"cell": "lstm", "scales": [1.0], "init": "xavier"},
    ],
)
def test_bad_settings_are_explained(kwargs):
    with pytest.raises(InputError):
        gradient_norms(**kwargs)


def test_edge_cases_length_one_and_hidden_one():
    run = gradient_norms("rnn-tanh", [1.0], 1, 1)
    assert run.norms.shape == (1, 1) and "one step" in verdict(run, 0)


def test_lstm_learns_the_memory_task_where_it_is_short():
    run = train_memory_task("lstm", 10, seconds=30, max_epochs=6)
    assert run.accuracy > 0.9 and len(run.history) == 6


def test_the_measured_growth_per_step_is_the_scale_for_the_linear_rnn():
    run = gradient_norms("linear", [1.5, 0.5], 16, 40, dtype=torch.float64)
    assert growth_per_step(run, 0) == (pytest.approx(1.5), 39)
    assert growth_per_step(run, 1) == (pytest.approx(0.5), 39)
    exploded = gradient_norms("linear", [4.0], 64, 100)  # overflows 50-80 steps back
    rate, steps = growth_per_step(exploded, 0)
    assert rate == pytest.approx(4.0, rel=1e-4) and steps < exploded.overflow_step[0]


def test_steps_to_overflow_counts_to_the_largest_float():
    biggest, steps = float(torch.finfo(torch.float32).max), 0
    while 1.5**steps <= biggest:
        steps += 1
    assert steps_to_overflow(1.5) == steps == 219
    assert steps_to_overflow(1.0) is None and steps_to_overflow(0.9) is None


def test_the_recurrent_spectrum_is_read_off_the_matrix_the_lab_scales():
    sigma, radius = recurrent_spectrum("orthogonal", 64)
    assert sigma == pytest.approx(1, abs=1e-5) and radius == pytest.approx(1, abs=1e-5)
    unit = build_network("rnn-tanh", [1.0], 128, INPUT_SIZE, "gaussian").layers[0][0]
    matrix = unit.weight_hh[0].double().numpy()
    sigma, radius = recurrent_spectrum("gaussian", 128)
    assert sigma == pytest.approx(np.linalg.svd(matrix, compute_uv=False)[0])
    assert radius == pytest.approx(np.abs(np.linalg.eigvals(matrix)).max())
    assert 1.8 < sigma < 2.1 and 0.9 < radius < 1.15  # Bai-Yin and circular laws


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_the_keep_gate_is_the_mean_of_the_gate_on_the_state_path(cell):
    """Recomputed by hand: the LSTM's forget and the GRU's update gate are both
    the second block of rows, sigmoid(W_i x + b_i + W_h h + b_h)."""
    hidden, length, bias = 8, 12, 1.5
    inputs = make_inputs("noise", length)
    run = gradient_norms(cell, [0.8], hidden, inputs=inputs, keep_bias=bias)
    unit = build_network(cell, [0.8], hidden, INPUT_SIZE, "orthogonal", keep_bias=bias)
    unit = unit.layers[0][0]  # its weights carry one copy per scale: take the first
    module = (nn.LSTMCell if cell == "lstm" else nn.GRUCell)(INPUT_SIZE, hidden)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(module, name).copy_(getattr(unit, name)[0])
    rows = slice(hidden, 2 * hidden)  # the second block of gate rows
    state = torch.zeros(1, hidden)
    c = torch.zeros(1, hidden)
    gates = []
    with torch.no_grad():
        for x in inputs:
            pre = (
                x @ module.weight_ih[rows].T + module.bias_ih[rows]
                + state @ module.weight_hh[rows].T + module.bias_hh[rows]
            )  # fmt: skip
            gates.append(torch.sigmoid(pre))
            if cell == "lstm":
                state, c = module(x[None], (state, c))
            else:
                state = module(x[None], state)
    assert run.keep_gate[0] == pytest.approx(torch.cat(gates).mean().item(), rel=1e-5)
    assert gradient_norms("rnn-tanh", [1.0], 8, 12).keep_gate == []
