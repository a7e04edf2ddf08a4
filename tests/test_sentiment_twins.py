"""Negated and contrasted twins: the edits are safe, seeded, and flip the label."""

import random

import pytest

from engine.sentiment_twins import (
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    contrast_pairs,
    negated_twin,
    twin_examples,
)

LEXICON = {"great": 3.1, "bad": -2.5, "love": 3.2, "loved": 2.9, "likes": 2.0}
LEXICON |= {"hate": -2.7, "definitely": 1.7}  # VADER rates inflected forms too


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def twin(text: str, label: int, seed: int = 0):
    return negated_twin(words(text), label, LEXICON, random.Random(seed))


@pytest.mark.parametrize(
    ("text", "label", "expected", "flipped"),
    [
        (
            "the food was great .",
            POSITIVE,
            {"the food wasn't great .", "the food was not great ."},
            NEGATIVE,
        ),
        (
            "the film is really bad !",
            NEGATIVE,
            {"the film isn't really bad !", "the film is not really bad !"},
            POSITIVE,
        ),
        ("i love this phone", POSITIVE, {"i don't love this phone"}, NEGATIVE),
    ],
)
def test_a_negated_twin_puts_not_before_the_opinion_and_flips_the_label(
    text, label, expected, flipped
):
    found = {" ".join(twin(text, label, seed)[0]) for seed in range(20)}
    assert found == expected
    assert twin(text, label)[1] == flipped


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("the food was great .", NEUTRAL),  # no opinion to turn
        ("the food was great .", NEGATIVE),  # the word disagrees: sarcasm?
        ("the food was not great .", NEGATIVE),  # already negated
        ("the food was great but the room was bad", POSITIVE),  # two opinions
        ("great food", POSITIVE),  # no copula or "i" before the word
        ("he is definitely getting paid", POSITIVE),  # an adverb, not the opinion
        ("boy was i great", POSITIVE),  # "i great" is no verb
    ],
)
def test_unsafe_edits_are_left_out(text, label):
    assert twin(text, label) is None


def test_contrast_pairs_take_the_second_clauses_label():
    examples = [
        (words("the plot was predictable ."), NEGATIVE),
        (words("the acting saved it !"), POSITIVE),
        (words("it was fine , i guess"), NEUTRAL),
    ]
    pairs = contrast_pairs(examples, 50, seed=3)
    assert len(pairs) == 50
    for tokens, label in pairs:
        text = " ".join(tokens)
        second = text.split(" , ")[-1]
        assert ("acting" in second) == (label == POSITIVE)
        assert "guess" not in text  # neutral sentences are not halves
        assert {"but", "yet", "although"} & set(tokens)
    assert contrast_pairs(examples, 50, seed=3) == pairs  # seeded


def test_twin_examples_repeat_the_few_negations_half_of_each_label():
    examples = [
        (words("the food was great ."), POSITIVE),
        (words("the staff were great ."), POSITIVE),
        (words("the film is bad ."), NEGATIVE),
    ]
    twins = twin_examples(examples, LEXICON, 5, 2, seed=0, balanced=True)
    assert len(twins) == 7
    labels = [label for _, label in twins[:5]]
    assert labels.count(NEGATIVE) == 2 and labels.count(POSITIVE) == 3
    assert twin_examples([], LEXICON, 5, 5, seed=0, balanced=True) == []
    plain = twin_examples(examples, LEXICON, 6, 0, seed=0)
    assert [label for _, label in plain].count(NEGATIVE) == 4  # as found: 2 in 3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("we loved it .", "we didn't love it ."),
        ("she likes the camera", "she doesn't like the camera"),
        ("it's great !", "it's not great !"),
        ("the soup tasted great", "the soup didn't taste great"),
    ],
)
def test_past_tenses_contractions_and_linking_verbs_are_negated(text, expected):
    assert " ".join(twin(text, POSITIVE)[0]) == expected
