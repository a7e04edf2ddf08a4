"""Text to numbers shows a real model's vocabulary: the keyboard's, with counts
measured on the text it was built from (issue 17: no 17.7k vocabulary no model uses)."""

import pytest

from engine.checkpoints import default_path, load_checkpoint
from engine.corpora import shipped_corpus_stats
from engine.lm_corpus import KEYBOARD, vocab_coverage, vocab_digest
from engine.tasks.next_word import _repeated_shares
from engine.text import SPECIALS, Vocab, tokenize
from playground import data_views
from tests.apptest import open_page

PAGE = "pages/text_to_numbers.py"


@pytest.fixture(scope="module")
def keyboard():
    return load_checkpoint(default_path(KEYBOARD), KEYBOARD)


@pytest.fixture(scope="module")
def stats():
    return shipped_corpus_stats()["keyboard_vocab"]


def test_coverage_counts_the_training_text_and_the_held_out_text():
    train = [["the", "cat", "sat", "<eos>"], ["the", "dog", "sat", "the"]]
    vocab = Vocab.build(train, min_freq=2)  # the, sat
    report = vocab_coverage(vocab, train, {"news": [["the", "cow"]]}, top=2)
    assert report["size"] == len(SPECIALS) + 2
    assert report["train_tokens"] == 8
    assert report["train_distinct_words"] == 4  # <eos> is not a word of the text
    assert report["rarest_count"] == 2 and report["median_count"] == 2.5
    assert report["train_known_share"] == round(6 / 8, 4)  # the ×3, sat ×2, <eos>
    assert report["top"] == [["the", 3], ["sat", 2]]
    assert report["test_unknown_share"] == {"news": 0.5}  # "cow"


def test_a_vocabulary_fingerprint_changes_with_any_id():
    vocab = Vocab([*SPECIALS, "a", "b"])
    assert vocab_digest(vocab) == vocab_digest(Vocab([*SPECIALS, "a", "b"]))
    assert vocab_digest(vocab) != vocab_digest(Vocab([*SPECIALS, "b", "a"]))


def test_the_stored_counts_are_the_shipped_keyboards(keyboard, stats):
    """The page shows them only for this vocabulary (a retrained model would
    need `python -m engine bench corpora` again)."""
    assert stats["fingerprint"] == vocab_digest(keyboard.vocab)
    assert stats["size"] == len(keyboard.vocab) == 20_000
    # the model's last epochs may read the everyday text more than once: its
    # shares are then those of what it read, the vocabulary's those of the text
    repeats = keyboard.metrics.get("everyday_repeats", 1)
    read = _repeated_shares(stats["train_shares"], repeats)
    assert read == pytest.approx(keyboard.metrics["train_shares"], abs=1e-3)
    if repeats == 1:
        assert stats["train_tokens"] == keyboard.metrics["train_tokens"]
    else:
        assert stats["train_tokens"] < keyboard.metrics["train_tokens"]
    assert data_views.keyboard_vocab_stats() == stats


def test_the_sentences_follow_the_counts(stats):
    """Every number in the page's text is read from the counts: change them and
    the text changes."""
    text = data_views.vocab_sentence(stats)
    assert f"**{stats['size']:,} tokens**" in text
    assert f"{stats['train_tokens']:,} tokens of BBC News articles (38%)" in text
    changed = stats | {
        "size": 12_004,
        "rarest_count": 9,
        "test_unknown_share": {"bbc": 0.061, "everyday": 0.0725},
    }
    text = data_views.vocab_sentence(changed)
    assert "**12,004 tokens**" in text and "the 12,000 most frequent" in text
    assert "at least 9 times" in text
    assert "6.1% of the news tokens and 7.2% of the everyday tokens" in text
    look = data_views.top_tokens_look_for(stats | {"median_count": 10.5})
    assert "seen 10 times or fewer" in look  # half of them, exactly


def test_the_page_reads_text_with_the_keyboards_ids(keyboard, stats):
    app = open_page(PAGE)
    text = "the government said zzqxv"
    app.text_area(key="tokens_text").input(text).run()
    assert not app.exception
    table = next(d.value for d in app.dataframe if "id" in d.value.columns)
    assert list(table["id"]) == keyboard.vocab.encode(tokenize(text))
    markdown = " ".join(m.value for m in app.markdown)
    assert "reads with (the LSTM of the Next-word keyboard page)" in markdown
    assert f"a vocabulary of **{len(keyboard.vocab):,} tokens**" in markdown
    assert "17,7" not in markdown  # the old BBC-only vocabulary is gone
    unknown = stats["test_unknown_share"]
    assert f"{unknown['everyday']:.1%} of the everyday tokens" in markdown
    captions = [c.value for c in app.caption]
    assert f"its vocabulary of {len(keyboard.vocab):,} tokens" in " ".join(captions)
    assert data_views.top_tokens_look_for(stats) in captions


def test_emoji_are_unknown_to_the_keyboard():
    app = open_page(PAGE)
    app.text_area(key="tokens_text").input("great 😀 :)").run()
    values = {m.label: m.value for m in app.metric}
    assert values["Unknown (<unk>)"] == "2" and data_views.emoji_in_vocab() == 0
    assert any("its vocabulary has none" in c.value for c in app.caption)
