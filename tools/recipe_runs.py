"""Run one child process per training recipe, all writing to one log, for the
recipe searches (tools/next_word_search.py, tools/fill_blank_search.py)."""

from __future__ import annotations

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
