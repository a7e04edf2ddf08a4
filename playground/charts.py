"""Altair charts shared by the pages; their colours come from playground.palette."""

from __future__ import annotations

import copy
import json
import threading
from collections import OrderedDict
from collections.abc import Callable

import altair as alt
import pandas as pd
import streamlit as st

# Streamlit's own Altair -> Vega-Lite conversion (the one st.altair_chart uses,
# data as Arrow bytes); private, so streamlit is pinned and tests/test_charts.py
# checks that `show` draws exactly what st.altair_chart draws.
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from playground import palette

# Read from here by pages/text_to_numbers.py, step_views.py and lstm_diagram.py
# (TODO: they can read playground.palette directly)
from playground.palette import (  # noqa: F401
    ACCENT,
    GATE_SCHEME,
    GATE_SCHEME_WORDS,
    MUTED,
    OKABE_ITO,
    PRIMARY,
)


def probability_bars(
    rows: list[dict], highlight: int = 3, title: str = ""
) -> alt.Chart:
    """Horizontal bars of word probabilities, the first `highlight` in colour."""
    data = pd.DataFrame(rows)
    data["shown"] = [
        "suggested" if i < highlight else "other" for i in range(len(data))
    ]
    return (
        alt.Chart(data, title=title)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X("probability:Q", title="Probability", axis=alt.Axis(format="%")),
            y=alt.Y("word:N", sort=None, title=None),
            color=alt.Color(
                "shown:N",
                scale=alt.Scale(domain=["suggested", "other"], range=[PRIMARY, MUTED]),
                legend=None,
            ),
            tooltip=["word", alt.Tooltip("probability:Q", format=".2%")],
        )
    )


def count_bars(
    data: pd.DataFrame, count: str, label: str, x_title: str, title: str, colour: str
) -> alt.Chart:
    """Horizontal bars of counts, largest first."""
    return (
        alt.Chart(data, title=title)
        .mark_bar(color=colour)
        .encode(
            x=alt.X(f"{count}:Q", title=x_title),
            y=alt.Y(f"{label}:N", sort="-x", title=None),
            tooltip=[label, alt.Tooltip(f"{count}:Q", format=",")],
        )
    )


def word_strip(
    tokens: list[str],
    values: list[float],
    label: str,
    colours: tuple[str, str, str] = palette.INFLUENCE_STRIP,
    value_format: str = "+.2%",
) -> alt.Chart:
    """The words in a row, each on a tile coloured by its value (e.g. influence):
    `colours` are for the most negative value, zero and the most positive.

    Draw it with `theme=None`: Streamlit's theme replaces custom colour ranges.
    """
    data = pd.DataFrame({"position": range(len(tokens)), "word": tokens, label: values})
    limit = max(1e-9, max(abs(v) for v in values))
    base = alt.Chart(data).encode(
        x=alt.X("position:O", axis=None),
        tooltip=["word", alt.Tooltip(f"{label}:Q", format=value_format)],
    )
    # explicit pixel rows: the tile spans 10..50 and the word sits at 30, its middle
    tiles = base.mark_rect(cornerRadius=6).encode(
        y=alt.value(10),
        y2=alt.value(50),
        color=alt.Color(
            f"{label}:Q",
            # pale enough ends keep the dark words readable on every tile
            scale=alt.Scale(
                domain=[-limit, 0, limit],
                range=list(colours),
                interpolate="rgb",  # straight between the colours, no detour
                clamp=True,
            ),
            legend=None,  # the text under the chart explains the colours
        ),
    )
    words = base.mark_text(fontSize=14, color=palette.INK, baseline="middle").encode(
        text="word:N", y=alt.value(30)
    )
    return (tiles + words).properties(height=60)


def loss_curve(points: list[dict]) -> alt.Chart:
    """Training loss per step (and validation loss per epoch when present)."""
    data = pd.DataFrame(points)
    return (
        alt.Chart(data)
        .mark_line()
        .encode(
            x=alt.X("step:Q", title="Training step"),
            y=alt.Y(
                "loss:Q", title="Loss (cross-entropy)", scale=alt.Scale(zero=False)
            ),
            color=alt.Color("curve:N", legend=alt.Legend(title=None, orient="top")),
            tooltip=["curve", "step", alt.Tooltip("loss:Q", format=".3f")],
        )
        .properties(height=240)
    )


def _label_scale() -> alt.Scale:
    colours = palette.SENTIMENT
    return alt.Scale(domain=list(colours), range=list(colours.values()))


def sentiment_trajectory(
    words: list[str], steps: list[dict], height: int = 300
) -> alt.Chart:
    """P(negative / neutral / positive) after each word: the answer forming."""
    rows = [
        {"step": t, "word": word, "label": label, "probability": p}
        for t, (word, step) in enumerate(zip(words, steps, strict=True), start=1)
        for label, p in step.items()
    ]
    # the x axis counts steps (a word may repeat) but shows the words themselves
    word_labels = f"{json.dumps(words)}[datum.value - 1]"
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=True, strokeWidth=2.5)
        .encode(
            x=alt.X(
                "step:O",
                title="After reading the word…",
                axis=alt.Axis(labelExpr=word_labels, labelAngle=-40, labelLimit=90),
            ),
            y=alt.Y(
                "probability:Q",
                title="Probability",
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "label:N",
                scale=_label_scale(),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                "step",
                "word",
                "label",
                alt.Tooltip("probability:Q", format=".1%"),
            ],
        )
        .properties(height=height)
    )


def confusion_heatmap(matrix: list[list[int]], labels: list[str]) -> alt.Chart:
    """Counts of (true label, predicted label): the diagonal is right."""
    rows = [
        {"true label": t, "predicted": p, "tweets": matrix[i][j]}
        for i, t in enumerate(labels)
        for j, p in enumerate(labels)
    ]
    base = alt.Chart(pd.DataFrame(rows)).encode(
        x=alt.X("predicted:N", sort=labels, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("true label:N", sort=labels),
        tooltip=["true label", "predicted", alt.Tooltip("tweets:Q", format=",")],
    )
    # a ramp that stays pale enough for dark counts on every cell: with a white
    # count on the dark cells instead, mid-blue cells would have neither 4.5:1
    ramp = alt.Scale(range=list(palette.COUNT_RAMP), interpolate="rgb", zero=True)
    cells = base.mark_rect(cornerRadius=4).encode(
        color=alt.Color("tweets:Q", scale=ramp, legend=None)
    )
    counts = base.mark_text(fontSize=15, fontWeight="bold", color=palette.INK).encode(
        text=alt.Text("tweets:Q", format=",")
    )
    return (cells + counts).properties(height=230)


def label_shares(data: pd.DataFrame, group: str, title: str) -> alt.Chart:
    """One 100% bar per group, split by label (columns: group, label, count)."""
    return (
        alt.Chart(data, title=title)
        .mark_bar()
        .encode(
            x=alt.X(
                "count:Q",
                stack="normalize",
                title="Share of tweets",
                axis=alt.Axis(format="%"),
            ),
            y=alt.Y(f"{group}:N", title=None, sort="-x"),
            color=alt.Color(
                "label:N",
                scale=_label_scale(),
                legend=alt.Legend(title=None, orient="top"),
            ),
            order=alt.Order("label:N", sort="ascending"),
            tooltip=[group, "label", alt.Tooltip("count:Q", format=",")],
        )
    )


def state_heatmap(
    labels: list[str],
    states: list[list[float]],
    used: int,
    colour: str,
    title: str,
    fade_later: bool = False,
) -> alt.Chart:
    """Hidden state over time: one column per token read, one row per unit.

    `states[t]` is the state after reading `labels[t]`; the column `used` (the
    state the guess is made from) is outlined in pink. A diverging scale centred
    on 0: negative values are amber, positive ones `colour`. `fade_later` pales
    the columns after `used` (steps still to come). Draw with `theme=None`.
    """
    limit = max(1e-9, max(abs(v) for state in states for v in state))
    scale = alt.Scale(
        domain=[-limit, 0, limit],
        range=[palette.STATE_NEGATIVE, palette.NEUTRAL_TILE, colour],
        interpolate="rgb",  # straight between the colours, no pink detour
    )
    return _unit_heatmap(labels, states, used, title, scale, "+.3f", fade_later)


def gate_heatmap(
    labels: list[str],
    gates: list[list[float]],
    used: int,
    title: str,
    fade_later: bool = False,
) -> alt.Chart:
    """A gate over time, like `state_heatmap`, on the 0..1 gate scale: fixed to
    [0, 1] on every chart, so a colour always means one value."""
    scale = alt.Scale(domain=[0, 1], scheme=GATE_SCHEME)
    return _unit_heatmap(labels, gates, used, title, scale, ".3f", fade_later)


def _unit_heatmap(
    labels: list[str],
    states: list[list[float]],
    used: int,
    title: str,
    scale: alt.Scale,
    value_format: str,
    fade_later: bool,
) -> alt.Chart:
    rows = [
        {
            "step": t,
            "token": labels[t],
            "unit": unit,
            "value": value,
            "opacity": 0.25 if fade_later and t > used else 1.0,
        }
        for t, state in enumerate(states)
        for unit, value in enumerate(state)
    ]
    base = alt.Chart(pd.DataFrame(rows), title=title).encode(
        x=alt.X(
            "step:O",
            title=None,
            axis=alt.Axis(
                labelExpr=f"{json.dumps(labels)}[datum.value]",
                labelAngle=-40,
                labelFontSize=12,
            ),
        ),
        y=alt.Y("unit:O", title="unit", axis=alt.Axis(labels=False, ticks=False)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "value:Q",
            scale=scale,
            legend=alt.Legend(title="value", orient="right", gradientLength=120),
        ),
        opacity=alt.Opacity("opacity:Q", scale=None, legend=None),
        tooltip=[
            "token",
            alt.Tooltip("unit:O", title="unit"),
            alt.Tooltip("value:Q", format=value_format),
        ],
    )
    outline = (
        alt.Chart(pd.DataFrame({"step": [used]}))
        .mark_rect(fill=None, stroke=palette.HIGHLIGHT, strokeWidth=3)
        .encode(x="step:O")
    )
    return (cells + outline).properties(height=220)


def digit_image(image, size: int = 150) -> alt.Chart:
    """An 8x8 digit image: ink dark on a pale square, one cell per pixel."""
    rows = [
        {"row": r, "col": c, "ink": float(image[r][c])}
        for r in range(len(image))
        for c in range(len(image[0]))
    ]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_rect(stroke=palette.DIGIT_GRID, strokeWidth=0.5)
        .encode(
            x=alt.X("col:O", axis=None),
            y=alt.Y("row:O", axis=None),
            color=alt.Color(
                "ink:Q",
                scale=alt.Scale(domain=[0, 16], range=list(palette.DIGIT_PIXELS)),
                legend=None,
            ),
            tooltip=[alt.Tooltip("ink:Q", title="ink (0-16)")],
        )
        .properties(width=size, height=size)
    )


# ------------------------------------------------------------- drawing, cached
SPEC_CACHE_SIZE = 512  # distinct charts kept (a few KB each)
_specs: OrderedDict[str, dict] = OrderedDict()
_specs_lock = threading.Lock()


def _plain(value):
    """numpy / torch scalars and arrays as plain numbers, for the cache key."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not a plain value: {type(value).__name__}")


def chart_spec(build: Callable[[], alt.TopLevelMixin], key) -> dict:
    """The Vega-Lite spec of the chart `build()` makes, built once per `key`.

    Building an Altair chart and converting it is the largest single part of a
    rerun on the busiest pages (py-spy under tests/load_classroom.py: about a
    quarter of the server's CPU), and learners in a class often see the same
    chart (the default sentence, the example chips). `key` must hold everything
    the chart shows; a key that is not plain data is not cached.
    """
    try:
        text = json.dumps(key, sort_keys=True, default=_plain)
    except (TypeError, ValueError):
        return _convert_altair_to_vega_lite_spec(build())
    with _specs_lock:
        spec = _specs.get(text)
        if spec is not None:
            _specs.move_to_end(text)
    if spec is None:
        spec = _convert_altair_to_vega_lite_spec(build())
        with _specs_lock:
            _specs[text] = spec
            while len(_specs) > SPEC_CACHE_SIZE:
                _specs.popitem(last=False)
    return copy.deepcopy(spec)  # Streamlit moves the data out of the spec it gets


def show(build: Callable[[], alt.TopLevelMixin], key, where=None, **options) -> None:
    """st.altair_chart(build(), **options), with the spec cached by `key`."""
    (where or st).vega_lite_chart(chart_spec(build, key), **options)
