"""Tests of the dates task: the spelled-number generator and its exact reader,
the encoder-decoder, the translator's bad inputs and the shipped model."""

import random
from datetime import date, timedelta

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from engine.checkpoints import default_path
from engine.errors import CheckpointError, InputError
from engine.seq2seq import EncoderDecoder, Seq2SeqConfig, source_batch
from engine.spelled import (
    FIRST_DAY,
    LAST_DAY,
    MAX_NUMBER,
    WORDS,
    parse_spelled,
    parse_words,
    sample_pairs,
    spell,
    split_of,
)
from engine.tasks import dates

SHIPPED = default_path("dates")


@pytest.fixture(scope="module")
def translator():
    return dates.load_translator(SHIPPED)


@pytest.fixture(scope="module")
def quick_checkpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("dates") / "dates.pt"
    metrics = dates.train(quick=True, out=path)
    assert metrics["quick"] is True
    return path


# ------------------------------------------------------------ generator and reader
@given(st.integers(0, MAX_NUMBER), st.integers(0, 10**6))
def test_every_spelled_number_reads_back(n, seed):
    assert parse_words(spell(n, random.Random(seed))) == n


@given(st.dates(FIRST_DAY, LAST_DAY), st.integers(0, 10**6))
def test_every_spelled_date_reads_back(day, seed):
    assert parse_words(spell(day, random.Random(seed))) == day


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("twenty seven november twenty twenty six", date(2026, 11, 27)),
        ("the third of march nineteen ninety nine", date(1999, 3, 3)),
        ("november the twenty seventh two thousand and twenty six", date(2026, 11, 27)),
        ("first january nineteen oh five", date(1905, 1, 1)),
        ("may twenty one twenty twenty one", date(2021, 5, 21)),
        ("the twenty ninth of february two thousand", date(2000, 2, 29)),
        ("three hundred and five", 305),
        ("three hundred five", 305),
        ("twelve thousand four hundred", 12400),
        ("a hundred and one", 101),
        ("one thousand and five", 1005),
        ("fifteen hundred and twenty", 1520),
        ("zero", 0),
        ("Twenty-Seven November, twenty twenty-six.", date(2026, 11, 27)),
    ],
)
def test_the_reader_reads_british_numbers_and_dates(text, value):
    assert parse_spelled(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "twenty ninth of february nineteen hundred",  # 1900 was not a leap year
        "twenty ninth of february twenty twenty three",
        "thirty first of april two thousand",
        "first of january eighteen ninety nine",  # before 1900
        "november the third",  # no year
        "nineteen ninety nine",  # a year alone
        "five three",
        "one hundred and",
    ],
)
def test_the_reader_refuses_what_is_not_a_number_or_date(text):
    with pytest.raises(InputError):
        parse_spelled(text)


def test_generated_pairs_come_from_one_split_and_test_values_never_train():
    train = sample_pairs("train", 3000, seed=1)
    test = sample_pairs("test", 600, seed=3, distinct=True)
    assert len({text for text, _ in test}) == len(test)
    assert not {answer for _, answer in train} & {answer for _, answer in test}
    assert all(split_of(int(a)) == "test" for _, a in test if "-" not in a)
    assert sample_pairs("train", 50, seed=1) == train[:50]  # seeded


def test_leap_days_are_generated_only_in_leap_years():
    days = [FIRST_DAY + timedelta(days=i) for i in range(0, 73_000, 7)]
    pairs = [" ".join(spell(d, random.Random(i))) for i, d in enumerate(days)]
    assert all(parse_spelled(text) in days for text in pairs)


# ----------------------------------------------------------------------- the model
def test_padding_does_not_change_what_the_encoder_passes_on():
    torch.manual_seed(0)
    vocab = dates.word_vocab()
    model = EncoderDecoder(Seq2SeqConfig(source_size=len(vocab), hidden_size=8))
    short, long = ["forty", "two"], "three hundred and five thousand".split()
    alone = model.encode(*source_batch([short], vocab))
    padded = model.encode(*source_batch([short, long], vocab))
    assert torch.allclose(alone[:, 0], padded[:, 0], atol=1e-6)


def test_quick_training_gives_a_checkpoint_that_predicts_and_benches(
    quick_checkpoint,
):
    [result, refused] = dates.predict(
        ["forty two", "one million"], quick_checkpoint, k=2
    )
    assert result["expected"] == "42" and result["kind"] == "number"
    assert len(result["output"]) <= 12
    assert all(len(step["alternatives"]) <= 2 for step in result["steps"])
    assert "999,999" in refused["error"]
    report = dates.bench(True, quick_checkpoint)
    for key in ("accuracy", "baseline", "baseline_name", "n_test", "predict_p95_ms"):
        assert key in report
    assert report["test_answers_seen_in_training"] == 0
    assert report["parameters"] > 0 and report["checkpoint_kb"] > 0


def test_a_damaged_checkpoint_is_a_checkpoint_error(tmp_path):
    path = tmp_path / "dates.pt"
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError):
        dates.load_translator(path)
    with pytest.raises(CheckpointError):
        dates.load_translator(tmp_path / "missing.pt")


# -------------------------------------------------------------- the shipped model
def test_shipped_model_meets_its_target_on_held_out_numbers_and_dates(translator):
    assert SHIPPED.stat().st_size < 2 * 2**20
    parts = dates.test_pairs(quick=True)
    assert dates.exact_match(translator, parts["numbers"]) >= 0.95
    assert dates.exact_match(translator, parts["dates"]) >= 0.95


@pytest.mark.parametrize("text", dates.EXAMPLES)
def test_shipped_model_gets_the_page_examples_right(translator, text):
    result = translator.translate(text)
    assert result.correct, (text, result.output, result.expected)
    assert "".join(step.char for step in result.steps[:-1]) == result.output
    assert result.steps[-1].char == "<eos>" and result.stopped == "eos"
    for step in result.steps:
        assert 0 < step.probability <= 1
        assert 1 <= len(step.alternatives) <= 3
        assert step.char not in [char for char, _ in step.alternatives]
    assert result.kind == ("date" if "-" in result.expected else "number")
    assert len(result.encoder_state) == translator.model.config.hidden_size


def test_hyphens_commas_and_capitals_are_read_as_plain_words(translator):
    plain = translator.translate("twenty seven november twenty twenty six")
    fancy = translator.translate("Twenty-seven November, twenty twenty\u2013six")
    assert fancy.words == plain.words and fancy.output == plain.output


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "for example"),
        ("   ", "for example"),
        ("\U0001f389\U0001f389", "only words"),
        ("<b>five</b>", "only words"),
        ("x" * 50_000, "at most"),
        ("one million", "999,999"),
        ("a billion", "999,999"),
        ("thirty first of february twenty twenty", "29 days"),
        ("forty two bananas", "'bananas'"),
        ("305", "digits"),
        ("five three", "not a number"),
        ("november", "Add the day"),
        ("first of january twenty one hundred", "1900 to 2099"),
        ("one " * 30, "at most 11"),
    ],
)
def test_bad_input_is_an_input_error_that_says_what_to_do(translator, text, hint):
    with pytest.raises(InputError, match=hint):
        translator.translate(text)


@given(
    st.text(max_size=80)
    | st.lists(st.sampled_from(sorted(WORDS) + ["-", ","]), max_size=14).map(" ".join)
)
def test_any_text_gives_an_answer_or_an_input_error(translator, text):
    try:
        result = translator.translate(text)
    except InputError:
        return
    assert len(result.output) <= 12 and result.expected
