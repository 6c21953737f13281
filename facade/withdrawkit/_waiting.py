"""Polling an operation until it reaches a final status: what every ``wait_*`` method runs.

The first wait is ``poll_interval``; each one after grows by half, up to a minute (or
``poll_interval`` if that is longer), and each is shortened by a random part of up to half, so
many waiting processes do not poll in step. The last poll happens at the deadline itself; after
it ``StillPending`` carries the last state read.

A poll that fails for a reason about the read and not the operation (429, a 5xx, a dropped
connection: the transport has already retried it) is logged and polled again, after the
server's ``Retry-After`` when it gave one. Any other error (``NotFound``, an unreadable answer,
a rejected login) ends the wait at once.

``on_pause(seconds, failure)`` is called just before each pause, with the error that caused it
(``None`` after a poll that read a state): what a caller showing progress needs, the way
tenacity's ``before_sleep`` is.
"""

from __future__ import annotations

import logging
import math
import random
from collections.abc import Callable
from typing import Final, TypeVar

import attrs

from withdrawkit._client import Clocks
from withdrawkit._exceptions import RateLimited, ServerError, TransportError
from withdrawkit._lifecycle_errors import StillPending
from withdrawkit._root_error import InvalidArgument, WithdrawKitError

__all__ = ["DEFAULT_POLL_INTERVAL", "DEFAULT_TIMEOUT", "Statuses", "wait_until_final"]

T = TypeVar("T")

DEFAULT_TIMEOUT: Final = 600.0
DEFAULT_POLL_INTERVAL: Final = 5.0
MAX_INTERVAL: Final = 60.0
_GROWTH: Final = 1.5

_log = logging.getLogger(__name__)
_jitter = random.Random()  # noqa: S311 - spreading polls, not secrecy


@attrs.frozen
class Statuses:
    """The statuses of one kind of operation: ``final`` end the wait; ``known`` are every value
    the provider documents (others are logged once per wait and waited through)."""

    final: frozenset[str]
    known: frozenset[str]


def wait_until_final(
    read: Callable[[], T],
    *,
    status_of: Callable[[T], object],
    statuses: Statuses,
    what: str,
    timeout: float,
    poll_interval: float,
    on_update: Callable[[T], object] | None,
    on_pause: Callable[[float, WithdrawKitError | None], object] | None,
    clocks: Clocks,
) -> T:
    """Call ``read`` until ``status_of`` its result is final; return that result.

    ``on_update`` is called with each state that differs from the one before (the first
    included); ``on_pause(seconds, failure)`` just before each pause, ``failure`` the error of
    the poll before it or ``None`` when that poll succeeded. ``what`` names the operation in
    logs and in the ``StillPending`` message.
    """
    _check_seconds(timeout, name="timeout", allow_zero=True)
    _check_seconds(poll_interval, name="poll_interval", allow_zero=False)
    deadline = clocks.monotonic() + timeout
    interval = poll_interval
    cap = max(MAX_INTERVAL, poll_interval)
    last: T | None = None
    reported_unknown: set[str] = set()
    while True:
        failure: WithdrawKitError | None = None
        wait = _jittered(interval)
        try:
            state = read()
        except (RateLimited, ServerError, TransportError) as problem:
            failure = problem
            wait = max(wait, _retry_after(problem))
            _log.warning("%s: polling failed, polling again: %s", what, problem)
        else:
            if last is None or state != last:
                last = state
                if on_update is not None:
                    on_update(state)
            status = status_of(state)
            if str(status) in statuses.final:
                return state
            _note_unknown(status, statuses, what, reported_unknown)
        remaining = deadline - clocks.monotonic()
        if remaining <= 0:
            raise StillPending(_timed_out(what, timeout, last, status_of), last_state=last) from (
                failure
            )
        pause = min(wait, remaining)
        if on_pause is not None:
            on_pause(pause, failure)
        clocks.sleep(pause)
        interval = min(interval * _GROWTH, cap)


def _jittered(wait: float) -> float:
    return wait * (1 - _jitter.random() / 2)


def _retry_after(problem: Exception) -> float:
    if isinstance(problem, RateLimited) and problem.retry_after is not None:
        return float(problem.retry_after)
    return 0.0


def _note_unknown(status: object, statuses: Statuses, what: str, reported: set[str]) -> None:
    shown = "no status" if status is None else str(status)
    if (status is None or shown not in statuses.known) and shown not in reported:
        reported.add(shown)
        _log.warning(
            "%s has a status withdrawkit does not know (%s); waiting on as if pending", what, shown
        )


def _timed_out(what: str, timeout: float, last: T | None, status_of: Callable[[T], object]) -> str:
    if last is None:
        return f"{what}: no poll succeeded within {timeout:g} s"
    return f"{what} is still {status_of(last)} after {timeout:g} s"


def _check_seconds(value: float, *, name: str, allow_zero: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        wanted = "a finite number >= 0" if allow_zero else "a finite number > 0"
        raise InvalidArgument(f"{name} must be {wanted}, got {value!r}")
