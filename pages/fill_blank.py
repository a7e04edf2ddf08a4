"""Fill the blank: a bidirectional LSTM guesses a missing word from both sides."""

import streamlit as st

from engine.errors import EngineError
from playground import fill_blank_views as views
from playground.models import fill_blank_bench, fill_blank_reader
from playground.shell import ensure_app_shell, page_end
from playground.widgets import lazy_tabs

ensure_app_shell()

st.title("Fill the blank")
st.markdown(
    "A **bidirectional** RNN reads a sentence twice: one LSTM from left to right, "
    "another from right to left. To fill a missing word it can use both what "
    "came before *and* what comes after. In *“The ___ sat on the mat”*, the "
    "words before the blank only say “The”; the words after it say that "
    "something **sat on the mat**."
)

try:
    reader = fill_blank_reader()
except EngineError as error:
    st.error(str(error))
    st.stop()

with st.container(border=True):
    text = views.text_box()
    filling = views.fill(reader, text)
    views.click_to_hide(views.shown_words(text))

if filling is not None:
    views.steps_panel(filling)
    views.filled_sentence(filling)

tab, container = lazy_tabs(
    ["Inside: two readers meet", "Quiz: beat the model", "Race: BiLSTM vs n-gram"],
    key="fill_tab",
)
with container:
    if tab == "Quiz: beat the model":
        views.quiz_panel(reader)
    elif tab == "Race: BiLSTM vs n-gram":
        views.race_panel(fill_blank_bench())
    elif filling is None:
        st.info("Put a blank in the sentence above to see the two readers meet.")
    else:
        views.inside_panel(filling)

config = reader.model.config
st.caption(
    f"Model: a forward and a backward LSTM ({config.num_layers} "
    f"layer{'s' if config.num_layers > 1 else ''} of "
    f"{config.hidden_size} units each) sharing one {len(reader.vocab):,}-word "
    f"vocabulary, {views.training_caption(fill_blank_bench())}. "
    "“The cat sat on the mat” itself was never in its training data."
)

page_end(__file__)  # the guided path (when this page runs on its own)
