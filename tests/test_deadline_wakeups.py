"""The deadline watchdog is woken only for a deadline earlier than the one it sleeps until:
sequential requests with one timeout cost its thread no wake-up, and an earlier deadline is
still enforced on time."""

from __future__ import annotations

import socket
import threading
import time

from withdrawkit import _deadline


class _CountingCondition(threading.Condition):
    def __init__(self) -> None:
        super().__init__()
        self.notified = 0

    def notify(self, n: int = 1) -> None:
        self.notified += 1
        super().notify(n)


def _sleeping_watchdog() -> tuple[_deadline._Watchdog, _CountingCondition]:
    watchdog = _deadline._Watchdog()
    condition = _CountingCondition()
    watchdog._condition = condition
    return watchdog, condition


def _wait_until_asleep(watchdog: _deadline._Watchdog, until: float) -> None:
    for _ in range(500):
        with watchdog._condition:
            if watchdog._sleeping_until == until:
                return
        time.sleep(0.01)
    raise AssertionError(f"the watchdog never slept until {until}")


def test_a_deadline_no_earlier_than_the_one_it_sleeps_until_does_not_wake_it() -> None:
    watchdog, condition = _sleeping_watchdog()
    first = _deadline.DeadlineWatch(time.monotonic() + 60)
    watchdog.watch(first)
    _wait_until_asleep(watchdog, first.deadline)

    for offset in range(1, 50):
        watchdog.watch(_deadline.DeadlineWatch(first.deadline + offset))

    assert condition.notified == 0


def test_an_earlier_deadline_wakes_it_and_is_enforced_on_time() -> None:
    watchdog, condition = _sleeping_watchdog()
    late = _deadline.DeadlineWatch(time.monotonic() + 60)
    watchdog.watch(late)
    _wait_until_asleep(watchdog, late.deadline)
    early = _deadline.DeadlineWatch(time.monotonic() + 0.2)
    held, peer = socket.socketpair()
    with held, peer:
        early.adopt(held)
        started = time.monotonic()
        watchdog.watch(early)

        assert condition.notified == 1
        held.settimeout(5)
        assert held.recv(16) == b""  # shut down by the watchdog, not by the 5 s timeout
        assert time.monotonic() - started < 4
        assert early.expired
        assert not late.expired


def test_a_finished_watch_left_behind_does_not_stop_a_later_one_being_enforced() -> None:
    watchdog, _ = _sleeping_watchdog()
    finished = _deadline.DeadlineWatch(time.monotonic() + 0.1)
    watchdog.watch(finished)
    finished.finish()
    watchdog.forget_finished()  # the heap is empty; the thread still sleeps until 0.1 s
    later = _deadline.DeadlineWatch(time.monotonic() + 0.3)
    held, peer = socket.socketpair()
    with held, peer:
        later.adopt(held)
        watchdog.watch(later)
        held.settimeout(5)
        assert held.recv(16) == b""
        assert later.expired
