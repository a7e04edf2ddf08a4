"""RNN shapes: one-to-one, one-to-many, many-to-one and two kinds of many-to-many."""

import streamlit as st

from playground import shapes_views as views
from playground.shell import ensure_app_shell

ensure_app_shell()

st.title("RNN shapes")
st.markdown(
    "An RNN can read one thing or a sequence, and answer once or at every step. "
    "That gives **five shapes**, and each one below is a small network trained "
    "for a real task, with its score on examples it never saw and a box for your "
    "own input. In the diagrams, amber circles are inputs, green ones outputs, "
    "and the purple arrows carry the hidden state from step to step."
)

views.shape_tabs()
