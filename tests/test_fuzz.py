"""Fuzz every engine predict entry point with hostile text (hypothesis).

Learners type anything: arbitrary unicode, control characters, emoji, right-to-left
text, HTML, 50,000 characters. Whatever they type, only the engine's own
`EngineError` (with a short message) or a normal, JSON-ready result may come out.

The fuzz loop calls the reader objects the pages use, loaded once from the
shipped checkpoints (each task's `predict` reloads its checkpoint on every call);
`Task.predict` itself, the CLI path, is called with a list of nasty texts.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

import pytest
import torch
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from engine.checkpoints import default_path
from engine.errors import EngineError
from engine.tasks import all_tasks
from engine.train import one_thread

HUGE = 50_000  # characters: a pasted book
MAX_MESSAGE = 500  # characters: an error message is a sentence or two, not an echo

Entry = Callable[[str, int], object]  # (text, k) -> a JSON-ready result

# ---------------------------------------------------------------- hostile texts
NASTY_PIECES = (
    "\x00",
    "\x1b[31m",
    "\x7f\x85\x9f",
    "\u200b\u200c\u200d\u2060\ufeff",  # zero-width
    "\u202e\u202d\u2066",  # bidi overrides
    "مرحبا بالعالم",
    "שלום עולם",
    "😀👍🏽👩‍👩‍👧🇬🇧",
    "<script>alert('x')</script>",
    "<b>good</b>",
    "&amp; &lt;bad&gt; &#0; &#x110000; &nbsp;",
    "___",
    "_____",
    "1234567890",
    "3.14 1,000,000",
    " \t\n\r\u3000\u00a0\u2028",
    "\ufdfa",  # NFKC turns this one character into 18
    "İ ß ẞ ﬃ",  # casefold and NFKC change their length
    "a\u0301\u0301\u0301",
    "\U0010ffff\ue000",
    "@united http://t.co/x #hashtag RT",
)
NASTY_TEXTS = [
    "",
    " ",
    "\t\n\r \u3000",
    "\x00",
    "___",
    "___ ___ ___",
    "<script>alert(1)</script>",
    "😀" * 20,
    "\u200b" * 20,
    "مرحبا",
    "1 2 3",
    "the cat sat on the ___ .",
    "x" * HUGE,
    "the ___ " * (HUGE // 8),
]
# one good input per task, so the CLI path also gets past input checking
GOOD_TEXTS = [
    "The cat sat on the ___.",
    "c i k j l",
    "c a b",
    "three hundred and five",
    "/".join(["..####..", ".#....#."] * 4),  # the CLI's one-line drawing
]
ENGLISH = (
    "the a cat sat on mat not very good bad love hate said government people "
    "film food was is and but . , ! ? ' don't it's"
).split()
RANKS = st.one_of(st.integers(1, 10), st.integers(-(10**9), 10**9))


def _repeated(sample: str) -> str:
    """A sample repeated to HUGE characters."""
    sample = sample or "\x00"
    return (sample * (HUGE // len(sample) + 1))[:HUGE]


def _insert(text: str, piece: str, at: int) -> str:
    at %= len(text) + 1
    return text[:at] + piece + text[at:]


def _joined(parts: SearchStrategy[list[str]], separators: str) -> SearchStrategy[str]:
    return st.builds(lambda ps, sep: sep.join(ps), parts, st.sampled_from(separators))


def blend(*strategies: SearchStrategy[str]) -> SearchStrategy[str]:
    """Each strategy equally often (st.one_of would flatten nested one_ofs and
    let the one with most branches win)."""
    return st.sampled_from(strategies).flatmap(lambda strategy: strategy)


def near_miss(valid: SearchStrategy[str]) -> SearchStrategy[str]:
    """A valid input with a stray character or nasty piece slipped in."""
    stray = st.one_of(st.text(min_size=1, max_size=3), st.sampled_from(NASTY_PIECES))
    return st.builds(_insert, valid, stray, st.integers(0, 10**6))


def hostile_text(words: Sequence[str] = ENGLISH) -> SearchStrategy[str]:
    """Any unicode, nasty pieces and the task's own words mixed, or all of it
    repeated to 50,000 characters."""
    piece = st.one_of(
        st.text(max_size=20),  # every code point but surrogates, controls included
        st.sampled_from(NASTY_PIECES),
        st.sampled_from(words),
    )
    mixed = _joined(st.lists(piece, max_size=25), [" ", "", "\n", ",", "-", "/"])
    return blend(mixed, st.text(), st.sampled_from(NASTY_TEXTS), mixed.map(_repeated))


def sentences() -> SearchStrategy[str]:
    return st.lists(st.sampled_from(ENGLISH), min_size=1, max_size=40).map(" ".join)


def with_blank(texts: SearchStrategy[str]) -> SearchStrategy[str]:
    marks = st.sampled_from([" ___ ", "___", " _____ ", " ___ ___ "])
    return st.builds(_insert, texts, marks, st.integers(0, 10**6))


def blanked_texts() -> SearchStrategy[str]:
    """Sentences with blanks (the fill-in path), near misses and hostile text."""
    return blend(
        with_blank(sentences()),
        with_blank(near_miss(sentences())),
        with_blank(hostile_text()),
        hostile_text(),
    )


def drawings() -> SearchStrategy[str]:
    """8 rows of up to 8 ink cells (padded, indented, with blank lines), near
    misses and hostile text."""
    row = st.text(st.sampled_from("#@+o. -"), max_size=8)
    rows = st.lists(row, min_size=8, max_size=8)
    framed = st.builds(
        lambda lines, indent, before, after: (
            before + "\n".join(indent + line for line in lines) + after
        ),
        rows,
        st.sampled_from(["", "\t", "\t\t", "  "]),
        st.sampled_from(["", "\n", "\n\n"]),
        st.sampled_from(["", "\n", "\n  \n", "\r\n"]),
    )
    wrong_size = _joined(st.lists(st.text("#+. ", max_size=11), max_size=12), "\n")
    return blend(
        framed, framed, near_miss(framed), wrong_size, hostile_text(["#", "+", "."])
    )


def spelled_values() -> SearchStrategy[str]:
    """Real spelled numbers and dates, near misses, word soup and hostile text."""
    from engine.spelled import FIRST_DAY, LAST_DAY, MAX_NUMBER, WORDS, spell

    value = st.one_of(st.integers(0, MAX_NUMBER), st.dates(FIRST_DAY, LAST_DAY))
    spelled = st.builds(
        lambda v, seed: " ".join(spell(v, random.Random(seed))), value, st.integers()
    )
    known = sorted(WORDS) + ["million", "-", ","]
    soup = st.lists(st.sampled_from(known), min_size=1, max_size=25).map(" ".join)
    return blend(spelled, spelled, near_miss(spelled), soup, hostile_text(known))


def letters(answers: str, distractors: str = "") -> SearchStrategy[str]:
    """A letter to remember then distractors (sometimes too many), near misses,
    letter soup and hostile text."""
    rest = st.lists(st.sampled_from(distractors or answers), max_size=250)
    sequence = st.builds(lambda a, r: [a, *r], st.sampled_from(answers), rest)
    valid = _joined(sequence, ["", " ", ",", "\n", " ; "])
    soup = _joined(st.lists(st.sampled_from(answers + distractors)), ["", " "])
    return blend(valid, valid, near_miss(valid), soup, hostile_text(list(answers)))


# ----------------------------------------------------------- the readers, per task
def _trace(model, vocab) -> Entry:
    """Step through time (engine.step_through) with one language model."""
    from engine.step_through import trace_language_model

    def run(text: str, k: int) -> dict:
        trace = trace_language_model(model, vocab, text, k)
        return {
            "tokens": trace.tokens,
            "next_words": trace.next_words,
            "h": [layer.tolist() for layer in trace.h],
            "gates": [
                {n: g.tolist() for n, g in layer.items()} for layer in trace.gates
            ],
        }

    return run


def _demo() -> dict[str, Entry]:
    from engine.tasks import demo

    model, checkpoint = demo.load_model(default_path(demo.NAME))
    return {"recall": lambda text, k: demo.recall(model, checkpoint.vocab, text, k)}


def _next_word() -> dict[str, Entry]:
    from engine.keyboard import LSTMKeyboard
    from engine.tasks import next_word

    model, checkpoint = next_word.load_model(default_path(next_word.NAME))
    keyboard = LSTMKeyboard(model, checkpoint.vocab)
    return {
        "suggest": lambda text, k: [asdict(s) for s in keyboard.suggest(text, k)],
        "step_through": _trace(model, checkpoint.vocab),
    }


def _sentiment() -> dict[str, Entry]:
    from engine.sentiment import SentimentReader
    from engine.tasks import sentiment

    path = default_path(sentiment.NAME)
    uni = SentimentReader.load(path)
    bi = SentimentReader.load(sentiment.bi_path(path))

    def read(reader: SentimentReader) -> Entry:
        def run(text: str, k: int) -> dict:
            reading = reader.read(text, steps=True)
            return asdict(reading) | {
                "contributions": reader.word_contributions(reading.words)
            }

        return run

    return {
        "lstm": read(uni),
        "bilstm": read(bi),
        "batch": lambda text, k: uni.probabilities([text, text]).tolist(),
    }


def _fill_blank() -> dict[str, Entry]:
    from engine.tasks import fill_blank

    reader = fill_blank.load_reader(default_path(fill_blank.NAME))

    def run(text: str, k: int) -> dict:
        filling = reader.fill(text, k, states=True)
        for step in filling.steps:
            assert torch.isfinite(step.forward_states).all()
            assert torch.isfinite(step.backward_states).all()
        return {
            "filled": filling.filled,
            "steps": [
                {
                    view: [asdict(c) for c in step.ranked(view)]
                    for view in fill_blank.VIEWS
                }
                for step in filling.steps
            ],
            "unknown": filling.unknown,
            "notes": filling.notes,
        }

    return {"fill": run}


def _tiny_rnn() -> dict[str, Entry]:
    from engine.tasks import tiny_rnn

    model, checkpoint = tiny_rnn.load_model(default_path(tiny_rnn.NAME))

    def arithmetic(text: str, k: int) -> list:
        steps = tiny_rnn.arithmetic(model, checkpoint.vocab, text, k)
        return [[s.word, s.h.tolist(), s.next_words] for s in steps]

    return {
        "arithmetic": arithmetic,
        "step_through": _trace(model, checkpoint.vocab),
    }


def _digits() -> dict[str, Entry]:
    from engine.digits import load_digit_classifier, parse_drawing

    classifier = load_digit_classifier(default_path("digits"))
    return {
        "classify": lambda text, k: classifier.classify(parse_drawing(text)),
        "hidden": lambda text, k: classifier.hidden(parse_drawing(text)),
    }


def _digit_spelling() -> dict[str, Entry]:
    from engine.digits import load_digit_speller, parse_drawing

    speller = load_digit_speller(default_path("digit-spelling"))
    return {"spell": lambda text, k: speller.spell(parse_drawing(text), k).to_dict()}


def _dates() -> dict[str, Entry]:
    from engine.tasks import dates

    translator = dates.load_translator(default_path(dates.NAME))
    return {"translate": lambda text, k: translator.translate(text, k).to_dict()}


def _cells() -> dict[str, Entry]:
    from engine.cell_comparison import NAME, NEXT_WORD, load_comparison, recall

    comparison = load_comparison(default_path(NAME))
    return {
        "recall": lambda text, k: recall(comparison, text, k),
        "step_through": _trace(
            comparison.model(NEXT_WORD, "gru"), comparison.word_vocab
        ),
    }


def _topic() -> dict[str, Entry]:
    from engine.topic import load_topic_reader

    reader = load_topic_reader(default_path("topic"))
    return {"read": lambda text, k: reader.read(text).to_dict()}


def _truecase() -> dict[str, Entry]:
    from engine.truecase import load_truecaser

    truecaser = load_truecaser(default_path("truecase"))
    return {"restore": lambda text, k: truecaser.restore(text).to_dict()}


@dataclass(frozen=True)
class FuzzTarget:
    """How to fuzz one task: its readers (loaded once) and the texts to try."""

    load: Callable[[], dict[str, Entry]]  # entry name -> (text, k) -> result
    texts: SearchStrategy[str]
    examples: int = 100  # hypothesis examples: keep the whole file near a minute


# Every registered task needs one: a new task without a fuzz target fails below.
FUZZ_TARGETS: dict[str, FuzzTarget] = {
    "demo": FuzzTarget(_demo, letters("abcdef"), 150),
    "next-word": FuzzTarget(_next_word, hostile_text(), 80),
    "sentiment": FuzzTarget(_sentiment, hostile_text(), 60),
    "fill-blank": FuzzTarget(_fill_blank, blanked_texts(), 80),
    "tiny-rnn": FuzzTarget(_tiny_rnn, hostile_text(), 100),
    "digits": FuzzTarget(_digits, drawings(), 200),
    "digit-spelling": FuzzTarget(_digit_spelling, drawings(), 200),
    "dates": FuzzTarget(_dates, spelled_values(), 200),
    "cells": FuzzTarget(_cells, letters("abcdefgh", "ijkl"), 100),
    "topic": FuzzTarget(_topic, hostile_text(), 60),
    "truecase": FuzzTarget(_truecase, hostile_text(), 60),
}
REGISTERED = all_tasks()
FUZZED = sorted(set(REGISTERED) & set(FUZZ_TARGETS))


@pytest.fixture(scope="module", autouse=True)
def single_thread():
    with one_thread():  # the machine is shared, as the app's server is
        yield


@pytest.fixture(scope="module")
def readers() -> Callable[[str], dict[str, Entry]]:
    """Each task's readers, loaded from its shipped checkpoint on first use."""
    loaded: dict[str, dict[str, Entry]] = {}

    def get(name: str) -> dict[str, Entry]:
        if name not in loaded:
            loaded[name] = FUZZ_TARGETS[name].load()
        return loaded[name]

    return get


def assert_clean(call: Callable[[], object]) -> None:
    """`call` gives a JSON-ready result or an EngineError with a short message;
    any other exception propagates and fails the test."""
    try:
        result = call()
    except EngineError as error:
        message = str(error)
        assert message.strip(), "an EngineError needs a message saying what to do"
        assert len(message) <= MAX_MESSAGE, f"message too long: {message[:200]}..."
        return
    # allow_nan=False: a NaN or infinity would print as invalid JSON
    json.dumps(result, ensure_ascii=False, allow_nan=False)


def test_every_registered_task_has_a_fuzz_target():
    missing = sorted(set(REGISTERED) - set(FUZZ_TARGETS))
    assert not missing, (
        f"Registered task(s) {missing} have no fuzz target: add one to FUZZ_TARGETS "
        "in tests/test_fuzz.py (load the task's readers, pick a text strategy)."
    )


@pytest.mark.parametrize("name", FUZZED)
def test_only_engine_errors_come_out(name, readers):
    target = FUZZ_TARGETS[name]
    entries = readers(name)

    @settings(
        max_examples=target.examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(text=target.texts, k=RANKS)
    def fuzz(text: str, k: int) -> None:
        for entry_name, entry in entries.items():
            note(f"entry: {name} {entry_name}")
            assert_clean(lambda entry=entry: entry(text, k))

    fuzz()


@pytest.mark.parametrize("name", FUZZED)
def test_task_predict_takes_nasty_texts(name):
    """The CLI path: Task.predict with every nasty text, odd k too."""
    task, path = REGISTERED[name], default_path(name)
    extra = {"steps": True} if name == "sentiment" else {}
    for k in (3, 0, -5, -(10**9)):
        assert_clean(
            lambda k=k: task.predict(NASTY_TEXTS + GOOD_TEXTS, path, k, **extra)
        )
    # tasks that refuse a whole list for one bad text: each text on its own too
    for text in NASTY_TEXTS + GOOD_TEXTS:
        assert_clean(lambda text=text: task.predict([text], path, 10**6, **extra))
    for text in GOOD_TEXTS:  # past input checking, a k out of range still works
        assert_clean(lambda text=text: task.predict([text], path, -(10**9), **extra))


def test_fuzz_strategies_reach_the_models(readers):
    """The strategies are not all junk: typical draws get past input checking."""
    good = {
        "demo": "c a f b",
        "digits": "\n".join(["..####..", ".#....#."] * 4),
        "dates": "the third of march nineteen ninety nine",
        "cells": "c i k j l",
        "fill-blank": "the cat sat on the ___ .",
    }
    for name, text in good.items():
        if name in FUZZED:
            for entry in readers(name).values():
                assert entry(text, 3) is not None
