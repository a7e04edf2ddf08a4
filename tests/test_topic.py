"""Engine tests for the topic task: the pooled classifier, the reader's guess
after every word, bad inputs, training end to end and the shipped checkpoint."""

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from engine.checkpoints import default_path, load_checkpoint
from engine.errors import CheckpointError, InputError
from engine.tasks import topic
from engine.text import Vocab
from engine.topic import (
    EXAMPLES,
    MAX_CHARS,
    MAX_WORDS,
    PARAGRAPH_WORDS,
    TOPICS,
    TopicClassifier,
    TopicConfig,
    TopicReader,
    encode_batch,
    load_topic_reader,
    paragraph_chunks,
)

SHIPPED = default_path("topic")
WORDS = ["the", "bank", "film", "minister", "striker", "phone", "shares", "won"]


def tiny_reader(pooling: str = "mean") -> TopicReader:
    torch.manual_seed(0)
    vocab = Vocab.build([WORDS])
    config = TopicConfig(len(vocab), embed_size=6, hidden_size=5, pooling=pooling)
    return TopicReader(TopicClassifier(config), vocab, {})


@pytest.fixture(scope="module")
def quick_checkpoint(tmp_path_factory):
    path = tmp_path_factory.mktemp("topic") / "topic.pt"
    topic.train(quick=True, out=path)
    return path


@pytest.fixture(scope="module")
def shipped() -> TopicReader:
    return load_topic_reader(SHIPPED)


def test_paragraphs_are_split_on_blank_lines_and_cut_to_length():
    text = "Headline here\n\n" + "word " * (PARAGRAPH_WORDS + 5) + "\n\nLast one."
    chunks = paragraph_chunks(text)
    assert chunks[0] == ["headline", "here"]
    assert [len(c) for c in chunks[1:3]] == [PARAGRAPH_WORDS, 5]
    assert chunks[-1] == ["last", "one", "."]


@pytest.mark.parametrize("pooling", ["mean", "last"])
def test_guess_after_each_word_is_the_answer_for_that_prefix(pooling):
    reader = tiny_reader(pooling)
    ids = torch.tensor(reader.vocab.encode(WORDS))
    steps = reader.model.prefix_probabilities(ids)  # (T, C)
    prefixes = [ids[: t + 1].tolist() for t in range(len(ids))]
    with torch.no_grad():
        logits, _ = reader.model(*encode_batch(prefixes, reader.vocab.pad_id))
    assert torch.allclose(steps, torch.softmax(logits, dim=-1), atol=1e-6)


def test_padding_is_never_read_as_words():
    reader = tiny_reader()
    texts = [reader.vocab.encode(WORDS), reader.vocab.encode(WORDS[:2])]
    with torch.no_grad():
        together, _ = reader.model(*encode_batch(texts, reader.vocab.pad_id))
        alone = [
            reader.model(*encode_batch([t], reader.vocab.pad_id))[0] for t in texts
        ]
    assert torch.allclose(together, torch.cat(alone), atol=1e-6)


def test_reading_ranks_topics_and_steps_end_at_the_answer():
    reading = tiny_reader().read("The BANK's film won; the zzzq minister!")
    probabilities = [t["probability"] for t in reading.topics]
    assert sorted(t["topic"] for t in reading.topics) == sorted(TOPICS)
    assert probabilities == sorted(probabilities, reverse=True)
    assert sum(probabilities) == pytest.approx(1.0, abs=1e-3)
    assert len(reading.steps) == len(reading.words)
    assert reading.steps[-1][reading.topic] == pytest.approx(probabilities[0])
    assert reading.unknown == ["bank's", ";", "zzzq", "!"]
    result = reading.to_dict()
    assert result["topic"] == reading.topic and result["truncated"] is False


def test_long_text_is_cut_with_a_note():
    reading = tiny_reader().read("the bank " * MAX_WORDS)
    assert len(reading.words) == MAX_WORDS == len(reading.steps)
    assert reading.words_total == 2 * MAX_WORDS and reading.truncated
    assert any(str(MAX_WORDS) in note for note in reading.notes)


@pytest.mark.parametrize(
    "text",
    ["", "   \n", "🙂🙂🙂", "<script>alert(1)</script>", "qzxv wxqj!", "x" * 50_000],
)
def test_bad_input_raises_a_friendly_input_error(text):
    with pytest.raises(InputError):
        tiny_reader().read(text)


def test_html_tags_are_skipped_but_their_text_is_read():
    assert tiny_reader().read("<b>the bank</b>").words == ["the", "bank"]


@given(st.text(max_size=300))
def test_any_text_gives_a_reading_or_an_input_error(text):
    try:
        reading = tiny_reader().read(text)
    except InputError:
        return
    assert 0 < len(reading.words) <= MAX_WORDS


def test_quick_training_writes_a_checkpoint_that_predicts(quick_checkpoint):
    results = topic.predict([EXAMPLES[0], ""], quick_checkpoint, k=2)
    assert len(results[0]["topics"]) == 2 and results[0]["topic"] in TOPICS
    assert len(results[0]["steps"]) == len(results[0]["words"])
    assert "error" in results[1]
    assert len(topic.predict([EXAMPLES[0]], quick_checkpoint, k=-3)[0]["topics"]) == 1


def test_quick_bench_reports_the_shared_keys(quick_checkpoint):
    report = topic.bench(quick=True, checkpoint=quick_checkpoint)
    for key in ("accuracy", "baseline", "baseline_name", "n_test", "parameters"):
        assert key in report
    assert report["predict_p95_ms"] > 0 and report["checkpoint_kb"] > 0
    assert 0 <= report["article_accuracy"] <= 1


def test_quick_training_is_reproducible(quick_checkpoint, tmp_path):
    again = tmp_path / "again.pt"
    topic.train(quick=True, out=again)
    first = load_checkpoint(quick_checkpoint, "topic").state_dict
    second = load_checkpoint(again, "topic").state_dict
    assert all(torch.equal(first[k], second[k]) for k in first)


def test_missing_or_damaged_checkpoint_raises_checkpoint_error(tmp_path):
    with pytest.raises(CheckpointError):
        load_topic_reader(tmp_path / "absent.pt")
    damaged = tmp_path / "damaged.pt"
    damaged.write_bytes(b"not a checkpoint")
    with pytest.raises(CheckpointError):
        load_topic_reader(damaged)


def test_shipped_model_meets_its_accuracy_targets(shipped):
    assert topic.accuracy(shipped, topic.paragraphs("test")) >= 0.83
    assert topic.accuracy(shipped, topic.articles("test")) >= 0.94
    assert SHIPPED.stat().st_size < 3 * 1024 * 1024


def test_shipped_model_reads_the_page_examples_right(shipped):
    for text, expected in zip(EXAMPLES, TOPICS, strict=False):
        assert shipped.read(text).topic == expected, text


def test_shipped_reader_refuses_huge_input(shipped):
    with pytest.raises(InputError, match="characters"):
        shipped.read("the bank " * (MAX_CHARS // 8))
