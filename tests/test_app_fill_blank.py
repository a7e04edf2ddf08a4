"""Page tests for "Fill the blank" (the shipped model, real reruns)."""

import pytest
from streamlit.testing.v1 import AppTest

from playground.fill_blank_views import DEFAULT_TEXT, EXAMPLES
from playground.widgets import escape_markdown
from tests.apptest import open_page, open_tab

PAGE = "pages/fill_blank.py"


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE)


def type_text(app: AppTest, text: str) -> AppTest:
    app.text_input(key="fill_text").set_value(text).run()
    assert not app.exception
    return app


def summaries(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown if m.value.startswith("Forward only")]


def charts(app: AppTest) -> list:
    return app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")


def click_word(app: AppTest, index: int) -> AppTest:
    group = next(g for g in app.button_group if (g.key or "").startswith("fill_click"))
    group.set_value(index).run()
    assert not app.exception
    return app


def model_answers(text: str) -> dict[str, str]:
    from playground.models import fill_blank_reader

    step = fill_blank_reader().fill(text).steps[0]
    return {view: step.ranked(view)[0].word for view in ("forward", "both")}


def test_the_default_sentence_shows_three_views(at):
    assert at.text_input(key="fill_text").value == DEFAULT_TEXT
    (summary,) = summaries(at)
    expected = model_answers(DEFAULT_TEXT)
    assert f"Forward only →: **{expected['forward']}**" in summary
    assert f"Both directions ↔: **{expected['both']}**" in summary
    assert len(charts(at)) >= 5  # three candidate lists, two heatmaps
    sees = [c.value for c in at.caption if c.value.startswith("sees:")]
    assert sees == [
        "sees: " + escape_markdown(text)
        for text in ("“the” →", "← “sat on the mat.”", "“the ___ sat on the mat.”")
    ]
    filled = f"Filled in: The **{expected['both']}** sat on the mat\\."
    assert any(m.value == filled for m in at.markdown)


def test_a_typed_sentence_is_filled(at):
    text = "She drank a cup of ___ with her breakfast."
    type_text(at, text)
    (summary,) = summaries(at)
    expected = model_answers(text)
    assert f"Both directions ↔: **{expected['both']}**" in summary
    assert any(
        c.value == "sees: " + escape_markdown("“she drank a cup of” →")
        for c in at.caption
    )


def test_clicking_a_word_hides_it(at):
    type_text(at, "The dog barked at the postman.")
    assert any("no blank" in i.value for i in at.info)
    click_word(at, 1)  # "dog"
    assert at.text_input(key="fill_text").value == "The ___ barked at the postman."
    assert len(summaries(at)) == 1


def test_clicking_a_word_keeps_the_earlier_blanks_blank(at):
    type_text(at, "Turn off the ___ when you leave the room")
    group = next(g for g in at.button_group if (g.key or "").startswith("fill_click"))
    words = [option.content for option in group.proto.options]
    assert "___" not in words and words[-1] == "room"  # the learner's own words
    click_word(at, 8)  # "room"
    assert at.text_input(key="fill_text").value == (
        "Turn off the ___ when you leave the ___"
    )
    assert len(summaries(at)) == 2  # two blanks, both filled by the model


def test_several_blanks_are_filled_left_to_right(at):
    at.button_group(key="fill_example").set_value(EXAMPLES[-1]).run()
    assert not at.exception
    assert at.text_input(key="fill_text").value == "The ___ sat on the ___."
    steps = [t.label for t in at.tabs if t.label.startswith("Step")]
    assert len(steps) == 2 and len(summaries(at)) == 2
    filled = next(m.value for m in at.markdown if m.value.startswith("Filled in"))
    assert filled.endswith("\\.")  # the learner's text is shown as written
    first, second = (label.split("→ ")[1] for label in steps)
    assert f"**{first}**" in filled and f"**{second}**" in filled
    assert at.radio(key="fill_inside_step").options == [
        f"1: ___ → {first}",
        f"2: ___ → {second}",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "no blank here",
        "___",
        "___ ___ ___",
        " ".join(["word ___"] * 11),
        "?! ___ …",
        "<b>The</b> ___ sat on the <i>mat</i>.",
        "🐱 The ___ sat on the mat 😀",
        "zzqx ___ vvqk",
        "___ sat on the mat.",
        "The cat sat on the ___",
        ("the cat sat on the mat " * 2_000)[:49_990] + " ___",
    ],
)
def test_bad_input_never_breaks_the_page(at, text):
    type_text(at, text)
    messages = [m.value for m in at.info] + [c.value for c in at.caption]
    assert messages  # a friendly word or an answer, never a traceback
    assert at.text_input(key="fill_text").value == text


def test_the_quiz_checks_a_guess_and_moves_on(at):
    open_tab(at, "fill_tab", "Quiz: beat the model")
    question = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert "\\_\\_\\_" in question
    at.text_input(key="fill_quiz_guess").set_value("zzqx")
    at.button(key="FormSubmitter:fill_quiz_form-Check my guess").click().run()
    assert not at.exception
    assert any("The missing word was" in w.value for w in at.warning)
    table = next(df.value for df in at.dataframe if "Reader" in df.value.columns)
    assert len(table) == 3 and table["Found it"].str.match("^[✓✗]").all()
    assert any("Your score: 0 of 1" in c.value for c in at.caption)
    at.button(key="fill_quiz_next").click().run()
    assert not at.exception
    assert next(m.value for m in at.markdown if m.value.startswith("#### ")) != question


def test_everyday_quiz_sentences_are_real_held_out_text(at):
    """The quiz's everyday sentences are the stored held-out ones of real
    everyday English (tweets, WordNet examples, rated sentences), not generated."""
    from engine.tasks import fill_blank as task
    from engine.text import detokenize

    open_tab(at, "fill_tab", "Quiz: beat the model")
    question = next(m.value for m in at.markdown if m.value.startswith("#### "))
    vocab = task.load_reader(task.CHECKPOINT_DIR / "fill-blank.pt").vocab
    shown = {
        detokenize(["___" if i == p else t for i, t in enumerate(tokens)]).lower()
        for tokens, p in task.quiz_items("everyday", vocab)
    }
    text = question.removeprefix("#### ").replace("\\", "").lower()
    assert text in shown


def test_the_page_says_a_keyboard_can_only_use_the_forward_reader(at):
    assert any("all a phone keyboard can use" in c.value for c in at.caption)


def test_bbc_quiz_sentences_come_from_the_test_split(at):
    open_tab(at, "fill_tab", "Quiz: beat the model")
    at.button_group(key="fill_quiz_source").set_value("bbc").run()
    assert not at.exception
    question = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert question.count("\\_\\_\\_") == 1


def test_a_missing_checkpoint_gives_a_clear_message(monkeypatch, tmp_path):
    from playground import models

    models.fill_blank_reader.clear()
    monkeypatch.setattr(models, "fill_blank_path", lambda: tmp_path / "none.pt")
    app = open_page(PAGE)
    models.fill_blank_reader.clear()
    assert "python -m engine train fill-blank" in app.error[0].value


def test_the_diagram_meets_at_the_blank():
    from playground.diagrams import fill_blank

    words = "the ___ sat on the mat .".split()
    dot = fill_blank(words, 1, "cat")
    assert '"___ → cat?"' in dot and '"h→1"' in dot and '"h←3"' in dot
    assert "f0 -> x1" in dot and "x1 -> b2 [dir=back" in dot
    assert '"h→3"' not in dot and '"h←1"' not in dot  # each reader stops at it
    long = fill_blank([f"w{i}" for i in range(30)], 15, "x")
    assert long.count('"…"') == 2 and '"w10"' in long and '"w9"' not in long
    at_start = fill_blank(["___", "sat"], 0, "cat")
    assert 'label=" forward "' not in at_start and 'label=" backward "' in at_start


def test_the_race_tab_shows_the_stored_benchmark(at):
    from playground.models import fill_blank_bench

    bench = fill_blank_bench()
    open_tab(at, "fill_tab", "Race: BiLSTM vs n-gram")
    table = next(df.value for df in at.dataframe if "n-gram top 1" in df.value)
    news = table[table["test sentences"] == "BBC News"].iloc[0]
    assert news["BiLSTM top 1"] == bench["bbc"]["bi_top1"]
    assert news["n-gram top 1"] == bench["bbc"]["ngram_top1"]
    text = next(m.value for m in at.markdown if "hard to beat on news" in m.value)
    assert f"{bench['bbc']['ngram_top1']:.0%} of the time" in text
    example = bench["long_range_example"]
    if example:  # measured: a model may find none
        assert f"{example['words_away']} words from the blank" in text
    else:
        assert "context further away" not in text


def test_the_race_text_follows_the_numbers():
    from playground.fill_blank_views import race_text, training_caption

    domain = {"bi_top1": 0.5, "ngram_top1": 0.25}
    phrases = {
        "phrase_seen": 0.3,
        "ngram_top1_phrase_seen": 0.45,
        "bi_top1_phrase_seen": 0.34,
        "ngram_top1_phrase_unseen": 0.031,
        "bi_top1_phrase_unseen": 0.089,
    }
    example = {
        "sentence": "She brushed her ___ before bed .",
        "answer": "teeth",
        "answer_probability": 0.6,
        "deciding_word": "brushed",
        "words_away": 3,
        "probability_without_it": 0.002,
        "ngram_top5": ["hair", "way", "own", "first", "best"],
    }
    text = race_text({"bbc": domain, "everyday": domain})
    assert "right 25% of the time, the BiLSTM's 50%" in text
    assert "phrase" not in text and "brushed" not in text  # nothing stored: no claim
    text = race_text(
        {
            "bbc": domain | phrases,
            "everyday": domain | phrases | {"bi_top1_phrase_unseen": 0.12},
            "long_range_example": example,
        }
    )
    assert "on 30% of these blanks" in text and "is right 45% of the time" in text
    assert "right 3% of the time there, the BiLSTM 12%" in text
    assert "**teeth** (60%)" in text and "3 words from the blank" in text
    assert "falls to 0.2%" in text
    caption = training_caption({"train_sentences": {"bbc": 1, "everyday": 3}})
    assert caption.startswith("trained on 4 sentences: BBC News (25%)")
