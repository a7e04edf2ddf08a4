"""The one colour language: every colour the pages draw with, named by meaning.

A cell type, a gate, a reading direction, a sentiment class and each part of a
network (input, hidden state, cell state, output) has one colour on every page.
The categories come from Okabe & Ito's palette or keep the app's first choices
where those were already safe; tests/test_palette.py checks that each set stays
distinct under simulated protanopia, deuteranopia and tritanopia, and that no
other file in pages/ or playground/ writes a colour literal.

Text is held to WCAG AA (contrast 4.5:1), and no single colour reaches that on
both a white page and Streamlit's dark one (#0E1117): the best, a mid grey, gets
4.35:1 on each. So a colour that is read as text comes as a `Text` pair, one
shade per theme, and text that must look the same in both themes sits on a fill
of its own: dark `INK` on the pastel boxes and tiles, and the diagrams on
`DIAGRAM_PAPER`.
"""

from __future__ import annotations

from typing import NamedTuple

# Okabe & Ito (2008): eight colours that stay apart for the common kinds of
# colour blindness; red against green never tells two things apart.
OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}

# ----------------------------------------------------------------- categories
CELLS = {
    "rnn": OKABE_ITO["orange"],
    "lstm": OKABE_ITO["blue"],
    "gru": OKABE_ITO["green"],
}
# The cell comparison's runs: the three cells, then a plain RNN widened to the
# LSTM's parameter count. Violet, not a shade of the RNN's orange: where the two
# curves run close, they must still be told apart. Its line keeps 3:1 (WCAG's
# contrast for graphics) on both themes' pages.
WIDE_RNN = "#a855f7"
CELL_RUNS = CELLS | {"rnn-wide": WIDE_RNN}
# LSTM: forget, input, candidate g_t, output; GRU: reset r_t, update z_t (its
# candidate n_t shares the LSTM's candidate colour: both are the tanh proposal)
GATES = {
    "forget": OKABE_ITO["orange"],
    "input": OKABE_ITO["blue"],
    "candidate": OKABE_ITO["vermillion"],
    "output": OKABE_ITO["green"],
    "reset": OKABE_ITO["purple"],
    "update": OKABE_ITO["sky"],
}
# The forward reader is the ordinary hidden state (indigo, as in every diagram);
# the backward one teal; both together amber, the app's accent.
DIRECTIONS = {"forward": "#6366f1", "backward": "#0891b2", "both": "#f59e0b"}
# Orange against blue with grey between, never red against green.
SENTIMENT = {
    "negative": OKABE_ITO["vermillion"],
    "neutral": OKABE_ITO["grey"],
    "positive": OKABE_ITO["blue"],
}
# The parts of a network in the diagrams: pages/shapes.py names amber inputs,
# purple-indigo hidden states and green outputs in its text.
ROLES = {"input": "#d97706", "hidden": "#6366f1", "output": "#059669"}
# The LSTM's cell state, teal: close to the output's green, so it stays out of
# ROLES; no drawing shows an output y beside a cell state c.
CELL_STATE = ("#0d9488", "#ccf0eb")  # (border, fill)
TOPICS = {  # the BBC News topics
    "business": OKABE_ITO["blue"],
    "entertainment": OKABE_ITO["purple"],
    "politics": OKABE_ITO["vermillion"],
    "sports": OKABE_ITO["green"],
    "tech": OKABE_ITO["orange"],
}

# ------------------------------------------------------- fills behind dark text
INK = "#111827"  # text on every fill below (and the darkest end of a ramp)
# Opaque pastels of the colours above: a box's border takes the colour, its
# fill the pastel, so `INK` reads on it in both themes.
ROLE_FILLS = {"input": "#fde9b8", "hidden": "#e3e3fc", "output": "#c9f1e1"}
GATE_FILLS = {
    "forget": "#fbe7b5",
    "input": "#cfe3f3",
    "candidate": "#f8d9c4",
    "output": "#c8eee1",
    "reset": "#f5dcea",
    "update": "#d5ecfa",
}
DIRECTION_FILLS = {"forward": "#e3e3fc", "backward": "#d5f1f7", "both": "#fdecc8"}
DECODER = ("#0891b2", "#d5f1f7")  # (border, fill): the second network, teal
OPERATION = ("#6b7280", "#f3f4f6")  # grey circles: element-wise arithmetic
PLAIN_PART = (EDGE_GREY := "#8b8fa3", "#eceef3")  # a part not lit in this stage
READ_ONLY = ("#6b7280", "#ffffff")  # an input a stage reads but does not change

# ------------------------------------------------------------ the diagrams
# Graphviz draws with fixed colours, whatever the theme: on a page-coloured
# background, no label colour could pass in both themes (see the top), so the
# diagrams bring their own paper. In the light theme it is the page itself.
DIAGRAM_PAPER = "#FFFFFF"
EDGE = "#8b8fa3"  # plain arrows: mid grey
EMPHASIS = "#4338ca"  # the highlighted step's border: the light theme's primary

# ------------------------------------------------------------------ the charts
PRIMARY = "#6366f1"  # indigo: the chosen or main series
ACCENT = "#f59e0b"  # amber: the second series
MUTED = "#9ca3af"  # grey: everything else (other words, theory lines)
HIGHLIGHT = "#ec4899"  # pink: the step being looked at (captions say "pink")
NEUTRAL_TILE = "#f3f4f6"  # 0 on a diverging scale: nearly white
STATE_NEGATIVE = "#d97706"  # amber: negative values on a hidden-state heatmap
# Word strips: (most negative, zero, most positive). Their ends are tints of the
# colours they stand for, light enough for `INK` words on every tile.
INFLUENCE_STRIP = ("#8285f4", NEUTRAL_TILE, ACCENT)  # purple against, amber for
SENTIMENT_STRIP = ("#db7626", NEUTRAL_TILE, "#4c9cc9")  # negative ... positive
CAPITAL_STRIP = (NEUTRAL_TILE, NEUTRAL_TILE, OKABE_ITO["orange"])  # P(capital)
# Counts written on their own cells: pale to mid blue, so `INK` reads on all.
COUNT_RAMP = ("#eef5fb", "#59a3cd")
DIGIT_PIXELS = ("#f9fafb", INK)  # (blank, full ink)
DIGIT_GRID = "#e5e7eb"
# Named Vega schemes, for scales with no text on them
SEQUENTIAL_SCHEME = "blues"
DIVERGING_SCHEME = "redblue"  # red explodes, blue vanishes: safe for red-green
# Gates are sigmoids in 0..1: viridis, fixed to [0, 1] (dark = closed, bright =
# open), stays ordered for the common kinds of colour blindness.
GATE_SCHEME = "viridis"
GATE_SCHEME_WORDS = "dark purple is closed (0), yellow open (1)"  # for captions


# -------------------------------------------------------------------- text
class Text(NamedTuple):
    """A colour read as text: one shade for each theme's background."""

    light: str  # on white (and the light theme's #f1f2f8 panels)
    dark: str  # on #0E1117 (and the dark theme's #10121a and #1c1f2d)


TEXT = {
    "hidden": Text("#4f46e5", "#a5b4fc"),  # the W_hh labels
    "forward": Text("#4f46e5", "#a5b4fc"),
    "backward": Text("#0e7490", "#22d3ee"),
    "muted": Text("#4b5563", "#9ca3af"),  # plain labels (W_xh, "final state")
    # the shades Streamlit 1.67 writes :orange[…], :gray[…] and :blue[…] in
    "negative": Text("#9B4519", "#F2A56D"),
    "neutral": Text("#686255", "#B8B3A8"),
    "positive": Text("#244FB4", "#85B8F8"),
}
# Class names in markdown: Streamlit's colour directives follow the theme (the
# `TEXT` shades above), orange and blue like the charts.
MARKDOWN = {"negative": "orange", "neutral": "gray", "positive": "blue"}
# Words for the colours, for keys in captions
COLOUR_WORDS = {
    OKABE_ITO["orange"]: "orange",
    OKABE_ITO["sky"]: "sky blue",
    OKABE_ITO["green"]: "green",
    OKABE_ITO["blue"]: "blue",
    OKABE_ITO["vermillion"]: "vermillion",
    OKABE_ITO["purple"]: "purple",
    OKABE_ITO["grey"]: "grey",
    "#6366f1": "indigo",
    "#0891b2": "teal",
    "#0d9488": "teal",
    "#d97706": "amber",
    "#f59e0b": "amber",
    "#059669": "green",
    WIDE_RNN: "violet",
}


def key(colours: dict[str, str], names: dict[str, str] | None = None) -> str:
    """A caption's colour key: "forget gate orange, input gate blue, …"."""
    names = names or {}
    return ", ".join(
        f"{names.get(part, part)} {COLOUR_WORDS[colour]}"
        for part, colour in colours.items()
    )
