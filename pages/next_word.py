"""Next-word keyboard: a trained LSTM suggests words like a phone keyboard."""

import streamlit as st

from engine.errors import EngineError
from engine.keyboard import rank
from playground import keyboard_views as views
from playground.models import kneser_ney_keyboard, next_word_model, session_keyboard
from playground.shell import ensure_app_shell, page_end
from playground.widgets import lazy_tabs, limited_text

DEFAULT_TEXT = "I would love to "

ensure_app_shell()

st.title("Next-word keyboard")
try:
    model, checkpoint = next_word_model()
except EngineError as error:
    st.error(str(error))
    st.stop()

st.markdown(
    "When you type on a phone, the keyboard guesses your next word. This one is a "
    "real **LSTM language model**. "
    + views.training_summary(checkpoint)
    + " After every word it updates its hidden state, and from that memory it "
    f"scores all {len(checkpoint.vocab):,} words it knows. It never suggests a "
    "word on a list of profanities (better-profanity's)."
)

own = st.session_state.get("own_keyboard")
use_own = own is not None and views.model_choice() == views.OWN_MODEL
keyboard = session_keyboard(
    *((own.model, own.vocab) if use_own else (model, checkpoint.vocab))
)
st.session_state.setdefault("typed", DEFAULT_TEXT)
reading = keyboard.read(views.clipped(st.session_state["typed"]))
suggestions = rank(
    reading.probabilities, keyboard.words, reading.prefix, 3, keyboard.banned
)

with st.container(border=True):
    views.suggestion_bar(suggestions, reading.prefix)
    limited_text(
        st.text_input,
        "Type here",
        key="typed",
        limit=views.MAX_CHARS,
        bind="query-params",
        live=True,
        placeholder="Start typing, or tap a suggestion…",
    )
    views.reading_caption(reading)
    views.example_chips(suggestions)

left, right = st.columns([3, 2])
with right:
    views.top_ten_chart(reading, keyboard)
with left:
    tab, container = lazy_tabs(
        ["Why these words?", "Keep tapping", "LSTM vs n-gram"], key="keyboard_tab"
    )
    with container:
        if tab == "Why these words?":
            views.influence_panel(keyboard, reading, suggestions)
        elif tab == "Keep tapping":
            views.keep_tapping_panel(keyboard)
        elif use_own:
            st.info("The comparison uses the shipped model: switch back to it above.")
        else:
            views.compare_panel(keyboard, kneser_ney_keyboard(), reading)

st.header("Train your own keyboard")
views.train_your_own_panel()

st.caption(
    f"Model: {checkpoint.config['num_layers']}-layer LSTM with "
    f"{checkpoint.config['hidden_size']} units and a {len(checkpoint.vocab):,}-word "
    f"vocabulary; validation perplexity {checkpoint.metrics.get('valid_ppl', '?')}. "
    "Perplexity is exp(mean cross-entropy) on held-out text, the inverse of the "
    "geometric mean of the probability given to each true next word; as an "
    "intuition, how many words the model hesitates between. Lower is better. A "
    "bidirectional model could not do this job: the words to the right of the one "
    "you are about to type do not exist yet."
)

page_end(__file__)  # the guided path (when this page runs on its own)
