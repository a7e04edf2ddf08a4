"""Classroom load test: many learners use one `streamlit run` server at once.

    python tests/load_classroom.py --learners 30 --seconds 120 --json out.json

Run on demand (about ten minutes), never collected by pytest: its name does not
start with test_. It prints one JSON object and exits 1 if a target was missed.
`--option runner.postScriptGC=false` tries a Streamlit config option out.

The phases, in order:

1. Cold start. Chromium is launched first; then the clock starts, `streamlit run`
   starts, and `cold_start_s` is the time until the home page is idle in that
   browser (see "idle" below) with its text boxes taking input. The same tab then
   opens every page once from the sidebar menu, `first_visit_s` (each page's
   models load here), and once more, `warm_visit_s`.
2. Solo tour. The same tab does every action of every page once, alone on the
   server: `solo` gives each one's time and the server CPU it costs. The rerun
   requests the tab sends over its websocket are recorded for phase 3.
3. The classroom. `--learners` learners arrive over `--ramp` seconds and stay for
   `--seconds` (longer if they have not seen every page yet). Each visits every
   page in its own seeded order, does two or three things on each, and thinks for
   1 to 4 s (seeded) before each action. Two kinds of learner share the load:
   - `--browsers` of them are real Chromium tabs (one browser context each in the
     one Chromium, driven by Playwright's async API, one asyncio task each). They
     type into text boxes, tap suggestions and example chips, press arrow keys on
     sliders, switch tabs and models, pick options; `--trainers` of them (the
     first ones) also press one capped live training once ("Train it again here"
     on RNN vs LSTM vs GRU, "Train RNN, LSTM and GRU" in the gradient lab).
   - the others are websocket learners: each opens its own Streamlit session over
     the websocket (no browser) and replays the solo tour's recorded rerun
     requests, so the server does the same work as for a browser.
   Why both: measured here, a Chromium tab costs about as much CPU per
   interaction as the server does (its renderer runs React, Vega and Graphviz), so
   30 tabs on a 2-core machine measure mostly the browsers; on a real classroom
   server every browser runs on the learner's own computer. For the same reason
   every client process (this script, Playwright's driver, Chromium) runs at
   `--nice` 10, so the server gets the CPU first. `--browsers 30` runs 30 tabs.
4. They leave. Streamlit keeps a disconnected session for reconnection for
   server.disconnectedSessionTTL (120 s) and drops it at the next session change
   after that, so after `--settle` seconds (one late visitor opens the home page
   once the TTL is over) `rss_after_mb` is read.

An interaction is one user action that makes the server rerun the script: press
Enter in a text box, type the last letter in a live text box, click a button,
chip, tab, option or menu link, press an arrow key on a slider. In a browser its
time runs, in the page's own clock, from the action's last input event (keydown,
pointerdown, input or change) to the later of two moments: the server's
`script_finished` message for the last rerun request the action sent (a live
text box sends it 250 ms after the last key: that wait counts), and the last
change inside `[data-testid='stMain']`, once the app is idle
(`[data-testid='stApp']` has `data-test-script-state='notRunning'`, no element
has `data-stale='true'`) and nothing has changed for 300 ms. For a websocket
learner it runs from sending the recorded request to `script_finished` (and no
run 300 ms later): no rendering and no debounce, so `by_client` reports the two
kinds apart. Actions that send no request (tabs drawn by the browser) count as
`client_actions`, untimed; the trainings (20-60 s by design) are timed apart in
`trainings`.

Errors: an exception element (`stException` in a page, an exception delta on a
websocket), an action not idle within 20 s, an action a widget refused, a console
error or uncaught exception in a page, a crashed page or closed websocket, and
any traceback in the server's log.

Memory: VmRSS from /proc of the streamlit process and its children, every 0.25 s;
`rss_start_mb` is read after phases 1-2 (every model loaded), just before the
learners arrive.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script

import websockets  # noqa: E402 (a dependency of Streamlit)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from playground.navigation import PAGES  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, ROOT, free_port  # noqa: E402

HOME = ("", "Home")  # (URL path, menu title)
SITE = [HOME] + [(Path(p.path).stem, p.title) for p in PAGES]
ACTION_TIMEOUT_S = 20.0  # longer is an error: "the page hangs"
TRAINING_TIMEOUT_S = 150.0  # the longest capped training is 3 x 20 s
SETTLE_S = 0.3  # idle this long after a run: a callback's st.rerun() may follow
SESSION_TTL_S = 120  # server.disconnectedSessionTTL, Streamlit's default
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
VIEWPORT = {"width": 1280, "height": 800}  # wide enough for the sidebar menu
TARGETS = dict(p95_ms=1500, rss_peak_mb=1500, rss_return_mb=150, cold_s=6, visit_s=3)

# Runs in every tab before the app: notes the last input event, each rerun
# request sent over the websocket (kept, base64, for the websocket learners), each
# `script_finished` message received (ForwardMsg field 6, found by walking the
# message's top-level protobuf fields) and the last change to the page's content.
INSTRUMENT_JS = r"""
(() => {
  const s = { lastInput: 0, lastSend: -1, busyAtSend: false, finishedAt: -1,
              lastChange: 0, frames: [] };
  window.__load = s;
  const app = () => document.querySelector("[data-testid='stApp']");
  const state = () => app() && app().getAttribute('data-test-script-state');
  const idle = () => state() === 'notRunning' &&
                     !document.querySelector("[data-stale='true']");
  const note = () => { s.lastInput = performance.now(); };
  for (const type of ['keydown', 'pointerdown', 'input', 'change']) {
    addEventListener(type, note, true);
  }
  const finishes = (data) => {  // does this ForwardMsg carry script_finished?
    if (!(data instanceof ArrayBuffer)) return false;
    const b = new Uint8Array(data);
    let i = 0;
    const varint = () => {
      let value = 0, scale = 1, byte;
      do { byte = b[i++]; value += (byte & 127) * scale; scale *= 128; }
      while (byte & 128 && i < b.length);
      return value;
    };
    while (i < b.length) {
      const tag = varint(), wire = tag & 7;
      if (tag >> 3 === 6 && wire === 0) return true;
      if (wire === 0) varint();
      // two steps: `i += varint()` would add the size to the i before varint()
      else if (wire === 2) { const size = varint(); i += size; }
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (finishes(event.data)) s.finishedAt = performance.now();
      });
    }
  };
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    const bytes = ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);
    if (bytes.length > 8) {  // a heartbeat is a few bytes; a rerun request more
      s.lastSend = performance.now();
      s.busyAtSend = state() !== 'notRunning';
      let text = '';
      for (const b of bytes) text += String.fromCharCode(b);
      s.frames.push(btoa(text));
    }
    return send.call(this, data);
  };
  new MutationObserver((records) => {
    const main = document.querySelector("[data-testid='stMain']");
    if (records.some((r) => main && main.contains(r.target))) {
      s.lastChange = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, attributes: true,
                         characterData: true });
  s.arm = () => { s.lastInput = performance.now(); };
  const end = () => Math.max(s.finishedAt, s.lastChange);
  s.done = (graceMs) => {
    const now = performance.now();
    if (s.lastSend < s.lastInput) {
      return now - s.lastInput > graceMs ? 'client' : false;
    }
    const settle = s.busyAtSend ? 1000 : 300;  // a st.rerun() or newer run may follow
    if (s.finishedAt > s.lastSend && idle() && now - end() >= settle) return 'rerun';
    return false;
  };
  s.elapsed = () => ({ ms: end() - s.lastInput, age: performance.now() - end() });
  s.takeFrames = () => s.frames.splice(0);
  s.describe = () => `script ${state()}, ` +
    `connection ${app() && app().getAttribute('data-test-connection-state')}, ` +
    `${document.querySelectorAll("[data-stale='true']").length} stale, ` +
    `request sent ${Math.round(s.lastSend - s.lastInput)} ms after the input, ` +
    `last run finished ${Math.round(s.finishedAt - s.lastSend)} ms after it`;
})();
"""
# A deep link (/page) makes Streamlit's frontend look for its server at
# /page/_stcore/... before /_stcore/...: those two 404s are expected.
PROBE_404 = re.compile(r"/[a-z_]+/_stcore/(health|host-config)$")
LOG_ERROR = re.compile(r"Traceback|Exception|Error:")

SENTENCES = [
    "The cat sat on the mat",
    "My sister drank a cup of tea",
    "The government said it would not raise taxes",
    "Shares in the company rose sharply after the results",
    "The film was not good at all",
    "We walked to school in the rain",
]
TYPED = [
    "The prime minister said the ",
    "Shares in the bank fell after ",
    "The film was ",
    "I think the new ",
    "The football club will ",
]
FEELINGS = [
    "What a wonderful day",
    "The service was slow and the food was cold",
    "Not bad at all",
    "I hate waiting for the bus",
    "The flight was on time",
]
BLANKS = [
    "The ___ barked at the postman.",
    "She drank a cup of ___.",
    "The prime ___ said the election would be held in May.",
    "I wore a ___ because it was raining.",
]
DATES = ["forty two", "the first of may two thousand and one", "nine hundred"]
GUESSES = ["dog", "tea", "minister", "coat", "the"]
SENTIMENT_LABEL = "Type a sentence (the score updates as you type)"
BLANK_LABEL = re.compile("^A sentence with a blank")
MEMORY_LABEL = "A sequence: the first letter from a to h, then distractors from i to l"
PRESETS = ["Vanishing", "Exploding", "Saturation", "Gates keep a path", "Clipping"]


# ---------------------------------------------------------------- the server


@contextlib.contextmanager
def streamlit_process(
    log: Path, options: list[str] = (), timeout: float = 60
) -> Iterator[tuple[str, int]]:
    """`streamlit run` like tests.browser.streamlit_server, but its output goes to
    a file (a pipe nobody reads would block a long run), its pid is known, and
    config `options` ("runner.postScriptGC=false") may be tried out."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    for option in options:
        name, _, value = option.partition("=")
        command += [f"--{name}", value]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    message = f"streamlit did not start:\n{log.read_text()}"
                    raise RuntimeError(message) from None
                time.sleep(0.1)
        yield url, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


# ---------------------------------------------------------------- /proc


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (psutil is not a dependency)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                stat = Path(entry.path, "stat").read_text()
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


def rss_mb(pids: list[int]) -> float:
    total_kb = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
    return total_kb / 1024


def cpu_seconds(pids: list[int]) -> dict[tuple[int, int], float]:
    """CPU time (user + system) used so far by each process, by (pid, start)."""
    used = {}
    for pid in pids:
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            used[pid, int(fields[19])] = (
                int(fields[11]) + int(fields[12])
            ) / CLOCK_TICKS
    return used


def machine_busy_seconds() -> float:
    """CPU time every process of the machine used since boot, all cores."""
    ticks = [int(f) for f in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(ticks[:8]) - ticks[3] - ticks[4]) / CLOCK_TICKS  # less idle, iowait


def lower_priority(pids: list[int], nice: int) -> None:
    """Renice every thread of these processes (nice is per thread on Linux)."""
    for pid in pids:
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{pid}/task"):
                with contextlib.suppress(OSError):
                    if os.getpriority(os.PRIO_PROCESS, int(tid)) < nice:
                        os.setpriority(os.PRIO_PROCESS, int(tid), nice)


class Monitor(threading.Thread):
    """Samples the server's RSS (with its children) every 0.25 s; every second,
    adds up the CPU time of the server and of the clients (this script, the
    Playwright driver, Chromium) and renices new client threads."""

    def __init__(self, server: int, nice: int) -> None:
        super().__init__(daemon=True)
        self.server, self.nice = server, nice
        self.peak = self.last = rss_mb(process_tree(server))
        self.server_cpu: dict[tuple[int, int], float] = {}
        self.client_cpu: dict[tuple[int, int], float] = {}
        self.stopped = threading.Event()
        self.samples: list[tuple[float, float, float]] = []  # (time, server, clients)
        self.tick()

    def tick(self) -> None:
        servers = set(process_tree(self.server))
        clients = [p for p in process_tree(os.getpid()) if p not in servers]
        self.server_cpu |= cpu_seconds(list(servers))  # exited ones keep their time
        self.client_cpu |= cpu_seconds(clients)
        self.samples.append(
            (
                time.monotonic(),
                sum(self.server_cpu.values()),
                sum(self.client_cpu.values()),
            )
        )
        if self.nice:
            lower_priority(clients, self.nice)

    def run(self) -> None:
        beat = 0
        while not self.stopped.wait(0.25):
            self.last = rss_mb(process_tree(self.server))
            self.peak = max(self.peak, self.last)
            beat += 1
            if beat % 4 == 0:
                self.tick()

    def cpu(self) -> tuple[float, float, float]:
        """(server, clients, whole machine) CPU seconds so far."""
        self.tick()
        server, clients = self.server_cpu.values(), self.client_cpu.values()
        return sum(server), sum(clients), machine_busy_seconds()

    def cpu_per_second(self, since: float) -> list[list[float]]:
        """[seconds since `since`, server %, clients %] for each sample interval:
        to line interaction times up with where the CPU went."""
        rows = []
        for (t0, s0, c0), (t1, s1, c1) in zip(
            self.samples, self.samples[1:], strict=False
        ):
            span = max(t1 - t0, 1e-9)
            if t1 >= since:
                rows.append(
                    [round(t1 - since, 1), round(100 * (s1 - s0) / span),
                     round(100 * (c1 - c0) / span)]
                )  # fmt: skip
        return rows


# ---------------------------------------------------------------- records


@dataclass
class Record:
    """Everything the learners measured."""

    interactions: list[dict] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    trainings: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    client_actions: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    visited: dict[int, set[str]] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def now(self) -> float:
        """Seconds since the record was started (the learners' clock)."""
        return round(time.monotonic() - self.started, 1)


@dataclass
class Tour:
    """The rerun requests a tab sent in the solo tour, for the websocket learners."""

    arrival: list[bytes] = field(default_factory=list)
    steps: dict[str, list[tuple[str, list[bytes]]]] = field(default_factory=dict)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# ---------------------------------------------------------------- learners


class Learner:
    """What every learner does: arrive, then page after page, thinking between
    actions. Subclasses say how to arrive, open a page and act."""

    kind = ""

    def __init__(self, index: int, url: str, record: Record, seed: int) -> None:
        self.index, self.url, self.record = index, url, record
        self.rng = random.Random(seed * 1000 + index)
        self.path = ""
        self.training: str | None = None  # the page whose training button it presses

    def fail(self, kind: str, text: str, action: str = "") -> None:
        page = self.path or "home"
        self.record.errors.append(
            dict(
                learner=self.index,
                client=self.kind,
                page=page,
                action=action,
                kind=kind,
                detail=text[:300],
                at_s=self.record.now(),
            )
        )

    def timed_ok(self, action: str, ms: float) -> None:
        self.record.interactions.append(
            dict(
                learner=self.index,
                client=self.kind,
                page=self.path or "home",
                action=action,
                ms=ms,
                at_s=self.record.now(),
            )
        )

    async def think(self) -> None:
        await asyncio.sleep(self.rng.uniform(1.0, 4.0))

    async def run(self, deadline: float, hard_deadline: float) -> None:
        """Visit page after page until the deadline and every page was seen."""
        visited = self.record.visited.setdefault(self.index, set())
        order = [HOME, *self.rng.sample(SITE[1:], len(SITE) - 1)]
        turn = 0
        while time.monotonic() < hard_deadline:
            if time.monotonic() > deadline and len(visited) == len(SITE):
                return
            path, title = order[turn % len(order)]
            if turn:
                await self.think()
                await self.open(path, title)
            turn += 1
            for name in self.choose(path):
                await self.think()
                await self.act_on(path, name)
            visited.add(path)

    def choose(self, path: str) -> list[str]:
        """Two or three of the things one can do on this page, in page order."""
        names = self.actions_on(path)
        picked = set(self.rng.sample(names, min(len(names), self.rng.randint(2, 3))))
        chosen = [name for name in names if name in picked]
        if self.training == path:
            chosen.append("train")
            self.training = None
        return chosen

    def actions_on(self, path: str) -> list[str]:
        raise NotImplementedError

    async def open(self, path: str, title: str) -> None:
        raise NotImplementedError

    async def act_on(self, path: str, name: str) -> None:
        raise NotImplementedError


class BrowserLearner(Learner):
    """A learner in a real Chromium tab (its own browser context)."""

    kind = "browser"

    def __init__(self, index: int, url: str, record: Record, seed: int) -> None:
        super().__init__(index, url, record, seed)
        self.page = None
        self.actions_done = 0
        self.frames: list[bytes] = []  # the rerun requests of the last action

    async def start(self, browser) -> None:
        context = await browser.new_context(viewport=VIEWPORT)
        await context.add_init_script(INSTRUMENT_JS)
        context.set_default_timeout(ACTION_TIMEOUT_S * 1000)
        self.page = await context.new_page()
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.fail("pageerror", str(e)))
        self.page.on("crash", lambda _: self.fail("crash", "the page crashed"))

    def _console(self, message) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and not PROBE_404.search(where):
            self.fail("console", f"{message.text} ({where})")

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.page.context.close()

    async def take_frames(self) -> list[bytes]:
        sent = await self.page.evaluate("window.__load.takeFrames()")
        return [base64.b64decode(frame) for frame in sent]

    async def wait_idle(self, timeout_s: float, grace_ms: int) -> dict:
        """Wait for `done()`: {'outcome': 'rerun' | 'client', 'ms': from the last
        input to idle, 'age': ms since it became idle}, in the page's clock."""
        handle = await self.page.wait_for_function(
            "g => window.__load.done(g)",
            arg=grace_ms,
            polling=100,
            timeout=timeout_s * 1000,
        )
        outcome = await handle.json_value()
        timing = await self.page.evaluate("window.__load.elapsed()")
        return {"outcome": outcome} | timing

    async def timed(
        self,
        action: str,
        trigger: Callable[[], Awaitable],
        timeout_s: float = ACTION_TIMEOUT_S,
    ) -> float | None:
        """Do one action; its time in ms, or None if it failed or sent nothing."""
        self.actions_done += 1
        await self.page.evaluate("window.__load.arm()")
        try:
            await trigger()
        except Exception as error:  # the widget is there but refused the action
            self.fail("action", f"{type(error).__name__}: {error}", action)
            return await self.recover()
        try:
            timing = await self.wait_idle(timeout_s, grace_ms=2000)
        except Exception:
            state = await self.page_state()
            self.fail("timeout", f"not idle after {timeout_s:.0f} s: {state}", action)
            return await self.recover()
        self.frames += await self.take_frames()
        if await self.exception_shown(action):
            return None
        if timing["outcome"] == "client":
            self.record.client_actions += 1
            return None
        return timing["ms"]

    async def act(self, action: str, trigger: Callable[[], Awaitable]) -> None:
        """One timed interaction."""
        ms = await self.timed(action, trigger)
        if ms is not None:
            self.timed_ok(action, ms)

    async def page_state(self) -> str:
        """What the page looked like when it failed to become idle."""
        with contextlib.suppress(Exception):
            return await self.page.evaluate("window.__load.describe()")
        return "unknown"

    async def exception_shown(self, action: str) -> bool:
        shown = self.page.locator("[data-testid='stException']")
        if await shown.count():
            self.fail("exception", await shown.first.inner_text(), action)
            return True
        return False

    async def recover(self) -> None:
        """After an error: reload the page the learner was on."""
        with contextlib.suppress(Exception):
            await self.page.goto(f"{self.url}/{self.path}")
            await self.wait_idle(ACTION_TIMEOUT_S * 2, 10_000)
        await self.take_frames()

    async def arrive(self) -> None:
        """Open the link the teacher gave: the home page."""
        start = time.monotonic()
        await self.page.goto(self.url)
        try:
            await self.wait_idle(60, 10_000)
        except Exception:
            state = await self.page_state()
            self.fail("timeout", f"home page not idle after 60 s: {state}", "arrive")
            return
        self.record.arrivals.append((time.monotonic() - start) * 1000)
        await self.exception_shown("arrive")

    async def open(self, path: str, title: str) -> None:
        """Open a page from the sidebar menu (one interaction)."""
        link = self.page.locator("[data-testid='stSidebar']").get_by_role(
            "link", name=named(title)
        )
        self.path = path
        if await link.count():
            await self.act("open page", link.first.click)
        else:  # no menu: follow the page's link instead
            await self.page.goto(f"{self.url}/{path}")
            await self.wait_idle(ACTION_TIMEOUT_S, 10_000)

    def actions_on(self, path: str) -> list[str]:
        return list(ACTIONS[path])

    async def act_on(self, path: str, name: str) -> None:
        done = self.actions_done
        await (TRAININGS[path] if name == "train" else ACTIONS[path][name])(self)
        if self.actions_done == done:  # its widget is not on the page (now)
            key = f"{path or 'home'}: {name}"
            self.record.skipped[key] = self.record.skipped.get(key, 0) + 1


class SocketLearner(Learner):
    """A learner without a browser: its own Streamlit session over the websocket,
    replaying the rerun requests the solo tour's tab sent."""

    kind = "websocket"

    def __init__(self, index: int, url: str, record: Record, seed: int, tour: Tour):
        super().__init__(index, url, record, seed)
        self.tour = tour
        self.socket = None
        self.running = False
        self.finished_at = 0.0
        self.changed = asyncio.Event()

    async def listen(self) -> None:
        """Read the server's messages until this learner leaves (a cancel)."""
        try:
            async for data in self.socket:
                self.handle(data)
        except websockets.ConnectionClosed as closed:
            reason = str(closed)
        else:
            reason = "closed normally"
        self.fail("websocket", f"the server closed the websocket ({reason})")

    def handle(self, data: bytes) -> None:
        """Note the run state, finished runs and exceptions."""
        message = ForwardMsg()
        message.ParseFromString(data)
        kind = message.WhichOneof("type")
        if kind == "session_status_changed":
            self.running = message.session_status_changed.script_is_running
        elif kind == "script_finished":
            self.finished_at = time.monotonic()
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "exception":
                self.fail("exception", element.exception.message)
        self.changed.set()

    async def replay(self, frame: bytes, timeout_s: float) -> float | None:
        """Send one request; ms until its last run finished, None on a timeout."""
        sent = time.monotonic()
        await self.socket.send(frame)
        while time.monotonic() - sent < timeout_s:
            self.changed.clear()
            if self.finished_at > sent and not self.running:
                await asyncio.sleep(SETTLE_S)
                if not self.running:
                    return (self.finished_at - sent) * 1000
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), 1.0)
        self.fail("timeout", f"no finished run {timeout_s:.0f} s after a request")
        return None

    async def session(self, deadline: float, hard_deadline: float) -> None:
        address = self.url.replace("http", "ws", 1) + "/_stcore/stream"
        async with websockets.connect(
            address, subprotocols=["streamlit"], max_size=None
        ) as self.socket:
            listener = asyncio.create_task(self.listen())
            try:
                await self.arrive()
                await self.run(deadline, hard_deadline)
            finally:
                listener.cancel()

    async def arrive(self) -> None:
        start = time.monotonic()
        for frame in self.tour.arrival:
            if await self.replay(frame, 60) is None:
                return
        self.record.arrivals.append((time.monotonic() - start) * 1000)

    async def send_step(self, action: str, frames: list[bytes]) -> None:
        for frame in frames:  # e.g. the quiz: check the guess, then the next one
            ms = await self.replay(frame, ACTION_TIMEOUT_S)
            if ms is not None:
                self.timed_ok(action, ms)

    def actions_on(self, path: str) -> list[str]:
        return [name for name, _ in self.tour.steps.get(path, [])[1:]]

    async def open(self, path: str, title: str) -> None:
        self.path = path
        steps = self.tour.steps.get(path, [])
        if steps:
            await self.send_step("open page", steps[0][1])

    async def act_on(self, path: str, name: str) -> None:
        frames = dict(self.tour.steps[path][1:])[name]
        await self.send_step(name, frames)


# ---------------------------------------------------------------- widgets


def named(text: str) -> re.Pattern:
    """An accessible name that ends with `text` (after an optional icon name)."""
    return re.compile(rf"(^|\s){re.escape(text)}$")


def widget(page, testid: str, label: str | re.Pattern):
    """The visible widget of this kind whose label reads `label` (exactly, if a
    str); hidden copies of a widget may sit in the page."""
    name = page.locator("[data-testid='stWidgetLabel']").get_by_text(label, exact=True)
    shown = page.locator(f"[data-testid='{testid}']").filter(visible=True)
    return shown.filter(has=name).first


async def type_and_enter(learner: BrowserLearner, label: str, text: str) -> None:
    box = widget(learner.page, "stTextInput", label).locator("input").first
    if await box.count():
        await box.fill(text)
        await learner.act(f"type + Enter: {label}", lambda: box.press("Enter"))


async def type_and_submit(learner: BrowserLearner, label: str, text: str) -> None:
    area = widget(learner.page, "stTextArea", label).locator("textarea").first
    if await area.count():
        await area.fill(text)
        await learner.act(
            f"type + Ctrl+Enter: {label}", lambda: area.press("Control+Enter")
        )


async def type_live(learner: BrowserLearner, label: str | re.Pattern, text: str):
    """Type like a person into a box that updates as you type (no Enter)."""
    box = widget(learner.page, "stTextInput", label).locator("input").first
    if not await box.count():
        return
    await box.fill("")
    await box.press_sequentially(text[:-1], delay=learner.rng.randint(60, 140))
    name = label if isinstance(label, str) else label.pattern.strip("^")
    await learner.act(f"type live: {name}", lambda: box.press_sequentially(text[-1]))


async def press_slider(learner: BrowserLearner, label: str) -> None:
    """Focus a slider and press an arrow key, away from the end it is at."""
    thumb = widget(learner.page, "stSlider", label).get_by_role("slider").first
    if not await thumb.count():
        return
    key = learner.rng.choice(["ArrowRight", "ArrowLeft", "ArrowRight"])
    value = await thumb.input_value()
    if value == await thumb.get_attribute("max"):
        key = "ArrowLeft"
    elif value == await thumb.get_attribute("min"):
        key = "ArrowRight"
    await learner.act(f"slider: {label}", lambda: thumb.press(key))


async def pick_chip(learner: BrowserLearner, group, name: str) -> None:
    """Click a chip of a pills or segmented control that is not chosen yet."""
    chips = group.locator("button:not([aria-checked='true'])")
    count = await chips.count()
    if count:
        await learner.act(name, chips.nth(learner.rng.randrange(count)).click)


async def pick_segment(learner: BrowserLearner, label: str) -> None:
    group = widget(learner.page, "stButtonGroup", label)
    await pick_chip(learner, group, f"choose: {label}")


async def pick_example(learner: BrowserLearner, key: str) -> None:
    await pick_chip(learner, learner.page.locator(f".st-key-{key}"), "example chip")


async def pick_radio(learner: BrowserLearner, label: str) -> None:
    options = widget(learner.page, "stRadio", label).locator(
        "label:has(input:not(:checked))"
    )
    count = await options.count()
    if count:
        option = options.nth(learner.rng.randrange(count))
        await learner.act(f"radio: {label}", option.click)


async def open_select(page, box) -> bool:
    """Open a select box's list; a click on the box sometimes only focuses it."""
    opener = box.locator("xpath=..").get_by_role("button", name="Open")
    for attempt in (lambda: box.press("ArrowDown"), opener.click, box.click):
        await attempt()
        with contextlib.suppress(Exception):
            await page.get_by_role("option").first.wait_for(timeout=1500)
            return True
    return False


async def pick_option(learner: BrowserLearner, label: str) -> None:
    """Open a select box and click an option that is not chosen yet."""
    page = learner.page
    box = widget(page, "stSelectbox", label).get_by_role("combobox").first
    if not await box.count():
        return
    if not await open_select(page, box):
        learner.fail("action", f"the options of {label!r} did not open", "select")
        return
    others = page.get_by_role("option").and_(
        page.locator(":not([aria-selected='true'])")
    )
    count = await others.count()
    if count:
        option = others.nth(learner.rng.randrange(count))
        await learner.act(f"select: {label}", option.click)
    else:
        await page.keyboard.press("Escape")


async def toggle(learner: BrowserLearner, label: str) -> None:
    box = widget(learner.page, "stCheckbox", label).locator("label").first
    if await box.count():
        await learner.act(f"toggle: {label}", box.click)


async def click_button(learner: BrowserLearner, name: str) -> None:
    button = learner.page.get_by_role("button", name=named(name)).first
    if await button.count() and await button.is_enabled():
        await learner.act(f"button: {name}", button.click)


async def click_any_tab(learner: BrowserLearner, key: str) -> None:
    """Another tab of the tab row `key`, whichever tabs it has now."""
    tabs = learner.page.locator(f".st-key-{key} [role='tab'][aria-selected='false']")
    count = await tabs.count()
    if count:
        tab = tabs.nth(learner.rng.randrange(count))
        name = (await tab.inner_text()).strip()
        await learner.act(f"tab: {name}", tab.click)


async def tap_suggestion(learner: BrowserLearner) -> None:
    index = learner.rng.choice([0, 0, 1, 2])  # mostly the best guess, in the middle
    button = learner.page.locator(f".st-key-suggestion_{index} button").first
    if await button.count() and await button.is_enabled():
        await learner.act("tap a suggestion", button.click)


async def open_tab(learner: BrowserLearner, key: str, name: str) -> bool:
    """Open the tab `name` of the tab row `key` (an interaction if it is closed);
    False if there is no such tab."""
    tab = learner.page.locator(f".st-key-{key} [role='tab']").filter(has_text=name)
    if not await tab.count():
        return False
    if await tab.first.get_attribute("aria-selected") != "true":
        await learner.act(f"tab: {name}", tab.first.click)
        await learner.think()
    return True


async def keep_tapping(learner: BrowserLearner) -> None:
    if await open_tab(learner, "keyboard_tab", "Keep tapping"):
        await click_button(learner, "Keep tapping")


async def step_number(learner: BrowserLearner, label: str) -> None:
    plus = widget(learner.page, "stNumberInput", label).locator(
        "[data-testid='stNumberInputStepUp']"
    )
    if await plus.count() and await plus.first.is_enabled():
        await learner.act(f"step up: {label}", plus.first.click)


async def hide_word(learner: BrowserLearner) -> None:
    words = learner.page.locator("[class*='st-key-fill_click'] button")
    count = await words.count()
    if count:
        await learner.act("hide a word", words.nth(learner.rng.randrange(count)).click)


async def quiz(learner: BrowserLearner) -> None:
    if not await open_tab(learner, "fill_tab", "Quiz: beat the model"):
        return
    guess = widget(learner.page, "stTextInput", "Your guess").locator("input").first
    if await guess.count():
        await guess.fill(learner.rng.choice(GUESSES))
        await click_button(learner, "Check my guess")
        await learner.think()
        await click_button(learner, "Next sentence")


async def shapes_dates(learner: BrowserLearner) -> None:
    """The encoder-decoder tab, if it is there: type a date in words."""
    tab = learner.page.get_by_role("tab", name=re.compile("encoder-decoder")).first
    if not await tab.count():
        return
    if await tab.get_attribute("aria-selected") != "true":
        await learner.act("tab: encoder-decoder", tab.click)
        await learner.think()
    await type_live(learner, "A number or a date, in words", learner.rng.choice(DATES))


async def train(learner: BrowserLearner, button: str) -> None:
    """Press a capped live-training button once and time the whole run."""
    target = learner.page.get_by_role("button", name=re.compile(button)).first
    if not await target.count():
        learner.fail("action", f"no training button {button!r}", "train")
        return
    start, at_s = time.monotonic(), learner.record.now()
    ms = await learner.timed(f"train: {button}", target.click, TRAINING_TIMEOUT_S)
    seconds = (time.monotonic() - start) if ms is None else ms / 1000
    learner.record.trainings.append(
        dict(
            learner=learner.index,
            page=learner.path,
            button=button,
            seconds=round(seconds, 1),
            finished=ms is not None,
            at_s=at_s,
        )
    )


def _letters(learner: BrowserLearner) -> str:
    return " ".join(learner.rng.choices("abcdef", k=learner.rng.randint(5, 12)))


def _sequence(learner: BrowserLearner) -> str:
    """A first letter, then distractors: the memory task of the cells page."""
    rest = learner.rng.choices("ijkl", k=learner.rng.choice([10, 10, 50]) - 1)
    return " ".join([learner.rng.choice("abcdefgh"), *rest])


Action = Callable[[BrowserLearner], Awaitable]
ACTIONS: dict[str, dict[str, Action]] = {  # page -> what a learner may do there
    "": {
        "sentence": lambda s: type_and_enter(
            s, "Your sentence", s.rng.choice(SENTENCES)
        ),
        "letters": lambda s: type_and_enter(s, "Letters", _letters(s)),
        "vector size": lambda s: press_slider(s, "Word vector size"),
        "hidden size": lambda s: press_slider(s, "Hidden state size"),
    },
    "text_to_numbers": {
        "text": lambda s: type_and_submit(s, "Your text", s.rng.choice(SENTENCES)),
        "corpus": lambda s: pick_option(s, "Corpus"),
        "split": lambda s: pick_option(s, "Split"),
        "document": lambda s: step_number(s, "Document"),
    },
    "step_through": {
        "network": lambda s: pick_segment(s, "Network"),
        "example": lambda s: pick_example(s, "step_example"),
        "sentence": lambda s: type_live(s, "Your sentence", s.rng.choice(SENTENCES)),
        "time slider": lambda s: press_slider(s, "Time step t"),
        "next": lambda s: click_button(s, "Next ▶"),
        "tab": lambda s: click_any_tab(s, "step_tab"),
    },
    "next_word": {
        "type": lambda s: type_live(s, "Type here", s.rng.choice(TYPED)),
        "suggestion": tap_suggestion,
        "explain": lambda s: pick_radio(s, "Explain the suggestion"),
        "tab": lambda s: click_any_tab(s, "keyboard_tab"),
        "keep tapping": keep_tapping,
    },
    "sentiment": {
        "model": lambda s: pick_segment(s, "Model"),
        "example": lambda s: pick_example(s, "sentiment_example"),
        "type": lambda s: type_live(s, SENTIMENT_LABEL, s.rng.choice(FEELINGS)),
        "compare": lambda s: toggle(s, "Compare with another sentence"),
        "tab": lambda s: click_any_tab(s, "sentiment_tab"),
    },
    "fill_blank": {
        "example": lambda s: pick_example(s, "fill_example"),
        "type": lambda s: type_live(s, BLANK_LABEL, s.rng.choice(BLANKS)),
        "hide a word": hide_word,
        "tab": lambda s: click_any_tab(s, "fill_tab"),
        "quiz": quiz,
    },
    "shapes": {
        "tab": lambda s: click_any_tab(s, "shape_tab"),
        "image": lambda s: pick_option(s, "Image"),
        "dates": shapes_dates,
    },
    "cells": {
        "task": lambda s: pick_segment(s, "Task"),
        "cell": lambda s: pick_segment(s, "Cell"),
        "memory": lambda s: type_and_enter(s, MEMORY_LABEL, _sequence(s)),
        "anatomy tab": lambda s: click_any_tab(s, "cells_anatomy"),  # no rerun
    },
    "gradient_lab": {
        "preset": lambda s: click_button(s, s.rng.choice(PRESETS)),
        "scale": lambda s: press_slider(s, "Recurrent weight scale (log)"),
        "length": lambda s: press_slider(s, "Sequence length"),
        "clipping": lambda s: toggle(s, "Gradient clipping"),
        "init": lambda s: pick_radio(s, "Initialisation"),
        "cell": lambda s: pick_option(s, "Cell"),
    },
}
TRAININGS = {
    "cells": lambda s: train(s, "Train it again here"),
    "gradient_lab": lambda s: train(s, "Train RNN, LSTM and GRU"),
}


# ---------------------------------------------------------------- the phases


async def cold_start(browser, url: str, started: float) -> tuple[dict, BrowserLearner]:
    """Home page idle after `streamlit run`; then each page's first and second
    visit. Returns the numbers and the tab, still open."""
    learner = BrowserLearner(-1, url, Record(), 0)
    await learner.start(browser)
    page = learner.page
    await page.goto(url)
    timing = await learner.wait_idle(60, 30_000)
    idle_at = time.monotonic() - timing["age"] / 1000
    await page.locator("[data-testid='stTextInput'] input").first.wait_for()
    await page.wait_for_function("!document.querySelector('input:disabled')")
    visits: dict[str, dict[str, float]] = {"first": {}, "warm": {}}
    for kind in visits:
        for path, title in SITE[1:] + [HOME]:
            before = len(learner.record.interactions)
            await learner.open(path, title)
            if len(learner.record.interactions) > before:
                seconds = learner.record.interactions[-1]["ms"] / 1000
                visits[kind][path or "home"] = round(seconds, 2)
    result = dict(
        cold_start_s=round(idle_at - started, 2),
        first_visit_s=visits["first"],
        warm_visit_s=visits["warm"],
    )
    return result, learner


async def solo_tour(learner: BrowserLearner, server: int) -> tuple[dict, Tour]:
    """Every action of every page once, alone on the server: its time, the server
    CPU it costs, and the rerun requests it sent."""
    tour, costs = Tour(), {}
    await learner.page.goto(learner.url)  # a fresh session, as a learner arrives
    await learner.wait_idle(60, 10_000)
    tour.arrival = await learner.take_frames()

    def server_cpu() -> float:
        return sum(cpu_seconds(process_tree(server)).values())

    for path, title in SITE[1:] + [HOME]:
        learner.frames = []
        await learner.open(path, title)
        steps = tour.steps.setdefault(path, [("open page", learner.frames)])
        for name, action in ACTIONS[path].items():
            await asyncio.sleep(0.5)  # let the server's threads go quiet
            before, cpu = len(learner.record.interactions), server_cpu()
            learner.frames = []
            await action(learner)
            done = learner.record.interactions[before:]
            if done and learner.frames:
                steps.append((name, learner.frames))
                costs[f"{path or 'home'}: {name}"] = dict(
                    ms=round(sum(i["ms"] for i in done)),
                    server_cpu_ms=round((server_cpu() - cpu) * 1000),
                )
    cpu = [c["server_cpu_ms"] for c in costs.values()]
    result = dict(
        solo_server_cpu_ms_mean=round(statistics.fmean(cpu)) if cpu else 0,
        solo=dict(sorted(costs.items(), key=lambda kv: -kv[1]["server_cpu_ms"])),
    )
    return result, tour


async def classroom(browser, url: str, args, record: Record, tour: Tour) -> None:
    """All learners at once; returns when the last one has left."""
    learners: list[Learner] = [
        BrowserLearner(i, url, record, args.seed)
        if i < args.browsers
        else SocketLearner(i, url, record, args.seed, tour)
        for i in range(args.learners)
    ]
    for number, learner in enumerate(learners[: min(args.trainers, args.browsers)]):
        learner.training = ["cells", "gradient_lab"][number % 2]
    deadline = time.monotonic() + args.ramp + args.seconds
    hard_deadline = deadline + args.seconds  # stragglers finish their tour

    async def one(learner: Learner) -> None:
        await asyncio.sleep(args.ramp * learner.index / max(args.learners, 1))
        try:
            if isinstance(learner, BrowserLearner):
                await learner.start(browser)
                try:
                    await learner.arrive()
                    await learner.run(deadline, hard_deadline)
                finally:
                    await learner.close()
            else:
                await learner.session(deadline, hard_deadline)
        except Exception as error:  # keep the others going, but count it
            learner.fail("learner", f"{type(error).__name__}: {error}")

    await asyncio.gather(*(one(learner) for learner in learners))


async def settle(browser, url: str, seconds: float) -> None:
    """Wait after the learners left; past the session TTL, one late visitor
    opens the home page, so Streamlit drops the expired sessions."""
    left = time.monotonic()
    if seconds > SESSION_TTL_S:
        await asyncio.sleep(SESSION_TTL_S + 5)
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        await page.goto(url)
        await page.wait_for_selector("[data-test-script-state='notRunning']")
        await context.close()
    await asyncio.sleep(max(0.0, seconds - (time.monotonic() - left)))


# ---------------------------------------------------------------- the report


def stats(values: list[float]) -> dict:
    return dict(
        n=len(values),
        p50_ms=round(percentile(values, 0.5)),
        p95_ms=round(percentile(values, 0.95)),
        max_ms=round(max(values, default=0)),
    )


def summary(record: Record) -> dict:
    """The learners' numbers: overall, by client kind, by page, by action."""
    times = [i["ms"] for i in record.interactions]
    groups: dict[str, dict[str, list[float]]] = {"client": {}, "page": {}, "act": {}}
    for item in record.interactions:
        action = f"{item['page']}: {item['action']}"
        for group, key in (("client", item["client"]), ("page", item["page"])):
            groups[group].setdefault(key, []).append(item["ms"])
        groups["act"].setdefault(action, []).append(item["ms"])
    by_action = [dict(action=a, **stats(v)) for a, v in groups["act"].items()]
    windows = [(t["at_s"], t["at_s"] + t["seconds"]) for t in record.trainings]
    training: dict[bool, list[float]] = {True: [], False: []}
    for item in record.interactions:
        during = any(a <= item["at_s"] <= b for a, b in windows)
        training[during].append(item["ms"])
    slowest = sorted(record.interactions, key=lambda i: -i["ms"])[:10]
    return dict(
        interactions=len(times),
        errors=len(record.errors),
        p50_ms=round(percentile(times, 0.5)),
        p95_ms=round(percentile(times, 0.95)),
        max_ms=round(max(times, default=0)),
        by_client={k: stats(v) for k, v in sorted(groups["client"].items())},
        while_someone_trains=stats(training[True]),
        while_nobody_trains=stats(training[False]),
        per_page={k: stats(v) for k, v in sorted(groups["page"].items())},
        slowest_actions_p95=sorted(by_action, key=lambda d: -d["p95_ms"])[:10],
        slowest=[{**i, "ms": round(i["ms"])} for i in slowest],
        arrive_p50_ms=round(percentile(record.arrivals, 0.5)),
        arrive_p95_ms=round(percentile(record.arrivals, 0.95)),
        trainings=record.trainings,
        client_actions=record.client_actions,
        skipped_actions=record.skipped,
        pages_seen_min=min((len(v) for v in record.visited.values()), default=0),
        error_details=record.errors[:20],
        # every interaction, in order: [start s, ms, "page: action", client]
        timeline=[
            [i["at_s"], round(i["ms"]), f"{i['page']}: {i['action']}", i["client"][0]]
            for i in sorted(record.interactions, key=lambda i: i["at_s"])
        ],
    )


def usage(wall: float, before: tuple, after: tuple) -> dict:
    """Where the CPU went while the learners worked."""
    server, clients, machine = (b - a for a, b in zip(before, after, strict=True))
    return dict(
        wall_s=round(wall, 1),
        cpu_s=dict(
            server=round(server, 1),
            clients=round(clients, 1),  # this script, Playwright's driver, Chromium
            other_processes=round(max(machine - server - clients, 0), 1),
            available=round(wall * (os.cpu_count() or 1), 1),
        ),
    )


def server_metrics(url: str) -> dict:
    """Streamlit's own counts: sessions, and the memory its caches and the
    learners' session states hold (MB), from /_stcore/metrics."""
    with urllib.request.urlopen(f"{url}/_stcore/metrics", timeout=30) as response:
        text = response.read().decode()
    caches: dict[str, float] = {}
    for line in text.splitlines():
        found = re.match(
            r'cache_memory_bytes\{cache_type="(\w+)",cache="([^"]*)"\} (\S+)', line
        )
        if found:
            kind, name, size = found.groups()
            key = f"{kind}: {name}" if name else kind
            caches[key] = round(float(size) / 2**20, 1)
    sessions = re.search(r"^active_sessions (\S+)", text, re.MULTILINE)
    return dict(
        active_sessions=int(float(sessions.group(1))) if sessions else None,
        cache_mb={k: v for k, v in sorted(caches.items()) if v >= 0.1},
    )


def server_log_errors(log: Path) -> list[str]:
    lines = log.read_text(errors="replace").splitlines()
    return [line[:300] for line in lines if LOG_ERROR.search(line)][:20]


def verdict(result: dict) -> list[str]:
    """The targets this run missed."""
    missed = []
    if result["errors"]:
        missed.append(f"errors: {result['errors']}")
    if result["p95_ms"] > TARGETS["p95_ms"]:
        missed.append(f"p95_ms {result['p95_ms']} > {TARGETS['p95_ms']}")
    if result["rss_peak_mb"] > TARGETS["rss_peak_mb"]:
        missed.append(f"rss_peak_mb {result['rss_peak_mb']} > {TARGETS['rss_peak_mb']}")
    grown = result["rss_after_mb"] - result["rss_start_mb"]
    if grown > TARGETS["rss_return_mb"]:
        missed.append(f"rss_after_mb is {grown} MB above rss_start_mb")
    if result["cold_start_s"] > TARGETS["cold_s"]:
        missed.append(f"cold_start_s {result['cold_start_s']} > {TARGETS['cold_s']}")
    missed += [
        f"first visit of {page}: {seconds} s > {TARGETS['visit_s']}"
        for page, seconds in result["first_visit_s"].items()
        if seconds > TARGETS["visit_s"]
    ]
    return missed


async def main_async(args) -> dict:
    from playwright.async_api import async_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    log = Path(tempfile.mkstemp(prefix="load_classroom_", suffix=".log")[1])
    result: dict = dict(learners=args.learners, seconds=args.seconds)
    result["streamlit_options"] = args.option
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        started = time.monotonic()
        with streamlit_process(log, args.option) as (url, pid):
            cold, learner = await cold_start(browser, url, started)
            solo, tour = await solo_tour(learner, pid)
            await learner.close()
            result |= cold | solo
            monitor = Monitor(pid, args.nice)
            monitor.start()
            result["rss_start_mb"] = round(monitor.last)
            result["metrics_start"] = server_metrics(url)
            record, started, cpu = Record(), time.monotonic(), monitor.cpu()
            print(f"classroom starts (server pid {pid})", file=sys.stderr, flush=True)
            await classroom(browser, url, args, record, tour)
            print("the learners left", file=sys.stderr, flush=True)
            result |= usage(time.monotonic() - started, cpu, monitor.cpu())
            result["rss_peak_mb"] = round(monitor.peak)
            result["rss_left_mb"] = round(monitor.last)  # just after they left
            result["cpu_per_s"] = monitor.cpu_per_second(record.started)
            await settle(browser, url, args.settle)
            result["rss_after_mb"] = round(monitor.last)
            result["metrics_after"] = server_metrics(url)
            monitor.stopped.set()
        await browser.close()
    result |= summary(record)
    errors = learner.record.errors
    log_errors = server_log_errors(log)
    result["errors"] += len(errors) + len(log_errors)
    result["error_details"] = errors[:5] + result["error_details"]
    result |= dict(server_log_errors=log_errors, server_log=str(log))
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result["driver"] = (
        f"{args.browsers} learners in Chromium tabs ({CHROMIUM}, one browser "
        f"context each, {VIEWPORT['width']}x{VIEWPORT['height']}, Playwright async "
        f"API, one asyncio task each), {args.learners - args.browsers} websocket "
        f"learners replaying the solo tour's requests; clients at nice {args.nice}"
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument("--browsers", type=int, default=3, help="learners in Chromium")
    parser.add_argument("--trainers", type=int, default=3, help="browsers that train")
    parser.add_argument("--ramp", type=float, default=15, help="arrivals spread (s)")
    parser.add_argument("--settle", type=float, default=150, help="wait after (s)")
    parser.add_argument("--nice", type=int, default=10, help="clients' niceness")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        help="a Streamlit config option for this run, e.g. runner.postScriptGC=false",
    )
    args = parser.parse_args()
    args.browsers = min(args.browsers, args.learners)
    result = asyncio.run(main_async(args))
    result["missed_targets"] = verdict(result)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 1 if result["missed_targets"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
