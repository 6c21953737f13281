"""The control surface: set a served fake's scene over plain HTTP, from a suite in any language.

``ControlSurface`` answers every request under ``CONTROL_PREFIX`` (``/_withdrawkit/``) itself and
hands every other request to the fake, so one loopback port serves both the provider's API and
the hooks that drive it. Neither 1Konto nor Ripio serves anything under that prefix.

What every fake understands (JSON in, JSON out)::

    GET    /_withdrawkit/                 provider, URL, ready-made credentials, every endpoint
    POST   /_withdrawkit/reset            a fresh fake: same seed, same credentials, no history
    POST   /_withdrawkit/faults           {"operation": "createWithdrawal", "fault": "fail",
                                           "times": 1, "status": 503}; also "drop"
                                           ("request_applied"), "delay" ("seconds"),
                                           "expire_tokens"
    DELETE /_withdrawkit/faults           disarm every fault
    GET    /_withdrawkit/requests         what the fake received: operation, method, path, status
    POST   /_withdrawkit/settings         {"pending_polls": 2} (null: complete only when told)
    POST   /_withdrawkit/clock/advance    {"seconds": 31}: held fees expire, timestamps move

Each provider adds its own scene (deposit, whitelist, complete, fail...; see
``_control_scenes``). A scene
that cannot exist (an unknown operation, a missing field, an unknown withdrawal) is answered
with an error naming what is wrong, never accepted silently: 400 for a bad body, 404 for an
unknown endpoint or id (or end user, account, asset or currency: ``UnknownName``), 409
for a change the fake's state refuses (completing a failed withdrawal: ``AlreadyFinished``).
Errors are ``{"error": "<what is wrong>"}``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager, nullcontext
from decimal import Decimal
from typing import Any, Final, Generic, TypeVar

import attrs

from withdrawkit import _wire_json as wire_json
from withdrawkit._amount import Amount
from withdrawkit._root_error import InvalidArgument
from withdrawkit.testing._exchange import FakeRequest, Outcome, json_response
from withdrawkit.testing._faults import ANY_OPERATION
from withdrawkit.testing._http_face import LoopbackServer
from withdrawkit.testing._provider import FakeProvider
from withdrawkit.testing._routing import RouteTable
from withdrawkit.testing._scene_checks import AlreadyFinished, UnknownName

logger = logging.getLogger(__name__)

MAX_SECONDS: Final = Decimal(10**10)  # about 317 years: any step a test means, as a float exactly

__all__ = [
    "CONTROL_PREFIX",
    "ControlError",
    "ControlRoute",
    "ControlSurface",
    "Scene",
    "amount_field",
    "int_field",
    "only_fields",
    "optional_text",
    "seconds_field",
    "serve_scene",
    "text_field",
]

CONTROL_PREFIX: Final = "/_withdrawkit"

F = TypeVar("F", bound=FakeProvider[Any])
Body = Mapping[str, Any]
# A control handler: the current fake, the JSON body ({} when empty) and the path parameters.
ControlHandler = Callable[[F, Body, Mapping[str, str]], Any]


class ControlError(Exception):
    """A control request that cannot be carried out: answered ``status`` with ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@attrs.frozen
class ControlRoute(Generic[F]):
    """One endpoint of a provider's scene: ``POST deposit`` -> ``handler``."""

    method: str
    template: str  # below CONTROL_PREFIX, without the leading slash: "withdrawals/{id}/fail"
    summary: str
    handler: ControlHandler[F]


@attrs.frozen
class Scene(Generic[F]):
    """What one provider adds to the control surface: its name, how a fresh fake is made, its
    ready-made credentials as environment variables, and its scene endpoints."""

    provider: str
    make_fake: Callable[[], F]
    credentials: Callable[[F, str], dict[str, str]]  # (fake, served URL) -> {ENV_NAME: value}
    routes: tuple[ControlRoute[F], ...]


class ControlSurface(Generic[F]):
    """Answers the control endpoints and passes every other request to the current fake.

    ``handle`` is the loopback face's request handler and ``after_answer`` its hook once an
    answer is written. While ``running`` (as ``serve_scene`` runs it) the surface answers first,
    as the fake's own loopback face does: webhooks a request or a scene endpoint caused are
    delivered by the fake's background sender after the answer, so a slow receiver never
    delays it. ``reset`` swaps in a fresh fake; requests already being handled finish on the
    old one, which stops (delivering what it still holds) once the last of them is answered.
    """

    def __init__(self, scene: Scene[F]) -> None:
        self._scene = scene
        self._lock = threading.Lock()
        self._fake = scene.make_fake()
        self.url = ""  # set by whoever serves it, for GET /_withdrawkit/
        self.prefix = CONTROL_PREFIX
        self._routes: RouteTable[ControlRoute[F]] = RouteTable()
        for route in (*_common_routes(self), *scene.routes):
            self._routes.add(
                route.summary, route.method, f"{CONTROL_PREFIX}/{route.template}", route
            )
        self._background: ExitStack | None = None  # the current fake's, while running
        self._retired: list[tuple[F, ExitStack]] = []  # reset fakes, stopped once idle
        self._in_flight: dict[int, int] = {}  # id(fake) -> requests it is handling, while running
        self._handling = threading.local()  # .fake: the fake this thread's request is on

    @property
    def fake(self) -> F:
        with self._lock:
            return self._fake

    def reset(self) -> None:
        fresh = self._scene.make_fake()
        with self._lock:
            old, self._fake = self._fake, fresh
            if self._background is not None:
                self._retired.append((old, self._background))
                self._background = self._start(fresh)

    @contextmanager
    def running(self, url: str) -> Iterator[None]:
        """Serve at ``url``: the fakes' background work (FakeRipio's webhook sender) runs."""
        with self._lock:
            self.url = url
            self._background = self._start(self._fake)
        try:
            yield
        finally:
            with self._lock:
                background, self._background = self._background, None
                stopping = [(self._fake, background)] if background is not None else []
                stopping += self._retired
                self._retired = []
            _stop_each(stopping)  # the current fake's leftovers are delivered like retired ones'

    def _start(self, fake: F) -> ExitStack:
        stack = ExitStack()
        stack.enter_context(fake._background(self.url))
        return stack

    def _enter(self) -> F:
        """The fake that handles this request; while running it counts as in flight on it
        until ``after_answer``, so a reset does not stop it under the request."""
        with self._lock:
            fake = self._fake
            if self._background is not None:
                self._in_flight[id(fake)] = self._in_flight.get(id(fake), 0) + 1
                self._handling.fake = fake
            return fake

    def after_answer(self) -> None:
        """Once an answer is written: the fake that handled the request delivers what it
        caused; fakes a reset replaced stop once no request is in flight on them, after
        delivering what they still held."""
        fake: F | None = getattr(self._handling, "fake", None)
        self._handling.fake = None
        with self._lock:
            if fake is not None:
                left = self._in_flight.pop(id(fake)) - 1
                if left:
                    self._in_flight[id(fake)] = left
            idle = [pair for pair in self._retired if id(pair[0]) not in self._in_flight]
            self._retired = [pair for pair in self._retired if pair not in idle]
            stopped = self._background is None  # running() ended while this request ran
        if fake is not None:
            if stopped:
                _stop_each([(fake, ExitStack())])
            else:
                fake._after_served_answer()
        _stop_each(idle)

    def credentials(self) -> dict[str, str]:
        return self._scene.credentials(self.fake, self.url)

    def handle(self, request: FakeRequest) -> Outcome:
        fake = self._enter()
        if request.path != CONTROL_PREFIX and not request.path.startswith(CONTROL_PREFIX + "/"):
            if self._running:
                return fake._handle_served(request)
            return fake.handle(request)
        try:
            return json_response(200, self._control(fake, request))
        except ControlError as error:
            return json_response(error.status, {"error": error.message})

    @property
    def _running(self) -> bool:
        with self._lock:
            return self._background is not None

    def _control(self, fake: F, request: FakeRequest) -> Any:
        match = self._routes.match(request.method, request.path)
        if match is None:
            raise ControlError(
                404, f"no control endpoint {request.method} {request.path}; GET {CONTROL_PREFIX}/"
            )
        body = _json_body(request)
        answering_first = fake._answering_first() if self._running else nullcontext()
        try:
            with answering_first:
                return match.route.handler.handler(fake, body, match.path_params)
        except UnknownName as unknown:
            raise ControlError(404, str(unknown)) from unknown
        except AlreadyFinished as refused:
            raise ControlError(409, str(refused)) from refused
        except KeyError as unknown:
            raise ControlError(404, _key_message(unknown)) from unknown
        except InvalidArgument as bad:  # AmountError included: a bad value in the body
            raise ControlError(400, str(bad)) from bad
        except ValueError as refused:
            raise ControlError(409, str(refused)) from refused

    def describe(self) -> dict[str, Any]:
        return {
            "provider": self._scene.provider,
            "url": self.url,
            "credentials": self.credentials(),
            "operations": self.fake.operations,
            "control": [
                f"{route.method} {route.template}: {route.handler.summary}"
                for route in self._routes
            ],
        }


@contextmanager
def serve_scene(scene: Scene[F], *, port: int = 0) -> Iterator[ControlSurface[F]]:
    """``scene``'s fake and its control surface on ``http://127.0.0.1:<port>`` (0: a free port)."""
    surface = ControlSurface(scene)
    server = LoopbackServer(surface.handle, port=port, after_answer=surface.after_answer)
    with server as url, surface.running(url):
        yield surface


def _stop_each(fakes: list[tuple[F, ExitStack]]) -> None:
    """Stop each fake's background work and deliver what it still held; one failing does not
    strand the others (it is logged)."""
    for fake, background in fakes:
        for step in (background.close, fake._deliver_pending):
            try:
                step()
            except Exception:
                logger.exception("stopping a reset or served %s failed", type(fake).__name__)


def _common_routes(surface: ControlSurface[F]) -> list[ControlRoute[F]]:
    def describe(fake: F, body: Body, params: Mapping[str, str]) -> Any:
        return surface.describe()

    def reset(fake: F, body: Body, params: Mapping[str, str]) -> Any:
        surface.reset()
        return {"reset": True}

    return [
        ControlRoute("GET", "", "what this fake is and how to drive it", describe),
        ControlRoute("POST", "reset", "a fresh fake with the same credentials", reset),
        ControlRoute("POST", "faults", "arm a fault for an operation", _arm_fault),
        ControlRoute("DELETE", "faults", "disarm every fault", _clear_faults),
        ControlRoute("GET", "requests", "every request the fake received", _received),
        ControlRoute("POST", "settings", "set pending_polls", _settings),
        ControlRoute("POST", "clock/advance", "move the fake's time forward", _advance_clock),
    ]


# -- the endpoints every fake shares ----------------------------------------------------------


def _arm_fault(fake: FakeProvider[Any], body: Body, params: Mapping[str, str]) -> Any:
    operation = text_field(body, "operation")
    if operation != ANY_OPERATION and operation not in fake.operations:
        raise ControlError(
            400, f"unknown operation {operation!r}; this fake serves {sorted(fake.operations)}"
        )
    kind = text_field(body, "fault")
    times = int_field(body, "times", default=1, minimum=1)
    if kind == "fail":
        only_fields(
            body, "operation", "fault", "times", "status", "body", "content_type", "retry_after"
        )
        fake.faults.fail_next(
            operation,
            times=times,
            status=int_field(body, "status", default=503, minimum=100, maximum=599),
            body=optional_text(body, "body"),
            content_type=optional_text(body, "content_type") or "application/json",
            retry_after=int_field(body, "retry_after", default=None, minimum=0),
        )
    elif kind == "drop":
        only_fields(body, "operation", "fault", "times", "request_applied")
        applied = body.get("request_applied", False)
        if not isinstance(applied, bool):
            raise ControlError(400, "request_applied must be true or false")
        fake.faults.drop_connection(operation, times=times, request_applied=applied)
    elif kind == "delay":
        only_fields(body, "operation", "fault", "times", "seconds")
        fake.faults.delay(operation, seconds=float(seconds_field(body, "seconds")), times=times)
    elif kind == "expire_tokens":
        only_fields(body, "operation", "fault", "times")
        fake.faults.expire_tokens_before(operation, times=times)
    else:
        raise ControlError(
            400, f"unknown fault {kind!r}; use one of 'fail', 'drop', 'delay', 'expire_tokens'"
        )
    return {"armed": kind, "operation": operation, "pending": fake.faults.pending(operation)}


def _clear_faults(fake: FakeProvider[Any], body: Body, params: Mapping[str, str]) -> Any:
    fake.faults.clear()
    return {"pending": 0}


def _received(fake: FakeProvider[Any], body: Body, params: Mapping[str, str]) -> Any:
    return [
        {
            "operation": seen.operation,
            "method": seen.request.method,
            "path": seen.request.path,
            "status": seen.status,
        }
        for seen in fake.received
    ]


def _settings(fake: FakeProvider[Any], body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "pending_polls")
    if "pending_polls" not in body:
        raise ControlError(400, "give pending_polls: a count, or null to complete only when told")
    fake.pending_polls = int_field(body, "pending_polls", default=None, minimum=0)
    return {"pending_polls": fake.pending_polls}


def _advance_clock(fake: FakeProvider[Any], body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "seconds")
    fake.clock.advance(float(seconds_field(body, "seconds")))
    return {"now": fake.clock.now().isoformat()}


# -- reading a control body -------------------------------------------------------------------


def _json_body(request: FakeRequest) -> Body:
    if not request.body.strip():
        return {}
    try:
        body = wire_json.loads(request.body)
    except ValueError as error:
        raise ControlError(400, f"the body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise ControlError(400, "the body must be a JSON object")
    return body


def only_fields(body: Body, *allowed: str) -> None:
    """Refuse a body with fields the endpoint does not take (a typo must not pass silently)."""
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ControlError(400, f"unknown fields {unknown}; this endpoint takes {sorted(allowed)}")


def text_field(body: Body, name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise ControlError(400, f"{name} must be a non-empty string")
    return value


def optional_text(body: Body, name: str) -> str | None:
    return text_field(body, name) if body.get(name) is not None else None


def amount_field(body: Body, name: str = "amount") -> Amount:
    return Amount.parse(text_field(body, name))


def int_field(
    body: Body, name: str, *, default: int | None, minimum: int, maximum: int | None = None
) -> Any:
    value = body.get(name, default)
    if value is None:
        return None
    # JSON numbers arrive as Decimal; a whole one counts as an int, true/false do not.
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ControlError(400, f"{name} must be an integer, got {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"{minimum} to {maximum}" if maximum is not None else f"at least {minimum}"
        raise ControlError(400, f"{name} must be {bound}, got {value}")
    return value


def seconds_field(body: Body, name: str) -> Decimal:
    value = body.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= MAX_SECONDS:
        raise ControlError(400, f"{name} must be a number of seconds from 0 to {MAX_SECONDS}")
    return value


def _key_message(error: KeyError) -> str:
    (key,) = error.args or ("?",)
    return key if isinstance(key, str) and " " in key else f"unknown {key!r}"
