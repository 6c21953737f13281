"""RipioClient's access token over a mocked HTTP layer: the client-credentials request, its
lifetime, answers it refuses, renewal after a rejection, one token for many threads, and no
secret shown."""

from __future__ import annotations

import json
import logging
import threading
import time
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
import responses

import withdrawkit as wk
from tests import ripio_support
from tests.clocks import ManualClock
from tests.mock_calls import body_of
from tests.ripio_support import (
    BASE,
    SECRET,
    TOKEN_URL,
    WITHDRAWALS_URL,
    add_token,
    urls,
    withdrawal,
)
from withdrawkit._auth import DEFAULT_RENEW_MARGIN, DEFAULT_TOKEN_LIFETIME
from withdrawkit._ripio_client import RipioClient

clock = ripio_support.clock
client = ripio_support.client

NOT_AUTHENTICATED = {
    "code": 40001,
    "type": "NotAuthenticated",
    "detail": {
        "message": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    },
    "status": 403,
}


# -- token --------------------------------------------------------------------------------------


def test_the_token_is_requested_with_form_encoded_client_credentials(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())

    client.get_withdrawal("w-1")

    token_request = rsps.calls[0].request
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert isinstance(token_request.body, str)
    assert parse_qs(token_request.body) == {
        "grant_type": ["client_credentials"],
        "client_id": ["id-1"],
        "client_secret": [SECRET],
    }
    assert rsps.calls[1].request.headers["Authorization"] == "Bearer tok-1"


def test_the_token_is_kept_until_expires_in_minus_the_margin(
    rsps: responses.RequestsMock, client: RipioClient, clock: ManualClock
) -> None:
    add_token(rsps, "tok-1", expires_in=36000)
    add_token(rsps, "tok-2")
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())

    client.get_withdrawal("w-1")
    clock.now += 36000 - DEFAULT_RENEW_MARGIN - 1
    client.get_withdrawal("w-1")
    clock.now += 2
    client.get_withdrawal("w-1")

    assert urls(rsps).count(TOKEN_URL) == 2
    used = [
        call.request.headers["Authorization"]
        for call in rsps.calls
        if call.request.url != TOKEN_URL
    ]
    assert used == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_bad_client_credentials_raise_authentication_failed_after_one_token_request(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    rsps.add(responses.POST, TOKEN_URL, status=401, json={"error": "invalid_client"})

    with pytest.raises(wk.AuthenticationFailed):
        client.get_withdrawal("w-1")
    assert urls(rsps) == [TOKEN_URL]


def test_a_malformed_token_answer_is_unexpected_and_never_shows_the_token(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    # token_type is REQUIRED by RFC 6749 §5.1 (expires_in and scope are not: see below).
    rsps.add(responses.POST, TOKEN_URL, json={"access_token": "tok-s3cret", "expires_in": 60})

    with pytest.raises(wk.UnexpectedResponse) as raised:
        client.get_withdrawal("w-1")
    assert "tok-s3cret" not in str(raised.value)
    assert "tok-s3cret" not in raised.value.body


@pytest.mark.parametrize(
    ("answer", "kept_for"),
    [
        ({"access_token": "tok-1", "token_type": "Bearer"}, 3600),
        ({"access_token": "tok-1", "token_type": "bearer", "scope": "read write"}, 3600),
        ({"access_token": "tok-1", "token_type": "Bearer", "expires_in": 36000}, 36000),
    ],
    ids=["neither-scope-nor-expires_in", "lowercase-type-no-expires_in", "no-scope"],
)
def test_a_token_answer_without_scope_or_expires_in_is_accepted_as_rfc_6749_allows(
    rsps: responses.RequestsMock,
    client: RipioClient,
    clock: ManualClock,
    answer: dict[str, Any],
    kept_for: int,
) -> None:
    rsps.add(responses.POST, TOKEN_URL, json=answer)
    rsps.add(responses.POST, TOKEN_URL, json={**answer, "access_token": "tok-2"})
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())

    client.get_withdrawal("w-1")
    clock.now += kept_for - DEFAULT_RENEW_MARGIN - 1
    client.get_withdrawal("w-1")
    clock.now += 2
    client.get_withdrawal("w-1")

    assert DEFAULT_TOKEN_LIFETIME == 3600  # the default the spec and README document
    used = [
        call.request.headers["Authorization"]
        for call in rsps.calls
        if call.request.url != TOKEN_URL
    ]
    assert used == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_a_token_of_another_type_than_bearer_is_refused_and_never_shown(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    rsps.add(responses.POST, TOKEN_URL, json={"access_token": "tok-s3cret", "token_type": "mac"})

    with pytest.raises(wk.UnexpectedResponse, match="not Bearer") as raised:
        client.get_withdrawal("w-1")
    assert "tok-s3cret" not in str(raised.value)
    assert urls(rsps) == [TOKEN_URL]


def test_the_token_answer_is_never_logged_or_kept_beyond_its_shape(
    rsps: responses.RequestsMock, client: RipioClient, caplog: pytest.LogCaptureFixture
) -> None:
    answer = {
        "access_token": "tok-1",
        "expires_in": 36000,
        "token_type": "Bearer",
        "scope": "read write",
        "id_token": "s3cr3t-id",
    }
    rsps.add(responses.POST, TOKEN_URL, json=answer)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())
    with caplog.at_level(logging.DEBUG, logger="withdrawkit"):
        client.get_withdrawal("w-1")
    assert "'id_token'" in caplog.text
    assert "s3cr3t" not in caplog.text

    rsps.replace(responses.POST, TOKEN_URL, body="<p>access_token s3cr3t-tok</p>")
    with (
        RipioClient(BASE, client_id="id-1", client_secret=SECRET) as fresh,
        pytest.raises(wk.UnexpectedResponse) as raised,
    ):
        fresh.get_withdrawal("w-1")
    assert "s3cr3t" not in str(raised.value)
    assert "s3cr3t" not in raised.value.body


@pytest.mark.parametrize(
    "issued",
    ["s3cr3t-tok\r\n", "s3cr3t tok\nX-Evil: 1", " s3cr3t", "s3cr3t\u00e9", "s3c=r3t", ""],
    ids=["crlf", "header-injection", "leading-space", "non-ascii", "inner-padding", "empty"],
)
def test_a_token_that_cannot_be_a_bearer_token_is_refused_and_never_shown(
    rsps: responses.RequestsMock, client: RipioClient, issued: str
) -> None:
    add_token(rsps, issued)
    add_token(rsps, "tok-2")
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())

    with pytest.raises(wk.UnexpectedResponse, match="get access token: the token") as raised:
        client.get_withdrawal("w-1")
    assert "s3cr3t" not in str(raised.value)
    assert "s3cr3t" not in raised.value.body
    assert urls(rsps) == [TOKEN_URL]
    client.get_withdrawal("w-1")  # nothing was cached: a new token is fetched
    assert rsps.calls[-1].request.headers["Authorization"] == "Bearer tok-2"


@pytest.mark.parametrize(
    ("status", "body"),
    [(401, {"detail": "Invalid token."}), (403, NOT_AUTHENTICATED)],
    ids=["401", "403-code-40001"],
)
def test_a_rejected_token_is_renewed_once_and_the_call_repeated_once(
    rsps: responses.RequestsMock, client: RipioClient, status: int, body: dict[str, Any]
) -> None:
    add_token(rsps, "tok-1")
    add_token(rsps, "tok-2")
    rsps.add(responses.POST, WITHDRAWALS_URL, status=status, json=body)
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json=withdrawal())

    created = client.create_withdrawal(
        "1.5 BTC", end_user="customer_10", address="bc1qexample", network="BITCOIN_TESTNET"
    )

    assert created.amount == Decimal("1.5")
    assert urls(rsps) == [TOKEN_URL, WITHDRAWALS_URL, TOKEN_URL, WITHDRAWALS_URL]
    assert rsps.calls[3].request.headers["Authorization"] == "Bearer tok-2"
    assert body_of(rsps.calls[3]) == body_of(rsps.calls[1])


def test_a_second_rejection_raises_authentication_failed(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps, "tok-1")
    add_token(rsps, "tok-2")
    rsps.add(responses.POST, WITHDRAWALS_URL, status=403, json=NOT_AUTHENTICATED)
    rsps.add(responses.POST, WITHDRAWALS_URL, status=401, json={"detail": "Invalid token."})
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json=withdrawal())  # never reached

    with pytest.raises(wk.AuthenticationFailed):
        client.create_withdrawal("1.5 BTC", end_user="customer_10", address="a", network="BITCOIN")
    assert urls(rsps).count(WITHDRAWALS_URL) == 2
    assert urls(rsps).count(TOKEN_URL) == 2


def test_a_403_that_is_not_40001_is_not_a_token_problem_and_is_not_retried(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps, "tok-1")
    rsps.add(
        responses.POST,
        WITHDRAWALS_URL,
        status=403,
        json={
            "code": 40003,
            "type": "PermissionDenied",
            "detail": {"message": "no"},
            "status": 403,
        },
    )

    with pytest.raises(wk.APIError) as raised:
        client.create_withdrawal("1.5 BTC", end_user="customer_10", address="a", network="BITCOIN")
    assert raised.value.http_status == 403
    assert urls(rsps) == [TOKEN_URL, WITHDRAWALS_URL]


def test_sixteen_threads_sharing_one_client_get_one_token(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    def slow_token(_: Any) -> tuple[int, dict[str, str], str]:
        time.sleep(0.05)  # keep the first token request in flight while the others arrive
        answer = {
            "access_token": "tok-shared",
            "expires_in": 36000,
            "token_type": "Bearer",
            "scope": "s",
        }
        return 200, {}, json.dumps(answer)

    rsps.add_callback(responses.POST, TOKEN_URL, callback=slow_token)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())
    start = threading.Barrier(16)
    failures: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            client.get_withdrawal("w-1")
        except BaseException as error:  # noqa: BLE001 - reported through the assertion below
            failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert urls(rsps).count(TOKEN_URL) == 1
    assert urls(rsps).count(f"{WITHDRAWALS_URL}w-1/") == 16


# -- repr ---------------------------------------------------------------------------------------


def test_repr_never_shows_the_secret_or_the_token(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps, "tok-s3cret")
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())
    client.get_withdrawal("w-1")

    shown = repr(client)

    assert shown == f"RipioClient(base_url={BASE!r}, client_id='id-1')"
    assert SECRET not in shown
    assert "tok-s3cret" not in shown
