"""The guided path: one order for the menu, the home page and every page's
previous/next links, walked the way a learner walks it."""

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from playground.navigation import GLOSSARY, PAGES
from tests.apptest import APP

HOME = "streamlit_app.py"  # the home page is the entry point's default page
PATH = [
    HOME,
    "pages/text_to_numbers.py",
    "pages/step_through.py",
    "pages/gradient_lab.py",
    "pages/cells.py",
    "pages/shapes.py",
    "pages/sentiment.py",
    "pages/next_word.py",
    "pages/fill_blank.py",
]


def _file(url_path: str) -> str:
    """The page file a link's URL path opens ("" is the home page)."""
    if not url_path:
        return HOME
    return next(p.path for p in [*PAGES, GLOSSARY] if Path(p.path).stem == url_path)


def _footer_link(app: AppTest, prefix: str) -> str | None:
    """The page file of the main area's link whose label starts with `prefix`."""
    links = [
        link for link in app.main.get("page_link") if link.value.startswith(prefix)
    ]
    assert len(links) <= 1, [link.value for link in links]
    return _file(links[0].proto.page) if links else None


def _open(app: AppTest, page: str) -> AppTest:
    app.switch_page(page).run()
    assert not app.exception, (page, app.exception)
    return app


def test_the_path_is_the_menu_order():
    assert [HOME, *(p.path for p in PAGES)] == PATH
    assert all(p.adds.endswith(".") for p in PAGES)  # a sentence for every step


def test_the_menu_lists_the_path_in_order_then_the_glossary():
    app = AppTest.from_file(APP, default_timeout=120).run()
    menu = [_file(link.proto.page) for link in app.sidebar.get("page_link")]
    assert menu == [*PATH, GLOSSARY.path]


def test_home_shows_the_path_as_numbered_steps():
    app = AppTest.from_file(APP, default_timeout=120).run()
    steps = sorted(
        (link.value, _file(link.proto.page))
        for link in app.main.get("page_link")
        if link.value[0].isdigit()
    )
    assert steps == [
        (f"{number} · {info.title}", info.path)
        for number, info in enumerate(PAGES, start=2)
    ]
    assert any(m.value == "**1 · Home** (you are here)" for m in app.markdown)


def test_walking_the_next_links_visits_every_page_in_order():
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception
    here = HOME
    for step, expected in enumerate([*PATH[1:], HOME], start=1):
        assert _footer_link(app, "Next:") == expected, (here, step)
        assert _footer_link(app, f"{GLOSSARY.title}:") == GLOSSARY.path, here
        captions = [c.value for c in app.main.caption]
        assert f"Page {PATH.index(here) + 1} of {len(PATH)} on the path." in captions
        if expected == HOME:  # the last page says the path is done
            assert any("walked the whole path" in c for c in captions)
            break
        assert PAGES[step - 1].adds in captions  # what the next page adds
        here = expected
        _open(app, here)
        assert app.title, here
        assert _footer_link(app, "Previous:") == PATH[step - 1], here
    assert here == PATH[-1]


def test_home_has_no_previous_link():
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert _footer_link(app, "Previous:") is None


def test_presentation_mode_is_kept_along_the_path():
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["present"] = "1"
    app.run()
    links = [*app.main.get("page_link"), *app.sidebar.get("page_link")]
    assert links and all(link.proto.query_string == "present=1" for link in links)


def test_a_page_opened_alone_still_has_the_menu():
    """The first visitor of a fresh server who opens a page's own link gets it
    run alone (Streamlit's pages/ folder mode): the page draws the menu itself,
    and switches that mode off, so the next run goes through streamlit_app.py."""
    app = AppTest.from_file(APP, default_timeout=120).run()
    PagesManager.uses_pages_directory = True  # as on a fresh server
    try:
        _open(app, GLOSSARY.path)
        assert PagesManager.uses_pages_directory is False
    finally:
        PagesManager.uses_pages_directory = False
    assert app.title[0].value == GLOSSARY.title
    assert len(app.sidebar.get("page_link")) == len(PATH) + 1
