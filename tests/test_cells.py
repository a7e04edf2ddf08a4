import pytest
import torch
from torch import nn

from engine.cells import GRUCell, LSTMCell, RNNCell, TransparentRNN, from_torch

TORCH_LAYERS = {
    "rnn-tanh": lambda **kw: nn.RNN(nonlinearity="tanh", **kw),
    "rnn-relu": lambda **kw: nn.RNN(nonlinearity="relu", **kw),
    "lstm": nn.LSTM,
    "gru": nn.GRU,
}


@pytest.mark.parametrize("kind", TORCH_LAYERS)
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_transparent_unroll_equals_torch(kind, num_layers, bidirectional):
    torch.manual_seed(0)
    layer = TORCH_LAYERS[kind](
        input_size=5,
        hidden_size=7,
        num_layers=num_layers,
        bidirectional=bidirectional,
        batch_first=True,
    ).eval()
    x = torch.randn(3, 6, 5)  # batch 3, 6 steps
    with torch.no_grad():
        expected_out, expected_state = layer(x)
        unrolled = from_torch(layer)(x)
    assert torch.allclose(unrolled.output, expected_out, atol=1e-5)
    expected_h = expected_state[0] if kind == "lstm" else expected_state
    assert torch.allclose(unrolled.h_n, expected_h, atol=1e-5)
    if kind == "lstm":
        assert torch.allclose(unrolled.c_n, expected_state[1], atol=1e-5)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_initial_state_is_respected(kind):
    torch.manual_seed(1)
    layer = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[kind](
        4, 6, num_layers=2, batch_first=True
    )
    x, h0 = torch.randn(2, 5, 4), torch.randn(2, 2, 6)
    state = (h0, torch.randn(2, 2, 6)) if kind == "lstm" else h0
    with torch.no_grad():
        expected, _ = layer(x, state)
        from engine.cells import Step

        start = Step(h=h0, c=state[1] if kind == "lstm" else None)
        got = from_torch(layer)(x, start).output
    assert torch.allclose(got, expected, atol=1e-5)


def test_steps_expose_gates_in_range_and_line_up_with_words():
    torch.manual_seed(2)
    lstm = nn.LSTM(3, 4, batch_first=True, bidirectional=True)
    unrolled = from_torch(lstm)(torch.randn(1, 5, 3))
    forward, backward = unrolled.steps[0]
    assert len(forward) == len(backward) == 5
    for step in forward + backward:
        assert set(step.gates) == {"input", "forget", "candidate", "output"}
        for name in ("input", "forget", "output"):
            assert 0 <= step.gates[name].min() and step.gates[name].max() <= 1
        assert step.c is not None and step.h.shape == (1, 4)
    # backward direction: position 0 is the last step it computes, so it equals h_n
    assert torch.allclose(backward[0].h, unrolled.h_n[1])
    assert torch.allclose(forward[-1].h, unrolled.h_n[0])


def test_gru_step_keeps_the_old_state_when_the_update_gate_is_one():
    cell = GRUCell(2, 3)
    with torch.no_grad():
        cell.bias_ih[3:6] = 100.0  # update gate z -> 1
    state = cell.zero_state(1)
    state.h = torch.tensor([[0.5, -0.2, 0.1]])
    step = cell(torch.randn(1, 2), state)
    assert torch.allclose(step.h, state.h, atol=1e-6)
    assert set(step.gates) == {"reset", "update", "candidate"}


def test_identity_rnn_is_linear():
    cell = RNNCell(2, 2, nonlinearity="identity")
    x = torch.randn(1, 2)
    state = cell.zero_state(1)
    assert torch.allclose(
        cell(2 * x, state).h - cell.bias_ih - cell.bias_hh,
        2 * (cell(x, state).h - cell.bias_ih - cell.bias_hh),
    )


def test_gradients_flow_through_the_transparent_cells():
    net = TransparentRNN("lstm", 3, 4)
    x = torch.randn(2, 8, 3, requires_grad=True)
    net(x).output[:, -1].sum().backward()
    assert x.grad is not None and x.grad[:, 0].abs().sum() > 0


def test_bad_choices_raise_clear_errors():
    with pytest.raises(ValueError, match="rnn, lstm, gru"):
        TransparentRNN("transformer", 3, 4)
    with pytest.raises(ValueError, match="tanh, relu, identity"):
        RNNCell(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match="batch_first"):
        from_torch(nn.LSTM(3, 4))
    with pytest.raises(ValueError):
        from_torch(nn.Linear(3, 4))


def test_bias_free_layers_are_copied_with_zero_bias():
    layer = nn.GRU(3, 4, bias=False, batch_first=True)
    x = torch.randn(2, 5, 3)
    with torch.no_grad():
        assert torch.allclose(from_torch(layer)(x).output, layer(x)[0], atol=1e-5)


def test_lstm_cell_state_matches_its_equation():
    cell = LSTMCell(2, 3)
    state = cell.zero_state(1)
    step = cell(torch.randn(1, 2), state)
    g = step.gates
    assert torch.allclose(step.c, g["forget"] * state.c + g["input"] * g["candidate"])
    assert torch.allclose(step.h, g["output"] * torch.tanh(step.c))


def test_the_cell_state_path_scales_the_gradient_by_the_forget_gate():
    """The comment on c_t: from c_(t-1) to c_t the gradient is multiplied by f_t,
    elementwise, with no weight matrix (the other paths go through h_(t-1))."""
    torch.manual_seed(3)
    cell = LSTMCell(2, 3)
    state = cell.zero_state(1)
    state.c = torch.randn(1, 3, requires_grad=True)  # h_(t-1) stays a constant
    step = cell(torch.randn(1, 2), state)
    rows = [
        torch.autograd.grad(step.c[0, unit], state.c, retain_graph=True)[0]
        for unit in range(3)
    ]
    jacobian = torch.cat(rows)  # row k: d c_t[k] / d c_(t-1)
    assert torch.allclose(jacobian, torch.diag(step.gates["forget"][0]))
