"""Small reusable pieces of page layout."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from engine.trainer_slots import MAX_TRAINERS, trainer_slot

MAX_TEXT_CHARS = 5_000  # longer pastes are cut so a page stays instant


_MARKDOWN_SPECIALS = "\\`*_{}[]<>()#+-.!|$~:"


def escape_markdown(text: str) -> str:
    """Text to show inside st.markdown / st.caption exactly as written: no bold
    from "**", no maths from "$", no colour from ":red[...]", no links."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIALS else c for c in text)


def clipped_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """The text, cut to `limit` characters with a friendly note when it is longer."""
    if len(text) > limit:
        st.info(
            f"That text has {len(text):,} characters; only the first {limit:,} "
            "are used here."
        )
        return text[:limit]
    return text


def _cut_key(key: str) -> str:
    return f"{key}__cut_from"


def _cut_to_limit(key: str, limit: int) -> None:
    """on_change of a limited box: runs before the rerun, so it may shorten it."""
    text = st.session_state.get(key) or ""
    if len(text) > limit:
        st.session_state[key] = text[:limit]
        st.session_state[_cut_key(key)] = len(text)


def limited_text(
    widget, label: str, *args, key: str, limit: int, in_form: bool = False, **kwargs
) -> str:
    """A text box (st.text_input or st.text_area) that keeps at most `limit`
    characters: a longer paste is cut to the limit, and the learner is told.

    Streamlit's own `max_chars` makes the box refuse a longer paste in silence
    (the old text stays), so the limit is applied here instead. Inside a form
    (no callbacks allowed there) the text read is cut; the box keeps the paste.
    """
    if not in_form:
        kwargs |= {"on_change": _cut_to_limit, "args": (key, limit)}
    text = widget(label, *args, key=key, **kwargs)
    cut_from = st.session_state.pop(_cut_key(key), None)
    if cut_from is None and len(text or "") > limit:  # e.g. a long shared link
        cut_from = len(text)
    if cut_from is not None:
        st.info(
            f"Your text had {cut_from:,} characters; this box keeps the first "
            f"{limit:,}, so it was cut there.",
            icon=":material/content_cut:",
        )
    return (text or "")[:limit]


def page_cards(pages, columns: int = 2) -> None:
    """One bordered card per page: title link and a sentence on what it shows."""
    cols = st.columns(columns)
    for i, page in enumerate(pages):
        with cols[i % columns].container(border=True):
            st.page_link(page.path, label=page.title, icon=page.icon)
            st.caption(page.blurb)


def live_text_box(
    key: str,
    example_key: str,
    label: str,
    default: str,
    examples: list[str],
    placeholder: str,
    max_chars: int,
) -> str:
    """Example chips (state under `example_key`) above a text box (under `key`)
    that updates on every keystroke; a chip fills the box."""

    def use_example() -> None:  # runs before the rerun, so it may fill the box
        example = st.session_state.get(example_key)
        if example:
            st.session_state[key] = example

    st.session_state.setdefault(key, default)
    st.pills(
        "Try one",
        examples,
        key=example_key,
        on_change=use_example,
        label_visibility="collapsed",
    )
    return limited_text(
        st.text_input,
        label,
        key=key,
        limit=max_chars,
        bind="query-params",
        live=True,
        placeholder=placeholder,
    )


def tapped_example(example_key: str, text_key: str) -> str | None:
    """The example chip last tapped, while its text is still in the box: the page
    then answers the question it asked before the tap. None once the learner has
    typed something else."""
    chosen = st.session_state.get(example_key)
    return chosen if chosen and st.session_state.get(text_key) == chosen else None


def guess_prompt(question: str, then: str) -> str:
    """Predict first: the question a chip or preset asks before the learner taps."""
    return f"**Guess first:** {question} {then}"


def guess_answer(question: str, answer: str) -> str:
    """After the tap: the same question, beside the model's computed answer."""
    return f"{question} You guessed? {answer}"


class Every:
    """Says yes at most once every `seconds`: live trainings redraw their progress
    bar and chart through it. Every redraw is a message that the server's one
    event loop sends for all learners; a bar redrawn at every step (hundreds a
    second) held up everybody's pages under the classroom load test."""

    def __init__(self, seconds: float) -> None:
        self.seconds, self.last = seconds, float("-inf")

    def __call__(self, force: bool = False) -> bool:
        now = time.monotonic()
        if force or now - self.last >= self.seconds:
            self.last = now
            return True
        return False


PROGRESS_EVERY_S = 0.25  # a smooth enough bar
CHART_EVERY_S = 1.0  # a live chart (a whole Vega-Lite spec each time)


@contextmanager
def free_trainer() -> Iterator[None]:
    """Run a live training in one of the server's few trainer slots, telling the
    learner while they wait in the queue (TrainersBusy if it takes too long)."""
    notice = st.empty()

    def on_wait(waiting: int) -> None:
        notice.info(
            f"Waiting for a free trainer: {MAX_TRAINERS} learners are training "
            f"right now and you are number {waiting} in the queue. Your training "
            "starts by itself as soon as one finishes.",
            icon=":material/hourglass_top:",
        )

    with trainer_slot(on_wait):
        notice.empty()
        yield


def lazy_tabs(labels: list[str], key: str):
    """Tabs of which only the open one runs: returns (its label, its container).

    Drawing every tab on every rerun would compute charts nobody sees; with many
    learners on one server that time adds up. The open tab is kept in the URL.
    """
    tabs = st.tabs(labels, key=key, bind="query-params", on_change="rerun")
    for label, tab in zip(labels, tabs, strict=True):
        if tab.open:
            return label, tab
    return labels[0], tabs[0]
