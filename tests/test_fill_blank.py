"""Engine tests for the fill-blank task: sentences, the two-reader model, the
reader and its bad inputs, the two-sided n-gram baseline and the CLI."""

import json
import random

import numpy as np
import pytest
import torch

from engine.__main__ import main
from engine.baselines import BidirectionalKneserNey, KneserNeyTrigram
from engine.checkpoints import default_path
from engine.errors import CheckpointError, InputError
from engine.fill_blank import (
    MAX_BLANKS,
    MAX_CONTEXT,
    FillBlankConfig,
    FillBlankModel,
    FillBlankReader,
    is_content_word,
    split_sentences,
)
from engine.tasks import fill_blank
from engine.text import Vocab, tokenize

SHIPPED = default_path("fill-blank")
SEED_TEXT = "The ___ sat on the mat."


@pytest.fixture(scope="module")
def reader() -> FillBlankReader:
    return fill_blank.load_reader(SHIPPED)


def tiny_model(blank_rate: float = 0.0) -> tuple[FillBlankModel, Vocab]:
    torch.manual_seed(0)
    vocab = Vocab.build([tokenize("the cat sat on the mat . a dog ran to a park")])
    config = FillBlankConfig(
        vocab_size=len(vocab),
        embed_size=8,
        hidden_size=6,
        num_layers=2,
        dropout=0.0,
        blank_rate=blank_rate,
    )
    return FillBlankModel(config).eval(), vocab


def test_sentences_are_cut_at_full_stops_but_not_after_mr():
    text = (
        'Mr. Brown said: "We won." The U.S. team lost 2-1. St. Paul\'s was full! '
        "Was it? Yes."
    )
    assert split_sentences(text) == [
        'Mr. Brown said: "We won.',
        "The U.S. team lost 2-1.",
        "St. Paul's was full!",
        "Was it?",
        "Yes.",
    ]


def test_content_words_are_words_that_are_not_stop_words():
    assert [is_content_word(t) for t in tokenize("The cat sat on 3 mats, didn't")] == [
        False,
        True,
        True,
        False,
        False,
        True,
        False,
        False,
    ]


def test_no_head_ever_sees_the_word_it_guesses():
    """Changing the word at t changes every view's guess elsewhere, never at t."""
    model, vocab = tiny_model()
    ids = torch.tensor([vocab.encode(tokenize(". the cat sat on the mat ."))])
    lengths = torch.tensor([ids.shape[1]])
    with torch.no_grad():
        before = model.read(ids, lengths)
        changed = ids.clone()
        changed[0, 3] = vocab.stoi["dog"]
        after = model.read(changed, lengths)
    for view in ("forward", "backward", "both"):
        old, new = getattr(before, view)[0], getattr(after, view)[0]
        assert torch.equal(old[3], new[3]), view
    assert not torch.allclose(before.forward[0, 4], after.forward[0, 4])
    assert not torch.allclose(before.backward[0, 2], after.backward[0, 2])
    assert torch.equal(before.forward[0, :4], after.forward[0, :4])  # left of t
    assert torch.equal(before.backward[0, 3:], after.backward[0, 3:])  # right of t


def test_reading_one_position_gives_the_full_reading_numbers():
    model, vocab = tiny_model()
    ids = torch.tensor(vocab.encode(tokenize(". the cat sat on the mat .")))
    with torch.no_grad():
        full = model.read(ids[None], torch.tensor([len(ids)]), decode=False)
        for position in range(1, len(ids) - 1):
            heads = model.heads_at(ids, position)
            for view, vector in zip(
                ("forward", "backward", "both"), heads, strict=True
            ):
                assert torch.allclose(getattr(full, view)[0, position], vector)


def test_padding_is_never_read_in_either_direction():
    model, vocab = tiny_model()
    rows = [tokenize(". the cat sat on the mat ."), tokenize(". a dog ran .")]
    ids = torch.full((2, len(rows[0])), vocab.pad_id)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(vocab.encode(row))
    lengths = torch.tensor([len(r) for r in rows])
    with torch.no_grad():
        batch = model.read(ids, lengths)
        alone = model.read(ids[1:, :5], lengths[1:])
    for view in ("forward", "backward", "both"):  # the words, not the markers
        assert torch.allclose(
            getattr(batch, view)[1, 1:4], getattr(alone, view)[0, 1:4]
        )


def test_training_loss_counts_every_word_once_per_head():
    model, vocab = tiny_model(blank_rate=0.0)
    ids = torch.tensor([vocab.encode(tokenize(". the cat sat ."))])
    _, loss = model(ids, torch.tensor([5]))
    with torch.no_grad():
        reading = model.read(ids, torch.tensor([5]))
    expected = sum(
        torch.nn.functional.cross_entropy(getattr(reading, view)[0, 1:4], ids[0, 1:4])
        for view in ("forward", "backward", "both")
    )
    assert torch.allclose(loss, expected)


def brute_force_scores(kn, left, right, size):
    def p(word, context):
        return kn.probability(word, context)

    scores = []
    for w in range(size):
        score = p(w, left)
        if right:
            score *= p(right[0], (left[-1], w)) if left else p(right[0], (w,))
        if len(right) > 1:
            score *= p(right[1], (w, right[0]))
        scores.append(score)
    return np.array(scores)


@pytest.mark.parametrize("size, length", [(30, 3000), (200, 600)])
def test_the_two_sided_ngram_is_exactly_the_product_of_trigram_factors(size, length):
    """Dense and sparse counts: seen, half-seen and unseen contexts."""
    rng = random.Random(size)
    ids = [rng.randrange(size if rng.random() < 0.5 else 8) for _ in range(length)]
    kn = KneserNeyTrigram(ids, size, 0.75)
    bidirectional = BidirectionalKneserNey(kn)
    for left, right in [
        ((1, 2), (3, 4)),
        ((5,), (6, 7)),
        ((1, 2), (3,)),
        ((), (2, 3)),
        ((size - 1, size - 2), (size - 3, 0)),
        ((1, 2), (size - 10, 3)),
    ]:
        expected = brute_force_scores(kn, left, right, size)
        assert np.allclose(bidirectional.scores(left, right), expected)


def test_reader_fills_blanks_left_to_right():
    model, vocab = tiny_model()
    reader = FillBlankReader(model, vocab)
    filling = reader.fill("The ___ sat on ___ mat.", k=3, states=True)
    assert filling.blanks == [1, 4]
    first, second = filling.steps
    assert len(first.both) == 3 and all(c.word.isalpha() for c in first.forward)
    assert second.tokens[1] == first.choice  # the first blank is filled by then
    assert filling.filled[1] == first.choice and filling.filled[4] == second.choice
    assert first.forward_states.shape == (len(filling.tokens) + 2, 6)
    assert reader.fill("The ___ sat.").steps[0].forward_states is None
    total = sum(c.probability for c in reader.top(torch.ones(len(vocab)), len(vocab)))
    assert total == pytest.approx(len(vocab))


@pytest.mark.parametrize(
    "text, message",
    [
        ("The cat sat on the mat.", "no blank"),
        ("", "no blank"),
        ("___", "only blanks"),
        ("___ ___ ___", "only blanks"),
        (" ".join(["a ___"] * (MAX_BLANKS + 1)), "at most"),
    ],
)
def test_nothing_to_fill_is_a_friendly_input_error(text, message):
    reader = FillBlankReader(*tiny_model())
    with pytest.raises(InputError, match=message):
        reader.fill(text)


@pytest.mark.parametrize(
    "text",
    [
        "___ sat on the mat.",
        "The cat sat on the ___",
        "The zyzzogeton ___ quoxwell.",
        "?! ___ ...",
        "<b>The</b> ___ sat on the <i>mat</i>.",
        "🐱 The ___ sat on the mat 😀",
        "The ___ sat. ___ ___ ___ ran.",
    ],
)
def test_odd_inputs_get_an_answer(text):
    reader = FillBlankReader(*tiny_model())
    filling = reader.fill(text)
    assert filling.steps and all(step.both for step in filling.steps)


def test_long_text_is_read_in_a_window_around_the_blank():
    reader = FillBlankReader(*tiny_model())
    text = ("the cat sat " * 5_000)[:49_980] + " ___ on the mat."
    filling = reader.fill(text)
    step = filling.steps[0]
    assert step.window[1] - step.window[0] <= 2 * MAX_CONTEXT + 1
    assert any("long" in note for note in filling.notes)
    html = reader.fill("<script>alert(1)</script> The ___ sat.")
    assert "script" not in html.tokens and any("HTML" in n for n in html.notes)


def test_unknown_words_are_listed():
    reader = FillBlankReader(*tiny_model())
    assert reader.fill("The ___ blorped on the mat.").unknown == ["blorped"]


def test_a_corrupt_or_foreign_checkpoint_is_refused(tmp_path):
    junk = tmp_path / "fill-blank.pt"
    junk.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError, match="python -m engine train fill-blank"):
        fill_blank.load_reader(junk)
    with pytest.raises(CheckpointError, match="fill-blank"):
        fill_blank.load_reader(default_path("next-word"))


def test_exercises_blank_one_known_content_word_per_sentence():
    vocab = Vocab.build([tokenize("the cat sat on the mat")])
    sentences = (
        tuple(tokenize("The cat sat on the mat.")),
        tuple(tokenize("The of and.")),
        tuple(tokenize("A zebra sat.")),
    )
    items = fill_blank.exercises(sentences, vocab, 5, seed=1)
    assert len(items) == 2
    assert all(is_content_word(i.answer) and i.answer in vocab for i in items)
    assert items == fill_blank.exercises(sentences, vocab, 5, seed=1)


def test_quick_training_predict_and_bench_run_end_to_end(tmp_path, capsys):
    out = tmp_path / "fill-blank.pt"
    metrics = fill_blank.train(True, out)
    assert metrics["epochs"] == 1 and out.is_file()
    code = main(
        ["predict", "fill-blank", SEED_TEXT, "no blank", "--k", "4"]
        + ["--json", "--checkpoint", str(out)]
    )
    assert code == 0
    seed, no_blank = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    for view in ("forward", "backward", "both"):
        assert len(seed[view]) == 4 and seed[view][0]["probability"] > 0
    assert seed["steps"][0]["choice"] == seed["both"][0]["word"]
    assert "___" in no_blank["error"]
    report = json.loads(json.dumps(fill_blank.bench(True, out)))
    for domain in ("bbc", "everyday", "grammar"):
        for key in ("bi_top1", "bi_top5", "fwd_top1", "fwd_top5", "bwd_top5"):
            assert 0 <= report[domain][key] <= 1
        assert 0 <= report[domain]["ngram_top1"] <= report[domain]["ngram_top5"] <= 1
        assert report[domain]["n"] == fill_blank.BENCH_QUICK
    for key in ("seed_rank_bi", "seed_rank_fwd", "predict_p95_ms", "checkpoint_mb"):
        assert report[key] > 0
    assert 0 <= report["handwritten_top5"] <= 1
    assert "long_range_example" in report


def test_the_hand_written_holdout_is_independent_of_the_grammar():
    from engine.everyday_grammar import generate_everyday

    items = fill_blank.holdout_items()
    assert len(items) >= 40
    generated = {s.lower() for s in generate_everyday(fill_blank.GRAMMAR_SENTENCES)}
    for sentence, answers in items:
        assert sentence.count("___") == 1 and answers
        assert all(a == a.lower() and is_content_word(a) for a in answers)
        for answer in answers:
            assert sentence.replace("___", answer).lower() not in generated


def test_each_domain_keeps_its_splits_apart_and_the_seed_out():
    seed = tuple(fill_blank.tokenize(fill_blank.SEED_SENTENCE))
    for domain in fill_blank.DOMAINS:
        parts = {
            p: set(fill_blank.domain_sentences(domain, p))
            for p in ("train", "valid", "test")
        }
        assert parts["train"] and parts["valid"] and parts["test"], domain
        assert seed not in parts["train"] | parts["valid"]
        # a sentence that recurs in other documents stays in its first split only
        assert not parts["valid"] & parts["train"], domain
        assert not parts["test"] & (parts["train"] | parts["valid"]), domain
    train = fill_blank.training_sentences("train")
    shares = {
        d: len(fill_blank.domain_sentences(d, "train")) for d in fill_blank.DOMAINS
    }
    assert shares["grammar"] < 0.05 * len(train)  # generated text: a small part


def test_the_stored_quiz_is_what_a_fresh_pick_gives():
    vocab = fill_blank.load_reader(default_path(fill_blank.NAME)).vocab
    for source in fill_blank.QUIZ_SOURCES:
        stored = fill_blank.quiz_items(source, vocab)
        assert stored == fill_blank.fresh_quiz_items(source, vocab), (
            "python -c 'from engine.tasks import fill_blank as f; "
            "f.store_quiz_items(...)'"
        )
        assert len(stored) == fill_blank.QUIZ_SIZE
        for tokens, position in stored:
            assert (
                len(tokens) <= fill_blank.QUIZ_MAX_TOKENS and tokens[position] in vocab
            )
            assert not any(fill_blank.is_profane(t) for t in tokens)


def test_the_shipped_model_puts_cat_near_the_top_only_with_both_sides(reader):
    """The seed sentence was never trained on; both directions still rank "cat"
    in the top 3, and higher than the forward view, which only sees "The"."""
    rank_both = reader.rank_of(SEED_TEXT, "cat", "both")
    rank_forward = reader.rank_of(SEED_TEXT, "cat", "forward")
    assert rank_both <= 3 and rank_both < rank_forward
    step = reader.fill(SEED_TEXT).steps[0]
    assert [c.word for c in step.both] != [c.word for c in step.forward]


def test_the_shipped_model_reads_several_blanks(reader):
    filling = reader.fill("The ___ sat on the ___.")
    assert len(filling.steps) == 2
    assert filling.steps[1].tokens[1] == filling.steps[0].choice
    assert all(step.choice.isalpha() for step in filling.steps)


def test_a_run_can_be_resumed_from_its_checkpoint(tmp_path):
    first = tmp_path / "first.pt"
    fill_blank.train(True, first)
    out = tmp_path / "resumed.pt"
    code = main(
        ["train", "fill-blank", "--quick", "--resume", str(first), "--out", str(out)]
    )
    assert code == 0
    assert fill_blank.load_model(out)[1].metrics["epochs"] == 1  # nothing left


def test_batches_hold_the_asked_number_of_sentences():
    """A GPU recipe reads more sentences a step; every sentence is read once."""
    from engine.tasks import fill_blank as task
    from engine.text import Vocab

    sentences = [tuple(f"w{i}" for i in range(n)) for n in range(3, 13)] * 3
    vocab = Vocab.build(sentences)
    for size in (4, 16):
        found = task.batches(sentences, vocab, batch_size=size)
        assert max(len(ids) for ids, _ in found) == size
        assert sum(len(ids) for ids, _ in found) == len(sentences)
