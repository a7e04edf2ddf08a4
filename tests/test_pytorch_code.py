""" "Copy as PyTorch": every snippet runs with plain torch and computes what the app
computes."""

import contextlib
import io

import numpy as np
import pytest
import torch

from engine.cell_comparison import MemorySpec, memory_model
from engine.errors import InputError
from engine.gradients import CELL_KINDS, gradient_norms
from engine.language_model import LanguageModel, LMConfig
from engine.models import count_parameters
from engine.own_keyboard import checkpoint_bytes, fit, prepare
from engine.pytorch_code import (
    gradient_lab_code,
    keyboard_code,
    language_model_code,
    memory_model_code,
)


def run(code: str) -> tuple[dict, str]:
    """Execute a snippet as a learner would (a fresh namespace), keep its output."""
    namespace: dict = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "snippet.py", "exec"), namespace)
    return namespace, printed.getvalue()


@pytest.mark.parametrize("cell", list(CELL_KINDS))
@pytest.mark.parametrize("init", ["orthogonal", "gaussian"])
def test_the_gradient_lab_snippet_measures_the_same_gradients(cell, init):
    code = gradient_lab_code(cell, 1.3, hidden=16, length=40, init=init, keep_bias=2.0)
    namespace, printed = run(code)
    expected = gradient_norms(cell, [1.3], 16, 40, init, keep_bias=2.0).norms[0]
    assert np.allclose(namespace["norms"], expected, rtol=1e-4, atol=1e-30)
    assert "steps back" in printed


def test_the_gradient_lab_snippet_in_double_precision():
    code = gradient_lab_code("rnn-tanh", 3.0, 8, 60, double=True)
    namespace, _ = run(code)
    expected = gradient_norms("rnn-tanh", [3.0], 8, 60, dtype=torch.float64).norms[0]
    assert np.allclose(namespace["norms"], expected, rtol=1e-9)


def test_settings_out_of_range_give_no_snippet():
    with pytest.raises(InputError):
        gradient_lab_code("rnn-tanh", 1e6)
    with pytest.raises(InputError):
        memory_model_code("transformer", 10)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_memory_snippet_builds_the_compared_model_and_trains(cell):
    spec = MemorySpec(length=10)
    code = memory_model_code(cell, spec.length, steps=40)
    namespace, printed = run(code)
    assert count_parameters(namespace["model"]) == count_parameters(
        memory_model(spec, cell)
    )
    assert "step 40: held-out accuracy" in printed


def test_the_memory_snippet_builds_the_wide_rnn_at_its_own_size():
    from engine.cell_comparison import WIDE_RNN, hidden_size

    spec = MemorySpec(length=10)
    size = hidden_size(spec, WIDE_RNN)
    namespace, _ = run(memory_model_code("rnn", spec.length, hidden_size=size, steps=2))
    assert count_parameters(namespace["model"]) == count_parameters(
        memory_model(spec, "rnn", size)
    )


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_the_keep_gate_comment_says_what_the_bias_does(cell):
    """The snippet's comment names the gate and its starting value, and a fresh
    model's gate does start there (the weight terms are small)."""
    spec = MemorySpec(length=10)
    code = memory_model_code(cell, spec.length, steps=0, keep_bias=2.0)  # fresh
    gate = "forget gate f_t" if cell == "lstm" else "update gate z_t"
    assert f"The {gate} is rows 32:64 of the biases" in code
    assert "sigmoid(2) = 0.88" in code and "keeps about 88% of" in code
    assert "mostly open" not in code
    namespace, _ = run(code)
    model = namespace["model"]
    ids, _ = namespace["batch"](500)
    with torch.no_grad():  # the gate at the first step, when h_0 = 0
        x = model.embedding(ids[:, 0])
        rows = slice(32, 64)
        pre = x @ model.rnn.weight_ih_l0[rows].T + model.rnn.bias_ih_l0[rows]
        pre = pre + model.rnn.bias_hh_l0[rows]
    assert torch.sigmoid(pre).mean().item() == pytest.approx(0.88, abs=0.03)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_the_language_model_snippet_matches_the_app(cell):
    namespace, _ = run(language_model_code(cell, 300, 24))
    app_model = LanguageModel(LMConfig(300, cell, hidden_size=24, num_layers=1))
    assert count_parameters(namespace["model"]) == count_parameters(app_model)


def test_a_downloaded_keyboard_loads_into_the_snippet(tmp_path):
    text = " ".join(["the cat sat on the mat and the dog ran to the park ."] * 40)
    own = fit(prepare(text, hidden_size=16), max_seconds=3, epochs=1)
    path = tmp_path / "my-keyboard.pt"
    path.write_bytes(checkpoint_bytes(own))
    config = own.model.config
    code = keyboard_code(config.vocab_size, config.hidden_size, config.num_layers)
    # the snippet's commented lines, switched on, with this file's path
    code = code.replace("# checkpoint =", "checkpoint =")
    code = code.replace("# weights =", "weights =").replace(
        "# model.load", "model.load"
    )
    code = code.replace('"my-keyboard.pt"', repr(str(path)))
    namespace, _ = run(code)
    ids = torch.tensor([own.vocab.encode(["the", "cat"])])
    with torch.no_grad():
        expected = own.model.run(ids)[0]
        got = namespace["model"](ids)[0]
    assert torch.allclose(got, expected, atol=1e-2)  # fp16 weights in the file
