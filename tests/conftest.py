import pytest
from hypothesis import settings

from tests.browser import launch_browser, streamlit_server

# CI machines are shared and slow at times: judge properties, not speed.
settings.register_profile("default", deadline=None, max_examples=200)
settings.load_profile("default")


@pytest.fixture(scope="module")
def app_url():
    """A `streamlit run` server for the browser tests of one module."""
    with streamlit_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, driven by Playwright."""
    with launch_browser() as chromium:
        yield chromium
