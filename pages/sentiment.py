"""Sentiment reader: a many-to-one LSTM reads a text word by word, then answers."""

import streamlit as st

from engine.errors import EngineError
from playground import sentiment_views as views
from playground.models import sentiment_reader, tfidf_baseline
from playground.shell import ensure_app_shell, page_end
from playground.widgets import lazy_tabs

ensure_app_shell()

st.title("Sentiment reader")
st.markdown(
    "**Many to one:** a sequence of words goes in, one answer comes out. This "
    "LSTM learned from tweets and from sentences of movie reviews, Amazon reviews "
    "and newspaper editorials that people labelled or rated **negative**, "
    "**neutral** or **positive**. It reads your text one word (or emoji) at a "
    "time and only answers at the end — but we can peek at what it thinks after "
    "every word."
)

direction = views.model_choice()
try:
    reader, tfidf = sentiment_reader(direction), tfidf_baseline()
except EngineError as error:
    st.error(str(error))
    st.stop()

with st.container(border=True):
    text = views.text_box()
    reading = views.read(reader, text)
    if reading is not None:
        views.verdict(reading)
        views.example_answer(reading, direction)

if reading is not None:
    views.trajectory(reader, reading, direction)
    tab, container = lazy_tabs(
        [
            "Which words mattered",
            "Three readers",
            "Word order",
            "Rated by people",
            "Inside the network",
        ],
        key="sentiment_tab",
    )
    with container:
        if tab == "Which words mattered":
            views.contributions_panel(reader, reading)
        elif tab == "Three readers":
            views.three_readers(reading, tfidf, text, views.DIRECTIONS[direction])
        elif tab == "Word order":
            views.word_order_panel()
        elif tab == "Rated by people":
            views.people_panel(reader)
        else:
            views.inside_panel(reading, direction)

st.header("The data behind it")
views.data_panel(direction)

st.caption(views.model_note(reader, direction))

page_end(__file__)  # the guided path (when this page runs on its own)
