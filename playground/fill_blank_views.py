"""The pieces of the fill-in-the-blank page."""

from __future__ import annotations

import random

import pandas as pd
import streamlit as st

from engine.errors import EngineError
from engine.fill_blank import VIEWS, BlankGuess, FillBlankReader, Filling, is_word
from engine.sentiment import clean_text
from engine.tasks import fill_blank as task
from engine.text import BLANK, BLANK_MARK, detokenize, written_tokens
from playground import charts, diagrams, palette
from playground.models import fill_blank_reader
from playground.widgets import escape_markdown, limited_text, live_text_box

TEXT_KEY = "fill_text"
DEFAULT_TEXT = "The ___ sat on the mat."
MAX_CHARS = 50_000
MAX_CLICKABLE = 40  # words offered for click-to-hide (a longer text is cut)
EXAMPLES = [
    "The ___ sat on the mat.",
    "The dog ___ at the postman.",
    "She drank a cup of ___ with her breakfast.",
    "I wore a ___ because it was raining.",
    "The prime ___ said the election would be held in May.",
    "The ___ sat on the ___.",
]
TITLES = {
    "forward": "Forward only →",
    "backward": "← Backward only",
    "both": "Both directions ↔",
}
COLOURS = palette.DIRECTIONS  # forward indigo, backward teal, both amber
HEATMAP_UNITS = 32  # of 256: the units that change most over this sentence
QUIZ_SOURCES = {"everyday": "Everyday English", "bbc": "BBC News"}


def text_box() -> str:
    return live_text_box(
        TEXT_KEY,
        "fill_example",
        # escaped: a label is markdown, and "___" would start italics
        f"A sentence with a blank: write {escape_markdown(BLANK_MARK)} (three "
        "underscores) where a word is missing",
        DEFAULT_TEXT,
        EXAMPLES,
        placeholder="The ___ sat on the mat.",
        max_chars=MAX_CHARS,
    )


# A classroom types the same examples again and again: fillings are shared by every
# learner (keyed by the model and the text; `_reader` itself is not hashed).
@st.cache_data(max_entries=1024, show_spinner=False)
def _fill(_reader: FillBlankReader, reader_id: int, text: str) -> Filling:
    return _reader.fill(text, states=True)  # the heatmaps need the states


def fill(reader: FillBlankReader, text: str) -> Filling | None:
    """The filled sentence, or None after a friendly message."""
    try:
        filling = _fill(reader, id(reader), text)
    except EngineError as error:
        st.info(str(error))
        return None
    for note in filling.notes:
        st.caption(f"ℹ️ {note}")
    if filling.unknown:
        shown = ", ".join(f"“{escape_markdown(w)}”" for w in filling.unknown[:8])
        more = " and more" if len(filling.unknown) > 8 else ""
        st.caption(
            f"ℹ️ New to the model: {shown}{more}. It reads each of them as one "
            "“unknown word”, so they help it less than words it knows."
        )
    return filling


def shown_words(text: str) -> list[str]:
    """The sentence exactly as the learner wrote it: blanks stay "___" (the
    model's guesses are shown below it, never written into the learner's text)."""
    return written_tokens(clean_text(text).text)


def click_to_hide(words: list[str]) -> None:
    """Each word of the sentence as a button: a click hides it behind a blank."""
    clickable = [i for i, w in enumerate(words[:MAX_CLICKABLE]) if is_word(w)]
    if not clickable:
        return
    key = f"fill_click_{abs(hash(tuple(words)))}"

    def hide() -> None:
        index = st.session_state.get(key)
        if index is not None:
            hidden = [BLANK if i == index else w for i, w in enumerate(words)]
            st.session_state[TEXT_KEY] = detokenize(hidden)

    st.pills(
        "Or click a word to hide it:",
        clickable,
        format_func=lambda i: words[i],
        key=key,
        on_change=hide,
    )


def _sees(step: BlankGuess, view: str) -> str:
    """What one view could read, in words: the left side, the right, or both."""
    shown = [BLANK_MARK if t == BLANK else t for t in step.tokens]
    left = detokenize(shown[: step.position])
    right = detokenize(shown[step.position + 1 :])
    if view == "forward":
        return f"“{left}” →" if left else "nothing (the blank comes first)"
    if view == "backward":
        return f"← “{right}”" if right else "nothing (the blank comes last)"
    return f"“{left} ___ {right}”".replace("“ ", "“").replace(" ”", "”")


def candidates(step: BlankGuess) -> None:
    """The three views' ranked guesses side by side."""
    st.caption(
        "The forward column is all a phone keyboard can use: when you type, the "
        "words to the right of the next one do not exist yet, so a bidirectional "
        "model cannot suggest your next word. It needs the whole sentence first."
    )
    columns = st.columns(3)
    for column, view in zip(columns, VIEWS, strict=True):
        ranked = step.ranked(view)
        with column:
            st.markdown(f"**{TITLES[view]}**")
            st.caption(f"sees: {escape_markdown(_sees(step, view))}")
            rows = [{"word": c.word, "probability": c.probability} for c in ranked]
            charts.show(
                lambda rows=rows: (
                    charts.probability_bars(rows, highlight=1)
                    .properties(height=170)
                    # every word labelled (Vega drops labels it may think overlap)
                    .configure_axisY(labelOverlap=False, labelFontSize=13)
                ),
                key=("fill_blank.candidates", rows),
                width="stretch",
            )
    st.caption(
        "Compare the three top bars: where the bidirectional column is surer than "
        "both one-way columns, the words on both sides of the blank together "
        "pinned the word down."
    )


def summary(step: BlankGuess) -> None:
    best = {view: step.ranked(view)[0] for view in VIEWS}
    parts = [
        f"{TITLES[view]}: **{best[view].word}** ({best[view].probability:.0%})"
        for view in VIEWS
    ]
    st.markdown(" · ".join(parts))


def steps_panel(filling: Filling) -> None:
    """One blank: its three lists. Several: one tab per blank, in fill order."""
    if len(filling.steps) == 1:
        summary(filling.steps[0])
        candidates(filling.steps[0])
        return
    st.markdown(
        f"**{len(filling.steps)} blanks**, filled one at a time from left to "
        "right: each blank's best guess (both directions) is written in before "
        "the next blank is read. Blanks still to come are read as blanks."
    )
    tabs = st.tabs(
        [f"Step {n}: ___ → {s.choice}" for n, s in enumerate(filling.steps, 1)]
    )
    for tab, step in zip(tabs, filling.steps, strict=True):
        with tab:
            summary(step)
            candidates(step)


def filled_sentence(filling: Filling) -> None:
    """The sentence as written, each blank replaced by its guess in bold."""
    sentence = escape_markdown(detokenize(filling.tokens))
    for step in filling.steps:  # blanks come in order, one guess each
        sentence = sentence.replace(
            escape_markdown(BLANK_MARK), f"**{step.choice}**", 1
        )
    st.markdown(f"Filled in: {sentence[:1].upper()}{sentence[1:]}")


def _heatmap_labels(step: BlankGuess) -> list[str]:
    start, end = step.window
    window = [BLANK_MARK if t == BLANK else t for t in step.tokens[start:end]]
    return ["(start)", *window, "(end)"]


def _top_units(states, count: int) -> list[int]:
    spread = states.std(dim=0)
    return spread.topk(min(count, states.shape[1])).indices.sort().values.tolist()


def inside_panel(filling: Filling) -> None:
    """The unrolled picture at the chosen blank, and each reader's hidden states."""
    step = filling.steps[0]
    if len(filling.steps) > 1:
        number = st.radio(
            "Blank",
            range(len(filling.steps)),
            format_func=lambda n: f"{n + 1}: ___ → {filling.steps[n].choice}",
            horizontal=True,
            key="fill_inside_step",
        )
        step = filling.steps[number]
    words = [BLANK_MARK if t == BLANK else t for t in step.tokens]
    st.graphviz_chart(
        diagrams.fill_blank(words, step.position, step.choice), width="stretch"
    )
    st.caption(
        "The forward LSTM (indigo) reads the words before the blank, left to "
        "right; the backward LSTM (teal) reads the words after it, right to left. "
        "Each carries what it read in its hidden state h, and the two states "
        "meet at the blank. Forward-only guesses use only h→, backward-only "
        "only h←, and the bidirectional guess uses both at once."
    )
    labels = _heatmap_labels(step)
    at = step.position - step.window[0] + 1  # +1: the start marker
    for view, states, used in (
        ("forward", step.forward_states, at - 1),
        ("backward", step.backward_states, at + 1),
    ):
        units = _top_units(states, HEATMAP_UNITS)
        values = states[:, units].tolist()
        direction = "left to right" if view == "forward" else "right to left"
        args = (
            labels,
            values,
            used,
            COLOURS[view],
            f"{view.capitalize()} LSTM: h after each word ({direction})",
        )
        charts.show(
            lambda args=args: charts.state_heatmap(*args),
            key=("state_heatmap", args),
            width="stretch",
            theme=None,
        )
    st.caption(
        f"Each column is the hidden state after reading that word; the rows are "
        f"the {HEATMAP_UNITS} of {step.forward_states.shape[1]} units (per "
        "direction) that change most in this sentence. The pink outline marks "
        "the state each reader hands to the blank. The backward reader starts at "
        "the end, so read its chart from right to left. Look at the outlined "
        "columns: they are the only two states the blank is guessed from."
    )


# ----------------------------------------------------------------------------- quiz
@st.cache_data(show_spinner="Picking held-out sentences…")
def quiz_items(source: str) -> list[tuple[list[str], int]]:
    """Held-out test sentences (never trained on), each with a word to guess."""
    return task.quiz_items(source, fill_blank_reader().vocab)


def _sentence(tokens: list[str]) -> str:
    text = detokenize(tokens)
    return text[:1].upper() + text[1:]


def quiz_panel(reader: FillBlankReader) -> None:
    st.markdown(
        "A sentence the model never saw in training, with one word hidden. "
        "Guess it, then see what the three readers guessed."
    )
    source = st.segmented_control(
        "Sentences from",
        list(QUIZ_SOURCES),
        format_func=QUIZ_SOURCES.get,
        default="everyday",
        key="fill_quiz_source",
        required=True,
    )
    items = quiz_items(source)
    state = st.session_state.setdefault(
        "fill_quiz", {"index": random.Random().randrange(len(items)), "score": [0, 0]}
    )
    tokens, position = items[state["index"] % len(items)]
    answer = tokens[position]
    shown = [BLANK_MARK if i == position else t for i, t in enumerate(tokens)]
    with st.container(border=True):
        st.markdown(f"#### {escape_markdown(_sentence(shown))}")
    with st.form("fill_quiz_form", clear_on_submit=False, border=False):
        guess = limited_text(
            st.text_input, "Your guess", key="fill_quiz_guess", limit=40, in_form=True
        )
        checked = st.form_submit_button("Check my guess")
    if checked:
        state["checked"] = (state["index"], guess.strip().lower())
        state["score"][1] += 1
        state["score"][0] += guess.strip().lower() == answer
    if state.get("checked", (None,))[0] == state["index"]:
        _reveal(reader, shown, answer, state["checked"][1])
    right, asked = state["score"]
    columns = st.columns([1, 3])
    if columns[0].button("Next sentence", key="fill_quiz_next"):
        state["index"] += 1
        st.session_state.pop("fill_quiz_guess", None)
        st.rerun()
    if asked:
        columns[1].caption(f"Your score: {right} of {asked}")


def _reveal(reader: FillBlankReader, shown: list[str], answer: str, guess: str):
    if guess == answer:
        st.success(f"Right: the missing word was **{answer}**.")
    elif guess:
        said = escape_markdown(guess)
        st.warning(f"The missing word was **{answer}**; you said “{said}”.")
    else:
        st.info(f"The missing word was **{answer}**.")
    step = _fill(reader, id(reader), detokenize(shown)).steps[0]
    rows = []
    for view in VIEWS:
        ranked = [c.word for c in step.ranked(view)]
        rank = ranked.index(answer) + 1 if answer in ranked else None
        rows.append(
            {
                "Reader": TITLES[view],
                "Top 5 guesses": ", ".join(ranked),
                "Found it": f"✓ (guess {rank})" if rank else "✗",
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


# ----------------------------------------------------------------------------- race
DOMAIN_TITLES = {
    "bbc": "BBC News",
    "everyday": "Everyday English",
    "grammar": "Generated scenes",
}
SOURCE_NAMES = {
    "bbc": "BBC News",
    "everyday": "everyday English (tweets, WordNet's usage examples, rated reviews)",
    "grammar": "generated everyday scenes",
}


def race_table(bench: dict) -> pd.DataFrame:
    """The benchmark's test blanks per domain: the BiLSTM beside the n-gram."""
    return pd.DataFrame(
        [
            {
                "test sentences": DOMAIN_TITLES[domain],
                "blanks": bench[domain]["n"],
                "BiLSTM top 1": bench[domain]["bi_top1"],
                "n-gram top 1": bench[domain]["ngram_top1"],
                "BiLSTM top 5": bench[domain]["bi_top5"],
                "n-gram top 5": bench[domain]["ngram_top5"],
                "forward only top 5": bench[domain]["fwd_top5"],
            }
            for domain in DOMAIN_TITLES
            if domain in bench
        ]
    )


def _pct(share: float) -> str:
    """A share as a percentage; below 1%, with one decimal (0.2%, not 0%)."""
    return f"{share:.1%}" if 0 < share < 0.01 else f"{share:.0%}"


def race_text(bench: dict) -> str:
    """Why the n-gram is hard to beat on news, and where the BiLSTM wins, from
    the stored benchmark: its split of the blanks by whether the hidden word and
    its two neighbours form a phrase of the training text, and one measured
    sentence whose deciding word is far from the blank."""
    news, everyday = bench["bbc"], bench["everyday"]
    text = (
        "**Why the n-gram is hard to beat on news.** Over all BBC test blanks its "
        f"first guess is right {_pct(news['ngram_top1'])} of the time, the "
        f"BiLSTM's {_pct(news['bi_top1'])}."
    )
    if "phrase_seen" in news:
        text += (
            " News repeats fixed phrases (“the prime ___ said”): on "
            f"{_pct(news['phrase_seen'])} of these blanks the hidden word and its "
            "two neighbours form a three-word phrase the training text holds. "
            "There the n-gram, which counts exactly such phrases, is right "
            f"{_pct(news['ngram_top1_phrase_seen'])} of the time (the BiLSTM "
            f"{_pct(news['bi_top1_phrase_seen'])}); on the other blanks, "
            f"{_pct(news['ngram_top1_phrase_unseen'])} (the BiLSTM "
            f"{_pct(news['bi_top1_phrase_unseen'])})."
        )
    wins = ""
    if "phrase_seen" in everyday:
        wins += (
            " On everyday blanks in phrases the training text never held, the "
            "n-gram has no count to lean on: it is right "
            f"{_pct(everyday['ngram_top1_phrase_unseen'])} of the time there, the "
            f"BiLSTM {_pct(everyday['bi_top1_phrase_unseen'])}."
        )
    example = bench.get("long_range_example")
    if example:  # by construction one the BiLSTM gets and the n-gram misses
        wins += (
            " The n-gram sees two words on each side; the LSTMs read the whole "
            f"sentence. In “{escape_markdown(example['sentence'])}” the BiLSTM's "
            f"first guess is **{escape_markdown(example['answer'])}** "
            f"({_pct(example['answer_probability'])}). Hide "
            f"“{escape_markdown(example['deciding_word'])}”, "
            f"{example['words_away']} words from the blank, and that falls to "
            f"{_pct(example['probability_without_it'])}. The n-gram's five "
            "guesses: "
            + ", ".join(escape_markdown(w) for w in example["ngram_top5"])
            + "."
        )
    if wins:
        text += "\n\n**Where the BiLSTM wins: context further away.**" + wins
    return text


def race_panel(bench: dict) -> None:
    if not all(domain in bench for domain in ("bbc", "everyday")):
        st.info(
            "This model's benchmark is not stored in its checkpoint: run "
            "`python -m engine bench fill-blank --json b.json`, then "
            "`python tools/store_bench.py fill-blank b.json`."
        )
        return
    st.markdown(
        "The benchmark hides one word in each held-out test sentence and asks both "
        "models for it. The **n-gram** baseline scores every word by how often it "
        "sat between the two words on each side in the same training text."
    )
    table = race_table(bench)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            name: st.column_config.NumberColumn(format="percent")
            for name in table.columns
            if "top" in name
        },
    )
    st.caption(
        "Look at the top-1 columns: the share of blanks each model fills with the "
        "hidden word at its first guess."
    )
    st.markdown(race_text(bench))


def training_caption(bench: dict) -> str:
    """What the model was trained on, with each source's share of sentences."""
    counts = bench.get("train_sentences")
    if not counts:
        return "trained on BBC News sentences and everyday English"
    total = sum(counts.values())
    parts = [
        f"{SOURCE_NAMES[domain]} ({counts[domain] / total:.0%})"
        for domain in SOURCE_NAMES
        if domain in counts
    ]
    return f"trained on {total:,} sentences: " + ", ".join(parts)
