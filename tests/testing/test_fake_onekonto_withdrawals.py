"""FakeOneKonto's withdraw requests through its pure request handler: acceptance and refusal,
completion and polling, queries, the request log, a crashing handler, and the wallet or bank
account chosen when the request leaves it out."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest

import withdrawkit as wk
from tests.test_spec_examples import load_spec
from tests.testing import fake_onekonto_support
from tests.testing.wire import account_path, call, onekonto_login
from withdrawkit.testing import FakeOneKonto, FakeResponse

ETH_WALLET = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"

fake = fake_onekonto_support.fake


def withdraw(
    fake: FakeOneKonto, token: str, amount: str, address: str = "bc1qwhitelisted"
) -> FakeResponse:
    return call(
        fake,
        "POST",
        account_path(fake, "/request/withdraw/blockchain"),
        json={"amount": amount, "network": "bitcoin", "address": address},
        token=token,
    )


def query(fake: FakeOneKonto, token: str, query_string: str = "") -> FakeResponse:
    return call(
        fake, "GET", account_path(fake, "/request/withdraw"), token=token, query=query_string
    )


# -- withdrawals -----------------------------------------------------------------------------------


def test_an_accepted_withdrawal_is_pending_and_moves_the_amount_from_free_to_locked(
    fake: FakeOneKonto,
) -> None:
    response = withdraw(fake, onekonto_login(fake), "1.5 BTC")
    assert response.status == 200
    body = response.json()
    assert body["requestStatus"] == "pending"
    assert len(body["withdrawRequestId"]) == 22
    assert fake.balance("BTC").free == Decimal("997.5")
    assert fake.balance("BTC").locked == Decimal("1.5")
    record = fake.withdraw_request(body["withdrawRequestId"])
    assert (record.status, record.address, record.network) == (
        "pending",
        "bc1qwhitelisted",
        "bitcoin",
    )


def test_completing_takes_the_amount_out_and_failing_gives_it_back(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    first = withdraw(fake, token, "1 BTC").json()["withdrawRequestId"]
    second = withdraw(fake, token, "2 BTC").json()["withdrawRequestId"]
    fake.complete(first)
    fake.fail(second)
    balance = fake.balance("BTC")
    assert (balance.free, balance.locked) == (Decimal(998), Decimal(0))
    statuses = {
        item["withdrawRequestId"]: item["requestStatus"]
        for item in query(fake, token).json()["withdrawRequests"]
    }
    assert statuses == {first: "completed", second: "rejected"}
    with pytest.raises(ValueError, match="already completed"):
        fake.complete(first)


def test_exceeding_the_balance_is_the_documented_insufficient_funds_body(
    fake: FakeOneKonto,
) -> None:
    # The vendor's Request Withdraw - Blockchain page, verbatim: a 400, not the orders' 424.
    response = withdraw(fake, onekonto_login(fake), "1100 BTC")
    assert response.status == 400
    assert response.json() == {
        "errors": ["Insufficient Funds: Requested 1100 BTC but only 999 BTC is available"],
        "status": "badRequest",
        "httpStatusCode": 400,
    }
    assert fake.balance("BTC").free == Decimal(999)
    assert fake.withdraw_requests() == []


def test_credit_does_not_fund_a_withdrawal() -> None:
    fake = FakeOneKonto()
    fake.deposit("100 USD")
    fake.set_credit_limit("2000 USD")
    fake.whitelist_bank_account("012345678", "0123456789")
    response = call(
        fake,
        "POST",
        account_path(fake, "/request/withdraw/fiat"),
        json={
            "amount": "150 USD",
            "type": "fedwire",
            "routingNumber": "012345678",
            "accountNumber": "0123456789",
        },
        token=onekonto_login(fake),
    )
    assert response.status == 400
    assert response.json()["errors"] == [
        "Insufficient Funds: Requested 150 USD but only 100 USD is available"
    ]


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        ("0 BTC", "must be positive"),
        ("-5 BTC", "must be positive"),
        ("1e3 BTC", "must be an amount such as '1 BTC'"),
    ],
)
def test_a_bad_amount_is_validation_failed_in_shape_2(
    fake: FakeOneKonto, amount: str, problem: str
) -> None:
    response = withdraw(fake, onekonto_login(fake), amount)
    assert response.status == 400
    assert response.json() == {
        "errors": [f"ValidationFailed: Amount: {problem}"],
        "status": "badRequest",
        "httpStatusCode": 400,
    }


def test_every_bad_field_is_named_in_one_message(fake: FakeOneKonto) -> None:
    response = withdraw(fake, onekonto_login(fake), "-1 BTC", address="bc1qstranger")
    assert response.json()["errors"] == [
        "ValidationFailed: Amount: must be positive. "
        "Address: bc1qstranger is not a whitelisted wallet of this account"
    ]


def test_a_body_that_is_not_json_is_refused(fake: FakeOneKonto) -> None:
    response = call(
        fake,
        "POST",
        account_path(fake, "/request/withdraw/blockchain"),
        body=b"amount=1 BTC",
        token=onekonto_login(fake),
    )
    assert response.status == 400
    assert response.json()["errors"] == ["ValidationFailed: Body: must be a JSON object"]


def test_fiat_withdrawal_needs_a_whitelisted_bank_account(fake: FakeOneKonto) -> None:
    fake.deposit("500 USD")
    token = onekonto_login(fake)
    path = account_path(fake, "/request/withdraw/fiat")
    refused = call(
        fake,
        "POST",
        path,
        json={"amount": "100 USD", "type": "fedwire", "routingNumber": "1", "accountNumber": "2"},
        token=token,
    )
    assert refused.status == 400
    accepted = call(
        fake,
        "POST",
        path,
        json={
            "amount": "100 USD",
            "type": "fedwire",
            "routingNumber": "012345678",
            "accountNumber": "0123456789",
            "instructions": ["additional instruction"],
        },
        token=token,
    )
    assert accepted.status == 200
    listed = query(fake, token, "type=fedwire").json()["withdrawRequests"]
    assert listed == [
        {
            "withdrawRequestId": accepted.json()["withdrawRequestId"],
            "requestStatus": "pending",
            "amount": "100 USD",
            "type": "fedwire",
            "routingNumber": "012345678",
            "accountNumber": "0123456789",
            "instructions": ["additional instruction"],
        }
    ]


# -- querying and polling --------------------------------------------------------------------------


def test_a_withdrawal_completes_after_the_configured_number_of_polls(fake: FakeOneKonto) -> None:
    fake.pending_polls = 2
    token = onekonto_login(fake)
    request_id = withdraw(fake, token, "1 BTC").json()["withdrawRequestId"]
    seen = [
        query(fake, token, f"withdrawRequestId={request_id}").json()["withdrawRequests"][0][
            "requestStatus"
        ]
        for _ in range(4)
    ]
    assert seen == ["pending", "pending", "completed", "completed"]
    assert fake.balance("BTC").locked == 0


def test_without_pending_polls_a_withdrawal_waits_for_the_test(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    request_id = withdraw(fake, token, "1 BTC").json()["withdrawRequestId"]
    for _ in range(5):
        query(fake, token)
    assert fake.withdraw_request(request_id).status == "pending"
    assert fake.withdraw_request(request_id).polls == 5


def test_query_filters_and_max_newest_first(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    ids = [withdraw(fake, token, f"{n} BTC").json()["withdrawRequestId"] for n in (1, 2, 3)]
    fake.complete(ids[0])
    newest_two = query(fake, token, "max=2").json()["withdrawRequests"]
    assert [item["withdrawRequestId"] for item in newest_two] == [ids[2], ids[1]]
    pending = query(fake, token, "status=pending").json()["withdrawRequests"]
    assert {item["withdrawRequestId"] for item in pending} == {ids[1], ids[2]}
    by_amount = query(fake, token, "amount=3 BTC").json()["withdrawRequests"]
    assert [item["withdrawRequestId"] for item in by_amount] == [ids[2]]
    assert query(fake, token, "max=0").status == 400


@pytest.mark.parametrize("max_text", ["\u00b2", "\u0663", "1" * 40, "-1", "1.5", ""])
def test_a_max_that_is_not_ascii_digits_is_validation_failed_not_a_crash(
    fake: FakeOneKonto, max_text: str
) -> None:
    response = query(fake, onekonto_login(fake), f"max={max_text}")
    assert response.status == 400
    assert response.json()["errors"] == ["ValidationFailed: Max: must be a positive integer"]


def test_withdraw_requests_of_other_accounts_stay_out_of_the_query(fake: FakeOneKonto) -> None:
    second = fake.add_account(owner=fake.user)
    fake.deposit("5 BTC", account_id=second)
    fake.whitelist_wallet("bitcoin", "bc1qwhitelisted", account_id=second)
    token = onekonto_login(fake)
    call(
        fake,
        "POST",
        f"/api/v1/accounting/account/{second}/request/withdraw/blockchain",
        json={"amount": "1 BTC", "address": "bc1qwhitelisted"},
        token=token,
    )
    assert query(fake, token).json()["withdrawRequests"] == []
    assert len(fake.withdraw_requests(account_id=second)) == 1


# -- the request log and crashes -------------------------------------------------------------------


def test_the_request_log_names_each_operation(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    withdraw(fake, token, "1 BTC")
    assert [seen.operation for seen in fake.received] == ["login", "requestWithdrawBlockchain"]
    assert [seen.status for seen in fake.calls("requestWithdrawBlockchain")] == [200]


def test_a_handler_that_crashes_answers_the_documented_500_body(
    fake: FakeOneKonto, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = onekonto_login(fake)

    def crash(*_: object) -> None:
        raise RuntimeError("a bug in the fake")

    with monkeypatch.context() as patched, caplog.at_level(logging.ERROR, "withdrawkit.testing"):
        patched.setattr(fake.state, "accept", crash)
        response = withdraw(fake, token, "1 BTC")
    assert response.status == 500
    assert response.json() == {"status": 500, "error": "Internal Server Error"}
    assert [seen.status for seen in fake.calls("requestWithdrawBlockchain")] == [500]
    (record,) = caplog.records
    assert "FakeOneKonto crashed handling POST" in record.getMessage()
    assert record.exc_info is not None and "a bug in the fake" in str(record.exc_info[1])
    assert withdraw(fake, token, "1 BTC").status == 200


# -- network, address and bank numbers left out ----------------------------------------------------


def blockchain(fake: FakeOneKonto, token: str, **fields: str) -> FakeResponse:
    path = account_path(fake, "/request/withdraw/blockchain")
    return call(fake, "POST", path, json={"amount": "1 BTC", **fields}, token=token)


def fiat(fake: FakeOneKonto, token: str, **fields: str) -> FakeResponse:
    body = {"amount": "10 USD", "type": "fedwire", **fields}
    return call(fake, "POST", account_path(fake, "/request/withdraw/fiat"), json=body, token=token)


def test_the_one_whitelisted_wallet_is_used_when_network_and_address_are_left_out(
    fake: FakeOneKonto,
) -> None:
    token = onekonto_login(fake)
    for fields in (
        {},
        {"network": "bitcoin"},
        {"network": "BITCOIN"},
        {"address": "bc1qwhitelisted"},
    ):
        assert blockchain(fake, token, **fields).status == 200, fields
    records = fake.withdraw_requests()
    assert {record.address for record in records} == {"bc1qwhitelisted"}
    assert [record.network for record in records] == ["bitcoin", "bitcoin", "BITCOIN", "bitcoin"]


def test_without_an_address_several_or_no_matching_wallets_are_refused(fake: FakeOneKonto) -> None:
    fake.whitelist_wallet("bitcoin", "bc1qsecond")
    fake.whitelist_wallet("ethereum", ETH_WALLET)
    token = onekonto_login(fake)

    def problems(**fields: str) -> list[str]:
        response = blockchain(fake, token, **fields)
        assert response.status == 400
        errors: list[str] = response.json()["errors"]
        return errors

    assert problems() == [
        "ValidationFailed: Address: required: 3 whitelisted wallets match; name one"
    ]
    assert problems(network="bitcoin") == [
        "ValidationFailed: Address: required: 2 whitelisted wallets on bitcoin match; name one"
    ]
    assert problems(network="tron") == [
        "ValidationFailed: Address: required: the account has no whitelisted wallet on tron"
    ]
    assert blockchain(fake, token, network="ethereum").status == 200
    assert fake.withdraw_requests()[0].address == ETH_WALLET


def test_an_address_whitelisted_on_two_networks_needs_the_network(fake: FakeOneKonto) -> None:
    fake.whitelist_wallet("bitcoin-testnet", "bc1qwhitelisted")
    token = onekonto_login(fake)
    response = blockchain(fake, token, address="bc1qwhitelisted")
    assert response.json()["errors"] == [
        "ValidationFailed: Network: required: bc1qwhitelisted is whitelisted on 2 networks"
    ]
    assert blockchain(fake, token, address="bc1qwhitelisted", network="bitcoin").status == 200


def test_the_one_whitelisted_bank_account_is_used_when_its_numbers_are_left_out(
    fake: FakeOneKonto,
) -> None:
    fake.deposit("100 USD")
    token = onekonto_login(fake)
    assert fiat(fake, token).status == 200
    assert fiat(fake, token, accountNumber="0123456789").status == 200
    records = fake.withdraw_requests()
    assert {(r.routing_number, r.account_number) for r in records} == {("012345678", "0123456789")}
    fake.whitelist_bank_account("111111111", "2222222222")
    refused = fiat(fake, token)
    assert refused.json()["errors"] == [
        "ValidationFailed: AccountNumber: required: 2 whitelisted bank accounts match; name one"
    ]
    assert fiat(fake, token, routingNumber="111111111").status == 200


def test_without_any_whitelisted_bank_account_a_fiat_withdrawal_is_refused() -> None:
    fake = FakeOneKonto()
    fake.deposit("100 USD")
    response = fiat(fake, onekonto_login(fake))
    assert response.json()["errors"] == [
        "ValidationFailed: AccountNumber: required: the account has no whitelisted bank account"
    ]


def _vendor_withdraw_examples() -> dict[str, object]:
    response = load_spec("onekonto")["components"]["responses"]["WithdrawRefused"]
    examples = response["content"]["application/json"]["examples"]
    return {name: example["value"] for name, example in examples.items()}


def test_the_fake_answers_the_vendor_pages_two_withdraw_refusals_verbatim(
    fake: FakeOneKonto,
) -> None:
    token = onekonto_login(fake)
    short = withdraw(fake, token, "1100 BTC")
    no_asset = call(
        fake,
        "POST",
        account_path(fake, "/request/withdraw/blockchain"),
        json={"amount": "0", "network": "bitcoin", "address": "bc1qwhitelisted"},
        token=token,
    )
    examples = _vendor_withdraw_examples()
    assert (short.status, short.json()) == (400, examples["insufficientFunds"])
    assert (no_asset.status, no_asset.json()) == (400, examples["validationFailed"])
    assert examples["validationFailed"] == {
        "errors": ["ValidationFailed: Amount: must be positive. Asset: required"],
        "status": "badRequest",
        "httpStatusCode": 400,
    }


# -- inputs 1Konto would refuse -------------------------------------------------------------------


def test_a_network_that_does_not_match_the_whitelisted_wallet_says_so(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    response = blockchain(fake, token, address="bc1qwhitelisted", network="ethereum")
    assert (response.status, response.json()["errors"]) == (
        400,
        ["ValidationFailed: Network: bc1qwhitelisted is whitelisted on bitcoin, not ethereum"],
    )
    assert fake.withdraw_requests() == []


def test_an_unknown_asset_says_so_instead_of_reporting_no_funds(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    response = withdraw(fake, token, "1.5 btc")
    assert (response.status, response.json()["errors"]) == (
        400,
        ["ValidationFailed: Asset: unknown asset btc"],
    )
    fiat_response = fiat(fake, token, amount="10 EUR")
    assert fiat_response.json()["errors"] == ["ValidationFailed: Asset: unknown asset EUR"]


def test_a_malformed_address_is_refused(fake: FakeOneKonto) -> None:
    token = onekonto_login(fake)
    dotted = blockchain(fake, token, address="bc1q...", network="bitcoin")
    assert dotted.json()["errors"] == [
        "ValidationFailed: Address: 'bc1q...' is not an address: only letters and digits"
    ]
    short = blockchain(fake, token, address="0x36f6", network="ethereum")
    assert short.json()["errors"] == [
        "ValidationFailed: Address: '0x36f6' is not an address on ethereum: '0x' and 40 hex digits"
    ]


def test_a_scene_with_an_unknown_asset_or_a_malformed_wallet_cannot_be_set() -> None:
    fake = FakeOneKonto()
    with pytest.raises(wk.InvalidArgument, match=r"knows no asset 'btc' \(it knows BTC, ETH"):
        fake.deposit("1 btc")
    with pytest.raises(wk.InvalidArgument, match="add_asset"):
        fake.set_credit_limit("100 EUR")
    with pytest.raises(wk.InvalidArgument, match=r"cannot whitelist 'bc1q\.\.\.'"):
        fake.whitelist_wallet("bitcoin", "bc1q...")
    fake.add_asset("SOL")
    fake.deposit("3 SOL")
    assert "SOL" in fake.assets
    assert fake.balance("SOL").free == Decimal(3)
