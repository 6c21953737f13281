"""``Transport``: the one place withdrawkit talks HTTP, through a ``requests.Session``.

It joins paths to a validated base URL, sends every request with a finite timeout and a
``User-Agent``, writes JSON bodies with every decimal digit, reads JSON answers as exact
Decimals, retries by the policy of ``withdrawkit._retry``, turns error responses into
exceptions through the provider's table, and logs requests and responses at DEBUG on the
``withdrawkit._transport`` logger with secrets masked.

Every answer is read whole under two limits: an overall deadline, the connect and read
timeouts added together (``timeout=(5, 30)``: 35 s), measured from the moment the request is
sent to the last byte of the body; and a size cap (``MAX_RESPONSE_BYTES``, 10 MiB of decoded
body). The read timeout alone bounds each wait for the next bytes, so a server trickling a
byte at a time could otherwise hold a call for ever. The deadline is checked between reads of
the body, each of which waits at most the read timeout; the status line and headers are read
by urllib3 under the read timeout alone. Past either limit a money-moving request raises
``OutcomeUnknown``, any other request ``TransportError`` (a read past the deadline is retried
like a read timeout first).
"""

from __future__ import annotations

import enum
import http.client
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import TracebackType
from typing import Any, Final, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import attrs
import requests
import requests.adapters
import urllib3.exceptions
import urllib3.response
from urllib3.util.retry import Retry

from withdrawkit import _wire_json as wire_json
from withdrawkit._decimals import plain_text
from withdrawkit._error_mapping import ErrorResponse
from withdrawkit._exceptions import (
    ALREADY_ACCEPTED,
    APIError,
    OutcomeUnknown,
    TransportError,
    UnexpectedResponse,
)
from withdrawkit._redaction import (
    redact_headers,
    redact_json,
    redact_text,
    redact_url,
    shape_of,
)
from withdrawkit._retry import (
    RETRYABLE_STATUSES,
    ResponseDeadlineExceeded,
    ResponseTooLarge,
    backoff_delay,
    classify_failure,
    describe_failure,
    status_retry_delay,
)
from withdrawkit._version import __version__

__all__ = ["DEFAULT_TIMEOUT", "MAX_RESPONSE_BYTES", "USER_AGENT", "Transport", "query_value"]

T = TypeVar("T")

# (connect, read) seconds. Connecting outlasts two lost SYNs (resent at 1 s and 3 s) and a
# connect timeout is always safe to retry; reading allows for a slow withdrawal endpoint.
DEFAULT_TIMEOUT: Final[tuple[float, float]] = (5.0, 30.0)
USER_AGENT: Final = f"withdrawkit/{__version__} python-requests/{requests.__version__}"
MAX_RETRIES_LIMIT: Final = 10
# The largest answer body read (decoded); a larger one is a failure, not a MemoryError.
MAX_RESPONSE_BYTES: Final = 10 * 1024 * 1024

logger = logging.getLogger("withdrawkit._transport")

_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
# A redirected POST is re-sent by requests as a GET without its body, so only reads follow.
_FOLLOWS_REDIRECTS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_NO_CONTENT: Final = frozenset({204, 205})
# Everything sending and reading the answer can raise. requests' exceptions are OSErrors;
# urllib3 and http.client errors can escape it in rare paths (a malformed status line, an
# undecodable header); the last two are the limits on reading the body.
_SEND_FAILURES: Final = (
    OSError,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ResponseDeadlineExceeded,
    ResponseTooLarge,
)
# The body is read by withdrawkit, a piece at a time, so the deadline can be checked between
# pieces. read1 (urllib3 >= 2.3) returns what one socket read brings, up to this much; an older
# urllib3 has only read(), which waits for the whole piece, so its pieces are small.
_READ_CHUNK_BYTES: Final = 64 * 1024
_FALLBACK_READ_CHUNK_BYTES: Final = 1024
_CONTENT_LENGTH: Final = re.compile(r"[0-9]+")
# requests' own default for an HTTPAdapter: urllib3 re-sends nothing, whatever failed.
_NO_ADAPTER_RETRIES: Final = Retry(0, read=False)
# What requests accepts as a header value (requests.utils.check_header_validity).
_VALID_HEADER_VALUE: Final = re.compile(r"(?:\S[^\r\n]*)?")
_LOG_BODY_CHARS: Final = 4000
_CHARSET: Final = re.compile(r"charset\s*=\s*\"?(?P<charset>[\w.:-]+)", re.IGNORECASE | re.ASCII)
# Left unescaped in query strings: 1Konto's docs write "assetPairs=USDT/USD,USDC/USD".
_QUERY_SAFE: Final = "/,"


@attrs.frozen
class _Attempt:
    """One sending of a request: what logs, retries and exceptions say about it."""

    method: str
    url: str  # secrets masked: this is the URL logs and exceptions show
    number: int
    of: int
    moves_money: bool
    secret_response: bool = False
    started: float = attrs.field(factory=time.monotonic)

    @property
    def is_last(self) -> bool:
        return self.number >= self.of

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.of}"


@attrs.frozen
class _Body:
    """A response body read once, for the caller, the error table and the log alike."""

    text: str
    json: object = None
    problem: str | None = None  # why it is not JSON; None when ``json`` holds the decoded body


class Transport:
    """HTTP for one client: ``request(...)`` returns the decoded JSON of a 2xx answer.

    ``timeout`` is (connect, read) seconds; ``max_retries`` is how many times a failed read
    is sent again (see ``withdrawkit._retry`` for what is retried when ``moves_money``);
    ``sleep`` waits between attempts. A ``session`` given by the caller is used as it is
    (its adapters, proxies and certificates) and is left open by ``close()``, with one
    exception: a money-moving request is sent through copies of its adapters that urllib3
    never re-sends from (see ``_without_adapter_retries``).
    """

    def __init__(
        self,
        base_url: str,
        *,
        provider: str,
        map_error: Callable[[ErrorResponse], APIError],
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        max_retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not isinstance(provider, str) or not provider.strip():
            raise ValueError("provider must name the API, e.g. 'Ripio'")
        if not callable(map_error) or not callable(sleep):
            raise TypeError("map_error and sleep must be callables")
        self._base_url = _validated_base_url(base_url)
        self._provider = provider
        self._map_error = map_error
        self._timeout = _validated_timeout(timeout)
        self._max_retries = _validated_max_retries(max_retries)
        self._sleep = sleep
        self._owns_session = session is None
        self._session = requests.Session() if session is None else session

    @property
    def base_url(self) -> str:
        """The base URL, without a trailing slash."""
        return self._base_url

    @property
    def provider(self) -> str:
        return self._provider

    @property
    def timeout(self) -> tuple[float, float]:
        return self._timeout

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        json_body: object = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        moves_money: bool = False,
        secret_response: bool = False,
    ) -> Any:
        """Send ``method path`` and return the decoded JSON of a 2xx answer (None for a 204).

        ``params`` values may be str, int, Decimal, bool, enums or lists of them; ``None``
        values are left out. ``json_body`` is written with every decimal digit; ``form`` is
        sent urlencoded. Set ``moves_money`` for a request that creates a withdrawal, order
        or quote acceptance: it is then never sent twice unless the first attempt certainly
        did not reach the server, and a 5xx answer to it is ``OutcomeUnknown``. Set
        ``secret_response`` for a request whose answer is a credential (a login, a token):
        of its answer only the shape (keys and value types) is logged or kept in an
        exception, never a value.

        Raises the provider's ``APIError`` subclass for an error answer, ``UnexpectedResponse``
        for an unreadable one, ``OutcomeUnknown`` when a money-moving request may or may not
        have been applied, and ``TransportError`` when the request could not be completed
        (or could not even be built, e.g. a header value with a line break).
        """
        method = _validated_method(method)
        if json_body is not None and form is not None:
            raise ValueError("send either json_body or form, not both")
        prepared = self._prepare(
            method, path, params=params, json_body=json_body, form=form, headers=headers
        )
        url = redact_url(prepared.url or "")
        session = _without_adapter_retries(self._session) if moves_money else self._session
        attempts = self._max_retries + 1
        for number in range(1, attempts + 1):
            attempt = _Attempt(method, url, number, attempts, moves_money, secret_response)
            self._log_request(prepared, attempt, json_body, form)
            try:
                response, body = self._exchange(session, prepared, attempt)
            except _SEND_FAILURES as failure:
                self._after_failure(failure, attempt)
                continue
            self._log_response(response, body, attempt)
            status = response.status_code
            if 200 <= status <= 299:
                return _success_value(body, status, attempt)
            if 300 <= status <= 399 and method not in _FOLLOWS_REDIRECTS:
                raise _redirected(response, body, attempt)
            answer = ErrorResponse(
                http_status=status,
                headers=_header_dict(response.headers),
                body_text=body.text,
                body_json=body.json,
            )
            refusal = self._map_error(answer)
            if moves_money and 500 <= status <= 599:
                raise _outcome_unknown(refusal, status, attempt) from refusal
            if not moves_money and status in RETRYABLE_STATUSES and not attempt.is_last:
                delay = status_retry_delay(number, answer.retry_after)
                if delay is not None:
                    self._pause(delay, f"HTTP {status}", attempt)
                    continue
            raise refusal
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    def close(self) -> None:
        """Close the session this transport created; a session the caller passed stays open."""
        if self._owns_session:
            self._session.close()

    def __enter__(self) -> Transport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Transport provider={self._provider!r} base_url={self._base_url!r}>"

    # -- one attempt -----------------------------------------------------------------------------

    def _prepare(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None,
        json_body: object,
        form: Mapping[str, str] | None,
        headers: Mapping[str, str] | None,
    ) -> requests.PreparedRequest:
        request_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        data: bytes | dict[str, str] | None = None
        if json_body is not None:
            data = wire_json.dumps(json_body).encode("utf-8")
            request_headers["Content-Type"] = "application/json"
        elif form is not None:
            data = _form_fields(form)
        request_headers.update(headers or {})
        url = self._url(path)
        query = _query_string(params)
        if query:
            url = f"{url}?{query}"
        request = requests.Request(method, url, headers=request_headers, data=data)
        try:
            return self._session.prepare_request(request)
        except (requests.exceptions.RequestException, ValueError) as error:
            # requests' text quotes the offending header value, which may be a token.
            problem = _unpreparable(error, request_headers, self._session.headers)
        # Raised outside the except block: not even __context__ keeps requests' exception.
        shown = redact_url(url)
        raise TransportError(
            f"{method} {shown}: the request could not be built ({problem}). "
            "It never reached the server.",
            method=method,
            url=shown,
        )

    def _url(self, path: str) -> str:
        if not isinstance(path, str) or not path.strip("/ "):
            raise ValueError(
                f"path must name an endpoint such as '/api/v1/withdrawals/', got {path!r}"
            )
        if "://" in path or path.startswith("//"):
            raise ValueError("path must be relative to base_url; absolute URLs are refused")
        if "?" in path or "#" in path:
            raise ValueError("put query parameters in params=, not in the path")
        if any(segment in {".", ".."} for segment in path.split("/")):
            raise ValueError(f"path must not contain '.' or '..' segments: {path!r}")
        return f"{self._base_url}/{path.lstrip('/')}"

    def _exchange(
        self, session: requests.Session, prepared: requests.PreparedRequest, attempt: _Attempt
    ) -> tuple[requests.Response, _Body]:
        """Send once and read the whole answer: every failure of either is raised from here."""
        deadline = attempt.started + self._timeout[0] + self._timeout[1]
        response = self._send(session, prepared)
        try:
            content = _read_content(response, deadline=deadline, limit=MAX_RESPONSE_BYTES)
        finally:
            # After a complete read urllib3 has already put the connection back in its pool;
            # after a failed one this closes it, so its unread rest is never read as an answer.
            response.close()
        return response, _body_of(content, response.headers.get("Content-Type", ""))

    def _send(
        self, session: requests.Session, prepared: requests.PreparedRequest
    ) -> requests.Response:
        # What Session.request does after preparing: proxies and CA bundle from the environment.
        settings = self._session.merge_environment_settings(prepared.url, {}, None, None, None)
        # Whatever the session's own setting, the body is left on the socket for _read_content,
        # which reads it under the deadline and the size cap, inside the failure handling.
        settings["stream"] = True
        return session.send(
            prepared,
            timeout=self._timeout,
            allow_redirects=prepared.method in _FOLLOWS_REDIRECTS,
            **settings,
        )

    def _after_failure(self, failure: BaseException, attempt: _Attempt) -> None:
        """Raise for a failure that must not be retried, else wait before the next attempt."""
        delivery = classify_failure(failure)
        what = describe_failure(failure)
        logger.debug(
            "%s %s failed after %.3fs (%s): %s",
            attempt.method,
            attempt.url,
            attempt.elapsed(),
            attempt,
            what,
        )
        if delivery.maybe_sent and attempt.moves_money:
            raise OutcomeUnknown(
                f"{attempt.method} {attempt.url}: {what}. The server may or may not have applied "
                "it; it was not sent again. Look the operation up before trying again.",
                method=attempt.method,
                url=attempt.url,
            ) from failure
        if delivery.final or attempt.is_last:
            tries = f", {attempt.number} attempts made" if attempt.number > 1 else ""
            outcome = ""
            if not delivery.maybe_sent:
                # A money-moving request got here only if no attempt reached the server.
                which = "It" if attempt.moves_money or attempt.number == 1 else "The last attempt"
                outcome = f" {which} never reached the server."
            raise TransportError(
                f"{attempt.method} {attempt.url}: {what}{tries}.{outcome}",
                method=attempt.method,
                url=attempt.url,
            ) from failure
        self._pause(backoff_delay(attempt.number), what, attempt)

    def _pause(self, delay: float, reason: str, attempt: _Attempt) -> None:
        logger.info(
            "retrying %s %s in %.2fs after %s (attempt %d of %d)",
            attempt.method,
            attempt.url,
            delay,
            reason,
            attempt.number + 1,
            attempt.of,
        )
        self._sleep(delay)

    # -- logging ---------------------------------------------------------------------------------

    def _log_request(
        self,
        prepared: requests.PreparedRequest,
        attempt: _Attempt,
        json_body: object,
        form: Mapping[str, str] | None,
    ) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        if json_body is not None:
            shown = _json_for_log(json_body)
        elif form is not None:
            shown = _json_for_log(dict(form))
        else:
            shown = "none"
        logger.debug(
            "request %s %s (%s) headers=%s body=%s",
            attempt.method,
            attempt.url,
            attempt,
            redact_headers(_header_dict(prepared.headers)),
            shown,
        )

    def _log_response(self, response: requests.Response, body: _Body, attempt: _Attempt) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        if attempt.secret_response:
            shown = shape_of(body.json if body.problem is None else body.text)
        elif body.problem is None:
            shown = _json_for_log(body.json)
        else:
            shown = _text_for_log(body.text)
        logger.debug(
            "response %s %s -> %d in %.3fs (%s) headers=%s body=%s",
            attempt.method,
            attempt.url,
            response.status_code,
            attempt.elapsed(),
            attempt,
            redact_headers(_header_dict(response.headers)),
            shown,
        )


# -- arguments -------------------------------------------------------------------------------------


def _validated_base_url(base_url: str) -> str:
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a string, got {type(base_url).__name__}")
    if any(char.isspace() or not char.isprintable() for char in base_url):
        raise ValueError("base_url must not contain spaces or control characters")
    parts = urlsplit(base_url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValueError(
            f"base_url must be an http(s) URL with a host, such as 'https://api.example', "
            f"got {redact_url(base_url)!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise ValueError("base_url must not carry credentials; give them to the client instead")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url must not have a query or fragment: {redact_url(base_url)!r}")
    try:
        parts.port  # noqa: B018 - reading it validates the port
        requests.Request("GET", base_url).prepare()  # host names requests cannot encode
    except (ValueError, requests.exceptions.RequestException) as error:
        raise ValueError(f"base_url is not a usable URL: {redact_url(base_url)!r}") from error
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path.rstrip("/"), "", ""))


def _validated_timeout(timeout: tuple[float, float]) -> tuple[float, float]:
    if not isinstance(timeout, (tuple, list)) or len(timeout) != 2:
        raise TypeError(f"timeout must be a (connect_seconds, read_seconds) pair, got {timeout!r}")
    for name, seconds in zip(("connect", "read"), timeout, strict=True):
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float, Decimal)):
            raise TypeError(f"{name} timeout must be a number of seconds, got {seconds!r}")
        if not math.isfinite(seconds) or seconds <= 0:
            raise ValueError(f"{name} timeout must be finite and positive, got {seconds!r}")
    return (float(timeout[0]), float(timeout[1]))


def _validated_max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise TypeError(f"max_retries must be an int, got {max_retries!r}")
    if not 0 <= max_retries <= MAX_RETRIES_LIMIT:
        raise ValueError(
            f"max_retries must be between 0 and {MAX_RETRIES_LIMIT}, got {max_retries}"
        )
    return max_retries


def _validated_method(method: str) -> str:
    if not isinstance(method, str) or method.upper() not in _METHODS:
        raise ValueError(f"unsupported HTTP method {method!r}")
    return method.upper()


def _query_string(params: Mapping[str, object] | None) -> str:
    pairs: list[tuple[str, str]] = []
    for name, value in (params or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs.extend((name, query_value(name, item)) for item in values if item is not None)
    return urlencode(pairs, safe=_QUERY_SAFE)


def query_value(name: str, value: object) -> str:
    """How query parameter ``name`` writes ``value`` on the wire.

    An enum writes its value, a bool ``true``/``false``, a Decimal every digit without an
    exponent, an int and a str as they are; a float (which money never is) and anything else
    raise ``TypeError``.
    """
    if isinstance(value, enum.Enum):
        return query_value(name, value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return plain_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise TypeError(f"query parameter {name!r} is a float; pass a Decimal or a string")
    raise TypeError(f"query parameter {name!r} cannot be {type(value).__name__}")


def _unpreparable(error: Exception, *header_maps: Mapping[str, str | bytes]) -> str:
    """Why requests could not prepare a request, naming no header value (it may be a token)."""
    invalid = sorted(
        {
            str(name)
            for headers in header_maps
            for name, value in headers.items()
            if not _is_valid_header_value(value)
        }
    )
    if invalid:
        names = ", ".join(repr(name) for name in invalid)
        return (
            f"header {names} has a value HTTP does not allow (a line break, a leading space or "
            "not text); the value is not shown"
        )
    return f"requests refused it: {type(error).__name__}"


def _is_valid_header_value(value: object) -> bool:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return isinstance(value, str) and _VALID_HEADER_VALUE.fullmatch(value) is not None


def _form_fields(form: Mapping[str, str]) -> dict[str, str]:
    for name, value in form.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"form fields must be strings, got {name!r}: {type(value).__name__}")
    return dict(form)


# -- responses -------------------------------------------------------------------------------------


def _header_dict(headers: Mapping[str, str | bytes]) -> dict[str, str]:
    return {
        name: value.decode("latin-1") if isinstance(value, bytes) else value
        for name, value in headers.items()
    }


def _without_adapter_retries(session: requests.Session) -> requests.Session:
    """``session`` as it is, except that urllib3 never sends a request through it twice.

    Why: an ``HTTPAdapter``'s ``max_retries`` (a urllib3 ``Retry``) re-sends inside
    ``session.send()``, out of withdrawkit's sight. A ``Retry`` with ``allowed_methods=None``
    re-sends a POST after a read timeout or a dropped connection, and even the common
    ``HTTPAdapter(max_retries=3)``, whose default ``allowed_methods`` leaves POST out, re-sends
    any method after what urllib3 counts as an "other" error (TLS failing while the answer is
    read). Either is a withdrawal sent twice. So a money-moving request goes through copies of
    the session's adapters whose ``max_retries`` is requests' own default,
    ``Retry(0, read=False)``: urllib3 re-sends nothing, and withdrawkit's policy (re-send only
    what certainly never reached the server) decides alone.

    Copies, not changes and not a refusal: the caller's session may be in use by other
    threads, so setting ``max_retries`` on its adapters and back would race (and could leave a
    retrying adapter in place mid-withdrawal); refusing such sessions would refuse recipes that
    are fine for reads, and could not see an adapter mounted after the client was built. The
    copies are made for each money-moving request, so they always reflect the session as it is
    now. A copy shares everything else with its original: connection pools, TLS and proxy
    settings, its class and so any method it overrides; the session copy shares cookies,
    headers, auth and hooks. Adapters that are not ``HTTPAdapter`` have no urllib3 ``Retry``
    and are used as they are.
    """
    view = _shallow_copy(session)
    view.adapters = OrderedDict(
        (prefix, _without_retries(adapter)) for prefix, adapter in session.adapters.items()
    )
    return view


def _without_retries(
    adapter: requests.adapters.BaseAdapter,
) -> requests.adapters.BaseAdapter:
    if not isinstance(adapter, requests.adapters.HTTPAdapter):
        return adapter
    clone = _shallow_copy(adapter)
    clone.max_retries = _NO_ADAPTER_RETRIES
    return clone


def _shallow_copy(original: T) -> T:
    """A new object of the same class sharing every attribute of ``original``.

    Not ``copy.copy``: HTTPAdapter's and Session's pickling hooks, which it would use, copy
    only the attributes requests knows about, and HTTPAdapter's builds new connection pools.
    """
    clone: T = object.__new__(type(original))
    vars(clone).update(vars(original))
    return clone


def _read_content(response: requests.Response, *, deadline: float, limit: int) -> bytes:
    """The whole decoded body, read before ``deadline`` (a ``time.monotonic()`` value) and no
    larger than ``limit`` bytes; else ``ResponseDeadlineExceeded`` or ``ResponseTooLarge``."""
    if getattr(response, "_content_consumed", False) or response.raw is None:
        # Read already (by a response hook of the session), or from an adapter without a raw
        # stream: only the size can still be checked.
        content = response.content or b""
        if len(content) > limit:
            raise _too_large(limit)
        return content
    declared = response.headers.get("Content-Length", "").strip()
    if _CONTENT_LENGTH.fullmatch(declared) and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise ResponseDeadlineExceeded(
                "the response did not arrive whole within the connect and read timeouts "
                "added together"
            )
        chunk = _read_piece(response.raw)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)


def _read_piece(raw: urllib3.response.HTTPResponse) -> bytes:
    """The next piece of the decoded body (b"" at its end), after at most one wait of the read
    timeout; urllib3's errors are raised as the requests exceptions ``iter_content`` raises."""
    try:
        read1 = getattr(raw, "read1", None)
        if read1 is not None:
            piece: bytes = read1(_READ_CHUNK_BYTES, decode_content=True)
            return piece
        return raw.read(_FALLBACK_READ_CHUNK_BYTES, decode_content=True)  # urllib3 < 2.3
    except urllib3.exceptions.ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(error) from error
    except urllib3.exceptions.DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from error
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from error
    except urllib3.exceptions.SSLError as error:
        raise requests.exceptions.SSLError(error) from error


def _too_large(limit: int) -> ResponseTooLarge:
    return ResponseTooLarge(f"the response is larger than {limit} bytes")


def _body_of(content: bytes, content_type: str) -> _Body:
    text = _decoded_text(content, content_type)
    if not text.strip():
        return _Body(text, problem="the body is empty")
    try:
        # From bytes: JSON is UTF-8 (RFC 8259) whatever text/* charset a server defaults to.
        return _Body(text, json=wire_json.loads(content))
    except RecursionError:
        return _Body(text, problem="the JSON is nested too deeply")
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, NaN refused
        return _Body(text, problem=f"the body is not JSON ({_first_line(str(error))})")


def _decoded_text(content: bytes, content_type: str) -> str:
    declared = _CHARSET.search(content_type)
    try:
        return content.decode(declared["charset"] if declared else "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return content.decode("utf-8", errors="replace")


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else text


def _success_value(body: _Body, status: int, attempt: _Attempt) -> Any:
    if status in _NO_CONTENT:
        return None
    if body.problem is None:
        return body.json
    accepted = f" {ALREADY_ACCEPTED}" if attempt.moves_money else ""
    raise UnexpectedResponse(
        f"{attempt.method} {attempt.url}: {body.problem} where JSON was expected.{accepted}",
        http_status=status,
        body=_kept_text(body, attempt),
    )


def _redirected(response: requests.Response, body: _Body, attempt: _Attempt) -> UnexpectedResponse:
    location = redact_url(response.headers.get("Location", "")) or "nowhere"
    return UnexpectedResponse(
        f"{attempt.method} {attempt.url} was redirected to {location}, which withdrawkit does "
        f"not follow for a {attempt.method} (it would be re-sent as a GET); check base_url and "
        "the path's trailing slash",
        http_status=response.status_code,
        body=_kept_text(body, attempt),
    )


def _kept_text(body: _Body, attempt: _Attempt) -> str:
    """What an exception keeps of an answer's text: masked, or only its shape if secret."""
    return shape_of(body.text) if attempt.secret_response else redact_text(body.text)


def _outcome_unknown(refusal: APIError, status: int, attempt: _Attempt) -> OutcomeUnknown:
    """A 5xx to a money-moving request: a gateway that timed out waiting for the application
    (502/503/504), or an application that failed (500) after or before applying it."""
    return OutcomeUnknown(
        f"{attempt.method} {attempt.url}: the server answered HTTP {status} "
        f"({refusal.summary}), which does not tell whether it applied the request; it was not "
        "sent again. Look the operation up before trying again.",
        method=attempt.method,
        url=attempt.url,
        http_status=status,
        body=refusal.body,
    )


def _json_for_log(value: object) -> str:
    try:
        return _clipped(wire_json.dumps(redact_json(value)))
    except (TypeError, ValueError):
        return "<not JSON-serialisable>"


def _text_for_log(text: str) -> str:
    return _clipped(repr(redact_text(text))) if text else "empty"


def _clipped(text: str) -> str:
    if len(text) <= _LOG_BODY_CHARS:
        return text
    return f"{text[:_LOG_BODY_CHARS]}... ({len(text)} characters)"
