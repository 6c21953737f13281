"""The fakes' notion of now: real UTC time, moved forward on demand so tests need not sleep."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

from withdrawkit._root_error import InvalidArgument

__all__ = ["FakeClock"]


class FakeClock:
    """UTC time that tests can move forward: ``clock.advance(seconds=31)`` expires a 30 s fee.

    By default it follows the wall clock (plus whatever was advanced); ``FakeClock(start)``
    freezes it at ``start`` so timestamps in responses are reproducible.
    """

    def __init__(self, start: datetime | None = None) -> None:
        if start is not None and start.utcoffset() is None:
            raise InvalidArgument(f"refusing naive datetime {start!r}: give it a timezone")
        self._frozen_at = start.astimezone(timezone.utc) if start is not None else None
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else datetime.now(timezone.utc)
            return base + self._offset

    def advance(self, seconds: float = 0.0, *, by: timedelta | None = None) -> None:
        """Move time forward by ``seconds`` (or ``by``); moving it back, or past the last
        date a datetime holds, is refused."""
        try:
            step = by if by is not None else timedelta(seconds=seconds)
        except OverflowError:
            raise InvalidArgument(f"seconds: {seconds!r} is past any date") from None
        if step < timedelta():
            raise InvalidArgument(f"time only moves forward, got {step!r}")
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else datetime.now(timezone.utc)
            try:
                base + self._offset + step
            except OverflowError:
                raise InvalidArgument(f"moving the clock {step} on is past any date") from None
            self._offset += step
