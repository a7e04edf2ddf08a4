"""The colour language: one palette module, readable text, distinct categories."""

import itertools
import math
import re
import tomllib
from pathlib import Path

import pytest

from playground import charts, diagrams, palette

ROOT = Path(__file__).resolve().parents[1]
AA = 4.5  # WCAG 2.x level AA, normal-size text
HEX = re.compile(r"(?<![\w&])#(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{6}|[0-9a-fA-F]{3,4})\b")
FUNCTION = re.compile(r"\b(?:rgba?|hsla?)\(")
NOT_YET: set[str] = set()  # every page and view names its colours in the palette
# Streamlit's default dark background (the brief's), then the app's own themes
THEME = tomllib.loads((ROOT / ".streamlit/config.toml").read_text())["theme"]
LIGHT = ["#FFFFFF", THEME["light"]["backgroundColor"]]
LIGHT.append(THEME["light"]["secondaryBackgroundColor"])
DARK = ["#0E1117", THEME["dark"]["backgroundColor"]]
DARK.append(THEME["dark"]["secondaryBackgroundColor"])


def channels(colour: str) -> list[float]:
    colour = colour.lstrip("#")
    return [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]


def linear(c: float) -> float:
    """An sRGB channel (0..1) to linear light, as WCAG 2.x's luminance defines it."""
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    r, g, b = (linear(c) for c in channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(a: str, b: str, t: float) -> str:
    """Vega's interpolate="rgb": straight between the sRGB values."""
    parts = zip(channels(a), channels(b), strict=True)
    return "#" + "".join(f"{round(255 * (x + (y - x) * t)):02x}" for x, y in parts)


def ramp(stops: tuple[str, ...], samples: int = 20) -> list[str]:
    """Colours along a scale through `stops`, each segment sampled."""
    return [
        mix(a, b, i / samples)
        for a, b in itertools.pairwise(stops)
        for i in range(samples + 1)
    ]


# ------------------------------------------------------------- one palette
def test_the_formula_matches_wcag_s_own_examples():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


APP_FILES = sorted(
    str(path.relative_to(ROOT))
    for folder in ("pages", "playground")
    for path in (ROOT / folder).glob("*.py")
    if path.name != "palette.py"
)


@pytest.mark.parametrize("path", [*APP_FILES, "streamlit_app.py"])
def test_colours_are_named_in_the_palette_only(path):
    if path in NOT_YET:
        pytest.skip("TODO: moves to the palette when its rewrite lands (NOT_YET)")
    source = (ROOT / path).read_text(encoding="utf-8")
    found = [
        (number, line.strip())
        for number, line in enumerate(source.splitlines(), 1)
        if HEX.search(line) or FUNCTION.search(line)
    ]
    assert found == [], f"{path}: use a name from playground/palette.py"


# ------------------------------------------------------------ readable text
def test_no_single_colour_could_serve_both_themes():
    """Why text colours come in pairs: contrast depends on luminance alone, and
    even the best grey (any luminance between them does no better) falls short
    of AA on one of the two pages."""
    best = max(
        min(contrast(grey, "#FFFFFF"), contrast(grey, "#0E1117"))
        for grey in (f"#{v:02x}{v:02x}{v:02x}" for v in range(256))
    )
    assert best == pytest.approx(4.35, abs=0.01) and best < AA


@pytest.mark.parametrize("name", sorted(palette.TEXT))
def test_every_text_colour_meets_aa_on_its_theme(name):
    shades = palette.TEXT[name]
    for background in LIGHT:
        assert contrast(shades.light, background) >= AA, (name, background)
    for background in DARK:
        assert contrast(shades.dark, background) >= AA, (name, background)


# The theme's own colours, as Streamlit 1.67 derives text from them (its
# frontend: captions are the text colour at 60% opacity; the active tab and a
# slider's value are written in the primary colour, a selected segment or pill
# in the primary on a 10% tint of it, and a primary button or a multiselect tag
# in white on the primary). axe cannot always decide the first two (overlapping
# boxes), so they are checked here.
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_theme_s_text_meets_aa(theme):
    colours = THEME[theme]
    page, panel = colours["backgroundColor"], colours["secondaryBackgroundColor"]
    primary = colours["primaryColor"]
    for background in (page, panel):
        assert contrast(colours["textColor"], background) >= AA, background
        caption = mix(background, colours["textColor"], 0.6)
        assert contrast(caption, background) >= AA, ("caption", background)
        assert contrast(colours["linkColor"], background) >= AA, background
        assert contrast(primary, background) >= AA, ("primary", background)
        selected = mix(background, primary, 0.1)
        assert contrast(primary, selected) >= AA, ("selected segment", background)


def test_white_labels_on_the_primary_only_read_in_the_light_theme():
    """Why the pages use no primary button and no multiselect: in a dark theme
    no primary carries both white labels and its own colour on its tint (the
    best grey gets 4.1:1 on each), and the selected segments win."""
    assert contrast("#FFFFFF", THEME["light"]["primaryColor"]) >= AA
    dark = THEME["dark"]["backgroundColor"]
    best = max(
        min(contrast("#FFFFFF", grey), contrast(grey, mix(dark, grey, 0.1)))
        for grey in (f"#{v:02x}{v:02x}{v:02x}" for v in range(256))
    )
    assert best < AA


WHITE_ON_PRIMARY = re.compile(r"""type=["']primary["']|\.multiselect\(""")


@pytest.mark.parametrize("path", [*APP_FILES, "streamlit_app.py"])
def test_no_widget_writes_white_on_the_primary(path):
    """A primary button's label and a multiselect's chosen tags are white on the
    primary: 3.0:1 in the dark theme. Plain buttons and multi-select pills
    (`st.pills(..., selection_mode="multi")`) read in both themes."""
    source = (ROOT / path).read_text(encoding="utf-8")
    found = [
        (number, line.strip())
        for number, line in enumerate(source.splitlines(), 1)
        if WHITE_ON_PRIMARY.search(line)
    ]
    assert found == [], path


FILLS = {
    **{f"role {k}": v for k, v in palette.ROLE_FILLS.items()},
    **{f"gate {k}": v for k, v in palette.GATE_FILLS.items()},
    **{f"direction {k}": v for k, v in palette.DIRECTION_FILLS.items()},
    "cell state": palette.CELL_STATE[1],
    "decoder": palette.DECODER[1],
    "operation": palette.OPERATION[1],
}


@pytest.mark.parametrize("name", sorted(FILLS))
def test_ink_reads_on_every_box_fill(name):
    assert contrast(palette.INK, FILLS[name]) >= AA


@pytest.mark.parametrize(
    "stops", ["INFLUENCE_STRIP", "SENTIMENT_STRIP", "CAPITAL_STRIP", "COUNT_RAMP"]
)
def test_ink_reads_on_every_tile_of_a_labelled_scale(stops):
    """Words and counts are written on their tiles: every shade the scale
    passes through, not only its ends, keeps 4.5:1 with the ink."""
    worst = min(contrast(palette.INK, c) for c in ramp(getattr(palette, stops)))
    assert worst >= AA


def test_labelled_charts_use_those_scales_and_the_ink():
    spec = charts.confusion_heatmap([[5, 1], [2, 9]], ["a", "b"]).to_dict()
    cells, counts = spec["layer"]
    assert cells["encoding"]["color"]["scale"]["range"] == list(palette.COUNT_RAMP)
    assert counts["mark"]["color"] == palette.INK
    assert "condition" not in counts["encoding"].get("color", {})  # one ink only
    strip = charts.word_strip(["a", "b"], [-1.0, 1.0], "push").to_dict()
    tiles, words = strip["layer"]
    assert tiles["encoding"]["color"]["scale"]["range"] == list(palette.INFLUENCE_STRIP)
    assert words["mark"]["color"] == palette.INK


DIAGRAMS = {
    "folded": diagrams.folded_rnn(),
    "unrolled": diagrams.unrolled_rnn(["the", "cat", "sat"], highlight=2),
    "many to one": diagrams.many_to_one(["so", "good"], "positive", True),
    "fill blank": diagrams.fill_blank(["the", "cat", "sat", "down"], 2, "sat"),
    "shapes": diagrams.shape_diagram(["a", "b", None], [None, "x", "y"], 1, True),
    "encoder decoder": diagrams.encoder_decoder(["one", "two"], ["1", "2"]),
    "mean pooled": diagrams.mean_pooled(["a", "b"], "sports"),
    "tagger": diagrams.bidirectional_tagger(["tony", "blair"], ["Aa", "Aa"]),
    **{f"{cell} cell": diagrams.cell_diagram(cell) for cell in ("rnn", "lstm", "gru")},
}


def attribute(line: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]+)"', line)
    return found and found.group(1)


@pytest.mark.parametrize("name", sorted(DIAGRAMS))
def test_diagram_text_reads_on_its_box_or_on_the_paper(name):
    """Box labels sit on their fills; arrow labels on the diagram's own paper,
    the same in both themes (Graphviz cannot follow the theme)."""
    lines = DIAGRAMS[name].splitlines()
    assert attribute(lines[1], "bgcolor") == palette.DIAGRAM_PAPER
    node_ink = attribute(lines[2], "fontcolor")
    label_ink = attribute(lines[3], "fontcolor")
    checked = 0
    for line in lines[4:]:
        fill, ink = attribute(line, "fillcolor"), attribute(line, "fontcolor")
        if fill:  # a box: its own ink or the default, on its fill
            assert contrast(ink or node_ink, fill) >= AA, line
        elif "->" in line:  # an arrow's label: on the paper
            ink = ink or label_ink
            assert contrast(ink, palette.DIAGRAM_PAPER) >= AA, line
        checked += 1
    assert checked > 3


# ------------------------------------------------------ colour-blind safety
# Machado, Oliveira & Fernandes (2009), full severity, on linear sRGB
DEFICIENCIES = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
# OKLab distances x 100 (about 2 is just noticeable side by side). Okabe & Ito's
# own closest pair is 7.6 apart under deuteranopia.
APART, APART_WITH_DEFICIENCY = 15.0, 6.0
SETS = ["CELLS", "CELL_RUNS", "GATES", "DIRECTIONS", "SENTIMENT", "ROLES", "TOPICS"]


def simulate(rgb: list[float], deficiency: str) -> list[float]:
    """Linear RGB as seen with `deficiency`, clipped to the screen's range."""
    rows = DEFICIENCIES[deficiency]
    seen = [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in rows]
    return [min(1.0, max(0.0, c)) for c in seen]


def oklab(colour: str, deficiency: str | None = None) -> tuple[float, float, float]:
    rgb = [linear(c) for c in channels(colour)]
    r, g, b = simulate(rgb, deficiency) if deficiency else rgb
    long = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    medium = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    short = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    return (
        0.2104542553 * long + 0.7936177850 * medium - 0.0040720468 * short,
        1.9779984951 * long - 2.4285922050 * medium + 0.4505937099 * short,
        0.0259040371 * long + 0.7827717662 * medium - 0.8086757660 * short,
    )


def distance(a: str, b: str, deficiency: str | None = None) -> float:
    return 100 * math.dist(oklab(a, deficiency), oklab(b, deficiency))


@pytest.mark.parametrize("name", SETS)
def test_each_set_s_colours_stay_apart_with_colour_blindness(name):
    colours = getattr(palette, name)
    for (a, x), (b, y) in itertools.combinations(colours.items(), 2):
        assert distance(x, y) >= APART, (name, a, b)
        for deficiency in DEFICIENCIES:
            assert distance(x, y, deficiency) >= APART_WITH_DEFICIENCY, (
                name,
                a,
                b,
                deficiency,
            )


def test_the_sets_name_the_things_the_app_shows():
    from engine.cell_comparison import CELL_TYPES, RUNS

    assert list(palette.CELLS) == ["rnn", "lstm", "gru"] == list(CELL_TYPES)
    # the comparison's runs: the cells keep their colours, the wide RNN has its own
    assert list(palette.CELL_RUNS) == list(RUNS)
    assert {k: palette.CELL_RUNS[k] for k in palette.CELLS} == palette.CELLS
    gates = {"forget", "input", "candidate", "output", "reset", "update"}
    assert set(palette.GATES) == gates == set(palette.GATE_FILLS)
    assert list(palette.DIRECTIONS) == ["forward", "backward", "both"]
    assert list(palette.SENTIMENT) == ["negative", "neutral", "positive"]
    assert set(palette.SENTIMENT) == set(palette.MARKDOWN)
    assert list(palette.ROLES) == ["input", "hidden", "output"]


GRAPHICS = 3.0  # WCAG 2.x 1.4.11 (level AA): lines, marks and other graphics


def test_the_wide_rnn_line_reads_on_both_themes():
    """The fourth series of the cell comparison is a line: it keeps 3:1 with
    every page and panel colour of both themes, and has a name for captions."""
    for background in LIGHT + DARK:
        assert contrast(palette.WIDE_RNN, background) >= GRAPHICS, background
    assert palette.COLOUR_WORDS[palette.WIDE_RNN] == "violet"
