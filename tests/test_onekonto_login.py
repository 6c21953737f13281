"""OneKontoClient's login over a mocked HTTP layer: the password digest, the token it returns,
the token's lifetime and renewal, one login for many threads, and no secret shown."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
from typing import Any

import pytest
import responses
from responses import matchers

import withdrawkit as wk
from tests import onekonto_support
from tests.clocks import ManualClock, on_clocks
from tests.mock_calls import body_of
from tests.onekonto_support import (
    ACCOUNT,
    ACCOUNT_URL,
    BASE,
    BLOCKCHAIN_URL,
    LOGIN_URL,
    PLAINTEXT,
    RECEIPT,
    WALL_NOW,
    add_login,
)
from withdrawkit._auth import DEFAULT_RENEW_MARGIN
from withdrawkit._jwt_claims import jwt_expiry
from withdrawkit._onekonto_client import TOKEN_LIFETIME, OneKontoClient, password_digest

clock = onekonto_support.clock
client = onekonto_support.client


def jwt_with(claims: dict[str, Any]) -> str:
    def segment(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{segment({'alg': 'HS256', 'typ': 'JWT'})}.{segment(claims)}.c2lnbmF0dXJl"


# -- login --------------------------------------------------------------------------------------


def test_login_sends_the_sha256_hex_of_the_password_as_in_the_worked_example(
    rsps: responses.RequestsMock,
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})
    with OneKontoClient(BASE, user="u@example.com", password="password", account_id=ACCOUNT) as k:
        k.get_account()

    assert body_of(rsps.calls[0]) == {
        "user": "u@example.com",
        "password": "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8",
    }


def test_the_plaintext_password_never_leaves_the_process(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)
    client.request_withdraw_blockchain("1 BTC")

    digest = hashlib.sha256(PLAINTEXT.encode()).hexdigest()
    assert body_of(rsps.calls[0])["password"] == digest
    for call in rsps.calls:
        sent = f"{call.request.url} {call.request.headers} {call.request.body!r}"
        assert PLAINTEXT not in sent


def test_a_prehashed_password_is_sent_as_given_in_lower_case(rsps: responses.RequestsMock) -> None:
    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)
    digest = hashlib.sha256(b"password").hexdigest()
    with OneKontoClient(
        BASE, user="u", password=digest.upper(), account_id=ACCOUNT, password_is_prehashed=True
    ) as k:
        k.request_withdraw_blockchain("1 BTC")

    assert body_of(rsps.calls[0])["password"] == digest


def test_a_plaintext_passed_as_prehashed_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="64-digit hex") as refused:
        password_digest(PLAINTEXT, prehashed=True)
    assert PLAINTEXT not in str(refused.value)


def test_login_service_is_configurable(rsps: responses.RequestsMock) -> None:
    rsps.add(responses.POST, f"{BASE}/api/v1/accounting/jwt", json={"token": "tok-acc"})
    rsps.add(
        responses.POST,
        BLOCKCHAIN_URL,
        json=RECEIPT,
        match=[matchers.header_matcher({"Authorization": "Bearer tok-acc"})],
    )
    with OneKontoClient(
        BASE, user="u", password="p", account_id=ACCOUNT, login_service="accounting"
    ) as k:
        k.request_withdraw_blockchain("1 BTC")
    assert len(rsps.calls) == 2


def test_bad_credentials_raise_authentication_failed_after_one_login_attempt(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    rsps.add(responses.POST, LOGIN_URL, status=401, json={"status": 401, "error": "Unauthorized"})

    with pytest.raises(wk.AuthenticationFailed):
        client.get_account()
    assert [call.request.url for call in rsps.calls] == [LOGIN_URL]


def test_a_login_answer_without_a_token_is_unexpected_and_keeps_secrets_out_of_the_message(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    rsps.add(responses.POST, LOGIN_URL, json={"jwt": "j-s3cret", "refresh_token": "r-s3cret"})

    with pytest.raises(wk.UnexpectedResponse) as raised:
        client.get_account()
    for secret in ("j-s3cret", "r-s3cret"):
        assert secret not in str(raised.value)
        assert secret not in raised.value.body
    assert "'jwt'" in raised.value.body


@pytest.mark.parametrize(
    "issued",
    [
        "s3cr3t-tok\r\n",
        "s3cr3t tok\nX-Evil: 1",
        " s3cr3t-leading-space",
        "s3cr3t-t\u00f6ken",
        "s3cr3t=padding-in-the-middle",
        "",
    ],
)
def test_a_token_that_cannot_be_a_bearer_token_is_refused_at_login_and_never_shown(
    rsps: responses.RequestsMock, client: OneKontoClient, issued: str
) -> None:
    add_login(rsps, issued)
    add_login(rsps, "tok-2")
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})

    with pytest.raises(wk.UnexpectedResponse, match="login: the token") as raised:
        client.get_account()
    assert "s3cr3t" not in str(raised.value)
    assert "s3cr3t" not in raised.value.body
    assert [call.request.url for call in rsps.calls] == [LOGIN_URL]
    # Not cached: the next call logs in again and uses the new token.
    client.get_account()
    assert rsps.calls[-1].request.headers["Authorization"] == "Bearer tok-2"


def test_the_login_answer_is_never_logged_or_kept_beyond_its_shape(
    rsps: responses.RequestsMock, client: OneKontoClient, caplog: pytest.LogCaptureFixture
) -> None:
    # A credential under a name no redaction list foresees, then an unreadable login answer.
    rsps.add(responses.POST, LOGIN_URL, json={"token": "tok-1", "session": "s3cr3t-session"})
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})
    with caplog.at_level(logging.DEBUG, logger="withdrawkit"):
        client.get_account()
    assert "'session'" in caplog.text
    assert "s3cr3t" not in caplog.text

    rsps.replace(responses.POST, LOGIN_URL, body="<p>Welcome! s3cr3t-session</p>")
    with (
        OneKontoClient(BASE, user="u", password="p", account_id=ACCOUNT) as fresh,
        pytest.raises(wk.UnexpectedResponse) as raised,
    ):
        fresh.get_account()
    assert "s3cr3t" not in str(raised.value)
    assert "s3cr3t" not in raised.value.body


def test_jwt_and_base64_tokens_are_accepted_as_they_are(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    issued = jwt_with({"sub": "u"}) + "~+/=="
    add_login(rsps, issued)
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})

    client.get_account()
    assert rsps.calls[1].request.headers["Authorization"] == f"Bearer {issued}"


# -- token lifetime and renewal -----------------------------------------------------------------


def test_token_is_reused_until_shortly_before_24_hours_then_renewed(
    rsps: responses.RequestsMock, client: OneKontoClient, clock: ManualClock
) -> None:
    add_login(rsps, "tok-1")
    add_login(rsps, "tok-2")
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)

    client.request_withdraw_blockchain("1 BTC")
    clock.now += TOKEN_LIFETIME - DEFAULT_RENEW_MARGIN - 1
    client.request_withdraw_blockchain("1 BTC")
    clock.now += 2
    client.request_withdraw_blockchain("1 BTC")

    logins = [call for call in rsps.calls if call.request.url == LOGIN_URL]
    assert len(logins) == 2
    tokens = [
        call.request.headers["Authorization"] for call in rsps.calls[1:] if call not in logins
    ]
    assert tokens == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_an_exp_claim_in_the_token_sets_its_lifetime(
    rsps: responses.RequestsMock, client: OneKontoClient, clock: ManualClock
) -> None:
    add_login(rsps, jwt_with({"sub": "u", "exp": int(WALL_NOW) + 1000}))
    add_login(rsps, "tok-2")
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})

    client.get_account()
    clock.now += 650  # 1000 s of life, renewed 300 s before the end
    client.get_account()
    assert len(rsps.calls) == 3
    clock.now += 100
    client.get_account()
    assert [call.request.url for call in rsps.calls].count(LOGIN_URL) == 2


@pytest.mark.parametrize(
    "token",
    [
        "opaque-token",
        "a.b.c",
        "a.bm90IGpzb24.c",  # payload "not json"
        jwt_with({"exp": "tomorrow"}),
        jwt_with({"exp": True}),
        "x." + base64.urlsafe_b64encode(b"[1, 2]").decode() + ".y",
    ],
)
def test_tokens_without_a_readable_exp_have_no_expiry(token: str) -> None:
    assert jwt_expiry(token) is None


@pytest.mark.parametrize(
    "exp",
    [10**400, -(10**400), 0, -5, 10**11, "1e400", [[1]] * 2],
    ids=["10**400", "-10**400", "zero", "negative", "10**11", "a-string", "a-list"],
)
def test_an_implausible_exp_is_no_expiry(exp: object) -> None:
    assert jwt_expiry(jwt_with({"exp": exp})) is None


def test_a_token_with_an_overflowing_exp_gets_the_documented_lifetime(
    rsps: responses.RequestsMock, client: OneKontoClient, clock: ManualClock
) -> None:
    # exp = 10**400 used to escape get_account() as a raw OverflowError.
    add_login(rsps, jwt_with({"sub": "u", "exp": 10**400}))
    add_login(rsps, "tok-2")
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})

    client.get_account()
    clock.now += TOKEN_LIFETIME - DEFAULT_RENEW_MARGIN - 1
    client.get_account()
    assert [call.request.url for call in rsps.calls].count(LOGIN_URL) == 1
    clock.now += 2
    client.get_account()
    assert [call.request.url for call in rsps.calls].count(LOGIN_URL) == 2


def test_the_exp_claim_is_compared_with_the_injected_wall_clock(
    rsps: responses.RequestsMock, clock: ManualClock
) -> None:
    # By the injected wall clock the token lives 2000 s; by the real one it expired long ago.
    add_login(rsps, jwt_with({"sub": "u", "exp": 1_000_002_000}))
    add_login(rsps, "tok-2")
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})
    k = OneKontoClient(BASE, user="u", password="p", account_id=ACCOUNT)
    with on_clocks(k, clock, lambda: 1e9):
        k.get_account()
        clock.now += 2000 - DEFAULT_RENEW_MARGIN - 1
        k.get_account()
        assert [call.request.url for call in rsps.calls].count(LOGIN_URL) == 1
        clock.now += 2
        k.get_account()
    assert [call.request.url for call in rsps.calls].count(LOGIN_URL) == 2


def test_a_payload_nested_too_deeply_is_no_expiry() -> None:
    payload = base64.urlsafe_b64encode(b"[" * 100_000 + b"]" * 100_000).rstrip(b"=").decode()
    assert jwt_expiry(f"e30.{payload}.c2ln") is None


def test_exp_claims_are_read_from_unpadded_base64url() -> None:
    assert jwt_expiry(jwt_with({"exp": 1700000000})) == 1700000000.0
    assert jwt_expiry(jwt_with({"exp": 1700000000.5})) == 1700000000.5


def test_a_401_renews_the_token_once_and_repeats_the_call_once(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps, "tok-1")
    add_login(rsps, "tok-2")
    rsps.add(responses.POST, BLOCKCHAIN_URL, status=401, json={"status": 401, "error": "expired"})
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)

    receipt = client.request_withdraw_blockchain("1 BTC", network="bitcoin", address="addr")

    assert receipt.withdraw_request_id == "oiJ8s7oh8EqFwwnkZViCGg"
    assert [call.request.url for call in rsps.calls] == [
        LOGIN_URL,
        BLOCKCHAIN_URL,
        LOGIN_URL,
        BLOCKCHAIN_URL,
    ]
    assert rsps.calls[1].request.headers["Authorization"] == "Bearer tok-1"
    assert rsps.calls[3].request.headers["Authorization"] == "Bearer tok-2"
    assert body_of(rsps.calls[3]) == body_of(rsps.calls[1])


def test_a_second_401_raises_authentication_failed(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps, "tok-1")
    add_login(rsps, "tok-2")
    rsps.add(responses.POST, BLOCKCHAIN_URL, status=401, json={"status": 401, "error": "expired"})
    rsps.add(responses.POST, BLOCKCHAIN_URL, status=401, json={"status": 401, "error": "expired"})
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)  # must never be reached

    with pytest.raises(wk.AuthenticationFailed) as raised:
        client.request_withdraw_blockchain("1 BTC")

    assert raised.value.http_status == 401
    assert [call.request.url for call in rsps.calls].count(BLOCKCHAIN_URL) == 2
    assert [call.request.url for call in rsps.calls].count(LOGIN_URL) == 2


def test_sixteen_threads_sharing_one_client_log_in_once(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    def slow_login(_: Any) -> tuple[int, dict[str, str], str]:
        time.sleep(0.05)  # keep the first login in flight while the other threads arrive
        return 200, {}, json.dumps({"token": "tok-shared"})

    rsps.add_callback(responses.POST, LOGIN_URL, callback=slow_login)
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})
    start = threading.Barrier(16)
    failures: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            client.get_account()
        except BaseException as error:  # noqa: BLE001 - reported through the assertion below
            failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    urls = [call.request.url for call in rsps.calls]
    assert urls.count(LOGIN_URL) == 1
    assert urls.count(ACCOUNT_URL) == 16


# -- repr and credentials -----------------------------------------------------------------------


def test_repr_shows_base_url_and_account_but_no_secret(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps, "tok-s3cret")
    rsps.add(responses.GET, ACCOUNT_URL, json={"account": {"accountId": ACCOUNT, "balances": {}}})
    client.get_account()

    shown = repr(client)

    assert shown == f"OneKontoClient(base_url={BASE!r}, account_id={ACCOUNT!r})"
    for secret in (PLAINTEXT, hashlib.sha256(PLAINTEXT.encode()).hexdigest(), "tok-s3cret"):
        assert secret not in shown


@pytest.mark.parametrize(("field", "value"), [("user", ""), ("account_id", " "), ("password", "")])
def test_blank_credentials_are_refused_at_construction(field: str, value: str) -> None:
    arguments: dict[str, Any] = {"user": "u", "password": "p", "account_id": ACCOUNT, field: value}
    with pytest.raises(ValueError, match=field):
        OneKontoClient(BASE, **arguments)
