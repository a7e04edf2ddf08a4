"""Page tests for the sentiment reader (the shipped models, real reruns)."""

import pytest
from streamlit.testing.v1 import AppTest

from playground.sentiment_views import EXAMPLES, WORD_ORDER_EXAMPLES
from tests.apptest import open_page, open_tab

PAGE = "pages/sentiment.py"


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE)


def type_text(app: AppTest, text: str) -> AppTest:
    app.text_input(key="sentiment_text").set_value(text).run()
    assert not app.exception
    return app


def answer(app: AppTest) -> str:
    return app.metric[0].value


def test_default_sentence_is_read_with_three_probabilities(at):
    from playground.models import sentiment_reader
    from playground.sentiment_views import DEFAULT_TEXT, EXAMPLES

    assert answer(at) == sentiment_reader("uni").read(DEFAULT_TEXT).label
    assert " but " in DEFAULT_TEXT  # contrast first; negation among the examples
    assert any(" not " in e or "n't" in e for e in EXAMPLES)
    shares = [int(m.value.rstrip("%")) for m in at.metric[1:4]]
    assert 98 <= sum(shares) <= 102
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_typing_a_sentence_changes_the_answer(at):
    type_text(at, "What a wonderful film, I loved every minute")
    assert answer(at) == "positive"
    type_text(at, "The seats were dirty and the crew were rude")
    assert answer(at) == "negative"


def test_an_example_fills_the_text_box(at):
    at.button_group(key="sentiment_example").set_value(EXAMPLES[2]).run()
    assert not at.exception
    assert at.text_input(key="sentiment_text").value == EXAMPLES[2]


def test_the_bidirectional_model_reads_too(at):
    at.button_group(key="sentiment_direction").set_value("bi").run()
    assert not at.exception
    type_text(at, "Not bad at all, I really enjoyed it")
    assert answer(at) == "positive"
    assert any("BiLSTM" in c.value for c in at.caption)


def test_three_readers_and_the_word_order_table(at):
    open_tab(at, "sentiment_tab", "Three readers")
    tables = [df.value for df in at.dataframe]
    readers = next(t for t in tables if "Reader" in t.columns)
    assert len(readers) == 3 and readers["Says"][0] == answer(at)
    open_tab(at, "sentiment_tab", "Word order")
    tables = [df.value for df in at.dataframe]
    order = next(t for t in tables if "Sentence" in t.columns)
    assert len(order) == len(WORD_ORDER_EXAMPLES)
    assert set(order.columns) >= {"LSTM", "BiLSTM", "Bag of words", "VADER"}
    assert order["LSTM"].str.match("^[✓✗] ").all()


def test_explorer_filters_the_misread_test_tweets(at):
    wrong = next(df.value for df in at.dataframe if "tweet" in df.value.columns)
    assert len(wrong) > 100 and (wrong["label"] != wrong["model says"]).all()
    at.button_group(key="misread_label").set_value(["positive"]).run()
    at.button_group(key="misread_said").set_value(["negative"]).run()
    assert not at.exception
    wrong = next(df.value for df in at.dataframe if "tweet" in df.value.columns)
    assert len(wrong) > 0
    assert set(wrong["label"]) == {"positive"} and set(wrong["model says"]) == {
        "negative"
    }
    at.text_input(key="misread_search").set_value("zzqx no such tweet").run()
    wrong = next(df.value for df in at.dataframe if "tweet" in df.value.columns)
    assert len(wrong) == 0 and not at.exception


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "😀🎉",
        "zzqx vvqk",
        "<script>alert(1)</script>",
        "http://t.co/x @united",
        "good " * 10_000,
        "\x00\x07",
    ],
)
def test_bad_text_never_breaks_the_page(at, text):
    type_text(at, text)
    messages = [m.value for m in at.info] + [c.value for c in at.caption]
    assert messages  # a friendly word, never a traceback
    assert at.get("arrow_data_frame") or at.dataframe  # the explorer still works


def test_a_missing_checkpoint_gives_a_clear_message(monkeypatch, tmp_path):
    from playground import models

    models.sentiment_reader.clear()
    monkeypatch.setattr(models, "sentiment_path", lambda d: tmp_path / "none.pt")
    app = open_page(PAGE)  # no exception: a message instead
    models.sentiment_reader.clear()
    assert "python -m engine train sentiment" in app.error[0].value


def test_emoji_are_read_as_tokens(at):
    type_text(at, "😀😂🔥 I ❤️ RNNs 👍🏽")
    assert not at.exception
    assert any("Skin tones are folded" in c.value for c in at.caption)
    assert at.metric[0].value in ("negative", "neutral", "positive")


def test_the_rated_sentences_tab_shows_how_people_rated_it(at):
    open_tab(at, "sentiment_tab", "Rated by people")
    assert not at.exception
    rating = next(m for m in at.metric if m.label == "People's mean rating")
    assert -4 <= float(rating.value) <= 4
    first = next(m.value for m in at.markdown if m.value.startswith("#### "))
    at.button(key="sentiment_rated_next").click().run()
    assert next(m.value for m in at.markdown if m.value.startswith("#### ")) != first
    at.button_group(key="sentiment_rated_source").set_value("editorials").run()
    assert not at.exception


def test_compare_two_sentences_side_by_side(at):
    at.toggle(key="sentiment_compare_on").set_value(True).run()
    assert not at.exception
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) >= 4  # two trajectories, topics, confusion matrix
    said = [m.value for m in at.markdown if m.value.startswith("**Compared:**")]
    assert len(said) == 1 and "positive" in said[0]  # "The food was good"
    at.text_input(key="sentiment_compare").set_value("~~ ^^").run()
    assert not at.exception
    assert any("no words" in i.value for i in at.info)
    at.text_input(key="sentiment_compare").set_value("🎉🎉").run()  # emoji are read
    said = [m.value for m in at.markdown if m.value.startswith("**Compared:**")]
    assert not at.exception and len(said) == 1


def test_the_many_to_one_diagram_is_labelled_with_the_words():
    from playground.diagrams import many_to_one

    words = "the food was not good and i will never come back again".split()
    one_way = many_to_one(words, "negative 99%")
    assert '"the"' in one_way and '"again"' in one_way and '"…"' in one_way
    assert one_way.count("final state") == 1 and "h_s12 -> out" in one_way
    both = many_to_one(words[:5], "negative 99%", both_directions=True)
    assert "b_s1 -> out" in both and "dir=back" in both and "h5←" in both


def test_the_bias_table_says_what_the_models_say_today(at):
    from playground.models import sentiment_reader
    from playground.sentiment_views import BIAS_EXAMPLES

    table = next(
        df.value for df in at.dataframe if "Text (no sentiment of its own)" in df.value
    )
    assert list(table["Text (no sentiment of its own)"]) == list(BIAS_EXAMPLES)
    for text, said in zip(BIAS_EXAMPLES, table["LSTM"], strict=True):
        assert said.startswith(sentiment_reader("uni").read(text, steps=False).label)


def guess_lines(app: AppTest) -> tuple[list[str], list[str]]:
    captions = [c.value for c in app.caption]
    return (
        [c for c in captions if c.startswith("**Guess first:**")],
        [c for c in captions if "You guessed?" in c],
    )


@pytest.mark.parametrize("direction, name", [("uni", "LSTM"), ("bi", "BiLSTM")])
def test_the_examples_ask_for_a_guess_then_answer_it(at, direction, name):
    """Predict first: the question before a tap; after it, the same question
    beside the reader's own label and probability."""
    from playground.models import sentiment_reader
    from playground.sentiment_views import GUESS_EXAMPLE, LABEL_MARKS
    from playground.widgets import escape_markdown

    at.button_group(key="sentiment_direction").set_value(direction).run()
    asked, answered = guess_lines(at)
    assert len(asked) == 1 and answered == []
    assert (
        f"Will the model call “{escape_markdown(GUESS_EXAMPLE)}” negative" in asked[0]
    )
    said = set()
    for example in (EXAMPLES[1], EXAMPLES[2]):
        at.button_group(key="sentiment_example").set_value(example).run()
        [line] = guess_lines(at)[1]
        question = f"Will the model call “{escape_markdown(example)}” negative"
        assert line.startswith(question)
        reading = sentiment_reader(direction).read(example, steps=False)
        label = reading.label
        assert f"The {name} says {LABEL_MARKS[label]}" in line
        assert f"P({label}) = {reading.probabilities[label]:.0%}" in line
        assert answer(at) == label  # the verdict above says the same
        said.add(line)
    assert len(said) == 2
    type_text(at, "Something I typed myself")
    assert guess_lines(at)[1] == []  # not an example any more: no answer


def test_the_footer_says_which_keyboard_layers_each_reader_starts_from(at):
    from playground.models import next_word_model, sentiment_reader
    from playground.sentiment_views import pretraining_note

    layers = next_word_model()[1].config["num_layers"]
    uni = sentiment_reader("uni").model.config.num_layers
    footer = next(c.value for c in at.caption if c.value.startswith("Model:"))
    whole = f"its {uni} LSTM layers start as a copy of the whole of the next-word "
    assert whole + f"keyboard's {layers}-layer LSTM" in footer
    assert "first layer start from" not in footer  # the old, loose wording
    assert "an average over about its last 1,000 training steps" in footer
    at.button_group(key="sentiment_direction").set_value("bi").run()
    footer = next(c.value for c in at.caption if c.value.startswith("Model:"))
    assert "in each reading direction, as a copy of the keyboard's first layer" in (
        footer
    )
    assert "hidden units in each direction" in footer
    # the averaged weights are mentioned only for a reader that kept them
    from playground.sentiment_views import averaging_note

    assert "last 1,000 training steps" in averaging_note({"average_decay": 0.999})
    assert averaging_note({"average_decay": None}) == averaging_note({}) == ""
    recipe = sentiment_reader("bi").metrics["recipe"]
    assert averaging_note(recipe) in footer
    # the sentence follows the sizes it is given
    assert "copy of the first 1 of the next-word keyboard's 3-layer" in (
        pretraining_note(1, "uni", 3)
    )
    assert "keyboard's LSTM" in pretraining_note(2, "uni", None)
