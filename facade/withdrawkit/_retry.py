"""The retry policy: which failures may be sent again, and how long to wait first.

A read (GET, login, token) is retried after any transport failure and after 429/502/503/504.
A request that moves money is retried only when it certainly never reached the server: the
connection was never established (refused, DNS failure, connect timeout). Anything later
(a read timeout, a connection dropped mid-response, a response too slow or too large to read
whole) may have been applied: it is reported as ``OutcomeUnknown`` by the transport and never
re-sent.
"""

from __future__ import annotations

import enum
import random
import ssl
from collections.abc import Callable
from decimal import Decimal
from typing import Final

import requests
import urllib3.exceptions

from withdrawkit._response_body import ResponseDeadlineExceeded, ResponseTooLarge

__all__ = [
    "BACKOFF_BASE_SECONDS",
    "BACKOFF_CAP_SECONDS",
    "MAX_RETRY_AFTER_SECONDS",
    "RETRYABLE_STATUSES",
    "Delivery",
    "backoff_delay",
    "classify_failure",
    "describe_failure",
    "status_retry_delay",
]

# Statuses a read is retried after: rate limited, or a gateway that could not reach the app.
RETRYABLE_STATUSES: Final = frozenset({429, 502, 503, 504})
BACKOFF_BASE_SECONDS: Final = 0.5
BACKOFF_CAP_SECONDS: Final = 8.0
# A longer Retry-After is not slept through: the caller (a web request, a Celery task) is better
# placed to reschedule, and gets RateLimited.retry_after to do so.
MAX_RETRY_AFTER_SECONDS: Final = 10.0


class Delivery(enum.Enum):
    """Whether a failed request can have reached the server, and whether to send it again."""

    NOT_SENT = "never reached the server"
    NOT_SENT_FINAL = "never reached the server, and sending again cannot help"
    MAYBE_SENT = "may have reached the server"
    MAYBE_SENT_FINAL = "may have reached the server, and sending again cannot help"

    @property
    def maybe_sent(self) -> bool:
        """The server may have received (and applied) the request."""
        return self in {Delivery.MAYBE_SENT, Delivery.MAYBE_SENT_FINAL}

    @property
    def final(self) -> bool:
        """Sending the request again would fail the same way: no retry, even of a read."""
        return self in {Delivery.NOT_SENT_FINAL, Delivery.MAYBE_SENT_FINAL}


# Request-building failures: nothing left this process and nothing will on a second try.
_INVALID_REQUEST: Final = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidHeader,
    requests.exceptions.URLRequired,
)
# Failures after the server answered that another attempt would meet again: a redirect loop
# (every hop was a request the server received) or an answer too large to read.
_ANSWERED_BADLY: Final = (requests.exceptions.TooManyRedirects, ResponseTooLarge)


# urllib3 2 tells a failed DNS lookup apart (a NewConnectionError subclass); urllib3 1.26,
# which requests still accepts, raises a plain NewConnectionError for it.
_NAME_RESOLUTION_ERRORS: Final[tuple[type[BaseException], ...]] = (
    (urllib3.exceptions.NameResolutionError,)
    if hasattr(urllib3.exceptions, "NameResolutionError")
    else ()
)


def _wrapped(error: BaseException) -> BaseException | None:
    """The urllib3 error a requests exception wraps (MaxRetryError unwrapped to its reason)."""
    inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else None
    if isinstance(inner, urllib3.exceptions.MaxRetryError):
        inner = inner.reason
    if isinstance(inner, urllib3.exceptions.ProxyError):
        inner = inner.original_error
    return inner


def classify_failure(error: BaseException) -> Delivery:
    """Whether the request that failed with ``error`` can have reached the server.

    ``requests`` raises ``ConnectionError`` both when no connection could be made (safe to
    resend) and when one dropped mid-request (not safe), so the wrapped urllib3 error decides:
    only ``NewConnectionError`` (and its ``NameResolutionError``) and ``ConnectTimeoutError``
    prove that no byte of the request was sent. A certificate the client rejected stops the
    TLS handshake before the request too. Everything else may have been applied.
    """
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return Delivery.NOT_SENT
    if isinstance(error, _ANSWERED_BADLY):
        return Delivery.MAYBE_SENT_FINAL
    if isinstance(error, _INVALID_REQUEST):
        return Delivery.NOT_SENT_FINAL
    if isinstance(error, requests.exceptions.ConnectionError):
        inner = _wrapped(error)
        if isinstance(inner, urllib3.exceptions.ConnectTimeoutError):  # NewConnectionError too
            return Delivery.NOT_SENT
        if isinstance(inner, urllib3.exceptions.SSLError) and _is_rejected_certificate(inner):
            return Delivery.NOT_SENT_FINAL
    return Delivery.MAYBE_SENT


def _is_rejected_certificate(error: urllib3.exceptions.SSLError) -> bool:
    return any(isinstance(arg, ssl.SSLCertVerificationError) for arg in error.args)


# Failure kinds in the order they are tested: ConnectTimeout and SSLError are also
# ConnectionErrors, which _connection_failure tells apart by what they wrap.
_KINDS: Final[tuple[tuple[type[BaseException], str], ...]] = (
    (requests.exceptions.ConnectTimeout, "connect timed out"),
    (requests.exceptions.ReadTimeout, "read timed out"),
    (requests.exceptions.SSLError, "TLS failed"),
    (requests.exceptions.ChunkedEncodingError, "connection dropped while reading the response"),
    (requests.exceptions.ContentDecodingError, "the response could not be decoded"),
    (requests.exceptions.TooManyRedirects, "too many redirects"),
)


def describe_failure(error: BaseException) -> str:
    """A short account of a transport failure for exception text (it holds no URL or header)."""
    return f"{_kind_of(error)} ({_root_cause(error)})"


def _kind_of(error: BaseException) -> str:
    if isinstance(error, (ResponseDeadlineExceeded, ResponseTooLarge)):
        return str(error)
    for cls, kind in _KINDS:
        if isinstance(error, cls):
            return kind
    if isinstance(error, requests.exceptions.ConnectionError):
        return _connection_failure(_wrapped(error))
    return "request failed"


def _connection_failure(inner: BaseException | None) -> str:
    if isinstance(inner, _NAME_RESOLUTION_ERRORS):
        return "host name did not resolve"
    if isinstance(inner, urllib3.exceptions.NewConnectionError):
        return "could not connect"
    if isinstance(inner, urllib3.exceptions.ConnectTimeoutError):
        return "connect timed out"
    if isinstance(inner, urllib3.exceptions.ReadTimeoutError):
        return "read timed out"
    return "connection dropped"


def _root_cause(error: BaseException) -> str:
    """The innermost error's type and OS text (``ConnectionRefusedError: [Errno 111] Connection
    refused``); the wrappers' own text quotes the URL and the pool, so it is not used."""
    current = error
    for _ in range(10):  # bounded: a chain can loop back on itself
        inner = _wrapped(current) or _inner(current)
        if inner is None or inner is current:
            break
        current = inner
    if isinstance(current, OSError) and current.strerror:
        errno = f"[Errno {current.errno}] " if current.errno is not None else ""
        return f"{type(current).__name__}: {errno}{current.strerror}"
    return type(current).__name__


def _inner(error: BaseException) -> BaseException | None:
    for arg in error.args:
        if isinstance(arg, BaseException):
            return arg
    return error.__cause__ or error.__context__


def backoff_delay(retry_number: int, *, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before retry ``retry_number`` (1, 2, ...): exponential with jitter.

    Half the exponential step is fixed and half is random ("equal jitter"), so clients that
    failed together do not retry together, and no retry comes sooner than half its step.
    """
    step = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** (retry_number - 1))
    return step / 2 + rand() * step / 2


def status_retry_delay(
    retry_number: int,
    retry_after: Decimal | None,
    *,
    rand: Callable[[], float] = random.random,
) -> float | None:
    """Seconds to wait before retrying a read the server answered 429/502/503/504, or ``None``
    when its ``Retry-After`` is longer than withdrawkit will wait."""
    if retry_after is None:
        return backoff_delay(retry_number, rand=rand)
    if retry_after > Decimal(str(MAX_RETRY_AFTER_SECONDS)):
        return None
    return float(retry_after)
