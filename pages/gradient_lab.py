"""Gradient lab: vanishing and exploding gradients, measured with autograd."""

import streamlit as st

from engine.errors import EngineError
from engine.gradients import CELL_LABELS
from playground import gradient_views as views
from playground.shell import ensure_app_shell, page_end

ensure_app_shell()

st.title("Gradient lab")
st.markdown(
    "A network learns by nudging its numbers (weights) to lower its **loss**, "
    "which measures how wrong it is: for a next-word model, the cross-entropy of "
    "the true next word, $L = -\\log p(\\text{true next word})$. The "
    "**gradient** says how much the loss changes per small change of each number, "
    "and training moves every number a little against it. **Backpropagation "
    "through time (BPTT)** is backpropagation on the unrolled network: the "
    "gradient flows from the loss back through every time step, multiplying by "
    "each step's transposed Jacobian."
)
st.markdown(
    "To learn from an early word, a network needs the gradient of its loss to "
    "travel back through every step in between. A plain RNN computes "
    "$h_t = f(a_t)$ with $a_t = W_{xh}\\,x_t + W_{hh}\\,h_{t-1} + b$, so the "
    "**Jacobian** of one step is "
    "$\\partial h_t / \\partial h_{t-1} = \\mathrm{diag}(f'(a_t))\\,W_{hh}$, and "
    "backpropagation multiplies the gradient by its transpose, once per step: "
    "$\\partial L / \\partial h_{t-1} = W_{hh}^\\top\\,\\mathrm{diag}(f'(a_t))\\,"
    "\\partial L / \\partial h_t$. The weights $W_{hh}$ are the same at every "
    "step; the slope $f'(a_t)$ is not: it changes with every step's "
    "pre-activation $a_t$. Keep multiplying by something that shrinks vectors and "
    "the gradient **vanishes**; by something that stretches them and it "
    "**explodes**."
)
st.markdown(
    "**When it must vanish** (Pascanu, Mikolov and Bengio, 2013): one step "
    "stretches the gradient by at most the largest singular value of $W_{hh}$ "
    "times the largest slope of $f$. If that product is below 1, a plain RNN's "
    "gradient must vanish. Above 1 is needed for it to explode, but not enough: "
    "the slopes met on the way, and the directions, decide. Everything below is "
    "measured by PyTorch autograd on real unrolled cells with random weights."
)

st.subheader("One-click experiments")
st.markdown(views.GUESS_PROMPT)
cols = st.columns(3)
for index, name in enumerate(views.PRESETS):
    cols[index % 3].button(
        name, on_click=views.apply_preset, args=(name,), width="stretch"
    )
note = st.empty()  # the last preset's note, filled in once it is measured

settings = views.controls()
st.markdown(views.scale_meaning(settings))
if not settings["cells"]:
    st.info("Pick at least one cell to measure.")
    st.stop()

try:
    runs = views.measure(settings)
    clips = views.clip_steps(settings)
except EngineError as error:
    st.warning(str(error))
    st.stop()

views.show_preset_note(note, runs, settings, clips)

st.subheader("How much gradient reaches each step")
st.caption(views.norms_look_for(runs))
st.altair_chart(views.norms_chart(runs, settings["scale"]), width="stretch")
st.caption(
    "L = v · h_T for a fixed random direction v, so the gradient is 1 at the output. "
    "The dashed grey line is the theory for the linear RNN with an orthogonal "
    "matrix: scale^(steps back). Gaps mean the number overflowed."
)
views.verdicts(runs, settings)
st.markdown(views.truncation_text(runs, settings))
if clips:
    st.subheader("Clipping: one update, rescaled")
    views.clipping_panel(runs, clips, settings)
st.download_button(
    "Download the measured gradients (CSV)",
    views.csv_of(runs),
    file_name="gradient-norms.csv",
    mime="text/csv",
    icon=":material/download:",
)
views.pytorch_panel(settings)

st.subheader("The phase picture")
cell = st.selectbox(
    "Cell",
    settings["cells"],
    format_func=CELL_LABELS.get,
    key="lab_cell",
    bind="query-params",
)
length = min(settings["length"], 300) if settings["inputs"] != "sentence" else 100
inputs = "zeros" if settings["inputs"] == "zeros" else "noise"
table = views.phase_table(
    cell,
    settings["hidden"],
    length,
    settings["init"],
    inputs,
    settings["keep_bias"],
    settings["input_gain"],
)
st.altair_chart(views.heatmap(table), width="stretch")
st.caption(views.phase_caption(table, cell))

st.header("What it does to learning")
views.learning_panel()

page_end(__file__)  # the guided path (when this page runs on its own)
