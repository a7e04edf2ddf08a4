"""How long a page rerun takes after the learner types, models cached:
python tools/page_timing.py [--json PATH]

Runs the real page in Streamlit's AppTest (same process, no browser), types a
sentence word by word and reports the rerun times in milliseconds.
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


def keyboard_reruns() -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120).run()
    at.switch_page("pages/next_word.py").run()  # loads and caches the models
    timings = []
    words = SENTENCE.split()
    for n in range(1, len(words) + 1):
        text = " ".join(words[:n]) + " "
        begin = time.perf_counter()
        at.text_input(key="typed").set_value(text).run()
        timings.append((time.perf_counter() - begin) * 1000)
        assert not at.exception, at.exception
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, dest="json_path")
    args = parser.parse_args()
    timings = sorted(keyboard_reruns())
    report = {
        "page": "next_word",
        "reruns": len(timings),
        "rerun_p50_ms": round(timings[len(timings) // 2], 1),
        "rerun_max_ms": round(timings[-1], 1),
    }
    print(json.dumps(report, indent=2))
    if args.json_path:
        args.json_path.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
