"""One deadline for a whole answer, enforced by closing its socket when the deadline passes.

A socket's timeout bounds one wait for the next bytes, not the whole: a server that sends a
byte of its status line, a header or a chunk size line more often than the read timeout could
hold a call for ever. So every exchange runs inside ``watching(deadline)``: the connections
withdrawkit's pools make (``withdrawkit._watched_pools``) hand their sockets to the exchange's
``DeadlineWatch``, and one watchdog thread for the process shuts those sockets down when the
deadline passes. The blocked read then ends at once (end of stream, or an error), and the
transport, seeing ``watch.expired``, reports the deadline instead of what the read made of it.

Why a watchdog and not reading the response by hand: it keeps requests and urllib3 reading
HTTP (proxies, TLS, chunked and compressed bodies), costs one thread per process rather than
one per request, and adds no work to a request that ends in time beyond a heap push.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Final

__all__ = ["DeadlineWatch", "adopt_socket", "release_socket", "watching"]

_local = threading.local()


class DeadlineWatch:
    """The sockets of one exchange, shut down if the exchange outlives ``deadline``."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._due = False  # the deadline passed: a socket adopted from now on is shut at once
        self._expired = False
        self._finished = False

    @property
    def expired(self) -> bool:
        """Whether the deadline passed while the exchange still held a socket (one it gave
        back to the pool before is not its own any more, and does not count).
        Taken under the lock: a read the shutdown woke asks before ``expire`` has returned."""
        with self._lock:
            return self._expired

    @property
    def finished(self) -> bool:
        return self._finished

    def adopt(self, sock: socket.socket) -> None:
        with self._lock:
            if self._finished:
                return
            if self._due:
                self._expired = True
                _shut(sock)
            elif all(known is not sock for known in self._sockets):
                self._sockets.append(sock)

    def release(self, sock: socket.socket) -> None:
        """Stop watching ``sock``: its connection went back to the pool, and the next request
        that takes it from there (on any thread) is not this exchange's to cut off."""
        with self._lock:
            self._sockets = [known for known in self._sockets if known is not sock]

    def expire(self) -> None:
        """Shut every socket of the exchange down: a read blocked on one ends now. A socket
        closed already (the body reader stopped at the deadline first) still counts."""
        with self._lock:
            if self._finished:
                return
            self._due = True
            self._expired = self._expired or bool(self._sockets)
            for sock in self._sockets:
                _shut(sock)

    def finish(self) -> None:
        with self._lock:
            self._finished = True
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    # socket.socket's own shutdown, also for an SSLSocket: it ends the stream under TLS
    # without touching the TLS state another thread is reading with. OSError: closed already.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """One daemon thread expiring watches at their deadlines (a heap, earliest first)."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._heap: list[tuple[float, int, DeadlineWatch]] = []
        self._order = itertools.count()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        # The deadline the thread sleeps until (inf: until notified). A new watch due no
        # earlier needs no wake-up: sequential requests with one timeout, the common case,
        # then cost the watchdog thread nothing, not a context switch each.
        self._sleeping_until = math.inf

    def watch(self, watch: DeadlineWatch) -> None:
        with self._condition:
            heapq.heappush(self._heap, (watch.deadline, next(self._order), watch))
            if self._thread is None or not self._thread.is_alive() or self._pid != os.getpid():
                # First use, or a forked child (which has no copy of the parent's thread).
                self._pid = os.getpid()
                self._thread = threading.Thread(
                    target=self._run, name="withdrawkit-deadline-watchdog", daemon=True
                )
                self._thread.start()
            elif watch.deadline < self._sleeping_until:
                self._sleeping_until = watch.deadline
                self._condition.notify()

    def forget_finished(self) -> None:
        """Drop the finished watches at the front of the heap. Without this they stayed until
        the earliest deadline passed, so a fast walk of many requests held every one of its
        watches for a whole timeout; sequential requests now keep one."""
        with self._condition:
            while self._heap and self._heap[0][2].finished:
                heapq.heappop(self._heap)

    def _run(self) -> None:
        with self._condition:
            while True:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].finished or self._heap[0][0] <= now):
                    _, _, due = heapq.heappop(self._heap)
                    due.expire()
                self._sleeping_until = self._heap[0][0] if self._heap else math.inf
                wait = self._sleeping_until - now if self._heap else None
                self._condition.wait(wait)


_WATCHDOG: Final = _Watchdog()


@contextlib.contextmanager
def watching(deadline: float) -> Iterator[DeadlineWatch]:
    """Within the block, sockets adopted on this thread are shut down at ``deadline`` (a
    ``time.monotonic()`` value)."""
    watch = DeadlineWatch(deadline)
    outer = getattr(_local, "watch", None)
    _local.watch = watch
    _WATCHDOG.watch(watch)
    try:
        yield watch
    finally:
        watch.finish()
        _local.watch = outer
        _WATCHDOG.forget_finished()


def adopt_socket(sock: socket.socket | None) -> None:
    """Hand ``sock`` to the exchange running on this thread, if any (called by the pools)."""
    watch: DeadlineWatch | None = getattr(_local, "watch", None)
    if watch is not None and sock is not None:
        watch.adopt(sock)


def release_socket(sock: socket.socket | None) -> None:
    """Take ``sock`` back from the exchange running on this thread (called by the pools when
    a connection returns to them)."""
    watch: DeadlineWatch | None = getattr(_local, "watch", None)
    if watch is not None and sock is not None:
        watch.release(sock)
