"""The README's deploy path, as far as this machine allows:
python tools/deploy_check.py [--json PATH] [--keep-venv]

1. a clean virtual environment with requirements.txt only (what Streamlit Community
   Cloud installs): its install time and size on disk;
2. `streamlit run streamlit_app.py --server.headless true` from that environment;
3. every page (and every tab of "RNN shapes") visited in headless Chromium: no
   exception may show, and the time from start to an interactive home page and the
   first visit of each page (models loading) are reported.

Playwright drives the browser from the interpreter running this script (the dev
environment); the app itself only sees the clean environment.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playground.navigation import PAGES  # noqa: E402
from playground.shapes_views import SHAPES  # noqa: E402
from tests.browser import free_port, launch_browser, wait_for_app  # noqa: E402

PAGE_PATHS = [Path(p.path).stem for p in PAGES]


def make_venv(directory: Path) -> dict:
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(directory)], check=True)
    pip = directory / "bin" / "pip"
    subprocess.run(
        [str(pip), "install", "-q", "-r", str(ROOT / "requirements.txt")], check=True
    )
    size = subprocess.run(
        ["du", "-sm", str(directory)], capture_output=True, text=True, check=True
    )
    return {
        "install_s": round(time.perf_counter() - began, 1),
        "venv_mb": int(size.stdout.split()[0]),
    }


def visit_everything(venv: Path) -> dict:
    port = free_port()
    began = time.perf_counter()
    server = subprocess.Popen(
        [
            str(venv / "bin" / "streamlit"),
            "run",
            "streamlit_app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    report: dict = {"exceptions": [], "first_visit_s": {}}
    try:
        with launch_browser() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            url = f"http://127.0.0.1:{port}"
            for _ in range(120):  # the server takes a few seconds to listen
                try:
                    page.goto(url, timeout=1_000)
                    break
                except Exception:  # noqa: BLE001 - not listening yet
                    time.sleep(0.25)
            wait_for_app(page, timeout=60_000)
            report["cold_start_s"] = round(time.perf_counter() - began, 2)
            _check(page, "home", report)
            for path in PAGE_PATHS:
                start = time.perf_counter()
                page.goto(f"{url}/{path}")
                wait_for_app(page, timeout=60_000)
                report["first_visit_s"][path] = round(time.perf_counter() - start, 2)
                _check(page, path, report)
            for label in SHAPES.values():
                page.goto(f"{url}/shapes")
                wait_for_app(page, timeout=60_000)
                page.get_by_role("tab", name=label).click()
                wait_for_app(page, timeout=60_000)
                _check(page, f"shapes: {label}", report)
    finally:
        server.terminate()
        server.wait(10)
    return report


def _check(page, name: str, report: dict) -> None:
    page.wait_for_timeout(300)
    if page.locator("[data-testid='stException']").count():
        report["exceptions"].append(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, dest="json_path")
    parser.add_argument("--keep-venv", action="store_true")
    args = parser.parse_args()
    directory = Path(tempfile.mkdtemp(prefix="deploy-venv-"))
    try:
        report = {"python": sys.version.split()[0]} | make_venv(directory)
        report |= visit_everything(directory)
    finally:
        if not args.keep_venv:
            shutil.rmtree(directory, ignore_errors=True)
    report["ok"] = not report["exceptions"]
    text = json.dumps(report, indent=2)
    print(text)
    if args.json_path:
        args.json_path.write_text(text + "\n")
    sys.exit(0 if report["ok"] else 1)


if __name__ == "__main__":
    main()
