"""Transport, what comes back: exact JSON decoding, unreadable answers, error mapping,
redirects and the size cap on an answer.
"""

from __future__ import annotations

import gzip
import io
import time
from decimal import Decimal

import pytest
import requests
import responses
import urllib3

from tests.transport_support import BASE, EXACT, TOKEN, no_sleep
from withdrawkit._error_mapping import ErrorResponse, map_onekonto_error
from withdrawkit._exceptions import (
    APIError,
    AuthenticationFailed,
    InsufficientFunds,
    NotFound,
    OutcomeUnknown,
    ServerError,
    TransportError,
    UnexpectedResponse,
)
from withdrawkit._response_body import ResponseTooLarge, read_content
from withdrawkit._transport import MAX_RESPONSE_BYTES, Transport

# -- responses -------------------------------------------------------------------------------------


def test_json_answer_is_decoded_with_exact_decimals(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.get(
        f"{BASE}/api/v1/withdrawals/w-1/",
        body='{"amount": 0.00206525633592975968892629, "old": 1.0000016378e-8, "n": 3}',
        content_type="application/json",
    )

    answer = transport.request("GET", "/api/v1/withdrawals/w-1/")

    assert answer == {"amount": EXACT, "old": Decimal("1.0000016378e-8"), "n": 3}
    assert isinstance(answer["amount"], Decimal)
    assert isinstance(answer["n"], int)


def test_utf8_json_is_decoded_even_when_served_as_text(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.get(f"{BASE}/api/v1/x", body='{"name": "São Paulo"}'.encode(), content_type="text/plain")

    assert transport.request("GET", "/api/v1/x") == {"name": "São Paulo"}


def test_empty_204_returns_none(mock: responses.RequestsMock, transport: Transport) -> None:
    mock.delete(f"{BASE}/api/v1/x", status=204)

    assert transport.request("DELETE", "/api/v1/x") is None


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ('{"id": "w-1", "amount": 0.0020652', "not JSON"),
        ("<html><head><title>Maintenance</title></head></html>", "not JSON"),
        ('{"amount": NaN}', "not JSON"),
    ],
    ids=["empty", "blank", "truncated", "html", "nan"],
)
def test_unreadable_200_is_an_unexpected_response(
    mock: responses.RequestsMock, transport: Transport, body: str, problem: str
) -> None:
    mock.get(f"{BASE}/api/v1/withdrawals/w-1/", body=body, status=200)

    with pytest.raises(UnexpectedResponse, match=problem) as raised:
        transport.request("GET", "/api/v1/withdrawals/w-1/")

    assert raised.value.http_status == 200
    assert raised.value.body == body
    assert raised.value.__cause__ is None  # no JSONDecodeError leaks, even as a cause


def test_unreadable_answer_to_a_money_request_says_it_was_accepted(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.post(f"{BASE}/api/v1/withdrawals/", body='{"id": "w-', status=201)

    with pytest.raises(UnexpectedResponse, match="accepted the request") as raised:
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert raised.value.http_status == 201
    assert len(mock.calls) == 1


def test_a_201_that_is_not_json_keeps_its_status(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.post(f"{BASE}/api/v1/withdrawals/", body="<html>Created</html>", status=201)

    with pytest.raises(UnexpectedResponse) as raised:
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert raised.value.http_status == 201
    assert "(HTTP 201)" in str(raised.value)


def test_truncated_token_answer_does_not_leak_the_token(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.post(f"{BASE}/oauth2/token/", body=f'{{"access_token": "{TOKEN}", "expires_in": 36')

    with pytest.raises(UnexpectedResponse) as raised:
        transport.request("POST", "/oauth2/token/", form={"grant_type": "client_credentials"})

    assert TOKEN not in str(raised.value)
    assert TOKEN not in repr(raised.value)
    assert TOKEN not in raised.value.body


def test_error_answer_is_mapped_through_the_providers_table(mock: responses.RequestsMock) -> None:
    received: list[ErrorResponse] = []

    def spy(response: ErrorResponse) -> APIError:
        received.append(response)
        return map_onekonto_error(response)

    body = (
        '{"orderId": "o-1", "errors": ["Insufficient Funds: Requested 10000 USDT but only 1000 '
        'USDT is available"], "status": "failedDependency", "httpStatusCode": 424}'
    )
    mock.post(f"{BASE}/api/v1/x", body=body, status=424, headers={"X-Request-Id": "r-1"})
    with (
        Transport(BASE, provider="1Konto", map_error=spy, sleep=no_sleep) as made,
        pytest.raises(InsufficientFunds) as raised,
    ):
        made.request("POST", "/api/v1/x", json_body={}, moves_money=True)

    assert raised.value.http_status == 424
    assert raised.value.code == "Insufficient Funds"
    [response] = received
    assert response.http_status == 424
    assert response.body_text == body
    assert isinstance(response.body_json, dict)
    assert response.body_json["orderId"] == "o-1"
    assert response.header("x-request-id") == "r-1"


def test_html_error_page_is_mapped_by_status_with_its_text(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    html = "<html><head><title>500 Internal Server Error</title></head><body>oops</body></html>"
    mock.get(f"{BASE}/api/v1/x", body=html, status=500, content_type="text/html")

    with pytest.raises(ServerError) as raised:
        transport.request("GET", "/api/v1/x")

    assert raised.value.body == html
    assert "500 Internal Server Error" in str(raised.value)


def test_ripio_403_not_authenticated_through_the_transport(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.get(
        f"{BASE}/api/v1/withdrawals/",
        status=403,
        json={
            "code": 40001,
            "type": "NotAuthenticated",
            "detail": {
                "message": "Authentication credentials were not provided.",
                "code": "not_authenticated",
            },
            "status": 403,
        },
    )

    with pytest.raises(AuthenticationFailed) as raised:
        transport.request("GET", "/api/v1/withdrawals/")

    assert raised.value.code == 40001


def test_redirect_of_a_post_is_not_followed(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.post(
        f"{BASE}/api/v1/withdrawal-fees",
        status=301,
        headers={"Location": f"{BASE}/api/v1/withdrawal-fees/"},
    )
    # Nothing is registered for the GET: following the redirect would fail differently.

    with pytest.raises(UnexpectedResponse, match=r"redirected to .*withdrawal-fees/") as raised:
        transport.request("POST", "/api/v1/withdrawal-fees", json_body={"amount": EXACT})

    assert raised.value.http_status == 301
    assert [call.request.method for call in mock.calls] == ["POST"]


def test_redirect_of_a_get_is_followed(mock: responses.RequestsMock, transport: Transport) -> None:
    mock.get(f"{BASE}/api/v1/x", status=301, headers={"Location": f"{BASE}/api/v1/x/"})
    mock.get(f"{BASE}/api/v1/x/", json={"ok": True})

    assert transport.request("GET", "/api/v1/x") == {"ok": True}


def test_not_found_keeps_the_status(mock: responses.RequestsMock, transport: Transport) -> None:
    mock.get(f"{BASE}/api/v1/withdrawals/missing/", status=404, json={"detail": "Not found."})

    with pytest.raises(NotFound) as raised:
        transport.request("GET", "/api/v1/withdrawals/missing/")

    assert raised.value.http_status == 404
    assert raised.value.provider == "Ripio"


# -- answer size -----------------------------------------------------------------------------------


def test_an_answer_up_to_the_size_cap_is_read(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    text = "x" * (MAX_RESPONSE_BYTES - 2)
    mock.get(f"{BASE}/api/v1/x", body=f'"{text}"', content_type="application/json")

    assert transport.request("GET", "/api/v1/x") == text


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "gzip-bomb"])
def test_an_answer_over_the_size_cap_is_a_transport_error_not_retried(
    mock: responses.RequestsMock, transport: Transport, declared: bool
) -> None:
    too_much = b" " * (MAX_RESPONSE_BYTES + 1)
    if declared:
        mock.get(f"{BASE}/api/v1/x", body=too_much)
    else:  # small on the wire, too large decoded: only counting what is read catches it
        mock.get(
            f"{BASE}/api/v1/x", body=gzip.compress(too_much), headers={"Content-Encoding": "gzip"}
        )

    with pytest.raises(TransportError) as raised:
        transport.request("GET", "/api/v1/x")

    assert type(raised.value) is TransportError
    assert f"larger than {MAX_RESPONSE_BYTES} bytes" in str(raised.value)
    assert "never reached the server" not in str(raised.value)
    assert len(mock.calls) == 1  # the same answer would come again


def test_an_answer_over_the_size_cap_to_a_money_post_is_outcome_unknown(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.post(f"{BASE}/api/v1/withdrawals/", status=201, body=b"[" * (MAX_RESPONSE_BYTES + 1))

    with pytest.raises(OutcomeUnknown, match="larger than"):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert len(mock.calls) == 1


@pytest.mark.parametrize("declared", ["11", "9" * 19, "1" + "0" * 30, "00000000000000000000012"])
def test_a_declared_length_over_the_cap_is_refused_before_reading(declared: str) -> None:
    response = requests.Response()
    response.headers["Content-Length"] = declared
    unread = io.BytesIO(b"not read")
    response.raw = unread

    with pytest.raises(ResponseTooLarge):
        read_content(response, deadline=time.monotonic() + 5, limit=10)
    assert unread.tell() == 0


@pytest.mark.parametrize("declared", ["10", "0000000000000000000000010", "1\u0660", "", "-1"])
def test_a_declared_length_within_the_cap_or_unreadable_is_read(declared: str) -> None:
    response = requests.Response()
    response.headers["Content-Length"] = declared
    response.raw = urllib3.HTTPResponse(body=io.BytesIO(b"0123456789"), preload_content=False)

    assert read_content(response, deadline=time.monotonic() + 5, limit=10) == b"0123456789"
