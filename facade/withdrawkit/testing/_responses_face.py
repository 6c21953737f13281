"""The in-process face: a fake mounted on ``responses``, so ``requests`` never opens a socket.

Needs the optional ``responses`` package (``pip install 'withdrawkit[testing]'``); only this
module imports it, so the loopback face and the fakes themselves work with the stdlib alone.

A mock that a fake is mounted on still lets requests to the fakes served on loopback through
(``fake_onekonto`` and ``fake_ripio_server`` in one test): ``responses`` patches every
``requests`` call of the process, and would otherwise refuse the loopback fake's requests as
unmatched. Any other URL stays refused.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.client import RemoteDisconnected
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import ProtocolError

from withdrawkit.testing._exchange import (
    DropConnection,
    FakeRequest,
    FakeResponse,
    LateResponse,
    Outcome,
)

if TYPE_CHECKING:
    import responses

__all__ = ["load_responses", "mount", "passed_through", "shared_mock"]

Handler = Callable[[FakeRequest], Outcome]
_Answer = tuple[int, Mapping[str, str], bytes]


def load_responses() -> Any:
    """The ``responses`` module, or an ImportError that says how to install it."""
    try:
        import responses  # noqa: PLC0415 - optional dependency, imported on first use
    except ImportError as missing:
        raise ImportError(
            "withdrawkit.testing's in-process face (fake.mock(), fake.mount(), the fake_onekonto "
            "and fake_ripio fixtures) needs the 'responses' package: "
            "pip install 'withdrawkit[testing]'. The loopback face (fake.serve()) needs only "
            "the standard library."
        ) from missing
    return responses


# The mocks that fake.mock() started, innermost last. ``responses`` patches requests once per
# active mock and only the innermost one answers, so fakes used together share one mock.
_started: list[responses.RequestsMock] = []


@contextmanager
def shared_mock() -> Iterator[responses.RequestsMock]:
    """The ``RequestsMock`` a fake should mount on: the active one, or a new one started here."""
    if _started:
        yield _started[-1]
        return
    responses_module = load_responses()
    with responses_module.RequestsMock(assert_all_requests_are_fired=False) as mock:
        _started.append(mock)
        try:
            yield mock
        finally:
            _started.remove(mock)


# The mocks fakes are mounted on (once per mounted fake) and the URL prefixes of the fakes being
# served on loopback: every such mock passes every such prefix through to the real socket.
_passthrough_lock = threading.Lock()
_mounted_on: list[responses.RequestsMock] = []
_served_prefixes: list[str] = []


@contextmanager
def passed_through(base_url: str) -> Iterator[None]:
    """While in this block, mocks that fakes are mounted on let requests to ``base_url`` through."""
    prefix = f"{base_url.rstrip('/')}/"  # requests always sends a path: ":8080" is not ":80801"
    with _passthrough_lock:
        _served_prefixes.append(prefix)
        for mock in _mounted_on:
            _let_through(mock, prefix)
    try:
        yield
    finally:
        with _passthrough_lock:
            _served_prefixes.remove(prefix)
            for mock in _mounted_on:
                _stop_letting_through(mock, prefix)


def _let_through(mock: responses.RequestsMock, prefix: str) -> None:
    if prefix not in mock.passthru_prefixes:
        mock.add_passthru(prefix)


def _stop_letting_through(mock: responses.RequestsMock, prefix: str) -> None:
    mock.passthru_prefixes = tuple(kept for kept in mock.passthru_prefixes if kept != prefix)


def mount(mock: responses.RequestsMock, base_url: str, handle: Handler) -> Callable[[], None]:
    """Route every request under ``base_url``, whatever its method, to ``handle``.

    Requests to the fakes served on loopback pass through ``mock`` while it has a fake mounted.
    Returns the function that takes the routes off ``mock`` again.
    """
    base = base_url.rstrip("/")
    base_path = urlsplit(base).path
    pattern = re.compile(rf"^{re.escape(base)}(?:[/?].*)?$")

    def callback(prepared: requests.PreparedRequest) -> _Answer:
        url = urlsplit(str(prepared.url))
        path = url.path[len(base_path) :] if base_path else url.path
        request = FakeRequest.build(
            str(prepared.method),
            path or "/",
            query_string=url.query,
            headers=dict(prepared.headers),
            body=prepared.body,
        )
        outcome = handle(request)
        return _answer(outcome, prepared)

    # Every method reaches the fake, QUERY and PROPFIND too (requests sends any): the fake
    # refuses those its provider does not serve as the provider does, as the loopback face does.
    route = _any_method_route(pattern, callback)
    mock.add(route)
    with _passthrough_lock:
        _mounted_on.append(mock)
        for prefix in _served_prefixes:
            _let_through(mock, prefix)

    def unmount() -> None:
        mock.remove(route)
        with _passthrough_lock:
            _mounted_on.remove(mock)
            if mock not in _mounted_on:
                for prefix in _served_prefixes:
                    _stop_letting_through(mock, prefix)

    return unmount


def _any_method_route(
    pattern: re.Pattern[str], callback: Callable[[requests.PreparedRequest], _Answer]
) -> responses.BaseResponse:
    """A ``responses`` route answering every method under ``pattern`` (its own routes match
    one method each)."""
    return cast("responses.BaseResponse", _any_method_route_class()("GET", pattern, callback))


@functools.cache
def _any_method_route_class() -> type[Any]:
    # Built on first use: responses is an optional dependency, imported only here.
    base = load_responses().CallbackResponse
    return type("AnyMethodRoute", (base,), {"matches": _url_matches_only})


def _url_matches_only(
    route: responses.CallbackResponse, request: requests.PreparedRequest
) -> tuple[bool, str]:
    if isinstance(route.url, re.Pattern) and route.url.match(str(request.url)):
        return True, ""
    return False, "URL does not match"


def _answer(outcome: Outcome, prepared: requests.PreparedRequest) -> _Answer:
    if isinstance(outcome, DropConnection):
        # What requests raises when a real server closes the socket without answering.
        raise requests.ConnectionError(
            ProtocolError(
                "Connection aborted.",
                RemoteDisconnected("Remote end closed connection without response"),
            ),
            request=prepared,
        )
    if isinstance(outcome, LateResponse):
        read_timeout = _read_timeout(prepared)
        if read_timeout is not None and outcome.seconds > read_timeout:
            raise requests.ReadTimeout(
                f"Read timed out. (read timeout={read_timeout})", request=prepared
            )
        # No sleep: an answer in time is an answer, and in-process tests stay fast.
        outcome = outcome.response
    return _as_tuple(outcome, head=prepared.method == "HEAD")


def _as_tuple(response: FakeResponse, *, head: bool = False) -> _Answer:
    # A HEAD answer has a GET's headers and no body, as the loopback face writes it.
    return response.status, dict(response.headers), b"" if head else response.body


def _read_timeout(prepared: requests.PreparedRequest) -> float | None:
    """The read timeout the caller gave ``requests`` (``responses`` keeps the send kwargs)."""
    timeout = getattr(prepared, "req_kwargs", {}).get("timeout")
    if isinstance(timeout, tuple):
        timeout = timeout[1]
    return float(timeout) if timeout is not None else None
