"""A one-line progress bar for the training scripts: done/total, rate and whatever the caller
adds (loss, perplexity), redrawn in place on a terminal and printed every 30 s in a log."""
from __future__ import annotations

import sys
import time


class Bar:
    def __init__(self, label: str, total: int, unit: str):
        self.label, self.total, self.unit = label, total, unit
        self.start, self.last, self.tty = time.perf_counter(), 0.0, sys.stderr.isatty()
        self.done = 0  # where this run started (a resumed run's rate counts only its own work)
        self._first = None

    def update(self, done: int, extra: str = "", final: bool = False) -> None:
        now = time.perf_counter()
        if self._first is None:
            self._first = self.done
        if not final and now - self.last < (0.2 if self.tty else 30):
            return
        self.last = now
        rate = (done - self._first) / max(now - self.start, 1e-9)
        filled = int(24 * done / max(self.total, 1))
        left = (self.total - done) / rate if rate > 0 else 0
        line = (f"{self.label} [{'#' * filled}{'.' * (24 - filled)}] {done:,}/{self.total:,} {self.unit} "
                f"{rate:,.0f} {self.unit}/s, {left / 60:,.0f} min left {extra}")
        sys.stderr.write(("\r" + line + "\x1b[K" + ("\n" if final else "")) if self.tty else line + "\n")
