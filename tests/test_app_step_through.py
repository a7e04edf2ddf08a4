"""Page tests for "Step through time" (the shipped models, real reruns)."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from playground.step_views import ARITHMETIC
from tests.apptest import APP, open_page

PAGE = "pages/step_through.py"


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE)


def step_line(app: AppTest) -> str:
    (line,) = [m.value for m in app.markdown if m.value.startswith("**Step ")]
    return line


def open_tab(app: AppTest, name: str) -> AppTest:
    app.session_state["step_tab"] = name  # what clicking the tab does
    app.run()
    assert not app.exception
    return app


def charts(app: AppTest) -> list:
    return app.get("arrow_vega_lite_chart") or app.get("vega_lite_chart")


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def test_the_default_sentence_starts_at_the_first_word(at):
    assert at.text_input(key="step_text").value == "The cat sat on the mat"
    assert step_line(at).startswith("**Step 1 of 6:** the network reads “The”")
    assert at.slider(key="step_t").value == 1
    assert len(at.get("graphviz_chart")) == 2  # the unrolled network, the LSTM cell
    assert [t.label for t in at.tabs][1] == "Hidden state h_t"
    assert any(r"h_{1} = \tanh" in x.value for x in at.latex)  # the tiny RNN, open
    assert not charts(at)  # only the open tab is drawn
    open_tab(at, "Hidden state h_t")
    assert len(charts(at)) == 1
    open_tab(at, "Parameter sharing")
    assert any("1,052,672" in m.value for m in at.markdown)  # the real LSTM's count


def test_slider_and_buttons_move_through_time(at):
    open_tab(at, ARITHMETIC)
    at.slider(key="step_t").set_value(3).run()
    assert step_line(at).startswith("**Step 3 of 6:** the network reads “sat”")
    assert any(r"h_{3} = \tanh" in x.value for x in at.latex)
    button(at, "Next ▶").click().run()
    assert at.slider(key="step_t").value == 4
    button(at, "◀ Back").click().run()
    button(at, "◀ Back").click().run()
    assert at.slider(key="step_t").value == 2
    assert not at.exception


def test_a_shared_link_to_a_later_step_can_go_back():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGE)
    at.query_params["step_t"] = "3"
    at.run()
    assert step_line(at).startswith("**Step 3 of 6:**")
    assert not button(at, "◀ Back").disabled
    button(at, "◀ Back").click().run()
    assert step_line(at).startswith("**Step 2 of 6:**")


def test_a_shorter_sentence_pulls_the_step_back_inside(at):
    at.slider(key="step_t").set_value(6).run()
    at.text_input(key="step_text").set_value("Hello world").run()
    assert not at.exception
    assert step_line(at).startswith("**Step 2 of 2:**")
    assert any("showing the last step, 2" in c.value for c in at.caption)


def test_play_advances_and_stops_at_the_end(at):
    at.text_input(key="step_text").set_value("The cat sat").run()
    button(at, "Play").click().run()
    assert button(at, "Pause")  # playing: timed reruns move on (in a browser)
    button(at, "Pause").click().run()
    assert button(at, "Play")
    assert not at.exception


def test_the_tiny_rnn_and_the_lstm_gates(at):
    open_tab(at, "Gates")
    at.segmented_control(key="step_model").set_value("tiny").run()
    assert not at.exception
    assert any("A plain RNN has no gates" in i.value for i in at.info)
    at.segmented_control(key="step_model").set_value("lstm").run()
    assert any(g.key == "step_gate" for g in at.get("button_group"))
    at.segmented_control(key="step_gate").set_value("input").run()
    assert len(charts(at)) == 2  # averages, then every unit
    at.segmented_control(key="step_model").set_value("gru").run()
    assert not at.exception
    assert any("**Reset**" in c.value for c in at.caption)
    at.segmented_control(key="step_gate").set_value("update").run()
    assert len(charts(at)) == 2  # averages, then every unit
    open_tab(at, "Cell state c_t")
    assert any("A GRU has no separate cell state" in i.value for i in at.info)
    at.segmented_control(key="step_model").set_value("lstm").run()
    assert len(charts(at)) == 1


def colour_scale(chart) -> dict:
    """The colour scale of a unit heatmap (its first layer)."""
    return json.loads(chart.proto.spec)["layer"][0]["encoding"]["color"]["scale"]


SEQUENTIAL = {"viridis", "cividis", "blues", "greens", "purples", "oranges"}


@pytest.mark.parametrize("model, gate", [("lstm", "forget"), ("gru", "update")])
def test_gate_heatmaps_use_a_fixed_0_to_1_sequential_scale(at, model, gate):
    """A gate is a sigmoid in 0..1: on a -1..1 diverging scale a closed and an
    open gate looked alike (issue 19)."""
    at.segmented_control(key="step_model").set_value(model).run()
    open_tab(at, "Gates")
    at.segmented_control(key="step_gate").set_value(gate).run()
    scale = colour_scale(charts(at)[-1])
    assert scale["domain"] == [0, 1]
    assert scale["scheme"] in SEQUENTIAL and "range" not in scale
    assert any("dark purple is closed (0)" in c.value for c in at.caption)


@pytest.mark.parametrize("tab", ["Hidden state h_t", "Cell state c_t"])
def test_states_keep_a_diverging_scale_centred_on_0(at, tab):
    open_tab(at, tab)
    low, middle, high = colour_scale(charts(at)[-1])["domain"]
    assert middle == 0 and low == -high < 0


def test_captions_quote_the_words_as_written(at):
    at.text_input(key="step_text").set_value("I met Ann in PARIS").run()
    at.slider(key="step_t").set_value(2).run()
    assert step_line(at).startswith(
        "**Step 2 of 5:** the network reads “met”. After “I met” it expects"
    )
    assert any("the state after “met”" in c.value for c in at.caption)
    at.slider(key="step_t").set_value(5).run()
    assert any("the state after “PARIS”" in c.value for c in at.caption)
    open_tab(at, ARITHMETIC)
    at.slider(key="step_t").set_value(1).run()
    assert any("the word “I”" in m.value for m in at.markdown)
    assert any("learned vector of “I”" in c.value for c in at.caption)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Type a sentence"),
        ("   ", "Type a sentence"),
        ("<script>alert(1)</script> " * 500, "first 30 tokens"),
        ("qqzx vvbn 🙂", "New to the next-word vocabulary"),
    ],
)
def test_bad_input_gets_a_message(at, text, message):
    at.text_input(key="step_text").set_value(text[:2000]).run()
    assert not at.exception
    shown = [e.value for e in at.info] + [c.value for c in at.caption]
    assert any(message in s.replace("\\", "") for s in shown), shown


@pytest.mark.parametrize("model, gate", [("lstm", "forget"), ("gru", "update")])
def test_the_state_path_states_the_trained_gate(at, model, gate):
    """Issue 17: the LSTM's cell state is not "carried by addition": each step back
    multiplies the gradient by f_t (the GRU's h by z_t), and below 1 that shrinks."""
    from engine.step_through import trace_language_model
    from playground.step_views import LOADERS

    at.segmented_control(key="step_model").set_value(model).run()
    open_tab(at, "Cell state c_t")
    lines = set()
    for text in ("The cat sat on the mat", "Prices rose again in March"):
        at.text_input(key="step_text").set_value(text).run()
        trace = trace_language_model(*LOADERS[model](), text)
        mean = round(float(trace.gates[-1][gate].mean()), 3)  # the top layer
        shown = [c.value for c in at.caption] + [i.value for i in at.info]
        [line] = [s for s in shown if f"{gate} gate averages" in s]
        assert f"averages {mean:.3f}" in line and "by addition" not in line
        assert f"{mean:.3f}^100 = {mean**100:.2g} of the gradient" in line
        lines.add(line)
    assert len(lines) == 2  # another sentence, another average


def test_h0_is_the_state_after_the_start_token(at):
    """Issue 17: the models read <eos> before the first word, so h0 is not 0."""
    [diagram] = [g.proto.spec for g in at.get("graphviz_chart") if "h0" in g.proto.spec]
    assert 'h0 [label="h0 (after <eos>)"' in diagram and "h0 = 0" not in diagram
    assert any("h0 is not zero" in c.value for c in at.caption)
    open_tab(at, ARITHMETIC)
    assert any("start token" in c.value.replace("\\", "") for c in at.caption)
    at.slider(key="step_t").set_value(2).run()
    assert any("the memory of the words before it" in c.value for c in at.caption)


def test_the_gru_notes_say_whose_convention_z_follows(at):
    at.segmented_control(key="step_model").set_value("gru").run()
    open_tab(at, "Gates")
    [note] = [c.value for c in at.caption if "**Reset**" in c.value]
    assert "PyTorch's convention, where z near 1 keeps the old state" in note


def test_the_page_opens_on_the_tiny_rnn_and_steps_with_the_keyboard_lstm(at):
    """Issue 17's path opens on the tiny RNN, every number on screen; issue 15
    keeps the keyboard's LSTM as the network that steps through the sentence."""
    from playground.models import tiny_rnn_model
    from playground.step_views import MODELS

    assert [t.label for t in at.tabs][0] == ARITHMETIC
    size = tiny_rnn_model()[0].config.hidden_size
    [intro] = [m.value for m in at.markdown if m.value.startswith("An RNN reads")]
    assert f"The first tab starts small: a trained **tiny RNN** with {size}" in intro
    # the open tab writes that RNN's step out, every number of it
    assert any(
        m.value.startswith("The same sentence through a **tiny") for m in at.markdown
    )
    assert any(r"h_{1} = \tanh" in x.value for x in at.latex)
    assert at.segmented_control(key="step_model").value == "lstm"  # issue 15
    assert MODELS["lstm"].startswith("Next-word LSTM")
    assert not any("New to the" in c.value for c in at.caption)  # no <unk> in "mat"


def guess_lines(app: AppTest) -> tuple[list[str], list[str]]:
    captions = [c.value for c in app.caption]
    return (
        [c for c in captions if c.startswith("**Guess first:**")],
        [c for c in captions if "You guessed?" in c],
    )


@pytest.mark.parametrize("model", ["lstm", "tiny"])
def test_the_examples_ask_for_a_guess_then_answer_it(at, model):
    """Predict first: before a tap, the question; after it, the same question
    beside the network's own guesses at the last-but-one word."""
    from engine.step_through import trace_language_model
    from playground.step_views import EXAMPLES, GUESS_EXAMPLE, LOADERS
    from playground.widgets import escape_markdown

    at.segmented_control(key="step_model").set_value(model).run()
    asked, answered = guess_lines(at)
    before, last = GUESS_EXAMPLE.rsplit(" ", 1)
    assert len(asked) == 1 and f"After “{before}”, will “{last}” be among" in asked[0]
    assert answered == []  # nothing tapped yet
    shown = set()
    for example in EXAMPLES[1:3]:
        at.button_group(key="step_example").set_value(example).run()
        [answer] = guess_lines(at)[1]
        before, last = example.rsplit(" ", 1)
        assert answer.startswith(f"After “{escape_markdown(before)}”, will “{last}”")
        trace = trace_language_model(*LOADERS[model](), example)
        guesses = trace.next_words[-2]
        assert f"At step {trace.length - 1} the " in answer
        for word, p in guesses:
            assert f"“**{escape_markdown(word)}**” {p:.0%}" in answer
        words = [w for w, _ in guesses]
        if last.lower() in words:
            rank = ("first", "second", "third")[words.index(last.lower())]
            assert answer.endswith(f"“{last}” is its {rank} guess.")
        else:
            assert answer.endswith(f"“{last}” is not among them.")
        shown.add(answer)
    assert len(shown) == 2  # another example, another answer
    at.text_input(key="step_text").set_value("Something else entirely").run()
    assert guess_lines(at)[1] == []  # typed over: the answer goes


def test_the_hidden_state_caption_names_the_word_that_moves_it_most(at):
    import numpy as np

    from engine.step_through import trace_language_model
    from playground.step_views import LOADERS

    open_tab(at, "Hidden state h_t")
    named = set()
    for text in ("The cat sat on the mat", "Prices rose again in March"):
        at.text_input(key="step_text").set_value(text).run()
        trace = trace_language_model(*LOADERS["lstm"](), text)
        h = trace.h[-1]  # the top layer: the one shown first
        before = np.vstack([trace.h_start[-1][None, :], h[:-1]])
        word = trace.words[int(np.linalg.norm(h - before, axis=1).argmax())]
        [caption] = [c.value for c in at.caption if "Look for the columns" in c.value]
        assert f"the state moves most at “{word}”" in caption
        named.add(word)
    assert len(named) == 2
