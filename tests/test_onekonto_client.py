"""OneKontoClient over a mocked HTTP layer (``responses``): bodies, login, renewal, amounts."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import responses
from responses import matchers

import withdrawkit as wk
from tests.clocks import ManualClock, on_clocks
from withdrawkit._auth import DEFAULT_RENEW_MARGIN
from withdrawkit._conversion import WireShapeError
from withdrawkit._error_mapping import ONEKONTO
from withdrawkit._jwt_claims import jwt_expiry
from withdrawkit._onekonto_client import TOKEN_LIFETIME, OneKontoClient, password_digest
from withdrawkit_generated.onekonto import WithdrawRequestStatus

BASE = "https://1konto.test"
ACCOUNT = "NNCV3kWoo0Se_bUUl_8yRg"
LOGIN_URL = f"{BASE}/api/v1/identity/jwt"
ACCOUNT_URL = f"{BASE}/api/v1/accounting/account/{ACCOUNT}"
BLOCKCHAIN_URL = f"{ACCOUNT_URL}/request/withdraw/blockchain"
FIAT_URL = f"{ACCOUNT_URL}/request/withdraw/fiat"
QUERY_URL = f"{ACCOUNT_URL}/request/withdraw"
PLAINTEXT = "correct horse battery staple"
WALL_NOW = 1_750_000_000.0  # the wall clock the client fixture compares exp claims with
RECEIPT = {"withdrawRequestId": "oiJ8s7oh8EqFwwnkZViCGg", "requestStatus": "pending"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(5000.0)


@pytest.fixture
def client(clock: ManualClock) -> Iterator[OneKontoClient]:
    made = OneKontoClient(BASE, user="u@example.com", password=PLAINTEXT, account_id=ACCOUNT)
    with on_clocks(made, clock, lambda: WALL_NOW):
        yield made


def add_login(rsps: responses.RequestsMock, issued: str = "tok-1") -> None:
    rsps.add(responses.POST, LOGIN_URL, json={"token": issued})


def body_of(call: Any) -> Any:
    return json.loads(call.request.body, parse_float=Decimal)


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


# -- withdrawals --------------------------------------------------------------------------------


def test_blockchain_withdrawal_sends_the_exact_body_and_reads_the_receipt(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)

    receipt = client.request_withdraw_blockchain(
        "0.00206525633592975968892629 BTC",
        network="bitcoin",
        address="myWalletAddress",
        instructions=["memo 42"],
    )

    assert body_of(rsps.calls[1]) == {
        "amount": "0.00206525633592975968892629 BTC",
        "network": "bitcoin",
        "address": "myWalletAddress",
        "instructions": ["memo 42"],
    }
    assert rsps.calls[1].request.headers["Authorization"] == "Bearer tok-1"
    assert receipt.withdraw_request_id == "oiJ8s7oh8EqFwwnkZViCGg"
    assert receipt.request_status == "pending"


def test_unset_optional_arguments_are_omitted_not_sent_as_null(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)
    rsps.add(responses.POST, FIAT_URL, json=RECEIPT)

    client.request_withdraw_blockchain(wk.Amount(Decimal("1E-8"), "BTC"))
    client.request_withdraw_fiat("100 USD", type="fedwire")

    assert body_of(rsps.calls[1]) == {"amount": "0.00000001 BTC"}
    assert body_of(rsps.calls[2]) == {"amount": "100 USD", "type": "fedwire"}


def test_fiat_withdrawal_sends_the_exact_body(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, FIAT_URL, json={**RECEIPT, "status": "ok", "httpStatusCode": 200})

    receipt = client.request_withdraw_fiat(
        "100.10 USD",
        type="fedwire",
        routing_number="012345678",
        account_number="0123456789",
        instructions=["additional instruction"],
    )

    assert body_of(rsps.calls[1]) == {
        "amount": "100.10 USD",
        "type": "fedwire",
        "routingNumber": "012345678",
        "accountNumber": "0123456789",
        "instructions": ["additional instruction"],
    }
    assert receipt.request_status == WithdrawRequestStatus("pending")


def test_a_single_string_of_instructions_is_refused_rather_than_split_into_letters(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    with pytest.raises(TypeError, match="instructions"):
        client.request_withdraw_blockchain("1 BTC", instructions="memo")
    assert len(rsps.calls) == 0


def test_a_withdrawal_is_never_repeated_after_an_unknown_outcome(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    import requests

    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)  # must never be reached

    with pytest.raises(wk.OutcomeUnknown):
        client.request_withdraw_blockchain("1 BTC")
    assert [call.request.url for call in rsps.calls].count(BLOCKCHAIN_URL) == 1


@pytest.mark.parametrize("amount", ["0 BTC", "0.000 BTC", "-1 BTC", "-0.00000001 BTC"])
def test_zero_or_negative_amounts_raise_validation_failed_before_any_request(
    rsps: responses.RequestsMock, client: OneKontoClient, amount: str
) -> None:
    with pytest.raises(wk.ValidationFailed) as refused:
        client.request_withdraw_blockchain(amount, network="bitcoin", address="addr")
    with pytest.raises(wk.ValidationFailed):
        client.request_withdraw_fiat(amount.replace("BTC", "USD"), type="fedwire")

    assert len(rsps.calls) == 0
    assert refused.value.provider == ONEKONTO
    assert refused.value.http_status is None
    assert set(refused.value.field_errors) == {"amount"}
    assert "must be positive" in refused.value.field_errors["amount"]


@pytest.mark.parametrize("amount", ["1e3 BTC", "", "BTC", "1BTC", "1,5 BTC", "NaN BTC"])
def test_amount_text_that_is_not_an_amount_raises_amount_error_before_any_request(
    rsps: responses.RequestsMock, client: OneKontoClient, amount: str
) -> None:
    with pytest.raises(wk.AmountError):
        client.request_withdraw_blockchain(amount)
    assert len(rsps.calls) == 0


def test_float_amounts_are_refused_before_any_request(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    with pytest.raises(TypeError, match="float"):
        client.request_withdraw_blockchain(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        client.request_withdraw_fiat(100.0, type="fedwire")  # type: ignore[arg-type]
    assert len(rsps.calls) == 0


# -- queries ------------------------------------------------------------------------------------


def test_query_withdraw_requests_sends_only_the_filters_given(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        QUERY_URL,
        match=[matchers.query_param_matcher({"status": "pending", "max": "100"})],
        json={
            "withdrawRequests": [
                {"withdrawRequestId": "w1", "requestStatus": "pending", "amount": "1 BTC"},
            ],
            "status": "ok",
            "httpStatusCode": 200,
        },
    )

    found = client.query_withdraw_requests(status="pending", max=100)

    assert [request.withdraw_request_id for request in found] == ["w1"]
    assert found[0].amount == wk.Amount.parse("1 BTC")


def test_query_withdraw_requests_tolerates_unknown_fields_and_statuses(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        QUERY_URL,
        match=[
            matchers.query_param_matcher(
                {"withdrawRequestId": "w2", "network": "bitcoin", "type": "blockchain"}
            )
        ],
        json={
            "withdrawRequests": [
                {"withdrawRequestId": "w2", "requestStatus": "on-hold", "riskFlags": ["new"]}
            ],
            "cursor": "unknown-top-level-key",
        },
    )

    (found,) = client.query_withdraw_requests(
        withdraw_request_id="w2", network="bitcoin", type="blockchain"
    )

    assert found.request_status == "on-hold"
    assert found.request_status is not None and not found.request_status.is_known


def test_query_withdraw_requests_accepts_a_bare_array(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, QUERY_URL, json=[{"withdrawRequestId": "w3"}])

    assert [found.withdraw_request_id for found in client.query_withdraw_requests()] == ["w3"]


def test_query_withdraw_requests_without_the_list_is_unexpected_not_empty(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, QUERY_URL, json={"requests": [], "status": "ok"})

    with pytest.raises(wk.UnexpectedResponse, match="withdrawRequests"):
        client.query_withdraw_requests()


@pytest.mark.parametrize("bad_max", [0, -5, True])
def test_query_withdraw_requests_refuses_a_max_that_is_not_a_positive_int(
    rsps: responses.RequestsMock, client: OneKontoClient, bad_max: int
) -> None:
    with pytest.raises(ValueError, match="max"):
        client.query_withdraw_requests(max=bad_max)
    assert len(rsps.calls) == 0


def test_get_account_reads_balances_as_exact_decimals(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        ACCOUNT_URL,
        body="""{"account": {"accountId": "NNCV3kWoo0Se_bUUl_8yRg", "type": "client",
                 "name": "test-client-account",
                 "balances": {"BTC": {"free": 1.2300000000000000000000000001, "locked": 0.0,
                                      "limit": -2000.0, "pendingDeposit": 0.0, "available": 1.23}}},
                 "status": "ok", "httpStatusCode": 200}""",
        content_type="application/json",
    )

    account = client.get_account()

    assert account.account_id == ACCOUNT
    assert account.balances["BTC"].free == Decimal("1.2300000000000000000000000001")
    assert account.balances["BTC"].limit == Decimal("-2000.0")


def test_get_account_credit_keeps_the_notional_totals(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    figures = {
        "availableToTrade": 10000.0,
        "totalFunds": 0.0,
        "availableFunds": 0.0,
        "lockedFunds": 0.0,
        "totalCredit": 10000.0,
        "availableCredit": 10000.0,
        "usedCredit": 0.0,
    }
    add_login(rsps)
    rsps.add(
        responses.GET,
        f"{ACCOUNT_URL}/portfolio",
        json={
            "account": {"accountId": ACCOUNT, "balances": {"USDC": figures}, "sources": []},
            "notationalAsset": "USD",
            "notionalTotals": figures,
            "status": "ok",
        },
    )

    credit = client.get_account_credit()

    assert credit.account.balances["USDC"].available_credit == Decimal("10000.0")
    assert credit.notional_totals is not None
    assert credit.notional_totals.available_to_trade == Decimal("10000.0")


def test_get_deposit_instructions_returns_each_instruction(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        f"{ACCOUNT_URL}/request/deposit-instructions",
        json={
            "accountId": ACCOUNT,
            "instructions": [
                {
                    "asset": "USDC",
                    "assetType": "blockchain",
                    "networkType": "trc20",
                    "address": "T1",
                },
                {"asset": "USD", "assetType": "fiat", "method": "FedWire", "bankName": "My Bank"},
                {"asset": "EUR", "assetType": "sepa", "iban": "DE00"},
            ],
        },
    )

    instructions = client.get_deposit_instructions()

    assert [item.asset for item in instructions] == ["USDC", "USD", "EUR"]
    assert instructions[0].address == "T1"
    assert instructions[2].asset_type == "sepa"


# -- unexpected answers, paths, repr ------------------------------------------------------------


def test_an_html_page_with_status_200_is_an_unexpected_response(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.POST,
        BLOCKCHAIN_URL,
        body="<html><body>Maintenance</body></html>",
        content_type="text/html",
    )

    with pytest.raises(wk.UnexpectedResponse):
        client.request_withdraw_blockchain("1 BTC")


def test_a_body_of_the_wrong_shape_is_an_unexpected_response_not_a_converter_error(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, json={"requestStatus": "pending"})

    with pytest.raises(wk.UnexpectedResponse) as raised:
        client.request_withdraw_blockchain("1 BTC")

    assert isinstance(raised.value.__cause__, WireShapeError)
    assert "requestStatus" in raised.value.body


def test_the_account_id_cannot_change_the_path(rsps: responses.RequestsMock) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        f"{BASE}/api/v1/accounting/account/..%2Fledger%2Fx",
        json={"account": {"accountId": "../ledger/x", "balances": {}}},
    )
    with OneKontoClient(BASE, user="u", password="p", account_id="../ledger/x") as k:
        assert k.get_account().account_id == "../ledger/x"


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
