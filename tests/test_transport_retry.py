"""The retry policy, through the transport and on its own.

Reads are retried on transport failures, 429 (honouring Retry-After), 502, 503 and 504.
A money-moving request is re-sent only after a failure that never reached the server; after a
read timeout, a dropped connection or a 5xx answer it raises OutcomeUnknown after exactly one
send.
"""

from __future__ import annotations

import pickle
import socket
import ssl
from collections.abc import Iterator
from decimal import Decimal
from http.client import RemoteDisconnected
from typing import Any

import pytest
import requests
import responses
from responses import matchers
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import SSLError as Urllib3SSLError

from tests.transport_support import BASE, Sleeps
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import (
    OutcomeUnknown,
    RateLimited,
    ServerError,
    TransportError,
)
from withdrawkit._response_body import ResponseDeadlineExceeded, ResponseTooLarge
from withdrawkit._retry import (
    BACKOFF_CAP_SECONDS,
    MAX_RETRY_AFTER_SECONDS,
    Delivery,
    backoff_delay,
    classify_failure,
    describe_failure,
    status_retry_delay,
)
from withdrawkit._transport import DEFAULT_TIMEOUT, Transport

WITHDRAWALS = f"{BASE}/api/v1/withdrawals/"
EXACT_BODY = '{"amount":0.00206525633592975968892629,"currency":"BTC"}'
BODY = {"amount": Decimal("0.00206525633592975968892629"), "currency": "BTC"}


# What requests raises in each situation, built as requests' HTTPAdapter builds it. urllib3
# wants the pool or connection that failed; these failures happened on none.
NO_POOL: Any = None


def connect_timeout() -> requests.exceptions.ConnectTimeout:
    reason = ConnectTimeoutError(NO_POOL, "Connection to host timed out. (connect timeout=5.0)")
    return requests.exceptions.ConnectTimeout(MaxRetryError(NO_POOL, "/api", reason))


def connection_refused() -> requests.exceptions.ConnectionError:
    message = "Failed to establish a new connection: [Errno 111] Connection refused"
    reason = NewConnectionError(NO_POOL, message)
    reason.__cause__ = ConnectionRefusedError(111, "Connection refused")
    return requests.exceptions.ConnectionError(MaxRetryError(NO_POOL, "/api", reason))


def name_not_resolved() -> requests.exceptions.ConnectionError:
    gaierror = socket.gaierror(-2, "Name or service not known")
    reason = NameResolutionError("sandbox-b2b.ripio.com", NO_POOL, gaierror)
    reason.__cause__ = gaierror  # urllib3 raises it "from" the socket error
    return requests.exceptions.ConnectionError(MaxRetryError(NO_POOL, "/api", reason))


def connection_dropped() -> requests.exceptions.ConnectionError:
    cause = RemoteDisconnected("Remote end closed connection without response")
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", cause))


def timeout_reading_the_body() -> requests.exceptions.ConnectionError:
    # Response.content turns a read timeout after the headers into a ConnectionError.
    return requests.exceptions.ConnectionError(ReadTimeoutError(NO_POOL, "/api", "Read timed out."))


def rejected_certificate() -> requests.exceptions.SSLError:
    cause = ssl.SSLCertVerificationError(1, "certificate verify failed: unable to get issuer")
    return requests.exceptions.SSLError(MaxRetryError(NO_POOL, "/api", Urllib3SSLError(cause)))


def tls_failed_mid_request() -> requests.exceptions.SSLError:
    cause = ssl.SSLError(1, "bad record mac")
    return requests.exceptions.SSLError(MaxRetryError(NO_POOL, "/api", Urllib3SSLError(cause)))


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def transport(sleeps: Sleeps) -> Iterator[Transport]:
    """Overrides conftest's transport: this one records its waits instead of refusing them."""
    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, sleep=sleeps) as made:
        yield made


def send_withdrawal(transport: Transport) -> object:
    return transport.request("POST", "/api/v1/withdrawals/", json_body=BODY, moves_money=True)


# -- reads -----------------------------------------------------------------------------------------


def test_get_is_retried_after_a_503(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(WITHDRAWALS, status=503, body="<html><title>503</title></html>")
    mock.get(WITHDRAWALS, json={"results": []})

    assert transport.request("GET", "/api/v1/withdrawals/") == {"results": []}
    assert len(mock.calls) == 2
    [slept] = sleeps
    assert 0.25 <= slept <= 0.5  # first backoff step, with jitter


@pytest.mark.parametrize("status", [502, 504])
def test_get_is_retried_after_a_gateway_failure(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps, status: int
) -> None:
    mock.get(WITHDRAWALS, status=status)
    mock.get(WITHDRAWALS, json={})

    assert transport.request("GET", "/api/v1/withdrawals/") == {}
    assert len(mock.calls) == 2
    assert len(sleeps) == 1


def test_get_that_keeps_failing_raises_the_mapped_error_after_max_retries(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(WITHDRAWALS, status=503)

    with pytest.raises(ServerError) as raised:
        transport.request("GET", "/api/v1/withdrawals/")

    assert raised.value.http_status == 503
    assert len(mock.calls) == 3  # max_retries=2
    first, second = sleeps
    assert 0.25 <= first <= 0.5
    assert 0.5 <= second <= 1.0  # the step doubles


def test_get_is_retried_after_a_429_honouring_retry_after(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(WITHDRAWALS, status=429, headers={"Retry-After": "3"}, json={"detail": "throttled"})
    mock.get(WITHDRAWALS, json={"results": []})

    assert transport.request("GET", "/api/v1/withdrawals/") == {"results": []}
    assert sleeps == [3.0]
    assert len(mock.calls) == 2


def test_429_with_an_http_date_retry_after_waits_that_long(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(
        WITHDRAWALS,
        status=429,
        headers={
            "Retry-After": "Wed, 21 Oct 2015 07:28:05 GMT",
            "Date": "Wed, 21 Oct 2015 07:28:00 GMT",
        },
    )
    mock.get(WITHDRAWALS, json={})

    transport.request("GET", "/api/v1/withdrawals/")

    assert sleeps == [5.0]


def test_429_without_retry_after_backs_off(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(WITHDRAWALS, status=429)
    mock.get(WITHDRAWALS, json={})

    transport.request("GET", "/api/v1/withdrawals/")

    [slept] = sleeps
    assert 0.25 <= slept <= 0.5


def test_a_retry_after_longer_than_the_cap_is_left_to_the_caller(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(WITHDRAWALS, status=429, headers={"Retry-After": "120"})

    with pytest.raises(RateLimited) as raised:
        transport.request("GET", "/api/v1/withdrawals/")

    assert raised.value.retry_after == Decimal(120)
    assert len(mock.calls) == 1
    assert sleeps == []


def test_500_is_not_retried(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(WITHDRAWALS, status=500, json={"detail": "boom"})

    with pytest.raises(ServerError):
        transport.request("GET", "/api/v1/withdrawals/")

    assert len(mock.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "failure",
    [
        requests.exceptions.ReadTimeout(),
        connection_dropped(),
        connection_refused(),
        connect_timeout(),
        timeout_reading_the_body(),
        requests.exceptions.ChunkedEncodingError(),
    ],
    ids=["read-timeout", "dropped", "refused", "connect-timeout", "body-timeout", "chunked"],
)
def test_get_is_retried_after_any_transport_failure(
    mock: responses.RequestsMock,
    transport: Transport,
    sleeps: Sleeps,
    failure: Exception,
) -> None:
    mock.get(WITHDRAWALS, body=failure)
    mock.get(WITHDRAWALS, json={"ok": True})

    assert transport.request("GET", "/api/v1/withdrawals/") == {"ok": True}
    assert len(mock.calls) == 2
    assert len(sleeps) == 1
    assert all(
        call.request.req_kwargs["timeout"] == DEFAULT_TIMEOUT  # type: ignore[attr-defined]
        for call in mock.calls
    )


def test_get_that_keeps_timing_out_raises_transport_error(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(WITHDRAWALS, body=requests.exceptions.ReadTimeout())

    with pytest.raises(TransportError) as raised:
        transport.request("GET", "/api/v1/withdrawals/")

    assert type(raised.value) is TransportError  # a read is never "outcome unknown"
    assert raised.value.method == "GET"
    assert raised.value.url == WITHDRAWALS
    assert str(raised.value) == (
        f"GET {WITHDRAWALS}: read timed out (ReadTimeout), 3 attempts made."
    )
    assert isinstance(raised.value.__cause__, requests.exceptions.ReadTimeout)
    assert len(mock.calls) == 3
    assert len(sleeps) == 2


def test_login_post_that_moves_no_money_is_retried_after_a_503(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.post(f"{BASE}/oauth2/token/", status=503)
    mock.post(f"{BASE}/oauth2/token/", json={"access_token": "t"})

    answer = transport.request("POST", "/oauth2/token/", form={"grant_type": "client_credentials"})

    assert answer == {"access_token": "t"}
    assert len(mock.calls) == 2


def test_max_retries_zero_sends_once(mock: responses.RequestsMock, sleeps: Sleeps) -> None:
    mock.get(WITHDRAWALS, status=503)
    with (
        Transport(
            BASE, provider="Ripio", map_error=map_ripio_error, max_retries=0, sleep=sleeps
        ) as made,
        pytest.raises(ServerError),
    ):
        made.request("GET", "/api/v1/withdrawals/")

    assert len(mock.calls) == 1
    assert sleeps == []


# -- money-moving requests -------------------------------------------------------------------------


def test_read_timeout_on_a_money_post_is_outcome_unknown_after_one_send(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.post(WITHDRAWALS, body=requests.exceptions.ReadTimeout())

    with pytest.raises(OutcomeUnknown) as raised:
        send_withdrawal(transport)

    assert len(mock.calls) == 1
    assert sleeps == []
    assert raised.value.method == "POST"
    assert raised.value.url == WITHDRAWALS
    assert "read timed out" in str(raised.value)
    assert "not sent again" in str(raised.value)


@pytest.mark.parametrize(
    "failure",
    [
        connection_dropped(),
        timeout_reading_the_body(),
        requests.exceptions.ChunkedEncodingError(),
        tls_failed_mid_request(),
        requests.exceptions.ConnectionError("no detail at all"),
    ],
    ids=["dropped", "body-timeout", "chunked", "tls-mid-request", "unexplained"],
)
def test_a_failure_that_may_have_reached_the_server_is_outcome_unknown(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps, failure: Exception
) -> None:
    mock.post(WITHDRAWALS, body=failure)

    with pytest.raises(OutcomeUnknown):
        send_withdrawal(transport)

    assert len(mock.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize(
    "failure",
    [
        connect_timeout(),
        requests.exceptions.ConnectTimeout("no urllib3 error inside"),
        connection_refused(),
        name_not_resolved(),
    ],
    ids=["connect-timeout", "bare-connect-timeout", "refused", "dns"],
)
def test_a_money_post_that_never_reached_the_server_is_retried_and_succeeds(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps, failure: Exception
) -> None:
    mock.post(WITHDRAWALS, body=failure)
    mock.post(
        WITHDRAWALS, status=201, json={"id": "w-1"}, match=[matchers.body_matcher(EXACT_BODY)]
    )

    assert send_withdrawal(transport) == {"id": "w-1"}
    assert len(mock.calls) == 2
    assert mock.calls[0].request.body == mock.calls[1].request.body == EXACT_BODY.encode()
    [slept] = sleeps
    assert 0.25 <= slept <= 0.5


def test_a_money_post_that_never_connects_ends_as_a_transport_error(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.post(WITHDRAWALS, body=connection_refused())

    with pytest.raises(TransportError) as raised:
        send_withdrawal(transport)

    assert type(raised.value) is TransportError  # not OutcomeUnknown: nothing was sent
    assert "never reached the server" in str(raised.value)
    assert "Connection refused" in str(raised.value)
    assert len(mock.calls) == 3
    assert len(sleeps) == 2


def test_a_rejected_certificate_is_not_retried_and_not_outcome_unknown(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.post(WITHDRAWALS, body=rejected_certificate())

    with pytest.raises(TransportError) as raised:
        send_withdrawal(transport)

    assert type(raised.value) is TransportError
    assert "never reached the server" in str(raised.value)
    assert len(mock.calls) == 1
    assert sleeps == []


def test_a_money_post_answered_429_is_rate_limited_and_not_resent(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    # A 429 is a refusal before the application ran: the caller may try again later.
    mock.post(WITHDRAWALS, status=429, headers={"Retry-After": "1"})

    with pytest.raises(RateLimited) as raised:
        send_withdrawal(transport)

    assert raised.value.http_status == 429
    assert len(mock.calls) == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [500, 502, 503, 504, 599])
def test_a_money_post_answered_5xx_is_outcome_unknown_and_not_resent(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps, status: int
) -> None:
    # A gateway's 502/503/504 may come after the application applied the withdrawal (it timed
    # out waiting for the answer), and a 500 may come from code that ran after the debit.
    page = f"<html><head><title>{status} Gateway Trouble</title></head></html>"
    mock.post(
        WITHDRAWALS,
        status=status,
        headers={"Retry-After": "1"},
        body=page,
        content_type="text/html",
    )

    with pytest.raises(OutcomeUnknown) as raised:
        send_withdrawal(transport)

    unknown = raised.value
    assert unknown.http_status == status
    assert unknown.body == page
    assert unknown.method == "POST"
    assert unknown.url == WITHDRAWALS
    assert f"answered HTTP {status} ({status} Gateway Trouble)" in str(unknown)
    assert "refused" not in str(unknown)
    assert "not sent again" in str(unknown)
    cause = unknown.__cause__
    assert isinstance(cause, ServerError)
    assert cause.http_status == status
    assert cause.body == page
    assert len(mock.calls) == 1
    assert sleeps == []


def test_a_5xx_to_a_post_that_moves_no_money_stays_a_server_error(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.post(f"{BASE}/oauth2/token/", status=500, json={"detail": "boom"})

    with pytest.raises(ServerError) as raised:
        transport.request("POST", "/oauth2/token/", form={"grant_type": "client_credentials"})

    assert type(raised.value) is ServerError
    assert raised.value.http_status == 500
    assert sleeps == []


def test_a_redirect_loop_reached_the_server_and_is_not_retried(
    mock: responses.RequestsMock, transport: Transport, sleeps: Sleeps
) -> None:
    mock.get(WITHDRAWALS, status=302, headers={"Location": WITHDRAWALS})

    with pytest.raises(TransportError) as raised:
        transport.request("GET", "/api/v1/withdrawals/")

    assert type(raised.value) is TransportError
    assert "too many redirects" in str(raised.value)
    assert "never reached the server" not in str(raised.value)
    assert len(mock.calls) == 31  # requests' limit of 30 redirects, once
    assert sleeps == []


# -- the policy on its own -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failure", "delivery"),
    [
        (connect_timeout(), Delivery.NOT_SENT),
        (requests.exceptions.ConnectTimeout(), Delivery.NOT_SENT),
        (connection_refused(), Delivery.NOT_SENT),
        (name_not_resolved(), Delivery.NOT_SENT),
        (rejected_certificate(), Delivery.NOT_SENT_FINAL),
        (requests.exceptions.InvalidURL("bad"), Delivery.NOT_SENT_FINAL),
        (requests.exceptions.TooManyRedirects("Exceeded 30 redirects."), Delivery.MAYBE_SENT_FINAL),
        (ResponseTooLarge("too large"), Delivery.MAYBE_SENT_FINAL),
        (ResponseDeadlineExceeded("too slow"), Delivery.MAYBE_SENT),
        (requests.exceptions.ReadTimeout(), Delivery.MAYBE_SENT),
        (connection_dropped(), Delivery.MAYBE_SENT),
        (timeout_reading_the_body(), Delivery.MAYBE_SENT),
        (tls_failed_mid_request(), Delivery.MAYBE_SENT),
        (requests.exceptions.ChunkedEncodingError(), Delivery.MAYBE_SENT),
        (requests.exceptions.ConnectionError(), Delivery.MAYBE_SENT),
        (OSError("unexpected"), Delivery.MAYBE_SENT),
    ],
)
def test_classify_failure(failure: BaseException, delivery: Delivery) -> None:
    assert classify_failure(failure) is delivery


@pytest.mark.parametrize(
    ("failure", "description"),
    [
        (connect_timeout(), "connect timed out"),
        (
            connection_refused(),
            "could not connect (ConnectionRefusedError: [Errno 111] Connection refused)",
        ),
        (
            name_not_resolved(),
            "host name did not resolve (gaierror: [Errno -2] Name or service not known)",
        ),
        (connection_dropped(), "connection dropped (RemoteDisconnected)"),
        (requests.exceptions.ReadTimeout(), "read timed out (ReadTimeout)"),
        (requests.exceptions.TooManyRedirects("Exceeded 30"), "too many redirects"),
        (ResponseTooLarge("the response is larger than 9 bytes"), "the response is larger than"),
    ],
)
def test_describe_failure_is_short_and_names_the_cause(
    failure: BaseException, description: str
) -> None:
    assert describe_failure(failure).startswith(description)


def test_backoff_is_exponential_with_equal_jitter_and_capped() -> None:
    assert backoff_delay(1, rand=lambda: 0.0) == 0.25
    assert backoff_delay(1, rand=lambda: 1.0) == 0.5
    assert backoff_delay(2, rand=lambda: 0.0) == 0.5
    assert backoff_delay(3, rand=lambda: 1.0) == 2.0
    assert backoff_delay(30, rand=lambda: 1.0) == BACKOFF_CAP_SECONDS


def test_status_retry_delay_honours_retry_after_up_to_the_cap() -> None:
    assert status_retry_delay(1, Decimal("2.5")) == 2.5
    assert status_retry_delay(1, Decimal(0)) == 0.0
    assert status_retry_delay(1, Decimal(str(MAX_RETRY_AFTER_SECONDS))) == MAX_RETRY_AFTER_SECONDS
    assert status_retry_delay(1, Decimal(str(MAX_RETRY_AFTER_SECONDS)) + 1) is None
    assert status_retry_delay(2, None, rand=lambda: 0.0) == 0.5


def test_delivery_tells_what_may_have_arrived_and_what_is_final() -> None:
    assert [delivery for delivery in Delivery if delivery.maybe_sent] == [
        Delivery.MAYBE_SENT,
        Delivery.MAYBE_SENT_FINAL,
    ]
    assert [delivery for delivery in Delivery if delivery.final] == [
        Delivery.NOT_SENT_FINAL,
        Delivery.MAYBE_SENT_FINAL,
    ]


# -- the reference of an unknown outcome -----------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        ({"body": requests.exceptions.ReadTimeout()}, None),
        ({"status": 502, "body": "<html/>"}, 502),
    ],
)
def test_an_unknown_outcome_carries_the_reference_the_request_was_sent_with(
    mock: responses.RequestsMock, transport: Transport, answer: dict[str, Any], status: int | None
) -> None:
    mock.post(WITHDRAWALS, **answer)
    with pytest.raises(OutcomeUnknown) as raised:
        transport.request(
            "POST", "/api/v1/withdrawals/", json_body=BODY, moves_money=True, reference="payout-7"
        )
    assert raised.value.reference == "payout-7"
    assert raised.value.http_status == status
    copy = pickle.loads(pickle.dumps(raised.value))  # noqa: S301 - our own object
    assert (copy.reference, copy.http_status) == ("payout-7", status)


def test_an_unknown_outcome_without_a_reference_says_none(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.post(WITHDRAWALS, body=requests.exceptions.ReadTimeout())
    with pytest.raises(OutcomeUnknown) as raised:
        send_withdrawal(transport)
    assert raised.value.reference is None
