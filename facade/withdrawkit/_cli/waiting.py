"""``wait``'s progress: a live line on a terminal, plain lines when piped.

On a terminal one line is redrawn four times a second: the state, the time waited and the
seconds to the next poll. Piped (a log, a script), a line is printed each time the state
changes, prefixed by the seconds waited, and nothing else, so the output can be read back.
Both go to stderr: stdout keeps the final state alone (a table, or ``--json``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Final, TypeVar

import click
from rich.console import Console
from rich.live import Live
from rich.text import Text

from withdrawkit._cli.exit_codes import STILL_PENDING

__all__ = ["Progress", "WaitTimedOut", "poll_until_final"]

T = TypeVar("T")
_LONGEST_PAUSE: Final = 60.0


class Progress:
    """Tracks one wait: ``update(state)`` on each state read, ``sleeping(seconds)`` before each
    pause. Use as a context manager: the live line is removed when the wait ends."""

    def __init__(
        self, console: Console, *, what: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._console = console
        self._what = what
        self._clock = clock
        self._started = clock()
        self._lock = threading.Lock()
        self._state: str | None = None
        self._next_poll_at: float | None = None
        self._live: Live | None = None

    @property
    def live(self) -> bool:
        return self._console.is_terminal

    def update(self, state: str) -> None:
        with self._lock:
            changed = state != self._state
            self._state = state
            self._next_poll_at = None
        if changed and not self.live:
            self._console.print(f"{self.elapsed():7.1f}s  {self._what}: {state}", markup=False)

    def sleeping(self, seconds: float) -> None:
        with self._lock:
            self._next_poll_at = self._clock() + seconds

    def elapsed(self) -> float:
        return self._clock() - self._started

    def __rich__(self) -> Text:
        with self._lock:
            state, next_at = self._state, self._next_poll_at
        # What changes comes first, so a narrow terminal crops the name, not the news.
        line = f"{state or 'reading...'}  waited {self.elapsed():.0f}s"
        if next_at is not None:
            line += f"  next poll in {max(0.0, next_at - self._clock()):.0f}s"
        return Text(f"{line}  ({self._what})", no_wrap=True, overflow="ellipsis")

    def __enter__(self) -> Progress:
        if self.live:
            self._live = Live(self, console=self._console, refresh_per_second=4, transient=True)
            self._live.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._live is not None:
            self._live.__exit__(exc_type, exc, traceback)
            self._live = None
            if self._state is not None:  # the live line is gone: say where the wait ended
                line = f"{self._what}: {self._state} after {self.elapsed():.0f}s"
                self._console.print(line, markup=False)


class WaitTimedOut(click.ClickException):
    """The wait ran out of time; ``last_state`` is the last state read."""

    exit_code = STILL_PENDING

    def __init__(self, message: str, last_state: object) -> None:
        super().__init__(message)
        self.last_state = last_state


def poll_until_final(
    read: Callable[[], T],
    *,
    status_of: Callable[[T], str],
    final: frozenset[str],
    timeout: float,
    poll_interval: float,
    progress: Progress,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Read until ``status_of`` the state is final; the pause grows by half up to a minute."""
    deadline = progress.elapsed() + timeout
    interval = poll_interval
    while True:
        state = read()
        status = status_of(state)
        progress.update(status)
        if status in final:
            return state
        remaining = deadline - progress.elapsed()
        if remaining <= 0:
            raise WaitTimedOut(f"still {status} after {timeout:g}s", state)
        pause = min(interval, remaining)
        progress.sleeping(pause)
        sleep(pause)
        interval = min(interval * 1.5, _LONGEST_PAUSE)
