"""Full-page screenshots of every page, light and dark: python tools/screenshots.py OUT

    python tools/screenshots.py OUT [PAGE ...]   # PAGE: home, next_word, shapes, ...

Starts `streamlit run` on a free localhost port and drives Debian's Chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.navigation import PAGES  # noqa: E402
from tests.browser import launch_browser, streamlit_server, wait_for_app  # noqa: E402

# every page of the menu, by its URL path (the file name without .py)
PATHS = {"home": ""} | {Path(p.path).stem: Path(p.path).stem for p in PAGES}


def main(out: Path, only: list[str] | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, launch_browser() as browser:
        for theme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, color_scheme=theme
            )
            page = context.new_page()
            for name, path in PATHS.items():
                if only and name not in only:
                    continue
                page.goto(f"{url}/{path}")
                wait_for_app(page)
                page.wait_for_timeout(1500)  # let charts and diagrams draw
                # The app scrolls inside its main element, not the window: grow the
                # window to the content's height so one shot shows the whole page.
                height = page.evaluate(
                    "document.querySelector('[data-testid=stMain]').scrollHeight"
                )
                page.set_viewport_size({"width": 1280, "height": min(height, 12000)})
                page.wait_for_timeout(800)
                page.screenshot(path=out / f"{name}-{theme}.png")
                page.set_viewport_size({"width": 1280, "height": 900})
            context.close()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("-"):  # -h, --help: no folder
        sys.exit(__doc__ + "\npages: " + ", ".join(PATHS))
    main(
        Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/screenshots"),
        sys.argv[2:],
    )
