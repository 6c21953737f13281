"""``wait``'s progress: a live line on a terminal, plain lines when piped.

The polling is the library's own ``wait_for_*`` (pauses that grow with jitter, ``Retry-After``
honoured, 429s, 5xx answers and dropped connections polled through, ``StillPending`` at the
timeout); this module only shows it. Its ``on_update`` reports each new state, the client's
pauses set the countdown, and a poll that failed and is being retried is shown on the live line.

On a terminal one line is redrawn four times a second: the state, the time waited and the
seconds to the next poll. Piped (a log, a script), a line is printed each time the state
changes, prefixed by the seconds waited, and nothing else, so the output can be read back (a
retried failure prints no line of its own there). Both go to stderr: stdout keeps the final
state alone (a table, or ``--json``).
"""

from __future__ import annotations

import contextlib
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Final, TypeVar

import click
from rich.console import Console
from rich.live import Live
from rich.text import Text

from withdrawkit._cli.exit_codes import STILL_PENDING
from withdrawkit._client import ClientShell
from withdrawkit._lifecycle_errors import StillPending

__all__ = ["Progress", "WaitTimedOut", "follow"]

T = TypeVar("T")

# Where the library's wait_* logs a poll that failed and is retried (withdrawkit._waiting).
_WAIT_LOGGER: Final = "withdrawkit._waiting"


class Progress:
    """Tracks one wait: ``update(state)`` on each new state, ``sleeping(seconds)`` before each
    pause, ``poll_failed()`` when a poll failed and will be retried. Use as a context manager:
    the live line is removed when the wait ends."""

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
        self._failing = False
        self._live: Live | None = None

    @property
    def live(self) -> bool:
        return self._console.is_terminal

    @property
    def state(self) -> str | None:
        """The last state shown, or ``None`` before the first read."""
        return self._state

    def update(self, state: str) -> None:
        with self._lock:
            changed = state != self._state
            self._state = state
            self._next_poll_at = None
            self._failing = False
        if changed and not self.live:
            self._console.print(f"{self.elapsed():7.1f}s  {self._what}: {state}", markup=False)

    def sleeping(self, seconds: float) -> None:
        with self._lock:
            self._next_poll_at = self._clock() + seconds

    def poll_failed(self) -> None:
        with self._lock:
            self._failing = True

    def elapsed(self) -> float:
        return self._clock() - self._started

    def __rich__(self) -> Text:
        with self._lock:
            state, next_at, failing = self._state, self._next_poll_at, self._failing
        # What changes comes first, so a narrow terminal crops the name, not the news.
        line = f"{state or 'reading...'}  waited {self.elapsed():.0f}s"
        if failing:
            line += "  last poll failed"
        if next_at is not None:  # counted down in whole seconds, as a countdown reads: 0.3 is 1
            line += f"  next poll in {math.ceil(max(0.0, next_at - self._clock()))}s"
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


def follow(
    wait: Callable[[Callable[[T], None]], T],
    *,
    client: ClientShell,
    status_of: Callable[[T], str],
    timeout: float,
    progress: Progress,
) -> T:
    """Run ``wait(on_update)``, a call of one of ``client``'s ``wait_for_*`` methods, with its
    states, pauses and retried failures shown by ``progress``; return the final state.

    Its ``StillPending`` becomes ``WaitTimedOut`` (the command's own exit code, 14).
    """
    with _pauses_shown(client, progress), _failed_polls_shown(progress):
        try:
            return wait(lambda state: progress.update(status_of(state)))
        except StillPending as pending:
            last = progress.state
            said = f"still {last}" if last is not None else "no poll succeeded"
            raise WaitTimedOut(f"{said} after {timeout:g}s", pending.last_state) from pending


@contextlib.contextmanager
def _pauses_shown(client: ClientShell, progress: Progress) -> Iterator[None]:
    """The client's pauses (between polls, and its transport's before a retry) set the
    countdown: every client sleeps through its ``_clocks``, made to be replaced."""
    clocks = client._clocks

    def sleep(seconds: float) -> None:
        progress.sleeping(seconds)
        clocks.sleep(seconds)

    client._clocks = clocks._replace(sleep=sleep)
    try:
        yield
    finally:
        client._clocks = clocks


class _FailedPolls(logging.Handler):
    """Takes the wait's warnings (a poll failed, a status it does not know) off stderr, where
    Python's last-resort handler would print them among the progress lines, and marks a
    failed poll on the live line."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.WARNING)
        self._progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        if "polling failed" in str(record.msg):
            self._progress.poll_failed()


@contextlib.contextmanager
def _failed_polls_shown(progress: Progress) -> Iterator[None]:
    logger = logging.getLogger(_WAIT_LOGGER)
    handler = _FailedPolls(progress)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
