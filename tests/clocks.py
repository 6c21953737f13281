"""A monotonic clock the test moves by hand: ``clock.now += 60``."""

from __future__ import annotations


class ManualClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now
