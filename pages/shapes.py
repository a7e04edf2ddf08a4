"""RNN shapes: one-to-one, one-to-many, many-to-one and two kinds of many-to-many."""

import streamlit as st

from playground import shapes_views as views
from playground.shell import ensure_app_shell, page_end

ensure_app_shell()

st.title("RNN shapes")
st.markdown(
    "Networks are often sorted by what goes in and what comes out: one thing or a "
    "sequence, answered once or at every step, plus the encoder-decoder. That "
    "gives **five shapes**. The first, one-to-one, is **not a job for an RNN**: "
    "with one input and one output there are no time steps, so it is a plain "
    "feed-forward network, shown for contrast. The other four are what recurrent "
    "networks are for. Each shape below is a small network trained for a real "
    "task, with its score on examples it never saw and a box for your own input. "
    "In the diagrams, amber circles are inputs, green ones outputs, and the purple "
    "arrows carry the hidden state from step to step."
)

views.shape_tabs()

page_end(__file__)  # the guided path (when this page runs on its own)
