"""Interleaved timing: each row runs withdrawkit's side and its baseline in turns, in one run."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import attrs


@attrs.frozen
class Timing:
    """Seconds per call over each repeat."""

    samples: tuple[float, ...]

    @property
    def best(self) -> float:
        return min(self.samples)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def per_call(work: Callable[[], Any], number: int) -> float:
    started = time.perf_counter()
    for _ in range(number):
        work()
    return (time.perf_counter() - started) / number


def interleaved(
    ours: Callable[[], Any], baseline: Callable[[], Any], *, number: int, repeats: int
) -> tuple[Timing, Timing]:
    """Both sides ``repeats`` times, alternating, so that noise from the other core falls on
    both alike."""
    ours()
    baseline()  # warm caches and connections
    mine: list[float] = []
    theirs: list[float] = []
    for _ in range(repeats):
        mine.append(per_call(ours, number))
        theirs.append(per_call(baseline, number))
    return Timing(tuple(mine)), Timing(tuple(theirs))
