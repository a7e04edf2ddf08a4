"""RNN Playground: the entry point (`streamlit run streamlit_app.py`).

It only sets up the page, the navigation and the footer that leads along the
guided path; each page lays itself out.
"""

import streamlit as st

from playground.home import render_home
from playground.navigation import GLOSSARY, PAGES
from playground.shell import (
    HOME,
    configure_page,
    draw_menu,
    keep_house,
    path_footer,
    sharing_panel,
)

configure_page()
home = st.Page(render_home, title=HOME[0], icon=HOME[1], default=True)
pages = [st.Page(p.path, title=p.title, icon=p.icon) for p in PAGES]
glossary = st.Page(GLOSSARY.path, title=GLOSSARY.title, icon=GLOSSARY.icon)
stops = [home, *pages]  # the guided path, in order
# The menu is drawn by draw_menu (playground.shell) rather than by Streamlit, so
# that its links keep presentation mode on from page to page.
current = st.navigation([*stops, glossary], position="hidden")
draw_menu(home, pages, glossary)
place = stops.index(current) if current in stops else None  # None: the glossary
current.run()
# After the page, so it ends every page. (A page that calls st.stop() ends there:
# Streamlit draws nothing after a stop, this footer included.)
path_footer(stops, place, glossary)
sharing_panel()  # after the page: the link holds what the page just set
keep_house()  # memory goes back to the system once the class is quiet
