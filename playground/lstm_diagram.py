"""The LSTM cell drawn as in Olah's "Understanding LSTM Networks", one stage lit.

A pure DOT string builder (no Streamlit): the cell-state line runs along the top,
the four gate layers read [h_(t-1), x_t] below it, and the parts of the chosen
stage are drawn thick and in colour while the rest stays grey. Parts of stages
still to come are dashed, so the cell visibly grows one gate at a time.
"""

from __future__ import annotations

from playground.palette import (
    CELL_STATE,
    EDGE,
    GATE_FILLS,
    GATES,
    INK,
    PLAIN_PART,
    READ_ONLY,
    ROLE_FILLS,
    ROLES,
    TEXT,
)

STAGES = ("forget", "input", "cell", "output")  # Olah's order
LIT_PEN = "3.2"  # the pen width of a highlighted part (tests look for it)
_TEXT = INK  # dark text on opaque pastel fills: readable in both themes
_PLAIN = PLAIN_PART  # (border, fill) of a part not in this stage
_EDGE = EDGE  # mid-grey: visible on white and on the dark theme
# (border, fill) per part: gate colours as on the rest of the page (Okabe & Ito,
# colour-blind safe); colour is never the only cue, lit parts are also thick.
_ORANGE = (GATES["forget"], GATE_FILLS["forget"])
_BLUE = (GATES["input"], GATE_FILLS["input"])
_VERMILLION = (GATES["candidate"], GATE_FILLS["candidate"])
_GREEN = (GATES["output"], GATE_FILLS["output"])
_TEAL = CELL_STATE  # the cell state, as in its heatmap
_INDIGO = (ROLES["hidden"], ROLE_FILLS["hidden"])  # as on the rest of the page
# inputs a stage reads but does not change: a mid grey, visible on both themes
_READ = READ_ONLY

# name: (label, shape, colours, the stage that adds it; 0: there from the start)
_PARTS = {
    "cp": ("c_(t-1)\nold memory", "box", _TEAL, 0),
    "hp": ("h_(t-1)", "box", _READ, 0),
    "x": ("x_t", "ellipse", _READ, 0),
    "hx": ("[h_(t-1), x_t]", "box", _READ, 0),
    "f": ("forget gate f_t\nσ", "box", _ORANGE, 1),
    "keep": ("×", "circle", _TEAL, 1),
    "i": ("input gate i_t\nσ", "box", _BLUE, 2),
    "g": ("candidate g_t\ntanh", "box", _VERMILLION, 2),
    "write": ("×", "circle", _BLUE, 2),
    "add": ("+", "circle", _TEAL, 3),
    "c": ("c_t\nnew memory", "box", _TEAL, 3),
    "o": ("output gate o_t\nσ", "box", _GREEN, 4),
    "squash": ("tanh", "ellipse", _GREEN, 4),
    "show": ("×", "circle", _GREEN, 4),
    "h": ("h_t", "box", _INDIGO, 4),
}
# (tail, head, colours when lit, stage that adds it)
_EDGES = [
    ("hp", "hx", _READ, 0),
    ("x", "hx", _READ, 0),
    ("cp", "keep", _TEAL, 1),
    ("hx", "f", _ORANGE, 1),
    ("f", "keep", _ORANGE, 1),
    ("hx", "i", _BLUE, 2),
    ("hx", "g", _VERMILLION, 2),
    ("i", "write", _BLUE, 2),
    ("g", "write", _VERMILLION, 2),
    ("keep", "add", _TEAL, 3),
    ("write", "add", _TEAL, 3),
    ("add", "c", _TEAL, 3),
    ("hx", "o", _GREEN, 4),
    ("c", "squash", _GREEN, 4),
    ("squash", "show", _GREEN, 4),
    ("o", "show", _GREEN, 4),
    ("show", "h", _GREEN, 4),
]
# What each stage lights: its own parts, plus the inputs it reads
LIT = {
    "forget": {"cp", "hp", "x", "hx", "f", "keep"},
    "input": {"hp", "x", "hx", "i", "g", "write"},
    "cell": {"cp", "keep", "write", "add", "c"},
    "output": {"hp", "x", "hx", "o", "c", "squash", "show", "h"},
}
_LIT_EDGES = {
    "forget": {("hp", "hx"), ("x", "hx"), ("cp", "keep"), ("hx", "f"), ("f", "keep")},
    "input": {("hp", "hx"), ("x", "hx"), ("hx", "i"), ("hx", "g"), ("i", "write")}
    | {("g", "write")},
    "cell": {("cp", "keep"), ("keep", "add"), ("write", "add"), ("add", "c")},
    "output": {("hp", "hx"), ("x", "hx"), ("hx", "o"), ("c", "squash")}
    | {("squash", "show"), ("o", "show"), ("show", "h")},
}


def _quote(text: str) -> str:
    return (
        '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    )


def _node(name: str, stage: int, lit: bool, word: str | None) -> str:
    label, shape, colours, adds = _PARTS[name]
    if name == "x" and word:
        label = f"x_t: “{word}”"
    border, fill = colours if lit else _PLAIN
    attrs = {
        "label": _quote(label),
        "shape": shape,
        "color": f'"{border}"',
        "fillcolor": f'"{fill}"',
        "fontcolor": f'"{_TEXT if lit else TEXT["muted"].light}"',
        "penwidth": LIT_PEN if lit else "1.2",
    }
    if shape == "circle":
        attrs |= {"width": "0.42", "fixedsize": "true", "fontsize": "16"}
    if adds > stage:  # not built yet: dashed, like the steps still to come
        attrs["style"] = '"dashed,rounded,filled"'
    return f"  {name} [{', '.join(f'{k}={v}' for k, v in attrs.items())}];"


def _edge(tail: str, head: str, colours: tuple[str, str], lit: bool, later: bool):
    colour = colours[0] if lit else _EDGE
    attrs = [f'color="{colour}"', f"penwidth={2.6 if lit else 1.2}"]
    if later:
        attrs.append("style=dashed")
    if (tail, head) in {("cp", "keep"), ("keep", "add"), ("add", "c")}:
        attrs.append("weight=8")  # keep the cell-state line straight, on top
    return f"  {tail} -> {head} [{', '.join(attrs)}];"


def lstm_cell(stage: str, word: str | None = None, limit: int = 14) -> str:
    """The cell with `stage` ("forget", "input", "cell" or "output") lit.

    `word`, when given, labels x_t (shortened to `limit` characters).
    """
    if stage not in LIT:
        raise ValueError(f"unknown stage {stage!r}: choose one of {', '.join(STAGES)}")
    number = STAGES.index(stage) + 1
    if word is not None:
        word = " ".join(word.split())
        word = word if len(word) <= limit else word[: limit - 1] + "…"
    lines = [
        "digraph {",
        '  rankdir=LR; bgcolor="transparent"; nodesep=0.3; ranksep=0.35;',
        '  node [fontname="Helvetica", fontsize=12, style="filled,rounded"];',
        "  edge [arrowsize=0.7];",
    ]
    lines += [_node(n, number, n in LIT[stage], word) for n in _PARTS]
    lines += [
        _edge(t, h, colours, (t, h) in _LIT_EDGES[stage], adds > number)
        for t, h, colours, adds in _EDGES
    ]
    # the cell-state line on top, the gates below it, as in Olah's pictures
    lines += ["  { rank=same; cp; hx; }", "  { rank=same; keep; write; }", "}"]
    return "\n".join(lines)
