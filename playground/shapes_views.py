"""The parts of the "RNN shapes" page: five input/output shapes, five trained models."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from engine.digits import EXAMPLE_DRAWINGS, drawing_of, parse_drawing, test_examples
from engine.errors import EngineError
from engine.tasks.dates import EXAMPLES as DATE_EXAMPLES
from engine.text import detokenize
from engine.topic import EXAMPLES as TOPIC_EXAMPLES
from engine.truecase import EXAMPLES as TRUECASE_EXAMPLES
from engine.truecase import render, rule_tags
from playground import charts, diagrams, palette
from playground.models import (
    date_translator,
    digit_classifier,
    digit_speller,
    topic_reader,
    truecaser_model,
)
from playground.widgets import (
    escape_markdown,
    guess_answer,
    guess_prompt,
    limited_text,
    live_text_box,
    tapped_example,
)

SHAPES = {
    "one_to_one": "1 · One to one",
    "one_to_many": "2 · One to many",
    "many_to_one": "3 · Many to one",
    "many_to_many_same": "4 · Many to many (same length)",
    "many_to_many_diff": "5 · Many to many (encoder-decoder)",
}
TEST_IMAGES = 12  # held-out digits offered to pick from
# The seed article called one-to-one image classification an RNN's job; it is not.
ONE_TO_ONE = (
    "**One input, one output: not a recurrent job at all.** Here: one 8×8 image "
    "of a handwritten digit → its class. With a single input there are no time "
    "steps, so there is nothing to remember between steps and no weights to share "
    "across them: this is the job of a plain **feed-forward network**. The model "
    "below is built from PyTorch's `nn.RNN` only to show that. Run for one step "
    "from h₀ = 0, its {recurrent:,} recurrent weights W_hh multiply zeros and never "
    "touch the answer, so it computes h₁ = tanh(W_ih x + b_ih + b_hh) and then a "
    "linear layer: exactly a feed-forward network with one hidden layer of "
    "{hidden} units."
)
OWN_DRAWING = "Draw your own"
# Predict first: the example each tab asks about before any tap (the answers are
# computed on the page, never written here)
GUESS_DRAWING = "4"
GUESS_TOPIC = TOPIC_EXAMPLES[5]  # politics words, then entertainment words
GUESS_TRUECASE = TRUECASE_EXAMPLES[1].lower()  # "the us": a word or a country?
GUESS_DATE = DATE_EXAMPLES[4]  # 29 February, in a leap year


def held_out(
    metrics: dict, what: str = "Held-out accuracy", baseline: str = "Trivial baseline"
) -> None:
    """The model's score on data it never trained on, beside the trivial one's."""
    scores = metrics.get("held_out")
    if not scores:
        st.caption("No held-out score stored with this model.")
        return
    left, right = st.columns(2)
    left.metric(what, f"{scores['accuracy']:.1%}")
    right.metric(
        baseline,
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


def _drawing_tapped(key: str) -> None:
    st.session_state[f"{key}_tapped"] = True


def tapped_drawing(key: str) -> str | None:
    """The example drawing last tapped, while the box still holds it unchanged."""
    start = st.session_state.get(f"{key}_start")
    if not st.session_state.get(f"{key}_tapped") or start not in EXAMPLE_DRAWINGS:
        return None
    drawn = st.session_state.get(f"{key}_drawing_{start}", EXAMPLE_DRAWINGS[start])
    return start if drawn == EXAMPLE_DRAWINGS[start] else None


def pick_digit(key: str, question=None) -> np.ndarray | None:
    """A held-out test image, or the learner's own drawing; None with a message.
    `question(digit)`: what to guess about an example drawing before tapping it."""
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
    if question:
        st.caption(
            guess_prompt(
                question(GUESS_DRAWING), "Guess, for it or any drawing, then tap it."
            )
        )
    start = st.pills(
        "Start from",
        list(EXAMPLE_DRAWINGS),
        key=f"{key}_start",
        bind="query-params",
        default="7",
        on_change=_drawing_tapped,
        args=(key,),
    )
    text = limited_text(
        st.text_area,
        "Your drawing: 8 lines of 8 characters (# ink, + light ink, . paper)",
        EXAMPLE_DRAWINGS[start or "7"],
        height=230,
        limit=2_000,
        key=f"{key}_drawing_{start}",
    )
    try:
        return parse_drawing(text)
    except EngineError as error:
        st.warning(str(error))
        return None


def show_image(image: np.ndarray) -> None:
    st.altair_chart(charts.digit_image(image), theme=None, width="content")
    rows, cols = len(image), len(image[0])
    st.caption(
        f"Look at how little there is to read: {rows} × {cols} = {rows * cols} "
        "squares, each one number from 0 (pale paper) to 16 (dark ink). Those "
        f"{rows * cols} numbers are all the network gets."
    )
    with st.expander("As text"):
        st.code(drawing_of(image), language=None)


def one_to_one() -> None:
    reader = digit_classifier()
    recurrent = reader.model.rnn.weight_hh_l0.numel()  # counted, not assumed
    hidden = reader.model.config.hidden_size
    st.markdown(ONE_TO_ONE.format(hidden=hidden, recurrent=recurrent))
    diagram, scores = st.columns([2, 3])
    diagram.graphviz_chart(diagrams.shape_diagram(["image"], ["digit"]))
    diagram.caption(
        "One step, so no purple arrow: nothing is carried to a next step, and h1 "
        "is simply a hidden layer."
    )
    with scores:
        held_out(reader.metrics)
    st.subheader("Try it")
    left, right = st.columns([2, 3])
    with left:
        image = pick_digit("one_to_one", digit_question)
        if image is not None:
            show_image(image)
    if image is None:
        return
    ranked = reader.classify(image)
    with right:
        best, probability = ranked[0]
        st.metric("The network reads", str(best), f"{probability:.0%} sure")
        drawing = tapped_drawing("one_to_one")
        if drawing is not None:
            (second, p_second) = ranked[1]
            st.caption(
                guess_answer(
                    digit_question(drawing),
                    f"It reads {best} ({probability:.1%}) and ranks {second} "
                    f"second ({p_second:.1%}).",
                )
            )
        rows = [{"word": str(d), "probability": p} for d, p in ranked]
        bars = charts.probability_bars(rows, highlight=1).properties(height=260)
        # name every digit: the theme's axis drops every other label, and the
        # sentence under the chart names the runner-up
        y = alt.Y("word:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False))
        st.altair_chart(bars.encode(y=y), width="stretch")
        st.caption(bars_look_for(ranked))


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
        image = pick_digit("one_to_many", spelling_question)
        if image is not None:
            show_image(image)
    if image is None:
        with diagram_box:
            st.graphviz_chart(_spelling_diagram([]), width="stretch")
            st.caption(SPELLING_LOOK_FOR)
        return
    spelling = reader.spell(image)
    letters = [step.letter for step in spelling.steps]
    with diagram_box:
        st.graphviz_chart(_spelling_diagram(letters), width="stretch")
        st.caption(SPELLING_LOOK_FOR)
    with right:
        named = spelling.digit is not None
        verdict = "the name of {}" if named else "not the name of any digit"
        st.markdown(
            f"It writes **“{spelling.word}”**: "
            f"{verdict.format(f'**{spelling.digit}**')}."
        )
        drawing = tapped_drawing("one_to_many")
        if drawing is not None:
            # "wrote", not "writes": the line above owns "It writes “four”"
            stops = "and stopped" if spelling.finished else "and never stopped"
            st.caption(
                guess_answer(
                    spelling_question(drawing),
                    f"The network wrote “{spelling.word}” {stops}: "
                    f"{verdict.format(spelling.digit)}.",
                )
            )
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


def digit_question(digit: str) -> str:
    return (
        f"Which digit will the network read in the drawing of a {digit}, and which "
        "will it rank second?"
    )


def spelling_question(digit: str) -> str:
    return (
        f"Will the network spell the name of the {digit} right, letter by letter, "
        "and stop after it?"
    )


# What the one-to-many diagram draws (diagrams.shape_diagram with feedback=True).
SPELLING_LOOK_FOR = (
    "Look at what goes in: the image only once, at the first step (it sets the "
    "starting state); after that, each letter written comes back in (dashed green "
    "arrow) as the next step's input, while the purple arrows carry the hidden "
    "state on."
)


def bars_look_for(ranked: list[tuple[int, float]]) -> str:
    """What to look for in the digit probabilities, with this image's top two."""
    (best, p_best), (second, p_second) = ranked[0], ranked[1]
    return (
        "Look at the gap between the top bar (indigo, the answer) and the next: "
        f"here {best} at {p_best:.1%} against {second} at {p_second:.1%}. A small "
        "gap means the network nearly read the other digit."
    )


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
        "many_to_one": many_to_one,
        "many_to_many_same": many_to_many_same,
        "many_to_many_diff": many_to_many_diff,
    }
    for name, tab in zip(SHAPES, tabs, strict=True):
        if tab.open:
            with tab:
                try:
                    views[name]()
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
    st.caption(
        guess_prompt(
            date_question(GUESS_DATE), "Guess, for it or any example, then tap it."
        )
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
        # no diagram or answer here: they would be another input's, not this one's
        st.info(str(error))
        held_out(metrics, "Held-out: exact match")
        return
    outputs = ["⏎" if s.char == "<eos>" else s.char for s in result.steps]
    st.graphviz_chart(diagrams.encoder_decoder(result.words, outputs), width="stretch")
    st.caption(
        "Top, purple: the encoder reading words. Bottom, teal: the decoder writing "
        "characters (dashed: each character fed back in). The arrow marked "
        "“context” is the only thing that passes between them."
    )
    left, right = st.columns([3, 2])
    with right:
        held_out(metrics, "Held-out: exact match")
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
        example = tapped_example("dates_example", "dates_text")
        if example is not None:
            right = "right" if result.correct else f"wrong: it is {result.expected}"
            st.caption(
                guess_answer(
                    date_question(example),
                    f"It writes {result.output or '(nothing)'}, which is {right}; "
                    f"it gave that whole answer a probability of "
                    f"{result.confidence:.1%}.",
                )
            )


def date_question(text: str) -> str:
    return (
        f"What will the network write for “{escape_markdown(text)}”, and will it "
        "be right?"
    )


# ---------------------------------------------------------------- many to one


TOPIC_COLOURS = palette.TOPICS  # colour-blind safe (Okabe & Ito)


def many_to_one() -> None:
    reader = topic_reader()
    st.markdown(
        "**A sequence in, one output at the end**. An LSTM reads a paragraph of "
        "news word by word; only after the last word does it answer: business, "
        "entertainment, politics, sports or tech. (Its summary is the average of "
        "its hidden states, so the guess after any word is what it would say if "
        "the text stopped there.)"
    )
    st.caption(
        guess_prompt(
            topic_question(GUESS_TOPIC), "Guess, for it or any example, then tap it."
        )
    )
    text = live_text_box(
        key="topic_text",
        example_key="topic_example",
        label="A paragraph of news",
        default=TOPIC_EXAMPLES[0],
        examples=list(TOPIC_EXAMPLES),
        placeholder="Paste or type a few sentences of news",
        max_chars=30_000,
    )
    try:
        reading = reader.read(text)
    except EngineError as error:
        st.info(str(error))
        reading = None
    words = reading.words if reading else TOPIC_EXAMPLES[0].split()
    answer = reading.topic if reading else "topic"
    st.graphviz_chart(_topic_diagram(reader, words, answer), width="stretch")
    st.caption(_topic_diagram_look_for(reader))
    left, right = st.columns([3, 2])
    with right:
        held_out(reader.metrics)
        articles = reader.metrics.get("held_out", {}).get("article_accuracy")
        if articles:
            st.caption(f"Test paragraphs; on whole test articles: {articles:.1%}.")
    if reading is None:
        return
    with left:
        best = reading.topics[0]
        st.metric(
            "The network says",
            best["topic"],
            f"{best['probability']:.0%} sure",
            delta_color="off",
            delta_arrow="off",
        )
        example = tapped_example("topic_example", "topic_text")
        if example is not None:
            runner = reading.topics[1]
            st.caption(
                guess_answer(
                    topic_question(example),
                    f"It says **{best['topic']}**, {best['probability']:.0%} sure; "
                    f"next comes {runner['topic']}, {runner['probability']:.0%}.",
                )
            )
        for note in reading.notes:
            st.caption(escape_markdown(note))
        if reading.unknown:
            shown = ", ".join(reading.unknown[:12])
            st.caption(escape_markdown(f"New to the model (read as <unk>): {shown}"))
    st.altair_chart(_topic_steps(reading), width="stretch", theme=None)
    st.caption(
        "The guess after every word: what the network would answer if the text "
        "ended there. Look for the steps where a line jumps: the word read there "
        "moved the guess. Another many-to-one network reads sentiment:"
    )
    st.page_link(
        "pages/sentiment.py", label="Sentiment reader", icon=":material/arrow_forward:"
    )


def topic_question(text: str) -> str:
    return (
        f"Which topic will the network give “{escape_markdown(text)}”: "
        f"{', '.join(list(TOPIC_COLOURS)[:-1])} or {list(TOPIC_COLOURS)[-1]}?"
    )


def _topic_diagram(reader, words: list[str], answer: str) -> str:
    """The summary the model really reads: the average of all states, or the last."""
    if reader.model.config.pooling == "mean":
        return diagrams.mean_pooled(words, answer)
    return diagrams.shape_diagram(words, [None] * (len(words) - 1) + [answer])


def _topic_diagram_look_for(reader) -> str:
    if reader.model.config.pooling == "mean":
        return (
            "Look at where the answer comes from: every hidden state, not only the "
            "last, goes into one average (grey box), and the answer is read from "
            "that average once, after the last word."
        )
    return (
        "Look at where the answer comes from: only the last hidden state reaches "
        "it, so everything read before must be carried there by the purple arrows."
    )


def _topic_steps(reading) -> alt.Chart:
    words = reading.words[: len(reading.steps)]
    rows = [
        {"step": t, "word": words[t - 1], "topic": topic, "probability": p}
        for t, step in enumerate(reading.steps, start=1)
        for topic, p in step.items()
    ]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=len(words) <= 40)
        .encode(
            x=alt.X(
                "step:Q", title="Words read", axis=alt.Axis(format="d", tickMinStep=1)
            ),
            y=alt.Y("probability:Q", axis=alt.Axis(format="%"), title="Probability"),
            color=alt.Color(
                "topic:N",
                scale=alt.Scale(
                    domain=list(TOPIC_COLOURS), range=list(TOPIC_COLOURS.values())
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=[
                "step",
                "word",
                "topic",
                alt.Tooltip("probability:Q", format=".1%"),
            ],
        )
        .properties(height=260)
    )


# ---------------------------------------------------------------- many to many


TAG_SIGNS = {"lower": "a", "Capitalised": "Aa", "UPPER": "AA"}


def many_to_many_same() -> None:
    truecaser = truecaser_model()
    st.markdown(
        "**One output for every input**, in step. Text written all in lower case "
        "goes in; a bidirectional LSTM tags every word *lower*, *Capitalised* or "
        "*UPPER*, so names light up again. The labels come free from ordinary "
        "text (a stand-in for spotting names, *named-entity recognition*)."
    )
    st.caption(
        guess_prompt(
            truecase_question(GUESS_TRUECASE),
            "Guess, for it or any example, then tap it.",
        )
    )
    text = live_text_box(
        key="truecase_text",
        example_key="truecase_example",
        label="Text in lower case",
        default=TRUECASE_EXAMPLES[0].lower(),
        examples=[e.lower() for e in TRUECASE_EXAMPLES],
        placeholder="e.g. tony blair met the bbc in london",
        max_chars=20_000,
    )
    try:
        restored = truecaser.restore(text)
    except EngineError as error:
        st.info(str(error))
        restored = None
    tokens = [t.token for t in restored.tokens] if restored else ["tony", "blair"]
    tags = [TAG_SIGNS[t.tag] for t in restored.tokens] if restored else ["Aa", "Aa"]
    st.graphviz_chart(diagrams.bidirectional_tagger(tokens, tags), width="stretch")
    st.caption(
        "Two LSTMs read the words: one left to right (indigo states h→), one "
        "right to left (teal states h←). Each tag is read from both states at "
        "its word, so it depends on the words before it and the words after it."
    )
    left, right = st.columns([3, 2])
    with right:
        held_out(truecaser.metrics, "Held-out F1", "The full-stop rule")
        st.caption("F1: how well the capitalised words are found, 0 to 100%.")
    if restored is None:
        return
    rule = [
        render(token, tag, truecaser.spellings)
        for token, tag in zip(tokens, rule_tags(tokens), strict=True)
    ]
    with left:
        st.markdown("**The network writes:**")
        st.markdown(f"> {escape_markdown(restored.text)}")
        st.markdown("**The full-stop rule would write:**")
        st.markdown(f"> {escape_markdown(detokenize(rule))}")
        example = tapped_example("truecase_example", "truecase_text")
        if example is not None:
            st.caption(
                guess_answer(truecase_question(example), capitals_answer(restored))
            )
        for note in restored.notes:
            st.caption(escape_markdown(note))
    shown = restored.tokens[:60]
    st.altair_chart(
        charts.word_strip(
            [t.restored for t in shown],
            [t.p_capital for t in shown],
            "P(capital)",
            colours=palette.CAPITAL_STRIP,
            value_format=".0%",
        ),
        width="stretch",
        theme=None,
    )
    st.caption(
        "Look for the orange words: the more orange, the surer the network is "
        "that the word starts with a capital (first 60 words; hover a word for "
        "the number). It reads the whole text in both directions "
        "before it decides, and it learnt from BBC News: names it never saw there "
        "it has to guess from the words around them."
    )


def truecase_question(text: str) -> str:
    return (
        f"Which words of “{escape_markdown(text)}” will the network write with a "
        "capital, and which all in capitals?"
    )


def capitals_answer(restored) -> str:
    """The words the tagger capitalised, as it wrote them."""
    words = {"Capitalised": [], "UPPER": []}
    for token in restored.tokens:
        if token.tag in words:
            words[token.tag].append(f"“{escape_markdown(token.restored)}”")
    capital = ", ".join(words["Capitalised"]) or "no word"
    upper = ", ".join(words["UPPER"]) or "none"
    return f"With a capital: {capital}. All in capitals: {upper}."
