"""FakeOneKonto's behaviour through its pure request handler: login, token expiry, accounts,
balances, deposit instructions and paths. Its withdraw requests: test_fake_onekonto_withdrawals."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from tests.test_spec_examples import load_spec
from tests.testing import fake_onekonto_support
from tests.testing.wire import account_path, call, onekonto_login
from withdrawkit.testing import FakeClock, FakeOneKonto, FakeResponse

fake = fake_onekonto_support.fake


# -- login -----------------------------------------------------------------------------------------


def test_login_issues_a_jwt_whose_exp_is_24_hours_after_iat(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    _header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["sub"] == fake.user
    assert claims["exp"] - claims["iat"] == 24 * 3600
    assert signature


def test_login_refuses_the_plaintext_password_the_vendor_example_sends(fake: FakeOneKonto) -> None:
    response = call(
        fake, "POST", "/api/v1/identity/jwt", json={"user": fake.user, "password": fake.password}
    )
    assert response.status == 401
    assert response.json() == {"status": 401, "error": "Invalid user or password"}


def test_login_with_missing_fields_is_a_validation_failure(fake: FakeOneKonto) -> None:
    response = call(fake, "POST", "/api/v1/identity/jwt", json={"user": fake.user})
    assert response.status == 400
    assert response.json() == {
        "errors": ["ValidationFailed: Password: required"],
        "status": "badRequest",
        "httpStatusCode": 400,
    }


def test_login_under_an_unknown_service_segment_is_not_found(fake: FakeOneKonto) -> None:
    digest = "0" * 64
    response = call(fake, "POST", "/api/v1/nothere/jwt", json={"user": "u", "password": digest})
    assert response.status == 404


# -- authentication of the other routes -----------------------------------------------------------


def test_a_request_without_token_gets_401_in_error_shape_1(fake: FakeOneKonto) -> None:
    response = call(fake, "GET", account_path(fake))
    assert response.status == 401
    assert response.json() == {"status": 401, "error": "Unauthorized"}


def test_expire_tokens_makes_an_issued_token_useless(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    assert call(fake, "GET", account_path(fake), token=token).status == 200
    fake.expire_tokens()
    response = call(fake, "GET", account_path(fake), token=token)
    assert response.status == 401
    assert response.json()["error"] == "Unauthorized: token expired"
    assert call(fake, "GET", account_path(fake), token=onekonto_login(fake)).status == 200


def test_tokens_expire_24_hours_after_login_as_their_exp_claim_says() -> None:
    # A frozen clock: with the wall clock, a slow machine would eat the one-second margin.
    clock = FakeClock(datetime(2025, 6, 17, 21, 4, 33, tzinfo=timezone.utc))
    fake = FakeOneKonto(clock=clock)
    token = onekonto_login(fake)
    claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    assert claims["exp"] == clock.now().timestamp() + 24 * 3600
    clock.advance(by=timedelta(hours=24, microseconds=-1))
    assert call(fake, "GET", account_path(fake), token=token).status == 200
    clock.advance(by=timedelta(microseconds=1))
    assert clock.now().timestamp() == claims["exp"]
    assert call(fake, "GET", account_path(fake), token=token).status == 401


def test_unknown_account_is_the_documented_404(fake: FakeOneKonto) -> None:
    response = call(fake, "GET", "/api/v1/accounting/account/nope", token=onekonto_login(fake))
    assert response.status == 404
    assert response.json() == {"status": 404, "error": "Account ID Not Found"}


def test_another_users_account_is_forbidden(fake: FakeOneKonto) -> None:
    fake.add_user("other@example.com", "other password")
    other_account = fake.add_account(owner="other@example.com")
    response = call(
        fake, "GET", f"/api/v1/accounting/account/{other_account}", token=onekonto_login(fake)
    )
    assert response.status == 403


# -- balances --------------------------------------------------------------------------------------


def test_get_account_shows_free_locked_limit_and_available_as_exact_numbers() -> None:
    fake = FakeOneKonto()
    fake.deposit("100 USD")
    fake.set_credit_limit("2000 USD")
    fake.deposit("0.00206525633592975968892629 BTC")
    body = call(fake, "GET", account_path(fake), token=onekonto_login(fake)).json()
    assert body["status"] == "ok"
    assert body["httpStatusCode"] == 200
    assert body["account"]["accountId"] == fake.account_id
    assert body["account"]["balances"]["USD"] == {
        "free": 100,
        "locked": 0,
        "limit": -2000,
        "pendingDeposit": 0,
        "available": 2100,
    }
    assert body["account"]["balances"]["BTC"]["free"] == Decimal("0.00206525633592975968892629")


def test_get_account_credit_matches_the_documented_b_example() -> None:
    fake = FakeOneKonto()
    fake.deposit("100 USD")
    fake.set_credit_limit("2000 USD")
    body = call(fake, "GET", account_path(fake, "/portfolio"), token=onekonto_login(fake)).json()
    assert body["account"]["balances"]["USD"] == {
        "availableToTrade": 2100,
        "totalFunds": 100,
        "availableFunds": 100,
        "lockedFunds": 0,
        "totalCredit": 2000,
        "availableCredit": 2000,
        "usedCredit": 0,
    }


# -- deposit instructions --------------------------------------------------------------------------

DEPOSIT_INSTRUCTIONS = "/request/deposit-instructions"
INSTRUCTIONS_NOT_FOUND = {
    "status": 404,
    "error": "The deposit instructions with the provided ID were not found",
}


def deposit_instructions(fake: FakeOneKonto, account_id: str | None = None) -> FakeResponse:
    path = f"/api/v1/accounting/account/{account_id or fake.account_id}{DEPOSIT_INSTRUCTIONS}"
    return call(fake, "GET", path, token=onekonto_login(fake))


def documented_example() -> dict[str, Any]:
    """The Get Deposit Instructions page's example, as openapi/onekonto.yaml carries it."""
    spec = load_spec("onekonto")
    operation = spec["paths"][f"/api/v1/accounting/account/{{accountId}}{DEPOSIT_INSTRUCTIONS}"]
    examples = operation["get"]["responses"]["200"]["content"]["application/json"]["examples"]
    value = examples["variantTrc20"]["value"]
    assert isinstance(value, dict)
    return value


def test_deposit_instructions_are_shaped_like_the_documented_example(fake: FakeOneKonto) -> None:
    response = deposit_instructions(fake)
    assert response.status == 200
    body = response.json()
    example = documented_example()
    assert list(body) == list(example)
    assert [list(item) for item in body["instructions"]] == [
        list(item) for item in example["instructions"]
    ]
    assert (body["accountId"], body["status"], body["httpStatusCode"]) == (
        fake.account_id,
        "ok",
        200,
    )


def test_by_default_an_account_gets_btc_and_usdc_addresses_and_a_fedwire_instruction(
    fake: FakeOneKonto,
) -> None:
    btc, usdc, usd = deposit_instructions(fake).json()["instructions"]
    assert (btc["asset"], btc["assetType"], btc["networkType"]) == ("BTC", "blockchain", "bitcoin")
    assert btc["address"].startswith("bc1q")
    assert (usdc["asset"], usdc["assetType"], usdc["networkType"]) == (
        "USDC",
        "blockchain",
        "trc20",
    )
    assert usdc["address"].startswith("T")
    assert (usd["asset"], usd["assetType"], usd["method"]) == ("USD", "fiat", "FedWire")
    assert usd["specialInstructions"] == f"Reference: {fake.account_id}"
    other = fake.add_account(owner=fake.user)
    other_btc = deposit_instructions(fake, other).json()["instructions"][0]
    assert other_btc["address"] != btc["address"]
    assert deposit_instructions(fake).json()["instructions"][0] == btc


def test_deposit_addresses_are_added_or_replaced_per_asset_and_network(fake: FakeOneKonto) -> None:
    fake.add_deposit_address("ETH", "ethereum", "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15")
    fake.add_deposit_address("BTC", "bitcoin", "bc1qreplaced")
    listed = deposit_instructions(fake).json()["instructions"]
    blockchain = [
        (item["asset"], item["networkType"], item["address"])
        for item in listed
        if item["assetType"] == "blockchain"
    ]
    assert blockchain[0] == ("BTC", "bitcoin", "bc1qreplaced")
    assert blockchain[2] == ("ETH", "ethereum", "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15")
    assert len(blockchain) == 3
    assert listed[-1]["assetType"] == "fiat"


def test_set_bank_instruction_replaces_it_and_keeps_defaults_for_fields_not_given(
    fake: FakeOneKonto,
) -> None:
    fake.set_bank_instruction(bank_name="My Bank", beneficiary_account_number="0123456789")
    fake.set_bank_instruction(bank_name="Other Bank", special_instructions="IBAN: X; Reference: R")
    fiat = [item for item in deposit_instructions(fake).json()["instructions"] if "method" in item]
    assert len(fiat) == 1
    assert fiat[0]["bankName"] == "Other Bank"
    assert fiat[0]["specialInstructions"] == "IBAN: X; Reference: R"
    assert fiat[0]["beneficiaryAccountNumber"] == "0000000000"
    assert (fiat[0]["asset"], fiat[0]["method"]) == ("USD", "FedWire")


def test_deposit_instructions_of_another_account_are_configured_apart(fake: FakeOneKonto) -> None:
    other = fake.add_account(owner=fake.user)
    fake.clear_deposit_instructions(account_id=other)
    fake.add_deposit_address("BTC", "bitcoin", "bc1qother", account_id=other)
    assert deposit_instructions(fake, other).json()["instructions"] == [
        {
            "asset": "BTC",
            "assetType": "blockchain",
            "networkType": "bitcoin",
            "address": "bc1qother",
        }
    ]
    assert len(deposit_instructions(fake).json()["instructions"]) == 3


def test_deposit_instructions_of_an_unknown_account_are_the_documented_404(
    fake: FakeOneKonto,
) -> None:
    response = deposit_instructions(fake, "unknown")
    assert (response.status, response.json()) == (404, INSTRUCTIONS_NOT_FOUND)


def test_an_account_without_deposit_instructions_answers_the_same_404(fake: FakeOneKonto) -> None:
    fake.clear_deposit_instructions()
    response = deposit_instructions(fake)
    assert (response.status, response.json()) == (404, INSTRUCTIONS_NOT_FOUND)
    fake.add_deposit_address("BTC", "bitcoin", "bc1qback")
    assert deposit_instructions(fake).status == 200


def test_deposit_instructions_need_a_token_and_the_users_own_account(fake: FakeOneKonto) -> None:
    response = call(fake, "GET", account_path(fake, DEPOSIT_INSTRUCTIONS))
    assert (response.status, response.json()) == (401, {"status": 401, "error": "Unauthorized"})
    fake.add_user("other@example.com", "other password")
    foreign = fake.add_account(owner="other@example.com")
    assert deposit_instructions(fake, foreign).status == 403
    assert [seen.status for seen in fake.calls("getDepositInstructions")] == [401, 403]


# -- paths -----------------------------------------------------------------------------------------


def test_unknown_path_is_a_shape_1_404(fake: FakeOneKonto) -> None:
    response = call(fake, "GET", "/api/v1/accounting/nowhere")
    assert response.status == 404
    assert response.json() == {"status": 404, "error": "Not Found"}
    assert fake.received[-1].operation is None


def test_an_account_id_that_needs_percent_encoding_is_found(fake: FakeOneKonto) -> None:
    account_id = fake.add_account("acc:1/x", owner=fake.user)
    fake.deposit("3 BTC", account_id=account_id)
    path = "/api/v1/accounting/account/acc%3A1%2Fx"
    response = call(fake, "GET", path, token=onekonto_login(fake))
    assert response.status == 200
    assert response.json()["account"]["accountId"] == "acc:1/x"
    assert fake.received[-1].request.path == path
