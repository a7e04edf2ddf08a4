"""The keyboard page on a phone: the suggestion strip stays one row."""

import pytest

from tests.browser import wait_for_app

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}  # an iPhone 12-15 in portrait


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def suggestion_boxes(page) -> list[dict]:
    """Where the buttons are drawn: second best, best, third best."""
    keys = ["suggestion_1", "suggestion_0", "suggestion_2"]
    buttons = [page.locator(f".st-key-{key} button:visible") for key in keys]
    return [button.bounding_box() for button in buttons]


@pytest.mark.parametrize("text", ["", "The gov"])  # "": the page's own sentence
def test_the_three_suggestions_share_one_row_on_a_phone(phone, app_url, text):
    phone.goto(f"{app_url}/next_word")
    wait_for_app(phone)
    if text:
        phone.get_by_label("Type here").fill(text)
        phone.wait_for_timeout(600)  # live input: the rerun starts on its own
        wait_for_app(phone)
    boxes = left, middle, right = suggestion_boxes(phone)
    assert abs(left["y"] - middle["y"]) < 4 and abs(middle["y"] - right["y"]) < 4
    assert left["x"] < middle["x"] < right["x"]  # the best in the middle
    assert left["x"] >= 0 and right["x"] + right["width"] <= PHONE["width"]
    assert max(b["width"] for b in boxes) - min(b["width"] for b in boxes) < 2
    assert phone.locator("[data-testid='stException']").count() == 0
