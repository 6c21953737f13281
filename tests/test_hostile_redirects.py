"""Redirects over loopback: a read is never believed from another origin.

Two servers: "api" is the base URL the client was given, "elsewhere" another origin (same
host, another port). Before, requests followed a GET's redirect anywhere and the client
returned the other server's record or empty list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import withdrawkit as wk
from tests.loopback import ScriptedServer, Wire, answer, request_target
from tests.ripio_support import withdrawal
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import ALREADY_ACCEPTED
from withdrawkit._redirects import same_origin
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


@contextmanager
def pointing_to(location: str) -> Iterator[ScriptedServer]:
    """A server answering every request with a 302 or 307 (for a POST) to ``location``, in which
    ``{api}`` is its own port."""

    def script(wire: Wire, request: bytes) -> None:
        method, _ = request_target(request)
        status = "307 Temporary Redirect" if method == "POST" else "302 Found"
        wire.send(answer(status, headers=[("Location", location.format(api=server.port))]))

    with ScriptedServer(script) as server:
        yield server


@pytest.mark.parametrize(
    "location",
    [
        # urlsplit reads host 127.0.0.1 and port {api} after the "@"; urllib3 ends the authority
        # at the backslash and connects to the other origin's port.
        pytest.param("http://127.0.0.1:{elsewhere}\\@127.0.0.1:{api}/x", id="backslash"),
        pytest.param("http://127.0.0.1:{api}@127.0.0.1:{elsewhere}/x", id="userinfo"),
        pytest.param("//127.0.0.1:{elsewhere}/x", id="scheme-relative"),
        pytest.param("https://127.0.0.1:{api}/x", id="scheme-change"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_redirect_whose_connection_would_go_to_another_origin_is_refused(
    elsewhere: ScriptedServer, location: str, method: str
) -> None:
    with pointing_to(location.replace("{elsewhere}", str(elsewhere.port))) as api:
        transport = Transport(api.url, provider="Ripio", map_error=map_ripio_error)
        with transport, pytest.raises(wk.UnexpectedResponse, match="another origin"):
            transport.request(method, "/start", json_body={} if method == "POST" else None)

        assert [request_target(request) for request in api.requests] == [(method, "/start")]
    assert elsewhere.requests == []


def test_a_307_to_a_write_is_refused_without_claiming_it_would_become_a_get() -> None:
    with pointing_to("/api/v1/withdrawals/again/") as api:
        transport = Transport(api.url, provider="Ripio", map_error=map_ripio_error)
        with transport, pytest.raises(wk.UnexpectedResponse) as raised:
            transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    message = str(raised.value)
    assert "send the same request a second time" in message
    assert "as a GET" not in message
    assert raised.value.http_status == 307


def test_an_idn_base_url_and_its_punycode_redirect_are_one_origin() -> None:
    assert same_origin("https://bücher.example/api/", "https://xn--bcher-kva.example/api/w-1/")
    assert same_origin("HTTPS://Bücher.Example:443/", "https://xn--bcher-kva.example/")
    assert not same_origin("https://bücher.example/", "https://xn--bcher-kva.example:8443/")
    assert not same_origin("http://127.0.0.1:notaport/", "http://127.0.0.1:notaport/")
