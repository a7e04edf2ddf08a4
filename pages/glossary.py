"""Glossary: every term the playground uses, defined, with where to see it."""

import streamlit as st

from playground import glossary
from playground.shell import ensure_app_shell, page_end

ensure_app_shell()

st.title("Glossary")
st.markdown(
    "The words this playground uses, each defined in a sentence or two. Every "
    "page's footer links here; the link under a definition opens the page where "
    "you can see the idea at work."
)
glossary.render()

page_end(__file__)  # the guided path (when this page runs on its own)
