"""Accessibility audit: axe-core (the engine behind Lighthouse's checks) run on
every page of the real app, in the light theme and in the dark one.

Text must meet WCAG AA contrast (4.5:1, rule `color-contrast`) everywhere: a
failure lists each offending element with its colours and ratio. Other serious
or critical findings fail too, except the few listed in `STREAMLIT_OWN`, which
come from Streamlit's own markup and cannot be changed from the app.

One server and one browser serve the whole module; each page is audited once
per theme (`audit` keeps the result for both tests).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from playground.navigation import GLOSSARY, PAGES
from tests.browser import wait_for_app

pytestmark = pytest.mark.browser

THEMES = ("light", "dark")
# every page by its URL path (the file name without .py), the glossary included
PATHS = {"home": ""} | {Path(p.path).stem: Path(p.path).stem for p in PAGES}
PATHS[Path(GLOSSARY.path).stem] = Path(GLOSSARY.path).stem
CASES = [(theme, name) for theme in THEMES for name in PATHS]

# Serious findings in markup the app cannot reach, each with the reason; any
# other element breaking the same rule still fails.
STREAMLIT_OWN = {
    # st.container(height=...) scrolls in a <div> that Streamlit gives no
    # tabindex, so a keyboard cannot focus it to scroll (the text inside is
    # plain and readable; only its scrolling is mouse-bound). st.latex puts each
    # equation in a KaTeX span with overflow-x: auto and no tabindex: at this width
    # the tiny RNN's matrix equations overflow it by 2 px (KaTeX's rounding of the
    # brackets), which axe counts as a scrollable region; on a phone a wide
    # equation really scrolls, by touch.
    "scrollable-region-focusable": (
        "[data-testid='stVerticalBlock'][height], .katex-display"
    ),
}

_axe = Axe()  # the axe.min.js bundled with the package: no network needed


@pytest.fixture(scope="module")
def audit(browser, app_url):
    """axe-core's violations on one page in one theme, once it has drawn: a
    function that visits each page once per theme, in one tab per theme
    (Streamlit follows the system's colour scheme)."""
    contexts = {
        theme: browser.new_context(
            viewport={"width": 1280, "height": 900}, color_scheme=theme
        )
        for theme in THEMES
    }
    tabs = {theme: context.new_page() for theme, context in contexts.items()}
    results: dict[tuple[str, str], list[dict]] = {}

    def run(theme: str, name: str) -> list[dict]:
        if (theme, name) not in results:
            page = tabs[theme]
            page.goto(f"{app_url}/{PATHS[name]}")
            wait_for_app(page, timeout=120_000)  # the first visit loads the models
            page.wait_for_timeout(800)  # charts and diagrams draw after the script
            scheme = page.evaluate(
                "getComputedStyle(document.querySelector('[data-testid=stApp]'))"
                ".colorScheme"
            )
            assert scheme == theme, f"{name}: the app did not switch to {theme}"
            violations = _axe.run(page).response["violations"]
            for violation in violations:  # mark what Streamlit's markup brings
                for node in violation["nodes"]:
                    node["streamlit_own"] = violation["id"] in STREAMLIT_OWN and (
                        page.evaluate(
                            "([t, s]) => document.querySelector(t).matches(s)",
                            [node["target"][0], STREAMLIT_OWN[violation["id"]]],
                        )
                    )
            results[theme, name] = violations
        return results[theme, name]

    yield run
    for context in contexts.values():
        context.close()


def contrast_report(violation: dict) -> str:
    """For each element: where it is, its colours and the ratio it gets."""
    lines = []
    for node in violation["nodes"]:
        data = next((c["data"] for c in node["any"] if c.get("data")), {}) or {}
        lines.append(
            f"  {' '.join(node['target'])}\n"
            f"    text {data.get('fgColor')} on {data.get('bgColor')}: "
            f"{data.get('contrastRatio')}:1, needs {data.get('expectedContrastRatio')}"
            f" ({data.get('fontSize')}, weight {data.get('fontWeight')})\n"
            f"    {node['html'][:160]}"
        )
    return "\n".join(lines)


@pytest.mark.parametrize(("theme", "name"), CASES)
def test_text_meets_aa_contrast(audit, theme, name):
    found = [v for v in audit(theme, name) if v["id"] == "color-contrast"]
    assert not found, (
        f"{name} ({theme} theme): text below WCAG AA contrast:\n"
        + "\n".join(contrast_report(v) for v in found)
    )


@pytest.mark.parametrize(("theme", "name"), CASES)
def test_no_other_serious_accessibility_failures(audit, theme, name):
    found = [
        f"  {v['id']} ({v['impact']}): {v['help']}\n    {' '.join(n['target'])}\n"
        f"    {n['html'][:160]}"
        for v in audit(theme, name)
        if v["id"] != "color-contrast" and v["impact"] in ("serious", "critical")
        for n in v["nodes"]
        if not n["streamlit_own"]
    ]
    assert not found, f"{name} ({theme} theme):\n" + "\n".join(found)
