"""Transparent RNN, LSTM and GRU cells: one time step at a time, every value kept.

`torch.nn.RNN/LSTM/GRU` run fused kernels that hide what happens inside. These
cells do the same arithmetic written out line by line, so the app can show the
hidden state, the cell state and each gate at each word. `from_torch` copies the
weights of a trained torch layer, and the tests check both give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

NONLINEARITIES = {"tanh": torch.tanh, "relu": torch.relu, "identity": lambda x: x}


@dataclass
class Step:
    """What one cell computed at one time step (all tensors are (B, H))."""

    h: Tensor
    c: Tensor | None = None  # LSTM only: the cell state
    gates: dict[str, Tensor] = field(default_factory=dict)


class _TransparentCell(nn.Module):
    """Weights named and shaped exactly as in torch's layers (gates stacked)."""

    n_gates = 1

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.input_size, self.hidden_size = input_size, hidden_size
        rows = self.n_gates * hidden_size
        self.weight_ih = nn.Parameter(torch.empty(rows, input_size))
        self.weight_hh = nn.Parameter(torch.empty(rows, hidden_size))
        self.bias_ih = nn.Parameter(torch.zeros(rows))
        self.bias_hh = nn.Parameter(torch.zeros(rows))
        bound = hidden_size**-0.5  # torch's default initialisation
        for weight in (self.weight_ih, self.weight_hh):
            nn.init.uniform_(weight, -bound, bound)

    def zero_state(self, batch: int) -> Step:
        zeros = self.weight_hh.new_zeros(batch, self.hidden_size)
        return Step(h=zeros)

    def _projections(self, x: Tensor, h: Tensor) -> tuple[Tensor, Tensor]:
        if self.weight_hh.dim() == 3:  # one weight matrix per batch row (see below)
            return _per_row(x, self.weight_ih, self.bias_ih), _per_row(
                h, self.weight_hh, self.bias_hh
            )
        input_part = x @ self.weight_ih.T + self.bias_ih  # (B, gates*H)
        hidden_part = h @ self.weight_hh.T + self.bias_hh  # (B, gates*H)
        return input_part, hidden_part


def _per_row(v: Tensor, weight: Tensor, bias: Tensor) -> Tensor:
    """Row b of v times its own matrix weight[b]: (B, I) x (B, G, I) -> (B, G).

    The gradient lab runs many copies of a cell, each with its recurrent weights
    scaled differently, as one batch: one row per weight scale.
    """
    return torch.einsum("bi,bgi->bg", v, weight) + bias


class RNNCell(_TransparentCell):
    """h_t = f(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh), f = tanh, relu or identity."""

    def __init__(self, input_size: int, hidden_size: int, nonlinearity: str = "tanh"):
        if nonlinearity not in NONLINEARITIES:
            choices = ", ".join(NONLINEARITIES)
            raise ValueError(f"unknown nonlinearity {nonlinearity!r}: use {choices}")
        super().__init__(input_size, hidden_size)
        self.nonlinearity = nonlinearity

    def forward(self, x: Tensor, state: Step) -> Step:
        input_part, hidden_part = self._projections(x, state.h)
        pre_activation = input_part + hidden_part
        h = NONLINEARITIES[self.nonlinearity](pre_activation)
        return Step(h=h, gates={"pre_activation": pre_activation})


class LSTMCell(_TransparentCell):
    """Long short-term memory: gates decide what to forget, write and show."""

    n_gates = 4  # torch's order: input, forget, candidate (g), output

    def zero_state(self, batch: int) -> Step:
        zeros = self.weight_hh.new_zeros(batch, self.hidden_size)
        return Step(h=zeros, c=zeros)

    def forward(self, x: Tensor, state: Step) -> Step:
        input_part, hidden_part = self._projections(x, state.h)
        i, f, g, o = (input_part + hidden_part).chunk(4, dim=1)
        input_gate = torch.sigmoid(i)  # how much of the candidate to write
        forget_gate = torch.sigmoid(f)  # how much of the old cell state to keep
        candidate = torch.tanh(g)  # the new content on offer
        output_gate = torch.sigmoid(o)  # how much of the cell state to show
        # c_t = f_t * c_(t-1) + i_t * g_t: from c_(t-1) to c_t there is only an
        # elementwise product with the forget gate and an addition, no weight
        # matrix. Along this path dc_t/dc_(t-1) = diag(f_t) (the other paths go
        # through h_(t-1) and the gates): each step scales the gradient by f_t,
        # so it survives many steps only while the forget gate stays near 1.
        c = forget_gate * state.c + input_gate * candidate
        h = output_gate * torch.tanh(c)
        gates = {
            "input": input_gate,
            "forget": forget_gate,
            "candidate": candidate,
            "output": output_gate,
        }
        return Step(h=h, c=c, gates=gates)


class GRUCell(_TransparentCell):
    """Gated recurrent unit: a reset and an update gate, no separate cell state."""

    n_gates = 3  # torch's order: reset, update, new (candidate)

    def forward(self, x: Tensor, state: Step) -> Step:
        input_part, hidden_part = self._projections(x, state.h)
        x_r, x_z, x_n = input_part.chunk(3, dim=1)
        h_r, h_z, h_n = hidden_part.chunk(3, dim=1)
        reset_gate = torch.sigmoid(x_r + h_r)  # how much of the past the candidate sees
        update_gate = torch.sigmoid(x_z + h_z)  # how much of the old state to keep
        candidate = torch.tanh(x_n + reset_gate * h_n)
        h = (1 - update_gate) * candidate + update_gate * state.h
        gates = {"reset": reset_gate, "update": update_gate, "candidate": candidate}
        return Step(h=h, gates=gates)


CELLS = {"rnn": RNNCell, "lstm": LSTMCell, "gru": GRUCell}


@dataclass
class Unrolled:
    """The result of running a transparent network over a whole sequence."""

    output: Tensor  # (B, T, directions*H): the last layer's h at every step
    h_n: Tensor  # (layers*directions, B, H), in torch's order
    c_n: Tensor | None  # LSTM only, same shape as h_n
    # steps[layer][direction][t]: everything computed at step t;
    # direction 0 reads left to right, direction 1 right to left (index t is
    # still the word's position, so both directions line up under the words).
    steps: list[list[list[Step]]]


class TransparentRNN(nn.Module):
    """A stack of transparent cells that mirrors `torch.nn.RNN/LSTM/GRU`."""

    def __init__(
        self,
        cell: str,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bidirectional: bool = False,
        nonlinearity: str = "tanh",
    ) -> None:
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"unknown cell {cell!r}: choose one of {', '.join(CELLS)}")
        self.cell_type, self.hidden_size = cell, hidden_size
        self.num_layers, self.num_directions = num_layers, 2 if bidirectional else 1
        extra = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
        self.layers = nn.ModuleList()
        for layer in range(num_layers):
            layer_input = (
                input_size if layer == 0 else hidden_size * self.num_directions
            )
            self.layers.append(
                nn.ModuleList(
                    CELLS[cell](layer_input, hidden_size, **extra)
                    for _ in range(self.num_directions)
                )
            )

    def forward(self, x: Tensor, state: Step | None = None) -> Unrolled:
        """Run over x of shape (B, T, input_size), batch first.

        `state` (h and, for an LSTM, c of shape (layers*directions, B, H)) starts
        the network somewhere other than zeros.
        """
        batch, length = x.shape[0], x.shape[1]
        layer_input = x
        all_steps, final_h, final_c = [], [], []
        for layer, cells in enumerate(self.layers):
            outputs, layer_steps = [], []
            for direction, cell in enumerate(cells):
                index = layer * self.num_directions + direction
                current = cell.zero_state(batch)
                if state is not None:
                    current = Step(
                        h=state.h[index], c=None if state.c is None else state.c[index]
                    )
                order = range(length) if direction == 0 else reversed(range(length))
                steps: list[Step | None] = [None] * length
                for t in order:
                    current = cell(layer_input[:, t], current)
                    steps[t] = current
                final_h.append(current.h)
                final_c.append(current.c)
                outputs.append(torch.stack([s.h for s in steps], dim=1))  # (B, T, H)
                layer_steps.append(steps)
            layer_input = torch.cat(outputs, dim=2)  # (B, T, directions*H)
            all_steps.append(layer_steps)
        c_n = None if final_c[0] is None else torch.stack(final_c)
        return Unrolled(layer_input, torch.stack(final_h), c_n, all_steps)


def from_torch(module: nn.RNNBase) -> TransparentRNN:
    """A transparent copy of a torch RNN/LSTM/GRU layer, with the same weights."""
    kinds = {nn.LSTM: "lstm", nn.GRU: "gru", nn.RNN: "rnn"}
    cell = next((name for kind, name in kinds.items() if type(module) is kind), None)
    if cell is None:
        raise ValueError(f"expected torch.nn.RNN, LSTM or GRU, got {type(module)}")
    if not module.batch_first:
        raise ValueError("only batch_first=True layers are supported")
    if getattr(module, "proj_size", 0):
        raise ValueError("LSTMs with proj_size are not supported")
    transparent = TransparentRNN(
        cell,
        module.input_size,
        module.hidden_size,
        module.num_layers,
        module.bidirectional,
        nonlinearity=getattr(module, "nonlinearity", "tanh"),
    )
    source = dict(module.named_parameters())
    with torch.no_grad():
        for layer, cells in enumerate(transparent.layers):
            for direction, target in enumerate(cells):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                    if name + suffix in source:  # a layer built with bias=False
                        getattr(target, name).copy_(source[name + suffix])
                    elif name.startswith("bias"):
                        getattr(target, name).zero_()
    return transparent.to(next(module.parameters()).dtype)
