"""Step through time: a trained network reads a sentence one word at a time."""

import streamlit as st

from playground import lstm_walkthrough
from playground import step_views as views
from playground.shell import ensure_app_shell, page_end

ensure_app_shell()

st.title("Step through time")
st.markdown(views.intro())

with st.container(border=True):
    model_name = views.choose_model()
    text = views.text_box()
    result = views.trace(model_name, text)
    if result is not None:
        views.example_answer(result, model_name)


timer_on = views.is_playing()


def step_panel() -> None:
    """Everything that depends on the time step."""
    views.advance_if_playing(result.length, timer_on)
    step = views.time_controls(result.length)
    views.reading_now(result, step)
    views.unrolled(result, step)
    views.inside_tabs(result, model_name, text, step)
    lstm_walkthrough.build_cell(result, model_name, text, step)


if result is not None:
    if timer_on:  # playing: a timed fragment reruns this part alone, word by word
        st.fragment(step_panel, run_every=views.PLAY_SECONDS)()
    else:  # a whole-page rerun keeps the shared link in step with the view
        step_panel()

page_end(__file__)  # the guided path (when this page runs on its own)
