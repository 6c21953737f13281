"""One attempt at a request, and what its end becomes for the caller.

``Attempt`` is what logs, retries and exceptions say about one sending of a request (its
method, masked URL and number). The functions turn the end of an attempt into the value of a
2xx answer, or into the exception for an unreadable 2xx, a redirect withdrawkit does not
follow, a 5xx to a money-moving request, or a failed send that is not retried; each message
names the masked URL, warns when a money-moving request may have been applied, and keeps of a
secret answer only its shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Final, NamedTuple

import requests

from withdrawkit._exceptions import (
    ALREADY_ACCEPTED,
    APIError,
    OutcomeUnknown,
    TransportError,
    UnexpectedResponse,
)
from withdrawkit._redaction import redact_text, redact_url, shape_of
from withdrawkit._redirects import READ_METHODS, redirect_target, same_origin
from withdrawkit._response_body import Body, Received
from withdrawkit._retry import Delivery
from withdrawkit._secrets import Sealed

__all__ = [
    "Attempt",
    "failed_send",
    "outcome_unknown",
    "redirected",
    "success_value",
    "without_tracebacks",
]

_NO_CONTENT: Final = frozenset({204, 205})


class _AttemptFields(NamedTuple):
    method: str
    url: str  # secrets masked: this is the URL logs and exceptions show
    number: int
    of: int
    moves_money: bool
    secret_response: bool
    reference: str | None  # what a request that moves money can be looked up by
    started: float


class Attempt(_AttemptFields):
    """One sending of a request: what logs, retries and exceptions say about it.

    A named tuple, not an attrs class: the transport is built with every client, and
    constructing a client does not import attrs.
    """

    __slots__ = ()

    def __new__(  # noqa: PLR0917 - the fields of one record
        cls,
        method: str,
        url: str,
        number: int,
        of: int,
        moves_money: bool,
        secret_response: bool = False,
        reference: str | None = None,
        started: float | None = None,
    ) -> Attempt:
        began = time.monotonic() if started is None else started
        fields = (method, url, number, of, moves_money, secret_response, reference, began)
        return super().__new__(cls, *fields)

    @property
    def is_last(self) -> bool:
        return self.number >= self.of

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.of}"


def success_value(
    received: Received, status: int, attempt: Attempt, decode: Callable[[bytes], Any] | None = None
) -> Any:
    """The decoded JSON of a 2xx answer (None for a 204 or 205), else ``UnexpectedResponse``;
    that of a secret answer in a ``Sealed``.

    ``decode``, when given, reads the body bytes first and its value is returned, with no JSON
    values built. When it raises ValueError (or RecursionError) the body is read as without
    it, so a body ``decode`` refuses gives the same JSON value, or the same exception, as ever.
    """
    if status in _NO_CONTENT:
        return None
    if decode is not None:
        try:
            return decode(received.content)
        except (ValueError, RecursionError):
            pass
    body = received.body()
    if body.problem is None:
        # A credential answer is sealed the moment it is decoded: no frame holds it in the clear.
        return Sealed(body.json) if attempt.secret_response else body.json
    accepted = f" {ALREADY_ACCEPTED}" if attempt.moves_money else ""
    raise UnexpectedResponse(
        f"{attempt.method} {attempt.url}: {body.problem} where JSON was expected.{accepted}",
        http_status=status,
        body=_kept_text(body, attempt),
    )


def redirected(response: requests.Response, body: Body, attempt: Attempt) -> UnexpectedResponse:
    """The exception for a 3xx withdrawkit does not follow, naming its target (masked)."""
    target = redirect_target(response)
    shown = redact_url(target) if target else "nowhere"
    called = f"{attempt.method} {attempt.url}"
    if target and not same_origin(target, response.url or attempt.url):
        reason = (
            f"{called} was redirected to another origin, {shown}; withdrawkit never follows "
            "a redirect away from base_url's scheme, host and port (an answer from there "
            "would be believed as the API's)"
        )
    elif response.status_code == 303 and attempt.moves_money:
        reason = f"{called} was answered 303 See Other, pointing to {shown}. {ALREADY_ACCEPTED}"
    elif target is None:
        reason = f"{called} was answered with a redirect that names no Location to follow"
    else:
        why = _why_not_followed(response.status_code, attempt.method)
        reason = (
            f"{called} was redirected to {shown}, which withdrawkit does not follow for a "
            f"{attempt.method} ({why}); check base_url and the path's trailing slash"
        )
    return UnexpectedResponse(
        reason, http_status=response.status_code, body=_kept_text(body, attempt)
    )


def _why_not_followed(status: int, method: str) -> str:
    if method in READ_METHODS:
        return f"HTTP {status} is not a redirect it follows"
    if status in (307, 308):  # these keep the method and body: following sends the write again
        return "following it would send the same request a second time, to another address"
    return "following it would re-send it as a GET, without its body"


def _kept_text(body: Body, attempt: Attempt) -> str:
    """What an exception keeps of an answer's text: masked, or only its shape if secret."""
    return shape_of(body.text) if attempt.secret_response else redact_text(body.text)


def outcome_unknown(refusal: APIError, status: int, attempt: Attempt) -> OutcomeUnknown:
    """A 5xx to a money-moving request: a gateway that timed out waiting for the application
    (502/503/504), or an application that failed (500) after or before applying it."""
    return OutcomeUnknown(
        f"{attempt.method} {attempt.url}: the server answered HTTP {status} "
        f"({refusal.summary}), which does not tell whether it applied the request; it was not "
        f"sent again. {_look_up(attempt)}",
        method=attempt.method,
        url=attempt.url,
        http_status=status,
        body=refusal.body,
        reference=attempt.reference,
    )


def _look_up(attempt: Attempt) -> str:
    by = f" by {attempt.reference!r}" if attempt.reference is not None else ""
    return f"Look the operation up{by} before trying again."


def failed_send(what: str, delivery: Delivery, attempt: Attempt) -> TransportError:
    """The exception for a send that failed (``what`` says how) and is not sent again:
    ``OutcomeUnknown`` if a money-moving request may have been applied, else ``TransportError``."""
    if delivery.maybe_sent and attempt.moves_money:
        return OutcomeUnknown(
            f"{attempt.method} {attempt.url}: {what}. The server may or may not have applied "
            f"it; it was not sent again. {_look_up(attempt)}",
            method=attempt.method,
            url=attempt.url,
            reference=attempt.reference,
        )
    tries = f", {attempt.number} attempts made" if attempt.number > 1 else ""
    outcome = ""
    if not delivery.maybe_sent:
        # A money-moving request got here only if no attempt reached the server.
        which = "It" if attempt.moves_money or attempt.number == 1 else "The last attempt"
        outcome = f" {which} never reached the server."
    return TransportError(
        f"{attempt.method} {attempt.url}: {what}{tries}.{outcome}",
        method=attempt.method,
        url=attempt.url,
    )


def without_tracebacks(failure: BaseException) -> BaseException:
    """``failure`` and every exception it was raised from, their tracebacks dropped: the
    frames of requests and urllib3 hold the request's headers (its Authorization) and form
    body (a client secret) as locals, which ``capture_locals`` tracebacks would show. Their
    text, the root cause's included, is kept."""
    seen: set[int] = set()
    current: BaseException | None = failure
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__
    return failure
