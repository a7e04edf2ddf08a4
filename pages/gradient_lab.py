"""Gradient lab: vanishing and exploding gradients, measured with autograd."""

import streamlit as st

from engine.errors import EngineError
from engine.gradients import CELL_LABELS
from playground import gradient_views as views
from playground.shell import ensure_app_shell

ensure_app_shell()

st.title("Gradient lab")
st.markdown(
    "To learn from an early word, a network needs the gradient of its loss to "
    "travel back through every step in between. On the way, backpropagation "
    "multiplies it, once per step, by the same **Jacobian** "
    "$\\partial h_t / \\partial h_{t-1} = \\mathrm{diag}(f'(a_t))\\,W_{hh}$: the "
    "recurrent weights times the slope of the activation. Keep multiplying by "
    "something that shrinks vectors and the gradient **vanishes**; by something "
    "that stretches them and it **explodes**. Everything below is measured by "
    "PyTorch autograd on real unrolled cells with random weights."
)

st.subheader("One-click experiments")
cols = st.columns(3)
for index, name in enumerate(views.PRESETS):
    cols[index % 3].button(
        name, on_click=views.apply_preset, args=(name,), width="stretch"
    )
note = views.preset_note()
if note:
    st.info(f"**{note}.** {views.PRESET_NOTES[note]}")

settings = views.controls()
if not settings["cells"]:
    st.info("Pick at least one cell to measure.")
    st.stop()

try:
    runs = views.measure(settings)
except EngineError as error:
    st.warning(str(error))
    st.stop()

st.subheader("How much gradient reaches each step")
st.altair_chart(views.norms_chart(runs, settings["scale"]), width="stretch")
st.caption(
    "L = v · h_T for a fixed random direction v, so the gradient is 1 at the output. "
    "The dashed grey line is the theory for the linear RNN with an orthogonal "
    "matrix: scale^(steps back). Gaps mean the number overflowed."
)
views.verdicts(runs, settings)
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
st.caption(
    "Each row is one weight scale (31 from 0.1 to 4), each column a step back. Blue: "
    "the gradient has vanished; white: it keeps its size; red: it explodes; black: "
    "it overflowed float32. The edge between blue and red sits near scale 1."
)

st.header("What it does to learning")
views.learning_panel()
