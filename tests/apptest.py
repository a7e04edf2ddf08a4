"""Open one page of the real app in Streamlit's AppTest (shared by page tests)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


def open_page(page: str) -> AppTest:
    """Start at the app's entry point, as a browser would, then switch to `page`."""
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.switch_page(page).run()
    assert not app.exception
    return app


def open_tab(app: AppTest, key: str, label: str) -> AppTest:
    """Click a lazy tab (only the open tab of `st.tabs(key=...)` runs)."""
    app.session_state[key] = label
    app.run()
    assert not app.exception
    return app
