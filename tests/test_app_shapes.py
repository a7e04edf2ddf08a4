"""Page tests for "RNN shapes" (the shipped models, real reruns)."""

import re

import pytest
from streamlit.testing.v1 import AppTest

from engine.digits import EXAMPLE_DRAWINGS
from engine.topic import topic_tokens
from playground.shapes_views import SHAPES
from tests.apptest import open_page

PAGE = "pages/shapes.py"


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE)


def open_tab(app: AppTest, shape: str) -> AppTest:
    app.session_state["shape_tab"] = SHAPES[shape]  # what clicking the tab does
    app.run()
    assert not app.exception
    return app


def metric(app: AppTest, label: str) -> str:
    return next(m.value for m in app.metric if m.label == label)


def test_one_to_one_reads_a_held_out_digit(at):
    assert [t.label for t in at.tabs] == list(SHAPES.values())
    assert float(metric(at, "Held-out accuracy").rstrip("%")) > 90
    assert float(metric(at, "Trivial baseline").rstrip("%")) < 20
    (caption,) = [c.value for c in at.caption if c.value.startswith("A held-out")]
    label = caption.split()[-1].rstrip(".")
    assert metric(at, "The network reads") == label  # this image is read right


def test_one_to_one_is_called_what_it_is_a_feed_forward_job(at):
    """Issue "Teach it right": one-to-one is not a recurrent job at all."""
    from playground.models import digit_classifier

    model = digit_classifier().model
    [intro] = [m.value for m in at.markdown if "five shapes" in m.value]
    assert "one-to-one, is **not a job for an RNN**" in intro
    [text] = [m.value for m in at.markdown if "not a recurrent job" in m.value]
    assert "plain **feed-forward network**" in text
    # the numbers are the shipped model's own
    assert f"its {model.rnn.weight_hh_l0.numel():,} recurrent weights W_hh" in text
    assert f"one hidden layer of {model.config.hidden_size} units" in text
    assert "like a plain feed-forward network" not in text  # the old, loose wording
    diagram = at.get("graphviz_chart")[0].proto.spec
    assert '"h1"' in diagram and "h0 -> h1" not in diagram  # no step to carry to
    assert any(c.value.startswith("One step, so no purple arrow") for c in at.caption)


def test_the_one_step_model_is_a_feed_forward_layer():
    """What the page says, checked: W_hh never touches the answer."""
    import numpy as np
    import torch

    from engine.digits import load_digit_classifier, test_examples

    model = load_digit_classifier().model
    images = torch.tensor(np.stack([image for image, _ in test_examples(4, seed=1)]))
    rnn = model.rnn
    x = images.reshape(-1, 64).float() / 16  # ink 0..16, as the model reads it
    feed_forward = torch.tanh(x @ rnn.weight_ih_l0.T + rnn.bias_ih_l0 + rnn.bias_hh_l0)
    with torch.no_grad():
        assert torch.allclose(model.hidden(images), feed_forward, atol=1e-6)


def test_one_to_one_reads_a_drawing_and_refuses_junk(at):
    at.selectbox(key="one_to_one_pick").set_value("Draw your own").run()
    assert metric(at, "The network reads") == "7"
    at.pills(key="one_to_one_start").set_value("0").run()
    assert metric(at, "The network reads") == "0"
    drawing = next(a for a in at.text_area if a.key.startswith("one_to_one_drawing"))
    drawing.set_value("<b>hello</b>").run()
    assert not at.exception
    assert "8 lines of 8 characters" in at.warning[0].value
    assert not [m for m in at.metric if m.label == "The network reads"]


def test_one_to_many_spells_the_name(at):
    open_tab(at, "one_to_many")
    at.selectbox(key="one_to_many_pick").set_value("Draw your own").run()
    at.pills(key="one_to_many_start").set_value("4").run()
    assert any(m.value.startswith("It writes **“four”**") for m in at.markdown)
    (table,) = at.dataframe
    assert list(table.value["wrote"]) == ["f", "o", "u", "r", "⏎ (end)"]
    assert len(at.get("graphviz_chart")) == 1
    drawing = next(a for a in at.text_area if a.key.startswith("one_to_many_drawing"))
    drawing.set_value("\n".join(["........"] * 8)).run()
    assert "no ink" in at.warning[0].value.lower() or "empty" in at.warning[0].value


def test_example_drawings_are_the_ones_offered():
    assert set(EXAMPLE_DRAWINGS) >= {"0", "4", "7"}


def test_encoder_decoder_turns_words_into_digits(at):
    open_tab(at, "many_to_many_diff")
    assert at.text_input(key="dates_text").value == (
        "twenty seven november twenty twenty six"
    )
    assert metric(at, "The network writes (date)") == "2026-11-27"
    assert float(metric(at, "Held-out: exact match").rstrip("%")) >= 95
    at.text_input(key="dates_text").set_value("three hundred and five").run()
    assert metric(at, "The network writes (number)") == "305"
    (table,) = at.dataframe
    assert list(table.value["wrote"]) == ["3", "0", "5", "⏎ (end)"]
    diagram = at.get("graphviz_chart")[0].proto.spec
    assert "context" in diagram and '"hundred"' in diagram


@pytest.mark.parametrize(
    "text, message",
    [
        ("one million", "largest"),
        ("thirty first of february twenty twenty", "february"),
        ("", "type"),
        ("<b>twelve</b>", ""),
        ("🙂 " * 100, ""),
    ],
)
def test_encoder_decoder_refuses_what_it_cannot_read(at, text, message):
    open_tab(at, "many_to_many_diff")
    at.text_input(key="dates_text").set_value(text).run()
    assert not at.exception
    infos = [i.value.lower() for i in at.info]
    assert infos and message in infos[0]
    assert not [m for m in at.metric if m.label.startswith("The network writes")]


def test_a_rejected_date_shows_no_stale_answer(at):
    open_tab(at, "many_to_many_diff")
    at.text_input(key="dates_text").set_value("yesterday").run()
    assert not at.exception
    assert "yesterday" in at.info[0].value
    assert not at.get("graphviz_chart")  # the default example's diagram is gone
    shown = [m.value for m in (*at.markdown, *at.caption, *at.metric)]
    assert not any("2026" in text for text in shown)


def test_many_to_one_reads_the_topic_word_by_word(at):
    open_tab(at, "many_to_one")
    assert metric(at, "The network says") == "business"  # the first example
    assert float(metric(at, "Held-out accuracy").rstrip("%")) > 80
    assert float(metric(at, "Trivial baseline").rstrip("%")) < 30
    at.text_input(key="topic_text").set_value(
        "The striker scored twice as the home side won the cup final."
    ).run()
    assert metric(at, "The network says") == "sports"
    diagram = at.get("graphviz_chart")[0].proto.spec
    assert '"sports"' in diagram and '"striker"' in diagram
    # the model averages every state: all of them feed the average, not only h_T
    words = len(topic_tokens(at.text_input(key="topic_text").value))
    assert f'"average of h1 … h{words}"' in diagram
    states = re.findall(r"^  (h\d+) \[label=", diagram, re.MULTILINE)
    assert len(states) > 2 and all(f"{h} -> mean;" in diagram for h in states)
    assert "mean -> out" in diagram
    at.text_input(key="topic_text").set_value("🙂 🙂 <b></b>").run()
    assert not at.exception and at.info


def test_many_to_many_restores_capitals(at):
    open_tab(at, "many_to_many_same")
    at.text_input(key="truecase_text").set_value("tony blair met the bbc").run()
    quotes = [m.value for m in at.markdown if m.value.startswith(">")]
    assert quotes[0] == "> Tony Blair met the BBC"
    assert quotes[1] == "> Tony blair met the bbc"  # the full-stop rule
    diagram = at.get("graphviz_chart")[0].proto.spec
    for n, step in enumerate(range(1, 6)):  # both directions, both into each tag
        assert f'"h→{step}"' in diagram and f'"h←{step}"' in diagram
        assert f"f{n} -> y{n}" in diagram and f"b{n} -> y{n}" in diagram
    assert "f0 -> f1" in diagram and "b0 -> b1 [dir=back" in diagram
    assert (
        float(metric(at, "Held-out F1").rstrip("%"))
        >= float(metric(at, "The full-stop rule").rstrip("%")) + 10
    )
    at.text_input(key="truecase_text").set_value("12345 !!!").run()
    assert not at.exception and "no words" in at.info[0].value


def test_a_long_bidirectional_diagram_keeps_both_ends():
    from playground.diagrams import MAX_SHAPE_STEPS, bidirectional_tagger

    words = [f"w{i}" for i in range(1, 31)]
    dot = bidirectional_tagger(words, ["a"] * 30)
    assert '"w1"' in dot and '"w30"' in dot and '"h←…"' in dot
    assert dot.count("[dir=back") == MAX_SHAPE_STEPS - 1


CHARTS = ("graphviz_chart", "vega_lite_chart")  # diagrams and Altair charts


def uncaptioned_charts(node) -> list[str]:
    """Each chart whose next element in its container is not a caption."""
    children = getattr(node, "children", None) or {}
    kids = [children[k] for k in sorted(children)]
    missing = []
    for index, kid in enumerate(kids):
        after = kids[index + 1] if index + 1 < len(kids) else None
        if kid.type in CHARTS and (after is None or after.type != "caption"):
            missing.append(kid.type)
        missing += uncaptioned_charts(kid)
    return missing


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_chart_has_a_sentence_under_it(at, shape):
    """Issue 17: every chart has one sentence saying what to look for."""
    open_tab(at, shape)
    if shape in ("one_to_one", "one_to_many"):  # the image is shown in both
        at.selectbox(key=f"{shape}_pick").set_value("Draw your own").run()
    assert at.get("graphviz_chart")
    assert uncaptioned_charts(at.main) == []


def test_the_digit_captions_state_the_image_and_the_answer(at):
    from playground.shapes_views import _test_digits

    image, _ = _test_digits()[0]  # "Test image 1", the default
    squares = image.shape[0] * image.shape[1]
    captions = [c.value for c in at.caption]
    start = f"Look at how little there is to read: 8 × 8 = {squares} squares"
    assert any(c.startswith(start) for c in captions)
    best = metric(at, "The network reads")
    [bars] = [c for c in captions if c.startswith("Look at the gap")]
    assert f"here {best} at " in bars
    at.selectbox(key="one_to_one_pick").set_value("Draw your own").run()
    at.pills(key="one_to_one_start").set_value("0").run()
    [bars] = [c.value for c in at.caption if c.value.startswith("Look at the gap")]
    assert "here 0 at " in bars  # it follows the image read


def test_the_spelling_diagram_says_what_goes_in(at):
    from playground.shapes_views import SPELLING_LOOK_FOR

    open_tab(at, "one_to_many")
    assert SPELLING_LOOK_FOR in [c.value for c in at.caption]
    diagram = at.get("graphviz_chart")[0].proto.spec
    assert '"image"' in diagram and "style=dashed" in diagram  # what it names


def test_the_topic_diagram_says_where_the_answer_comes_from(at):
    from playground.models import topic_reader
    from playground.shapes_views import _topic_diagram_look_for

    open_tab(at, "many_to_one")
    captions = [c.value for c in at.caption]
    sentence = _topic_diagram_look_for(topic_reader())
    assert sentence in captions and "average" in sentence  # the model averages
    assert any("Look for the steps where a line jumps" in c for c in captions)


def test_the_topic_sentence_follows_the_pooling():
    from types import SimpleNamespace

    from playground.shapes_views import _topic_diagram_look_for

    def reader(pooling):
        config = SimpleNamespace(pooling=pooling)
        return SimpleNamespace(model=SimpleNamespace(config=config))

    assert "only the last hidden state" in _topic_diagram_look_for(reader("last"))
    assert "one average" in _topic_diagram_look_for(reader("mean"))


def guess_lines(app: AppTest) -> tuple[list[str], list[str]]:
    captions = [c.value for c in app.caption]
    return (
        [c for c in captions if c.startswith("**Guess first:**")],
        [c for c in captions if "You guessed?" in c],
    )


def test_a_drawing_asks_which_digit_then_the_classifier_answers(at):
    """Predict first (issue 17): the question before a tap, the answer after."""
    from engine.digits import parse_drawing
    from playground.models import digit_classifier
    from playground.shapes_views import GUESS_DRAWING, digit_question

    at.selectbox(key="one_to_one_pick").set_value("Draw your own").run()
    asked, answered = guess_lines(at)
    assert asked == [
        f"**Guess first:** {digit_question(GUESS_DRAWING)} Guess, for it or any "
        "drawing, then tap it."
    ]
    assert answered == []  # the 7 comes preselected: no question was asked of it
    for digit in ("4", "1"):
        at.pills(key="one_to_one_start").set_value(digit).run()
        [line] = guess_lines(at)[1]
        ranked = digit_classifier().classify(parse_drawing(EXAMPLE_DRAWINGS[digit]))
        (best, p_best), (second, p_second) = ranked[:2]
        assert line == (
            f"{digit_question(digit)} You guessed? It reads {best} ({p_best:.1%}) "
            f"and ranks {second} second ({p_second:.1%})."
        )
    drawing = next(a for a in at.text_area if a.key.startswith("one_to_one_drawing"))
    drawing.set_value(EXAMPLE_DRAWINGS["1"].replace("#", "+", 3)).run()
    assert guess_lines(at)[1] == []  # drawn over: not the example any more


def test_a_drawing_asks_for_its_name_then_the_speller_answers(at):
    from engine.digits import parse_drawing
    from playground.models import digit_speller
    from playground.shapes_views import spelling_question

    open_tab(at, "one_to_many")
    at.selectbox(key="one_to_many_pick").set_value("Draw your own").run()
    assert len(guess_lines(at)[0]) == 1 and guess_lines(at)[1] == []
    at.pills(key="one_to_many_start").set_value("3").run()
    [line] = guess_lines(at)[1]
    spelling = digit_speller().spell(parse_drawing(EXAMPLE_DRAWINGS["3"]))
    assert line.startswith(f"{spelling_question('3')} You guessed? ")
    wrote = f"The network wrote “{spelling.word}” and stopped"
    assert line.endswith(f"{wrote}: the name of {spelling.digit}.")


@pytest.mark.parametrize(
    "shape, key, index",
    [
        ("many_to_one", "topic_example", 5),
        ("many_to_many_same", "truecase_example", 1),
        ("many_to_many_diff", "dates_example", 4),
    ],
)
def test_the_text_examples_ask_first_then_answer(at, shape, key, index):
    from playground import shapes_views as views

    open_tab(at, shape)
    asked, answered = guess_lines(at)
    assert len(asked) == 1 and answered == []
    question, guessed = {
        "many_to_one": (views.topic_question, views.GUESS_TOPIC),
        "many_to_many_same": (views.truecase_question, views.GUESS_TRUECASE),
        "many_to_many_diff": (views.date_question, views.GUESS_DATE),
    }[shape]
    assert asked[0].startswith(f"**Guess first:** {question(guessed)}")
    lines = set()
    for option in (index, 0):
        example = at.button_group(key=key).options[option]
        at.button_group(key=key).set_value(example).run()
        [line] = guess_lines(at)[1]
        assert line.startswith(f"{question(example)} You guessed? ")
        assert line.endswith(expected_answer(shape, example))
        lines.add(line)
    assert len(lines) == 2  # another example, another answer


def expected_answer(shape: str, text: str) -> str:
    """The answer, computed here from the shipped model, as the page words it."""
    from playground.models import date_translator, topic_reader, truecaser_model
    from playground.shapes_views import capitals_answer

    if shape == "many_to_one":
        best, runner = topic_reader().read(text).topics[:2]
        return (
            f"It says **{best['topic']}**, {best['probability']:.0%} sure; next "
            f"comes {runner['topic']}, {runner['probability']:.0%}."
        )
    if shape == "many_to_many_same":
        restored = truecaser_model().restore(text)
        answer = capitals_answer(restored)
        capitalised = [t.restored for t in restored.tokens if t.tag != "lower"]
        assert capitalised and all(f"“{w}”" in answer for w in capitalised)
        return answer
    result = date_translator()[0].translate(text)
    right = "right" if result.correct else f"wrong: it is {result.expected}"
    return (
        f"It writes {result.output}, which is {right}; it gave that whole answer a "
        f"probability of {result.confidence:.1%}."
    )
