"""Browser tests: the real app in Debian's Chromium, driven by Playwright."""

import re

import pytest

from tests.browser import streamlit_server, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_home_renders_the_unrolled_diagram(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="RNN Playground", level=1)).to_be_visible()
    diagram = page.locator("[data-testid='stGraphVizChart'] svg").nth(2)
    expect(diagram).to_contain_text("mat")  # the seed sentence, unrolled
    assert page.locator("[data-testid='stException']").count() == 0


def test_navigation_link_opens_text_to_numbers(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").get_by_text("Text to numbers").click()
    expect(page.get_by_role("heading", name="Text to numbers")).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_text("Known to the vocabulary")).to_be_visible()
    assert "text_to_numbers" in page.url
    assert page.locator("[data-testid='stException']").count() == 0


def test_typing_a_sentence_redraws_the_diagram(page, app_url):
    from playwright.sync_api import expect

    page.goto(app_url)
    wait_for_app(page)
    box = page.get_by_label("Your sentence")
    box.fill("Dogs chase the red ball")
    box.press("Enter")
    wait_for_app(page)
    diagram = page.locator("[data-testid='stGraphVizChart'] svg").nth(2)
    expect(diagram).to_contain_text("chase")
    assert page.locator("[data-testid='stException']").count() == 0


def test_keyboard_suggests_as_you_type_and_a_tap_appends(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/next_word")
    wait_for_app(page)
    box = page.get_by_label("Type here")
    box.fill("")
    box.press_sequentially("The gov", delay=40)  # live: no Enter needed
    page.wait_for_timeout(600)
    wait_for_app(page)
    buttons = page.locator(".st-key-suggestion_0 button").first
    expect(buttons).to_have_text(re.compile(r"^gov"))
    word = buttons.inner_text().strip()
    buttons.click()
    wait_for_app(page)
    expect(box).to_have_value(f"The {word} ")
    assert page.locator("[data-testid='stException']").count() == 0


def test_gradient_lab_preset_redraws_the_verdicts(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/gradient_lab")
    wait_for_app(page)
    page.get_by_role("button", name="Exploding").click()
    wait_for_app(page)
    expect(page.get_by_text("Exploding.", exact=False).first).to_be_visible()
    expect(page.get_by_text("it has exploded").first).to_be_visible()
    charts = page.locator("[data-testid='stVegaLiteChart']")
    expect(charts.first).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_deep_link_to_a_fresh_server_gets_the_app_menu(browser):
    """The first visitor may arrive by a shared link to a page, not the home page."""
    from playwright.sync_api import expect

    with streamlit_server() as fresh_url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{fresh_url}/text_to_numbers")
        wait_for_app(page)
        expect(page.get_by_role("heading", name="Text to numbers")).to_be_visible()
        menu = page.locator("[data-testid='stSidebar']")
        expect(menu.get_by_text("Gradient lab")).to_be_visible()
        menu.get_by_role("link", name="Home").click()
        wait_for_app(page)
        heading = page.get_by_role("heading", name="RNN Playground", level=1)
        expect(heading).to_be_visible()
        context.close()


def test_sentiment_reads_as_you_type_and_explains(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/sentiment")
    wait_for_app(page)
    box = page.get_by_label("Type a sentence (the score updates as you type)")
    box.fill("")
    box.press_sequentially("What a wonderful film", delay=30)  # live: no Enter
    page.wait_for_timeout(600)
    wait_for_app(page)
    verdict = page.locator("[data-testid='stMetricValue']").first
    expect(verdict).to_have_text("positive")
    trajectory = page.locator("[data-testid='stVegaLiteChart']").first
    expect(trajectory).to_be_visible()
    page.get_by_role("tab", name="Three readers").click()
    panel = page.get_by_role("tabpanel", name="Three readers")
    expect(panel.locator("[data-testid='stDataFrame']")).to_be_visible()
    expect(panel.get_by_text("counts which words and word pairs")).to_be_visible()
    page.get_by_role("tab", name="Inside the network").click()
    diagram = page.locator("[data-testid='stGraphVizChart'] svg").first
    expect(diagram).to_contain_text("wonderful")
    expect(diagram).to_contain_text("positive")
    expect(page.get_by_text("The test tweets it gets wrong")).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_fill_blank_default_click_to_hide_and_two_blanks(page, app_url):
    from playwright.sync_api import expect

    from engine.checkpoints import default_path
    from engine.tasks import fill_blank

    reader = fill_blank.load_reader(default_path(fill_blank.NAME))
    guess = reader.fill("The ___ sat on the mat.").steps[0].choice
    page.goto(f"{app_url}/fill_blank")
    wait_for_app(page)
    summary = page.get_by_text("Forward only →:").first
    expect(summary).to_contain_text(f"Both directions ↔: {guess}")
    diagram = page.locator("[data-testid='stGraphVizChart'] svg").first
    expect(diagram).to_contain_text(f"___ → {guess}?")
    expect(diagram).to_contain_text("forward")
    expect(diagram).to_contain_text("backward")
    box = page.get_by_label("A sentence with a blank", exact=False)
    box.fill("")
    box.press_sequentially("The dog barked at the postman.", delay=20)  # live
    page.wait_for_timeout(600)
    wait_for_app(page)
    expect(page.get_by_text("There is no blank to fill")).to_be_visible()
    words = page.locator("[class*='st-key-fill_click'] button")
    words.filter(has_text=re.compile(r"^postman$")).click()  # hide a word
    wait_for_app(page)
    expect(box).to_have_value("The dog barked at the ___.")
    expect(page.get_by_text("Filled in:")).to_be_visible()
    box.fill("The ___ sat on the ___.")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_role("tab", name="Step 2", exact=False)).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_step_through_time_plays_to_the_end(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/step_through")
    wait_for_app(page)
    box = page.get_by_label("Your sentence")
    box.fill("The cat sat")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Step 1 of 3:")).to_be_visible()
    page.get_by_role("button", name="Next ▶").click()
    expect(page.get_by_text("Step 2 of 3:")).to_be_visible()
    page.get_by_role("tab", name="The arithmetic, numbers plugged in").click()
    expect(page.get_by_text("tiny trained RNN")).to_be_visible()
    page.get_by_role("button", name="Play").click()
    # the timed fragment reruns move one word on, then stop at the end
    expect(page.get_by_text("Step 3 of 3:")).to_be_visible(timeout=15_000)
    expect(page.get_by_role("button", name="Play")).to_be_visible(timeout=15_000)
    diagram = page.locator("[data-testid='stGraphVizChart'] svg").first
    expect(diagram).to_contain_text("sat")
    assert page.locator("[data-testid='stException']").count() == 0


def test_shapes_digit_drawing_is_read(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/shapes")
    wait_for_app(page)
    expect(page.get_by_text("Held-out accuracy").first).to_be_visible()
    page.get_by_role("tab", name="2 · One to many").click()
    wait_for_app(page)
    page.get_by_role("combobox", name="Image").click()
    page.get_by_role("option", name="Draw your own").click()
    wait_for_app(page)
    page.locator("[data-testid=stButtonGroup] button", has_text="4").click()
    wait_for_app(page)
    expect(page.get_by_text("It writes “four”")).to_be_visible()
    for tab, shown in [
        ("3 · Many to one", "The network says"),
        ("4 · Many to many (same length)", "The network writes:"),
        ("5 · Many to many (encoder-decoder)", "2026-11-27"),
    ]:
        page.get_by_role("tab", name=tab).click()
        wait_for_app(page)
        expect(page.get_by_text(shown).first).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_a_copied_link_restores_the_view(page, app_url, browser):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/step_through")
    wait_for_app(page)
    box = page.get_by_label("Your sentence")
    box.fill("The prime minister said")
    box.press("Enter")
    wait_for_app(page)
    page.get_by_role("button", name="Next ▶").click()
    wait_for_app(page)
    page.get_by_text("Copy link to this view").click()
    link = page.locator("[data-testid='stCode']").last.inner_text().strip()
    assert "step_t=2" in link and "step_text=The+prime+minister+said" in link
    other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    other.goto(link)
    wait_for_app(other)
    expect(other.get_by_text("Step 2 of 4:")).to_be_visible()
    other.context.close()


def test_presentation_mode_enlarges_the_text(page, app_url):
    page.goto(f"{app_url}/gradient_lab?present=1")
    wait_for_app(page)
    page.wait_for_function(
        "getComputedStyle(document.documentElement).fontSize === '21px'"
    )
    assert page.get_by_text("More settings: initialisation").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0


def test_step_through_works_with_the_keyboard_alone(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/step_through")
    wait_for_app(page)
    page.get_by_label("Your sentence").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("The cat sat")
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Step 1 of 3:")).to_be_visible()
    next_button = page.get_by_role("button", name="Next ▶")
    next_button.focus()
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("Step 2 of 3:")).to_be_visible()
    slider = page.get_by_role("slider")
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    expect(page.get_by_text("Step 3 of 3:")).to_be_visible()


def test_cells_page_compares_and_answers(page, app_url):
    from playwright.sync_api import expect

    page.goto(f"{app_url}/cells")
    wait_for_app(page)
    expect(page.locator("[data-testid='stGraphVizChart'] svg").first).to_contain_text(
        "h_t"
    )
    page.get_by_role("tab", name="LSTM").first.click()
    expect(page.get_by_text("forget gate").first).to_be_visible()
    page.locator("[data-testid=stButtonGroup] button", has_text="Next word on").click()
    wait_for_app(page)
    expect(page.get_by_text("steps on the first 100,000 words")).to_be_visible()
    box = page.get_by_label("A sequence: the first letter from a to h")
    box.fill("e i k j l i j k l i")
    box.press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("The first letter of your 10 letters was")).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def _copied_link(page) -> str:
    from playwright.sync_api import expect

    page.get_by_text("Copy link to this view").click()
    box = page.locator("[data-testid='stPopoverBody'] [data-testid='stCode']")
    expect(box).to_be_visible()
    return box.inner_text().strip()


def test_copied_link_round_trips_every_widget_kind(browser, app_url):
    """Open a view from an address, copy its link, open the link in a fresh
    browser: multi-select pills (several values), a select slider, a selectbox, a
    slider and a toggle come back as they were."""
    from urllib.parse import parse_qs, urlencode, urlsplit

    from playwright.sync_api import expect

    params = [
        ("lab_cells", "Linear RNN"),
        ("lab_cells", "RNN (ReLU)"),
        ("lab_scale", "2"),
        ("lab_cell", "LSTM"),
        ("lab_length", "40"),
        ("lab_clip", "true"),
    ]
    first = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    first.goto(f"{app_url}/gradient_lab?{urlencode(params)}")
    wait_for_app(first)
    link = _copied_link(first)
    shared = parse_qs(urlsplit(link).query)
    assert shared["lab_cells"] == ["Linear RNN", "RNN (ReLU)"]
    # the link holds exactly what the address holds (Streamlit leaves a widget
    # at its default value out of both)
    assert shared == parse_qs(urlsplit(first.url).query)
    assert {"lab_scale", "lab_length", "lab_clip"} <= set(shared)
    fresh = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    fresh.goto(link)
    wait_for_app(fresh)
    chosen = fresh.locator(".st-key-lab_cells button[data-selected]")
    expect(chosen).to_have_count(2)
    expect(chosen.filter(has_text="Linear RNN")).to_have_count(1)
    expect(chosen.filter(has_text="RNN (ReLU)")).to_have_count(1)
    assert parse_qs(urlsplit(_copied_link(fresh)).query) == shared
    fresh.context.close()
    first.context.close()
