""" "Copy as PyTorch": plain, runnable PyTorch that builds what a page configured.

Each function returns the source of a standalone script (only torch needed). The
tests run every snippet and check it computes what the app computes, so the code
a learner copies is the real thing, not an illustration.
"""

from __future__ import annotations

import math
from textwrap import dedent

from engine.errors import InputError
from engine.gradients import CELL_KINDS, INPUT_SIZE, check_settings

_CELL_CLASSES = {"rnn": "nn.RNNCell", "lstm": "nn.LSTMCell", "gru": "nn.GRUCell"}
_LAYER_CLASSES = {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}
_GATE_BLOCKS = {"rnn": 1, "lstm": 4, "gru": 3}
_ARTICLES = {"rnn": "an", "lstm": "an", "gru": "a"}  # said "an ar-", "an el-", "a gee-"
# The gate whose bias the snippets raise (torch's second block of rows in both),
# and what it keeps: h_t = (1 - z_t) * n_t + z_t * h_(t-1) in PyTorch's GRU.
_KEEP_GATES = {
    "lstm": ("forget gate f_t", "the old cell state c_(t-1)"),
    "gru": ("update gate z_t", "the old state h_(t-1)"),
}


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def gradient_lab_code(
    cell: str,
    scale: float,
    hidden: int = 64,
    length: int = 100,
    init: str = "orthogonal",
    keep_bias: float = 1.0,
    double: bool = False,
    seed: int = 0,
) -> str:
    """The gradient lab's measurement for one cell and one weight scale: unroll a
    cell by hand over noise inputs and print ||dL/dh_t|| for every step back."""
    check_settings(cell, [scale], hidden, length, init)
    kind, nonlinearity = CELL_KINDS[cell]
    blocks = _GATE_BLOCKS[kind]
    dtype = "torch.float64" if double else "torch.float32"
    if nonlinearity == "identity":  # nn.RNNCell has no linear option: write it out
        make_cell = dedent(
            f"""\
            class LinearRNNCell(nn.Module):
                \"\"\"h_t = W_ih x_t + b_ih + W_hh h_(t-1) + b_hh: no squashing.\"\"\"

                def __init__(self, input_size, hidden_size):
                    super().__init__()
                    self.weight_ih = nn.Parameter(torch.empty(hidden_size, input_size))
                    self.weight_hh = nn.Parameter(torch.empty(hidden_size, hidden_size))
                    self.bias_ih = nn.Parameter(torch.zeros(hidden_size))
                    self.bias_hh = nn.Parameter(torch.zeros(hidden_size))

                def forward(self, x, h):
                    return x @ self.weight_ih.T + self.bias_ih + h @ self.weight_hh.T + self.bias_hh


            cell = LinearRNNCell(INPUT_SIZE, HIDDEN).to({dtype})"""
        )
    elif kind == "rnn":
        make_cell = (
            f'cell = nn.RNNCell(INPUT_SIZE, HIDDEN, nonlinearity="{nonlinearity}")'
            f".to({dtype})"
        )
    else:
        make_cell = f"cell = {_CELL_CLASSES[kind]}(INPUT_SIZE, HIDDEN).to({dtype})"
    keep = (
        dedent(
            f"""\
            # The {_KEEP_GATES[kind][0]} is the second block of rows. A bias of {keep_bias:g} adds {keep_bias:g} to
            # its pre-activation, pushing the gate towards 1: keep {_KEEP_GATES[kind][1]}.
            # sigmoid({keep_bias:g}) = {_sigmoid(keep_bias):.2f}, where the gate's weight terms are 0.
            cell.bias_ih[HIDDEN : 2 * HIDDEN] = {keep_bias!r}
            """
        )
        if kind in ("lstm", "gru")
        else ""
    )
    step = (
        "h, c = cell(x[t : t + 1], (h, c))"
        if kind == "lstm"
        else "h = cell(x[t : t + 1], h)"
    )
    state = (
        "h = torch.zeros(1, HIDDEN, dtype=DTYPE, requires_grad=True)\n"
        + ("c = torch.zeros(1, HIDDEN, dtype=DTYPE)\n" if kind == "lstm" else "")
    ).rstrip()
    return (
        dedent(
            f'''\
            """Vanishing and exploding gradients, measured with autograd.

            The RNN Playground's gradient lab for one setting: {cell}, recurrent weight
            scale {scale:g}, {hidden} hidden units, {length} steps, {init} weights.
            """
            import math

            import torch
            from torch import nn

            SCALE, HIDDEN, LENGTH, INPUT_SIZE = {scale!r}, {hidden}, {length}, {INPUT_SIZE}
            DTYPE = {dtype}
            generator = torch.Generator().manual_seed({seed})


            def recurrent_block():
                """One HIDDEN x HIDDEN matrix with spectral radius about 1."""
            '''
        )
        + (
            "    q, r = torch.linalg.qr(torch.randn(HIDDEN, HIDDEN, generator=generator, "
            "dtype=torch.float64))\n"
            "    return q * torch.sign(torch.diagonal(r))  # a random rotation\n"
            if init == "orthogonal"
            else "    return torch.randn(HIDDEN, HIDDEN, generator=generator, "
            "dtype=torch.float64) / math.sqrt(HIDDEN)\n"
        )
        + "\n\n"
        + make_cell
        + "\n"
        + dedent(
            f"""\
            with torch.no_grad():
                # {blocks} block(s) of weights, one per gate (torch's order), all scaled
                cell.weight_hh.copy_(SCALE * torch.cat([recurrent_block() for _ in range({blocks})]))
                weight_ih = torch.randn({blocks} * HIDDEN, INPUT_SIZE, generator=generator, dtype=torch.float64)
                cell.weight_ih.copy_(weight_ih / math.sqrt(INPUT_SIZE))
                cell.bias_ih.zero_()
                cell.bias_hh.zero_()
            """
        )
        + "".join(f"    {line}\n" for line in keep.splitlines())
        + dedent(
            f"""\
            cell.requires_grad_(False)  # only the gradient along the states is measured

            inputs_generator = torch.Generator().manual_seed({seed + 1})
            x = torch.randn(LENGTH, INPUT_SIZE, generator=inputs_generator, dtype=torch.float64).to(DTYPE)
            direction = torch.randn(HIDDEN, generator=torch.Generator().manual_seed({seed + 2}), dtype=torch.float64).to(DTYPE)
            direction = direction / direction.norm()

            # Unroll by hand, keeping every hidden state h_1 ... h_T
            """
        )
        + state
        + "\n"
        + dedent(
            f"""\
            states = []
            for t in range(LENGTH):
                {step}
                states.append(h)
            loss = (states[-1][0] * direction).sum()  # L = v . h_T
            gradients = torch.autograd.grad(loss, states)
            # norms[k]: how much of dL/dh_T reaches the state k steps back
            norms = [g.double().norm().item() for g in reversed(gradients)]
            for k in (0, 1, 10, 50, LENGTH - 1):
                if k < LENGTH:
                    print(f"{{k:4d}} steps back: ||dL/dh|| = {{norms[k]:.3e}}")
            """
        )
    )


def memory_model_code(
    cell: str,
    length: int,
    n_symbols: int = 8,
    n_distractors: int = 4,
    embed_size: int = 8,
    hidden_size: int = 32,
    steps: int = 1500,
    batch_size: int = 32,
    lr: float = 3e-3,
    keep_bias: float = 2.0,
) -> str:
    """The memory task of "RNN vs LSTM vs GRU": the same model and the same
    training, written in plain PyTorch."""
    if cell not in _LAYER_CLASSES:
        raise InputError(f"Unknown cell {cell!r}: choose rnn, lstm or gru.")
    keep = (
        dedent(
            f"""\
            # The {_KEEP_GATES[cell][0]} is rows {hidden_size}:{2 * hidden_size} of the biases. Set to {keep_bias:g}, with the
            # small random weights of a fresh model, it starts near sigmoid({keep_bias:g}) = {_sigmoid(keep_bias):.2f}:
            # each step at first keeps about {_sigmoid(keep_bias):.0%} of {_KEEP_GATES[cell][1]}.
            # Training moves it on.
            with torch.no_grad():
                model.rnn.bias_ih_l0[{hidden_size}:{2 * hidden_size}] = {keep_bias!r}
                model.rnn.bias_hh_l0[{hidden_size}:{2 * hidden_size}] = 0.0
            """
        )
        if cell in ("lstm", "gru")
        else ""
    )
    return (
        dedent(
            f'''\
            """Remember the first of {length} letters: {_ARTICLES[cell]} {cell.upper()} in plain PyTorch.

            The first letter is one of {n_symbols} answers; the rest are {n_distractors}
            distracting letters. The network must carry the first one to the end.
            """
            import torch
            from torch import nn

            N_SYMBOLS, N_DISTRACTORS, LENGTH = {n_symbols}, {n_distractors}, {length}
            VOCAB = 4 + N_SYMBOLS + N_DISTRACTORS  # 4 special tokens, answers, distractors
            torch.manual_seed(0)


            class MemoryNet(nn.Module):
                """Embedding -> {cell.upper()} -> the last hidden state -> answer."""

                def __init__(self):
                    super().__init__()
                    self.embedding = nn.Embedding(VOCAB, {embed_size})
                    self.rnn = {_LAYER_CLASSES[cell]}({embed_size}, {hidden_size}, batch_first=True)
                    self.head = nn.Linear({hidden_size}, N_SYMBOLS)

                def forward(self, ids):
                    out, _ = self.rnn(self.embedding(ids))
                    return self.head(out[:, -1])


            def batch(size):
                first = torch.randint(0, N_SYMBOLS, (size,))
                rest = 4 + N_SYMBOLS + torch.randint(0, N_DISTRACTORS, (size, LENGTH - 1))
                return torch.cat([4 + first[:, None], rest], dim=1), first


            model = MemoryNet()
            '''
        )
        + keep
        + dedent(
            f"""\
            print(sum(p.numel() for p in model.parameters()), "parameters")
            optimizer = torch.optim.Adam(model.parameters(), lr={lr!r})
            STEPS = {steps}
            for step in range(1, STEPS + 1):
                ids, answers = batch({batch_size})
                loss = nn.functional.cross_entropy(model(ids), answers)
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 1.0)  # tames exploding gradients
                optimizer.step()
                if step % max(STEPS // 5, 1) == 0:
                    with torch.no_grad():
                        ids, answers = batch(1000)
                        accuracy = (model(ids).argmax(1) == answers).float().mean()
                    print(f"step {{step}}: held-out accuracy {{accuracy:.0%}}")
            """
        )
    )


def language_model_code(
    cell: str,
    vocab_size: int,
    hidden_size: int,
    num_layers: int = 1,
    file_name: str = "my-model.pt",
) -> str:
    """A word-level language model like the app's (next word, tied output
    weights), and how to load a checkpoint file downloaded from the app."""
    if cell not in _LAYER_CLASSES:
        raise InputError(f"Unknown cell {cell!r}: choose rnn, lstm or gru.")
    return dedent(
        f'''\
        """A word-level {cell.upper()} language model, as trained on the RNN Playground."""
        import torch
        from torch import nn


        class LanguageModel(nn.Module):
            """Word vectors -> {cell.upper()} -> a score for every word (output tied to input)."""

            def __init__(self, vocab_size={vocab_size}, hidden_size={hidden_size}, num_layers={num_layers}):
                super().__init__()
                self.embedding = nn.Embedding(vocab_size, hidden_size)
                self.rnn = {_LAYER_CLASSES[cell]}(hidden_size, hidden_size, num_layers, batch_first=True)
                self.decoder = nn.Linear(hidden_size, vocab_size)
                self.decoder.weight = self.embedding.weight  # tied weights

            def forward(self, ids, state=None):
                out, state = self.rnn(self.embedding(ids), state)
                return self.decoder(out), state


        model = LanguageModel()
        print(sum(p.numel() for p in model.parameters()), "parameters")
        logits, _ = model(torch.tensor([[1, 2, 3]]))  # scores for the word after each id

        # To load a checkpoint downloaded from the app:
        # checkpoint = torch.load("{file_name}", weights_only=True)
        # weights = {{k: v.float() for k, v in checkpoint["state_dict"].items()}}
        # model.load_state_dict(weights, strict=False)  # decoder.weight is tied
        # words = checkpoint["vocab"]  # the id of a word is its place in this list
        '''
    )


def keyboard_code(vocab_size: int, hidden_size: int, num_layers: int = 1) -> str:
    """The learner's own keyboard: an LSTM language model."""
    return language_model_code(
        "lstm", vocab_size, hidden_size, num_layers, file_name="my-keyboard.pt"
    )
