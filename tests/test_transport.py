"""Transport: URLs, headers, exact JSON in and out, timeouts, error mapping, logs and reprs.

Retries are pinned in test_transport_retry.py, real sockets in test_transport_sockets.py.
"""

from __future__ import annotations

import enum
import gzip
import logging
import pickle
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests
import responses
from requests.adapters import HTTPAdapter
from responses import matchers
from urllib3.util.retry import Retry

from withdrawkit._arguments import query
from withdrawkit._error_mapping import ErrorResponse, map_onekonto_error, map_ripio_error
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
from withdrawkit._request_building import query_value
from withdrawkit._transport import DEFAULT_TIMEOUT, MAX_RESPONSE_BYTES, USER_AGENT, Transport

BASE = "https://sandbox-b2b.ripio.com"
TOKEN = "gAgXJcRMnGP6TG9vFcepgP6OMtProD"
CLIENT_SECRET = "cs-9f8e7d6c5b4a"
PASSWORD_DIGEST = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
EXACT = Decimal("0.00206525633592975968892629")


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock() as requests_mock:
        yield requests_mock


@pytest.fixture
def transport() -> Iterator[Transport]:
    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, sleep=_no_sleep) as made:
        yield made


def _no_sleep(seconds: float) -> None:
    raise AssertionError(f"this test expects no retry, but the transport slept {seconds}s")


# -- construction ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://sandbox-b2b.ripio.com", "https://sandbox-b2b.ripio.com"),
        ("https://sandbox-b2b.ripio.com/", "https://sandbox-b2b.ripio.com"),
        ("HTTPS://api.example:8443/prefix/", "https://api.example:8443/prefix"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_base_url_is_normalised_without_a_trailing_slash(given: str, expected: str) -> None:
    with Transport(given, provider="Ripio", map_error=map_ripio_error) as made:
        assert made.base_url == expected


@pytest.mark.parametrize(
    "base_url",
    [
        "",
        "sandbox-b2b.ripio.com",
        "ftp://api.example",
        "https://",
        "https://api.example/?env=sandbox",
        "https://api.example/#top",
        "https://api.example:99999",
        "https://api example",
    ],
)
def test_unusable_base_urls_are_refused(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        Transport(base_url, provider="Ripio", map_error=map_ripio_error)


def test_base_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError, match="credentials") as raised:
        Transport("https://user:hunter2@api.example", provider="Ripio", map_error=map_ripio_error)

    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize(
    "timeout",
    [(0, 30), (5, 0), (-1, 30), (float("inf"), 30), (5, float("nan")), (True, 30), ("5", 30)],
)
def test_timeouts_must_be_finite_and_positive(timeout: tuple[float, float]) -> None:
    with pytest.raises((ValueError, TypeError), match="timeout"):
        Transport(BASE, provider="Ripio", map_error=map_ripio_error, timeout=timeout)


@pytest.mark.parametrize("timeout", [5.0, (5.0,), (1.0, 2.0, 3.0), None])
def test_timeout_must_be_a_connect_read_pair(timeout: object) -> None:
    with pytest.raises(TypeError, match="timeout"):
        Transport(BASE, provider="Ripio", map_error=map_ripio_error, timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize("max_retries", [-1, 11, True, 1.5])
def test_max_retries_is_validated(max_retries: object) -> None:
    with pytest.raises((ValueError, TypeError), match="max_retries"):
        Transport(BASE, provider="Ripio", map_error=map_ripio_error, max_retries=max_retries)  # type: ignore[arg-type]


def test_default_timeout_is_finite() -> None:
    connect, read = DEFAULT_TIMEOUT
    assert 0 < connect < read < 120


# -- URLs and headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/withdrawals/", "api/v1/withdrawals/"])
def test_path_is_joined_to_the_base_url_keeping_its_trailing_slash(
    mock: responses.RequestsMock, transport: Transport, path: str
) -> None:
    mock.get(f"{BASE}/api/v1/withdrawals/", json={"results": []})

    transport.request("GET", path)

    assert mock.calls[0].request.url == f"{BASE}/api/v1/withdrawals/"


def test_base_url_path_prefix_is_kept(mock: responses.RequestsMock) -> None:
    mock.get("https://api.example/gateway/api/v1/x", json={})
    with Transport(
        "https://api.example/gateway/", provider="1Konto", map_error=map_onekonto_error
    ) as made:
        made.request("GET", "/api/v1/x")

    assert mock.calls[0].request.url == "https://api.example/gateway/api/v1/x"


@pytest.mark.parametrize(
    "path",
    ["https://evil.example/steal", "//evil.example/steal", "/a?page=2", "/a#b", "/a/../admin", ""],
)
def test_paths_that_could_leave_the_base_url_are_refused(
    mock: responses.RequestsMock, transport: Transport, path: str
) -> None:
    with pytest.raises(ValueError, match=r"path|params"):
        transport.request("GET", path)

    assert len(mock.calls) == 0


def test_every_request_names_withdrawkit_and_asks_for_json(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.get(f"{BASE}/api/v1/withdrawals/", json={})

    transport.request("GET", "/api/v1/withdrawals/", headers={"Authorization": f"Bearer {TOKEN}"})

    sent = mock.calls[0].request.headers
    assert sent["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("withdrawkit/0.")
    assert f" python-requests/{requests.__version__}" in USER_AGENT
    assert sent["Accept"] == "application/json"
    assert sent["Authorization"] == f"Bearer {TOKEN}"


class Status(str, enum.Enum):
    pending = "pending"


def test_query_parameters_are_written_for_the_wire(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.get(f"{BASE}/api/v1/x", json={})

    transport.request(
        "GET",
        "/api/v1/x",
        params={
            "status": Status.pending,
            "max": 100,
            "asc": True,
            "size": Decimal("1E-8"),
            "assetPairs": "USDT/USD,USDC/USD",
            "tag": ["a b", "c"],
            "omitted": None,
        },
    )

    assert mock.calls[0].request.url == (
        f"{BASE}/api/v1/x?status=pending&max=100&asc=true&size=0.00000001"
        "&assetPairs=USDT/USD,USDC/USD&tag=a+b&tag=c"
    )


def test_float_query_parameters_are_refused(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    with pytest.raises(TypeError, match="float"):
        transport.request("GET", "/api/v1/x", params={"size": 1.5})

    assert len(mock.calls) == 0


def test_the_clients_query_building_follows_the_transports_rules() -> None:
    # request_parts.query used to write values with str(): True became "True" and a float
    # slipped through. It now writes each value as the transport does, before any request.
    built = query(
        {"status": Status.pending, "asc": True, "size": Decimal("1E-8"), "max": 5, "gone": None}
    )

    assert built == {"status": "pending", "asc": "true", "size": "0.00000001", "max": "5"}
    assert built["asc"] == query_value("asc", True)
    with pytest.raises(TypeError, match="float"):
        query({"size": 1.5})


# -- request bodies --------------------------------------------------------------------------------


def test_json_body_arrives_with_every_decimal_digit(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    exact_body = '{"amount":0.00206525633592975968892629,"currency":"BTC","external_ref":"ref-1"}'
    mock.post(
        f"{BASE}/api/v1/withdrawals/",
        json={"id": "w-1"},
        status=201,
        match=[
            matchers.body_matcher(exact_body),
            matchers.header_matcher({"Content-Type": "application/json"}),
        ],
    )

    answer = transport.request(
        "POST",
        "/api/v1/withdrawals/",
        json_body={"amount": EXACT, "currency": "BTC", "external_ref": "ref-1"},
        moves_money=True,
    )

    assert answer == {"id": "w-1"}
    assert mock.calls[0].request.body == exact_body.encode()


def test_float_in_a_json_body_is_refused_before_sending(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    with pytest.raises(TypeError, match="float"):
        transport.request(
            "POST", "/api/v1/withdrawals/", json_body={"amount": 1.5}, moves_money=True
        )

    assert len(mock.calls) == 0


def test_form_is_sent_urlencoded(mock: responses.RequestsMock, transport: Transport) -> None:
    form = {"grant_type": "client_credentials", "client_id": "id", "client_secret": CLIENT_SECRET}
    mock.post(
        f"{BASE}/oauth2/token/",
        json={"access_token": TOKEN, "expires_in": 36000},
        match=[matchers.urlencoded_params_matcher(form)],
    )

    answer = transport.request("POST", "/oauth2/token/", form=form)

    assert answer == {"access_token": TOKEN, "expires_in": 36000}
    assert mock.calls[0].request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_json_body_and_form_together_are_refused(transport: Transport) -> None:
    with pytest.raises(ValueError, match="not both"):
        transport.request("POST", "/oauth2/token/", json_body={}, form={"a": "b"})


# -- timeouts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_every_request_is_sent_with_the_default_finite_timeout(
    mock: responses.RequestsMock, transport: Transport, method: str
) -> None:
    mock.add(method, f"{BASE}/api/v1/x", json={})

    transport.request(method, "/api/v1/x", json_body={} if method == "POST" else None)

    assert mock.calls[0].request.req_kwargs["timeout"] == DEFAULT_TIMEOUT  # type: ignore[attr-defined]


def test_a_configured_timeout_is_sent(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE}/api/v1/x", json={})
    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, timeout=(1, 2.5)) as made:
        assert made.timeout == (1.0, 2.5)
        made.request("GET", "/api/v1/x")

    assert mock.calls[0].request.req_kwargs["timeout"] == (1.0, 2.5)  # type: ignore[attr-defined]


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
        Transport(BASE, provider="1Konto", map_error=spy, sleep=_no_sleep) as made,
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


def test_unknown_method_is_refused(transport: Transport) -> None:
    with pytest.raises(ValueError, match="method"):
        transport.request("BREW", "/api/v1/x")


# -- sessions --------------------------------------------------------------------------------------


class SpySession(requests.Session):
    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()


def test_close_closes_the_session_the_transport_made(monkeypatch: pytest.MonkeyPatch) -> None:
    made_sessions: list[SpySession] = []

    def make() -> SpySession:
        made_sessions.append(SpySession())
        return made_sessions[-1]

    monkeypatch.setattr("withdrawkit._transport.requests.Session", make)
    Transport(BASE, provider="Ripio", map_error=map_ripio_error).close()

    assert [session.closed for session in made_sessions] == [True]


def test_a_session_the_caller_passed_is_used_and_left_open(mock: responses.RequestsMock) -> None:
    session = SpySession()
    session.headers["X-Team"] = "payments"
    mock.get(f"{BASE}/api/v1/x", json={})

    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made:
        made.request("GET", "/api/v1/x")

    assert mock.calls[0].request.headers["X-Team"] == "payments"
    assert not session.closed
    session.close()


# -- logs and reprs --------------------------------------------------------------------------------


def test_debug_logs_show_requests_and_answers_without_secrets(
    mock: responses.RequestsMock, transport: Transport, caplog: pytest.LogCaptureFixture
) -> None:
    mock.post(
        f"{BASE}/oauth2/token/",
        json={"access_token": TOKEN, "expires_in": 36000, "token_type": "Bearer"},
        headers={"Set-Cookie": f"session={TOKEN}"},
    )
    mock.post(f"{BASE}/api/v1/identity/jwt", json={"token": TOKEN})
    mock.get(f"{BASE}/api/v1/withdrawals/", status=401, body=f"bad token {TOKEN}")
    caplog.set_level(logging.DEBUG, logger="withdrawkit._transport")

    transport.request(
        "POST",
        "/oauth2/token/",
        form={
            "grant_type": "client_credentials",
            "client_id": "id",
            "client_secret": CLIENT_SECRET,
        },
    )
    transport.request(
        "POST",
        "/api/v1/identity/jwt",
        json_body={"user": "u@example.com", "password": PASSWORD_DIGEST},
    )
    with pytest.raises(AuthenticationFailed):
        transport.request(
            "GET",
            "/api/v1/withdrawals/",
            params={"access_token": TOKEN, "page": 2},
            headers={"Authorization": f"Bearer {TOKEN}", "X-Api-Key": CLIENT_SECRET},
        )

    logged = caplog.text
    for secret in (TOKEN, CLIENT_SECRET, PASSWORD_DIGEST):
        assert secret not in logged
    assert f"POST {BASE}/oauth2/token/" in logged
    assert f"POST {BASE}/api/v1/identity/jwt" in logged
    assert f"GET {BASE}/api/v1/withdrawals/?access_token=[REDACTED]&page=2" in logged
    assert "-> 200" in logged
    assert "-> 401" in logged
    assert "attempt 1 of 3" in logged
    assert '"client_id":"id"' in logged
    assert '"user":"u@example.com"' in logged
    assert "Bearer [REDACTED]" in logged
    assert '"token_type":"Bearer"' in logged
    assert all(record.name == "withdrawkit._transport" for record in caplog.records)


def test_nothing_is_logged_above_debug_for_a_plain_request(
    mock: responses.RequestsMock, transport: Transport, caplog: pytest.LogCaptureFixture
) -> None:
    mock.get(f"{BASE}/api/v1/x", json={})
    caplog.set_level(logging.INFO, logger="withdrawkit._transport")

    transport.request("GET", "/api/v1/x")

    assert caplog.records == []


def test_repr_shows_provider_and_base_url_only(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.get(f"{BASE}/api/v1/x", json={})
    transport.request("GET", "/api/v1/x", headers={"Authorization": f"Bearer {TOKEN}"})

    assert (
        repr(transport) == "<Transport provider='Ripio' base_url='https://sandbox-b2b.ripio.com'>"
    )
    assert str(transport) == repr(transport)


def test_transport_errors_carry_method_and_url_without_secret_parameters(
    mock: responses.RequestsMock,
) -> None:
    mock.get(f"{BASE}/api/v1/x", body=requests.exceptions.ConnectTimeout())
    with (
        Transport(
            BASE, provider="Ripio", map_error=map_ripio_error, max_retries=0, sleep=_no_sleep
        ) as made,
        pytest.raises(TransportError) as raised,
    ):
        made.request("GET", "/api/v1/x", params={"token": TOKEN})

    assert raised.value.method == "GET"
    assert raised.value.url == f"{BASE}/api/v1/x?token=[REDACTED]"
    assert TOKEN not in str(raised.value)
    assert TOKEN not in repr(raised.value)


def test_not_found_keeps_the_status(mock: responses.RequestsMock, transport: Transport) -> None:
    mock.get(f"{BASE}/api/v1/withdrawals/missing/", status=404, json={"detail": "Not found."})

    with pytest.raises(NotFound) as raised:
        transport.request("GET", "/api/v1/withdrawals/missing/")

    assert raised.value.http_status == 404
    assert raised.value.provider == "Ripio"


# -- answers that are secrets ----------------------------------------------------------------------

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlc2VjcmV0"
OPAQUE = "opaque-s3cret-value"


def test_a_secret_response_is_logged_as_its_shape_only(
    mock: responses.RequestsMock, transport: Transport, caplog: pytest.LogCaptureFixture
) -> None:
    # Login answers name their token as they like ("jwt", "accessJwt", "session"): no list of
    # secret field names can be complete, so none of the values is logged.
    mock.post(f"{BASE}/api/v1/identity/jwt", json={"session": OPAQUE, "jwt": JWT, "ttl": 60})
    caplog.set_level(logging.DEBUG, logger="withdrawkit._transport")

    answer = transport.request(
        "POST", "/api/v1/identity/jwt", json_body={"user": "u"}, secret_response=True
    )

    assert answer == {"session": OPAQUE, "jwt": JWT, "ttl": 60}  # the caller gets it all
    assert OPAQUE not in caplog.text
    assert JWT not in caplog.text
    assert "'session' (str), 'jwt' (str), 'ttl' (int); values withheld" in caplog.text


def test_an_unreadable_secret_response_keeps_only_its_shape(
    mock: responses.RequestsMock, transport: Transport, caplog: pytest.LogCaptureFixture
) -> None:
    mock.post(f"{BASE}/api/v1/identity/jwt", body=OPAQUE, content_type="text/plain")
    caplog.set_level(logging.DEBUG, logger="withdrawkit._transport")

    with pytest.raises(UnexpectedResponse) as raised:
        transport.request(
            "POST", "/api/v1/identity/jwt", json_body={"user": "u"}, secret_response=True
        )

    error = raised.value
    assert error.http_status == 200
    assert error.body == f"text of {len(OPAQUE)} characters; withheld"
    for shown in (str(error), repr(error), error.body, caplog.text):
        assert OPAQUE not in shown
    assert OPAQUE.encode() not in pickle.dumps(error)


def test_a_jwt_in_an_ordinary_answer_is_masked_in_logs_and_exceptions(
    mock: responses.RequestsMock, transport: Transport, caplog: pytest.LogCaptureFixture
) -> None:
    mock.post(f"{BASE}/api/v1/identity/jwt", json={"jwt": JWT, "note": f"your token: {JWT}"})
    mock.post(f"{BASE}/api/v1/x", body=JWT, content_type="text/plain")
    caplog.set_level(logging.DEBUG, logger="withdrawkit._transport")

    transport.request("POST", "/api/v1/identity/jwt", json_body={"user": "u"})
    with pytest.raises(UnexpectedResponse) as raised:
        transport.request("POST", "/api/v1/x", json_body={})

    assert JWT not in caplog.text
    assert JWT not in str(raised.value)
    assert JWT not in raised.value.body


# -- requests that cannot be built -----------------------------------------------------------------


@pytest.mark.parametrize(
    "token", ["s3cr3t-tok\r\n", "s3cr3t tok\nX-Evil: 1", "s3cr3t\rtok"], ids=["crlf", "lf", "cr"]
)
@pytest.mark.parametrize("moves_money", [False, True])
def test_a_header_value_with_a_line_break_is_a_transport_error_naming_no_secret(
    mock: responses.RequestsMock, transport: Transport, token: str, moves_money: bool
) -> None:
    with pytest.raises(TransportError) as raised:
        transport.request(
            "POST",
            "/api/v1/withdrawals/",
            json_body={},
            headers={"Authorization": f"Bearer {token}"},
            moves_money=moves_money,
        )

    error = raised.value
    assert type(error) is TransportError  # nothing was sent: never OutcomeUnknown
    assert "'Authorization'" in str(error)
    assert "never reached the server" in str(error)
    for shown in (str(error), repr(error)):
        assert "s3cr3t" not in shown
    # requests' own exception quotes the value: it is neither the cause nor the context.
    assert error.__cause__ is None
    assert error.__context__ is None
    assert len(mock.calls) == 0


def test_a_bad_session_header_is_named_too(mock: responses.RequestsMock) -> None:
    session = requests.Session()
    session.headers["X-Api-Key"] = "k3y\r\nX-Evil: 1"
    with (
        Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made,
        pytest.raises(TransportError, match="'X-Api-Key'") as raised,
    ):
        made.request("GET", "/api/v1/x")

    assert "k3y" not in str(raised.value)
    assert len(mock.calls) == 0


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


# -- the caller's adapters -------------------------------------------------------------------------


class RecordingAdapter(HTTPAdapter):
    """A caller's adapter subclass: records which Retry each request was sent with."""

    def __init__(self, sent: list[tuple[str, Retry]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent = sent

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.sent.append((request.method or "", self.max_retries))
        return super().send(request, *args, **kwargs)


def test_money_posts_go_through_the_callers_adapter_with_urllib3_retries_off(
    mock: responses.RequestsMock,
) -> None:
    sent: list[tuple[str, Retry]] = []
    retry = Retry(total=3, allowed_methods=None, status_forcelist=[502, 503])
    adapter = RecordingAdapter(sent, max_retries=retry)
    session = requests.Session()
    session.mount("https://", adapter)
    mock.get(f"{BASE}/api/v1/x", json={})
    mock.post(f"{BASE}/oauth2/token/", json={})
    mock.post(f"{BASE}/api/v1/withdrawals/", status=201, json={"id": "w-1"})

    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made:
        made.request("GET", "/api/v1/x")
        made.request("POST", "/oauth2/token/", form={"grant_type": "client_credentials"})
        made.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    (get, get_retry), (login, login_retry), (money, money_retry) = sent
    assert (get, login, money) == ("GET", "POST", "POST")
    assert get_retry is retry  # reads keep the caller's retries
    assert login_retry is retry
    # The money POST went through a copy of the caller's adapter (its overridden send ran)
    # with requests' default Retry, which re-sends nothing.
    assert money_retry.total == 0
    assert money_retry.read is False
    assert not money_retry.is_retry("POST", 503, has_retry_after=True)
    # The caller's session and adapter are left as they were.
    assert session.adapters["https://"] is adapter
    assert adapter.max_retries is retry
    session.close()


def test_a_session_subclass_and_its_cookies_still_apply_to_money_posts(
    mock: responses.RequestsMock,
) -> None:
    class SigningSession(requests.Session):
        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            request.headers["X-Signed"] = "yes"
            return super().send(request, **kwargs)

    session = SigningSession()
    mock.post(
        f"{BASE}/api/v1/withdrawals/",
        status=201,
        json={"id": "w-1"},
        headers={"Set-Cookie": "route=b2; Path=/"},
    )

    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made:
        made.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert mock.calls[0].request.headers["X-Signed"] == "yes"
    assert session.cookies.get("route") == "b2"  # the caller's cookie jar got it


def test_a_session_hook_that_reads_the_body_first_does_not_hide_it(
    mock: responses.RequestsMock,
) -> None:
    seen: list[bytes] = []

    def hook(response: requests.Response, *args: object, **kwargs: object) -> None:
        seen.append(response.content)

    session = requests.Session()
    session.hooks["response"].append(hook)
    mock.get(f"{BASE}/api/v1/x", json={"ok": True})

    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made:
        assert made.request("GET", "/api/v1/x") == {"ok": True}

    assert seen == [b'{"ok": true}']
