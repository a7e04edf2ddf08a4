"""The next-word engine: keyboard reading, incremental state, ranking, benchmark."""

import json

import numpy as np
import pytest
import torch

from engine.__main__ import main
from engine.keyboard import MAX_CONTEXT_TOKENS, LSTMKeyboard, rank, split_typed
from engine.lm_bench import keystroke_savings, keystrokes_for, lstm_distributions
from engine.tasks import next_word
from engine.text import EOS, SPECIALS, Vocab


@pytest.fixture(scope="module")
def quick_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("nw") / "next-word.pt"
    assert main(["train", "next-word", "--quick", "--out", str(path)]) == 0
    model, checkpoint = next_word.load_model(path)
    return path, model, checkpoint.vocab


def test_split_typed_separates_the_half_typed_word():
    assert split_typed("The prime min") == (["the", "prime"], "min", 0)
    assert split_typed("The prime ") == (["the", "prime"], "", 0)
    assert split_typed("Hello, world.") == (["hello", ",", "world", "."], "", 0)
    assert split_typed("") == ([], "", 0)


def test_long_texts_keep_the_last_tokens_in_steps():
    tokens, prefix, dropped = split_typed("word " * 1_010)
    assert prefix == "" and dropped + len(tokens) == 1_010
    assert MAX_CONTEXT_TOKENS - 50 <= len(tokens) <= MAX_CONTEXT_TOKENS
    # one more word does not move the window (the cached state stays valid)
    assert split_typed("word " * 1_011)[2] == dropped


def test_rank_filters_by_prefix_and_never_shows_specials():
    vocab = Vocab([*SPECIALS, "government", "governor", "go", "the"])
    probs = np.array([0.3, 0.3, 0.0, 0.0, 0.1, 0.05, 0.2, 0.05])
    words, banned = np.array(vocab.itos), np.arange(len(vocab)) < len(SPECIALS)
    assert [s.word for s in rank(probs, words, "", 2, banned)] == ["go", "government"]
    assert [s.word for s in rank(probs, words, "gov", 3, banned)] == [
        "government",
        "governor",
    ]
    assert rank(probs, words, "zzz", 3, banned) == []


def test_keystrokes_for_counts_taps_and_typed_letters():
    words = np.array(["<pad>", "cat", "dog", "door", "do"])
    probs = np.array([0, 0.1, 0.4, 0.3, 0.2])
    allowed = np.arange(1, 5)
    assert keystrokes_for(probs, words, allowed, "dog", k=1) == 1  # shown at once
    assert keystrokes_for(probs, words, allowed, "cat", k=1) == 2  # c -> tap
    assert keystrokes_for(probs, words, allowed, "door", k=1) == 4  # d, o, o -> tap
    assert keystrokes_for(probs, words, allowed, "cow", k=3) == 4  # typed + space


def test_incremental_reading_equals_reading_from_scratch(quick_model):
    _, model, vocab = quick_model
    keyboard = LSTMKeyboard(model, vocab)
    texts = ["The government said", "The government said it", "The government"]
    for text in texts:  # grows, then shrinks (a deleted word)
        incremental = keyboard.read(text + " ").probabilities
        fresh = LSTMKeyboard(model, vocab).read(text + " ").probabilities
        assert np.allclose(incremental, fresh, atol=1e-6)


def test_keyboard_matches_the_model_run_on_the_whole_text(quick_model):
    _, model, vocab = quick_model
    tokens = [EOS, "the", "prime", "minister", "said"]
    ids = torch.tensor([vocab.encode(tokens)])
    with torch.no_grad():
        expected = torch.softmax(model.run(ids)[0][0, -1], dim=0).numpy()
    got = LSTMKeyboard(model, vocab).read("the prime minister said ").probabilities
    assert np.allclose(got, expected, atol=1e-5)
    streamed = list(lstm_distributions(model, vocab.encode(tokens + ["."])))
    assert np.allclose(streamed[-1], expected, atol=1e-5)


@pytest.mark.parametrize(
    "text", ["", "   ", "!!!", "zzqx qqvv", "😀😀", "<b>hi</b>", "word " * 10_000]
)
def test_keyboard_copes_with_bad_text(quick_model, text):
    _, model, vocab = quick_model
    suggestions = LSTMKeyboard(model, vocab).suggest(text)
    assert all(s.word not in SPECIALS for s in suggestions)


def test_a_perfect_predictor_saves_most_keystrokes():
    vocab = Vocab([*SPECIALS, "the", "cat", "sat"])
    tokens = [EOS, "the", "cat", "sat", "the", "cat"]
    ids = vocab.encode(tokens)
    perfect = (np.eye(len(vocab))[i] for i in ids[1:])
    result = keystroke_savings(perfect, tokens, vocab, n_words=100)
    # one tap per word instead of len(word) + 1 characters
    assert result["keystrokes"] == 5 and result["ksr"] == pytest.approx(1 - 5 / 20)


def test_cli_predict_and_quick_bench(quick_model, tmp_path, capsys):
    path, _, _ = quick_model
    assert (
        main(
            [
                "predict",
                "next-word",
                "The prime",
                "Shares in",
                "--k",
                "5",
                "--json",
                "--checkpoint",
                str(path),
            ]
        )
        == 0
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2 and len(lines[0]["suggestions"]) == 5
    probabilities = [s["probability"] for s in lines[0]["suggestions"]]
    assert probabilities == sorted(probabilities, reverse=True)
    out = tmp_path / "bench.json"
    assert (
        main(
            [
                "bench",
                "next-word",
                "--quick",
                "--json",
                str(out),
                "--checkpoint",
                str(path),
            ]
        )
        == 0
    )
    report = json.loads(out.read_text())
    for domain in ("bbc", "everyday"):
        for key in (
            "lstm_ppl",
            "kn3_ppl",
            "ppl_ratio",
            "lstm_top1",
            "lstm_top3",
            "kn3_top3",
            "lstm_ksr",
            "kn3_ksr",
            "n_test_tokens",
            "split_fingerprint",
        ):
            assert key in report[domain], (domain, key)
        assert 0 < report[domain]["kn3_ksr"] < 1
    assert report["bbc"]["split_fingerprint"] != report["everyday"]["split_fingerprint"]
    for key in ("suggest_p95_ms", "checkpoint_mb", "prompts_top3", "kn3_prompts_top3"):
        assert key in report
    assert report["n_prompts"] >= 40 and 0 <= report["prompts_top3"] <= 1


def test_the_prompts_are_hand_written_with_accepted_answers():
    prompts = next_word.read_prompts()
    assert len(prompts) >= 40
    assert all(prompt and answers for prompt, answers in prompts)
    assert ("Happy birthday to", frozenset({"you", "my", "the", "our", "all"})) in (
        prompts
    )


def test_export_corpus_writes_the_exact_splits(tmp_path):
    assert main(["export-corpus", "bbc", str(tmp_path)]) == 0
    lines = (tmp_path / "test.txt").read_text().splitlines()
    assert len(lines) == 212
    docs = next_word.bbc_token_docs("test")
    assert lines[0].split() == docs[0][:-1]
    assert len((tmp_path / "vocab.txt").read_text().splitlines()) == 10_000


def test_the_shipped_model_is_small_and_knows_news_and_everyday_english():
    from engine.checkpoints import default_path

    path = default_path("next-word")
    assert path.stat().st_size < 15 * 2**20
    model, checkpoint = next_word.load_model(path)
    assert len(checkpoint.vocab) == next_word.VOCAB_SIZE
    assert checkpoint.metrics["stage"] == "news+everyday"
    keyboard = LSTMKeyboard(model, checkpoint.vocab)
    assert "minister" in [s.word for s in keyboard.suggest("The prime ")]
    assert all(s.word.startswith("gov") for s in keyboard.suggest("The gov"))
    assert "you" in [s.word for s in keyboard.suggest("Thank ")]


def test_the_seed_sentence_reads_with_no_unknown_word():
    from engine.checkpoints import default_path
    from engine.text import UNK, tokenize

    _, checkpoint = next_word.load_model(default_path("next-word"))
    ids = checkpoint.vocab.encode(tokenize("The cat sat on the mat."))
    assert checkpoint.vocab.unk_id not in ids
    assert UNK not in [checkpoint.vocab.itos[i] for i in ids]


def test_a_run_can_be_resumed_from_its_checkpoint(quick_model, tmp_path):
    from engine.train import TrainConfig

    path, _, _ = quick_model
    out = tmp_path / "resumed.pt"
    assert (
        main(
            ["train", "next-word", "--quick", "--resume", str(path), "--out", str(out)]
        )
        == 0
    )
    assert next_word.load_model(out)[1].metrics["epochs"] == 1
    rest = next_word.continue_schedule(
        TrainConfig(epochs=16, lr=2e-3, lr_steps={13: 0.25}), done=12
    )
    assert (rest.epochs, rest.lr, rest.lr_steps) == (4, 2e-3, {1: 0.25})
    rest = next_word.continue_schedule(rest, done=2)
    assert (rest.epochs, rest.lr, rest.lr_steps) == (2, 5e-4, {})


def test_dropout_can_be_lowered_between_epochs():
    from engine.language_model import LanguageModel, LMConfig

    model = LanguageModel(LMConfig(vocab_size=50, hidden_size=8, num_layers=2))
    next_word.set_dropout(model, 0.2)
    assert model.drop.p == 0.2 and model.rnn.dropout == 0.2
    model.train()(torch.randint(0, 50, (2, 5)))  # still runs


def test_a_resumed_run_keeps_the_vocabulary_its_weights_were_trained_with(
    quick_model, tmp_path
):
    """The training text may have changed since (a cleaning rule): a vocabulary
    rebuilt from it would give the stored word vectors to other words."""
    from engine.checkpoints import load_checkpoint, save_checkpoint
    from engine.text import SPECIALS, Vocab

    path, _, _ = quick_model
    checkpoint = load_checkpoint(path, "next-word")
    words = checkpoint.vocab.itos[len(SPECIALS) :]
    checkpoint.vocab = Vocab([*SPECIALS, *reversed(words)])  # other ids
    shuffled = tmp_path / "other-ids.pt"
    save_checkpoint(checkpoint, shuffled, half=True)
    out = tmp_path / "resumed.pt"
    args = ["train", "next-word", "--quick", "--resume", str(shuffled)]
    assert main([*args, "--out", str(out)]) == 0
    assert next_word.load_model(out)[1].vocab.itos == checkpoint.vocab.itos
