"""Build the LSTM cell one gate at a time, in the order of Chris Olah's
"Understanding LSTM Networks", with the trained LSTM's numbers for the
learner's sentence at the chosen word.

The numbers come from the page's own trace (`engine.step_through`): the same
model, sentence and step arithmetic as the rest of the page, never recomputed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from engine.errors import EngineError
from engine.step_through import CellStep, StepTrace, busiest_units, lstm_cell_step
from engine.text import EOS, UNK
from playground import lstm_diagram
from playground.step_views import LOADERS, MODELS, cached_trace, move_step
from playground.widgets import escape_markdown

TITLE = "Build the LSTM cell, one gate at a time"
STAGE_KEY = "lstm_stage"
LAYER = 0  # the layer that reads the word vectors: its x_t is the word itself
SHOWN_UNITS = 6  # a table a learner can read at a glance
STAGE_LABELS = {
    "forget": "1 · Forget gate",
    "input": "2 · Input gate and candidate",
    "cell": "3 · New cell state",
    "output": "4 · Output gate",
}
EQUATIONS = {
    "forget": [r"f_t = \sigma\left(W_f \cdot [h_{t-1}, x_t] + b_f\right)"],
    "input": [
        r"i_t = \sigma\left(W_i \cdot [h_{t-1}, x_t] + b_i\right)",
        r"g_t = \tanh\left(W_g \cdot [h_{t-1}, x_t] + b_g\right)",
    ],
    "cell": [r"c_t = f_t \odot c_{t-1} + i_t \odot g_t"],
    "output": [
        r"o_t = \sigma\left(W_o \cdot [h_{t-1}, x_t] + b_o\right)",
        r"h_t = o_t \odot \tanh(c_t)",
    ],
}
# What each stage does, after Olah's text; every claim holds for torch.nn.LSTM
IDEAS = {
    "forget": "First the cell decides what to **throw away** from its memory. The "
    "forget gate looks at $h_{t-1}$ and the word $x_t$ and gives every unit of "
    "the old cell state $c_{t-1}$ a number between 0 and 1 (a sigmoid, σ): 1 "
    "keeps that unit's memory whole, 0 wipes it.",
    "input": "Next it decides what **new information to store**. The input gate "
    "$i_t$ (a sigmoid, 0 to 1) chooses which units to write; the candidate $g_t$ "
    "(a tanh, −1 to 1) proposes the values to write. Olah calls the candidate "
    "$\\tilde{C}_t$; PyTorch calls it g.",
    "cell": "Now the old memory **becomes the new one**: multiply $c_{t-1}$ by "
    "$f_t$, forgetting what the forget gate chose to forget, then add $i_t "
    "\\odot g_t$, the candidate scaled by how much of it to write. ⊙ multiplies "
    "unit by unit: no weight matrix sits on the path from $c_{t-1}$ to $c_t$.",
    "output": "Last, the cell decides what to **show**. The output gate $o_t$ "
    "chooses which units to let out; the cell state is pushed into (−1, 1) by "
    "tanh and multiplied by $o_t$. The result, $h_t$, is what the layer above "
    "(at the top, the next-word guess) sees; the next step gets both $h_t$ and "
    "$c_t$.",
}


def choose_stage() -> str:
    """Which of the four stages to build; shared in the link like the step."""
    choice = st.segmented_control(
        "Stage",
        list(STAGE_LABELS),
        format_func=STAGE_LABELS.get,
        default="forget",
        required=True,  # a stage is always chosen: clicking it again keeps it
        key=STAGE_KEY,
        bind="query-params",
    )
    return choice if choice in STAGE_LABELS else "forget"


def word_buttons(step: int, length: int) -> None:
    """Move the page's time step from here too: the slider is far above."""
    with st.container(horizontal=True, wrap=False, key="lstm_words"):
        st.button(
            "◀ Previous word",
            on_click=move_step,
            args=(-1, length),
            disabled=step <= 1,
            key="lstm_back",
        )
        st.button(
            "Next word ▶",
            on_click=move_step,
            args=(1, length),
            disabled=step >= length,
            key="lstm_next",
        )


def _lstm_trace(result: StepTrace, model_name: str, text: str) -> StepTrace | None:
    """The page's own trace when it is the LSTM's, else the LSTM's reading of the
    same sentence (cached once per sentence); None, with a message, if it fails."""
    if result.cell == "lstm":
        return result
    try:
        trace = cached_trace("lstm", text)
    except EngineError as error:
        st.info(str(error))
        return None
    st.caption(
        f"You chose the {escape_markdown(MODELS[model_name])} above; this section "
        f"builds an LSTM cell, so its numbers come from the "
        f"{escape_markdown(MODELS['lstm'])} reading the same sentence."
    )
    return trace


def build_cell(result: StepTrace, model_name: str, text: str, step: int) -> None:
    """The section: pick a stage, see its equation, its part of the cell lit, and
    the trained LSTM's numbers at this word."""
    st.subheader(TITLE)
    trace = _lstm_trace(result, model_name, text)
    if trace is None:
        return
    step = min(max(step, 1), trace.length)
    cell = lstm_cell_step(trace, step, LAYER)
    word = trace.words[step - 1]
    st.markdown(
        "An LSTM cell assembled part by part, in the order of Chris Olah's "
        "“Understanding LSTM Networks”, with the numbers the trained LSTM "
        f"computed at step {step}, the word “{escape_markdown(word)}”."
    )
    stage = choose_stage()
    word_buttons(step, trace.length)
    diagram, equations = st.columns([3, 2], vertical_alignment="center")
    with diagram:
        st.graphviz_chart(
            lstm_diagram.lstm_cell(stage, word),
            width="stretch",
            alt=f"An LSTM cell with the {STAGE_LABELS[stage][4:].lower()} lit",
        )
    with equations:
        for equation in EQUATIONS[stage]:
            st.latex(equation)
        st.markdown(IDEAS[stage])
    numbers(trace, cell, stage)


def numbers(trace: StepTrace, cell: CellStep, stage: str) -> None:
    """The stage's real numbers: a few sentences, one unit's sum, a small table."""
    units = busiest_units(trace.c[LAYER], SHOWN_UNITS)
    lines, example = SENTENCES[stage](cell, units, trace)
    st.markdown(" ".join(lines))
    st.latex(plugged_in(stage, cell, example))
    table = stage_table(stage, cell, units)
    formats = {
        column: st.column_config.NumberColumn(format="%.2f")
        for column in table.columns[1:]
    }
    st.dataframe(table, hide_index=True, width="stretch", column_config=formats)
    st.caption(_table_note(trace, cell, stage))


def _table_note(trace: StepTrace, cell: CellStep, stage: str) -> str:
    size, layers = cell.h.size, len(trace.h)
    shown = min(SHOWN_UNITS, size)
    note = (
        f"{shown} of the {size} units of layer {LAYER + 1} of {layers} (the layer "
        f"that reads the word vectors): the ones whose cell state moves most over "
        f"your sentence, numbered 1 to {size}. Rounded to two decimals. "
    )
    if stage in ("forget", "cell") and cell.step == 1:
        note += (
            f"At step 1, c_0 is not zero: it is the memory after {EOS}, the token "
            "the model reads before the first word. "
        )
    if trace.tokens[cell.step - 1] in _unknown_tokens(trace):
        word = trace.words[cell.step - 1]
        note += f"“{word}” is new to the model: x_t is the vector of {UNK}. "
    if stage in ("forget", "input", "output"):
        rnn = LOADERS["lstm"]()[0].rnn
        reads = rnn.input_size if LAYER == 0 else rnn.hidden_size
        note += (
            f"Each W has {size} rows, one per unit, and {size + reads} columns: "
            f"{size} for h_(t-1) and {reads} for x_t. PyTorch stores it as two "
            "blocks, one for x_t and one for h_(t-1), with two biases; "
            "W·[h_(t-1), x_t] + b is the same sum."
        )
    return escape_markdown(note.strip())


def _unknown_tokens(trace: StepTrace) -> set[str]:
    vocab = LOADERS["lstm"]()[1]
    return {t for t in trace.tokens if t not in vocab}


# ---- the numbers in words: every value computed, nothing typed in -------------


def _gate(value: float) -> str:
    return f"{value:.2f}"


def _signed(value: float) -> str:
    return f"{round(float(value), 2) + 0.0:+.2f}"  # + 0.0: never "-0.00"


def _percent(value: float) -> str:
    """The gate as a share, agreeing with its two-decimal value (0.97 -> 97%)."""
    return f"{round(float(_gate(value)) * 100)}%"


def _plain(value: float) -> str:
    return f"{round(float(value), 2) + 0.0:.2f}"


def _tex(value: float) -> str:
    """A factor in a product: a negative one in brackets, 0.70 × (-0.99)."""
    text = _plain(value)
    return f"({text})" if text.startswith("-") else text


def _pick(values: np.ndarray, units: np.ndarray, largest: bool = True) -> int:
    """The unit (of `units`) with the largest (or smallest) value."""
    chosen = values[units]
    return int(units[np.argmax(chosen) if largest else np.argmin(chosen)])


def _above_half(values: np.ndarray, name: str) -> str:
    return (
        f"Over all {values.size} units, {int((values > 0.5).sum())} {name} gates "
        "are above 0.5 at this word."
    )


def forget_sentences(cell: CellStep, units, trace) -> tuple[list[str], int]:
    keep = _pick(cell.forget, units)
    drop = _pick(cell.forget, units, largest=False)
    lines = [
        f"Unit {keep + 1}'s forget gate is {_gate(cell.forget[keep])}: it keeps "
        f"{_percent(cell.forget[keep])} of its old memory, so $c_{{t-1}}$ = "
        f"{_signed(cell.c_prev[keep])} becomes {_signed(cell.kept[keep])}."
    ]
    if drop != keep:
        lines.append(
            f"Unit {drop + 1}'s is {_gate(cell.forget[drop])}: it keeps "
            f"{_percent(cell.forget[drop])} and lets the rest go "
            f"({_signed(cell.c_prev[drop])} becomes {_signed(cell.kept[drop])})."
        )
    lines.append(_above_half(cell.forget, "forget"))
    return lines, keep


def input_sentences(cell: CellStep, units, trace) -> tuple[list[str], int]:
    most = _pick(np.abs(cell.written), units)
    shut = _pick(cell.input, units, largest=False)
    lines = [
        f"Unit {most + 1}'s candidate is $g_t$ = {_signed(cell.candidate[most])} "
        f"and its input gate lets {_percent(cell.input[most])} of it in "
        f"($i_t$ = {_gate(cell.input[most])}): it writes "
        f"{_signed(cell.written[most])}."
    ]
    if shut != most and cell.input[shut] < 0.5:
        lines.append(
            f"Unit {shut + 1}'s input gate is only {_gate(cell.input[shut])}: of "
            f"its candidate {_signed(cell.candidate[shut])} it writes "
            f"{_signed(cell.written[shut])}."
        )
    lines.append(_above_half(cell.input, "input"))
    return lines, most


def cell_sentences(cell: CellStep, units, trace) -> tuple[list[str], int]:
    moved = _pick(np.abs(cell.cell - cell.c_prev), units)
    lines = [
        f"Unit {moved + 1} changes most: it keeps {_signed(cell.kept[moved])} of "
        f"its old {_signed(cell.c_prev[moved])}, adds "
        f"{_signed(cell.written[moved])}, and now holds $c_t$ = "
        f"{_signed(cell.cell[moved])}."
    ]
    big = int(np.argmax(np.abs(cell.cell)))
    if abs(cell.cell[big]) > 1:
        lines.append(
            f"Unlike $h_t$, $c_t$ is not squashed into (−1, 1): unit {big + 1} "
            f"holds {_signed(cell.cell[big])}."
        )
    else:
        lines.append(
            "Every unit's $c_t$ is inside (−1, 1) at this word, but nothing keeps "
            "it there: no tanh is applied on this path."
        )
    return lines, moved


def output_sentences(cell: CellStep, units, trace) -> tuple[list[str], int]:
    shows = _pick(np.abs(cell.h), units)
    hides = _pick(cell.output, units, largest=False)
    lines = [
        f"Unit {shows + 1}: tanh($c_t$) = tanh({_signed(cell.cell[shows])}) = "
        f"{_signed(cell.squashed[shows])}, and its output gate lets "
        f"{_percent(cell.output[shows])} through ($o_t$ = "
        f"{_gate(cell.output[shows])}), so $h_t$ = {_signed(cell.h[shows])}."
    ]
    if hides != shows and cell.output[hides] < 0.5:
        lines.append(
            f"Unit {hides + 1}'s output gate is only {_gate(cell.output[hides])}: "
            f"its memory $c_t$ = {_signed(cell.cell[hides])} stays mostly inside "
            f"the cell, and it shows $h_t$ = {_signed(cell.h[hides])}."
        )
    above = (
        f"up to layer {cell.layer + 2}"
        if cell.layer + 1 < len(trace.h)
        else "to the layer that guesses the next word"
    )
    lines.append(f"$h_t$ goes on to the next word, as its $h_{{t-1}}$, and {above}.")
    return lines, shows


SENTENCES = {
    "forget": forget_sentences,
    "input": input_sentences,
    "cell": cell_sentences,
    "output": output_sentences,
}


def plugged_in(stage: str, cell: CellStep, unit: int) -> str:
    """The stage's arithmetic for one unit, its numbers plugged in (LaTeX)."""
    t, u = cell.step, unit
    f, i, g = _tex(cell.forget[u]), _tex(cell.input[u]), _tex(cell.candidate[u])
    cp, o = _tex(cell.c_prev[u]), _tex(cell.output[u])
    sums = {
        "forget": (rf"f_{{{t}}} \, c_{{{t - 1}}} = {f} \times {cp}", cell.kept),
        "input": (rf"i_{{{t}}} \, g_{{{t}}} = {i} \times {g}", cell.written),
        "cell": (rf"c_{{{t}}} = {f} \times {cp} + {i} \times {g}", cell.cell),
        "output": (
            rf"h_{{{t}}} = {o} \times \tanh({_plain(cell.cell[u])})",
            cell.h,
        ),
    }
    left, result = sums[stage]
    # the factors are rounded, so the result is "about": its own rounded value
    return rf"\text{{unit {u + 1}:}} \quad {left} \approx {_plain(result[u])}"


_COLUMNS = {  # stage: (column, CellStep attribute), in reading order
    "forget": [("c_(t-1)", "c_prev"), ("f_t", "forget"), ("f_t ⊙ c_(t-1)", "kept")],
    "input": [("i_t", "input"), ("g_t", "candidate"), ("i_t ⊙ g_t", "written")],
    "cell": [
        ("c_(t-1)", "c_prev"),
        ("f_t ⊙ c_(t-1)", "kept"),
        ("i_t ⊙ g_t", "written"),
        ("c_t", "cell"),
    ],
    "output": [
        ("c_t", "cell"),
        ("tanh(c_t)", "squashed"),
        ("o_t", "output"),
        ("h_t", "h"),
    ],
}


def stage_table(stage: str, cell: CellStep, units: np.ndarray) -> pd.DataFrame:
    """One row per shown unit, the stage's values rounded to two decimals."""
    data = {"unit": [int(u) + 1 for u in units]}
    for column, name in _COLUMNS[stage]:
        data[column] = np.round(getattr(cell, name)[units].astype(float), 2)
    return pd.DataFrame(data)
