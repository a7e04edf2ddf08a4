"""Altair charts shared by the pages (colours work in light and dark themes)."""

from __future__ import annotations

import altair as alt
import pandas as pd

PRIMARY, ACCENT, MUTED = "#6366f1", "#f59e0b", "#9ca3af"


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


def word_strip(tokens: list[str], values: list[float], label: str) -> alt.Chart:
    """The words in a row, each on a tile coloured by its value (e.g. influence).

    Draw it with `theme=None`: Streamlit's theme replaces custom colour ranges.
    """
    data = pd.DataFrame({"position": range(len(tokens)), "word": tokens, label: values})
    limit = max(1e-9, max(abs(v) for v in values))
    base = alt.Chart(data).encode(
        x=alt.X("position:O", axis=None),
        tooltip=["word", alt.Tooltip(f"{label}:Q", format="+.2%")],
    )
    tiles = base.mark_rect(cornerRadius=6, height=38).encode(
        color=alt.Color(
            f"{label}:Q",
            # mid-tone ends keep the dark word labels readable on every tile
            scale=alt.Scale(
                domain=[-limit, 0, limit],
                range=[PRIMARY, "#f3f4f6", ACCENT],
                clamp=True,
            ),
            legend=None,  # the text under the chart explains the colours
        )
    )
    words = base.mark_text(fontSize=14, color="#111827", baseline="middle").encode(
        text="word:N"
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
