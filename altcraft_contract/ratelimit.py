"""A request-rate limit shared by every process of a run (pytest-xdist workers included).

The next free slot lives in a small file under the temp directory, keyed by the target's URL and
guarded by an exclusive lock, so N workers together stay under ``max_rps``.
"""

from __future__ import annotations

import fcntl
import hashlib
import tempfile
import time
from pathlib import Path


class RateLimiter:
    def __init__(self, max_rps: float, key: str, directory: str | None = None) -> None:
        if max_rps <= 0:
            raise ValueError("max_rps must be positive")
        self.interval = 1.0 / max_rps
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        self.path = Path(directory or tempfile.gettempdir()) / f"altcraft-contract-rate-{digest}"
        self.path.touch(exist_ok=True)
        self.last_slot = 0.0  # the send time the last wait() was given (what the lock guarantees)

    def wait(self) -> float:
        """Block until this process may send; returns the seconds waited."""
        with self.path.open("r+") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                text = fh.read().strip()
                now = time.time()
                slot = max(now, float(text) if text else 0.0)
                fh.seek(0)
                fh.truncate()
                fh.write(repr(slot + self.interval))
                fh.flush()  # the next holder must read this slot, not a truncated file
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
        self.last_slot = slot
        delay = slot - now
        if delay > 0:
            time.sleep(delay)
        return max(delay, 0.0)
