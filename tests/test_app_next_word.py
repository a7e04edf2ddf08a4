"""Page tests for the next-word keyboard (the shipped model, real reruns)."""

import json

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from engine.corpora import load_bbc
from engine.keyboard import apply_suggestion
from tests.apptest import open_page, open_tab

PAGE = "pages/next_word.py"


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE)


def suggestions(app: AppTest) -> list[str]:
    return [app.button(key=f"suggestion_{i}").label for i in range(3)]


def type_text(app: AppTest, text: str) -> AppTest:
    app.text_input(key="typed").set_value(text).run()
    assert not app.exception
    return app


def test_three_suggestions_and_a_chart(at):
    labels = suggestions(at)
    assert len(set(labels)) == 3 and all(label != "·" for label in labels)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_a_half_typed_word_is_completed(at):
    type_text(at, "The gov")
    assert all(word.startswith("gov") for word in suggestions(at))


def test_tapping_a_suggestion_appends_the_word(at):
    type_text(at, "The prime minister said ")
    best = at.button(key="suggestion_0").label
    at.button(key="suggestion_0").click().run()
    expected = apply_suggestion("The prime minister said ", "", best)
    assert at.text_input(key="typed").value == expected
    type_text(at, "The gov")
    word = at.button(key="suggestion_0").label
    at.button(key="suggestion_0").click().run()
    assert at.text_input(key="typed").value == f"The {word} "


@pytest.mark.parametrize(
    "text",
    ["", "   ", "?!.,;", "zzqx vvqk", "😀🎉", "<script>alert(1)</script>",
     "word " * 10_000, "\x00\x07"],
)  # fmt: skip
def test_bad_text_never_breaks_the_page(at, text):
    type_text(at, text)
    assert len(at.button) >= 3


def test_keep_tapping_adds_words(at):
    open_tab(at, "keyboard_tab", "Keep tapping")
    [tap] = [b for b in at.button if b.label == "Keep tapping"]
    tap.click().run()
    assert not at.exception
    assert any("▸" in t.value for t in at.text)


def test_keep_tapping_finishes_a_half_typed_word_first(at):
    type_text(at, "The weather tod")
    best = at.button(key="suggestion_0").label  # "today"
    open_tab(at, "keyboard_tab", "Keep tapping")
    [tap] = [b for b in at.button if b.label == "Keep tapping"]
    tap.click().run()
    [shown] = [t.value for t in at.text if "▸" in t.value]
    start, added = shown.split(" ▸ ")
    assert start == "The weather tod" and added.split()[0] == best
    note = f"finished your half-typed “tod” as “{best}”"
    assert any(note in caption.value for caption in at.caption)


def test_the_completion_chart_shows_shares_among_completions(at):
    type_text(at, "The weather tod")
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    [chart] = [c for c in charts if "starting with" in c.proto.spec]
    x = json.loads(chart.proto.spec)["encoding"]["x"]
    assert x["title"] == "Share among words starting with “tod”"
    assert x["scale"]["domain"] == [0, 1] and x["axis"]["format"] == "%"
    data = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()
    assert x["field"] == "share" and data["word"][0] == "today"
    # P(word) itself is tiny ("today" about 0.03%); its share is most of the axis
    assert data["probability"][0] < 0.01 and 0.5 < data["share"][0] <= 1
    assert data["share"].sum() <= 1 + 1e-6


def test_lstm_and_trigram_side_by_side(at):
    assert not at.dataframe  # lazy tabs: the comparison runs only when opened
    open_tab(at, "keyboard_tab", "LSTM vs n-gram")
    assert len(at.dataframe) >= 2


def test_train_your_own_keyboard(at):
    at.text_area[0].input("far too short").run()
    [train] = [b for b in at.button if b.label == "Train my keyboard"]
    train.click().run()
    assert "at least 200" in at.error[0].value
    at.text_area[0].input("\n".join(d.text for d in load_bbc()[:3])).run()
    [train] = [b for b in at.button if b.label == "Train my keyboard"]
    train.click().run()
    assert not at.exception
    assert "Your keyboard" in at.success[0].value
    [loss] = [c.value for c in at.caption if c.value.startswith("Look for the curve")]
    assert "Your training loss went from" in loss
    code = next(c.value for c in at.code if "class LanguageModel" in c.value)
    assert "nn.LSTM(" in code  # "Copy as PyTorch": the learner's own model
    at.button_group(key="keyboard_model").set_value("My keyboard").run()
    type_text(at, "The ")
    assert not at.exception and len(set(suggestions(at))) == 3
    open_tab(at, "keyboard_tab", "LSTM vs n-gram")
    assert "switch back" in at.info[0].value


def test_the_page_says_what_the_model_read_with_each_share(at):
    from engine.checkpoints import default_path
    from engine.tasks.next_word import load_model

    shares = load_model(default_path("next-word"))[1].metrics["train_shares"]
    intro = next(m.value for m in at.markdown if "LSTM language model" in m.value)
    for name, share in shares.items():
        assert f"{share:.0%}" in intro, name
    assert "tweets" in intro and "BBC News articles" in intro


def test_an_everyday_example_chip_fills_the_box(at):
    chips = at.get("button_group")[0]
    everyday = "Can't wait to see you "
    assert everyday in chips.proto.options[0].content or any(
        everyday == o.content for o in chips.proto.options
    )
    at.session_state["keyboard_example"] = everyday
    at.run()
    assert not at.exception


def test_lstm_vs_ngram_shows_both_domains(at):
    open_tab(at, "keyboard_tab", "LSTM vs n-gram")
    frames = [d.value for d in at.dataframe]
    table = next(f for f in frames if "held-out text" in f.columns)
    assert list(table["held-out text"]) == ["BBC News", "Everyday English"]
    text = " ".join(m.value for m in at.markdown)
    assert "everything you typed, up to 200 tokens" in text
    assert "the LSTM then reads its last 151 to 200 tokens" in text


def test_the_reading_window_is_computed_from_the_trimming_rule(monkeypatch):
    """Past the limit whole blocks are cut, so the LSTM reads between a block less
    one and the limit; another block size gives another sentence."""
    from engine import keyboard
    from playground import keyboard_views

    sentence = keyboard_views.reading_window()
    assert "blocks of 50 tokens" in sentence and "last 151 to 200" in sentence
    monkeypatch.setattr(keyboard, "WINDOW_STEP", 20)
    monkeypatch.setattr(keyboard_views, "WINDOW_STEP", 20)
    sentence = keyboard_views.reading_window()
    assert "blocks of 20 tokens" in sentence and "last 181 to 200" in sentence


def test_the_occlusion_text_counts_the_tokens_hidden_and_speaks_in_points(at):
    type_text(at, "I think the weather will be fine today because the sun is out and ")
    text = next(m.value for m in at.markdown if "is hidden in turn" in m.value)
    assert text.startswith("Each of the last 12 tokens you typed is hidden in turn")
    assert "percentage points" in text


def test_the_chips_ask_for_a_guess_then_answer_it(at):
    """Issue "Teach it right": guess before tapping; the answer restates it."""
    from playground.keyboard_views import EXAMPLES
    from playground.widgets import escape_markdown

    first = EXAMPLES[0].strip()
    question = f"Before you tap: what will the keyboard suggest after “{first}”?"
    assert question in [c.value for c in at.caption]
    at.button_group(key="keyboard_example").set_value(EXAMPLES[0]).run()
    assert not at.exception and at.text_input(key="typed").value == EXAMPLES[0]
    [answer] = [c.value for c in at.caption if "You guessed?" in c.value]
    assert answer.startswith(f"What will it suggest after “{first}”? You guessed?")
    for word in suggestions(at):
        assert f"“{escape_markdown(word)}” (" in answer


def test_the_top_ten_chart_says_what_to_look_for(at):
    import re

    from playground.widgets import escape_markdown

    [caption] = [c.value for c in at.caption if c.value.startswith("Look at how")]
    best = at.button(key="suggestion_0")
    assert (
        f"Here “{escape_markdown(best.label)}” has " in caption
        and "number 10" in caption
    )
    assert best.help.split()[0] in re.findall(r"[\d.]+%", caption)


def test_the_training_summary_names_each_source_and_the_repeats():
    from types import SimpleNamespace

    from playground.keyboard_views import training_summary

    shares = {"bbc": 0.25, "tweets": 0.75}
    once = SimpleNamespace(metrics={"train_shares": shares, "train_tokens": 1000})
    assert training_summary(once).startswith("It was trained on 1,000 tokens")
    twice = SimpleNamespace(
        metrics={"train_shares": shares, "train_tokens": 1600, "everyday_repeats": 2}
    )
    text = training_summary(twice)
    assert "read the everyday text twice for each reading of the news" in text
    assert "1,600 tokens an epoch" in text and "75%" in text
