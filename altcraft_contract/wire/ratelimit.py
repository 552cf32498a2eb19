"""State every process of a run shares: the next free send slot (the rate limit) and the number of
requests sent (the budget).

With a directory (the run's private temporary directory, which pytest-xdist workers are handed),
each lives in a small file guarded by an exclusive lock, so N workers together stay under
``max_rps`` and under the budget. Without one, a lock in this process does the same.
"""

from __future__ import annotations

import fcntl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class _Shared:
    """One number shared by the run's processes and threads, read and written under a lock."""

    def __init__(self, name: str, directory: str | None) -> None:
        self._thread_lock = threading.Lock()
        self.path = Path(directory) / name if directory else None
        if self.path is not None:
            self.path.touch(exist_ok=True)
        self._value = 0.0

    @contextmanager
    def _locked(self) -> Iterator[IO[str] | None]:
        with self._thread_lock:
            if self.path is None:
                yield None
                return
            with self.path.open("r+") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                try:
                    yield fh
                finally:
                    fcntl.flock(fh, fcntl.LOCK_UN)

    @staticmethod
    def _read(fh: IO[str] | None, fallback: float) -> float:
        if fh is None:
            return fallback
        text = fh.read().strip()
        return float(text) if text else 0.0

    def _write(self, fh: IO[str] | None, value: float) -> None:
        self._value = value
        if fh is not None:
            fh.seek(0)
            fh.truncate()
            fh.write(repr(value))
            fh.flush()  # the next holder must read this value, not a truncated file


class RateLimiter(_Shared):
    def __init__(self, max_rps: float, directory: str | None = None) -> None:
        if max_rps <= 0:
            raise ValueError("max_rps must be positive")
        super().__init__("rate", directory)
        self.interval = 1.0 / max_rps
        self.last_slot = 0.0  # the send time the last wait() was given (what the lock guarantees)

    def wait(self) -> float:
        """Block until this thread may send; returns the seconds waited."""
        with self._locked() as fh:
            now = time.time()
            slot = max(now, self._read(fh, self._value))
            self._write(fh, slot + self.interval)
        self.last_slot = slot
        delay = slot - now
        if delay > 0:
            time.sleep(delay)
        return max(delay, 0.0)


class RequestCounter(_Shared):
    """Requests sent by the whole run; ``take`` reserves one unless the budget is spent."""

    def __init__(self, directory: str | None = None) -> None:
        super().__init__("sent", directory)

    def take(self, budget: int | None) -> bool:
        with self._locked() as fh:
            sent = self._read(fh, self._value)
            if budget is not None and sent >= budget:
                return False
            self._write(fh, sent + 1)
        return True

    @property
    def total(self) -> int:
        with self._locked() as fh:
            return int(self._read(fh, self._value))
