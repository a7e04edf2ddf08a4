"""Page tests for "Build the LSTM cell, one gate at a time" (on Step through time)."""

import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from engine.step_through import busiest_units, lstm_cell_step, trace_language_model
from playground import lstm_diagram
from playground.lstm_walkthrough import (
    _COLUMNS,
    EQUATIONS,
    LAYER,
    SHOWN_UNITS,
    STAGE_KEY,
    STAGE_LABELS,
    TITLE,
    _percent,
    _signed,
)
from playground.step_views import LOADERS
from tests.apptest import open_page

PAGE = "pages/step_through.py"
STAGES = lstm_diagram.STAGES


@pytest.fixture
def at() -> AppTest:
    return open_page(PAGE)


def cell_diagram(app: AppTest) -> str:
    """The cell's DOT source: the page's second diagram (after the unrolled one)."""
    specs = [g.proto.spec for g in app.get("graphviz_chart")]
    [spec] = [s for s in specs if "forget gate f_t" in s]
    return spec


def lit(dot: str) -> set[str]:
    """The parts drawn thick: the stage's highlighted nodes."""
    return {
        m.group(1)
        for line in dot.splitlines()
        if (m := re.match(r"\s+(\w+) \[", line)) and f"penwidth={lit_pen()}" in line
    }


def lit_pen() -> str:
    return lstm_diagram.LIT_PEN


def texts(app: AppTest) -> list[str]:
    return [m.value for m in app.markdown] + [c.value for c in app.caption]


def the_cell(text: str, step: int):
    """What the trained LSTM computed, straight from the engine."""
    model, vocab = LOADERS["lstm"]()
    trace = trace_language_model(model, vocab, text)
    return trace, lstm_cell_step(trace, step, LAYER)


def test_the_section_renders_for_the_default_sentence(at):
    assert TITLE in [h.value for h in at.subheader]
    assert at.segmented_control(key=STAGE_KEY).value == "forget"
    assert lit(cell_diagram(at)) == lstm_diagram.LIT["forget"]
    assert EQUATIONS["forget"][0] in [x.value.strip("$\n") for x in at.latex]
    assert any("step 1, the word “The”" in m for m in texts(at))
    [table] = at.dataframe
    assert list(table.value.columns) == ["unit", *(c for c, _ in _COLUMNS["forget"])]
    assert len(table.value) == SHOWN_UNITS
    rnn = LOADERS["lstm"]()[0].rnn  # the sizes in the note are the model's own
    size = f"{rnn.hidden_size} rows, one per unit, and "
    size += f"{rnn.hidden_size + rnn.input_size} columns"
    assert any(size in c.value for c in at.caption)


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_shows_its_equation_and_the_models_numbers(at, stage):
    at.slider(key="step_t").set_value(3).run()
    at.segmented_control(key=STAGE_KEY).set_value(stage).run()
    assert not at.exception
    latex = [x.value.strip("$\n") for x in at.latex]
    for equation in EQUATIONS[stage]:
        assert equation in latex
    trace, cell = the_cell("The cat sat on the mat", 3)
    units = busiest_units(trace.c[LAYER], SHOWN_UNITS)
    [table] = at.dataframe
    assert table.value["unit"].tolist() == [int(u) + 1 for u in units]
    for column, name in _COLUMNS[stage]:
        expected = np.round(getattr(cell, name)[units], 2)
        assert np.allclose(table.value[column], expected, atol=1e-9), column
    # one unit's sum, its numbers plugged in at step 3
    [plugged] = [x for x in latex if x.startswith(r"\text{unit")]
    symbol = {"forget": "f_{3}", "input": "i_{3}", "cell": "c_{3}", "output": "h_{3}"}
    assert symbol[stage] in plugged


def test_the_sentences_quote_the_models_own_values(at):
    trace, cell = the_cell("The cat sat on the mat", 1)
    units = busiest_units(trace.c[LAYER], SHOWN_UNITS)
    keep = int(units[np.argmax(cell.forget[units])])
    line = (
        f"Unit {keep + 1}'s forget gate is {cell.forget[keep]:.2f}: it keeps "
        f"{_percent(cell.forget[keep])} of its old memory"
    )
    assert any(line in m for m in texts(at)), texts(at)
    at.segmented_control(key=STAGE_KEY).set_value("output").run()
    shows = int(units[np.argmax(np.abs(cell.h[units]))])
    line = f"so $h_t$ = {_signed(cell.h[shows])}"
    assert any(f"Unit {shows + 1}: tanh" in m and line in m for m in texts(at))


def test_changing_the_stage_changes_what_is_lit(at):
    seen = []
    for stage in STAGES:
        at.segmented_control(key=STAGE_KEY).set_value(stage).run()
        dot = cell_diagram(at)
        assert lit(dot) == lstm_diagram.LIT[stage]
        seen.append(frozenset(lit(dot)))
    assert len(set(seen)) == len(STAGES)


def test_a_shared_link_opens_at_its_stage():
    from tests.apptest import APP

    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGE)
    at.query_params[STAGE_KEY] = STAGE_LABELS["cell"]  # the label, as in the URL
    at.run()
    assert not at.exception
    assert lit(cell_diagram(at)) == lstm_diagram.LIT["cell"]


def test_the_section_moves_through_the_words_with_the_page(at):
    at.button(key="lstm_next").click().run()
    assert at.slider(key="step_t").value == 2
    assert any("step 2, the word “cat”" in m for m in texts(at))
    assert any(r"f_{2} \, c_{1}" in x.value for x in at.latex)
    at.slider(key="step_t").set_value(6).run()
    assert at.button(key="lstm_next").disabled
    at.button(key="lstm_back").click().run()
    assert at.slider(key="step_t").value == 5
    assert any("step 5, the word “the”" in m for m in texts(at))


def test_the_other_networks_still_build_the_lstm(at):
    at.segmented_control(key="step_model").set_value("gru").run()
    assert not at.exception
    assert TITLE in [h.value for h in at.subheader]
    assert any("builds an LSTM cell" in c.value for c in at.caption)
    assert len(at.dataframe) == 1


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Type a sentence"),
        ("   ", "Type a sentence"),
        ("🙂🙂", "“🙂” is new to the model: x_t is the vector of <unk>"),
        ("qqzx vvbn the", "“qqzx” is new to the model: x_t is the vector of <unk>"),
        ("<script>alert(1)</script> " * 500, "first 30 tokens"),
    ],
)
def test_bad_input_gets_a_message(at, text, message):
    at.text_input(key="step_text").set_value(text[:2000]).run()
    assert not at.exception
    shown = [i.value for i in at.info] + texts(at)
    assert any(message in s.replace("\\", "") for s in shown), shown


def test_a_word_in_the_diagram_cannot_break_it():
    dot = lstm_diagram.lstm_cell("forget", 'say "hi"\\n')
    assert 'label="x_t: “say \\"hi\\"\\\\n”"' in dot
    assert "…" in lstm_diagram.lstm_cell("input", "a" * 40)
    with pytest.raises(ValueError, match="choose one of forget, input, cell"):
        lstm_diagram.lstm_cell("gates")


def test_parts_still_to_come_are_dashed():
    def dashed(dot: str) -> set[str]:
        return {
            m.group(1)
            for line in dot.splitlines()
            if (m := re.match(r"\s+(\w+) \[", line)) and "dashed" in line
        }

    assert dashed(lstm_diagram.lstm_cell("forget")) >= {"i", "g", "c", "o", "h"}
    assert "f" not in dashed(lstm_diagram.lstm_cell("forget"))
    assert dashed(lstm_diagram.lstm_cell("output")) == set()


def test_a_share_agrees_with_its_two_decimals():
    assert _percent(0.965) == f"{round(float(f'{0.965:.2f}') * 100)}%"
    assert _percent(0.97) == "97%" and _percent(0.004) == "0%"
    assert _signed(-0.001) == "+0.00" and _signed(-0.5) == "-0.50"
