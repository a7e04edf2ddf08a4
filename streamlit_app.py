"""RNN Playground: the entry point (`streamlit run streamlit_app.py`).

It only sets up the page and the navigation; each page lays itself out.
"""

import streamlit as st

from playground.home import render_home
from playground.navigation import PAGES

st.set_page_config(page_title="RNN Playground", page_icon="🔁", layout="wide")

home = st.Page(render_home, title="Home", icon=":material/home:", default=True)
pages = [st.Page(p.path, title=p.title, icon=p.icon) for p in PAGES]
# The menu is drawn here rather than by Streamlit: its automatic menu can show the
# raw file names of pages/ to the first visitor of a freshly started server.
current = st.navigation([home, *pages], position="hidden")
with st.sidebar:
    st.markdown("**🔁 RNN Playground**")
    for page in [home, *pages]:
        st.page_link(page, label=page.title, icon=page.icon)
current.run()
