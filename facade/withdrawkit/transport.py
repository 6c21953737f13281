"""``Transport``: the one place withdrawkit talks HTTP, through a ``requests.Session``.

It joins paths to a validated base URL, sends every request with a finite timeout and a
``User-Agent``, writes JSON bodies with every decimal digit, reads JSON answers as exact
Decimals, retries by the policy of ``withdrawkit.retry``, turns error responses into
exceptions through the provider's table, and logs requests and responses at DEBUG on the
``withdrawkit.transport`` logger with secrets masked.
"""

from __future__ import annotations

import enum
import http.client
import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlencode, urlsplit, urlunsplit

import attrs
import requests
import urllib3.exceptions

from withdrawkit import wire_json
from withdrawkit._version import __version__
from withdrawkit.decimals import plain_text
from withdrawkit.error_mapping import ErrorResponse, retry_after_seconds
from withdrawkit.exceptions import (
    APIError,
    OutcomeUnknown,
    TransportError,
    UnexpectedResponse,
)
from withdrawkit.redaction import (
    redact_headers,
    redact_json,
    redact_text,
    redact_url,
)
from withdrawkit.retry import (
    RETRYABLE_STATUSES,
    Delivery,
    backoff_delay,
    classify_failure,
    describe_failure,
    status_retry_delay,
)

__all__ = ["DEFAULT_TIMEOUT", "USER_AGENT", "Transport"]

# (connect, read) seconds. Connecting outlasts two lost SYNs (resent at 1 s and 3 s) and a
# connect timeout is always safe to retry; reading allows for a slow withdrawal endpoint.
DEFAULT_TIMEOUT: Final[tuple[float, float]] = (5.0, 30.0)
USER_AGENT: Final = f"withdrawkit/{__version__} python-requests/{requests.__version__}"
MAX_RETRIES_LIMIT: Final = 10

logger = logging.getLogger("withdrawkit.transport")

_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
# A redirected POST is re-sent by requests as a GET without its body, so only reads follow.
_FOLLOWS_REDIRECTS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
_NO_CONTENT: Final = frozenset({204, 205})
# Everything sending can raise. requests' exceptions are OSErrors; urllib3 and http.client
# errors can escape it in rare paths (a malformed status line, an undecodable header).
_SEND_FAILURES: Final = (OSError, urllib3.exceptions.HTTPError, http.client.HTTPException)
_LOG_BODY_CHARS: Final = 4000
_CHARSET: Final = re.compile(r"charset\s*=\s*\"?(?P<charset>[\w.:-]+)", re.IGNORECASE)
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
    is sent again (see ``withdrawkit.retry`` for what is retried when ``moves_money``);
    ``sleep`` waits between attempts. A ``session`` given by the caller is used as it is
    (its adapters, proxies and certificates) and is left open by ``close()``.
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
    ) -> Any:
        """Send ``method path`` and return the decoded JSON of a 2xx answer (None for a 204).

        ``params`` values may be str, int, Decimal, bool, enums or lists of them; ``None``
        values are left out. ``json_body`` is written with every decimal digit; ``form`` is
        sent urlencoded. Set ``moves_money`` for a request that creates a withdrawal, order
        or quote acceptance: it is then never sent twice unless the first attempt certainly
        did not reach the server.

        Raises the provider's ``APIError`` subclass for an error answer, ``UnexpectedResponse``
        for an unreadable one, ``OutcomeUnknown`` when a money-moving request may or may not
        have been applied, and ``TransportError`` when the request could not be completed.
        """
        method = _validated_method(method)
        if json_body is not None and form is not None:
            raise ValueError("send either json_body or form, not both")
        prepared = self._prepare(
            method, path, params=params, json_body=json_body, form=form, headers=headers
        )
        url = redact_url(prepared.url or "")
        attempts = self._max_retries + 1
        for number in range(1, attempts + 1):
            attempt = _Attempt(method, url, number, attempts, moves_money)
            self._log_request(prepared, attempt, json_body, form)
            try:
                response = self._send(prepared)
            except _SEND_FAILURES as failure:
                self._after_failure(failure, attempt)
                continue
            body = _read_body(response)
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
            if not moves_money and status in RETRYABLE_STATUSES and not attempt.is_last:
                delay = status_retry_delay(number, retry_after_seconds(answer))
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
        request = requests.Request(
            method, f"{url}?{query}" if query else url, headers=request_headers, data=data
        )
        return self._session.prepare_request(request)

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

    def _send(self, prepared: requests.PreparedRequest) -> requests.Response:
        # What Session.request does after preparing: proxies and CA bundle from the environment.
        settings = self._session.merge_environment_settings(prepared.url, {}, None, None, None)
        return self._session.send(
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
        if delivery is Delivery.MAYBE_SENT and attempt.moves_money:
            raise OutcomeUnknown(
                f"{attempt.method} {attempt.url}: {what}. The server may or may not have applied "
                "it; it was not sent again. Look the operation up before trying again.",
                method=attempt.method,
                url=attempt.url,
            ) from failure
        if delivery is Delivery.NOT_SENT_FINAL or attempt.is_last:
            tries = f", {attempt.number} attempts made" if attempt.number > 1 else ""
            outcome = ""
            if delivery is not Delivery.MAYBE_SENT:
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
        logger.debug(
            "response %s %s -> %d in %.3fs (%s) headers=%s body=%s",
            attempt.method,
            attempt.url,
            response.status_code,
            attempt.elapsed(),
            attempt,
            redact_headers(_header_dict(response.headers)),
            _json_for_log(body.json) if body.problem is None else _text_for_log(body.text),
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
        pairs.extend((name, _query_value(name, item)) for item in values if item is not None)
    return urlencode(pairs, safe=_QUERY_SAFE)


def _query_value(name: str, value: object) -> str:
    if isinstance(value, enum.Enum):
        return _query_value(name, value.value)
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


def _read_body(response: requests.Response) -> _Body:
    content = response.content
    text = _decoded_text(content, response.headers.get("Content-Type", ""))
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
    accepted = (
        " The server accepted the request: look the operation up before trying again."
        if attempt.moves_money
        else ""
    )
    raise UnexpectedResponse(
        f"{attempt.method} {attempt.url}: {body.problem} where JSON was expected.{accepted}",
        http_status=status,
        body=redact_text(body.text),
    )


def _redirected(response: requests.Response, body: _Body, attempt: _Attempt) -> UnexpectedResponse:
    location = redact_url(response.headers.get("Location", "")) or "nowhere"
    return UnexpectedResponse(
        f"{attempt.method} {attempt.url} was redirected to {location}, which withdrawkit does "
        f"not follow for a {attempt.method} (it would be re-sent as a GET); check base_url and "
        "the path's trailing slash",
        http_status=response.status_code,
        body=redact_text(body.text),
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
