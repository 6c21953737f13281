"""What every fake provider shares: dispatch, fault injection, the request log, issued tokens,
the polling setting, a ready-made client and both faces.

A provider subclass supplies its routes (handlers that read a ``FakeRequest`` and return a
``FakeResponse``, raising ``Refusal`` for an error answer), the bodies of its generic errors and
how to build its client. ``handle`` is the pure request handler both faces call.
"""

from __future__ import annotations

import abc
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import attrs

from withdrawkit._root_error import InvalidArgument
from withdrawkit.testing._clock import FakeClock
from withdrawkit.testing._exchange import (
    DropConnection,
    FakeRequest,
    FakeResponse,
    LateResponse,
    Outcome,
)
from withdrawkit.testing._faults import (
    ANY_OPERATION,
    Delay,
    Drop,
    ExpireTokens,
    FaultPlan,
    ServerFailure,
)
from withdrawkit.testing._http_face import LoopbackServer
from withdrawkit.testing._ids import IdSource
from withdrawkit.testing._responses_face import mount as mount_on_responses
from withdrawkit.testing._responses_face import passed_through, shared_mock
from withdrawkit.testing._routing import Match, Route, RouteTable
from withdrawkit.testing._scene_checks import check_count
from withdrawkit.testing._tokens import TokenStore

if TYPE_CHECKING:
    import responses

__all__ = ["FakeProvider", "ReceivedRequest", "Refusal", "RouteHandler"]

MAX_PENDING_POLLS: Final = 10_000

RouteHandler = Callable[[FakeRequest, Mapping[str, str]], FakeResponse]
P = TypeVar("P", bound="FakeProvider[Any]")
C = TypeVar("C")

logger = logging.getLogger(__name__)


class Refusal(Exception):
    """Raised inside a route handler to answer with ``response`` (an error body) at once."""

    def __init__(self, response: FakeResponse) -> None:
        super().__init__(response.status)
        self.response = response


@attrs.frozen
class ReceivedRequest:
    """One request the fake received: the operation it matched (None: no route) and the status
    answered (None: the connection was dropped)."""

    operation: str | None
    request: FakeRequest
    status: int | None


class FakeProvider(abc.ABC, Generic[C]):
    """Base of ``FakeOneKonto`` and ``FakeRipio``; ``C`` is the client class ``client()`` makes.

    Thread-safe: the loopback face serves requests on several threads, so every change of state
    (by a request or by the test) happens under one lock.
    """

    def __init__(
        self,
        *,
        base_url: str,
        clock: FakeClock | None,
        seed: int | str | None,
        pending_polls: int | None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.clock = clock if clock is not None else FakeClock()
        self.ids = IdSource(seed)
        self._lock = threading.RLock()
        self._tokens = TokenStore(self.clock)
        self._pending_polls: int | None = None
        self.pending_polls = pending_polls
        self._routes: RouteTable[RouteHandler] = RouteTable()
        self._received: list[ReceivedRequest] = []
        self._served_url: str | None = None
        self._add_routes(self._routes)
        self.faults = FaultPlan(self.operations, owner=type(self).__name__)

    # -- what a provider supplies ----------------------------------------------------------------

    @abc.abstractmethod
    def _add_routes(self, routes: RouteTable[RouteHandler]) -> None:
        """Register one handler per documented operation the fake serves."""

    @abc.abstractmethod
    def _server_error(self, status: int) -> FakeResponse:
        """The provider's body for an injected server failure of ``status``."""

    @abc.abstractmethod
    def _no_route(self, request: FakeRequest) -> FakeResponse:
        """The provider's answer to a path (or method) it does not serve."""

    @abc.abstractmethod
    def _client_type(self) -> Callable[..., C]:
        """The client class ``client()`` builds, imported when first asked for."""

    @abc.abstractmethod
    def _client_arguments(self) -> dict[str, Any]:
        """The keyword arguments of a client with the fake's ready-made credentials."""

    # -- what every provider shares ---------------------------------------------------------------

    @property
    def pending_polls(self) -> int | None:
        """How many polls see a withdrawal pending before it completes (None: never): from 0
        to ``MAX_PENDING_POLLS`` (10 000; a test that polls more is better told ``None``)."""
        return self._pending_polls

    @pending_polls.setter
    def pending_polls(self, value: int | None) -> None:
        if value is not None:
            check_count("pending_polls", value, minimum=0, maximum=MAX_PENDING_POLLS)
        with self._lock:
            self._pending_polls = value

    def expire_tokens(self) -> None:
        """Every token issued so far is expired; clients must log in again."""
        with self._lock:
            self._tokens.expire_all()

    def client(self, **overrides: Any) -> C:
        """A client with the fake's ready-made credentials at ``self.url``.

        Keyword arguments override the constructor's (``timeout=``, ``max_retries=``,
        ``base_url=``, ...).
        """
        arguments = {**self._client_arguments(), **overrides}
        base_url = arguments.pop("base_url", self.url)
        return self._client_type()(base_url, **arguments)

    # -- the request handler ----------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> Outcome:
        """Answer one request: fault injection first, then the route's handler."""
        match = self._routes.match(request.method, request.path)
        if match is None:
            return self._answer(None, request, self._no_route(request))
        operation = match.route.operation
        fault = self.faults.take(operation)
        if isinstance(fault, ServerFailure):
            return self._answer(operation, request, self._failure(fault))
        if isinstance(fault, Drop) and not fault.request_applied:
            self._record(operation, request, None)
            return DropConnection(request_applied=False)
        if isinstance(fault, ExpireTokens):
            self.expire_tokens()
        response = self._dispatch(match, request)
        if isinstance(fault, Drop):
            self._record(operation, request, None)
            return DropConnection(request_applied=True)
        self._record(operation, request, response.status)
        if isinstance(fault, Delay):
            return LateResponse(response, fault.seconds)
        return response

    def _dispatch(self, match: Match[RouteHandler], request: FakeRequest) -> FakeResponse:
        with self._lock:
            try:
                return match.route.handler(request, match.path_params)
            except Refusal as refusal:
                return refusal.response
            except Exception:
                # A bug of the fake, or input it never expected: answer as a crashing server
                # does (500, the provider's body) rather than raising into the mock face's
                # caller or dropping the served face's connection, which a client sending money
                # would have to report as an unknown outcome.
                logger.exception(
                    "%s crashed handling %s %s; answering 500",
                    type(self).__name__,
                    request.method,
                    request.path,
                )
                return self._server_error(500)

    def _failure(self, fault: ServerFailure) -> FakeResponse:
        if fault.body is None:
            response = self._server_error(fault.status)
        else:
            response = FakeResponse(fault.status, {"Content-Type": fault.content_type}, fault.body)
        if fault.retry_after is not None:
            headers = {**response.headers, "Retry-After": str(fault.retry_after)}
            response = FakeResponse(response.status, headers, response.body)
        return response

    def _answer(
        self, operation: str | None, request: FakeRequest, response: FakeResponse
    ) -> Outcome:
        self._record(operation, request, response.status)
        return response

    def _record(self, operation: str | None, request: FakeRequest, status: int | None) -> None:
        with self._lock:
            self._received.append(ReceivedRequest(operation, request, status))

    # -- what the fake saw ------------------------------------------------------------------------

    @property
    def received(self) -> list[ReceivedRequest]:
        """Every request received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._received)

    def calls(self, operation: str) -> list[ReceivedRequest]:
        """The requests received for ``operation`` (an ``operationId`` of the spec).

        A name the fake does not serve raises ``InvalidArgument``, naming the ones it does, so a
        typo cannot pass as "never called".
        """
        if operation == ANY_OPERATION:
            raise InvalidArgument("calls() takes one operation name; `received` lists them all")
        self.faults.check_operation(operation)
        return [seen for seen in self.received if seen.operation == operation]

    @property
    def routes(self) -> list[Route[RouteHandler]]:
        """Every route this fake serves: ``operation`` (the spec's operationId), ``method``,
        path ``template``."""
        return list(self._routes)

    @property
    def operations(self) -> list[str]:
        """The ``operationId`` of every route this fake serves."""
        return [route.operation for route in self._routes]

    # -- faces ------------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """Where clients reach the fake: the loopback URL while served, else ``base_url``."""
        return self._served_url if self._served_url is not None else self.base_url

    def mount(self, mock: responses.RequestsMock) -> Callable[[], None]:
        """Answer every request to ``base_url`` on a ``responses.RequestsMock`` you manage
        (``responses.mock`` under ``@responses.activate``, say); returns the function that
        takes the fake off it again."""
        return mount_on_responses(mock, self.base_url, self.handle)

    @contextmanager
    def mock(self: P) -> Iterator[P]:
        """``with fake.mock(): ...``: requests to ``base_url`` are answered in-process.

        Any other URL raises ``ConnectionError`` (``responses`` lets nothing through), so a test
        cannot reach a real provider by accident. Fakes mocked at the same time share one
        ``RequestsMock``. Needs the ``responses`` package; if your test already runs its own
        ``responses`` mock, use ``mount`` on it instead.
        """
        with shared_mock() as mock:
            unmount = self.mount(mock)
            try:
                yield self
            finally:
                unmount()

    def _handle_served(self, request: FakeRequest) -> Outcome:
        """``handle`` for the loopback face; the answer is written when it returns."""
        return self.handle(request)

    def _after_served_answer(self) -> None:
        """Called once each loopback answer is on the wire: work that must not delay it."""

    @contextmanager
    def _answering_first(self) -> Iterator[None]:
        """Scene calls in the block leave what must not delay an answer (FakeRipio's webhooks)
        to ``_after_served_answer``; the control surface runs its scene endpoints in it."""
        yield

    @contextmanager
    def _background(self, served_url: str) -> Iterator[None]:
        """Threads a served fake runs while it is served (FakeRipio: its webhook sender)."""
        yield

    def _deliver_pending(self) -> None:
        """Finish, on this thread, what ``_background`` left undone when it stopped."""

    @contextmanager
    def serve(self) -> Iterator[str]:
        """``with fake.serve() as base_url: ...``: the fake on a free port of 127.0.0.1.

        A ``responses`` mock with another fake mounted (``fake.mock()``, the ``fake_onekonto``
        fixture) lets requests to ``base_url`` through, so both faces work in one test.
        """
        if self._served_url is not None:
            raise RuntimeError(f"{type(self).__name__} is already served at {self._served_url}")
        server = LoopbackServer(self._handle_served, after_answer=self._after_served_answer)
        with server as base_url, passed_through(base_url), self._background(base_url):
            self._served_url = base_url
            try:
                yield base_url
            finally:
                self._served_url = None
