"""Step through time: the numbers shown are the trained models' own numbers."""

from pathlib import Path

import numpy as np
import pytest
import torch

from engine.checkpoints import default_path
from engine.errors import InputError
from engine.step_through import (
    MAX_STEP_WORDS,
    busiest_units,
    clamp_step,
    lstm_cell_step,
    sentence_tokens,
    shown_words,
    trace_language_model,
    unknown_words,
)
from engine.tasks import next_word, tiny_rnn
from engine.text import EOS, SPECIALS, Vocab


@pytest.fixture(scope="module")
def lstm():
    return next_word.load_model(default_path(next_word.NAME))


@pytest.fixture(scope="module")
def tiny():
    return tiny_rnn.load_model(default_path(tiny_rnn.NAME))


def test_the_trace_equals_the_trained_lstms_own_forward_pass(lstm):
    model, checkpoint = lstm
    text = "The government said it would not raise taxes"
    result = trace_language_model(model, checkpoint.vocab, text)
    ids = torch.tensor([checkpoint.vocab.encode([EOS] + result.tokens)])
    with torch.no_grad():
        embedded = model.embedding(ids)
        out, (h_n, c_n) = model.rnn(embedded)
        logits = model.decoder(out[0, 1:])
    assert result.cell == "lstm" and result.length == 8
    assert np.allclose(result.h[-1], out[0, 1:].numpy(), atol=1e-5)
    assert np.allclose(result.h[0][-1], h_n[0, 0].numpy(), atol=1e-5)
    assert np.allclose(result.c[1][-1], c_n[1, 0].numpy(), atol=1e-5)
    # The gates really produce the states: c_t = f c_(t-1) + i g, h_t = o tanh(c_t)
    gates, c = result.gates[1], result.c[1]
    rebuilt = gates["forget"][1:] * c[:-1] + gates["input"][1:] * gates["candidate"][1:]
    assert np.allclose(rebuilt, c[1:], atol=1e-5)
    assert np.allclose(gates["output"] * np.tanh(c), result.h[1], atol=1e-5)
    best = logits.argmax(dim=1)
    for step, guesses in enumerate(result.next_words):
        word = checkpoint.vocab.itos[int(best[step])]
        if word not in ("<unk>", EOS):
            assert guesses[0][0] == word


def test_guesses_never_show_special_tokens(lstm):
    model, checkpoint = lstm
    result = trace_language_model(model, checkpoint.vocab, "zzkq qqxv the end")
    assert result.unknown == ["qqxv", "zzkq"]
    words = [w for guesses in result.next_words for w, _ in guesses]
    assert not {"<unk>", "<pad>", "<blank>", EOS} & set(words)


def test_the_trace_keeps_the_learners_words_as_written(lstm):
    model, checkpoint = lstm
    result = trace_language_model(model, checkpoint.vocab, "I saw Zzkq and ZZKQ.")
    assert result.tokens == ["i", "saw", "zzkq", "and", "zzkq", "."]
    assert result.words == ["I", "saw", "Zzkq", "and", "ZZKQ", "."]
    assert result.unknown == ["Zzkq"]  # once, as first written


@pytest.mark.parametrize(
    "text, shown",
    [
        ("The cat SAT", ["The", "cat", "SAT"]),
        ("Don’t stop, Straße ___", ["Don't", "stop", ",", "Straße", "___"]),
        ("İstanbul is big", ["i", "stanbul", "is", "big"]),  # split differs: tokens
    ],
)
def test_shown_words_are_the_written_words_one_per_token(text, shown):
    tokens = sentence_tokens(text)[0]
    assert shown_words(text, tokens) == shown
    assert shown_words(text, tokens[:2]) == shown[:2]  # a clipped sentence


def test_unknown_words_are_listed_once_as_written():
    vocab = Vocab([*SPECIALS, "the"])
    words, tokens = ["The", "Qux", "bar", "qux"], ["the", "qux", "bar", "qux"]
    assert unknown_words(words, tokens, vocab) == ["bar", "Qux"]


def test_the_tiny_rnns_arithmetic_equals_torch(tiny):
    model, checkpoint = tiny
    steps = tiny_rnn.arithmetic(model, checkpoint.vocab, "The cat sat on the mat")
    assert [s.word for s in steps] == ["the", "cat", "sat", "on", "the", "mat"]
    ids = torch.tensor([checkpoint.vocab.encode([EOS, "the", "cat", "sat"])])
    ids = torch.cat(
        [ids, torch.tensor([checkpoint.vocab.encode(["on", "the", "mat"])])], 1
    )
    with torch.no_grad():
        out, _ = model.rnn(model.embedding(ids))
    hand = np.stack([s.h for s in steps])
    assert np.allclose(hand, out[0, 1:].numpy(), atol=1e-5)
    for before, after in zip(steps, steps[1:], strict=False):
        assert np.array_equal(after.h_prev, before.h)  # the memory is handed on
        assert after.w_hh is before.w_hh  # one W_hh shared by every step
    first = steps[0]
    assert np.allclose(
        np.tanh(first.w_xh @ first.x + first.w_hh @ first.h_prev + first.b), first.h
    )
    assert first.w_xh.shape == (4, 4) and first.w_hh.shape == (4, 4)


def test_the_tiny_rnn_learned_the_everyday_world(tiny):
    model, checkpoint = tiny
    assert (
        checkpoint.metrics["valid_perplexity"]
        < 0.25 * (checkpoint.metrics["unigram_perplexity"])
    )
    steps = tiny_rnn.arithmetic(model, checkpoint.vocab, "The cat sat on")
    assert steps[-1].next_words[0][0] == "the"
    assert Path(default_path(tiny_rnn.NAME)).stat().st_size < 100_000


@pytest.mark.parametrize("text", ["", "   ", "...!?", "🙂🙂", "<b></b>"])
def test_nothing_to_read_is_a_friendly_error(tiny, text):
    model, checkpoint = tiny
    try:
        steps = tiny_rnn.arithmetic(model, checkpoint.vocab, text)
    except InputError as error:
        assert "Type a sentence" in str(error)
    else:  # punctuation is read as tokens: a real answer is fine too
        assert steps and all(np.isfinite(s.h).all() for s in steps)


def test_long_text_is_cut_to_the_steps_shown(lstm):
    model, checkpoint = lstm
    result = trace_language_model(model, checkpoint.vocab, "word " * 20_000)
    assert result.clipped and result.length == MAX_STEP_WORDS


def test_steps_outside_the_sentence_are_clamped():
    assert clamp_step(0, 6) == (1, "Time steps start at 1 (the first word).")
    step, note = clamp_step(99, 6)
    assert step == 6 and "6 words" in note
    assert clamp_step(3, 6) == (3, None)


def test_busiest_units_are_the_ones_that_move():
    states = np.zeros((5, 10))
    states[:, 7] = np.arange(5)  # moves most
    states[:, 2] = np.arange(5) * 0.5
    assert busiest_units(states, 2).tolist() == [2, 7]


def test_tiny_rnn_quick_training_and_cli(tmp_path, capsys):
    from engine.__main__ import main

    out = tmp_path / "tiny.pt"
    assert main(["train", "tiny-rnn", "--quick", "--out", str(out)]) == 0
    assert (
        main(["predict", "tiny-rnn", "the cat", "--json", "--checkpoint", str(out)])
        == 0
    )
    printed = capsys.readouterr().out
    assert '"word": "cat"' in printed
    assert main(["bench", "tiny-rnn", "--quick", "--checkpoint", str(out)]) == 0


def test_a_gru_trace_equals_the_trained_grus_forward_pass():
    from engine.cell_comparison import NEXT_WORD, load_comparison

    comparison = load_comparison(default_path("cells"))
    model, vocab = comparison.model(NEXT_WORD, "gru"), comparison.word_vocab
    result = trace_language_model(model, vocab, "The minister said on Monday")
    ids = torch.tensor([vocab.encode([EOS] + result.tokens)])
    with torch.no_grad():
        out, _ = model.rnn(model.embedding(ids))
    assert result.cell == "gru" and result.c is None
    assert set(result.gates[0]) == {"reset", "update", "candidate"}
    assert np.allclose(result.h[0], out[0, 1:].numpy(), atol=1e-5)
    z, n, h = result.gates[0]["update"], result.gates[0]["candidate"], result.h[0]
    assert np.allclose((1 - z[1:]) * n[1:] + z[1:] * h[:-1], h[1:], atol=1e-5)


def _torch_states(model, vocab, tokens):
    """(h_n, c_n) of the trained nn.LSTM after <eos> and each prefix of tokens:
    index 0 is the state after <eos> alone."""
    states = []
    with torch.no_grad():
        for t in range(len(tokens) + 1):
            ids = torch.tensor([vocab.encode([EOS] + tokens[:t])])
            _, (h_n, c_n) = model.rnn(model.embedding(ids))
            states.append((h_n[:, 0], c_n[:, 0]))  # (layers, H) each
    return states


@pytest.mark.parametrize("layer", [0, 1])
def test_the_walkthroughs_numbers_are_nn_lstms_own(lstm, layer):
    """The walkthrough's f, i, g, o, c_(t-1), c_t and h_t at every step equal what
    torch.nn.LSTM computes from its own weights, and c_t and h_t follow from the
    gates exactly as the equations on the page say."""
    model, checkpoint = lstm
    trace = trace_language_model(model, checkpoint.vocab, "The cat sat on the mat")
    states = _torch_states(model, checkpoint.vocab, trace.tokens)
    rnn, ids = model.rnn, checkpoint.vocab.encode(trace.tokens)
    for step in range(1, trace.length + 1):
        cell = lstm_cell_step(trace, step, layer)
        h_prev, c_prev = (s[layer] for s in states[step - 1])
        h_now, c_now = (s[layer] for s in states[step])
        # the gates, straight from nn.LSTM's weights (torch order: i, f, g, o)
        with torch.no_grad():
            x = (
                model.embedding(torch.tensor(ids[step - 1]))
                if layer == 0
                else states[step][0][layer - 1]
            )
            w = {
                n: getattr(rnn, f"{n}_l{layer}")
                for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            }
            pre = w["weight_ih"] @ x + w["bias_ih"] + w["weight_hh"] @ h_prev
            i, f, g, o = (pre + w["bias_hh"]).chunk(4)
        expected = {
            "input": torch.sigmoid(i),
            "forget": torch.sigmoid(f),
            "candidate": torch.tanh(g),
            "output": torch.sigmoid(o),
            "c_prev": c_prev,
            "cell": c_now,
            "h": h_now,
        }
        for name, value in expected.items():
            assert np.allclose(getattr(cell, name), value.numpy(), atol=1e-5), name
        assert np.allclose(cell.kept + cell.written, cell.cell, atol=1e-6)
        assert np.allclose(cell.output * cell.squashed, cell.h, atol=1e-6)
    first = lstm_cell_step(trace, 1, layer)
    assert np.abs(first.c_prev).max() > 0  # after <eos>, not zeros


def test_the_walkthrough_needs_an_lstm_and_a_step_in_the_sentence(lstm):
    from engine.cell_comparison import NEXT_WORD, load_comparison

    comparison = load_comparison(default_path("cells"))
    gru = comparison.model(NEXT_WORD, "gru")
    trace = trace_language_model(gru, comparison.word_vocab, "The cat sat")
    with pytest.raises(InputError, match="Only an LSTM"):
        lstm_cell_step(trace, 1)
    model, checkpoint = lstm
    trace = trace_language_model(model, checkpoint.vocab, "The cat sat")
    for step in (0, 4):
        with pytest.raises(ValueError, match="outside 1..3"):
            lstm_cell_step(trace, step)
