"""The app shell, shared by every page: page settings, the menu, and the footer
that leads along the guided path."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from playground import housekeeping
from playground.navigation import GLOSSARY, PAGES, PATH_DONE

HOME = ("Home", ":material/home:")


def configure_page() -> None:
    st.set_page_config(
        page_title="RNN Playground",
        page_icon="🔁",
        layout="wide",
        # on a projector the page needs the whole width; the menu stays one click away
        initial_sidebar_state="collapsed" if presenting() else "auto",
    )


def draw_menu(home, pages, glossary) -> None:
    """The sidebar menu: `home`, `pages` (in PAGES order) and `glossary` are
    st.Page objects or file paths."""
    with st.sidebar:
        if presenting():  # with the menu, which every page has
            st.html(_PRESENTATION_CSS)
        st.markdown("**:material/autorenew: RNN Playground**")
        _link(home, HOME[0], HOME[1])
        for target, info in zip(pages, PAGES, strict=True):
            _link(target, info.title, info.icon)
        _link(glossary, GLOSSARY.title, GLOSSARY.icon)


def path_footer(stops: list, place: int | None, glossary) -> None:
    """The end of every page: the previous and the next stop on the guided path,
    one sentence on what the next stop adds, and the glossary.

    `stops` are the link targets of Home and of PAGES, in order; `place` is the
    current page's index in them, or None for a page off the path (the glossary).
    """
    st.divider()
    if place is None:
        _link(stops[0], "Start the path at Home", HOME[1])
        return
    titles = [HOME[0], *(info.title for info in PAGES)]
    left, right = st.columns(2)
    with left:
        if place > 0:
            _link(
                stops[place - 1],
                f"Previous: {titles[place - 1]}",
                ":material/arrow_back:",
            )
        st.caption(f"Page {place + 1} of {len(stops)} on the path.")
    with right:
        if place + 1 < len(stops):
            _link(stops[place + 1], f"Next: {titles[place + 1]}", _FORWARD, "right")
            st.caption(PAGES[place].adds)  # PAGES[place] is stop place + 1
        else:  # the end of the path leads back to its start
            _link(stops[0], f"Next: back to {HOME[0]}", _FORWARD, "right")
            st.caption(PATH_DONE)
    _link(glossary, f"{GLOSSARY.title}: every term used here, defined", GLOSSARY.icon)


_FORWARD = ":material/arrow_forward:"


def _link(target, label: str, icon: str, icon_position: str = "left") -> None:
    st.page_link(
        target,
        label=label,
        icon=icon,
        icon_position=icon_position,
        query_params=kept_query(),
    )


def kept_query() -> dict[str, str] | None:
    """What a link to another page keeps: only presentation mode, so a teacher
    walking the class through the path stays on the projector view (a page's
    own settings belong to that page)."""
    return {PRESENT_PARAM: "1"} if presenting() else None


_STANDALONE = "shell_page_runs_alone"  # this run: is the page running on its own?


def ensure_app_shell() -> None:
    """Draw the menu when a page runs on its own (and let `page_end` draw the
    footer, which streamlit_app.py draws otherwise).

    Streamlit treats an app with a pages/ folder as an old-style multipage app
    until streamlit_app.py has called st.navigation once in the server process, so
    the first visitor of a fresh server who opens a page's own link gets that page
    run alone. Then the page draws the shell itself, and switches that mode off
    for every later run. (Rerunning at once through streamlit_app.py instead
    would swallow a button's click wherever this mode comes back, as it does at
    every run of a page in AppTest.)
    """
    alone = bool(PagesManager.uses_pages_directory)
    st.session_state[_STANDALONE] = alone
    if alone:
        PagesManager.uses_pages_directory = False
        configure_page()
        draw_menu(HOME_FILE, [info.path for info in PAGES], GLOSSARY.path)


def page_end(page_file: str) -> None:
    """The last line of every page: the guided path's footer, when the page runs
    on its own (under streamlit_app.py, the app draws it after the page)."""
    if not st.session_state.get(_STANDALONE):
        return
    path = Path(page_file).resolve().relative_to(APP_ROOT).as_posix()
    stops = [HOME_FILE, *(info.path for info in PAGES)]
    path_footer(stops, stops.index(path) if path in stops else None, GLOSSARY.path)


HOME_FILE = "streamlit_app.py"
APP_ROOT = Path(__file__).resolve().parents[1]


PRESENT_PARAM = "present"  # ?present=1: the projector view
# Rem-based sizes scale with the root font: one rule enlarges the whole page.
# Static CSS written here, never learner text.
# Charts are drawn on a canvas and diagrams as SVG at a size of their own, so the
# root font does not reach them: CSS zoom enlarges each one whole (its text too).
# A chart's labels are 12 px (Streamlit's chart theme): x1.6 makes them 19 px. A
# diagram is shown at its natural size (13 pt labels, 11 pt on arrows) x1.3, at
# least 19 px, and a long one (many words) scrolls sideways instead of shrinking.
CHART_ZOOM, DIAGRAM_ZOOM = 1.6, 1.3
_PRESENTATION_CSS = f"""
<style>
html, :root {{ font-size: 21px !important; }}
[data-testid="stMainBlockContainer"] {{ max-width: 96vw; }}
[data-testid="stVegaLiteChart"], [data-testid="stArrowVegaLiteChart"] {{
  zoom: {CHART_ZOOM}; width: calc(100% / {CHART_ZOOM}) !important;
}}
[data-testid="stGraphVizChart"] {{ zoom: {DIAGRAM_ZOOM}; overflow-x: auto; }}
[data-testid="stGraphVizChart"] svg {{
  width: auto !important; height: auto !important; max-width: none !important;
}}
</style>
"""


def presenting() -> bool:
    """Presentation mode: larger text, advanced controls tucked away."""
    return st.query_params.get(PRESENT_PARAM, "") in ("1", "true")


def _toggle_presentation() -> None:
    if st.session_state.get("present_toggle"):
        st.query_params[PRESENT_PARAM] = "1"
    else:
        st.query_params.pop(PRESENT_PARAM, None)


def advanced(label: str = "More settings"):
    """A container for advanced controls: folded away in presentation mode."""
    return st.expander(label) if presenting() else st.container()


def link_query(params) -> str:
    """A query string with every value of every key: a multiselect keeps one
    `key=value` pair per choice (to_dict() would keep only the last one)."""
    return urlencode([(key, value) for key in params for value in params.get_all(key)])


def view_link() -> str:
    """This page's address with everything the learner set, as a shareable link."""
    base = (st.context.url or "").split("?")[0]
    query = link_query(st.query_params)
    return f"{base}?{query}" if query else base


def sharing_panel() -> None:
    """Sidebar: the presentation switch and a link that restores this view."""
    with st.sidebar:
        st.divider()
        st.toggle(
            "Presentation mode",
            value=presenting(),
            key="present_toggle",
            on_change=_toggle_presentation,
            help="Larger text for a projector; advanced settings folded away. "
            "Or add ?present=1 to any address.",
        )
        with st.popover("Copy link to this view", icon=":material/link:"):
            st.code(view_link() or "(open the app in a browser)", language=None)
            st.caption(
                "The link keeps what you typed and chose on this page: open it "
                "anywhere to see exactly this view. Select it and copy it, or "
                "point at the box and press the copy icon that appears at its "
                "top right."
            )


@st.cache_resource(show_spinner=False)
def _housekeeper():
    return housekeeping.start()  # one watcher thread per server


def keep_house() -> None:
    """After every script run: note it, so memory is tidied once the class is
    quiet (playground.housekeeping)."""
    _housekeeper()
    housekeeping.note_rerun()
