"""The pieces of the gradient lab page."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st
import torch

from engine.errors import EngineError
from engine.gradients import (
    CELL_KINDS,
    CELL_LABELS,
    KEEP_BIAS,
    MAX_LENGTH,
    WEIGHT_NAMES,
    ClipStep,
    GradientRun,
    clip_gradient,
    clip_verdict,
    gradient_norms,
    growth_per_step,
    log_spaced_scales,
    make_inputs,
    recurrent_spectrum,
    steps_to_overflow,
    theory_line,
    verdict,
)
from engine.pytorch_code import gradient_lab_code
from engine.tasks.next_word import BPTT
from engine.text import tokenize
from engine.worker import run_job
from playground import palette
from playground.shell import advanced
from playground.widgets import (
    CHART_EVERY_S,
    PROGRESS_EVERY_S,
    Every,
    free_trainer,
    limited_text,
)

# the log slider's stops, with the presets' round values among them
SCALE_STOPS = sorted(
    {round(float(s), 3) for s in np.geomspace(0.1, 4.0, 41)} | {0.5, 1.0, 1.5, 2.0, 3.0}
)
HEATMAP_SCALES = log_spaced_scales(31)
# the truncation slider's stops: the next-word keyboard's window among them, and
# one more stop at the end for the whole sequence
NO_TRUNCATION = "none"
TRUNCATE_STOPS = [
    *sorted({1, 2, 3, 5, 10, 20, 50, 100, 200, 300, 400, BPTT}),
    NO_TRUNCATION,
]
# each network in the colour its cell has on every page; the variants of the
# plain RNN in the other Okabe & Ito colours, the theory lines grey
NETWORK_COLOURS = {
    "RNN (tanh)": palette.CELLS["rnn"],
    "RNN": palette.CELLS["rnn"],
    "RNN (ReLU)": palette.OKABE_ITO["vermillion"],
    "Linear RNN": palette.OKABE_ITO["purple"],
    "LSTM": palette.CELLS["lstm"],
    "GRU": palette.CELLS["gru"],
    "no clipping": palette.OKABE_ITO["vermillion"],
    "clipped at 1.0": palette.CELLS["rnn"],
}
LIVE_SECONDS = 20.0  # per network in "What it does to learning"

_DEFAULTS = dict(
    inputs="noise",
    clip=False,
    keep_bias=KEEP_BIAS,
    input_gain=1.0,
    init="orthogonal",
    truncate=NO_TRUNCATION,
)
PRESETS = {
    "Vanishing": _DEFAULTS | dict(cells=["rnn-tanh", "linear"], scale=0.5),
    "Exploding": _DEFAULTS | dict(cells=["linear", "rnn-relu"], scale=1.5),
    "The edge (scale 1)": _DEFAULTS
    | dict(cells=["linear", "rnn-tanh"], scale=1.0, inputs="zeros"),
    "Saturation": _DEFAULTS
    | dict(cells=["rnn-tanh", "linear"], scale=2.0, input_gain=5.0),
    "Gates keep a path": _DEFAULTS
    | dict(cells=["rnn-tanh", "lstm", "gru"], scale=1.0, keep_bias=3.0),
    # a linear RNN whose gradient explodes yet whose norm stays within float32
    "Clipping": _DEFAULTS | dict(cells=["linear", "rnn-tanh"], scale=1.1, clip=True),
}
_SMALL, _LARGE = PRESETS["Vanishing"]["scale"], PRESETS["Exploding"]["scale"]
PRESET_NOTES = {
    "Vanishing": f"Small recurrent weights: every singular value of W_hh is "
    f"{_SMALL:g} and the slope of tanh is at most 1, so every step back shrinks "
    f"the gradient to at most {_SMALL:g} of its size (exactly {_SMALL:g} for the "
    f"linear RNN): after 40 steps, at most {_SMALL:g}^40 = {_SMALL**40:.1e}.",
    "Exploding": f"Recurrent weights above 1: every singular value of W_hh is "
    f"{_LARGE:g}. Only the linear RNN multiplies the gradient by exactly "
    f"{_LARGE:g} per step back; ReLU passes it only through the units that are on "
    "(slope 1) and blocks it at the units that are off (slope 0).",
    "The edge (scale 1)": "With zero inputs the tanh RNN stays at 0, where its "
    "slope is 1, and an orthogonal matrix of scale 1 neither shrinks nor grows "
    "the gradient.",
    "Saturation": "Weights of scale 2 make the linear RNN explode, yet with strong "
    "inputs the tanh RNN's gradient vanishes: its units sit at ±1 where tanh is "
    "flat, and that near-zero slope multiplies in at every step.",
    "Gates keep a path": "With the keep-gate bias at "
    f"{PRESETS['Gates keep a path']['keep_bias']:g}, the LSTM's cell state and the "
    "GRU's state pass from step to step without a matrix product: along that path "
    "each step back multiplies the gradient only by the gate, f_t for the LSTM and "
    "z_t for the GRU (PyTorch's convention, where z near 1 keeps the old state). "
    "A gate below 1 still shrinks it at every step, so it vanishes there too, "
    "only more slowly: the measured gate averages are under the chart.",
    "Clipping": "Clipping comes after backpropagation and acts once per update on "
    "the whole gradient g of the loss with respect to all the weights, as "
    "torch.nn.utils.clip_grad_norm_ does in this app's training: if ||g|| is above "
    "the threshold c, every number of g is multiplied by the same factor c/||g||. "
    "The update keeps its direction and only gets shorter; the curve of dL/dh_t "
    "across time is the same as without clipping.",
}


_SATURATED = PRESETS["Saturation"]
_GATED = PRESETS["Gates keep a path"]
_CLIPPED = PRESETS["Clipping"]
# the question each preset asks: the learner guesses before pressing, and the note
# after it restates the question and answers it from the measured gradients
PRESET_QUESTIONS = {
    "Vanishing": f"At scale {_SMALL:g}, will any gradient reach the first step?",
    "Exploding": f"At scale {_LARGE:g}, will the ReLU RNN explode as fast as the "
    "linear one?",
    "The edge (scale 1)": "At scale 1 with zero inputs, will the gradient shrink, "
    "grow or keep its size?",
    "Saturation": f"Will tanh at scale {_SATURATED['scale']:g} explode like the "
    "linear RNN?",
    "Gates keep a path": f"At scale {_GATED['scale']:g}, whose gradient reaches "
    "furthest back: the RNN's, the LSTM's or the GRU's?",
    "Clipping": f"The linear RNN at scale {_CLIPPED['scale']:g}: will clipping "
    "flatten its curve?",
}
GUESS_PROMPT = (
    "**Guess first, then press.** "
    f"Will tanh at scale {_SATURATED['scale']:g} explode? Will the LSTM's gradient "
    "survive the whole sequence? Each button sets the controls and asks one "
    "question; its answer, measured, appears under the buttons."
)


def apply_preset(name: str) -> None:
    """Button callback: set the controls before the page is drawn again."""
    for key, value in PRESETS[name].items():
        st.session_state[f"lab_{key}"] = value
    st.session_state["lab_preset_note"] = name


def show_preset_note(
    slot, runs: dict[str, GradientRun], settings: dict, clips: dict[str, ClipStep]
) -> None:
    """The last preset's note in `slot`; the exploding and clipping ones with what
    was measured."""
    name = preset_note()
    if name is None:
        return
    dtype = settings["dtype"]
    if name == "Exploding":
        answer = growth_sentence(runs, dtype)
    elif name == "Clipping" and clips:
        answer = clip_summary(runs, clips, dtype)
    else:
        answer = reach_sentence(runs, dtype)
    slot.info(
        f"**{name}.** {PRESET_QUESTIONS[name]} You guessed? Here is what autograd "
        f"measured: {answer} Why: {PRESET_NOTES[name]}"
    )


def reach_sentence(runs: dict[str, GradientRun], dtype: torch.dtype) -> str:
    """Per cell, how big the gradient is at the farthest step it reaches, and
    which cell keeps the most of it."""
    reach = {}
    for cell, run in runs.items():
        norms = run.norms[0]
        last = len(norms) - 1 if run.truncated is None else run.truncated
        if run.overflow_step[0] is not None:
            reach[cell] = (math.inf, run.overflow_step[0])
        elif last > 0:
            reach[cell] = (float(norms[last]), last)
    if not reach:
        return "with one step there is no way back to measure."
    name = "float32" if dtype == torch.float32 else "float64"
    parts = [
        f"{CELL_LABELS[cell]}: past the {name} range {steps} steps back"
        if size == math.inf
        else f"{CELL_LABELS[cell]}: {size:.2g} times its size at the output "
        f"{steps} steps back"
        for cell, (size, steps) in reach.items()
    ]
    text = "; ".join(parts) + "."
    if len(reach) > 1:
        best = max(reach, key=lambda cell: reach[cell][0])
        text += f" The {CELL_LABELS[best]}'s gradient is the largest there."
    return text


def norms_look_for(runs: dict[str, GradientRun]) -> str:
    """What to look for in the chart of ||dL/dh_t||, read off the measured curves."""
    ends = {}
    for cell, run in runs.items():
        norms = run.norms[0]
        last = len(norms) - 1 if run.truncated is None else run.truncated
        ends[cell] = math.inf if run.overflow_step[0] is not None else norms[last]
    text = (
        "Look at the right-hand end of each line: one that falls to the bottom is "
        "a gradient that vanished, one that climbs is exploding, a flat one "
        "survives."
    )
    if len(ends) < 2 or len(runs[next(iter(runs))].norms[0]) < 2:
        return text
    low, high = min(ends, key=ends.get), max(ends, key=ends.get)
    return text + (
        f" Here the {CELL_LABELS[low]}'s line ends lowest and the "
        f"{CELL_LABELS[high]}'s highest."
    )


def clip_summary(
    runs: dict[str, GradientRun], clips: dict[str, ClipStep], dtype: torch.dtype
) -> str:
    """Per cell, what clipping did to the update and what it left alone."""
    parts = []
    for cell, step in clips.items():
        label = CELL_LABELS[cell]
        if not step.finite:
            parts.append(f"{label}: g itself overflowed, beyond clipping's help")
        elif not math.isfinite(step.total):
            parts.append(f"{label}: ||g|| overflowed, so clipping multiplied g by 0")
        elif step.total <= step.threshold:
            parts.append(f"{label}: ||g|| = {step.total:.2g}, not above c, left as is")
        else:
            parts.append(
                f"{label}: ||g|| from {step.total:.2g} to {step.total_after:.3g} "
                f"(×{step.factor:.2g}), cosine similarity {step.cosine:.6f}"
            )
        parts[-1] += "; " + profile_sentence(runs[cell], dtype)
    return ". ".join(parts) + (
        ". Clipping shortens the update; it does not change how the gradient grows "
        "or shrinks across time, and it never scales one up, so it cannot help a "
        "gradient that vanishes."
    )


def profile_sentence(run: GradientRun, dtype: torch.dtype) -> str:
    """How far back the measured curve of dL/dh_t reaches: the same with and
    without clipping, which comes after it."""
    norms = run.norms[0]
    last = len(norms) - 1 if run.truncated is None else run.truncated
    if run.overflow_step[0] is not None:
        name = "float32" if dtype == torch.float32 else "float64"
        return f"dL/dh_t still overflows {name} {run.overflow_step[0]} steps back"
    if last == 0:
        return "dL/dh_t reaches no step back"
    return (
        f"{last} steps back dL/dh_t is still {norms[last]:.2g} times its size at "
        "the output"
    )


def growth_sentence(runs: dict[str, GradientRun], dtype: torch.dtype) -> str:
    """What each measured gradient did per step back, and whether it overflowed."""
    name = "float32" if dtype == torch.float32 else "float64"
    parts = []
    for cell, run in runs.items():
        growth, bad = growth_per_step(run, 0), run.overflow_step[0]
        if growth is None:
            parts.append(f"{CELL_LABELS[cell]}: no step back to measure")
            continue
        rate, steps = growth
        text = f"{CELL_LABELS[cell]}: ×{rate:.3g} per step back on average"
        if bad is not None:
            text += f", past the {name} range {bad} steps back"
        else:
            text += f", {run.norms[0, steps]:.2g} after {steps} steps"
            limit = steps_to_overflow(rate, dtype)
            if limit is not None:
                text += f" (at that rate its size would reach {name}'s largest "
                text += f"number, {torch.finfo(dtype).max:.2g}, after about {limit} "
                text += "steps)"
        parts.append(text)
    overflowed = any(run.overflow_step[0] is not None for run in runs.values())
    return "; ".join(parts) + ("." if overflowed else f". Nothing overflowed {name}.")


def preset_note() -> str | None:
    """The last preset clicked, while the controls still hold all its values."""
    name = st.session_state.get("lab_preset_note")
    if name is None:
        return None
    held = all(
        st.session_state.get(f"lab_{key}") == value
        for key, value in PRESETS[name].items()
    )
    return name if held else None


def controls() -> dict:
    """The lab's controls; returns the chosen settings."""
    st.session_state.setdefault("lab_cells", ["rnn-tanh", "linear", "lstm", "gru"])
    st.session_state.setdefault("lab_scale", 1.0)
    st.session_state.setdefault("lab_inputs", "noise")
    st.session_state.setdefault("lab_clip", False)
    st.session_state.setdefault("lab_keep_bias", KEEP_BIAS)
    st.session_state.setdefault("lab_input_gain", 1.0)
    st.session_state.setdefault("lab_truncate", NO_TRUNCATION)
    cells = st.pills(
        "Cells to overlay",
        list(CELL_KINDS),
        selection_mode="multi",
        key="lab_cells",
        bind="query-params",
        format_func=CELL_LABELS.get,
    )
    left, mid, right = st.columns(3)
    scale = left.select_slider(
        "Recurrent weight scale (log)",
        SCALE_STOPS,
        key="lab_scale",
        bind="query-params",
        format_func=lambda s: f"{s:g}",
    )
    hidden = mid.select_slider(
        "Hidden size",
        [1, 2, 4, 8, 16, 32, 64, 128, 256],
        value=64,
        key="lab_hidden",
        bind="query-params",
    )
    length = right.slider(
        "Sequence length", 1, MAX_LENGTH, 100, key="lab_length", bind="query-params"
    )
    truncate = st.select_slider(
        "Truncate the backward pass after k steps",
        TRUNCATE_STOPS,
        key="lab_truncate",
        bind="query-params",
        format_func=lambda k: "no truncation" if k == NO_TRUNCATION else f"{k}",
        help="Truncated BPTT: the hidden state is detached k steps before the "
        "loss, so autograd stops there and every earlier step gets no gradient.",
    )
    with advanced("More settings: initialisation, inputs, gates, clipping"):
        settings = _more_settings()
    return (
        dict(
            cells=cells,
            scale=float(scale),
            hidden=hidden,
            length=length,
            truncate=None if truncate == NO_TRUNCATION else int(truncate),
        )
        | settings
    )


def _more_settings() -> dict:
    """The lab's finer controls (folded away in presentation mode)."""
    left, mid, right = st.columns(3)
    init = left.radio(
        "Initialisation",
        ["orthogonal", "gaussian"],
        horizontal=True,
        format_func=lambda s: f"scaled {s}",
        key="lab_init",
        bind="query-params",
    )
    inputs = mid.radio(
        "Input",
        ["noise", "zeros", "sentence"],
        key="lab_inputs",
        bind="query-params",
        horizontal=True,
    )
    keep_bias = right.slider(
        "LSTM/GRU keep-gate bias",
        0.0,
        5.0,
        key="lab_keep_bias",
        bind="query-params",
        step=0.5,
        help="Bias of the LSTM's forget gate f and the GRU's update gate z: "
        "higher keeps more of the old state at each step (for the GRU in "
        "PyTorch's convention, h_t = (1 − z) ⊙ n + z ⊙ h_(t−1), where z near 1 "
        "keeps the old state).",
    )
    left, mid, right = st.columns(3)
    clip_on = left.toggle(
        "Gradient clipping",
        key="lab_clip",
        bind="query-params",
        help="Clip the whole gradient of the weights once, as clip_grad_norm_ does "
        "in training: the result is under the chart.",
    )
    threshold = mid.number_input(
        "Clip threshold",
        0.01,
        100.0,
        1.0,
        disabled=not clip_on,
        key="lab_threshold",
        bind="query-params",
    )
    precision = right.radio(
        "Precision",
        ["float32", "float64"],
        horizontal=True,
        key="lab_precision",
        bind="query-params",
    )
    input_gain = st.slider(
        "Input strength",
        0.0,
        10.0,
        key="lab_input_gain",
        bind="query-params",
        step=0.5,
        help="Multiplies the inputs: strong inputs push tanh units into saturation.",
    )
    sentence = ""
    if inputs == "sentence":
        sentence = limited_text(
            st.text_input,
            "Sentence (its words' vectors from the next-word model are the inputs)",
            "The cat sat on the mat because it was warm",
            limit=50_000,
            key="lab_sentence",
            bind="query-params",
        )
    return dict(
        init=init,
        inputs=inputs,
        keep_bias=keep_bias,
        clip=threshold if clip_on else None,
        sentence=sentence,
        input_gain=input_gain,
        dtype=torch.float64 if precision == "float64" else torch.float32,
    )


def sentence_inputs(sentence: str) -> torch.Tensor:
    """The trained next-word model's word vectors for a sentence: (T, 256)."""
    from playground.models import next_word_model

    model, checkpoint = next_word_model()
    tokens = tokenize(sentence)[:MAX_LENGTH]
    if not tokens:
        raise EngineError("Type a sentence with at least one word to use as input.")
    ids = torch.tensor(checkpoint.vocab.encode(tokens))
    with torch.no_grad():
        return model.embedding(ids).float()


def measure(settings: dict) -> dict[str, GradientRun]:
    """Gradient norms at the chosen scale for every chosen cell.

    Each cell is measured once for every stop of the scale slider (one batched
    autograd pass, cached), so moving the slider only picks another row.
    """
    key = {k: settings[k] for k in SWEEP_KEYS}
    key["dtype"] = str(settings["dtype"])
    index = SCALE_STOPS.index(settings["scale"])
    runs = {}
    for cell in settings["cells"]:
        sweep = _sweep(cell, **key)
        runs[cell] = GradientRun(
            cell,
            [settings["scale"]],
            sweep.norms[index : index + 1],
            sweep.overflow_step[index : index + 1],
            sweep.keep_gate[index : index + 1],
            sweep.truncated,
        )
    return runs


def clip_steps(settings: dict) -> dict[str, ClipStep]:
    """With clipping on: one update's weight gradient per chosen cell, clipped by
    clip_grad_norm_ (cached like the sweep); empty with clipping off."""
    if settings["clip"] is None:
        return {}
    key = {k: settings[k] for k in SWEEP_KEYS}
    key["dtype"] = str(settings["dtype"])
    return {
        cell: _clip_step(cell, settings["scale"], settings["clip"], **key)
        for cell in settings["cells"]
    }


SWEEP_KEYS = (
    "hidden",
    "length",
    "init",
    "inputs",
    "keep_bias",
    "truncate",
    "sentence",
    "input_gain",
)


@st.cache_data(max_entries=64, show_spinner="Measuring gradients…")
def _sweep(cell: str, dtype: str, **settings) -> GradientRun:
    settings["dtype"] = torch.float64 if dtype == "torch.float64" else torch.float32
    inputs = _inputs(settings)
    return gradient_norms(
        cell,
        SCALE_STOPS,
        settings["hidden"],
        inputs.shape[0],
        settings["init"],
        inputs,
        settings["dtype"],
        keep_bias=settings["keep_bias"],
        truncate=settings["truncate"],
    )


@st.cache_data(max_entries=64, show_spinner="Clipping the gradient…")
def _clip_step(
    cell: str, scale: float, threshold: float, dtype: str, **settings
) -> ClipStep:
    settings["dtype"] = torch.float64 if dtype == "torch.float64" else torch.float32
    inputs = _inputs(settings)
    return clip_gradient(
        cell,
        scale,
        threshold,
        settings["hidden"],
        inputs.shape[0],
        settings["init"],
        inputs,
        settings["dtype"],
        keep_bias=settings["keep_bias"],
        truncate=settings["truncate"],
    )


def _inputs(settings: dict) -> torch.Tensor:
    if settings["inputs"] == "sentence":
        inputs = sentence_inputs(settings["sentence"])
    else:
        inputs = make_inputs(settings["inputs"], settings["length"])
    return (inputs * settings["input_gain"]).to(settings["dtype"])


def norms_chart(runs: dict[str, GradientRun], scale: float) -> alt.Chart:
    rows = []
    for cell, run in runs.items():
        for k, value in enumerate(run.norms[0]):
            if math.isfinite(value) and value > 0:
                rows.append(
                    {
                        "network": CELL_LABELS[cell],
                        "steps back": k,
                        "gradient norm": value,
                    }
                )
    length = max((run.norms.shape[1] for run in runs.values()), default=1)
    if "linear" in runs:
        for k, value in enumerate(theory_line(scale, length)):
            if 1e-300 < value < 1e300:
                rows.append(
                    {
                        "network": f"theory: {scale:g}^steps",
                        "steps back": k,
                        "gradient norm": value,
                    }
                )
    data = pd.DataFrame(rows)
    if data.empty:
        return alt.Chart(pd.DataFrame({"x": []})).mark_point()
    names = sorted(data["network"].unique())
    colours = [NETWORK_COLOURS.get(n, palette.MUTED) for n in names]  # theory: grey
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.2)
        .encode(
            x=alt.X("steps back:Q", title="Steps back from the output"),
            y=alt.Y(
                "gradient norm:Q",
                title="||dL/dh_t|| (log scale)",
                scale=alt.Scale(type="log"),
                axis=alt.Axis(format=".0e"),  # 1e-5 … 1e+35: one style on every tick
            ),
            color=alt.Color(
                "network:N",
                scale=alt.Scale(domain=names, range=colours),
                legend=alt.Legend(title=None, orient="top"),
            ),
            strokeDash=alt.condition(
                alt.datum.network == f"theory: {scale:g}^steps",
                alt.value([5, 4]),
                alt.value([1, 0]),
            ),
            tooltip=[
                "network",
                "steps back",
                alt.Tooltip("gradient norm:Q", format=".2e"),
            ],
        )
        .properties(height=340)
    )
    cut = next(iter(runs.values())).truncated if runs else None
    return lines if cut is None else lines + truncated_band(cut, length)


def truncated_band(cut: int, length: int) -> alt.Chart:
    """A grey band over the steps truncated BPTT cuts off: a log axis has no 0 to
    draw, and there the gradient is exactly 0. Its legend entry says so: legend
    text takes the theme's text colour, which a label drawn in the chart could
    not (no one grey reads at 4.5:1 on both the light and the dark page)."""
    what = f"gradient exactly 0 (cut after {cut} steps)"
    steps = f"{cut + 1} to {length - 1}"
    band = alt.Chart(
        pd.DataFrame(
            {"from": [cut + 0.5], "to": [length - 0.5], "steps": [steps], "band": what}
        )
    )
    return band.mark_rect(opacity=0.25).encode(
        x="from:Q",
        x2="to:Q",
        fill=alt.Fill(
            "band:N",
            scale=alt.Scale(range=[palette.MUTED]),
            legend=alt.Legend(title=None, orient="bottom", symbolOpacity=0.5),
        ),
        tooltip=[alt.Tooltip("steps:N", title=what)],
    )


def truncation_text(runs: dict[str, GradientRun], settings: dict) -> str:
    """Truncated BPTT: what the slider does, and how this app's keyboard trains."""
    text = (
        "**Truncated BPTT.** Truncating the backward pass after k steps detaches "
        "the hidden state k steps before the loss (`h.detach()`, and `c.detach()` "
        "for the LSTM): the forward pass goes on from the same numbers, but "
        "autograd stops there, so every earlier step gets a gradient of exactly 0, "
        "not merely a small one. This app's next-word keyboard trains with "
        f"truncated BPTT: it reads text in windows of {BPTT} tokens and carries the "
        "hidden state across windows without carrying gradients, so no gradient "
        f"ever reaches further back than {BPTT} tokens even though the state does."
    )
    k, run = settings["truncate"], next(iter(runs.values()), None)
    if k is None or run is None:
        return text
    steps = run.norms.shape[1]
    if run.truncated is None:
        return text + (
            f" Here it cuts nothing: the sequence has {steps} steps, so no step is "
            f"more than {steps - 1} back."
        )
    beyond = np.stack([r.norms[0, k + 1 :] for r in runs.values()])
    zeros = int((beyond == 0).all(axis=0).sum())  # steps where every cell got 0
    earlier = steps - 1 - k
    where = f"every one of the {earlier}" if zeros == earlier else f"{zeros} of the"
    return text + (
        f" Here the backward pass is cut {k} steps back: at {where} earlier steps "
        "the measured gradient is exactly 0 for every cell (the grey band)."
    )


def clipping_panel(
    runs: dict[str, GradientRun], clips: dict[str, ClipStep], settings: dict
) -> None:
    """What clip_grad_norm_ does to one update: norms before and after, direction."""
    threshold = settings["clip"]
    st.markdown(
        "Clipping comes after backpropagation. It takes the gradient g of the loss "
        "with respect to all the weights together and, once per update, if its "
        f"norm ||g|| is above the threshold c = {threshold:g}, multiplies every "
        "number of g by the same factor c/||g|| (`torch.nn.utils.clip_grad_norm_`, "
        "as this app's training does). The update keeps its direction and only gets "
        "shorter. Below, autograd's gradient of L with respect to the cell's "
        f"weights ({', '.join(WEIGHT_NAMES.values())}), clipped by clip_grad_norm_ "
        "itself."
    )
    st.dataframe(clip_table(clips), hide_index=True, width="stretch")
    for cell, step in clips.items():
        text = clip_verdict(step, settings["dtype"])
        st.markdown(f"**{CELL_LABELS[cell]}** (clipping): {text}")
    st.caption(
        "The curve above is measured before clipping and clipping leaves it as it "
        "is: "
        + "; ".join(
            f"{CELL_LABELS[cell]}: {profile_sentence(runs[cell], settings['dtype'])}"
            for cell in clips
        )
        + ". Clipping multiplies every step's share of the update by the same "
        "factor, so it caps the size of the step, not the explosion or vanishing "
        "across time."
    )


def clip_table(clips: dict[str, ClipStep]) -> pd.DataFrame:
    """One row per cell and weight: ||dL/dW|| before and after clipping."""
    rows = []
    for cell, step in clips.items():
        for weight, before in step.before.items():
            rows.append(
                {
                    "network": CELL_LABELS[cell],
                    "weights": weight,
                    "norm before": before,
                    "norm after": step.after[weight],
                }
            )
        rows.append(
            {
                "network": CELL_LABELS[cell],
                "weights": "all together: ||g||",
                "norm before": step.total,
                "norm after": step.total_after,
            }
        )
    table = pd.DataFrame(rows)
    return table.assign(
        **{
            column: table[column].map(lambda v: f"{v:.3g}")
            for column in ("norm before", "norm after")
        }
    )


@st.cache_data(max_entries=32, show_spinner=False)
def phase_table(
    cell: str,
    hidden: int,
    length: int,
    init: str,
    inputs: str,
    keep_bias: float,
    input_gain: float = 1.0,
) -> pd.DataFrame:
    """log10 gradient norm over (weight scale x steps back) for one cell."""
    run = gradient_norms(
        cell,
        HEATMAP_SCALES,
        hidden,
        length,
        init,
        make_inputs(inputs, length) * input_gain,
        keep_bias=keep_bias,
    )
    step = max(1, length // 100)  # at most ~100 columns
    rows = []
    for scale, row in zip(run.scales, run.norms, strict=True):
        for k in range(0, length, step):
            rows.append(
                {
                    "scale": round(scale, 3),
                    "steps back": k,
                    "log10 norm": _log10(row[k]),
                }
            )
    return pd.DataFrame(rows)


def _log10(value: float) -> float | None:
    """log10 of a norm; -inf for 0 (it fell below float32's smallest number) and
    None for an overflow (inf or NaN), which the heatmap paints black."""
    if not math.isfinite(value):
        return None
    return math.log10(value) if value > 0 else -math.inf


def heatmap(table: pd.DataFrame) -> alt.Chart:
    limit = 12
    data = table.assign(
        shown=table["log10 norm"].clip(-limit, limit).fillna(0.0),
        overflow=table["log10 norm"].isna(),
    )
    tiles = (
        alt.Chart(data)
        .mark_rect()
        .encode(
            x=alt.X(
                "steps back:O",
                title="Steps back from the output",
                axis=alt.Axis(values=list(range(0, 501, 10)), labelAngle=0),
            ),
            y=alt.Y(
                "scale:O",
                sort="descending",
                title="Recurrent weight scale",
                axis=alt.Axis(format=".2g"),
            ),
            color=alt.condition(
                "datum.overflow",
                alt.value(palette.INK),  # black: the norm overflowed
                alt.Color(
                    "shown:Q",
                    title="log10 ||dL/dh||",
                    scale=alt.Scale(
                        scheme=palette.DIVERGING_SCHEME,
                        domain=[-limit, limit],
                        reverse=True,
                    ),
                ),
            ),
            tooltip=[
                "scale",
                "steps back",
                alt.Tooltip("log10 norm:Q", format=".1f"),
            ],
        )
        .properties(height=360)
    )
    return tiles


KEEP_GATES = {"lstm": "the LSTM's forget gate", "gru": "the GRU's update gate"}


def verdicts(runs: dict[str, GradientRun], settings: dict) -> None:
    for cell, run in runs.items():
        st.markdown(f"**{CELL_LABELS[cell]}**: {verdict(run, 0, settings['dtype'])}")
    gates = [KEEP_GATES[cell] for cell in runs if cell in KEEP_GATES]
    if not gates:
        return
    bias = settings["keep_bias"]
    trained = (
        "the same start as the networks trained"
        if bias == KEEP_BIAS
        else f"the networks trained start with {KEEP_BIAS:g}"
    )
    st.caption(
        f"The bias of {' and '.join(gates)} starts at {bias:g}, which on its own "
        f"keeps {_sigmoid(bias):.0%} of the old state at each step: {trained} in "
        "“What it does to learning” below. " + gate_path_sentence(runs)
    )


def gate_path_sentence(runs: dict[str, GradientRun]) -> str:
    """The gated path's own factor per step back, measured: the mean keep gate."""
    measured = []
    for cell, run in runs.items():
        if cell in KEEP_GATES and run.keep_gate:
            gate, steps = round(run.keep_gate[0], 3), run.norms.shape[1] - 1
            measured.append(
                f"{KEEP_GATES[cell]} averages {gate:.3f} over the steps and units, "
                f"and {gate:.3f}^{steps} = {gate**steps:.2g}"
            )
    if not measured:
        return ""
    return (
        "Along the LSTM's cell state and the GRU's state there is no matrix "
        "product: each step back multiplies the gradient element-wise by the gate "
        "alone (f_t; z_t in PyTorch's convention, where z near 1 keeps the old "
        "state). Measured here, "
        + "; ".join(measured)
        + ": a gate below 1 shrinks the gradient on that path too, step by step."
    )


def scale_meaning(settings: dict) -> str:
    """What the scale slider sets, for the chosen initialisation, and Pascanu et
    al.'s condition for the plain RNNs at that scale."""
    scale, hidden = settings["scale"], settings["hidden"]
    if settings["init"] == "orthogonal":
        top = scale
        text = (
            f"With the orthogonal initialisation W_hh is {scale:g} times a random "
            f"orthogonal matrix, so every singular value of W_hh is {scale:g} (and "
            "of each LSTM and GRU gate block)."
        )
    else:
        sigma, radius = recurrent_spectrum("gaussian", hidden)
        top = scale * sigma
        text = (
            f"With the Gaussian initialisation W_hh is {scale:g} times a random "
            f"matrix with entries drawn from N(0, 1/{hidden}): the plain RNNs' W_hh "
            f"has largest singular value {top:.3g} and spectral radius "
            f"{scale * radius:.3g} (each LSTM and GRU gate block is drawn the same "
            "way)."
        )
    if top < 1:
        meaning = "below 1, so the plain RNNs' gradients must vanish"
    else:
        meaning = (
            "not below 1, so the plain RNNs' gradients may shrink or grow, "
            "depending on the slopes met on the way"
        )
    return (
        f"**Recurrent weight scale {scale:g}.** {text} The largest slope of tanh, "
        "ReLU and the identity is 1, so the largest singular value times the "
        f"largest slope is {top:.3g}: {meaning}."
    )


def phase_caption(table: pd.DataFrame, cell: str) -> str:
    """What the heatmap shows, with the edge of the cell shown read off its table."""
    scales = sorted(table["scale"].unique())
    intro = (
        f"Each row is one weight scale ({len(scales)} from {scales[0]:g} to "
        f"{scales[-1]:g}), each column a step back. Blue: the gradient has "
        "vanished; white: it keeps its size; red: it explodes; black: it "
        "overflowed float32. Look for the white border between blue and red: "
        "the edge where the gradient just keeps its size. "
    )
    last = int(table["steps back"].max())
    column = table[table["steps back"] == last].sort_values("scale")
    logs = column["log10 norm"]
    kept = column["scale"][logs.isna() | (logs >= 0)]  # an overflow kept it too
    label = CELL_LABELS[cell]
    if last == 0:
        edge = "With one step there is no way back to measure."
    elif kept.empty:
        edge = (
            f"For the {label} shown, {last} steps back the gradient is smaller "
            f"than at the output at every scale up to {scales[-1]:g}: no edge here."
        )
    else:
        first = kept.iloc[0]
        below = column["scale"][column["scale"] < first]
        edge = (
            f"For the {label} shown, the smallest scale at which the gradient "
            f"{last} steps back is at least its size at the output is {first:g}"
            + (f"; at {below.iloc[-1]:g} it is smaller." if len(below) else ".")
        )
    return (
        intro
        + edge
        + " With the orthogonal initialisation the edge sits at scale 1 only where "
        "the slope stays 1 (the linear RNN, or tanh with zero input); wherever "
        "tanh's slope falls below 1, a larger scale must make up for it."
    )


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def csv_of(runs: dict[str, GradientRun]) -> bytes:
    rows = [row for run in runs.values() for row in run.rows()]
    return pd.DataFrame(rows).to_csv(index=False).encode("utf-8")


def learning_panel() -> None:
    """Train RNN, LSTM and GRU live on the memory task; show accuracy curves."""
    st.markdown(
        "Each network reads a stream: a letter (a to h), then `T - 1` distractor "
        "symbols, and must say the letter at the end. The answer is `T` steps back, "
        "so the gradient that teaches it must travel `T` steps back in time. Each "
        f"network trains for at most {LIVE_SECONDS:.0f} seconds."
    )
    length = st.slider(
        "Sequence length T",
        5,
        100,
        50,
        step=5,
        key="memory_length",
        bind="query-params",
    )
    left, right = st.columns(2)
    go = left.button("Train RNN, LSTM and GRU", icon=":material/play_arrow:")
    clipping = right.button(
        "Explode and clip: RNN with large weights", icon=":material/bolt:"
    )
    if go:
        _train_live(
            [("RNN", "rnn", 1.0), ("LSTM", "lstm", 1.0), ("GRU", "gru", 1.0)],
            length,
            metric="accuracy",
        )
    if clipping:
        st.markdown(
            "A plain RNN whose recurrent weights start 3x too large, trained with a "
            "large step (learning rate 0.05), once without and once with gradient "
            "clipping at norm 1: at every update whose gradient g has ||g|| above 1, "
            "clip_grad_norm_ scales g down to norm 1, keeping its direction. Gaps "
            "in the loss are steps where it overflowed."
        )
        _train_live(
            [("no clipping", "rnn", None), ("clipped at 1.0", "rnn", 1.0)],
            min(length, 30),
            metric="loss",
            scale=3.0,
            lr=0.05,
        )


def _train_live(runs, length: int, metric: str, scale=None, lr: float = 3e-3) -> None:
    try:
        with free_trainer():
            _train_runs(runs, length, metric, scale, lr)
    except EngineError as error:  # the trainers stayed busy
        st.warning(str(error))


def _train_runs(runs, length: int, metric: str, scale, lr: float) -> None:
    stop = st.empty()  # cleared when the training ends
    stop.button("Stop", icon=":material/stop_circle:", key="memory_stop")
    progress = st.progress(0.0, "Starting…")
    chart = st.empty()
    points: list[dict] = []
    bar_due, chart_due = Every(PROGRESS_EVERY_S), Every(CHART_EVERY_S)
    labels = [label for label, _, _ in runs]
    drawn_run = [0]

    def on_message(kind: str, message: dict) -> None:
        index, last = message["run"], message["last"]
        label = labels[index]
        points.append(
            {"network": label, "seconds": last["seconds"], "value": last[metric]}
        )
        share = (index + min(last["seconds"] / LIVE_SECONDS, 1.0)) / len(runs)
        if bar_due():
            progress.progress(
                min(share, 1.0),
                f"{label}: epoch {last['epoch']}, accuracy {last['accuracy']:.0%}",
            )
        # a new network started: draw the last one's final epochs too
        if chart_due(force=index != drawn_run[0]):
            drawn_run[0] = index
            chart.altair_chart(_live_chart(points, metric), width="stretch")

    settings = [
        {
            "cell": cell,
            "length": length,
            "seconds": LIVE_SECONDS,
            "clip": clip,
            "recurrent_scale": scale,
            "lr": lr,
            "max_epochs": 60,
        }
        for _, cell, clip in runs
    ]
    try:  # in a child process: the other learners' pages stay quick
        run_job("memory", {"runs": settings}, on_message)
    finally:  # also when it fails: nothing is left to stop
        stop.empty()
    if points:
        chart.altair_chart(_live_chart(points, metric), width="stretch")
        st.caption(live_look_for(points, metric))
    progress.progress(1.0, "Done.")


def live_look_for(points: list[dict], metric: str) -> str:
    """What to look for in the live chart, with each network's last measured value."""
    last = {point["network"]: point["value"] for point in points}
    if metric == "accuracy":
        shown = ", ".join(f"{name} {value:.0%}" for name, value in last.items())
        best = max(last, key=last.get)
        return (
            "Look for the line that climbs while another stays low: that is memory "
            f"surviving T steps. Last accuracy: {shown}; the {best} ends highest."
        )
    shown = ", ".join(
        f"{name} {value:.3g}"
        if value is not None and math.isfinite(value)
        else f"{name} overflowed"
        for name, value in last.items()
    )
    return (
        "Look for gaps and spikes in the unclipped line: each is an update that "
        f"exploded; the clipped line keeps going. Last loss: {shown}."
    )


def _live_chart(points: list[dict], metric: str) -> alt.Chart:
    data = pd.DataFrame(points)
    names = list(dict.fromkeys(data["network"]))  # in the order they trained
    title = "Accuracy on new sequences" if metric == "accuracy" else "Training loss"
    y = alt.Y(
        "value:Q",
        title=title,
        axis=alt.Axis(format="%") if metric == "accuracy" else alt.Axis(),
    )
    return (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("seconds:Q", title="Seconds of training"),
            y=y,
            color=alt.Color(
                "network:N",
                scale=alt.Scale(
                    domain=names,
                    range=[NETWORK_COLOURS.get(n, palette.MUTED) for n in names],
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=["network", "seconds", alt.Tooltip("value:Q", format=".3f")],
        )
        .properties(height=280)
    )


def pytorch_panel(settings: dict) -> None:
    """ "Copy as PyTorch": the measurement above as a plain script for one cell."""
    with st.expander("Copy as PyTorch", icon=":material/code:"):
        cell = st.segmented_control(
            "Cell",
            settings["cells"],
            default=settings["cells"][0],
            format_func=CELL_LABELS.get,
            key="lab_code_cell",
        )
        code = gradient_lab_code(
            cell or settings["cells"][0],
            settings["scale"],
            settings["hidden"],
            settings["length"],
            settings["init"],
            settings["keep_bias"],
            double=settings["dtype"] == torch.float64,
        )
        st.code(code, language="python")
        cut = settings["truncate"] is not None and (
            settings["truncate"] < settings["length"] - 1
        )
        differs = settings["inputs"] != "noise" or settings["input_gain"] != 1.0 or cut
        st.caption(
            "Run it with only PyTorch installed: it prints the same numbers as the "
            "chart above"
            + (
                " for noise inputs at strength 1 without truncation (change those in "
                "the script)."
                if differs
                else "."
            )
        )
