"""Time the tests move by hand: ``clock.now += 60``, and a client made to read it."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from withdrawkit._client import ClientShell, Clocks

C = TypeVar("C", bound=ClientShell)


class ManualClock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def on_clocks(
    client: C, monotonic: Callable[[], float], wall: Callable[[], float] = time.time
) -> C:
    """``client`` measuring token lifetimes by ``monotonic`` and reading ``exp`` by ``wall``."""
    client._clocks = Clocks(monotonic=monotonic, wall=wall, sleep=client._clocks.sleep)
    return client


class SimulatedTime:
    """A client's three clocks with time that passes only when the client sleeps.

    ``sleeps`` records every wait asked for, in order; ``monotonic`` and ``wall`` move together.
    """

    def __init__(self, *, monotonic: float = 1000.0, wall: float = 1_750_000_000.0) -> None:
        self.monotonic = monotonic
        self.wall = wall
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        self.sleeps.append(seconds)
        self.monotonic += seconds
        self.wall += seconds

    def install(self, client: C) -> C:
        """``client`` reading and sleeping on this simulated time; returns it."""
        client._clocks = Clocks(
            monotonic=lambda: self.monotonic, wall=lambda: self.wall, sleep=self.sleep
        )
        return client
