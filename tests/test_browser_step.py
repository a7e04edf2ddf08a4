"""Browser tests for "Step through time" on a phone-sized screen (390 × 844)."""

import os
from pathlib import Path

import pytest

from tests.browser import wait_for_app

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}  # an iPhone 12-14 in CSS pixels
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots"))


@pytest.fixture(params=["light", "dark"])
def phone(request, browser, app_url):
    """The step-through page on a phone, in the system's light or dark scheme."""
    context = browser.new_context(
        viewport=PHONE, color_scheme=request.param, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{app_url}/step_through", timeout=120_000)
    wait_for_app(page, timeout=120_000)
    page.locator("[data-testid='stGraphVizChart'] svg").first.wait_for()
    yield page, request.param
    context.close()


def test_step_buttons_stay_in_one_row_next_to_the_diagram(phone):
    page, scheme = phone
    names = ["◀ Back", "Next ▶", "Play"]
    boxes = [page.get_by_role("button", name=n).bounding_box() for n in names]
    tops = [box["y"] for box in boxes]
    assert max(tops) - min(tops) < 4, boxes  # one row, not three stacked buttons
    assert boxes[-1]["x"] + boxes[-1]["width"] <= PHONE["width"]  # all on screen
    diagram = page.locator("[data-testid='stGraphVizChart']").first.bounding_box()
    below = diagram["y"] - (tops[0] + boxes[0]["height"])
    assert 0 <= below < PHONE["height"] / 4, (below, boxes, diagram)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_role("button", name="Next ▶").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"step_phone_{scheme}.png")
    assert page.locator("[data-testid='stException']").count() == 0
