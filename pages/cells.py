"""RNN vs LSTM vs GRU: the same task, the same training, three cells and a wide RNN."""

import streamlit as st

from engine.errors import EngineError
from playground import cells_views as views
from playground.shell import ensure_app_shell, page_end

ensure_app_shell()

st.title("RNN vs LSTM vs GRU")
st.markdown(
    "A plain RNN rewrites its whole memory at every step. An **LSTM** adds "
    "**gates**, numbers between 0 and 1 that decide what to forget, what to write "
    "and what to show, and a separate **cell state** that each step scales by "
    "the forget gate and adds new content to, with no matrix product on the way. A "
    "**GRU** does the same job with two gates and no separate cell state. Below, "
    "the three cells are drawn, then trained on the same task for the same number "
    "of steps with the same hidden size (not the same number of parameters: the "
    "gates need weights of their own), so you can see what the gates buy and what "
    "they cost. A fourth run, the **wide RNN**, is a plain RNN given about the "
    "LSTM's number of parameters: is the LSTM ahead because of its gates or its size?"
)

st.header("Inside each cell")
views.anatomy()

try:
    st.header("The same task, the same training")
    task = views.choose_task()
    views.curves(task)
    views.pytorch_panel(task)
    st.subheader("Train one again, live")
    views.live_retrain(task)
    st.header("Ask the memory models")
    views.ask_memory_models()
    st.header("Which words does the next word depend on?")
    st.markdown(
        "The gradient lab measures how much gradient reaches early steps in cells "
        "with random weights. Here the question is put to **trained** models: the "
        "keyboard's next-word LSTM and the RNN, LSTM and GRU trained on next words "
        "above. For your sentence, autograd measures how much each "
        "model's prediction after the last word would move if one earlier word's "
        "vector changed: one row per model, darker for more."
    )
    views.connectivity_view()
except EngineError as error:  # a missing or damaged checkpoint
    st.error(str(error))

page_end(__file__)  # the guided path (when this page runs on its own)
