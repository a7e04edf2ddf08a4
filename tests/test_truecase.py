"""Engine tests for the truecase task: tags from the written text, the rule
baseline, the tagger and its reader, bad inputs, training end to end and the
shipped checkpoint."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from engine.checkpoints import default_path, load_checkpoint
from engine.errors import CheckpointError, InputError
from engine.tasks import truecase
from engine.text import Vocab
from engine.truecase import (
    CAPITALISED,
    EXAMPLES,
    LOWER,
    MAX_TOKENS,
    TAGS,
    UPPER,
    TruecaseConfig,
    Truecaser,
    TruecaseTagger,
    collate,
    encode,
    load_truecaser,
    render,
    rule_tags,
    shape_features,
    suffix,
    tag_of,
)

SHIPPED = default_path("truecase")
WORDS = 'tony blair met the bbc in london . he said : " we won " ! mps'.split()


def tiny_truecaser() -> Truecaser:
    torch.manual_seed(0)
    vocab = Vocab.build([WORDS])
    suffixes = Vocab.build([[suffix(w) for w in WORDS]])
    config = TruecaseConfig(
        len(vocab),
        len(suffixes),
        embed_size=6,
        suffix_size=3,
        hidden_size=5,
        spellings={"Capitalised|mps": "MPs"},
    )
    return Truecaser(TruecaseTagger(config), vocab, suffixes, {})


@pytest.fixture(scope="module")
def quick_checkpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("truecase") / "truecase.pt"
    truecase.train(quick=True, out=path)
    return path


@pytest.fixture(scope="module")
def shipped() -> Truecaser:
    return load_truecaser(SHIPPED)


@pytest.mark.parametrize(
    "written, tag",
    [
        ("the", LOWER),
        ("Blair", CAPITALISED),
        ("I", CAPITALISED),
        ("MPs", CAPITALISED),
        ("O'Driscoll", CAPITALISED),
        ("BBC", UPPER),
        ("UK's", CAPITALISED),
        ("iPod", LOWER),
        ("2004", LOWER),
        (".", LOWER),
    ],
)
def test_tags_come_from_the_written_case(written, tag):
    assert tag_of(written) == tag


def test_rule_capitalises_the_first_word_and_words_after_sentence_ends():
    tokens = ['"', "we", "won", ".", '"', "he", "said", "3.5", "!", "ok", "?"]
    capitalised = [t for t, tag in zip(tokens, rule_tags(tokens), strict=True) if tag]
    assert capitalised == ["we", "he", "ok"]


def test_shape_features_mark_first_word_sentence_starts_and_punctuation():
    features = shape_features(["'", "we", "won", ".", "he"])
    assert features == [
        [0.0, 0.0, 1.0],
        [1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 1.0, 0.0],
    ]


def test_render_uses_known_odd_spellings():
    spellings = {"Capitalised|mps": "MPs"}
    assert render("mps", CAPITALISED, spellings) == "MPs"
    assert render("bbc", UPPER, spellings) == "BBC"
    assert render("london", CAPITALISED, spellings) == "London"
    assert render("the", LOWER, spellings) == "the"


def test_padding_is_never_read_as_words():
    tagger = tiny_truecaser()
    texts = [WORDS, WORDS[:3]]
    together = tagger.tag_probabilities(texts)
    alone = [tagger.tag_probabilities([t])[0] for t in texts]
    for a, b in zip(together, alone, strict=True):
        assert torch.allclose(a, b, atol=1e-6)


def test_collate_pads_and_ignores_padding_in_the_loss():
    tagger = tiny_truecaser()
    encoded = [encode(WORDS[:4], tagger.vocab, tagger.suffixes)]
    encoded.append(encode(WORDS[:2], tagger.vocab, tagger.suffixes))
    batch = collate(encoded, [[0, 1, 1, 0], [1, 1]])
    assert batch[0].shape == (2, 4) and batch[4][1].tolist() == [1, 1, -100, -100]
    logits, loss = tagger.model(*batch)
    assert logits.shape == (2, 4, len(TAGS)) and torch.isfinite(loss)


def test_the_model_never_sees_the_original_case():
    tagger = tiny_truecaser()
    assert (
        tagger.restore("Tony Blair met the BBC").to_dict()
        == tagger.restore("tony blair met the bbc").to_dict()
        == tagger.restore("TONY BLAIR MET THE BBC").to_dict()
    )


def test_restored_text_keeps_the_spacing_and_only_changes_case():
    text = 'tony  blair\nmet 🙂 the bbc: "we won"!'
    restored = tiny_truecaser().restore(text)
    assert restored.text.casefold() == text.casefold()
    assert [t.token for t in restored.tokens][:3] == ["tony", "blair", "met"]
    assert restored.tokens[-1].tag == "lower" and restored.tokens[-1].p_capital == 0


def test_long_text_is_cut_with_a_note():
    restored = tiny_truecaser().restore("the bbc " * MAX_TOKENS)
    assert len(restored.tokens) == MAX_TOKENS and restored.truncated
    assert restored.tokens_total == 2 * MAX_TOKENS
    assert any(str(MAX_TOKENS) in note for note in restored.notes)


@pytest.mark.parametrize(
    "text", ["", "  \n ", "🙂🙂", "123 !!", "<b></b>", "qzxv wxqj", "a " * 20_000]
)
def test_bad_input_raises_a_friendly_input_error(text):
    with pytest.raises(InputError):
        tiny_truecaser().restore(text)


@given(st.text(max_size=300))
def test_any_text_restores_or_raises_an_input_error(text):
    try:
        restored = tiny_truecaser().restore(text)
    except InputError:
        return
    assert 0 < len(restored.tokens) <= MAX_TOKENS
    assert all(t.tag in TAGS and 0 <= t.p_capital <= 1 for t in restored.tokens)


def test_quick_training_writes_a_checkpoint_that_predicts(quick_checkpoint):
    results = truecase.predict([EXAMPLES[0], "🙂"], quick_checkpoint)
    assert len(results[0]["tokens"]) > 5 and results[0]["text"]
    assert "error" in results[1]


def test_quick_bench_reports_the_shared_keys(quick_checkpoint):
    report = truecase.bench(quick=True, checkpoint=quick_checkpoint)
    for key in ("accuracy", "baseline", "baseline_name", "n_test", "parameters"):
        assert key in report
    assert report["truecase_f1_gain"] == pytest.approx(
        report["tagger_f1"] - report["rule_f1"], abs=1e-3
    )
    assert report["predict_p95_ms"] > 0 and report["checkpoint_kb"] > 0


def test_quick_training_is_reproducible(quick_checkpoint, tmp_path):
    again = tmp_path / "again.pt"
    truecase.train(quick=True, out=again)
    first = load_checkpoint(quick_checkpoint, "truecase").state_dict
    second = load_checkpoint(again, "truecase").state_dict
    assert all(torch.equal(first[k], second[k]) for k in first)


def test_missing_or_damaged_checkpoint_raises_checkpoint_error(tmp_path):
    with pytest.raises(CheckpointError):
        load_truecaser(tmp_path / "absent.pt")
    damaged = tmp_path / "damaged.pt"
    damaged.write_bytes(b"\x00" * 100)
    with pytest.raises(CheckpointError):
        load_truecaser(damaged)


def test_shipped_tagger_beats_the_rule_by_ten_f1_points(shipped):
    scores = truecase.evaluate(shipped, list(truecase.paragraphs("test"))[:400])
    assert scores["tagger_f1"] - scores["rule_f1"] >= 0.10
    assert scores["tagger_accuracy"] > scores["rule_accuracy"]
    assert SHIPPED.stat().st_size < 2 * 1024 * 1024


def test_shipped_tagger_lights_up_the_names(shipped):
    restored = shipped.restore(EXAMPLES[0])
    assert restored.text.startswith("Tony Blair met Gordon Brown in London")
    assert "BBC" in restored.text
