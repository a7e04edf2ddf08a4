"""Connectivity: gradient norms of a trained model's prediction per input word."""

import copy

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.cell_comparison import CELL_TYPES, NEXT_WORD, load_comparison
from engine.checkpoints import default_path
from engine.connectivity import (
    EXAMPLE,
    MAX_WORDS,
    compare,
    connectivity,
    read_sentence,
)
from engine.errors import InputError
from engine.tasks import next_word
from engine.text import EOS

WORDS = read_sentence(EXAMPLE).words


@pytest.fixture(scope="module")
def cells():
    comparison = load_comparison(default_path("cells"))
    return {
        cell: (comparison.model(NEXT_WORD, cell), comparison.word_vocab)
        for cell in CELL_TYPES
    }


@pytest.fixture(scope="module")
def models(cells):
    model, checkpoint = next_word.load_model(default_path(next_word.NAME))
    return {"keyboard": (model, checkpoint.vocab)} | cells


def test_every_model_gives_shares_that_sum_to_one(models):
    sentence, results = compare(models, EXAMPLE)
    assert sentence.words == WORDS and sentence.dropped == 0
    for result in results.values():
        assert result.words == WORDS and result.position == len(WORDS) - 1
        assert sum(result.shares) == pytest.approx(1.0)
        assert all(share > 0 for share in result.shares)  # every word is seen
        assert result.predicted.isalpha()  # a word, never <unk> or <eos>


def test_words_after_the_prediction_get_exactly_zero(cells):
    model, vocab = cells["lstm"]
    result = connectivity(model, vocab, WORDS, position=5)
    assert result.shares[6:] == [0.0] * (len(WORDS) - 6)
    assert result.norms[6:] == [0.0] * (len(WORDS) - 6)
    assert sum(result.shares[:6]) == pytest.approx(1.0)
    assert result.recent_share(3) == pytest.approx(sum(result.shares[3:6]))


def test_changing_an_early_word_changes_the_gradients(cells):
    model, vocab = cells["gru"]
    before = connectivity(model, vocab, WORDS)
    after = connectivity(model, vocab, ["a", *WORDS[1:]])
    assert before.predicted == after.predicted == "the"
    # the last word is the same, but the state it is read in is not
    assert after.norms[-1] != pytest.approx(before.norms[-1], rel=1e-4)
    assert after.norms[0] != pytest.approx(before.norms[0], rel=1e-4)


@pytest.mark.parametrize("cell", CELL_TYPES)
def test_the_gradient_matches_a_finite_difference(cells, cell):
    """Nudge one word's vector along its gradient: the score moves by eps * |g|."""
    model, vocab = cells[cell]
    model = copy.deepcopy(model).double()  # double precision for the difference
    result = connectivity(model, vocab, WORDS)
    target = vocab.stoi[result.predicted]
    ids = torch.tensor([vocab.encode([EOS, *WORDS])])
    vectors = model.embedding(ids).detach()

    def score(x: torch.Tensor) -> torch.Tensor:
        out, _ = model.rnn(x)
        return model.decoder(out[0, -1])[target]

    word = len(WORDS) - 6  # five words before the last
    x = vectors.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(score(x), x)
    direction = grad[0, 1 + word] / grad[0, 1 + word].norm()
    eps = 1e-5
    nudged = vectors.clone()
    nudged[0, 1 + word] += eps * direction
    with torch.no_grad():
        slope = float(score(nudged) - score(vectors)) / eps
    assert slope == pytest.approx(result.norms[word], rel=1e-3)


def test_a_shared_model_is_left_without_gradients(cells):
    model, vocab = cells["rnn"]
    connectivity(model, vocab, WORDS)
    assert all(p.grad is None for p in model.parameters())
    model.train()  # dropout on: the gradients would be random, so it is refused
    try:
        with pytest.raises(ValueError, match="eval mode"):
            connectivity(model, vocab, WORDS)
    finally:
        model.eval()


@pytest.mark.parametrize("text", ["", "   ", "🙂 😂", "<>", None])
def test_no_words_is_refused_with_an_example(text):
    with pytest.raises(InputError, match="Try|Type"):
        read_sentence(text)


def test_only_unknown_words_are_refused(models):
    with pytest.raises(InputError, match="None of these words"):
        compare(models, "zzqxv blorptang qwxyzzy")


def test_html_is_read_as_words(models):
    sentence, results = compare(models, "<b>the prime minister</b> said")
    assert sentence.words == ["b", "the", "prime", "minister", "/", "b", "said"]
    assert all(sum(r.shares) == pytest.approx(1.0) for r in results.values())


def test_a_long_text_keeps_its_last_words():
    text = " ".join(str(i) for i in range(100))
    sentence = read_sentence(text)
    assert len(sentence.words) == MAX_WORDS and sentence.dropped == 100 - MAX_WORDS
    assert sentence.words[-1] == "99"


def test_a_position_outside_the_sentence_is_refused(cells):
    model, vocab = cells["rnn"]
    with pytest.raises(InputError):
        connectivity(model, vocab, WORDS, position=len(WORDS))
    with pytest.raises(InputError):
        connectivity(model, vocab, [])


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_shares_or_a_friendly_refusal(cells, text):
    try:
        sentence, results = compare(cells, text)
    except InputError as error:
        assert str(error)
        return
    assert 1 <= len(sentence.words) <= MAX_WORDS
    for result in results.values():
        assert len(result.shares) == len(sentence.words)
        assert sum(result.shares) == pytest.approx(1.0) or not any(result.shares)
