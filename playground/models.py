"""Trained models, loaded once per server and shared by every learner.

`st.cache_resource` keeps one copy in memory; the models are only read, never
changed, so sharing them between sessions is safe.
"""

from __future__ import annotations

import streamlit as st
import torch

from engine.baselines import KneserNeyTrigram, TfidfLogisticRegression
from engine.cell_comparison import NAME as CELLS_NAME
from engine.cell_comparison import Comparison, load_comparison
from engine.checkpoints import Checkpoint, default_path
from engine.digits import (
    DigitClassifier,
    DigitSpeller,
    load_digit_classifier,
    load_digit_speller,
)
from engine.fill_blank import FillBlankReader
from engine.keyboard import KNKeyboard, LSTMKeyboard
from engine.language_model import LanguageModel
from engine.models import SequenceClassifier
from engine.sentiment import SentimentReader
from engine.seq2seq import Translator
from engine.tasks import dates, demo, fill_blank, next_word, sentiment, tiny_rnn
from engine.tasks import digits as digits_task
from engine.text import Vocab
from engine.topic import TopicReader, load_topic_reader
from engine.truecase import Truecaser, load_truecaser

# Many learners share a couple of CPU cores: one thread per request avoids the
# thread pools of concurrent requests fighting over the same cores.
torch.set_num_threads(1)


@st.cache_resource(show_spinner="Loading the trained memory model…")
def demo_model() -> tuple[SequenceClassifier, Checkpoint]:
    return demo.load_model(default_path(demo.NAME))


@st.cache_resource(show_spinner="Loading the trained next-word LSTM…")
def next_word_model() -> tuple[LanguageModel, Checkpoint]:
    return next_word.load_model(default_path(next_word.NAME))


_COUNTING = "Counting trigrams in 2 million words of news and everyday English…"


@st.cache_resource(show_spinner=_COUNTING)
def kneser_ney_model() -> KneserNeyTrigram:
    """The n-gram baseline on the same train split and vocabulary as the LSTM."""
    _, checkpoint = next_word_model()
    return next_word.kneser_ney(checkpoint.vocab, next_word.KN_DISCOUNT)


@st.cache_resource(show_spinner=False)
def kneser_ney_keyboard() -> KNKeyboard:
    """The trigram keyboard holds no per-learner state, so one serves everyone."""
    _, checkpoint = next_word_model()
    return KNKeyboard(kneser_ney_model(), checkpoint.vocab)


def session_keyboard(model: LanguageModel, vocab: Vocab) -> LSTMKeyboard:
    """Each learner gets a keyboard of their own (it caches the hidden states of
    their text); the model inside may be the shared, read-only one. The shipped
    model never suggests a profanity; a learner's own model keeps their words."""
    keyboard = st.session_state.get("_lstm_keyboard")
    if keyboard is None or keyboard.model is not model:
        shipped = model is next_word_model()[0]
        keyboard = LSTMKeyboard(model, vocab, classroom_safe=shipped)
        st.session_state["_lstm_keyboard"] = keyboard
    return keyboard


def sentiment_path(direction: str):
    path = default_path(sentiment.NAME)
    return sentiment.bi_path(path) if direction == "bi" else path


@st.cache_resource(show_spinner="Loading the trained sentiment LSTM…")
def sentiment_reader(direction: str) -> SentimentReader:
    """direction: 'uni' (reads left to right) or 'bi' (both ways)."""
    return sentiment.load_reader(sentiment_path(direction))


@st.cache_resource(show_spinner=False)
def tfidf_baseline() -> TfidfLogisticRegression:
    return sentiment.load_tfidf(sentiment.tfidf_path(default_path(sentiment.NAME)))


def fill_blank_path():
    return default_path(fill_blank.NAME)


@st.cache_resource(show_spinner="Loading the trained fill-in LSTMs…")
def fill_blank_reader() -> FillBlankReader:
    return fill_blank.load_reader(fill_blank_path())


@st.cache_resource(show_spinner=False)
def fill_blank_bench() -> dict:
    """The shipped fill-blank model's benchmark, stored in its checkpoint
    (tools/store_bench.py); empty when it was not stored."""
    checkpoint = fill_blank.load_checkpoint(fill_blank_path(), fill_blank.NAME)
    return checkpoint.metrics.get("bench", {})


@st.cache_resource(show_spinner="Loading the tiny RNN…")
def tiny_rnn_model() -> tuple[LanguageModel, Checkpoint]:
    return tiny_rnn.load_model(default_path(tiny_rnn.NAME))


@st.cache_resource(show_spinner="Loading the digit classifier…")
def digit_classifier() -> DigitClassifier:
    return load_digit_classifier(default_path(digits_task.CLASSIFIER_TASK))


@st.cache_resource(show_spinner="Loading the digit speller…")
def digit_speller() -> DigitSpeller:
    return load_digit_speller(default_path(digits_task.SPELLER_TASK))


@st.cache_resource(show_spinner="Loading the encoder-decoder…")
def date_translator() -> tuple[Translator, dict]:
    """The trained encoder-decoder and the metrics stored with it."""
    model, checkpoint = dates.load_model(default_path(dates.NAME))
    return Translator(model, checkpoint.vocab), checkpoint.metrics


@st.cache_resource(show_spinner="Loading the RNN, LSTM and GRU runs…")
def cell_comparison() -> Comparison:
    return load_comparison(default_path(CELLS_NAME))


@st.cache_resource(show_spinner="Loading the topic reader…")
def topic_reader() -> TopicReader:
    return load_topic_reader(default_path("topic"))


@st.cache_resource(show_spinner="Loading the truecaser…")
def truecaser_model() -> Truecaser:
    return load_truecaser(default_path("truecase"))
