"""Streamlit-side helpers: cached models, diagrams, charts and page layouts."""
