"""``wait``'s progress: a live line on a terminal, plain lines when piped.

The polling is the library's own ``wait_for_*`` (pauses that grow with jitter, ``Retry-After``
honoured, 429s, 5xx answers and dropped connections polled through, ``StillPending`` at the
timeout); this module only shows it, through the two hooks every ``wait_for_*`` offers:
``on_update`` reports each new state, ``on_pause`` each pause between polls and whether the
poll before it failed, which sets the countdown and the ``last poll failed`` marker.

On a terminal one line is redrawn four times a second: the state, the time waited and the
seconds to the next poll. Piped (a log, a script), a line is printed each time the state
changes, prefixed by the seconds waited. Both go to stderr: stdout keeps the final state alone
(a table, or ``--json``). The library's warnings (a poll that failed and is polled again, a
status it does not know) are not this module's: the command line prints every one of them as a
``warning:`` line on stderr (``main``), above the live line on a terminal.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TypeVar

import click
from rich.console import Console
from rich.live import Live
from rich.text import Text

from withdrawkit._cli.exit_codes import STILL_PENDING
from withdrawkit._lifecycle_errors import StillPending
from withdrawkit._root_error import WithdrawKitError

__all__ = ["OnPause", "OnUpdate", "Progress", "WaitTimedOut", "follow"]

T = TypeVar("T")

OnUpdate = Callable[[T], None]
OnPause = Callable[[float, WithdrawKitError | None], None]


class Progress:
    """Tracks one wait: ``update(state)`` on each new state, ``paused(seconds, failure)``
    before each pause between polls. Use as a context manager: the live line is removed when
    the wait ends."""

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

    def paused(self, seconds: float, failure: WithdrawKitError | None) -> None:
        """The next poll is ``seconds`` away; ``failure`` is why the last one failed, or
        ``None`` when it read a state (which clears the marker)."""
        with self._lock:
            self._next_poll_at = self._clock() + seconds
            self._failing = failure is not None

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
    wait: Callable[[OnUpdate[T], OnPause], T],
    *,
    status_of: Callable[[T], str],
    timeout: float,
    progress: Progress,
) -> T:
    """Run ``wait(on_update, on_pause)``, a call of one of the clients' ``wait_for_*`` methods
    with those two hooks, its states and pauses shown by ``progress``; return the final state.

    Its ``StillPending`` becomes ``WaitTimedOut`` (the command's own exit code, 14).
    """
    try:
        return wait(lambda state: progress.update(status_of(state)), progress.paused)
    except StillPending as pending:
        last = progress.state
        said = f"still {last}" if last is not None else "no poll succeeded"
        raise WaitTimedOut(f"{said} after {timeout:g}s", pending.last_state) from pending
