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
byte at a time could otherwise hold a call for ever; ``withdrawkit._response_body`` reads the
body a piece at a time and checks the deadline between pieces (the status line and headers
are read by urllib3 under the read timeout alone). Past either limit a money-moving request
raises ``OutcomeUnknown``, any other request ``TransportError`` (a read past the deadline is
retried like a read timeout first).
"""

from __future__ import annotations

import http.client
import logging
import time
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from withdrawkit import _wire_json as wire_json
from withdrawkit._adapter_retries import without_adapter_retries
from withdrawkit._error_mapping import ErrorResponse
from withdrawkit._exceptions import APIError, TransportError
from withdrawkit._outcomes import Attempt, failed_send, outcome_unknown, redirected, success_value
from withdrawkit._redaction import redact_headers, redact_url
from withdrawkit._request_building import (
    endpoint_url,
    form_fields,
    query_string,
    unpreparable,
    user_agent_header,
    validated_base_url,
    validated_max_retries,
    validated_method,
    validated_timeout,
    validated_user_agent,
)
from withdrawkit._response_body import (
    Body,
    ResponseDeadlineExceeded,
    ResponseTooLarge,
    body_of,
    read_content,
)
from withdrawkit._retry import (
    RETRYABLE_STATUSES,
    backoff_delay,
    classify_failure,
    describe_failure,
    status_retry_delay,
)
from withdrawkit._root_error import InvalidArgument
from withdrawkit._transport_log import request_body_for_log, response_body_for_log

__all__ = ["DEFAULT_TIMEOUT", "MAX_RESPONSE_BYTES", "Transport"]

# (connect, read) seconds. Connecting outlasts two lost SYNs (resent at 1 s and 3 s) and a
# connect timeout is always safe to retry; reading allows for a slow withdrawal endpoint.
DEFAULT_TIMEOUT: Final[tuple[float, float]] = (5.0, 30.0)
# The largest answer body read (decoded); a larger one is a failure, not a MemoryError.
MAX_RESPONSE_BYTES: Final = 10 * 1024 * 1024

logger = logging.getLogger(__name__)

# A redirected POST is re-sent by requests as a GET without its body, so only reads follow.
_FOLLOWS_REDIRECTS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
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


class Transport:
    """HTTP for one client: ``request(...)`` returns the decoded JSON of a 2xx answer.

    ``timeout`` is (connect, read) seconds; ``max_retries`` is how many times a failed read
    is sent again (see ``withdrawkit._retry`` for what is retried when ``moves_money``);
    ``sleep`` waits between attempts. A ``session`` given by the caller is used as it is
    (its adapters, proxies and certificates) and is left open by ``close()``, with one
    exception: a money-moving request is sent through copies of its adapters that urllib3
    never re-sends from (see ``withdrawkit._adapter_retries``).
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
        user_agent: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not isinstance(provider, str) or not provider.strip():
            raise InvalidArgument("provider must name the API, e.g. 'Ripio'")
        if not callable(map_error) or not callable(sleep):
            raise TypeError("map_error and sleep must be callables")
        self._base_url = validated_base_url(base_url)
        self._provider = provider
        self._map_error = map_error
        self._timeout = validated_timeout(timeout)
        self._max_retries = validated_max_retries(max_retries)
        self._sleep = sleep
        self._user_agent = validated_user_agent(user_agent)
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
        reference: str | None = None,
    ) -> Any:
        """Send ``method path`` and return the decoded JSON of a 2xx answer (None for a 204).

        ``params`` values may be str, int, Decimal, bool, enums or lists of them; ``None``
        values are left out. ``json_body`` is written with every decimal digit; ``form`` is
        sent urlencoded. Set ``moves_money`` for a request that creates a withdrawal, order
        or quote acceptance: it is then never sent twice unless the first attempt certainly
        did not reach the server, and a 5xx answer to it is ``OutcomeUnknown``. Set
        ``secret_response`` for a request whose answer is a credential (a login, a token):
        of its answer only the shape (keys and value types) is logged or kept in an
        exception, never a value. ``reference`` (the ``external_ref``, ``clientOrderId`` or order
        id the request carries) becomes the ``reference`` of any ``OutcomeUnknown`` it raises.

        Raises the provider's ``APIError`` subclass for an error answer, ``UnexpectedResponse``
        for an unreadable one, ``OutcomeUnknown`` when a money-moving request may or may not
        have been applied, and ``TransportError`` when the request could not be completed
        (or could not even be built, e.g. a header value with a line break).
        """
        method = validated_method(method)
        if json_body is not None and form is not None:
            raise InvalidArgument("send either json_body or form, not both")
        prepared = self._prepare(
            method, path, params=params, json_body=json_body, form=form, headers=headers
        )
        url = redact_url(prepared.url or "")
        session = without_adapter_retries(self._session) if moves_money else self._session
        attempts = self._max_retries + 1
        for number in range(1, attempts + 1):
            attempt = Attempt(
                method, url, number, attempts, moves_money, secret_response, reference
            )
            self._log_request(prepared, attempt, json_body, form)
            try:
                response, body = self._exchange(session, prepared, attempt)
            except _SEND_FAILURES as failure:
                self._after_failure(failure, attempt)
                continue
            self._log_response(response, body, attempt)
            if 200 <= response.status_code <= 299:
                return success_value(body, response.status_code, attempt)
            self._after_refusal(response, body, attempt)
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
        request_headers = {
            "User-Agent": user_agent_header(self._user_agent, self._session.headers),
            "Accept": "application/json",
        }
        data: bytes | dict[str, str] | None = None
        if json_body is not None:
            data = wire_json.dumps(json_body).encode("utf-8")
            request_headers["Content-Type"] = "application/json"
        elif form is not None:
            data = form_fields(form)
        request_headers.update(headers or {})
        url = endpoint_url(self._base_url, path)
        query = query_string(params)
        if query:
            url = f"{url}?{query}"
        request = requests.Request(method, url, headers=request_headers, data=data)
        try:
            return self._session.prepare_request(request)
        except (requests.exceptions.RequestException, ValueError) as error:
            # requests' text quotes the offending header value, which may be a token.
            problem = unpreparable(error, request_headers, self._session.headers)
        # Raised outside the except block: not even __context__ keeps requests' exception.
        shown = redact_url(url)
        raise TransportError(
            f"{method} {shown}: the request could not be built ({problem}). "
            "It never reached the server.",
            method=method,
            url=shown,
        )

    def _exchange(
        self, session: requests.Session, prepared: requests.PreparedRequest, attempt: Attempt
    ) -> tuple[requests.Response, Body]:
        """Send once and read the whole answer: every failure of either is raised from here."""
        deadline = attempt.started + self._timeout[0] + self._timeout[1]
        response = self._send(session, prepared)
        try:
            content = read_content(response, deadline=deadline, limit=MAX_RESPONSE_BYTES)
        finally:
            # After a complete read urllib3 has already put the connection back in its pool;
            # after a failed one this closes it, so its unread rest is never read as an answer.
            response.close()
        return response, body_of(content, response.headers.get("Content-Type", ""))

    def _send(
        self, session: requests.Session, prepared: requests.PreparedRequest
    ) -> requests.Response:
        # What Session.request does after preparing: proxies and CA bundle from the environment.
        settings = self._session.merge_environment_settings(prepared.url, {}, None, None, None)
        # Whatever the session's own setting, the body is left on the socket for read_content,
        # which reads it under the deadline and the size cap, inside the failure handling.
        settings["stream"] = True
        return session.send(
            prepared,
            timeout=self._timeout,
            allow_redirects=prepared.method in _FOLLOWS_REDIRECTS,
            **settings,
        )

    def _after_failure(self, failure: BaseException, attempt: Attempt) -> None:
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
        if (delivery.maybe_sent and attempt.moves_money) or delivery.final or attempt.is_last:
            raise failed_send(what, delivery, attempt) from failure
        self._pause(backoff_delay(attempt.number), what, attempt)

    def _after_refusal(self, response: requests.Response, body: Body, attempt: Attempt) -> None:
        """Raise for an answer that is not 2xx, or wait before retrying a read refused for now
        (429, 502, 503, 504)."""
        status = response.status_code
        if 300 <= status <= 399 and attempt.method not in _FOLLOWS_REDIRECTS:
            raise redirected(response, body, attempt)
        answer = ErrorResponse(
            http_status=status,
            headers=_header_dict(response.headers),
            body_text=body.text,
            body_json=body.json,
            method=attempt.method,
            path=urlsplit(attempt.url).path,
        )
        refusal = self._map_error(answer)
        if attempt.moves_money and 500 <= status <= 599:
            raise outcome_unknown(refusal, status, attempt) from refusal
        if not attempt.moves_money and status in RETRYABLE_STATUSES and not attempt.is_last:
            delay = status_retry_delay(attempt.number, answer.retry_after)
            if delay is not None:
                self._pause(delay, f"HTTP {status}", attempt)
                return
        raise refusal

    def _pause(self, delay: float, reason: str, attempt: Attempt) -> None:
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
        attempt: Attempt,
        json_body: object,
        form: Mapping[str, str] | None,
    ) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        logger.debug(
            "request %s %s (%s) headers=%s body=%s",
            attempt.method,
            attempt.url,
            attempt,
            redact_headers(_header_dict(prepared.headers)),
            request_body_for_log(json_body, form),
        )

    def _log_response(self, response: requests.Response, body: Body, attempt: Attempt) -> None:
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
            response_body_for_log(body, secret=attempt.secret_response),
        )


def _header_dict(headers: Mapping[str, str | bytes]) -> dict[str, str]:
    return {
        name: value.decode("latin-1") if isinstance(value, bytes) else value
        for name, value in headers.items()
    }
