"""The pieces of the next-word keyboard page."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import altair as alt
import streamlit as st
import torch

from engine.errors import EngineError
from engine.keyboard import (
    MAX_CONTEXT_TOKENS,
    WINDOW_STEP,
    Keyboard,
    LSTMKeyboard,
    Reading,
    Suggestion,
    apply_suggestion,
    continue_text,
    occlusion_influence,
    prefix_probability,
    rank,
    split_typed,
    tokens_to_drop,
)
from engine.own_keyboard import (
    MAX_SECONDS,
    MAX_UPLOAD_BYTES,
    OwnModel,
    checkpoint_bytes,
    prepare,
    text_from_upload,
)
from engine.pytorch_code import keyboard_code
from engine.text import detokenize
from engine.train import TrainResult
from engine.worker import run_job
from playground import charts
from playground.models import next_word_model
from playground.widgets import (
    CHART_EVERY_S,
    PROGRESS_EVERY_S,
    Every,
    escape_markdown,
    free_trainer,
    limited_text,
)

MAX_CHARS = 50_000  # the text box refuses more; the model reads 200 tokens at most
SHIPPED_MODEL, OWN_MODEL = "Shipped LSTM", "My keyboard"
# Example chips: everyday phone phrases beside news (none is in the benchmark's
# hand-written prompts, so the page never shows off the test questions).
EXAMPLES = [
    "Can't wait to see you ",
    "I'm really tired, I think I will go to ",
    "Thanks so much for the ",
    "Shall we meet at the ",
    "The prime minister said the government will ",
    "Shares in the company fell ",
]
SOURCE_NAMES = {
    "bbc": "BBC News articles",
    "tweets": "tweets",
    "wordnet": "WordNet's usage examples",
    "rated": "human-rated review, editorial and tweet sentences",
    "generated": "generated everyday scenes",
}


def model_choice() -> str:
    """Which model drives the keyboard, once the learner has trained their own."""
    return st.segmented_control(
        "Keyboard model",
        [SHIPPED_MODEL, OWN_MODEL],
        default=SHIPPED_MODEL,
        key="keyboard_model",
        bind="query-params",
        required=True,
    )


def clipped(text: str) -> str:
    return text[-MAX_CHARS:]


TIMES = {2: "twice", 3: "three times"}


def training_summary(checkpoint) -> str:
    """What the shipped model read, with each source's share, from its checkpoint."""
    metrics = checkpoint.metrics
    shares = metrics.get("train_shares") or {}
    words = metrics.get("train_tokens")
    if not shares or not words:
        return "It was trained on BBC News articles."
    parts = [
        f"{SOURCE_NAMES.get(name, name)} {share:.0%}"
        for name, share in sorted(shares.items(), key=lambda kv: -kv[1])
    ]
    repeats = metrics.get("everyday_repeats", 1)
    if repeats > 1:  # the shares then count each repeated reading
        return (
            f"It was trained on news and everyday English; in its last epochs it "
            f"read the everyday text {TIMES.get(repeats, f'{repeats} times')} for "
            "each reading of the news, "
            f"{words:,} tokens an epoch: " + ", ".join(parts) + "."
        )
    return (
        f"It was trained on {words:,} tokens of news and everyday English: "
        + ", ".join(parts)
        + "."
    )


def _use_example() -> None:
    example = st.session_state.get("keyboard_example")
    if example:
        st.session_state["typed"] = example


def example_chips(suggestions: list[Suggestion]) -> None:
    """Example phrases to tap, with a question to guess first; once one is in the
    text box, the question again and the keyboard's answer."""
    st.caption(
        f"Before you tap: what will the keyboard suggest after “{EXAMPLES[0].strip()}”?"
    )
    st.pills(
        "Try one",
        EXAMPLES,
        key="keyboard_example",
        on_change=_use_example,
        label_visibility="collapsed",
    )
    chosen = st.session_state.get("keyboard_example")
    if chosen and st.session_state.get("typed") == chosen and suggestions:
        st.caption(example_answer(chosen, suggestions))


def example_answer(example: str, suggestions: list[Suggestion]) -> str:
    """The chip's question restated, answered with the suggestions shown."""
    words = ", ".join(
        f"“{escape_markdown(s.word)}” ({s.probability:.1%})" for s in suggestions
    )
    return (
        f"What will it suggest after “{example.strip()}”? You guessed? The model "
        f"says: {words}."
    )


def _tap(word: str, prefix: str) -> None:
    """Button callback: runs before the rerun, so it may change the text box."""
    st.session_state["typed"] = apply_suggestion(
        st.session_state["typed"], prefix, word
    )


def suggestion_bar(suggestions: list[Suggestion], prefix: str) -> None:
    """Three buttons like a phone keyboard's strip: the most likely in the middle.
    One row at every width: st.columns would stack them on a phone."""
    with st.container(horizontal=True, wrap=False):
        for index in [1, 0, 2]:  # second best, best, third best
            slot = st.container()  # in a row, containers share the width equally
            if index < len(suggestions):
                word = suggestions[index].word
                slot.button(
                    word,
                    key=f"suggestion_{index}",
                    on_click=_tap,
                    args=(word, prefix),
                    width="stretch",
                    wrap=False,  # a long word ends in "…", the row keeps its height
                    help=f"{suggestions[index].probability:.1%} likely next",
                )
            else:
                slot.button(
                    "·", key=f"suggestion_{index}", disabled=True, width="stretch"
                )


def reading_caption(reading: Reading) -> None:
    parts = []
    if reading.prefix:
        parts.append(f"completing “{reading.prefix}…”")
    if not reading.context:
        parts.append("no words yet: these are the usual first words of a paragraph")
    else:
        parts.append(f"{len(reading.context)} tokens read")
    if reading.dropped:
        parts.append(
            f"long text: only the last {len(reading.context)} tokens are read "
            f"(at most {MAX_CONTEXT_TOKENS})"
        )
    st.caption(" · ".join(parts))


def top_ten_chart(reading: Reading, keyboard: Keyboard) -> None:
    top = rank(
        reading.probabilities, keyboard.words, reading.prefix, 10, keyboard.banned
    )
    if not top:
        st.info(
            f"No word in the model's {len(keyboard.vocab):,}-word vocabulary "
            "starts with "
            f"“{reading.prefix}”. Keep typing: it will suggest again after the space."
        )
        return
    if reading.prefix:
        completion_chart(reading, keyboard, top)
        return
    rows = [{"word": s.word, "probability": s.probability} for s in top]
    title = "The 10 most likely next words"
    charts.show(
        lambda: charts.probability_bars(rows, title=title),
        key=("probability_bars", rows, title),
        width="stretch",
    )
    st.caption(top_ten_look_for(top))


def top_ten_look_for(top: list[Suggestion]) -> str:
    """What to look for in the ten bars, with their measured heights."""
    first, last = top[0], top[-1]
    return (
        "Look at how fast the bars shrink: one long bar means the model is sure, "
        f"many similar bars that it hesitates. Here “{escape_markdown(first.word)}” "
        f"has {first.probability:.1%} and “{escape_markdown(last.word)}”, number "
        f"{len(top)}, {last.probability:.1%}. Purple: the three words on the "
        "suggestion buttons."
    )


def completion_chart(
    reading: Reading, keyboard: Keyboard, top: list[Suggestion]
) -> None:
    """The words that finish a half-typed word, each with its share among all the
    words that do: P(word) itself can be tiny, as the model never sees letters."""
    prefix = reading.prefix
    total = prefix_probability(
        reading.probabilities, keyboard.words, prefix, keyboard.banned
    )
    total = max(total, 1e-30)  # float32 may round every completion's P to 0
    rows = [
        {"word": s.word, "probability": s.probability, "share": s.probability / total}
        for s in top
    ]
    title = f"Most likely words starting with “{prefix}”"
    charts.show(
        lambda: _share_bars(rows, title, f"Share among words starting with “{prefix}”"),
        key=("share_bars", rows, title),
        width="stretch",
    )
    st.caption(
        f"The shares of all the words starting with “{prefix}” add up to 100%. The "
        f"model reads whole words, not your letters: as the next word, it gives "
        f"them {_percent(total)} together. Purple: the three words on the "
        "suggestion buttons. Look at the top bar's share: the closer it is to "
        "100%, the surer the model is which word you are typing."
    )


def _share_bars(rows: list[dict], title: str, axis_title: str) -> alt.Chart:
    """The probability bars, drawn as shares on a fixed 0-100% axis."""
    return charts.probability_bars(rows, title=title).encode(
        x=alt.X(
            "share:Q",
            title=axis_title,
            axis=alt.Axis(format="%"),
            scale=alt.Scale(domain=[0, 1]),
        ),
        tooltip=[
            "word",
            alt.Tooltip("share:Q", title="share", format=".1%"),
            alt.Tooltip("probability:Q", title="P(next word)", format=".3%"),
        ],
    )


def _percent(p: float) -> str:
    return f"{p:.2%}" if p >= 0.0001 else "under 0.01%"


def influence_panel(
    keyboard: LSTMKeyboard, reading: Reading, suggestions: list[Suggestion]
) -> None:
    if not suggestions or not reading.context:
        st.info("Type a few words to see which of them the network relies on.")
        return
    words = [s.word for s in suggestions]
    word = st.radio("Explain the suggestion", words, horizontal=True, key="explain")
    text = st.session_state["typed"]
    influence = occlusion_influence(keyboard, clipped(text), word)
    if not influence:
        st.info("Type a few words first.")
        return
    args = ([i.token for i in influence], [i.drop for i in influence], "influence")
    charts.show(
        lambda: charts.word_strip(*args),
        key=("word_strip", args),
        width="stretch",
        theme=None,
    )
    strongest = max(influence, key=lambda i: i.drop)
    before = f"the last {len(influence)} tokens" if len(influence) > 1 else "the token"
    st.markdown(
        f"Each of {before} you typed is hidden in turn (replaced by the "
        "unknown-word token) and the model reads the text again. Orange words "
        f"support “{word}”: without “{strongest.token}”, its chance falls by "
        f"{strongest.drop * 100:.1f} percentage points. Purple words work against "
        "it. Words far back can still matter: that is the hidden state carrying "
        "memory forward."
    )


def keep_tapping_panel(keyboard: LSTMKeyboard) -> None:
    left, right = st.columns(2)
    n_words = left.slider("Words to add", 1, 40, 15)
    mode = right.radio(
        "How to choose",
        ["Always the top suggestion", "Sample"],
        horizontal=True,
        help="The word just added is never chosen again straight away.",
    )
    temperature, top_k = None, 10
    if mode == "Sample":
        left, right = st.columns(2)
        temperature = left.slider(
            "Temperature",
            0.1,
            2.0,
            0.8,
            0.1,
            help="Low: safe, repetitive. High: surprising, often nonsense.",
        )
        top_k = right.slider("Top-k", 1, 100, 20, help="Sample only from the k best.")
    if st.button("Keep tapping", icon=":material/keyboard_double_arrow_right:"):
        seed = int(time.time()) % 10_000
        text = clipped(st.session_state["typed"])
        words = continue_text(keyboard, text, n_words, temperature, top_k, seed)
        st.session_state["continued"] = (text, words)
    if "continued" in st.session_state:
        start, words = st.session_state["continued"]
        st.text(f"{start.strip()} ▸ {detokenize(words)}")
        note = "▸ marks where the model took over."
        prefix = split_typed(start)[1]
        if prefix and words[0].startswith(prefix):
            note += f" It first finished your half-typed “{prefix}” as “{words[0]}”."
        st.caption(note)


def compare_panel(lstm: LSTMKeyboard, kn: Keyboard, reading: Reading) -> None:
    last_two = detokenize(reading.context[-2:]) if reading.context else "(nothing yet)"
    st.markdown(
        "A **trigram** model (interpolated Kneser-Ney, counted on the same training "
        f"text and vocabulary) only sees the last two words: **“{last_two}”**. The "
        f"LSTM reads, through its hidden state, {reading_window()}"
    )
    text = clipped(st.session_state["typed"])
    left, right = st.columns(2)
    for column, name, model in ((left, "LSTM", lstm), (right, "Trigram", kn)):
        rows = [
            {"word": s.word, "probability": s.probability}
            for s in model.suggest(text, k=5)
        ]
        column.markdown(f"**{name}**")
        column.dataframe(
            rows,
            hide_index=True,
            width="stretch",
            column_config={
                "probability": st.column_config.ProgressColumn(
                    format="percent", min_value=0.0, max_value=1.0
                )
            },
        )
    st.caption(
        "Try “The prime minister said that he”: the trigram sees only “that he”."
    )
    benchmark_table(lstm_model_metrics())


def reading_window() -> str:
    """How much of a text the LSTM reads, from the engine's own trimming rule."""
    longest = MAX_CONTEXT_TOKENS
    # past the limit, whole steps are cut from the start: read what is left
    fewest = min(
        n - tokens_to_drop(n) for n in range(longest + 1, longest + 1 + WINDOW_STEP)
    )
    return (
        f"everything you typed, up to {longest} tokens. A longer text loses whole "
        f"blocks of {WINDOW_STEP} tokens from its start (so typing on re-reads it "
        f"only once every {WINDOW_STEP} words): the LSTM then reads its last "
        f"{fewest} to {longest} tokens."
    )


def lstm_model_metrics() -> dict:
    """The shipped model's benchmark, stored in its checkpoint."""
    return next_word_model()[1].metrics.get("bench", {})


DOMAIN_NAMES = {"bbc": "BBC News", "everyday": "Everyday English"}


def benchmark_table(bench: dict) -> None:
    """Both held-out domains, LSTM beside trigram, as measured by the benchmark."""
    rows = [
        {
            "held-out text": DOMAIN_NAMES[domain],
            "words": bench[domain]["n_test_word_targets"],
            "perplexity LSTM": bench[domain]["lstm_ppl"],
            "perplexity trigram": bench[domain]["kn3_ppl"],
            "top-3 LSTM": bench[domain]["lstm_top3"],
            "top-3 trigram": bench[domain]["kn3_top3"],
            "keystrokes saved LSTM": bench[domain]["lstm_ksr"],
            "keystrokes saved trigram": bench[domain]["kn3_ksr"],
        }
        for domain in DOMAIN_NAMES
        if domain in bench
    ]
    if not rows:
        return
    st.markdown(
        "**On text neither model has seen** (`python -m engine bench next-word`)"
    )
    percent = st.column_config.NumberColumn(format="percent")
    st.dataframe(
        rows,
        hide_index=True,
        width="stretch",
        column_config={
            c: percent for c in rows[0] if c.startswith(("top-3", "keystrokes"))
        },
    )
    st.caption(
        "Look for: a lower perplexity, more hits in the top 3 and more keystrokes "
        "saved for the LSTM, on news and on everyday text alike. Perplexity is "
        "exp(mean cross-entropy): the inverse of the geometric mean of the "
        "probability the model gave each true next word."
    )


def train_your_own_panel() -> None:
    st.markdown(
        "Paste a text (or upload a .txt file of at most 1 MB) and train a small LSTM "
        f"on it here, capped at {MAX_SECONDS / 60:.0f} minutes of CPU. Your "
        "keyboard then suggests words the way your text uses them."
    )
    upload = st.file_uploader("Upload a .txt file (max 1 MB)", type=["txt"])
    pasted = limited_text(
        st.text_area,
        "…or paste text",
        key="own_keyboard_text",
        limit=MAX_UPLOAD_BYTES,
        height=140,
    )
    if st.button("Train my keyboard", icon=":material/model_training:"):
        try:
            text = text_from_upload(upload.getvalue()) if upload else pasted
            _train_live(text)
        except EngineError as error:
            st.error(str(error))
    own = st.session_state.get("own_keyboard")
    if own is not None:
        _use_own(own)


def _train_live(text: str) -> None:
    own = prepare(text)  # checks the text before a trainer slot is taken
    with free_trainer():
        # Stored before training: if the learner presses Stop, Streamlit ends this
        # run at once and the next run finds the weights saved so far.
        st.session_state["own_keyboard"] = own
        st.button("Stop training", icon=":material/stop_circle:")
        progress = st.progress(0.0, "Starting a trainer…")
        chart = st.empty()
        points: list[dict] = []
        bar_due, chart_due = Every(PROGRESS_EVERY_S), Every(CHART_EVERY_S)

        def on_message(kind: str, p: dict) -> None:
            if kind == "epoch":
                step = points[-1]["step"] if points else 0
                points.append(
                    {"step": step, "loss": p["valid_loss"], "curve": "validation"}
                )
                return
            points.append({"step": p["step"], "loss": p["loss"], "curve": "training"})
            if not bar_due():
                return
            left = max(0.0, min(p["eta_s"], MAX_SECONDS - p["elapsed_s"]))
            progress.progress(
                min(p["elapsed_s"] / MAX_SECONDS, p["step"] / p["total_steps"], 1.0),
                f"Epoch {p['epoch']} · step {p['step']} · loss {p['loss']:.2f} · "
                f"{p['tokens_per_s']:,.0f} tokens/s · about {left:.0f} s left",
            )
            if chart_due():
                chart.altair_chart(charts.loss_curve(points), width="stretch")

        st.session_state["own_loss"] = points  # kept for the chart after the rerun
        with tempfile.TemporaryDirectory(prefix="rnn-playground-") as folder:
            saved = Path(folder) / "weights.pt"
            try:
                # in a child process: the other learners' pages stay quick
                result, _ = run_job("own-keyboard", {"text": text}, on_message, saved)
                own.result = TrainResult(**result)
            finally:  # also after Stop: the weights the child saved last
                if saved.is_file():
                    own.model.load_state_dict(torch.load(saved, weights_only=True))
                own.model.eval()
    st.rerun()  # redraw the page with the model switch above the text box


def loss_look_for(points: list[dict]) -> str:
    """What to look for in your keyboard's loss curve, from its first and last."""
    losses = [p["loss"] for p in points if p.get("curve") == "training"]
    text = "Look for the curve flattening out: each step then teaches the model less. "
    if len(losses) < 2:
        return text
    return text + f"Your training loss went from {losses[0]:.2f} to {losses[-1]:.2f}."


def _use_own(own: OwnModel) -> None:
    how = (
        f"{own.result.epochs_run} epochs ({own.result.stopped_because})"
        if own.result
        else "stopped early: the weights saved just before you pressed Stop"
    )
    st.success(
        f"Your keyboard: trained on {own.n_tokens:,} tokens, vocabulary of "
        f"{len(own.vocab):,} words; {how}. Choose “{OWN_MODEL}” above the text box "
        "to type with it."
    )
    points = st.session_state.get("own_loss")
    if points:
        st.altair_chart(charts.loss_curve(points), width="stretch")
        st.caption(loss_look_for(points))
    if st.session_state.get("own_download_for") is not own:  # serialise once
        st.session_state["own_download"] = checkpoint_bytes(own)
        st.session_state["own_download_for"] = own
    st.download_button(
        "Download its weights (.pt)",
        st.session_state["own_download"],
        file_name="my-keyboard.pt",
        icon=":material/download:",
        help="Use it: python -m engine predict next-word --checkpoint my-keyboard.pt",
    )
    with st.expander("Copy as PyTorch", icon=":material/code:"):
        config = own.model.config
        st.code(
            keyboard_code(config.vocab_size, config.hidden_size, config.num_layers),
            language="python",
        )
        st.caption(
            "Your keyboard's model in plain PyTorch; the comments show how to load "
            "the weights you downloaded."
        )
