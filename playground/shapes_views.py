"""The parts of the "RNN shapes" page: five input/output shapes, five trained models."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from engine.digits import EXAMPLE_DRAWINGS, drawing_of, parse_drawing, test_examples
from engine.errors import EngineError
from engine.tasks.dates import EXAMPLES as DATE_EXAMPLES
from playground import charts, diagrams
from playground.models import (
    date_translator,
    digit_classifier,
    digit_speller,
)
from playground.widgets import escape_markdown, live_text_box

SHAPES = {
    "one_to_one": "1 · One to one",
    "one_to_many": "2 · One to many",
    "many_to_one": "3 · Many to one",
    "many_to_many_same": "4 · Many to many (same length)",
    "many_to_many_diff": "5 · Many to many (encoder-decoder)",
}
TEST_IMAGES = 12  # held-out digits offered to pick from
OWN_DRAWING = "Draw your own"


def held_out(metrics: dict, what: str = "Held-out accuracy") -> None:
    """The model's score on data it never trained on, beside the trivial one's."""
    scores = metrics.get("held_out")
    if not scores:
        st.caption("No held-out score stored with this model.")
        return
    left, right = st.columns(2)
    left.metric(what, f"{scores['accuracy']:.1%}")
    right.metric(
        "Trivial baseline",
        f"{scores['baseline']:.1%}",
        help=f"{scores['baseline_name']}, on the same {scores['n_test']:,} examples.",
    )
    st.caption(
        f"On {scores['n_test']:,} held-out examples. Baseline: "
        f"{escape_markdown(scores['baseline_name'])}."
    )


# ---------------------------------------------------------------- digits


@st.cache_data(show_spinner=False)
def _test_digits() -> list[tuple[np.ndarray, int]]:
    return test_examples(TEST_IMAGES, seed=1)


def pick_digit(key: str) -> np.ndarray | None:
    """A held-out test image, or the learner's own drawing; None with a message."""
    digits = _test_digits()
    options = [f"Test image {i + 1}" for i in range(len(digits))] + [OWN_DRAWING]
    choice = st.selectbox(
        "Image",
        options,
        key=f"{key}_pick",
        bind="query-params",
        help="Held-out images: never trained on.",
    )
    if choice != OWN_DRAWING:
        image, label = digits[options.index(choice)]
        st.caption(f"A held-out test image of a {label}.")
        return image
    start = st.pills(
        "Start from",
        list(EXAMPLE_DRAWINGS),
        key=f"{key}_start",
        bind="query-params",
        default="7",
    )
    text = st.text_area(
        "Your drawing: 8 lines of 8 characters (# ink, + light ink, . paper)",
        EXAMPLE_DRAWINGS[start or "7"],
        height=230,
        max_chars=2_000,
        key=f"{key}_drawing_{start}",
    )
    try:
        return parse_drawing(text)
    except EngineError as error:
        st.warning(str(error))
        return None


def show_image(image: np.ndarray) -> None:
    st.altair_chart(charts.digit_image(image), theme=None, width="content")
    with st.expander("As text"):
        st.code(drawing_of(image), language=None)


def one_to_one() -> None:
    reader = digit_classifier()
    st.markdown(
        "**One input, one output**, like a plain feed-forward network. Here: one "
        "8×8 image of a handwritten digit → its class. The RNN cell runs for "
        "exactly **one step** from h₀ = 0, so the loop never turns: W_hh "
        "multiplies zeros and never matters."
    )
    diagram, scores = st.columns([2, 3])
    diagram.graphviz_chart(diagrams.shape_diagram(["image"], ["digit"]))
    with scores:
        held_out(reader.metrics)
    st.subheader("Try it")
    left, right = st.columns([2, 3])
    with left:
        image = pick_digit("one_to_one")
        if image is not None:
            show_image(image)
    if image is None:
        return
    ranked = reader.classify(image)
    with right:
        best, probability = ranked[0]
        st.metric("The network reads", str(best), f"{probability:.0%} sure")
        rows = [{"word": str(d), "probability": p} for d, p in ranked]
        st.altair_chart(
            charts.probability_bars(rows, highlight=1).properties(height=260),
            width="stretch",
        )


def one_to_many() -> None:
    reader = digit_speller()
    st.markdown(
        "**One input, a sequence out**: captioning in miniature. The image sets "
        "the first hidden state of a GRU, which then writes the digit's name "
        "**letter by letter**, feeding each letter it wrote back in as its next "
        "input, until it writes “⏎” (end)."
    )
    scores = reader.metrics
    diagram_box, score_box = st.columns([3, 2])
    with score_box:
        held_out(scores, "Held-out: name right")
    st.subheader("Try it")
    left, right = st.columns([2, 3])
    with left:
        image = pick_digit("one_to_many")
        if image is not None:
            show_image(image)
    if image is None:
        with diagram_box:
            st.graphviz_chart(_spelling_diagram([]), width="stretch")
        return
    spelling = reader.spell(image)
    letters = [step.letter for step in spelling.steps]
    with diagram_box:
        st.graphviz_chart(_spelling_diagram(letters), width="stretch")
    with right:
        verdict = (
            f"the name of **{spelling.digit}**"
            if spelling.digit is not None
            else "not the name of any digit"
        )
        st.markdown(f"It writes **“{spelling.word}”**: {verdict}.")
        table = pd.DataFrame(
            [
                {
                    "step": t,
                    "wrote": _letter(step.letter),
                    "sure": f"{step.probability:.0%}",
                    "next best": ", ".join(
                        f"{_letter(letter)} {p:.0%}" for letter, p in step.top[1:]
                    ),
                }
                for t, step in enumerate(spelling.steps, start=1)
            ]
        )
        st.dataframe(table, hide_index=True, width="stretch")
        if not spelling.finished:
            st.caption("It never wrote “⏎”: it was stopped after 8 letters.")


def _letter(letter: str) -> str:
    return "⏎ (end)" if letter in ("<eos>", "<end>") else letter


def _spelling_diagram(letters: list[str]) -> str:
    letters = letters or ["s", "e", "v", "e", "n", "<eos>"]
    outputs = ["⏎" if letter == "<eos>" else letter for letter in letters]
    inputs = ["image"] + [None] * (len(outputs) - 1)
    return diagrams.shape_diagram(inputs, outputs, feedback=True)


def shape_tabs() -> None:
    """One tab per shape; only the open one runs its model."""
    tabs = st.tabs(
        list(SHAPES.values()), key="shape_tab", bind="query-params", on_change="rerun"
    )
    views = {
        "one_to_one": one_to_one,
        "one_to_many": one_to_many,
        "many_to_many_diff": many_to_many_diff,
    }
    for name, tab in zip(SHAPES, tabs, strict=True):
        if tab.open:
            with tab:
                try:
                    views.get(name, lambda: st.info("Coming soon."))()
                except EngineError as error:  # a missing or damaged checkpoint
                    st.error(str(error))


# ---------------------------------------------------------------- encoder-decoder


def many_to_many_diff() -> None:
    translator, metrics = date_translator()
    st.markdown(
        "**A sequence in, a sequence of a different length out**: an "
        "**encoder-decoder**, the shape of machine translation. One GRU (the "
        "encoder) reads the spelled-out words; its last hidden state, one vector "
        "of numbers, is all the second GRU (the decoder) gets. The decoder then "
        "writes digits one character at a time, feeding each one back in, until "
        "it writes “⏎”. Nothing tells it how long the answer is."
    )
    text = live_text_box(
        key="dates_text",
        example_key="dates_example",
        label="A number or a date, in words",
        default=DATE_EXAMPLES[0],
        examples=DATE_EXAMPLES[:6],
        placeholder="e.g. the third of march nineteen ninety nine",
        max_chars=300,
    )
    try:
        result = translator.translate(text)
    except EngineError as error:
        st.info(str(error))
        result = None
    words = result.words if result else DATE_EXAMPLES[0].split()
    written = [s.char for s in result.steps] if result else list("2026-11-27")
    outputs = ["⏎" if c == "<eos>" else c for c in written]
    st.graphviz_chart(diagrams.encoder_decoder(words, outputs), width="stretch")
    st.caption(
        "Top, purple: the encoder reading words. Bottom, teal: the decoder writing "
        "characters (dashed: each character fed back in). The arrow marked "
        "“context” is the only thing that passes between them."
    )
    left, right = st.columns([3, 2])
    with right:
        held_out(metrics, "Held-out: exact match")
    if result is None:
        return
    with left:
        verdict = "✓ right" if result.correct else f"✗ the answer is {result.expected}"
        st.metric(
            f"The network writes ({result.kind})",
            result.output or "(nothing)",
            f"{verdict} · {result.confidence:.0%} sure",
            delta_color="normal" if result.correct else "inverse",
            delta_arrow="off",
        )
        table = pd.DataFrame(
            [
                {
                    "step": t,
                    "wrote": _letter(step.char),
                    "sure": f"{step.probability:.0%}",
                    "next best": ", ".join(
                        f"{_letter(c)} {p:.0%}" for c, p in step.alternatives
                    ),
                }
                for t, step in enumerate(result.steps, start=1)
            ]
        )
        with st.expander("Each character the decoder wrote"):
            st.dataframe(table, hide_index=True, width="stretch")
        if result.stopped == "cap":
            st.caption("It never wrote “⏎”: it was stopped after 12 characters.")
