"""Redirects over loopback: a read is never believed from another origin.

Two servers: "api" is the base URL the client was given, "elsewhere" another origin (same
host, another port). Before, requests followed a GET's redirect anywhere and the client
returned the other server's record or empty list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

import withdrawkit as wk
from tests.loopback import ScriptedServer, Wire, answer, request_target
from tests.ripio_support import withdrawal
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import ALREADY_ACCEPTED
from withdrawkit._transport import Transport

TOKEN = "tok-redirect-7f3a9c"
RECORD = withdrawal()
JSON_TYPE = [("Content-Type", "application/json")]


def json_answer(status: str, value: object) -> bytes:
    return answer(status, json.dumps(value).encode(), JSON_TYPE)


def elsewhere_script(wire: Wire, request: bytes) -> None:
    # The other origin answers every read as a server that knows nothing would.
    _, path = request_target(request)
    if path.startswith("/api/v1/accounting/"):
        wire.send(json_answer("200 OK", {"withdrawRequests": []}))
    else:
        wire.send(json_answer("200 OK", {**RECORD, "status": "FAILED"}))


@pytest.fixture
def elsewhere() -> Iterator[ScriptedServer]:
    with ScriptedServer(elsewhere_script) as server:
        yield server


@pytest.fixture
def api(elsewhere: ScriptedServer) -> Iterator[ScriptedServer]:
    def script(wire: Wire, request: bytes) -> None:
        method, path = request_target(request)
        if path == "/oauth2/token/":
            issued = {"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer"}
            wire.send(json_answer("200 OK", {**issued, "scope": "read write"}))
        elif path == "/api/v1/identity/jwt":
            wire.send(json_answer("200 OK", {"token": TOKEN}))
        elif path == "/api/v1/withdrawals/old/":
            wire.send(
                answer("301 Moved Permanently", headers=[("Location", "/api/v1/withdrawals/w-1/")])
            )
        elif path == "/api/v1/withdrawals/w-1/":
            wire.send(json_answer("200 OK", RECORD))
        elif method == "POST" and path == "/api/v1/withdrawals/":
            wire.send(answer("303 See Other", headers=[("Location", "/api/v1/withdrawals/w-9/")]))
        else:  # every other read is sent to the same path on the other origin
            away = f"{elsewhere.url}{path.partition('?')[0]}?access_token=s3cr3t-in-location&page=2"
            wire.send(answer("302 Found", headers=[("Location", away)]))

    with ScriptedServer(script) as server:
        yield server


def test_a_read_redirected_to_another_origin_is_refused_naming_the_target(
    api: ScriptedServer, elsewhere: ScriptedServer
) -> None:
    client = wk.RipioClient(api.url, client_id="id-1", client_secret="cs-1-long")
    with client, pytest.raises(wk.UnexpectedResponse) as raised:
        client.get_withdrawal("w-2")

    message = str(raised.value)
    assert "redirected to another origin" in message
    away = f"{elsewhere.url}/api/v1/withdrawals/w-2/?access_token=[REDACTED]&page=2"
    assert away in message
    assert "s3cr3t-in-location" not in message
    assert raised.value.http_status == 302
    assert elsewhere.requests == []  # the other origin never heard from the client


def test_a_redirected_listing_is_not_taken_for_an_empty_one(
    api: ScriptedServer, elsewhere: ScriptedServer
) -> None:
    with (
        wk.OneKontoClient(api.url, user="u", password="pw", account_id="acct-1") as client,
        pytest.raises(wk.UnexpectedResponse, match="another origin"),
    ):
        client.query_withdraw_requests()

    assert elsewhere.requests == []


def test_a_same_origin_redirect_of_a_read_is_followed(api: ScriptedServer) -> None:
    with Transport(api.url, provider="Ripio", map_error=map_ripio_error) as transport:
        answered = transport.request("GET", "/api/v1/withdrawals/old/")

    assert answered["id"] == RECORD["id"]
    assert [request_target(request) for request in api.requests] == [
        ("GET", "/api/v1/withdrawals/old/"),
        ("GET", "/api/v1/withdrawals/w-1/"),
    ]


def test_a_303_to_a_money_post_says_it_was_accepted_and_is_not_followed(
    api: ScriptedServer,
) -> None:
    transport = Transport(api.url, provider="Ripio", map_error=map_ripio_error)
    with transport, pytest.raises(wk.UnexpectedResponse) as raised:
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert ALREADY_ACCEPTED in str(raised.value)
    assert f"{api.url}/api/v1/withdrawals/w-9/" in str(raised.value)
    assert raised.value.http_status == 303
    assert [request_target(request) for request in api.requests] == [
        ("POST", "/api/v1/withdrawals/")
    ]
