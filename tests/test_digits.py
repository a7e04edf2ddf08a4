"""The 8x8 digits tasks: the data and its split, typed drawings, the one-step
classifier (one-to-one), the speller (one-to-many) and the shipped checkpoints."""

import gzip
from pathlib import Path

import numpy as np
import pytest
import sklearn
import torch
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import load_digits as sklearn_load_digits

from engine.checkpoints import default_path
from engine.digits import (
    DATA_FILE,
    DIGIT_NAMES,
    EXAMPLE_DRAWINGS,
    MAX_LETTERS,
    ClassifierConfig,
    DigitSpeller,
    OneStepClassifier,
    SpellerConfig,
    SpellingDecoder,
    digit_split,
    drawing_of,
    letter_vocab,
    load_digit_classifier,
    load_digit_speller,
    load_digits,
    parse_drawing,
    test_examples,
)
from engine.errors import CheckpointError, InputError
from engine.tasks.digits import TASK_DIGITS, TASK_SPELLING

REQUIRED_BENCH_KEYS = {
    "accuracy",
    "baseline",
    "baseline_name",
    "n_test",
    "predict_p95_ms",
    "parameters",
    "checkpoint_kb",
}


@pytest.fixture(scope="module")
def quick_checkpoints(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("digits")
    paths = {}
    for task in (TASK_DIGITS, TASK_SPELLING):
        paths[task.name] = folder / f"{task.name}.pt"
        task.train(True, paths[task.name])
    return paths


@pytest.fixture(scope="module")
def classifier():
    return load_digit_classifier(default_path("digits"))


@pytest.fixture(scope="module")
def speller():
    return load_digit_speller(default_path("digit-spelling"))


# ---------------------------------------------------------------- data


def test_data_file_is_scikit_learns_byte_for_byte():
    original = Path(sklearn.__file__).parent / "datasets" / "data" / "digits.csv.gz"
    assert DATA_FILE.read_bytes() == original.read_bytes()
    assert gzip.decompress(DATA_FILE.read_bytes()).count(b"\n") == 1797


def test_loader_gives_exactly_what_sklearn_gives():
    images, labels = load_digits()
    reference = sklearn_load_digits()
    assert np.array_equal(images, reference.images)
    assert np.array_equal(images.reshape(-1, 64), reference.data)
    assert np.array_equal(labels, reference.target)


def test_split_is_disjoint_complete_stratified_and_fixed():
    split = digit_split()
    parts = [set(split.train), set(split.valid), set(split.test)]
    assert sum(map(len, parts)) == len(set().union(*parts)) == 1797
    _, test_labels = split.part("test")
    _, all_labels = load_digits()
    for digit in range(10):  # 15 % of every digit, give or take rounding
        share = (test_labels == digit).sum() / (all_labels == digit).sum()
        assert abs(share - 0.15) < 0.01
    digit_split.cache_clear()
    assert digit_split().fingerprints() == split.fingerprints()


def test_test_examples_come_from_the_test_split_and_repeat_by_seed():
    examples = test_examples(5, seed=3)
    test_images, test_labels = digit_split().part("test")
    for image, label in examples:
        match = np.flatnonzero((test_images == image).all(axis=(1, 2)))
        assert label in test_labels[match]
    again = test_examples(5, seed=3)
    assert all(np.array_equal(a[0], b[0]) for a, b in zip(examples, again, strict=True))
    for bad in (0, -1, 10_000, 2.5):
        with pytest.raises(InputError):
            test_examples(bad)


# ---------------------------------------------------------------- drawings


def test_drawing_characters_and_forgiven_layout():
    image = parse_drawing("\n\n" + "@o-\t \n" * 7 + "#+. \t\n\n")
    assert image.shape == (8, 8)
    assert list(image[0, :4]) == [16, 8, 0, 0] and not image[0, 4:].any()
    assert list(image[7, :3]) == [16, 8, 0]
    assert np.array_equal(
        parse_drawing("\t..##\r\n" * 8), parse_drawing("..##....\n" * 8)
    )
    # a row of spaces at the top is paper, not a blank line to drop
    spaced = parse_drawing("        \n" + "...##...\n" * 7)
    assert not spaced[0].any() and spaced[1:, 3:5].all()


def test_drawing_round_trip_and_examples():
    for text in EXAMPLE_DRAWINGS.values():
        assert drawing_of(parse_drawing(text)) == text
    image, _ = test_examples(1, seed=0)[0]
    quantized = parse_drawing(drawing_of(image))
    assert np.abs(quantized - image).max() <= 4


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n \n",
        "........\n" * 8,
        "#" * 50_000,
        "...##...\n" * 7,
        "...##...\n" * 9 + "...",
        "...##....\n" * 8,
        "...😀...\n" * 8,
        "<b>hi</b>\n" * 8,
        "...##...\n" * 7 + "...XX...",
        "seven",
    ],
)
def test_bad_drawings_are_refused_with_the_format(text):
    with pytest.raises(InputError, match="8 lines of 8 characters|pixel"):
        parse_drawing(text)


@given(st.text(max_size=300))
def test_any_text_gives_an_image_or_input_error(text):
    try:
        image = parse_drawing(text)
    except InputError:
        return
    assert image.shape == (8, 8) and set(np.unique(image)) <= {0.0, 8.0, 16.0}


@pytest.mark.parametrize(
    "image",
    [
        np.zeros(63),
        np.full((8, 8), 17.0),
        np.full((8, 8), -1.0),
        np.full((8, 8), np.nan),
        "no image",
        [[1, 2], [3]],
        None,
    ],
)
def test_bad_images_are_refused(image, classifier, speller):
    with pytest.raises(InputError):
        classifier.classify(image)
    with pytest.raises(InputError):
        speller.spell(image)


# ---------------------------------------------------------------- models


def test_the_one_step_loop_never_turns():
    """h_0 = 0, so the recurrent weights W_hh cannot change the answer."""
    torch.manual_seed(0)
    model = OneStepClassifier(ClassifierConfig(hidden_size=8))
    images = torch.rand(4, 8, 8) * 16
    before = model(images)[0]
    with torch.no_grad():
        model.rnn.weight_hh_l0.normal_()
    assert torch.equal(model(images)[0], before)


def test_greedy_spelling_feeds_back_its_own_letters(speller):
    image, _ = test_examples(1, seed=1)[0]
    spelling = speller.spell(image)
    letters = [step.letter for step in spelling.steps]
    vocab = speller.vocab
    inputs = torch.tensor([[vocab.eos_id] + vocab.encode(letters[:-1])])
    with torch.no_grad():  # teacher forcing with its own letters: the same choices
        logits, _ = speller.model(torch.tensor(image[None]), inputs)
    assert vocab.decode(logits[0].argmax(1).tolist()) == letters


def test_spelling_stops_at_eos_or_at_the_letter_cap():
    torch.manual_seed(0)
    vocab = letter_vocab()
    model = SpellingDecoder(SpellerConfig(vocab_size=len(vocab), hidden_size=8))
    with torch.no_grad():
        model.head.bias[vocab.stoi["e"]] = 100.0  # it only ever wants to write "e"
    spelling = DigitSpeller(model, vocab, {}).spell(np.zeros((8, 8)))
    assert spelling.word == "e" * MAX_LETTERS and not spelling.finished
    assert spelling.digit is None and len(spelling.steps) == MAX_LETTERS


# ---------------------------------------------------------------- tasks


def test_quick_training_makes_checkpoints_that_predict_and_bench(quick_checkpoints):
    drawing = EXAMPLE_DRAWINGS["7"].replace("\n", "/")
    for task in (TASK_DIGITS, TASK_SPELLING):
        path = quick_checkpoints[task.name]
        (result,) = task.predict([drawing], path, 3)
        assert result["drawing"] == drawing
        report = task.bench(True, path)
        assert REQUIRED_BENCH_KEYS <= set(report)
        assert report["trained_metrics"]["quick"] is True
        with pytest.raises(InputError):
            task.predict(["<script>"], path, 3)


def test_missing_or_corrupt_checkpoints_are_checkpoint_errors(tmp_path):
    junk = tmp_path / "junk.pt"
    junk.write_bytes(b"not a checkpoint")
    for path in (junk, tmp_path / "missing.pt"):
        with pytest.raises(CheckpointError):
            load_digit_classifier(path)
        with pytest.raises(CheckpointError):
            load_digit_speller(path)


# ---------------------------------------------------------------- shipped models


def test_shipped_classifier_meets_its_target():
    report = TASK_DIGITS.bench(True, default_path("digits"))
    assert report["accuracy"] >= 0.95 and report["baseline"] < 0.15
    assert report["checkpoint_kb"] < 2048


def test_shipped_speller_meets_its_target():
    report = TASK_SPELLING.bench(True, default_path("digit-spelling"))
    assert report["accuracy"] >= 0.94 and report["letter_accuracy"] >= 0.94
    assert report["baseline"] < 0.15 and report["checkpoint_kb"] < 2048


@pytest.mark.parametrize("digit", sorted(EXAMPLE_DRAWINGS))
def test_shipped_models_read_the_example_drawings(digit, classifier, speller):
    image = parse_drawing(EXAMPLE_DRAWINGS[digit])
    ranked = classifier.classify(image)
    assert ranked[0][0] == int(digit) and len(ranked) == 10
    assert sorted(d for d, _ in ranked) == list(range(10))
    spelling = speller.spell(image)
    assert spelling.word == DIGIT_NAMES[int(digit)] and spelling.finished
    assert [s.letter for s in spelling.steps] == [*spelling.word, "<eos>"]
    assert all(len(s.top) == 3 and s.top[0][0] == s.letter for s in spelling.steps)
