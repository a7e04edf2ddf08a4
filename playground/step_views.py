"""The parts of the "Step through time" page: a trained network read word by word."""

from __future__ import annotations

import json

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from engine.cell_comparison import NEXT_WORD
from engine.errors import EngineError
from engine.models import count_parameters
from engine.step_through import (
    MAX_STEP_WORDS,
    StepTrace,
    busiest_units,
    clamp_step,
    shown_words,
    trace_language_model,
    unknown_note,
    unknown_words,
)
from engine.tasks import tiny_rnn
from engine.text import EOS, detokenize
from playground import charts, diagrams, palette
from playground.charts import OKABE_ITO
from playground.models import cell_comparison, next_word_model, tiny_rnn_model
from playground.widgets import (
    escape_markdown,
    guess_answer,
    guess_prompt,
    live_text_box,
    tapped_example,
)

DEFAULT_SENTENCE = "The cat sat on the mat"
EXAMPLES = [
    DEFAULT_SENTENCE,
    "The government said it would not raise taxes",
    "My sister drank a cup of tea",
    "The film was not good at all",
]
GUESS_EXAMPLE = EXAMPLES[2]  # the question asked before any tap
MODELS = {
    "lstm": "Next-word LSTM (news + everyday, 2 × 256 units)",
    "gru": "Small GRU (BBC News, 48 units)",
    "tiny": "Tiny RNN (4 units, everyday English)",
}


def _small_gru() -> tuple:
    """The GRU of "RNN vs LSTM vs GRU": next word on a BBC slice, 48 units."""
    comparison = cell_comparison()
    return comparison.model(NEXT_WORD, "gru"), comparison.word_vocab


LOADERS = {  # name -> (model, vocab), each cached once per server
    "lstm": lambda: (next_word_model()[0], next_word_model()[1].vocab),
    "gru": _small_gru,
    "tiny": lambda: (tiny_rnn_model()[0], tiny_rnn_model()[1].vocab),
}
VOCAB_NAMES = {
    "lstm": "next-word vocabulary",
    "gru": "small GRU's 3,000-word vocabulary",
    "tiny": "tiny RNN's vocabulary",
}
SHOWN_UNITS = 24  # of 256: the ones that move most in this sentence
PLAY_SECONDS = 1.2
GATE_COLOURS = {  # LSTM gates, then GRU gates (the palette's, in this order)
    name: palette.GATES[name]
    for name in ("input", "forget", "output", "reset", "update")
}
GATE_NOTES = {
    "lstm": "**Input**: how much of the new candidate to write; **forget**: how "
    "much of the old cell state to keep; **output**: how much of the cell state to "
    "show as h_t.",
    "gru": "**Reset**: how much of the old state the candidate may look at; "
    "**update**: how much of the old state to keep instead of the candidate "
    "(h_t = (1 − z) ⊙ candidate + z ⊙ h_(t-1)). This is PyTorch's convention, "
    "where z near 1 keeps the old state; Olah's “Understanding LSTM Networks” "
    "writes the GRU the other way round, with z near 1 taking the candidate. A GRU "
    "has no separate cell state.",
}
KEEP_GATES = {"lstm": ("forget", "f_t"), "gru": ("update", "z_t")}
PATH_STEPS = 100  # the "what if every step were like this" horizon
STEP_KEY, PLAYING_KEY = "step_t", "step_playing"
START_STATE = f"h0 (after {EOS})"  # the models read <eos> before the first word


def intro() -> str:
    """What the page shows, in the order it shows it: the tiny RNN first."""
    tiny = tiny_rnn_model()[0].config.hidden_size
    return (
        "An RNN reads a sentence **one word per time step**, and after each word "
        "it holds a **hidden state** h_t: a list of numbers that sums up "
        "everything read so far. Move through the words and watch the real "
        "numbers of trained networks change. The first tab starts small: a trained "
        f"**tiny RNN** with {tiny} hidden units, so every number of one step fits "
        "on screen, plugged into its equation. The other tabs show the network "
        "chosen below, at first the next-word keyboard's LSTM: its hidden state, "
        "cell state and gates, and how many weights it shares across the steps; "
        "at the end, the LSTM cell is built one gate at a time."
    )


def next_word_question(sentence: str) -> str:
    """The question an example asks: will the network see its last word coming?
    The step line answers it at the last-but-one word."""
    before, last = sentence.rsplit(" ", 1)
    return (
        f"After “{escape_markdown(before)}”, will “{escape_markdown(last)}” be among "
        "the three words the network expects next?"
    )


def text_box() -> str:
    st.caption(
        guess_prompt(
            next_word_question(GUESS_EXAMPLE),
            "Guess, for it or any sentence below, then tap it and step to its "
            "last-but-one word.",
        )
    )
    return live_text_box(
        key="step_text",
        example_key="step_example",
        label="Your sentence",
        default=DEFAULT_SENTENCE,
        examples=EXAMPLES,
        placeholder="Type a sentence to step through",
        max_chars=2_000,
    )


def choose_model() -> str:
    choice = st.segmented_control(
        "Network",
        list(MODELS),
        format_func=MODELS.get,
        default="lstm",
        key="step_model",
        bind="query-params",
    )
    return choice or "lstm"  # clicking the selected option again clears it


@st.cache_data(max_entries=128, show_spinner=False)
def cached_trace(model_name: str, text: str) -> StepTrace:
    """The model's reading of the text, once per server for each (model, text)."""
    model, vocab = LOADERS[model_name]()
    return trace_language_model(model, vocab, text)


def trace(model_name: str, text: str) -> StepTrace | None:
    """The trained model's reading of the text, or a friendly message and None."""
    try:
        result = cached_trace(model_name, text)
    except EngineError as error:
        st.info(str(error))
        return None
    notes = []
    if result.clipped:
        notes.append(f"Stepping through the first {MAX_STEP_WORDS} tokens.")
    unknown = unknown_note(result.unknown, VOCAB_NAMES[model_name])
    if unknown:
        notes.append(unknown)
    if notes:
        st.caption(escape_markdown(" ".join(notes)))
    return result


def example_answer(result: StepTrace, model_name: str) -> None:
    """Once an example is tapped: its question again, answered by the network's
    guesses at the last-but-one word (what the step line shows there)."""
    example = tapped_example("step_example", "step_text")
    if example is None or result.length < 2:
        return
    step, last = result.length - 1, result.tokens[-1]
    guesses = result.next_words[step - 1]
    words = [word for word, _ in guesses]
    ranks = ("first", "second", "third")
    written = escape_markdown(result.words[-1])
    if last in words[: len(ranks)]:
        verdict = f"“{written}” is its {ranks[words.index(last)]} guess"
    else:
        verdict = f"“{written}” is not among them"
    network = MODELS[model_name].split(" (")[0]
    st.caption(
        guess_answer(
            next_word_question(example),
            f"At step {step} the {network[0].lower() + network[1:]} expects "
            f"{_guesses(guesses)}: {verdict}.",
        )
    )


def move_step(delta: int | None, length: int) -> None:
    """Button callback: one step back or on; None goes back to the first word."""
    current = st.session_state.get(STEP_KEY, 1)
    target = 1 if delta is None else current + delta
    st.session_state[STEP_KEY] = clamp_step(target, length)[0]


def _toggle_play(length: int) -> None:
    playing = not st.session_state.get(PLAYING_KEY, False)
    st.session_state[PLAYING_KEY] = playing
    if playing and st.session_state.get(STEP_KEY, 1) >= length:
        st.session_state[STEP_KEY] = 1  # play from the start again


def time_controls(length: int) -> int:
    """The time slider, then back / next / play; returns the step 1..T.

    The buttons sit in one compact row (a horizontal container that does not
    wrap; columns would stack into three full-width buttons on a phone), and
    the step's sentence and diagram come right under them, so a tap and what it
    changes share the screen.
    """
    step, note = clamp_step(st.session_state.get(STEP_KEY, 1), length)
    st.session_state[STEP_KEY] = step
    if note and length > 1:
        st.caption(note)
    if length > 1:  # a shared link's step arrives here, through the slider
        step = st.slider("Time step t", 1, length, key=STEP_KEY, bind="query-params")
    else:
        st.caption("One word: one time step.")
    playing = st.session_state.get(PLAYING_KEY, False)
    with st.container(horizontal=True, wrap=False, key="step_buttons"):
        st.button("◀ Back", on_click=move_step, args=(-1, length), disabled=step <= 1)
        st.button(
            "Next ▶", on_click=move_step, args=(1, length), disabled=step >= length
        )
        st.button(
            "Pause" if playing else "Play",
            icon=":material/pause:" if playing else ":material/play_arrow:",
            on_click=_toggle_play,
            args=(length,),
            disabled=length <= 1,
            key="step_play_button",
        )
    return step


def advance_if_playing(length: int, timer_on: bool) -> None:
    """While playing, each timed rerun moves one word on; the end stops it.

    `timer_on` says whether this run's fragment has its timer: the Play button
    reruns only the fragment, so the whole page must rerun to start the timer.
    """
    if is_playing() != timer_on:
        st.rerun()
    if not is_playing():
        return
    step = st.session_state.get(STEP_KEY, 1)
    if step >= length:
        st.session_state[PLAYING_KEY] = False
        st.rerun()  # the whole page: the button reads "Play" again
    st.session_state[STEP_KEY] = step + 1


def is_playing() -> bool:
    return st.session_state.get(PLAYING_KEY, False)


def _window(length: int, step: int) -> int:
    """The first step of the diagram's window: the current step stays in view."""
    size = diagrams.MAX_UNROLLED_STEPS
    return max(1, min(step - size // 2, length - size + 1))


def reading_now(result: StepTrace, step: int) -> None:
    word = result.words[step - 1]
    read = detokenize(result.words[:step])
    guesses = _guesses(result.next_words[step - 1])
    st.markdown(
        f"**Step {step} of {result.length}:** the network reads "
        f"“{escape_markdown(word)}”. After “{escape_markdown(read)}” "
        f"it expects next: {guesses}."
    )


def _guesses(ranked: list[tuple[str, float]]) -> str:
    return ", ".join(f"“**{escape_markdown(w)}**” {p:.0%}" for w, p in ranked)


def unrolled(result: StepTrace, step: int) -> None:
    start = _window(result.length, step)
    shown = result.words[start - 1 : start - 1 + diagrams.MAX_UNROLLED_STEPS]
    st.graphviz_chart(
        diagrams.unrolled_rnn(shown, step, start, first_state=START_STATE),
        width="stretch",
    )
    start_note = (
        f" h0 is not zero: the network first reads {EOS}, the end-of-sentence "
        "token that also marks a start, from a zero state, and h0 is the state "
        "after it."
        if start == 1
        else ""
    )
    st.caption(
        f"The thick box is h{step}, the state after "
        f"“{escape_markdown(result.words[step - 1])}”; "
        "dashed steps are still to come. Every purple W_hh arrow is the **same** "
        "matrix: the network reuses one set of weights at every step."
        + escape_markdown(start_note)
    )


# The page opens on the tiny RNN (issue 17's path: every number of a step fits
# on screen); the other tabs show the network chosen above, by default the
# keyboard's LSTM (issue 15: it reads "The cat sat on the mat" with no <unk>).
ARITHMETIC = "A tiny RNN: the arithmetic, numbers plugged in"
TABS = [
    ARITHMETIC,
    "Hidden state h_t",
    "Cell state c_t",
    "Gates",
    "Parameter sharing",
]


def inside_tabs(result: StepTrace, model_name: str, text: str, step: int) -> None:
    """The five views of the current step; only the open tab is drawn, so a
    slider move redraws one chart, not five."""
    tabs = st.tabs(TABS, key="step_tab", bind="query-params", on_change="rerun")
    name, tab = next(
        ((n, t) for n, t in zip(TABS, tabs, strict=True) if t.open), (TABS[0], tabs[0])
    )
    with tab:
        if name == "Hidden state h_t":
            hidden_state(result, layer_choice(result), step)
        elif name == "Cell state c_t":
            cell_state(result, layer_choice(result), step)
        elif name == "Gates":
            gates(result, layer_choice(result), step)
        elif name == ARITHMETIC:
            arithmetic(text, step)
        else:
            parameter_sharing(model_name, result.length)


def layer_choice(result: StepTrace) -> int:
    if len(result.h) == 1:
        return 0
    layer = st.segmented_control(
        "Layer",
        list(range(len(result.h))),
        format_func=lambda i: f"Layer {i + 1}" + (" (top)" if i else " (reads words)"),
        default=len(result.h) - 1,
        key="step_layer",
        bind="query-params",
    )
    return len(result.h) - 1 if layer is None else layer


def _heatmap(result: StepTrace, values: np.ndarray, step: int, colour: str, title: str):
    """h or c: a diverging scale centred on 0."""
    units = busiest_units(values, SHOWN_UNITS)
    args = (result.words, values[:, units].tolist(), step - 1, colour, title, True)
    charts.show(
        lambda: charts.state_heatmap(*args),
        key=("state_heatmap", args),
        width="stretch",
        theme=None,
    )


def _gate_heatmap(result: StepTrace, values: np.ndarray, step: int, title: str):
    """A gate: the fixed 0..1 scale, so closed and open never look alike."""
    units = busiest_units(values, SHOWN_UNITS)
    args = (result.words, values[:, units].tolist(), step - 1, title, True)
    charts.show(
        lambda: charts.gate_heatmap(*args),
        key=("gate_heatmap", args),
        width="stretch",
        theme=None,
    )


def hidden_state(result: StepTrace, layer: int, step: int) -> None:
    values = result.h[layer]
    shown = min(SHOWN_UNITS, values.shape[1])
    _heatmap(
        result,
        values,
        step,
        palette.ROLES["hidden"],
        f"h_t: {shown} of {values.shape[1]} units",
    )
    st.caption(
        f"One column per word, one row per unit ({shown} of {values.shape[1]}: the "
        "ones that change most in this sentence). Indigo is positive, amber "
        f"negative; the pink outline is h{step}, pale columns are still to come. "
        "Every column depends on all the columns to its left, and on nothing to "
        "its right. " + hidden_look_for(result, layer)
    )


def hidden_look_for(result: StepTrace, layer: int) -> str:
    """What to look for in the h_t heatmap: the word that moved the state most,
    measured as the length of h_t - h_(t-1) over all the layer's units."""
    values = result.h[layer]
    start = result.h_start[layer] if result.h_start else np.zeros_like(values[0])
    before = np.vstack([start[None, :], values[:-1]])
    moves = np.linalg.norm(values - before, axis=1)
    biggest = int(moves.argmax())
    return (
        "Look for the columns where many rows change colour at once: the word "
        "read there rewrote much of the memory. In this sentence the state moves "
        f"most at “{escape_markdown(result.words[biggest])}” (the longest step "
        f"from h_(t-1) to h_t over all {values.shape[1]} units)."
    )


def cell_state(result: StepTrace, layer: int, step: int) -> None:
    if result.c is None:
        kind = "A GRU" if result.cell == "gru" else "A plain RNN"
        text = (
            f"{kind} has no separate cell state: its whole memory is the hidden "
            "state h. Choose the LSTM to see c_t."
        )
        if result.cell == "gru":
            text += (
                " Along h, each step back multiplies the gradient element-wise by "
                "the update gate z_t (PyTorch's convention: h_t = (1 − z_t) ⊙ n_t + "
                "z_t ⊙ h_(t-1)), besides the paths through the weights. "
                + path_factor(result, layer)
            )
        st.info(text)
        return
    values = result.c[layer]
    _heatmap(result, values, step, palette.CELL_STATE[0], "c_t: the LSTM's cell state")
    st.caption(
        "Look for rows that keep one colour over several words: that unit carries "
        "its value forward. "
        "The cell state is the LSTM's long-term memory: c_t = f_t ⊙ c_(t-1) + "
        "i_t ⊙ g_t. From c_(t-1) to c_t there is no matrix product, only an "
        "element-wise multiplication by the forget gate f_t, so the gradient that "
        "flows back along the cell state is multiplied by f_t at every step. "
        + path_factor(result, layer)
        + " Unlike h, c is not squashed into (-1, 1)."
    )


def path_factor(result: StepTrace, layer: int) -> str:
    """The trained gate on the state's own path, averaged over this sentence, and
    what it would leave of a gradient after PATH_STEPS such steps."""
    name, symbol = KEEP_GATES[result.cell]
    mean = round(float(result.gates[layer][name].mean()), 3)
    words = f"{result.length} word{'s' * (result.length != 1)}"
    return (
        f"That still shrinks it unless {symbol} is 1: over your {words} this "
        f"layer's {name} gate averages {mean:.3f}, and a gate of {mean:.3f} at "
        f"every step would leave {mean:.3f}^{PATH_STEPS} = {mean**PATH_STEPS:.2g} "
        f"of the gradient after {PATH_STEPS} steps."
    )


def gates(result: StepTrace, layer: int, step: int) -> None:
    if result.cell == "rnn":
        st.info(
            "A plain RNN has no gates: every step it overwrites its memory with "
            "tanh(W_xh x_t + W_hh h_(t-1) + b). LSTM and GRU cells add gates, "
            "numbers between 0 and 1 that decide what to keep. Choose the LSTM or "
            "the GRU."
        )
        return
    layer_gates = result.gates[layer]
    names = [n for n in GATE_COLOURS if n in layer_gates]
    rows = [
        {
            "step": t + 1,
            "word": word,
            "gate": name,
            "mean": float(layer_gates[name][t].mean()),
        }
        for name in names
        for t, word in enumerate(result.words)
    ]
    data = pd.DataFrame(rows)
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "step:O",
                title=None,
                axis=alt.Axis(
                    labelExpr=_label_expr(result.words),
                    labelAngle=-40,
                    labelFontSize=12,
                ),
            ),
            y=alt.Y(
                "mean:Q", title="average over units", scale=alt.Scale(domain=[0, 1])
            ),
            color=alt.Color(
                "gate:N",
                scale=alt.Scale(domain=names, range=[GATE_COLOURS[n] for n in names]),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=["word", "gate", alt.Tooltip("mean:Q", format=".2f")],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"step": [step]}))
        .mark_rule(color=palette.HIGHLIGHT, strokeWidth=2)
        .encode(x="step:O")
    )
    st.altair_chart((lines + rule).properties(height=240), width="stretch", theme=None)
    st.caption(
        f"Each gate is a sigmoid: 0 = closed, 1 = open. {GATE_NOTES[result.cell]} "
        "The lines are averages over all units; pick a gate below to see every unit."
    )
    st.caption(gates_look_for(result, layer))
    chosen = (
        st.segmented_control(
            "Gate",
            names,
            default=names[1] if len(names) > 1 else names[0],
            key="step_gate",
            bind="query-params",
        )
        or names[0]
    )
    values = layer_gates[chosen]
    shown = min(SHOWN_UNITS, values.shape[1])
    _gate_heatmap(
        result, values, step, f"{chosen} gate: {shown} of {values.shape[1]} units"
    )
    st.caption(
        "Look for columns where many units change colour together: that word "
        f"opened or closed the gate across the layer. Every unit's {chosen} gate "
        f"({shown} of {values.shape[1]}: the ones that "
        f"change most in this sentence): {charts.GATE_SCHEME_WORDS}. The scale "
        "is always 0 to 1, so a colour means the same on every gate and sentence. "
        f"The pink outline is step {step}; faded columns are still to come."
    )


def gates_look_for(result: StepTrace, layer: int) -> str:
    """What to look for in the gate lines: where the keep gate dips, measured."""
    name, symbol = KEEP_GATES[result.cell]
    means = result.gates[layer][name].mean(axis=1)  # one average per word
    lowest = int(means.argmin())
    kept = "cell state" if result.cell == "lstm" else "state, taking the candidate"
    return escape_markdown(
        f"Look for the dips of the {name} line ({symbol}): at those words the cell, "
        f"on average over its units, keeps less of its old {kept}. In this "
        f"sentence it dips lowest at “{result.words[lowest]}” "
        f"({float(means[lowest]):.2f})."
    )


def _label_expr(tokens: list[str]) -> str:
    return f"{json.dumps([''] + tokens)}[datum.value]"


def _matrix(values: np.ndarray) -> str:
    rows = values if values.ndim == 2 else values[:, None]
    body = r" \\ ".join(" & ".join(f"{v:+.2f}" for v in row) for row in rows)
    return r"\begin{bmatrix}" + body + r"\end{bmatrix}"


def arithmetic(text: str, step: int) -> None:
    """h_t = tanh(W_xh x_t + W_hh h_(t-1) + b) with the tiny RNN's real numbers."""
    model, checkpoint = tiny_rnn_model()
    try:
        steps = tiny_rnn.arithmetic(model, checkpoint.vocab, text)
    except EngineError as error:
        st.info(str(error))
        return
    now = steps[min(step, len(steps)) - 1]
    words = shown_words(text, [s.word for s in steps])
    word = words[now.step - 1]
    size = model.config.hidden_size
    st.markdown(
        f"The same sentence through a **tiny trained RNN** with {size} hidden "
        f"units and {size}-number "
        f"word vectors, at step {now.step}, the word “{escape_markdown(word)}”:"
    )
    st.latex(r"h_t = \tanh\left(W_{xh}\,x_t + W_{hh}\,h_{t-1} + b\right)")
    m = {
        name: _matrix(getattr(now, name))
        for name in ("w_xh", "x", "w_hh", "h_prev", "b", "input_part")
        + ("memory_part", "pre_activation", "h")
    }
    t, before = now.step, now.step - 1
    st.latex(rf"W_{{xh}}\,x_{{{t}}} = {m['w_xh']} {m['x']} = {m['input_part']}")
    st.latex(
        rf"W_{{hh}}\,h_{{{before}}} = {m['w_hh']} {m['h_prev']} = {m['memory_part']}"
    )
    st.latex(
        rf"h_{{{t}}} = \tanh\left({m['input_part']} + {m['memory_part']} + "
        rf"{m['b']}\right) = \tanh {m['pre_activation']} = {m['h']}"
    )
    guesses = _guesses(now.next_words)
    memory = (
        f"the state after the start token {escape_markdown(EOS)}, read from zeros "
        "before the first word"
        if now.step == 1
        else "the memory of the words before it"
    )
    st.caption(
        f"x_{now.step} is the learned vector of “{escape_markdown(word)}”; "
        f"h_{now.step - 1} is {memory}. Move the time step: W_xh, W_hh and b "
        f"never change, only x_t and h_(t-1) do. From h_{now.step} this tiny model "
        f"expects next: {guesses}"
    )
    unknown = unknown_words(words, [s.word for s in steps], checkpoint.vocab)
    note = unknown_note(unknown, VOCAB_NAMES["tiny"])
    if note:
        st.caption(escape_markdown(note))


def parameter_sharing(model_name: str, length: int) -> None:
    model, _ = LOADERS[model_name]()
    shared = count_parameters(model.rnn)
    top = max(50, length)
    lengths = sorted({1, 2, 5, 10, 20, 30, 40, 50, top, length})
    rows = [
        row
        for t in lengths
        for row in (
            {
                "words": t,
                "network": "RNN: one set of weights, shared",
                "parameters": shared,
            },
            {
                "words": t,
                "network": "Unrolled with separate weights per step",
                "parameters": shared * t,
            },
        )
    ]
    data = pd.DataFrame(rows)
    lines = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("words:Q", title="Words in the sentence"),
            y=alt.Y("parameters:Q", title="Recurrent parameters"),
            color=alt.Color(
                "network:N",
                scale=alt.Scale(range=[OKABE_ITO["blue"], OKABE_ITO["orange"]]),
                legend=alt.Legend(title=None, orient="top", labelLimit=320),
            ),
            tooltip=["network", "words", alt.Tooltip("parameters:Q", format=",")],
        )
    )
    mark = (
        alt.Chart(pd.DataFrame({"words": [length]}))
        .mark_rule(color=palette.HIGHLIGHT, strokeDash=[4, 3])
        .encode(x="words:Q")
    )
    st.altair_chart((lines + mark).properties(height=260), width="stretch", theme=None)
    st.markdown(
        f"The recurrent layers of this network hold **{shared:,}** parameters, and "
        f"they read your {length}-word sentence with exactly those. A network that "
        f"gave every step its own weights would need **{shared * length:,}** for "
        f"it, and more for every extra word, and what it learned about a word at "
        "step 2 would not help at step 20."
    )
    st.caption(
        "Look at the two lines: the blue one stays flat however long the sentence, "
        "the orange one climbs with every word. "
        f"Counted on the real model: `{type(model.rnn).__name__}` with "
        f"{model.rnn.num_layers} layer{'s' * (model.rnn.num_layers > 1)}, "
        f"{model.rnn.hidden_size} units (word vectors and the output layer not "
        "counted). Pink: your sentence."
    )
