"""RNN Playground: the entry point (`streamlit run streamlit_app.py`).

It only sets up the page and the navigation; each page lays itself out.
"""

import streamlit as st

from playground.home import render_home
from playground.navigation import PAGES
from playground.shell import (
    HOME,
    configure_page,
    draw_menu,
    keep_house,
    sharing_panel,
)

configure_page()
home = st.Page(render_home, title=HOME[0], icon=HOME[1], default=True)
pages = [st.Page(p.path, title=p.title, icon=p.icon) for p in PAGES]
# The menu is drawn by draw_menu rather than by Streamlit, so that it looks the
# same when a page runs alone (see playground.shell.ensure_app_shell).
current = st.navigation([home, *pages], position="hidden")
draw_menu(home, pages)
current.run()
sharing_panel()  # after the page: the link holds what the page just set
keep_house()  # memory goes back to the system once the class is quiet
