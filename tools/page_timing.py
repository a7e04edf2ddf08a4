"""How long a page rerun takes after a learner's action, models warm:
python tools/page_timing.py [--page PAGE] [--json PATH]
(PAGE: next_word, step_through, gradient_lab, sentiment, sentiment_bi or
fill_blank)

Runs the real page in Streamlit's AppTest (same process, no browser), repeats a
typical action and reports the rerun times in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SENTENCE = "The prime minister said that the government will not raise taxes this year"


def _open(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    at.switch_page(f"pages/{page}.py").run()  # loads and caches the models
    return at


def _timed(action) -> float:
    begin = time.perf_counter()
    at = action()
    assert not at.exception, at.exception
    return (time.perf_counter() - begin) * 1000


def keyboard_reruns() -> list[float]:
    """Type a sentence word by word into the keyboard."""
    at = _open("next_word")
    words = SENTENCE.split()
    box = lambda: at.text_input(key="typed")  # noqa: E731
    return [
        _timed(lambda n=n: box().set_value(" ".join(words[:n]) + " ").run())
        for n in range(1, len(words) + 1)
    ]


def gradient_lab_reruns() -> list[float]:
    """Move the weight-scale slider through ten values."""
    from playground.gradient_views import SCALE_STOPS

    at = _open("gradient_lab")
    slider = lambda: at.select_slider(key="lab_scale")  # noqa: E731
    return [_timed(lambda s=s: slider().set_value(s).run()) for s in SCALE_STOPS[::4]]


def sentiment_reruns(direction: str = "uni") -> list[float]:
    """Type a review word by word into the sentiment reader."""
    at = _open("sentiment")
    if direction != "uni":
        at.button_group(key="sentiment_direction").set_value(direction).run()
    words = REVIEW.split()
    box = lambda: at.text_input(key="sentiment_text")  # noqa: E731
    return [
        _timed(lambda n=n: box().set_value(" ".join(words[:n])).run())
        for n in range(1, len(words) + 1)
    ]


REVIEW = "The flight was late and the seats were dirty but the crew were wonderful"
BLANKED = "My sister drank a cup of ___ with her breakfast before school"


def fill_blank_reruns() -> list[float]:
    """Type a sentence with a blank word by word into the fill-the-blank page."""
    at = _open("fill_blank")
    words = BLANKED.split()
    box = lambda: at.text_input(key="fill_text")  # noqa: E731
    return [
        _timed(lambda n=n: box().set_value(" ".join(words[:n])).run())
        for n in range(1, len(words) + 1)
    ]


def step_through_reruns() -> list[float]:
    """Move the time slider along a sentence, one word at a time (warm), with
    the Gates tab open (the busiest: two charts)."""
    at = _open("step_through")
    at.text_input(key="step_text").set_value(SENTENCE).run()
    at.session_state["step_tab"] = "Gates"
    slider = lambda: at.slider(key="step_t")  # noqa: E731
    length = len(SENTENCE.split())
    return [
        _timed(lambda t=t: slider().set_value(t).run()) for t in range(2, length + 1)
    ]


PAGES = {
    "next_word": keyboard_reruns,
    "step_through": step_through_reruns,
    "gradient_lab": gradient_lab_reruns,
    "sentiment": sentiment_reruns,
    "sentiment_bi": lambda: sentiment_reruns("bi"),
    "fill_blank": fill_blank_reruns,
}


def measure(page: str) -> dict:
    timings = sorted(PAGES[page]())
    return {
        "page": page,
        "reruns": len(timings),
        "rerun_p50_ms": round(timings[len(timings) // 2], 1),
        "rerun_max_ms": round(timings[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--page", choices=sorted(PAGES), default="next_word")
    parser.add_argument("--json", type=Path, dest="json_path")
    args = parser.parse_args()
    report = measure(args.page)
    print(json.dumps(report, indent=2))
    if args.json_path:
        args.json_path.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
