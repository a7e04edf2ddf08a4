"""Page tests for the gradient lab: sliders, presets, bad settings, live training."""

import inspect
import json

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_page


@pytest.fixture
def at() -> AppTest:
    return open_page("pages/gradient_lab.py")


def verdict_texts(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown if m.value.startswith("**")]


@pytest.mark.parametrize("scale", [0.1, 0.5, 1.0, 2.0, 4.0])
def test_moving_the_scale_slider_updates_the_verdicts(at, scale):
    at.select_slider(key="lab_scale").set_value(scale).run()
    assert not at.exception
    texts = " ".join(verdict_texts(at))
    if scale == 0.1:
        assert "vanished" in texts
    if scale == 4.0:
        assert "exceeds the float32 range" in texts


@pytest.mark.parametrize(
    "preset",
    ["Vanishing", "Exploding", "The edge (scale 1)", "Saturation",
     "Gates keep a path", "Clipping"],
)  # fmt: skip
def test_every_preset_runs_and_explains_itself(at, preset):
    [button] = [b for b in at.button if b.label == preset]
    button.click().run()
    assert not at.exception
    assert at.info[0].value.startswith(f"**{preset}.**")


def test_the_measured_gates_start_like_the_trained_ones(at):
    """Issue 19: at the defaults the verdicts said the LSTM's and GRU's gradients
    had vanished, while the same page trains both to 100% at T = 50."""
    from engine.gradients import train_memory_task

    trained = inspect.signature(train_memory_task).parameters["keep_bias"].default
    assert at.slider(key="lab_keep_bias").value == trained
    verdicts = dict(v.split("**: ", 1) for v in verdict_texts(at) if "**: " in v)
    for cell in ("**LSTM", "**GRU"):
        assert "it has shrunk but not vanished" in verdicts[cell]
    assert "it has vanished" in verdicts["**RNN (tanh)"]
    [caption] = [c.value for c in at.caption if "old state" in c.value]
    assert f"starts at {trained:g}" in caption and "the same start" in caption


def test_the_clipping_note_agrees_with_what_clip_grad_norm_measures(at):
    """Issue "Teach it right": clipping rescales the whole weight gradient once per
    update (clip_grad_norm_); it does not cap dL/dh_t at every step."""
    from engine.gradients import clip_gradient

    [button] = [b for b in at.button if b.label == "Clipping"]
    button.click().run()
    assert not at.exception
    note = at.info[0].value
    assert "every number of g is multiplied by the same factor c/||g||" in note
    assert "at each step" not in note and "capped" not in note
    step = clip_gradient("linear", 1.1, 1.0)
    assert step.total > 1  # the preset shows a gradient that clipping shortens
    expected = f"||g|| from {step.total:.2g} to {step.total_after:.3g}"
    assert f"Linear RNN: {expected} (×{step.factor:.2g}), cosine similarity 1.0000" in (
        note
    )
    [text] = [m.value for m in at.markdown if m.value.startswith("**Linear RNN** (")]
    assert f"by the same factor, {step.factor:.2g}" in text
    assert "the same direction, only a shorter step" in text
    table = at.dataframe[0].value
    row = table[(table["network"] == "Linear RNN") & (table["weights"] == "W_hh")]
    assert row["norm before"].item() == f"{step.before['W_hh']:.3g}"


def test_clipping_leaves_the_curve_of_dl_dh_as_it_is(at):
    at.select_slider(key="lab_scale").set_value(1.5).run()
    without = verdict_texts(at)
    at.toggle(key="lab_clip").set_value(True).run()
    assert not at.exception
    with_clip = [v for v in verdict_texts(at) if "(clipping)" not in v]
    assert [v for v in with_clip if v in without] == without  # unchanged verdicts
    [caption] = [c.value for c in at.caption if c.value.startswith("The curve above")]
    assert "99 steps back dL/dh_t is still" in caption


def test_the_intro_names_and_defines_bptt(at):
    intro = at.markdown[0].value
    assert "**Backpropagation through time (BPTT)**" in intro
    assert "-\\log p" in intro and "**loss**" in intro and "**gradient**" in intro
    assert "transposed Jacobian" in intro


def truncation_text(app: AppTest) -> str:
    return next(m.value for m in app.markdown if m.value.startswith("**Truncated"))


def test_the_truncation_slider_cuts_the_backward_pass(at):
    from engine.tasks.next_word import BPTT

    slider = at.select_slider(key="lab_truncate")
    assert slider.label == "Truncate the backward pass after k steps"
    assert slider.value == "none"
    text = truncation_text(at)
    assert f"windows of {BPTT} tokens" in text and f"further back than {BPTT}" in text
    before = verdict_texts(at)
    at.select_slider(key="lab_truncate").set_value(10).run()
    assert not at.exception
    after = verdict_texts(at)
    assert after != before
    [tanh] = [v for v in after if v.startswith("**RNN (tanh)**: ")]
    assert "the 89 earlier steps get no gradient at all" in tanh
    zeros = "at every one of the 89 earlier steps the measured gradient is exactly 0"
    assert zeros in truncation_text(at)
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    specs = [c.proto.spec for c in charts]
    assert any("gradient exactly 0 (cut after 10 steps)" in spec for spec in specs)


@pytest.mark.parametrize("k", [1, 400, "none"])
def test_extreme_truncation(at, k):
    at.select_slider(key="lab_truncate").set_value(k).run()
    for length in (1, 2):
        at.slider(key="lab_length").set_value(length).run()
        assert not at.exception
    at.toggle(key="lab_clip").set_value(True).run()
    assert not at.exception
    if k == 400:  # the longest sequence, cut near its start, clipped
        at.slider(key="lab_length").set_value(500).run()
        assert not at.exception and "cut 400 steps back" in truncation_text(at)


def test_a_preset_note_goes_when_the_sliders_leave_it(at):
    [button] = [b for b in at.button if b.label == "Vanishing"]
    button.click().run()
    assert at.info[0].value.startswith("**Vanishing.**")
    at.select_slider(key="lab_scale").set_value(1.0).run()
    assert not [i for i in at.info if i.value.startswith("**Vanishing.**")]
    at.select_slider(key="lab_scale").set_value(0.5).run()
    assert at.info[0].value.startswith("**Vanishing.**")


def test_the_gradient_axis_labels_every_tick_alike(at):
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    [y] = [
        s["encoding"]["y"] for s in specs if "dL/dh_t" in s["encoding"]["y"]["title"]
    ]
    assert y["scale"]["type"] == "log" and y["axis"]["format"] == ".0e"


def test_extreme_sizes(at):
    at.slider[0].set_value(1).run()  # sequence length 1
    at.select_slider[1].set_value(1).run()  # hidden size 1
    assert not at.exception
    at.slider[0].set_value(500).run()
    at.select_slider[1].set_value(256).run()
    assert not at.exception


@pytest.mark.parametrize("sentence", ["", "zzqx vvqk", "word " * 10_000, "😀 <b>"])
def test_sentence_inputs_cope_with_bad_text(at, sentence):
    at.radio(key="lab_inputs").set_value("sentence").run()
    at.text_input[0].set_value(sentence).run()
    assert not at.exception


def test_no_cell_selected(at):
    at.button_group(key="lab_cells").set_value([]).run()
    assert not at.exception and "at least one cell" in at.info[0].value


def test_a_capped_live_training_run(at, monkeypatch):
    from playground import gradient_views

    monkeypatch.setattr(gradient_views, "LIVE_SECONDS", 1.0)
    at.slider(key="memory_length").set_value(10).run()
    [train] = [b for b in at.button if b.label == "Train RNN, LSTM and GRU"]
    train.click().run()
    assert not at.exception
    assert "Done." in [p.proto.text for p in at.get("progress")]
    assert not [b for b in at.button if b.label == "Stop"]  # gone once it is done
    [clip] = [b for b in at.button if b.label.startswith("Explode and clip")]
    clip.click().run()
    assert not at.exception


def test_copy_as_pytorch_shows_the_selected_cell(at):
    code = next(c.value for c in at.code if "autograd.grad" in c.value)
    assert "nn.RNNCell" in code and "SCALE, HIDDEN, LENGTH" in code
    at.segmented_control(key="lab_code_cell").set_value("lstm").run()
    code = next(c.value for c in at.code if "autograd.grad" in c.value)
    assert "nn.LSTMCell" in code


def click(app: AppTest, label: str) -> AppTest:
    [button] = [b for b in app.button if b.label == label]
    button.click().run()
    assert not app.exception
    return app


def test_the_exploding_note_states_what_was_measured(at):
    """Issue 17: it said the gradient "overflows" at T = 100, where 1.5^99 stays far
    below float32's largest number, and ×1.5 per step holds only for the linear RNN."""
    from engine.gradients import gradient_norms

    note = click(at, "Exploding").info[0].value
    linear = gradient_norms("linear", [1.5], 64, 100).norms[0, -1]
    assert f"Linear RNN: ×1.5 per step back on average, {linear:.2g} after 99" in note
    assert f"{1.5**99:.2g}" == f"{linear:.2g}" and "Nothing overflowed float32" in note
    relu = gradient_norms("rnn-relu", [1.5], 64, 100).norms[0, -1]
    assert f"RNN (ReLU): ×{relu ** (1 / 99):.3g} per step back" in note
    at.slider(key="lab_length").set_value(300).run()  # 1.5^219 passes 3.4e38
    note = at.info[0].value
    assert "Linear RNN: ×1.5 per step back on average, past the float32 range" in note
    assert "Nothing overflowed" not in note


def test_the_phase_caption_reads_the_edge_off_the_cell_shown(at):
    """Issue 17: "the edge sits near scale 1" is true of the linear RNN only."""
    from engine.gradients import gradient_norms
    from playground.gradient_views import HEATMAP_SCALES

    def edge(cell: str) -> tuple[float, float]:
        last = gradient_norms(cell, HEATMAP_SCALES, 64, 100).norms[:, -1]
        first = next(i for i, v in enumerate(last) if not v < 1)  # NaN: overflow
        return round(HEATMAP_SCALES[first], 3), round(HEATMAP_SCALES[first - 1], 3)

    def caption() -> str:
        [text] = [c.value for c in at.caption if c.value.startswith("Each row")]
        return text

    for cell in ("rnn-tanh", "linear"):
        at.selectbox(key="lab_cell").set_value(cell).run()
        first, below = edge(cell)
        expected = f"is at least its size at the output is {first:g}; at {below:g} "
        assert f"99 steps back {expected}it is smaller" in caption()
    assert edge("linear")[0] < 1.1 < 1.5 < edge("rnn-tanh")[0]


def test_the_scale_slider_says_what_it_sets(at):
    import numpy as np

    from engine.gradients import INPUT_SIZE, build_network

    text = next(m.value for m in at.markdown if "**Recurrent weight scale" in m.value)
    assert "every singular value of W_hh is 1 " in text and "not below 1" in text
    at.select_slider(key="lab_scale").set_value(0.5).run()
    text = next(m.value for m in at.markdown if "**Recurrent weight scale" in m.value)
    assert "every singular value of W_hh is 0.5 " in text
    assert "is 0.5: below 1, so the plain RNNs' gradients must vanish" in text
    at.radio(key="lab_init").set_value("gaussian").run()
    weights = build_network("linear", [0.5], 64, INPUT_SIZE, "gaussian").layers[0][0]
    sigma = np.linalg.svd(weights.weight_hh[0].double().numpy(), compute_uv=False)[0]
    text = next(m.value for m in at.markdown if "**Recurrent weight scale" in m.value)
    assert f"largest singular value {sigma:.3g}" in text and "N(0, 1/64)" in text


def test_the_gated_path_is_measured_not_called_addition(at):
    """Issue 17: the LSTM's cell path still multiplies by f_t at every step."""
    note = click(at, "Gates keep a path").info[0].value
    assert "by addition" not in note and "z near 1 keeps the old state" in note
    from engine.gradients import gradient_norms

    [caption] = [c.value for c in at.caption if "old state" in c.value]
    for cell, gate in (("lstm", "LSTM's forget"), ("gru", "GRU's update")):
        mean = round(gradient_norms(cell, [1.0], keep_bias=3.0).keep_gate[0], 3)
        assert f"{gate} gate averages {mean:.3f} over the steps" in caption
        assert f"{mean:.3f}^99 = {mean**99:.2g}" in caption and mean < 1


def test_the_presets_ask_the_learner_to_guess_first(at):
    """Issue "Teach it right": predict, then press."""
    from playground.gradient_views import GUESS_PROMPT

    texts = [m.value for m in at.markdown]
    assert GUESS_PROMPT in texts and GUESS_PROMPT.startswith("**Guess first")
    assert texts.index(GUESS_PROMPT) < texts.index(
        next(t for t in texts if t.startswith("**Recurrent weight scale"))
    )


def test_a_preset_note_restates_its_question_then_the_measured_answer(at):
    from engine.gradients import gradient_norms
    from playground.gradient_views import PRESET_QUESTIONS

    note = click(at, "Vanishing").info[0].value
    question = PRESET_QUESTIONS["Vanishing"]
    assert note.startswith(f"**Vanishing.** {question} You guessed? Here is what")
    linear = gradient_norms("linear", [0.5], 64, 100).norms[0, -1]
    assert f"Linear RNN: {linear:.2g} times its size at the output 99 steps" in note
    note = click(at, "Gates keep a path").info[0].value
    ends = {
        cell: gradient_norms(cell, [1.0], 64, 100, keep_bias=3.0).norms[0, -1]
        for cell in ("rnn-tanh", "lstm", "gru")
    }
    best = {"rnn-tanh": "RNN (tanh)", "lstm": "LSTM", "gru": "GRU"}[
        max(ends, key=ends.get)
    ]
    assert f"The {best}'s gradient is the largest there." in note
    assert f"LSTM: {ends['lstm']:.2g} times its size" in note


def test_the_charts_say_what_to_look_for(at):
    captions = [c.value for c in at.caption]
    [norms] = [c for c in captions if c.startswith("Look at the right-hand end")]
    assert "ends lowest" in norms and "highest" in norms
    [phase] = [c for c in captions if c.startswith("Each row")]
    assert "Look for the white border between blue and red" in phase


def test_the_live_chart_says_what_to_look_for():
    from playground.gradient_views import live_look_for

    points = [
        {"network": "RNN", "value": 0.2},
        {"network": "LSTM", "value": 0.9},
        {"network": "LSTM", "value": 1.0},
    ]
    text = live_look_for(points, "accuracy")
    assert "RNN 20%, LSTM 100%; the LSTM ends highest" in text
    loss = live_look_for([{"network": "no clipping", "value": None}], "loss")
    assert "no clipping overflowed" in loss
