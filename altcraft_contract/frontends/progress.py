"""Progress on long runs: requests sent (of the budget), rate, elapsed time and an estimate.

Read from the gate's request counter, which every process of the run shares through the run's
private directory (``wire/ratelimit.py``), so the controller of xdist workers sees them all. Drawn
only from pytest's own hooks in the main thread, between pytest's writes, so it never lands in a
test's captured output or inside a line of pytest's:

- on a terminal, one line rewritten in place (``\\r``), which gives the line back to pytest on its
  next write (``LineKeeper``);
- elsewhere (CI logs), one quiet line every interval (30 s).

Nothing is printed before the first interval has passed, so a short run shows none of it.
``ALTCRAFT_PROGRESS_INTERVAL`` (seconds) sets that interval.

One item may run for minutes (the writes against a rate-limited staging), so the line is drawn
during an item too: under xdist by a clock thread of the controller (which runs no test, so nothing
captures its output), only between pytest's writes (its reports are written under the same lock);
in one process by the test itself while it waits for its scenario (``poll``), through the capture
manager's door for live output, as pytest's own live logging does.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import Any, TextIO

import pytest

from ..errors import TargetFileInvalid
from ..wire.ratelimit import RequestCounter
from ..wire.redact import safe

INTERVAL_ENV = "ALTCRAFT_PROGRESS_INTERVAL"
QUIET_INTERVAL = 30.0  # seconds between two lines in a log
TTY_FIRST = 5.0  # seconds before a terminal shows the line
TTY_REFRESH = 1.0
ERASE = "\r\x1b[K"


def interval_from(environ: dict[str, str] | os._Environ[str], tty: bool) -> float:
    """The first interval (and a log's period): the environment's value, else 5 s on a terminal, 30 s in a log."""
    raw = environ.get(INTERVAL_ENV)
    if raw is None or not raw.strip():
        return TTY_FIRST if tty else QUIET_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise TargetFileInvalid(f"{INTERVAL_ENV}={raw!r} is not a positive number of seconds",
                                "set it to e.g. 30, or unset it")
    return value


def duration(seconds: float) -> str:
    """``45s``, ``3m07s``, ``1h02m``."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def line(sent: int, budget: int | None, elapsed: float, done: int, total: int) -> str:
    """The progress line: numbers only (nothing from the target, never the token)."""
    rate = sent / elapsed if elapsed > 0 else 0.0
    of = f" of a budget of {budget}" if budget else ""
    words = [f"altcraft-contract: {sent} requests sent{of}", f"{rate:.1f}/s", f"{duration(elapsed)} elapsed"]
    left: list[float] = []
    if 0 < done < total:
        left.append(elapsed * (total - done) / done)
    if budget and rate > 0:
        left.append(max(0, budget - sent) / rate)  # the run cannot outlast its budget
    if left:
        words.append(f"about {duration(min(left))} left")
    if total:
        words.append(f"{done} of {total} tests done")
    return ", ".join(words)


class LineKeeper:
    """The terminal writer's file, watched: the progress line may stand in for pytest's unfinished
    line, and pytest's next write first puts that line back."""

    def __init__(self, inner: TextIO, current: str) -> None:
        self._inner = inner
        self._partial = current  # pytest's text after its last newline
        self._shown = False

    def write(self, text: str) -> int:
        if self._shown:
            self._inner.write(ERASE + self._partial)
            self._shown = False
        self._inner.write(text)
        self._partial = (self._partial + text).rsplit("\n", 1)[-1]
        return len(text)

    def show(self, status: str, width: int) -> None:
        self._inner.write(ERASE + status[: max(10, width - 1)])
        self._inner.flush()
        self._shown = True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class Progress:
    """A pytest plugin of the controller: draws the progress line from its hooks."""

    def __init__(self, config: pytest.Config, workdir: str, *, clock: Any = time.monotonic) -> None:
        interval_from(os.environ, tty=False)  # a bad value stops the run now, as one line
        self.config = config
        self.counter = RequestCounter(workdir)
        self.clock = clock
        self.started = clock()
        self.tw: Any = None  # pytest's terminal writer, found at the first report (it exists by then)
        self.tty = False
        self.next_at = 0.0
        self.interval = QUIET_INTERVAL
        self.total = 0
        self.done = 0
        self.keeper: LineKeeper | None = None
        self.lock = threading.Lock()  # held while pytest writes a report, and while the line is drawn
        self.armed = False  # pytest is not writing now: the clock thread may draw
        self.stopped = threading.Event()
        self.clock_thread: threading.Thread | None = None
        self.under_xdist = bool(config.getoption("numprocesses", None))

    def _writer(self) -> Any:
        if self.tw is None:
            reporter = self.config.pluginmanager.get_plugin("terminalreporter")
            self.tw = getattr(reporter, "_tw", None)
            if self.tw is None:
                return None
            self.tty = bool(getattr(self.tw._file, "isatty", lambda: False)())
            self.interval = interval_from(os.environ, self.tty)
            self.next_at = self.started + self.interval
        return self.tw

    def budget(self) -> int | None:
        from .pytest_setup import RUN_KEY

        run = self.config.stash.get(RUN_KEY, None)
        if run is not None:
            return run.session.client.gate.budget
        value = self.config.getoption("--request-budget")
        return int(value) if value else None

    def text(self) -> str:
        return line(self.counter.total, self.budget(), self.clock() - self.started, self.done, self.total)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: Any, ids: list[str]) -> None:
        self.total = max(self.total, len(ids))

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if self.under_xdist:  # in one process, the tests run here and their waits ``poll``
            self.clock_thread = threading.Thread(target=self._clock, name="altcraft-progress", daemon=True)
            self.clock_thread.start()

    def poll(self) -> None:
        """Draw the line if it is due, from inside a test of this process (its output is captured:
        the capture manager lets this line through to the terminal)."""
        if self.stopped.is_set() or self.clock() < self.next_at or self._writer() is None:
            return
        capman = self.config.pluginmanager.get_plugin("capturemanager")
        with self.lock, capman.global_and_fixture_disabled() if capman is not None else contextlib.nullcontext():
            self.tick()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        with self.lock:
            self.armed = False
        self.stopped.set()
        if self.clock_thread is not None:
            self.clock_thread.join(timeout=5)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> Any:
        with self.lock:  # pytest may write the file's name here
            self.armed = False
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> Any:
        with self.lock:  # pytest may write its "[ 40%]" here
            self.armed = False
            result = yield
            self.armed = self.under_xdist
            return result

    @pytest.hookimpl(wrapper=True)  # around pytest's own letter for the report
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> Any:
        with self.lock:
            self.armed = False
            result = yield
            if report.when == "teardown":
                self.done += 1
            self.tick()
            self.armed = self.under_xdist  # the controller waits for the workers' next report
            return result

    def _clock(self) -> None:
        while not self.stopped.wait(min(1.0, self.interval)):
            if not self.armed or self.clock() < self.next_at:
                continue
            with self.lock:
                if self.armed and not self.stopped.is_set():
                    self.tick()

    def tick(self) -> None:
        """Draw the line if it is due (called between pytest's writes)."""
        if self._writer() is None:
            return
        now = self.clock()
        if now < self.next_at:
            return
        if self.tty:
            self.next_at = now + min(TTY_REFRESH, self.interval)
            if self.keeper is None:
                self.keeper = LineKeeper(self.tw._file, self.tw._current_line)  # private, but stable since pytest 6
                self.tw._file = self.keeper
            self.keeper.show(safe(self.text(), one_line=True), self.tw.fullwidth)
            return
        self.next_at = now + self.interval
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
        if self.tw.width_of_current_line:
            self.tw.line()
        self.tw.line(safe(self.text(), one_line=True))


def install(config: pytest.Config, workdir: str) -> None:
    """Register the progress plugin for this (controlling) process; a bad interval is one line, 65."""
    try:
        config.pluginmanager.register(Progress(config, workdir), "altcraft-progress")
    except TargetFileInvalid as err:
        from .pytest_setup import stop

        stop(config, err)
