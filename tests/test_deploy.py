"""The app needs only requirements.txt: no page may import a test-only package.

(`python tools/deploy_check.py` does the full check: a clean venv with
requirements.txt only and every page in Chromium; it takes minutes.)
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_ONLY = ("sklearn", "nltk", "hypothesis", "playwright", "pytest", "scipy")

VISIT_EVERY_PAGE = f"""
import sys
BLOCKED = {DEV_ONLY!r}

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{{name}} is test-only: the app must not need it")

sys.meta_path.insert(0, Block())
sys.path.insert(0, {str(ROOT)!r})
from streamlit.testing.v1 import AppTest
from playground.navigation import PAGES
from playground.shapes_views import SHAPES

app = AppTest.from_file({str(ROOT / "streamlit_app.py")!r}, default_timeout=120).run()
assert not app.exception, app.exception
for page in PAGES:
    app.switch_page(page.path).run()
    assert not app.exception, (page.path, app.exception)
app.switch_page("pages/shapes.py").run()
for label in SHAPES.values():
    app.session_state["shape_tab"] = label
    app.run()
    assert not app.exception, (label, app.exception)
print("every page ran")
"""


def test_every_page_runs_without_test_only_packages():
    result = subprocess.run(
        [sys.executable, "-c", VISIT_EVERY_PAGE],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "every page ran" in result.stdout


def test_runtime_requirements_are_pinned_and_cpu_torch():
    lines = [
        line.split("#")[0].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
    ]
    pins = [line for line in lines if line]
    assert all("==" in pin for pin in pins), pins
    assert "torch==2.13.0" in pins
    assert not any(p.split("==")[0] in DEV_ONLY for p in pins)
