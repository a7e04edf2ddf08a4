"""Give memory back to the system once the server goes quiet.

Streamlit's full `gc.collect()` after every rerun is switched off (see
`.streamlit/config.toml`: it doubled the CPU of every interaction). Instead, when
no learner has rerun a page for `QUIET_S` seconds, one background thread collects
cyclic garbage once and asks glibc to hand freed heap pages back to the system
(`malloc_trim`): without it a server's memory stays at its classroom peak long
after the class has left.
"""

from __future__ import annotations

import ctypes
import gc
import threading
import time

QUIET_S = 10.0  # no rerun for this long: the class has paused or left

_last_rerun = time.monotonic()
_untidy = False  # a rerun happened since the last tidy-up
tidy_ups = 0  # how many times the watcher tidied (read by the tests)


def note_rerun() -> None:
    """Called after every script run (by streamlit_app.py)."""
    global _last_rerun, _untidy
    _last_rerun, _untidy = time.monotonic(), True


def tidy() -> None:
    """Collect cycles, then return free heap memory to the system (glibc only;
    elsewhere, e.g. on macOS, the collection alone)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing more to do


def _watch() -> None:
    global _untidy, tidy_ups
    while True:
        time.sleep(QUIET_S / 2)
        if _untidy and time.monotonic() - _last_rerun >= QUIET_S:
            _untidy = False
            tidy()
            tidy_ups += 1


def start() -> threading.Thread:
    """Start the watcher thread (once per server: the caller caches it)."""
    thread = threading.Thread(target=_watch, name="housekeeping", daemon=True)
    thread.start()
    return thread
