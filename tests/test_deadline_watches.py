"""The deadline watchdog keeps no finished watch behind: a long page walk stays flat."""

from __future__ import annotations

import time

from withdrawkit import _deadline


def test_sequential_exchanges_leave_no_finished_watch_in_the_heap() -> None:
    for _ in range(500):
        with _deadline.watching(time.monotonic() + 60):
            pass
    assert len(_deadline._WATCHDOG._heap) <= 1
