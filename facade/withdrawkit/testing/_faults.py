"""Fault injection: make the next requests to an operation fail the way networks and servers do.

Faults are armed per operation (the spec's ``operationId``, or ``ANY_OPERATION``) and consumed in
the order armed, one per request, so a test states exactly which requests go wrong::

    fake.faults.fail_next("getWithdrawal", times=2, status=503)   # two 503s, then normal answers
    fake.faults.drop_connection("createWithdrawal", request_applied=True)
    fake.faults.delay("getAccount", seconds=2.0)                    # trip a client's read timeout
    fake.faults.expire_tokens_before("getAccount")                  # the token dies mid-flow

A fake's plan knows the fake's operations (``fake.operations``): a name it does not serve, such
as ``"createWithdrawl"``, raises ``InvalidArgument`` at once, naming the valid ones, rather than
arming a fault no request will ever meet.
"""

from __future__ import annotations

import difflib
import threading
from collections import deque
from collections.abc import Iterable
from typing import Final

import attrs

from withdrawkit._root_error import InvalidArgument

__all__ = [
    "ANY_OPERATION",
    "Delay",
    "Drop",
    "ExpireTokens",
    "Fault",
    "FaultPlan",
    "ServerFailure",
]

ANY_OPERATION: Final = "*"


@attrs.frozen
class ServerFailure:
    """Answer ``status`` instead of handling the request.

    ``body`` ``None`` means the provider's own error body for that status.
    """

    status: int
    body: bytes | None
    content_type: str
    retry_after: int | None


@attrs.frozen
class Drop:
    """Close the connection without an answer, before or after the fake acted on the request."""

    request_applied: bool


@attrs.frozen
class Delay:
    """Wait ``seconds`` before answering; the request is handled normally afterwards."""

    seconds: float


@attrs.frozen
class ExpireTokens:
    """Expire every issued token just before this request is authenticated."""


Fault = ServerFailure | Drop | Delay | ExpireTokens


class FaultPlan:
    """Queued faults per operation; thread-safe, since the loopback server handles requests in
    parallel.

    ``operations`` are the names faults may be armed for (``ANY_OPERATION`` always may); a fake
    gives its own. ``None`` accepts any name, for a plan used on its own.
    """

    def __init__(self, operations: Iterable[str] | None = None, *, owner: str = "the fake") -> None:
        self._lock = threading.Lock()
        self._queues: dict[str, deque[Fault]] = {}
        self._operations = None if operations is None else frozenset(operations)
        self._owner = owner

    def fail_next(
        self,
        operation: str,
        *,
        times: int = 1,
        status: int = 503,
        body: bytes | str | None = None,
        content_type: str = "application/json",
        retry_after: int | None = None,
    ) -> None:
        """The next ``times`` requests to ``operation`` get ``status`` (503 by default).

        Without ``body`` the answer is what the provider sends for that status; pass one (an
        HTML page from a proxy, say) with its ``content_type`` to test other shapes.
        """
        raw = body.encode("utf-8") if isinstance(body, str) else body
        self._arm(operation, ServerFailure(status, raw, content_type, retry_after), times)

    def drop_connection(
        self, operation: str, *, times: int = 1, request_applied: bool = False
    ) -> None:
        """The next ``times`` requests get no answer: the server closes the connection.

        With ``request_applied=True`` the fake first acts on the request (creates the
        withdrawal, debits the balance) and then drops the answer.
        """
        self._arm(operation, Drop(request_applied), times)

    def delay(self, operation: str, *, seconds: float, times: int = 1) -> None:
        """The next ``times`` requests are answered only after ``seconds``."""
        if seconds < 0:
            raise InvalidArgument(f"delay must not be negative, got {seconds!r}")
        self._arm(operation, Delay(seconds), times)

    def expire_tokens_before(self, operation: str, *, times: int = 1) -> None:
        """Every token expires just before the next ``times`` requests to ``operation``."""
        self._arm(operation, ExpireTokens(), times)

    def take(self, operation: str) -> Fault | None:
        """The fault for a request to ``operation`` now, if one is armed; it is consumed."""
        with self._lock:
            for key in (operation, ANY_OPERATION):
                queue = self._queues.get(key)
                if queue:
                    return queue.popleft()
            return None

    def pending(self, operation: str | None = None) -> int:
        """How many faults are still armed (for ``operation``, or in all)."""
        if operation is not None:
            self.check_operation(operation)
        with self._lock:
            if operation is not None:
                return len(self._queues.get(operation, ()))
            return sum(len(queue) for queue in self._queues.values())

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()

    def check_operation(self, operation: str) -> None:
        """Raise ``InvalidArgument`` unless faults can be armed for ``operation``."""
        if self._operations is None or operation == ANY_OPERATION:
            return
        if operation in self._operations:
            return
        known = sorted(self._operations)
        close = difflib.get_close_matches(str(operation), known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        raise InvalidArgument(
            f"{self._owner} has no operation {operation!r}.{hint} Its operations are: "
            f"{', '.join(known)} (or ANY_OPERATION, {ANY_OPERATION!r}, for every request)"
        )

    def _arm(self, operation: str, fault: Fault, times: int) -> None:
        self.check_operation(operation)
        if times < 1:
            raise InvalidArgument(f"times must be at least 1, got {times!r}")
        with self._lock:
            self._queues.setdefault(operation, deque()).extend([fault] * times)
