"""Graphviz (DOT) diagrams of recurrent networks, labelled with the learner's words.

Pure string builders: no Streamlit here, so they are easy to test.
"""

from __future__ import annotations

from playground.palette import (
    CELL_STATE,
    DECODER,
    DIAGRAM_PAPER,
    DIRECTION_FILLS,
    DIRECTIONS,
    EDGE,
    EMPHASIS,
    GATE_FILLS,
    GATES,
    INK,
    MUTED,
    OPERATION,
    ROLE_FILLS,
    ROLES,
    TEXT,
)

MAX_UNROLLED_STEPS = 10  # wider diagrams stop being readable on a laptop screen
# (border, fill): opaque pastel fills keep the dark labels readable in both themes
_COLOURS = {role: (ROLES[role], ROLE_FILLS[role]) for role in ROLES}
_HIDDEN = ROLES["hidden"]  # the arrows that carry h from step to step
_HIDDEN_TEXT = TEXT["hidden"].light  # their labels, on the light paper
_OUTPUT = ROLES["output"]
FORWARD_COLOUR, BACKWARD_COLOUR = DIRECTIONS["forward"], DIRECTIONS["backward"]
_BACKWARD_STATE = (BACKWARD_COLOUR, DIRECTION_FILLS["backward"])  # (border, fill)


def _quote(text: str, limit: int = 14) -> str:
    """A DOT string literal; long words are shortened, quotes escaped."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _header(rankdir: str = "LR", nodesep: float = 0.35) -> list[str]:
    return [
        "digraph {",
        f'  rankdir={rankdir}; bgcolor="{DIAGRAM_PAPER}"; pad=0.15; '
        f"nodesep={nodesep}; ranksep=0.45;",
        '  node [fontname="Helvetica", fontsize=13, style="filled,rounded", '
        f'shape=box, penwidth=1.4, fontcolor="{INK}"];',
        f'  edge [fontname="Helvetica", fontsize=11, color="{EDGE}", '
        f'fontcolor="{TEXT["muted"].light}", penwidth=1.3];',
    ]


def _node(name: str, label: str, role: str, **extra: str) -> str:
    border, fill = _COLOURS[role]
    attrs = [f"label={label}", f'fillcolor="{fill}"', f'color="{border}"']
    attrs += [f"{key}={value}" for key, value in extra.items()]
    return f"  {name} [{', '.join(attrs)}];"


def folded_rnn() -> str:
    """The compact picture: one cell whose output loops back into itself."""
    lines = _header("BT")
    lines += [
        _node("x", '"x (the current word)"', "input"),
        _node("h", '"RNN cell\\nh = hidden state"', "hidden", height="0.9"),
        _node("y", '"y (prediction)"', "output"),
        '  x -> h [label=" W_xh"];',
        '  h -> y [label=" W_hy"];',
        '  h -> h [label=" W_hh: h is fed back\\n at the next step", '
        f'color="{_HIDDEN}", fontcolor="{_HIDDEN_TEXT}", penwidth=2];',
        "}",
    ]
    return "\n".join(lines)


def feed_forward() -> str:
    """A feed-forward network: data goes straight through, nothing loops back."""
    lines = _header("BT")
    lines += [
        _node("x", '"x (all words at once)"', "input"),
        _node("h", '"hidden layer"', "hidden"),
        _node("y", '"y (prediction)"', "output"),
        "  x -> h; h -> y;",
        "}",
    ]
    return "\n".join(lines)


def unrolled_rnn(
    words: list[str],
    highlight: int | None = None,
    start: int = 1,
    first_state: str = "h0 = 0",
) -> str:
    """The loop unrolled over the words: one column per time step, same weights.

    Each column shows the input word x_t, the hidden state h_t and the output y_t;
    the horizontal arrows carry h from one step to the next. `start` numbers the
    first word's step, for a window into a longer sentence; `first_state` labels
    h0 (a model that first reads a start token does not start the words from 0).
    """
    words = words[:MAX_UNROLLED_STEPS]
    lines = _header("LR")
    first = start - 1
    label = (
        _quote(first_state, limit=30)
        if first == 0
        else f'"h{first}\\n(steps 1-{first})"'
    )
    lines.append(_node(f"h{first}", label, "hidden", style='"dashed,rounded,filled"'))
    for t, word in enumerate(words, start=start):
        bold = f', penwidth=3.2, color="{EMPHASIS}"' if highlight == t else ""
        # steps after the highlighted one are still to come: drawn dashed
        later = {"style": '"dashed,rounded,filled"'}
        later = later if highlight is not None and t > highlight else {}
        lines += [
            f"  subgraph step{t} {{ rank=same;",
            _node(f"y{t}", f'"y{t}"', "output", shape="ellipse", **later),
            _node(f"h{t}", f'"h{t}"', "hidden", width="0.9", height="0.7", **later)[:-2]
            + bold
            + "];",
            _node(f"x{t}", _quote(word), "input", shape="ellipse", **later),
            f"    y{t} -> h{t} -> x{t} [style=invis];",
            "  }",
            f'  x{t} -> h{t} [label=" W_xh", constraint=false];',
            f'  h{t} -> y{t} [label=" W_hy", constraint=false];',
            f'  h{t - 1} -> h{t} [label="W_hh", color="{_HIDDEN}", '
            f'fontcolor="{_HIDDEN_TEXT}", penwidth=2];',
        ]
    lines.append("}")
    return "\n".join(lines)


def _shown_steps(words: list[str], limit: int) -> list[tuple[int, str]]:
    """(step, word) pairs to draw: a long text keeps its start and its end."""
    steps = list(enumerate(words, start=1))
    if len(steps) <= limit:
        return steps
    head, tail = limit // 2 - 1, limit // 2
    return steps[:head] + [(0, "…")] + steps[-tail:]


def many_to_one(words: list[str], answer: str, both_directions: bool = False) -> str:
    """Many inputs, one output: every word updates the hidden state, and only the
    final state feeds the classifier. With `both_directions`, a second row of
    states reads right to left and its final state (at the first word) joins in.
    """
    steps = _shown_steps(words, MAX_UNROLLED_STEPS - 2)  # room for the output
    lines = _header("LR", nodesep=0.5)  # taller: readable when scaled to the page
    box = {"width": "0.8", "height": "0.6"}
    names = []
    for t, word in steps:
        name = f"s{t}" if t else "gap"
        names.append(name)
        # one column per step, top to bottom: forward state, word, backward state
        column = [_node(f"h_{name}", f'"h{t}"' if t else '"…"', "hidden", **box)]
        column.append(_node(f"x_{name}", _quote(word), "input", shape="ellipse"))
        order = f"h_{name} -> x_{name}"
        if both_directions:
            back = f"h{t}←" if t else "…"
            column.append(_box(f"b_{name}", back, _BACKWARD_STATE, **box))
            order += f" -> b_{name}"
        lines += [f"  subgraph col_{name} {{ rank=same;", *column]
        lines += [f"    {order} [style=invis];", "  }"]
        lines.append(f"  x_{name} -> h_{name} [constraint=false];")
        if both_directions:
            lines.append(f"  x_{name} -> b_{name} [constraint=false];")
    for a, b in zip(names, names[1:], strict=False):
        lines.append(f'  h_{a} -> h_{b} [color="{FORWARD_COLOUR}", penwidth=2];')
        if both_directions:  # drawn right to left: the backward LSTM's direction
            lines.append(
                f'  b_{a} -> b_{b} [dir=back, color="{BACKWARD_COLOUR}", penwidth=2];'
            )
    lines.append(_node("out", _quote(answer, limit=30), "output", shape="ellipse"))
    lines.append(
        f'  h_{names[-1]} -> out [label=" final state", color="{_OUTPUT}", penwidth=2];'
    )
    if both_directions:
        lines.append(
            f'  b_{names[0]} -> out [color="{BACKWARD_COLOUR}", penwidth=2, '
            "style=dashed, "
            "constraint=false];"
        )
    lines.append("}")
    return "\n".join(lines)


_WINDOW = 5  # words drawn on each side of the blank


def fill_blank(words: list[str], blank: int, guess: str) -> str:
    """Two readers meet at the blank: forward states left to right over the
    words before it, backward states right to left over the words after it,
    and both arrows end at the blank, where the guess is made.

    Three rows, top to bottom: forward states, words, backward states.
    `words` are the sentence's tokens, `blank` the index of the missing word.
    """
    start, end = max(0, blank - _WINDOW), min(len(words), blank + _WINDOW + 1)
    columns: list[int | None] = list(range(start, end))  # None: words left out
    columns = [None] * (start > 0) + columns + [None] * (end < len(words))
    lines = _header("TB", nodesep=0.3)
    lines[1] = lines[1].replace("ranksep=0.45", "ranksep=0.5; newrank=true")
    box = {"width": "0.7", "height": "0.5"}
    forward, middle, backward = [], [], []
    for n, index in enumerate(columns):
        step = "…" if index is None else str(index + 1)
        before = index < blank if index is not None else n == 0
        if index == blank:
            label = _quote(f"___ → {guess}?", limit=24)
            middle.append(_node(f"x{n}", label, "output", penwidth="2.4"))
        else:
            word = "…" if index is None else words[index]
            middle.append(_node(f"x{n}", _quote(word), "input", shape="ellipse"))
        state = _node(f"f{n}", f'"h→{step}"', "hidden", **box)
        invisible = f'  {{}}{n} [style=invis, label="", width=0.7, height=0.5];'
        if index is not None and index == blank:
            forward.append(invisible.format("f"))
            backward.append(invisible.format("b"))
        elif before:
            forward.append(state)
            backward.append(invisible.format("b"))
        else:
            forward.append(invisible.format("f"))
            backward.append(_box(f"b{n}", f"h←{step}", _BACKWARD_STATE, **box))
    for row in (forward, middle, backward):
        lines += ["  { rank=same;", *row, "  }"]
    at = columns.index(blank)
    last = len(columns) - 1
    for n, index in enumerate(columns):
        # columns: each word sits under its forward state, above its backward one
        lines.append(f"  f{n} -> x{n} -> b{n} [style=invis];")
        if n < last:
            lines.append(f"  x{n} -> x{n + 1} [style=invis];")  # keep word order
        if index is not None and index < blank:
            lines.append(f"  f{n} -> x{n} [dir=back];")  # the word feeds h→
        if index is not None and index > blank:
            lines.append(f"  x{n} -> b{n};")  # the word feeds h←
    for n in range(at - 1):  # forward chain, up to the word before the blank
        lines.append(f'  f{n} -> f{n + 1} [color="{FORWARD_COLOUR}", penwidth=2];')
    for n in range(at + 1, last):  # backward chain, right to left
        lines.append(
            f'  b{n} -> b{n + 1} [dir=back, color="{BACKWARD_COLOUR}", penwidth=2];'
        )
    if at > 0:
        lines.append(
            f'  f{at - 1} -> x{at} [color="{FORWARD_COLOUR}", penwidth=2.6, '
            f'label=" forward ", fontcolor="{TEXT["forward"].light}"];'
        )
    if at < last:
        lines.append(
            f'  x{at} -> b{at + 1} [dir=back, color="{BACKWARD_COLOUR}", '
            f'penwidth=2.6, label=" backward ", fontcolor="{TEXT["backward"].light}"];'
        )
    lines.append("}")
    return "\n".join(lines)


MAX_SHAPE_STEPS = 12


def shape_diagram(
    inputs: list[str | None],
    outputs: list[str | None],
    decoder_from: int | None = None,
    feedback: bool = False,
) -> str:
    """An RNN's input/output shape unrolled: one column per time step, with an
    input under the steps that read one and an output over the steps that give one.

    `decoder_from` (0-based) starts a second network there (an encoder-decoder);
    `feedback` draws each output fed back in as the next step's input.
    """
    steps = [
        (t, word, answer)
        for t, (word, answer) in enumerate(zip(inputs, outputs, strict=True), 1)
    ]
    if decoder_from is None:
        steps = _shorten(steps, MAX_SHAPE_STEPS)
    else:  # each network keeps its own start and end
        encoder = _shorten(steps[:decoder_from], MAX_SHAPE_STEPS // 2)
        steps = encoder + _shorten(steps[decoder_from:], MAX_SHAPE_STEPS)
        decoder_from = len(encoder)
    lines = _header("LR", nodesep=0.3)
    for t, (step, word, answer) in enumerate(steps):
        decoding = decoder_from is not None and t >= decoder_from
        state = _node(f"h{t}", f'"h{step}"' if step else '"…"', "hidden")
        if decoding:
            state = state.replace(_COLOURS["hidden"][0], DECODER[0])
            state = state.replace(_COLOURS["hidden"][1], DECODER[1])
        column = [_node(f"y{t}", _quote(answer or " "), "output", shape="ellipse")]
        column[0] = column[0] if answer else _invisible(f"y{t}")
        column += [state]
        column.append(
            _node(f"x{t}", _quote(word), "input", shape="ellipse")
            if word
            else _invisible(f"x{t}")
        )
        lines += [f"  subgraph step{t} {{ rank=same;", *column]
        lines += [f"    y{t} -> h{t} -> x{t} [style=invis];", "  }"]
        if word:
            lines.append(f"  x{t} -> h{t} [constraint=false];")
        if answer:
            lines.append(f"  h{t} -> y{t} [constraint=false];")
        if t:
            bridge = decoder_from is not None and t == decoder_from
            label = ', label="context"' if bridge else ""
            lines.append(f'  h{t - 1} -> h{t} [color="{_HIDDEN}", penwidth=2{label}];')
            if feedback and steps[t - 1][2] not in (None, "…"):
                lines.append(
                    f"  y{t - 1} -> h{t} [style=dashed, constraint=false, "
                    f'color="{_OUTPUT}"];'
                )
    lines.append("}")
    return "\n".join(lines)


def _shorten(steps: list, limit: int) -> list:
    """At most `limit` steps: the start and the end, with "…" between."""
    if len(steps) <= limit:
        return steps
    head = limit // 2
    _, word, answer = steps[head]  # the gap reads and writes like what it hides
    gap = (0, "…" if word else None, "…" if answer else None)
    return steps[:head] + [gap] + steps[-(limit - head - 1) :]


def _invisible(name: str) -> str:
    return f'  {name} [label="", style=invis, width=0.3, height=0.3];'


_OPERATION = OPERATION  # grey circles: element-wise arithmetic


def _gate(part: str) -> tuple[str, str]:
    """A gate's (border, fill): its colour on every page (the step-through charts)."""
    return GATES[part], GATE_FILLS[part]


def _box(name: str, label: str, colours: tuple[str, str], **extra: str) -> str:
    attrs = [f"label={_quote(label, 40)}", f'fillcolor="{colours[1]}"']
    attrs += [f'color="{colours[0]}"'] + [f"{k}={v}" for k, v in extra.items()]
    return f"  {name} [{', '.join(attrs)}];"


def _operation(name: str, symbol: str) -> str:
    return _box(name, symbol, _OPERATION, shape="circle", width="0.4", fixedsize="true")


def cell_diagram(cell: str) -> str:
    """The inside of one RNN, LSTM or GRU cell: its gates and the arithmetic that
    joins them, from the inputs (left) to the new states (right)."""
    hidden, state = _COLOURS["hidden"], CELL_STATE
    lines = _header("LR", nodesep=0.25)
    lines += [
        _box("x", "x_t (this word)", _COLOURS["input"], shape="ellipse"),
        _box("hp", "h_(t-1)", hidden),
    ]
    if cell == "rnn":
        lines += [
            _box("mix", "tanh(W_xh x_t + W_hh h_(t-1) + b)", hidden),
            _box("h", "h_t", hidden),
            "  x -> mix; hp -> mix; mix -> h;",
        ]
    elif cell == "lstm":
        lines += [
            _box("cp", "c_(t-1)", state),
            _box("f", "forget gate f_t (σ)", _gate("forget")),
            _box("i", "input gate i_t (σ)", _gate("input")),
            _box("g", "candidate g_t (tanh)", _gate("candidate")),
            _box("o", "output gate o_t (σ)", _gate("output")),
            _operation("keep", "×"),
            _operation("write", "×"),
            _operation("add", "+"),
            _box("squash", "tanh", _OPERATION, shape="ellipse"),
            _operation("show", "×"),
            _box("c", "c_t (cell state)", state),
            _box("h", "h_t", hidden),
            f'  {{ x hp }} -> {{ f i g o }} [color="{MUTED}"];',
            f'  cp -> keep [color="{state[0]}", penwidth=2.4];',
            f'  keep -> add -> c [color="{state[0]}", penwidth=2.4];',
            "  f -> keep; i -> write; g -> write; write -> add;",
            "  c -> squash -> show; o -> show; show -> h;",
        ]
    elif cell == "gru":
        # PyTorch's GRU: n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_(t-1) + b_hn)),
        # so r_t scales the old state's product with W_hn, not h_(t-1) itself
        lines += [
            _box("r", "reset gate r_t (σ)", _gate("reset")),
            _box("z", "update gate z_t (σ)", _gate("update")),
            _box("recall", "W_hn h_(t-1) + b_hn", hidden),
            _operation("forget", "×"),
            _box("n", "candidate n_t (tanh)", _gate("candidate")),
            _operation("one_minus", "1−"),
            _operation("new", "×"),
            _operation("old", "×"),
            _operation("add", "+"),
            _box("h", "h_t", hidden),
            f'  {{ x hp }} -> {{ r z }} [color="{MUTED}"];',
            "  hp -> recall -> forget; r -> forget; forget -> n; x -> n;",
            "  z -> one_minus -> new; n -> new; new -> add;",
            f'  z -> old; hp -> old [color="{_HIDDEN}", penwidth=2.4];',
            f'  old -> add [color="{_HIDDEN}", penwidth=2.4]; add -> h;',
        ]
    else:
        raise ValueError(f"unknown cell {cell!r}: choose rnn, lstm or gru")
    lines.append("}")
    return "\n".join(lines)


def encoder_decoder(words: list[str], outputs: list[str]) -> str:
    """An encoder-decoder in two rows: the encoder reads the words along the top;
    its last state (the context) starts the decoder, which writes the outputs
    along the bottom, each fed back in as the next step's input."""
    words = [w for _, w, _ in _shorten([(0, w, None) for w in words], 8)]
    outputs = [o for _, _, o in _shorten([(0, None, o) for o in outputs], 12)]
    lines = _header("TB", nodesep=0.25)
    rows = {"x": [], "e": [], "d": [], "y": []}
    for i, word in enumerate(words):
        rows["x"].append(_node(f"x{i}", _quote(word), "input", shape="ellipse"))
        rows["e"].append(
            _node(f"e{i}", f'"e{i + 1}"' if word != "…" else '"…"', "hidden")
        )
    for j, out in enumerate(outputs):
        node = _node(f"d{j}", f'"d{j + 1}"' if out != "…" else '"…"', "hidden")
        for colour in (0, 1):
            node = node.replace(_COLOURS["hidden"][colour], DECODER[colour])
        rows["d"].append(node)
        rows["y"].append(_node(f"y{j}", _quote(out), "output", shape="ellipse"))
    for name, nodes in rows.items():
        lines += [f"  subgraph row_{name} {{ rank=same;", *nodes, "  }"]
    lines += [f"  x{i} -> e{i};" for i in range(len(words))]
    lines += [
        f'  e{i} -> e{i + 1} [color="{_HIDDEN}", penwidth=2];'
        for i in range(len(words) - 1)
    ]
    lines.append(
        f'  e{len(words) - 1} -> d0 [label=" context", color="{_HIDDEN}", '
        f'fontcolor="{_HIDDEN_TEXT}", penwidth=2.4];'
    )
    lines += [f"  d{j} -> y{j};" for j in range(len(outputs))]
    for j in range(len(outputs) - 1):
        lines.append(f'  d{j} -> d{j + 1} [color="{DECODER[0]}", penwidth=2];')
        if outputs[j] != "…":
            lines.append(
                f'  y{j} -> d{j + 1} [style=dashed, color="{_OUTPUT}", '
                "constraint=false];"
            )
    lines.append("}")
    return "\n".join(lines)


def _numbered(words: list[str]) -> list[tuple[int, str]]:
    """(step, word) pairs, at most MAX_SHAPE_STEPS: a gap "…" is step 0."""
    steps = _shorten([(t, w, None) for t, w in enumerate(words, 1)], MAX_SHAPE_STEPS)
    return [(t, w) for t, w, _ in steps]


def mean_pooled(words: list[str], answer: str) -> str:
    """Many to one by averaging: every hidden state, not only the last, goes into
    one average, and the output is read from that average. Bottom to top: the
    words, the states (left to right), their average, the answer."""
    steps = _numbered(words)
    lines = _header("BT", nodesep=0.3)
    inputs = [
        _node(f"x{n}", _quote(w), "input", shape="ellipse")
        for n, (_, w) in enumerate(steps)
    ]
    states = [
        _node(f"h{n}", f'"h{t}"' if t else '"…"', "hidden")
        for n, (t, _) in enumerate(steps)
    ]
    for row in (inputs, states):
        lines += ["  { rank=same;", *row, "  }"]
    lines.append(_box("mean", f"average of h1 … h{len(words)}", _OPERATION))
    lines.append(_node("out", _quote(answer, limit=30), "output", shape="ellipse"))
    for n in range(len(steps)):
        lines.append(f"  x{n} -> h{n};")
        lines.append(f"  h{n} -> mean;")
        if n:
            lines.append(f'  h{n - 1} -> h{n} [color="{_HIDDEN}", penwidth=2];')
    lines.append(f'  mean -> out [color="{_OUTPUT}", penwidth=2];')
    lines.append("}")
    return "\n".join(lines)


def bidirectional_tagger(words: list[str], tags: list[str]) -> str:
    """Many to many in step, read both ways (a BiLSTM): a forward chain of states
    left to right, a backward chain right to left, and each step's output read
    from both states at that step. One column per step, top to bottom: output,
    forward state, backward state, word."""
    steps = _shorten(
        [(t, w, tag) for t, (w, tag) in enumerate(zip(words, tags, strict=True), 1)],
        MAX_SHAPE_STEPS,
    )
    lines = _header("LR", nodesep=0.3)
    for n, (t, word, tag) in enumerate(steps):
        step = str(t) if t else "…"
        column = [
            _node(f"y{n}", _quote(tag), "output", shape="ellipse"),
            _node(f"f{n}", f'"h→{step}"', "hidden"),
            _box(f"b{n}", f"h←{step}", _BACKWARD_STATE),
            _node(f"x{n}", _quote(word), "input", shape="ellipse"),
        ]
        lines += [f"  subgraph step{n} {{ rank=same;", *column]
        lines += [f"    y{n} -> f{n} -> b{n} -> x{n} [style=invis];", "  }"]
        lines += [f"  x{n} -> {s}{n} [constraint=false];" for s in "fb"]
        lines += [f"  {s}{n} -> y{n} [constraint=false];" for s in "fb"]
        if n:
            lines.append(f'  f{n - 1} -> f{n} [color="{FORWARD_COLOUR}", penwidth=2];')
            lines.append(
                f'  b{n - 1} -> b{n} [dir=back, color="{BACKWARD_COLOUR}", penwidth=2];'
            )
    lines.append("}")
    return "\n".join(lines)
