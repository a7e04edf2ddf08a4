"""Shared links: every page restores its main state from the URL's query string."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import APP


def open_with(page: str, params: dict[str, str]) -> AppTest:
    """Open `page` as a browser would open a shared link to it."""
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.switch_page(page)
    for name, value in params.items():
        app.query_params[name] = value
    app.run()
    assert not app.exception
    return app


def test_step_through_restores_the_sentence_and_the_step():
    at = open_with(
        "pages/step_through.py",
        # option widgets keep their label in the URL, as a browser writes it
        {
            "step_text": "The prime minister said",
            "step_t": "3",
            "step_model": "Small GRU (BBC News, 48 units)",
        },
    )
    (line,) = [m.value for m in at.markdown if m.value.startswith("**Step ")]
    assert line.startswith("**Step 3 of 4:** the network reads “minister”")
    assert at.segmented_control(key="step_model").value == "gru"


def test_shapes_restores_the_tab_and_the_input():
    at = open_with(
        "pages/shapes.py",
        {"shape_tab": "5 · Many to many (encoder-decoder)", "dates_text": "forty two"},
    )
    writes = [m for m in at.metric if m.label.startswith("The network writes")]
    assert writes and writes[0].value == "42"


def test_cells_restores_the_task():
    at = open_with(
        "pages/cells.py", {"cells_task": "Next word on BBC News (100,000 words)"}
    )
    assert any("final perplexity" in d.value for d in at.dataframe)


def test_gradient_lab_restores_the_weight_scale():
    at = open_with("pages/gradient_lab.py", {"lab_scale": "2", "lab_cell": "LSTM"})
    assert at.select_slider(key="lab_scale").value == 2.0
    assert at.selectbox(key="lab_cell").value == "lstm"


@pytest.mark.parametrize(
    "page, key, text",
    [
        ("pages/fill_blank.py", "fill_text", "My sister drank a cup of ___."),
        ("pages/sentiment.py", "sentiment_text", "The staff were rude"),
        ("pages/next_word.py", "typed", "The prime minister "),
        ("pages/text_to_numbers.py", "tokens_text", "Hello world"),
    ],
)
def test_text_pages_restore_the_typed_text(page, key, text):
    at = open_with(page, {key: text})
    widget = next(w for w in (*at.text_input, *at.text_area) if w.key == key)
    assert widget.value == text


def test_presentation_mode_folds_advanced_settings_away():
    plain = open_with("pages/gradient_lab.py", {})
    assert not [e for e in plain.expander if e.label.startswith("More settings")]
    present = open_with("pages/gradient_lab.py", {"present": "1"})
    assert [e for e in present.expander if e.label.startswith("More settings")]


class _Params(dict):
    """st.query_params' reading API over a dict of lists."""

    def get_all(self, key):
        return self[key]


def test_link_query_keeps_every_value_of_a_multiselect():
    from urllib.parse import parse_qs

    from playground.shell import link_query

    params = _Params(lab_cells=["Linear RNN", "RNN (ReLU)"], lab_scale=["2"])
    assert parse_qs(link_query(params)) == params
