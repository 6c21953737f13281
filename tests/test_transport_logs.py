"""Transport, what it shows: DEBUG logs, reprs and exception texts with every secret masked, and
answers that are credentials logged and kept only as their shape.
"""

from __future__ import annotations

import logging
import pickle

import pytest
import requests
import responses

from tests.transport_support import BASE, CLIENT_SECRET, PASSWORD_DIGEST, TOKEN, no_sleep
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import AuthenticationFailed, TransportError, UnexpectedResponse
from withdrawkit._secrets import Sealed
from withdrawkit._transport import Transport

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
            BASE, provider="Ripio", map_error=map_ripio_error, max_retries=0, sleep=no_sleep
        ) as made,
        pytest.raises(TransportError) as raised,
    ):
        made.request("GET", "/api/v1/x", params={"token": TOKEN})

    assert raised.value.method == "GET"
    assert raised.value.url == f"{BASE}/api/v1/x?token=[REDACTED]"
    assert TOKEN not in str(raised.value)
    assert TOKEN not in repr(raised.value)


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

    assert isinstance(answer, Sealed)  # sealed: no frame's locals show it
    assert answer.unsealed() == {"session": OPAQUE, "jwt": JWT, "ttl": 60}  # the caller gets it all
    assert OPAQUE not in repr(answer)
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
