"""The parts of the "RNN vs LSTM vs GRU" page: three cells, one task, the same
training (steps, data and hidden size), and a plain RNN widened to the LSTM's
parameter count."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from engine.cell_comparison import (
    CELL_LABELS,
    CELL_TYPES,
    MATCHED,
    NEXT_WORD,
    RUN_LABELS,
    RUNS,
    WIDE_RNN,
    Run,
    cell_anatomy,
    cell_of,
    example_sequences,
    recall,
)
from engine.connectivity import EXAMPLE as CONNECTIVITY_EXAMPLE
from engine.connectivity import Connectivity, Sentence, compare
from engine.errors import EngineError, InputError
from engine.language_model import LanguageModel
from engine.pytorch_code import language_model_code, memory_model_code
from engine.text import Vocab, shown_word
from engine.worker import run_job
from playground import charts, diagrams, palette
from playground.models import cell_comparison, next_word_model
from playground.widgets import (
    CHART_EVERY_S,
    PROGRESS_EVERY_S,
    Every,
    escape_markdown,
    free_trainer,
    limited_text,
)

# RNN orange, LSTM blue, GRU green on every page; the wide RNN violet
CELL_COLOURS = palette.CELL_RUNS
# the colours in each cell's diagram, named in a key under it
_DIAGRAM_KEYS = {
    "rnn": {},
    "lstm": {g: palette.GATES[g] for g in ("forget", "input", "candidate", "output")},
    "gru": {g: palette.GATES[g] for g in ("reset", "update", "candidate")},
}
_STATE_KEYS = {"x_t": palette.ROLES["input"], "h": palette.ROLES["hidden"]}
TASK_LABELS = {
    "memory10": "Remember the first letter of 10",
    "memory50": "Remember the first letter of 50",
    "next-word": "Next word on BBC News (100,000 words)",
}
RETRAIN_SECONDS = 20  # a learner's live run: capped so a classroom server copes
LIVE_KEY, NOTE_KEY = "cells_live_runs", "cells_live_note"
WEIGHTS_KEY = "cells_live_weights"
SHIPPED, RERUN = "shipped", "your rerun"  # the two kinds of run in a chart
SOLID, RERUN_DASH = [1, 0], [7, 4]  # stroke dash patterns: (dash, gap) in pixels
GRU_CONVENTION = (
    "This is PyTorch's convention: z_t near 1 keeps the old state, near 0 takes "
    "the candidate. Olah's “Understanding LSTM Networks” writes the GRU the other "
    "way round, h_t = (1 − z_t) ⊙ h_(t-1) + z_t ⊙ h̃_t, so there z_t near 1 takes "
    "the candidate: the same cell, with z_t and 1 − z_t swapped. Olah also applies "
    "r_t to h_(t-1) before its matrix; PyTorch applies it after, to "
    "W_hn h_(t-1) + b_hn, as the equation above and the diagram show."
)

# What to look for in each cell's diagram: the paths diagrams.cell_diagram draws.
DIAGRAM_LOOK_FOR = {
    "rnn": "Follow the single path: x_t and h_(t-1) meet in one tanh box, so at "
    "every step the old state reaches h_t only through W_hh and the tanh, and the "
    "whole memory is rewritten.",
    "lstm": "Follow the thick teal path from c_(t-1) to c_t: one × by the forget "
    "gate and one +, with no weight matrix on the way; h_t is read from c_t "
    "through a tanh and the output gate.",
    "gru": "Follow the thick indigo path from h_(t-1) to h_t: one × by the "
    "update gate z_t and one +, with no weight matrix on the way; the candidate "
    "n_t joins at the +, scaled by 1 − z_t.",
}


def anatomy() -> None:
    """Each cell drawn, with its gates' meanings and equations."""
    cells = {entry["cell"]: entry for entry in cell_anatomy()}
    tabs = st.tabs(
        [CELL_LABELS[c] for c in CELL_TYPES], key="cells_anatomy", bind="query-params"
    )
    for cell, tab in zip(CELL_TYPES, tabs, strict=True):
        entry = cells[cell]
        with tab:
            # the plain RNN is three boxes: stretched, they would look enormous
            width = "content" if cell == "rnn" else "stretch"
            st.graphviz_chart(diagrams.cell_diagram(cell), width=width)
            st.caption(DIAGRAM_LOOK_FOR[cell])
            st.caption(_diagram_key(cell))
            st.markdown(_cell_summary(entry))
            for gate in entry["gates"]:
                kind = "gate, σ: 0 to 1" if gate["is_gate"] else "content, tanh"
                st.markdown(f"- **{gate['name']}** ({kind}): {gate['meaning']}")
                st.code(gate["equation"], language=None)
            st.caption("Then: " + "; ".join(entry["state_update"]) + ".")
            if cell == "gru":
                st.caption(GRU_CONVENTION)


def _diagram_key(cell: str) -> str:
    """The diagram's colours in words: the gates keep theirs on every page."""
    states = dict(_STATE_KEYS)
    if cell == "lstm":
        states["c"] = palette.CELL_STATE[0]
    text = f"Colours: {palette.key(states)}"
    if cell == "rnn":
        return text + "."
    names = {g: f"{g} gate" for g in palette.GATES if g != "candidate"}
    gates = palette.key(_DIAGRAM_KEYS[cell], names)
    return (
        f"{text}; {gates} (the gates keep these colours on every page); "
        "grey circles: element-wise arithmetic."
    )


def _cell_summary(entry: dict) -> str:
    blocks = entry["weight_blocks"]
    gates = sum(g["is_gate"] for g in entry["gates"])
    memory = (
        "a separate **cell state** c_t beside h_t"
        if entry["has_cell_state"]
        else "no separate cell state: h_t is its whole memory"
    )
    return (
        f"**{entry['label']}**: {gates} gate{'s' * (gates != 1)}, {memory}. "
        f"{blocks} block{'s' * (blocks != 1)} of weights (one W_i and one W_h "
        f"each), so with {entry['input_size']} inputs and {entry['hidden_size']} "
        f"units it has **{entry['parameters']:,}** parameters: "
        f"{blocks}× a plain RNN's."
    )


def choose_task() -> str:
    comparison = cell_comparison()
    task = st.segmented_control(
        "Task",
        comparison.settings.tasks,
        format_func=TASK_LABELS.get,
        default="memory50",
        key="cells_task",
        bind="query-params",
    )
    return task or "memory50"


def task_question(task: str) -> str:
    """The question to guess before looking at a task's curves."""
    spec = cell_comparison().settings.spec(task)
    if task.startswith("memory"):
        what = f"remember the first letter after {spec.length} letters"
    else:
        what = f"predict the next word best after {spec.steps:,} steps"
    return f"Which cell will {what}?"


WIDE_QUESTION = (
    f"And will the wide RNN, a plain RNN with about the {CELL_LABELS[MATCHED]}'s "
    f"number of parameters, do as well as the {CELL_LABELS[MATCHED]}?"
)


def guess_prompt(task: str) -> str:
    return (
        f"**Guess first:** {task_question(task)} {WIDE_QUESTION} Then look at the "
        "curves."
    )


def curves_look_for(task: str) -> str:
    """The task's question again, answered from the shipped runs' final scores."""
    comparison = cell_comparison()
    runs = [comparison.run(task, cell) for cell in RUNS]
    finals = {run.cell: run.final_metric for run in runs if run.final_metric}
    metric = runs[0].metric
    scores = ", ".join(
        f"{RUN_LABELS[run.cell]} {_format(run.final_metric, metric)}" for run in runs
    )
    if task.startswith("memory"):
        spec = comparison.settings.spec(task)
        look = (
            "Look for the line that climbs to the top while another stays near "
            f"chance (1 in {spec.n_symbols}): that is memory surviving "
            f"{spec.length} letters."
        )
    else:
        look = "Look for the line that ends lowest: fewer words it is torn between."
    answer = _best(finals, metric, len(runs))
    return (
        f"{look} {task_question(task)} Measured on held-out data at the end of "
        f"training: {scores}.{answer}"
    )


def _best(finals: dict[str, float], metric: str, n_runs: int) -> str:
    """ "The LSTM does best.", or who ties for it (the shipped scores are rounded
    to 4 decimals, so equal means equal on the page too)."""
    if not finals:
        return ""
    sign = 1 if metric == "accuracy" else -1  # perplexity: lower is better
    top = max(sign * value for value in finals.values())
    leaders = [
        RUN_LABELS[cell] for cell, value in finals.items() if sign * value == top
    ]
    if len(leaders) == 1:
        return f" The {leaders[0]} does best."
    if len(leaders) == n_runs:
        return " They all reach the same score."
    return f" The {', '.join(leaders[:-1])} and {leaders[-1]} tie for best."


def _series(cell: str, run: str) -> str:
    """A curve's legend entry: "LSTM" for a shipped run, "LSTM (your rerun)"."""
    return RUN_LABELS[cell] if run == SHIPPED else f"{RUN_LABELS[cell]} ({run})"


def _curve_chart(rows: list[dict], metric: str, title: str) -> alt.Chart:
    """Held-out curves; a learner's rerun is drawn dashed, on top, with its own
    legend entry, and the shipped curves fade so it shows where they overlap."""
    data = pd.DataFrame(rows)
    data["series"] = [_series(row["cell"], row["run"]) for row in rows]
    styles = {  # legend entry -> (colour, dash), shipped runs first
        _series(cell, run): (CELL_COLOURS[cell], dash)
        for run, dash in ((SHIPPED, SOLID), (RERUN, RERUN_DASH))
        for cell in RUNS
    }
    domain = [name for name in styles if name in set(data.series)]
    # line symbols at full opacity: the rerun's entry shows its dashes
    legend = alt.Legend(
        orient="top", symbolType="stroke", symbolOpacity=1, symbolSize=600
    )
    if metric == "accuracy":
        y_title, axis = f"held-out {metric} (higher is better)", alt.Axis(format="%")
        scale = alt.Scale(zero=True)
    else:
        # log scale: from the untrained ~3,000 to ~100, the last steps (where
        # the cells part) would otherwise be one flat line at the bottom
        y_title = f"held-out {metric} (lower is better, log scale)"
        axis, scale = _log_axis([row["value"] for row in rows])
    base = alt.Chart(data).encode(
        x=alt.X("step:Q", title="Training steps"),
        y=alt.Y("value:Q", title=y_title, axis=axis, scale=scale),
        # one field for colour and dash: one legend, the rerun's entry dashed
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[styles[s][0] for s in domain]),
            legend=legend,
        ),
        strokeDash=alt.StrokeDash(
            "series:N",
            title=None,
            scale=alt.Scale(domain=domain, range=[styles[s][1] for s in domain]),
            legend=legend,
        ),
        tooltip=[
            alt.Tooltip("series:N", title="run"),
            "step:Q",
            alt.Tooltip("value:Q", title=metric, format=".3f"),
            alt.Tooltip("seconds:Q", format=".1f"),
        ],
    )
    reran = any(row["run"] != SHIPPED for row in rows)
    faded = 0.45 if reran else 1.0
    shipped = base.transform_filter(alt.datum.run == SHIPPED).mark_line(
        point=alt.OverlayMarkDef(size=25, opacity=faded), opacity=faded
    )
    rerun = base.transform_filter(alt.datum.run != SHIPPED).mark_line(
        point=alt.OverlayMarkDef(size=40), strokeWidth=3
    )
    # layered in this order: the rerun is drawn last, over the shipped curves
    # no empty layer: Vega would draw an unlabelled group (axe: svg-img-alt)
    layers = [shipped, rerun] if reran else [shipped]
    return alt.layer(*layers, title=title).properties(height=320)


def _log_axis(values: list[float | None]) -> tuple[alt.Axis, alt.Scale]:
    """A log axis from the power of ten below the data to its top, ticked at
    1, 2, 5 × 10^k (Vega's own log ticks crowd and skip the round numbers)."""
    seen = [v for v in values if v is not None and v > 0]
    low = 10 ** math.floor(math.log10(min(seen, default=1.0)))
    high = max(seen, default=10.0)
    ticks = [
        m * 10**k
        for k in range(round(math.log10(low)), math.ceil(math.log10(high)) + 1)
        for m in (1, 2, 5)
        if low <= m * 10**k <= high
    ]
    axis = alt.Axis(format=",.0f", values=ticks)
    return axis, alt.Scale(type="log", domain=[low, high], nice=False)


def curves(task: str) -> None:
    comparison = cell_comparison()
    rows = [
        row | {"run": SHIPPED} for row in comparison.curve_rows() if row["task"] == task
    ]
    live = st.session_state.get(LIVE_KEY, {})
    for (live_task, _cell), run in live.items():
        if live_task == task:
            rows += _run_rows(run, RERUN)
    metric = comparison.run(task, "lstm").metric
    st.markdown(guess_prompt(task))
    st.altair_chart(
        _curve_chart(rows, metric, TASK_LABELS[task]), width="stretch", theme=None
    )
    st.caption(curves_look_for(task))
    reruns = [f"“{_series(cell, RERUN)}”" for t, cell in live if t == task]
    if reruns:
        st.caption(
            f"Dashed, on top: what you trained live on this page ({', '.join(reruns)}"
            " in the legend); the shipped runs are faded beneath it."
        )
    table = pd.DataFrame(
        [
            {
                "cell": RUN_LABELS[run.cell],
                "hidden units": run.hidden_size,
                "parameters": f"{run.parameters:,}",
                "training steps": f"{run.steps:,}",
                "training time (s)": run.train_seconds,
                f"final {run.metric}": _format(run.final_metric, run.metric),
            }
            for run in comparison.runs
            if run.task == task
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch")
    st.markdown(wide_rnn_note(task))
    st.caption(_budget_note(task))


def _budget_note(task: str) -> str:
    comparison = cell_comparison()
    spec = comparison.settings.spec(task)
    counts = ", ".join(
        f"the {CELL_LABELS[cell]} {comparison.run(task, cell).parameters:,}"
        for cell in CELL_TYPES
    )
    wide = comparison.run(task, WIDE_RNN)
    same = (
        f"seed 0, and {spec.hidden_size} hidden units for the "
        f"{', '.join(CELL_LABELS[c] for c in CELL_TYPES[:-1])} and "
        f"{CELL_LABELS[CELL_TYPES[-1]]}. The same hidden size is not the same number "
        f"of parameters: {counts} (the whole model, as in the table). The wide RNN "
        f"is a plain RNN with {wide.hidden_size} units, the size that brings its "
        f"count closest to the {CELL_LABELS[MATCHED]}'s: {wide.parameters:,}."
    )
    if task.startswith("memory"):
        return (
            f"Same training for all four: {spec.steps:,} steps of Adam on the same "
            f"fresh batches of {spec.batch_size}, {same} Chance is 1 in "
            f"{spec.n_symbols}. The LSTM's forget gate and the GRU's update gate "
            f"start with a bias of {spec.keep_bias:g}, which on its own keeps "
            f"{1 / (1 + math.exp(-spec.keep_bias)):.0%} of the old state at each "
            "step (for the GRU that is z near 1, PyTorch's convention); a plain RNN "
            "has no such gate."
        )
    matched = comparison.run(task, MATCHED).final_metric
    return (
        f"Same training for all four: {spec.steps:,} steps on the first "
        f"{spec.train_tokens:,} words of the BBC News training split, {same} "
        f"Perplexity on held-out words (lower is better) is {_PERPLEXITY}"
        + (
            f" The {CELL_LABELS[MATCHED]}'s {matched:,.1f} means it gave the true "
            f"next word 1/{matched:,.1f} = {1 / matched:.2%}, as a geometric mean. "
            f"As an intuition only: it is as unsure as if it were choosing among "
            f"{matched:,.0f} equally likely words."
            if matched
            else ""
        )
    )


# The definition, in words (engine.cell_comparison.perplexity computes it)
_PERPLEXITY = (
    "exp of the mean cross-entropy per word: the inverse of the geometric mean of "
    "the probability the model gave the true next word."
)


def wide_rnn_note(task: str) -> str:
    """Does the wide RNN catch up with the LSTM? Answered from the shipped runs."""
    comparison = cell_comparison()
    rnn, lstm, wide = (comparison.run(task, c) for c in ("rnn", MATCHED, WIDE_RNN))
    metric = rnn.metric
    size = (
        f"The wide RNN is a plain RNN with {wide.hidden_size} units instead of "
        f"{rnn.hidden_size}: {wide.parameters:,} parameters, "
        f"{_signed(wide.parameters / lstm.parameters - 1)} from the "
        f"{CELL_LABELS[MATCHED]}'s {lstm.parameters:,}, but no gates"
    )
    if task == NEXT_WORD:
        extra = wide.hidden_size - rnn.hidden_size
        size += (
            f"; most of every model's parameters are its {len(comparison.word_vocab):,}"
            f" word vectors, so the {CELL_LABELS[MATCHED]}'s count buys it only "
            f"{extra} more unit{'s' * (extra != 1)}"
        )
    chance = ""
    if task.startswith("memory"):
        n_symbols = comparison.settings.spec(task).n_symbols
        chance = f" (chance is 1 in {n_symbols}, {1 / n_symbols:.1%})"
    scores = (
        f"It ends at {_format(wide.final_metric, metric)}{chance}, against the "
        f"{CELL_LABELS[MATCHED]}'s {_format(lstm.final_metric, metric)} and the "
        f"{rnn.hidden_size}-unit RNN's {_format(rnn.final_metric, metric)}"
    )
    return f"**Is it the size?** {size}. {scores}{_gap_closed(rnn, lstm, wide)}"


# Below this the LSTM is not ahead of the RNN: no gap for the wide RNN to close
_NO_GAP = {"accuracy": 0.01, "perplexity": 1.0}  # 1 point of accuracy, of perplexity
_LITTLE = 0.1  # closing less than a tenth of the gap is closing none of it


def _gap_closed(rnn: Run, lstm: Run, wide: Run) -> str:
    """': it closes 3% of the gap, so …', measured on the final scores: the
    share of the RNN-to-LSTM gap that the wide RNN makes up."""
    a, b, w = rnn.final_metric, lstm.final_metric, wide.final_metric
    if a is None or b is None or w is None:
        return ": one of them diverged, so this run cannot say."
    sign = 1 if rnn.metric == "accuracy" else -1  # perplexity: lower is better
    gap = sign * (b - a)
    if gap < _NO_GAP[rnn.metric]:
        return (
            f": the {CELL_LABELS[MATCHED]} is not ahead of the RNN here, so there "
            "is no gap for the parameters to explain."
        )
    if sign * (b - w) < _NO_GAP[rnn.metric]:
        return (
            f": it catches up with the {CELL_LABELS[MATCHED]}, so here the "
            f"{CELL_LABELS[MATCHED]}'s lead was its parameter count."
        )
    closed = sign * (w - a) / gap
    if closed >= 0.5:
        return (
            f": it closes {closed:.0%} of the gap, so the parameter count explains "
            f"part of the {CELL_LABELS[MATCHED]}'s lead and its gates the rest."
        )
    if closed >= _LITTLE:
        return (
            f": it closes only {closed:.0%} of the gap, so most of the "
            f"{CELL_LABELS[MATCHED]}'s lead comes from its gates and cell state, "
            "not from its parameter count."
        )
    closes = (
        f"it closes only {closed:.0%} of the gap"
        if closed >= 0
        else "it does worse than the smaller RNN"
    )
    return (
        f": {closes}, so the {CELL_LABELS[MATCHED]}'s lead comes from its gates "
        "and cell state, not from its parameter count."
    )


def _signed(share: float) -> str:
    """+1.1% or −0.8%, with a real minus sign."""
    return f"{share:+.1%}".replace("-", "−")


def _format(value: float | None, metric: str) -> str:
    if value is None:
        return "diverged"
    return f"{value:.1%}" if metric == "accuracy" else f"{value:,.1f}"


def _run_rows(run: Run, name: str) -> list[dict]:
    return [
        {
            "task": run.task,
            "cell": run.cell,
            "label": RUN_LABELS[run.cell],
            "step": point["step"],
            "seconds": point["seconds"],
            "value": point[run.metric],
            "run": name,
        }
        for point in run.curve
    ]


def ask_memory_models() -> None:
    """Type a sequence: the six trained memory models say what came first."""
    comparison = cell_comparison()
    spec = comparison.settings.spec("memory10")
    examples = example_sequences(spec, 3) + example_sequences(
        comparison.settings.spec("memory50"), 1
    )
    text = limited_text(
        st.text_input,
        "A sequence: the first letter from a to h, then distractors from i to l",
        examples[0],
        limit=600,
        key="cells_sequence",
        bind="query-params",
    )
    st.caption("Try one: " + " · ".join(f"`{e}`" for e in examples[:3]))
    try:
        result = recall(comparison, text)
    except EngineError as error:
        st.info(str(error))
        return
    rows = [
        {
            "trained on": f"{answer['trained_length']} letters",
            "cell": answer["label"],
            "answer": answer["answer"],
            "sure": f"{answer['probability']:.0%}",
            "right?": "✓" if answer["correct"] else "✗",
        }
        for answer in result["answers"]
    ]
    st.markdown(
        f"The first letter of your {result['length']} letters was "
        f"**{escape_markdown(result['first'])}**. Each model was trained on "
        "sequences of one length only: give it the other length and see which "
        "cells still cope."
    )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def live_retrain(task: str) -> None:
    """Train one cell again, live, capped at RETRAIN_SECONDS."""
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    cell = left.segmented_control(
        "Cell",
        list(RUNS),
        format_func=RUN_LABELS.get,
        default="rnn",
        key="cells_retrain_cell",
        bind="query-params",
    )
    if cell is not None:
        st.markdown(f"**Before you press:** {retrain_question(cell)}")
    start = right.button(
        f"Train it again here (at most {RETRAIN_SECONDS} s)",
        key="cells_retrain",
        disabled=cell is None,
    )
    note = st.session_state.pop(NOTE_KEY, None)
    if note:
        st.success(note)
    _downloads(task)
    if not start or cell is None:
        return
    bar = st.progress(0.0, text="Starting a trainer…")
    chart = st.empty()
    shipped = cell_comparison().run(task, cell)
    bar_due, chart_due = Every(PROGRESS_EVERY_S), Every(CHART_EVERY_S)

    def on_message(kind: str, message: dict) -> None:
        if kind == "step" and bar_due():
            share = min(message["step"] / max(message["total_steps"], 1), 1.0)
            bar.progress(
                share,
                text=f"Step {message['step']:,} of {message['total_steps']:,}",
            )
        elif kind == "eval" and chart_due():  # the rerun after it draws the rest
            live = replace(shipped, curve=message["curve"])
            chart.altair_chart(
                _curve_chart(_run_rows(live, RERUN), live.metric, "Your run, live"),
                width="stretch",
                theme=None,
            )

    try:
        with free_trainer():
            # in a child process: the other learners' pages stay quick
            result, weights = run_job(
                "cells", {"task": task, "cell": cell, "seconds": RETRAIN_SECONDS},
                on_message,
            )  # fmt: skip
    except EngineError as error:
        st.warning(str(error))
        return
    run = Run(**result)
    # keep the curve and the weights as a small file, not the live model
    st.session_state[WEIGHTS_KEY] = (f"{task}-{cell}.pt", weights)
    st.session_state.setdefault(LIVE_KEY, {})[task, cell] = run
    st.session_state[NOTE_KEY] = (
        f"{retrain_question(cell)} Here is what it measured: "
        f"{_rerun_answer(run, shipped)} Your {RUN_LABELS[cell]} took "
        f"{run.steps:,} steps in {run.train_seconds:.1f} s ({run.stopped_because}). "
        f"It is drawn dashed in the chart above as “{_series(cell, RERUN)}”, over "
        "the faded shipped runs."
    )
    st.rerun()  # redraw the chart above with the new run in it


def retrain_question(cell: str) -> str:
    """Asked before a live rerun, and again in the note after it."""
    return (
        f"In at most {RETRAIN_SECONDS} s, will your {RUN_LABELS[cell]} reach the "
        "shipped one's final score?"
    )


def _rerun_answer(run: Run, shipped: Run) -> str:
    """Yes or no, from the two final scores (higher accuracy, lower perplexity)."""
    mine, theirs = run.final_metric, shipped.final_metric
    if mine is None or theirs is None:
        reached = theirs is None
    elif run.metric == "accuracy":
        reached = mine >= theirs
    else:
        reached = mine <= theirs
    return (
        f"{'yes' if reached else 'no'}: final {run.metric} "
        f"{_format(mine, run.metric)} against the shipped "
        f"{_format(theirs, shipped.metric)}."
    )


def _downloads(task: str) -> None:
    """The learner's last live run: its weights and every run's curve as CSV."""
    left, right = st.columns(2)
    saved = st.session_state.get(WEIGHTS_KEY)
    if saved:
        name, data = saved
        left.download_button(
            f"Download your run's weights ({name})",
            data,
            file_name=name,
            mime="application/octet-stream",
            icon=":material/download:",
            help="A PyTorch state_dict: torch.load(file, weights_only=True), then "
            "load_state_dict on the model from “Copy as PyTorch”.",
        )
    rows = [
        row | {"run": SHIPPED}
        for row in cell_comparison().curve_rows()
        if row["task"] == task
    ]
    for (live_task, _cell), run in st.session_state.get(LIVE_KEY, {}).items():
        if live_task == task:
            rows += _run_rows(run, RERUN)
    right.download_button(
        "Download the curves (CSV)",
        pd.DataFrame(rows).to_csv(index=False),
        file_name=f"{task}-curves.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def pytorch_panel(task: str) -> None:
    """ "Copy as PyTorch": the compared model and its training, for one cell."""
    comparison = cell_comparison()
    with st.expander("Copy as PyTorch", icon=":material/code:"):
        cell = st.segmented_control(
            "Cell",
            list(RUNS),
            format_func=RUN_LABELS.get,
            default="lstm",
            key="cells_code_cell",
        )
        cell = cell or "lstm"
        spec = comparison.settings.spec(task)
        run = comparison.run(task, cell)
        if task == NEXT_WORD:
            code = language_model_code(
                cell_of(cell), len(comparison.word_vocab), run.hidden_size
            )
        else:
            code = memory_model_code(
                cell_of(cell),
                spec.length,
                spec.n_symbols,
                spec.n_distractors,
                spec.embed_size,
                run.hidden_size,
                spec.steps,
                spec.batch_size,
                spec.lr,
                spec.keep_bias,
            )
        st.code(code, language="python")
        st.caption(
            f"The same model as the shipped {RUN_LABELS[cell]} "
            f"({run.parameters:,} parameters), in plain PyTorch."
        )


# ------------------------------------------------- connectivity (trained models)

CONNECTIVITY_TEXT_KEY = "cells_connectivity_text"
CONNECTIVITY_CHARS = 600  # about 100 words: the models read the last 30 anyway
RECENT = 3  # "the last 3 words": the share that says how local a model is


def _connectivity_models() -> dict[str, tuple[LanguageModel, Vocab]]:
    """The keyboard's LSTM and the comparison's three next-word models, each with
    its vocabulary; row labels say which is which."""
    keyboard, checkpoint = next_word_model()
    comparison = cell_comparison()
    config = keyboard.config
    models = {
        f"keyboard {CELL_LABELS[config.cell]} ({config.num_layers}×"
        f"{config.hidden_size})": (keyboard, checkpoint.vocab)
    }
    size = comparison.settings.words.hidden_size
    for cell in CELL_TYPES:
        model = comparison.model(NEXT_WORD, cell)
        models[f"{CELL_LABELS[cell]} ({size})"] = (model, comparison.word_vocab)
    return models


@st.cache_data(max_entries=256, show_spinner=False)
def _connectivity(text: str) -> tuple[Sentence, dict[str, Connectivity]]:
    # classrooms send the default sentence again and again: four backward passes
    # once, then a dictionary lookup
    return compare(_connectivity_models(), text)


def connectivity_chart(results: dict[str, Connectivity]) -> alt.Chart:
    """One row of tiles per model, one column per word, shaded by the word's share
    of that model's dependence. Draw it with `theme=None`."""
    first = next(iter(results.values()))
    labels = [shown_word(word, 16) for word in first.words]
    rows = [
        {
            "model": label,
            "position": t,
            "word": shown_word(word, 30),
            "words back": result.position - t,
            "share": share,
            "read as <unk>": "yes" if unknown else "no",
        }
        for label, result in results.items()
        for t, (word, share, unknown) in enumerate(
            zip(result.words, result.shares, result.unknown, strict=True)
        )
    ]
    top = max(1e-9, max(row["share"] for row in rows))
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_rect(cornerRadius=3)
        .encode(
            x=alt.X(
                "position:O",
                title="your words, in order (the prediction is made after the last)",
                # positions, not words, on the scale: a word may come twice
                axis=alt.Axis(
                    labelExpr=f"{json.dumps(labels)}[datum.value]",
                    labelAngle=-40,
                    labelFontSize=12,
                ),
            ),
            y=alt.Y(
                "model:N",
                sort=list(results),
                title=None,
                axis=alt.Axis(labelFontSize=12, labelLimit=200),
            ),
            color=alt.Color(
                "share:Q",
                # square root: a 2% share still shows beside a 60% one
                scale=alt.Scale(
                    scheme=palette.SEQUENTIAL_SCHEME, type="sqrt", domain=[0, top]
                ),
                legend=alt.Legend(title="share", format=".0%", gradientLength=120),
            ),
            tooltip=[
                "model",
                "word",
                "words back",
                alt.Tooltip("share:Q", format=".1%"),
                "read as <unk>",
            ],
        )
        .properties(height=46 * len(results))
    )


def connectivity_view() -> None:
    """A sentence in; per trained model, how much its next-word prediction
    depends on each word (gradient norms, as shares)."""
    text = limited_text(
        st.text_input,
        "A sentence: each model predicts the word that comes after it",
        CONNECTIVITY_EXAMPLE,
        limit=CONNECTIVITY_CHARS,
        key=CONNECTIVITY_TEXT_KEY,
        bind="query-params",
    )
    try:
        sentence, results = _connectivity(text)
    except InputError as error:  # a missing checkpoint goes on to the page's error
        st.info(escape_markdown(str(error)))  # it quotes the learner's words
        return
    if sentence.dropped:
        st.info(
            f"Your text has {sentence.dropped + len(sentence.words):,} words; the "
            f"models read the last {len(sentence.words)}, the ones the prediction "
            "follows."
        )
    charts.show(
        lambda: connectivity_chart(results),
        key=("connectivity", [(k, r.words, r.shares) for k, r in results.items()]),
        width="stretch",
        theme=None,
    )
    st.caption(_look_for(results))
    st.caption(_connectivity_notes(results))


def _look_for(results: dict[str, Connectivity]) -> str:
    """What to look for, with this sentence's numbers."""
    n_words = len(next(iter(results.values())).words)
    if n_words <= RECENT:
        return (
            f"With {n_words} word{'s' * (n_words != 1)} there is no “far back”: "
            "type a longer sentence to see how far back each model looks."
        )
    recent = {label: r.recent_share(RECENT) for label, r in results.items()}
    shares = ", ".join(f"{label} {share:.0%}" for label, share in recent.items())
    furthest, nearest = min(recent, key=recent.get), max(recent, key=recent.get)
    return escape_markdown(
        f"What to look for: how far back each row stays dark. Each row's share on "
        f"its last {RECENT} words: {shares}. The lower it is, the further back the "
        f"model looks: here the {furthest} reaches furthest and the {nearest} "
        "least. In a plain RNN the gradient to a word k steps back is multiplied "
        "k times by the same recurrent matrix (and by each step's tanh slope), so "
        "it tends to fade (or blow up) geometrically. An LSTM's cell state (scaled "
        "by the forget gate) and a GRU's z_t h_(t-1) term give it a path with no "
        "matrix product, which a gate near 1 holds open, but only as far back as "
        "training taught the gate to."
    )


def _connectivity_notes(results: dict[str, Connectivity]) -> str:
    """How the numbers were made, each row's predicted word, unknown words."""
    predicted = ", ".join(f"{label} “{r.predicted}”" for label, r in results.items())
    comparison = cell_comparison().settings.words
    notes = (
        "Each row: the score (logit, before the softmax) of that model's own top "
        "prediction for the next word, differentiated by autograd with respect to "
        "each word's input vector; the length of that gradient, as a share of the "
        "row's total, so that models of different sizes compare. Top predictions: "
        f"{predicted}. The first row is the keyboard's LSTM (trained on news and "
        "everyday English); the others are the comparison's one-layer cells "
        f"({comparison.hidden_size} units, {comparison.steps:,} steps on "
        f"{comparison.train_tokens:,} words of BBC News)."
    )
    by_words: dict[tuple[str, ...], list[str]] = {}  # the cells share a vocabulary
    for label, result in results.items():
        pairs = zip(result.words, result.unknown, strict=True)
        unknown = tuple(sorted({shown_word(w) for w, u in pairs if u})[:8])
        if unknown:
            by_words.setdefault(unknown, []).append(label)
    for unknown, labels in by_words.items():
        notes += f" New to the {', '.join(labels)} (read as <unk>): "
        notes += ", ".join(unknown) + "."
    return escape_markdown(notes)
