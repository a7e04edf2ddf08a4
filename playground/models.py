"""Trained models, loaded once per server and shared by every learner.

`st.cache_resource` keeps one copy in memory; the models are only read, never
changed, so sharing them between sessions is safe.
"""

from __future__ import annotations

import streamlit as st

from engine.checkpoints import Checkpoint, default_path
from engine.models import SequenceClassifier
from engine.tasks import demo


@st.cache_resource(show_spinner="Loading the trained memory model…")
def demo_model() -> tuple[SequenceClassifier, Checkpoint]:
    return demo.load_model(default_path(demo.NAME))
