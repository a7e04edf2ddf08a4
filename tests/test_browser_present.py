"""Presentation mode on a 1920x1080 projector: chart and diagram text >= 18 px."""

import pytest

from tests.browser import launch_browser, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

CHART_LABEL_PX = 12  # Streamlit's chart theme draws axis labels and legends at 12 px
LONG_SENTENCE = "The cat sat on the mat and then it slept for a very long time"

# On screen, a diagram label is its font size (in the SVG's own units) times the
# ratio of the drawn width to the SVG's viewBox width (zoom included).
DIAGRAM_TEXT_PX = """() => [...document.querySelectorAll(
    "[data-testid='stGraphVizChart'] svg")].flatMap(svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return [...svg.querySelectorAll('text')].map(
    t => parseFloat(t.getAttribute('font-size')) * scale);
})"""
# A chart is drawn on a canvas at its own CSS width; zoom enlarges it whole.
CHART_SCALES = """() => [...document.querySelectorAll(
    "[data-testid='stVegaLiteChart'] canvas")].map(
  c => c.getBoundingClientRect().width / parseFloat(c.style.width))"""


def _open(page, url: str) -> None:
    """Open a page and wait until its first chart or diagram is drawn (Vega and
    Graphviz draw after the script has finished)."""
    page.goto(url)
    wait_for_app(page, 120_000)
    page.wait_for_selector(
        "[data-testid='stVegaLiteChart'] canvas, [data-testid='stGraphVizChart'] svg",
        timeout=60_000,
    )


@pytest.fixture(scope="module")
def projector():
    with streamlit_server() as url, launch_browser() as browser:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        yield url, context.new_page()
        context.close()


def test_charts_are_enlarged_and_still_fit(projector):
    url, page = projector
    _open(page, f"{url}/gradient_lab?present=1")
    page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas", timeout=60_000)
    scales = page.evaluate(CHART_SCALES)
    assert scales and min(scales) * CHART_LABEL_PX >= 18
    widths = page.evaluate(
        """() => [...document.querySelectorAll(
        "[data-testid='stVegaLiteChart'] canvas")].map(
        c => c.getBoundingClientRect().right)"""
    )
    assert max(widths) <= 1920  # enlarged, not cut off at the right


def test_a_long_unrolled_diagram_stays_legible(projector):
    url, page = projector
    _open(page, f"{url}/step_through?present=1&step_text={LONG_SENTENCE}")
    sizes = page.evaluate(DIAGRAM_TEXT_PX)
    assert sizes and min(sizes) >= 18
    # wider than the screen: it scrolls sideways instead of shrinking its words
    box = page.locator("[data-testid='stGraphVizChart']").first
    assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"


def test_without_presentation_mode_nothing_is_zoomed(projector):
    url, page = projector
    _open(page, f"{url}/gradient_lab")
    page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas", timeout=60_000)
    assert max(page.evaluate(CHART_SCALES)) == pytest.approx(1.0, abs=0.01)
