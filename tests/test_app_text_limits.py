"""Over-long pastes: every text box cuts the text to its limit and says so.

Streamlit's `max_chars` made a box refuse a longer paste and keep the old text,
with no message; these tests paste more than each limit."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import APP, open_page, open_tab


def _box(app: AppTest, key: str):
    return next(w for w in (*app.text_input, *app.text_area) if w.key == key)


def _paste(app: AppTest, key: str, text: str) -> AppTest:
    _box(app, key).input(text).run()
    assert not app.exception
    return app


def _cut_notices(app: AppTest) -> list[str]:
    return [i.value for i in app.info if "so it was cut there" in i.value]


def test_home_cuts_a_long_paste_and_says_so():
    app = AppTest.from_file(APP, default_timeout=120).run()
    _paste(app, "home_sentence", "the cat sat on the mat " * 220)  # 5,060 characters
    assert len(_box(app, "home_sentence").value) == 500
    assert _cut_notices(app) == [
        "Your text had 5,060 characters; this box keeps the first 500, so it was "
        "cut there."
    ]
    assert any("mat" in c.proto.spec for c in app.get("graphviz_chart"))


def test_the_dates_box_cuts_a_long_paste_and_says_so():
    app = open_tab(
        open_page("pages/shapes.py"), "shape_tab", "5 · Many to many (encoder-decoder)"
    )
    _paste(app, "dates_text", "twenty " * 700)
    assert len(_box(app, "dates_text").value) == 300
    assert len(_cut_notices(app)) == 1


@pytest.mark.parametrize(
    "page, key, limit",
    [
        ("pages/text_to_numbers.py", "tokens_text", 60_000),
        ("pages/sentiment.py", "sentiment_text", 50_000),
    ],
)
def test_long_pastes_are_cut_on_other_pages(page, key, limit):
    app = _paste(open_page(page), key, "a good day " * (limit // 10 + 50))
    assert len(_box(app, key).value) == limit
    assert len(_cut_notices(app)) == 1


def test_a_text_within_the_limit_is_left_alone():
    app = AppTest.from_file(APP, default_timeout=120).run()
    _paste(app, "home_sentence", "A short sentence")
    assert _box(app, "home_sentence").value == "A short sentence"
    assert _cut_notices(app) == []


def test_the_home_caption_quotes_the_words_as_written():
    app = AppTest.from_file(APP, default_timeout=120).run()
    _paste(app, "home_sentence", "I like RNNs")
    (caption,) = [c.value for c in app.caption if "h1 has seen only" in c.value]
    assert caption.endswith("h1 has seen only “I”.")
    assert "“I like RNNs”" in caption
