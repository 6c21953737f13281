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
