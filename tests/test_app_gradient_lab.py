"""Page tests for the gradient lab: sliders, presets, bad settings, live training."""

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
    at.multiselect(key="lab_cells").set_value([]).run()
    assert not at.exception and "at least one cell" in at.info[0].value


def test_a_capped_live_training_run(at, monkeypatch):
    from playground import gradient_views

    monkeypatch.setattr(gradient_views, "LIVE_SECONDS", 1.0)
    at.slider(key="memory_length").set_value(10).run()
    [train] = [b for b in at.button if b.label == "Train RNN, LSTM and GRU"]
    train.click().run()
    assert not at.exception
    [clip] = [b for b in at.button if b.label.startswith("Explode and clip")]
    clip.click().run()
    assert not at.exception


def test_copy_as_pytorch_shows_the_selected_cell(at):
    code = next(c.value for c in at.code if "autograd.grad" in c.value)
    assert "nn.RNNCell" in code and "SCALE, HIDDEN, LENGTH" in code
    at.segmented_control(key="lab_code_cell").set_value("lstm").run()
    code = next(c.value for c in at.code if "autograd.grad" in c.value)
    assert "nn.LSTMCell" in code
