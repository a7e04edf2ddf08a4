"""Run one child process per training recipe, all writing to one log, for the
recipe searches (tools/next_word_search.py, tools/fill_blank_search.py)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path


def run_children(script: str, names: list[str], log: Path, args: list[str]) -> int:
    """`python script --one NAME *args` for every name, side by side; the worst
    exit code. The log is line-buffered: the children's lines interleave whole."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", buffering=1) as handle:
        children = [
            subprocess.Popen(
                [sys.executable, script, "--one", name, *args],
                stdout=handle,
                stderr=handle,
                env=os.environ | {"PYTHONUNBUFFERED": "1"},
            )
            for name in names
        ]
        return max(child.wait() for child in children)


def search_parser(
    doc: str, out: Path, seconds: float, recipes: list[str], picked: str
) -> argparse.ArgumentParser:
    """The options every recipe search takes: where and how long to train which
    recipes, or (--pick) which of `picked` to compare and where to keep the best."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--seconds", type=float, default=seconds)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--recipes", default=",".join(recipes))
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child process
    parser.add_argument("--pick", nargs="+", type=Path, help=f"{picked} to compare")
    parser.add_argument("--keep", type=Path, help="with --pick: copy the best here")
    return parser
