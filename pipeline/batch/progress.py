"""What a batch run shows while it runs: a tqdm bar on a terminal, periodic ``progress:`` lines
otherwise, nothing with ``--quiet``; if the reader of the log goes away, the run goes on without it."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO


class Progress:
    """A tqdm bar on a terminal, plain periodic log lines otherwise (or nothing with ``quiet``)."""

    def __init__(self, total: int | None, quiet: bool, interval: float = 10.0, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.total, self.done, self.t0 = total, 0, time.monotonic()
        self.last = self.t0
        self.interval = interval
        self.bar = None
        self.gone = False
        self.quiet = quiet
        if not quiet and getattr(self.stream, "isatty", lambda: False)():
            import tqdm

            tqdm.tqdm.monitor_interval = 0  # no monitor thread (worker pools fork)
            self.bar = tqdm.tqdm(total=total, unit="doc", file=self.stream, dynamic_ncols=True, smoothing=0.1)

    def write(self, line: str) -> None:
        if self.gone:
            return
        try:
            if self.bar is not None:
                self.bar.write(line, file=self.stream)
            else:
                print(line, file=self.stream)
        except BrokenPipeError:
            self.lost()

    def update(self, n: int, failed: int = 0) -> None:
        self.done += n
        if self.gone:
            return
        try:
            if self.bar is not None:
                self.bar.update(n)
                if failed:
                    self.bar.set_postfix(failed=failed, refresh=False)
                return
            now = time.monotonic()
            if not self.quiet and now - self.last >= self.interval:
                self.last = now
                print(self.line(failed), file=self.stream, flush=True)
        except BrokenPipeError:
            self.lost()

    def lost(self) -> None:
        """The reader of the log went away (``| head``, a log shipper that died): the run goes on
        without it; ``report.jsonl`` has every document."""
        self.gone, self.bar = True, None
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self.stream.fileno())  # nothing more is written there, not even at exit
            os.close(devnull)
        except (OSError, AttributeError, ValueError):
            pass

    def line(self, failed: int = 0) -> str:
        el = time.monotonic() - self.t0
        rate = self.done / el if el > 0 else 0.0
        if self.total:
            eta = (self.total - self.done) / rate if rate > 0 else float("nan")
            return (
                f"progress: {self.done}/{self.total} documents ({100 * self.done / self.total:.1f} %), "
                f"{rate:.0f} docs/s, {failed} failed, elapsed {el:.0f} s, ETA {eta:.0f} s"
            )
        return f"progress: {self.done} documents, {rate:.0f} docs/s, {failed} failed, elapsed {el:.0f} s"

    def close(self) -> None:
        if self.bar is not None:
            try:
                self.bar.close()
            except BrokenPipeError:
                self.lost()
