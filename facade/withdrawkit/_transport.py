"""``Transport``: the one place withdrawkit talks HTTP, through a ``requests.Session``.

It joins paths to a validated base URL, sends every request with a finite timeout and a
``User-Agent``, writes JSON bodies with every decimal digit, reads JSON answers as exact
Decimals, retries by the policy of ``withdrawkit._retry``, turns error responses into
exceptions through the provider's table, and logs requests and responses at DEBUG on the
``withdrawkit._transport`` logger with secrets masked.

Every answer is read whole before a deadline (the connect and read timeouts added together)
and under a size cap, by ``withdrawkit._exchange_once``. Past either limit a
money-moving request raises ``OutcomeUnknown``, any other request ``TransportError`` (a read
past the deadline is retried like a read timeout first).

Redirects are followed only for reads and only within the origin of ``base_url``
(``withdrawkit._redirects``); any other 3xx is an ``UnexpectedResponse`` naming its target.
While a request runs, the client's own secret values are masked in everything built from the
answer (``withdrawkit._redaction.masking_known_secrets``). Header and form values may be
``Secret``s, revealed only in the expression that builds the request.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Mapping
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlsplit

import requests

from withdrawkit._adapter_retries import without_adapter_retries
from withdrawkit._environment_settings import EnvironmentSettings
from withdrawkit._error_mapping import ErrorResponse
from withdrawkit._exceptions import APIError, TransportError
from withdrawkit._exchange_once import MAX_RESPONSE_BYTES, SEND_FAILURES, exchange_once
from withdrawkit._outcomes import (
    Attempt,
    failed_send,
    outcome_unknown,
    redirected,
    success_value,
    without_tracebacks,
)
from withdrawkit._redaction import masking_known_secrets, redact_url
from withdrawkit._request_building import (
    DEFAULT_POOL_MAXSIZE,
    built_request,
    endpoint_url,
    masked_values,
    query_string,
    unpreparable,
    user_agent_header,
    validated_base_url,
    validated_max_retries,
    validated_method,
    validated_pool_maxsize,
    validated_timeout,
    validated_user_agent,
)
from withdrawkit._response_body import Body
from withdrawkit._retry import (
    RETRYABLE_STATUSES,
    backoff_delay,
    classify_failure,
    describe_failure,
    status_retry_delay,
)
from withdrawkit._root_error import InvalidArgument
from withdrawkit._secrets import Secret
from withdrawkit._transport_log import header_dict, log_request, log_response, logger
from withdrawkit._watched_pools import SessionView, watched_session

__all__ = ["DEFAULT_POOL_MAXSIZE", "DEFAULT_TIMEOUT", "MAX_RESPONSE_BYTES", "Transport"]

# (connect, read) seconds. Connecting outlasts two lost SYNs (resent at 1 s and 3 s) and a
# connect timeout is always safe to retry; reading allows for a slow withdrawal endpoint.
DEFAULT_TIMEOUT: Final[tuple[float, float]] = (5.0, 30.0)


class Transport:
    """HTTP for one client: ``request(...)`` returns the decoded JSON of a 2xx answer.

    ``timeout`` is (connect, read) seconds; ``max_retries`` is how many times a failed read
    is sent again (see ``withdrawkit._retry`` for what is retried when ``moves_money``);
    ``sleep`` waits between attempts. The session a transport makes holds up to
    ``pool_maxsize`` connections per host (``DEFAULT_POOL_MAXSIZE``, 32: enough for as many
    threads sharing the client). A ``session`` given by the caller is used with its adapters'
    settings, proxies, certificates, headers, cookies and hooks, never changed, and is left open
    by ``close()``; requests go through copies of its ``HTTPAdapter``s with watched pools of
    their own (``withdrawkit._watched_pools``), and a money-moving request through copies that
    urllib3 never re-sends from (``withdrawkit._adapter_retries``). ``known_secrets`` returns
    the client's secret values (password digest, client secret, current token), masked in
    whatever the server's answers put into exceptions and logs.
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
        pool_maxsize: int | None = None,
        known_secrets: Callable[[], Iterable[str | Secret]] = tuple,
    ) -> None:
        if not isinstance(provider, str) or not provider.strip():
            raise InvalidArgument("provider must name the API, e.g. 'Ripio'")
        if not callable(map_error) or not callable(sleep) or not callable(known_secrets):
            raise TypeError("map_error, sleep and known_secrets must be callables")
        if session is not None and pool_maxsize is not None:
            raise InvalidArgument(
                "pool_maxsize sizes the session withdrawkit makes; size your own session's "
                "adapter instead (requests.adapters.HTTPAdapter(pool_maxsize=...))"
            )
        self._base_url = validated_base_url(base_url)
        self._provider = provider
        self._map_error = map_error
        self._timeout = validated_timeout(timeout)
        self._max_retries = validated_max_retries(max_retries)
        self._sleep = sleep
        self._user_agent = validated_user_agent(user_agent)
        self._known_secrets = known_secrets
        self._owns_session = session is None
        # The caller's session is sent through watched copies of its adapters (see
        # withdrawkit._watched_pools); the session made here has watched pools of its own.
        self._views = None if session is None else SessionView()
        self._session = session or watched_session(validated_pool_maxsize(pool_maxsize))
        # The environment's proxies and CA bundle, read again only when they change.
        self._settings_for = functools.partial(EnvironmentSettings().of, self._session)

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
        form: Mapping[str, str | Secret] | None = None,
        headers: Mapping[str, str | Secret] | None = None,
        moves_money: bool = False,
        secret_response: bool = False,
        reference: str | None = None,
        decode: Callable[[bytes], Any] | None = None,
    ) -> Any:
        """Send ``method path`` and return the decoded JSON of a 2xx answer (None for a 204).

        ``params`` values may be str, int, Decimal, bool, enums or lists of them; ``None``
        values are left out. ``json_body`` is written with every decimal digit; ``form`` is
        sent urlencoded. Set ``moves_money`` for a request that creates a withdrawal, order
        or quote acceptance: it is then never sent twice unless the first attempt certainly
        did not reach the server, and a 5xx answer to it is ``OutcomeUnknown``. Set
        ``secret_response`` for a request whose answer is a credential (a login, a token):
        of its answer only the shape (keys and value types) is logged or kept in an
        exception, never a value, and the decoded answer is returned in a ``Sealed``, so that
        no frame's locals show the credential in the clear. ``reference`` (the
        ``external_ref``, ``clientOrderId`` or order id the request carries) becomes the
        ``reference`` of any ``OutcomeUnknown`` it raises. Header, form and JSON string
        values may be ``Secret``s. ``decode`` reads the bytes of a 2xx body in place of the
        JSON decoding, and its value is returned; a body it refuses (ValueError) is read as
        without it, errors included. It never sees an error answer, and the body it gets was
        read under the same deadline and size cap as any other.

        Raises the provider's ``APIError`` subclass for an error answer, ``UnexpectedResponse``
        for an unreadable one, ``OutcomeUnknown`` when a money-moving request may or may not
        have been applied, and ``TransportError`` when the request could not be completed
        (or could not even be built, e.g. a header value with a line break).
        """
        method = validated_method(method)
        if json_body is not None and form is not None:
            raise InvalidArgument("send either json_body or form, not both")
        secrets = (
            value if isinstance(value, Secret) else Secret(value) for value in self._known_secrets()
        )
        with masking_known_secrets(secrets):
            prepared = self._prepare(
                method, path, params=params, json_body=json_body, form=form, headers=headers
            )
            return self._attempts(
                prepared,
                moves_money=moves_money,
                secret_response=secret_response,
                reference=reference,
                json_body=json_body,
                form=form,
                decode=decode,
            )

    def _attempts(
        self,
        prepared: requests.PreparedRequest,
        *,
        moves_money: bool,
        secret_response: bool,
        reference: str | None,
        json_body: object,
        form: Mapping[str, str | Secret] | None,
        decode: Callable[[bytes], Any] | None,
    ) -> Any:
        method = prepared.method or ""
        url = redact_url(prepared.url or "")
        session = self._session if self._views is None else self._views.of(self._session)
        if moves_money:
            session = without_adapter_retries(session)
        attempts = self._max_retries + 1
        for number in range(1, attempts + 1):
            attempt = Attempt(
                method, url, number, attempts, moves_money, secret_response, reference
            )
            log_request(prepared, attempt, json_body, form)
            try:
                response, received = exchange_once(
                    session,
                    prepared,
                    attempt,
                    timeout=self._timeout,
                    settings_for=self._settings_for,
                )
            except SEND_FAILURES as failure:
                self._after_failure(failure, attempt)
                continue
            log_response(response, received, attempt)
            if 200 <= response.status_code <= 299:
                return success_value(received, response.status_code, attempt, decode)
            self._after_refusal(response, received.body(), attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")  # pragma: no cover

    def close(self) -> None:
        """Close the session this transport created; a session the caller passed stays open."""
        if self._owns_session:
            self._session.close()
        if self._views is not None:
            self._views.close()

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
        form: Mapping[str, str | Secret] | None,
        headers: Mapping[str, str | Secret] | None,
    ) -> requests.PreparedRequest:
        # Secrets stay Secrets in every local here: they are revealed only inside the
        # expression that builds the request, so a traceback's locals never show them.
        request_headers: dict[str, str | Secret] = {
            "User-Agent": user_agent_header(self._user_agent, self._session.headers),
            "Accept": "application/json",
        }
        if json_body is not None:
            request_headers["Content-Type"] = "application/json"
        request_headers.update(headers or {})
        url = endpoint_url(self._base_url, path)
        query = query_string(params)
        if query:
            url = f"{url}?{query}"
        try:
            return self._session.prepare_request(
                built_request(method, url, request_headers, json_body=json_body, form=form)
            )
        except (requests.exceptions.RequestException, ValueError) as error:
            # requests' text quotes the offending header value, which may be a token.
            problem = unpreparable(error, masked_values(request_headers), self._session.headers)
        # Raised outside the except block: not even __context__ keeps requests' exception.
        shown = redact_url(url)
        raise TransportError(
            f"{method} {shown}: the request could not be built ({problem}). "
            "It never reached the server.",
            method=method,
            url=shown,
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
            raise failed_send(what, delivery, attempt) from without_tracebacks(failure)
        self._pause(backoff_delay(attempt.number), what, attempt)

    def _after_refusal(self, response: requests.Response, body: Body, attempt: Attempt) -> None:
        """Raise for an answer that is not 2xx, or wait before retrying a read refused for now
        (429, 502, 503, 504)."""
        status = response.status_code
        if 300 <= status <= 399 and status != 304:
            raise redirected(response, body, attempt)
        answer = ErrorResponse(
            http_status=status,
            headers=header_dict(response.headers),
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
