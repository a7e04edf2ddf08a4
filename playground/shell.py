"""Make every page run inside the app shell (streamlit_app.py's menu and layout)."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager


def ensure_app_shell() -> None:
    """Call first in every page file.

    Streamlit treats an app with a pages/ folder as an old-style multipage app
    until streamlit_app.py has called st.navigation once in this server process.
    So the first visitor of a fresh server who opens a page's own link would get
    the page without the app's menu and layout. Switching that mode off and
    rerunning makes Streamlit run streamlit_app.py, which then shows this page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
