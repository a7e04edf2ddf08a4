"""The glossary: every term the issue asks for, defined precisely, on a page
that renders and that every page links to (tests/test_app_path.py)."""

import pytest

from engine.train import TrainConfig
from playground.glossary import GLOSSARY, definition
from playground.navigation import GLOSSARY as GLOSSARY_PAGE
from playground.navigation import PAGES
from tests.apptest import open_page

REQUIRED = [
    "Token",
    "Vocabulary",
    "Embedding",
    "Hidden state",
    "Time step",
    "Unrolling",
    "Loss",
    "Softmax",
    "Gradient",
    "Backpropagation through time (BPTT)",
    "Jacobian",
    "Vanishing gradient",
    "Exploding gradient",
    "Gradient clipping",
    "Gate",
    "Cell state",
    "Bidirectional RNN",
    "Encoder",
    "Decoder",
    "Perplexity",
]


@pytest.mark.parametrize("term", REQUIRED)
def test_every_required_term_is_defined(term):
    assert len(definition(term).split()) >= 10, term


def test_definitions_say_exactly_what_the_app_computes():
    assert "exponential of the mean cross-entropy" in definition("Perplexity")
    assert "inverse of the geometric mean" in definition("Perplexity")
    assert r"e^{z_i} / \sum_j e^{z_j}" in definition("Softmax")
    assert definition("Backpropagation through time (BPTT)").startswith(
        "Backpropagation through the unrolled network"
    )
    assert "the gradient that explodes, not the weights" in definition(
        "Exploding gradient"
    )
    # PyTorch's GRU, the convention engine/cells.py reproduces
    assert r"$h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$" in definition("GRU")
    assert r"\mathrm{diag}(\tanh'(a_t))\,W_{hh}" in definition("Jacobian")


def test_numbers_in_definitions_come_from_the_trainer():
    defaults = TrainConfig()
    assert f"threshold {defaults.clip_norm:g}" in definition("Gradient clipping")
    assert f"waits {defaults.patience} epochs" in definition("Early stopping")


def test_every_see_it_link_is_a_page_on_the_path():
    paths = {info.path for info in PAGES}
    assert all(term.page in paths for term in GLOSSARY.values() if term.page)


def test_the_glossary_page_lists_every_term():
    app = open_page(GLOSSARY_PAGE.path)
    assert app.title[0].value == "Glossary"
    shown = " ".join(m.value for m in app.markdown)
    assert all(f"**{term}**:" in shown for term in GLOSSARY)


def test_the_search_box_narrows_the_list_and_survives_odd_text():
    app = open_page(GLOSSARY_PAGE.path)
    app.text_input(key="glossary_find").input("perplexity").run()
    entries = [m.value for m in app.main.markdown if m.value.startswith("**")]
    assert entries and all("erplexity" in e for e in entries)
    app.text_input(key="glossary_find").input("<b>zzqx</b> 😀").run()
    assert not app.exception
    assert "No term matches" in app.info[0].value
