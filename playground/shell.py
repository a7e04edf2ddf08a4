"""The app shell: page settings and the page menu, shared by every page."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from playground.navigation import PAGES

HOME = ("Home", ":material/home:")


def configure_page() -> None:
    st.set_page_config(page_title="RNN Playground", page_icon="🔁", layout="wide")


def draw_menu(home, pages) -> None:
    """The sidebar menu: `home` and `pages` are st.Page objects or file paths."""
    with st.sidebar:
        st.markdown("**:material/autorenew: RNN Playground**")
        st.page_link(home, label=HOME[0], icon=HOME[1])
        for target, info in zip(pages, PAGES, strict=True):
            st.page_link(target, label=info.title, icon=info.icon)


def ensure_app_shell() -> None:
    """Call first in every page file.

    Streamlit treats an app with a pages/ folder as an old-style multipage app
    until streamlit_app.py has called st.navigation once in the server process, so
    the first visitor of a fresh server who opens a page's own link gets that page
    run alone. Then the page draws the shell itself, and switches that mode off
    for every later run.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        configure_page()
        draw_menu("streamlit_app.py", [info.path for info in PAGES])
