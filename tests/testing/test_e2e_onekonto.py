"""1Konto end to end: the real OneKontoClient and transport against FakeOneKonto over sockets."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

import withdrawkit as wk
from withdrawkit._amount import Amount
from withdrawkit._onekonto_client import OneKontoClient
from withdrawkit.testing import FakeOneKonto

WALLET = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
# (connect, read) seconds. Every answer a test expects must arrive within the read timeout, on a
# loaded CI machine too, so no test shortens it; a "late" answer is delayed far beyond it instead
# (stopping the server cuts the delay short).
FAST = (2.0, 2.0)
NEVER_IN_TIME = 60.0
MAX_POLLS = 10


@pytest.fixture
def fake() -> Iterator[FakeOneKonto]:
    fake = FakeOneKonto()
    fake.deposit("999 BTC")
    fake.whitelist_wallet("bitcoin", WALLET)
    with fake.serve():
        yield fake


@pytest.fixture
def client(fake: FakeOneKonto) -> Iterator[OneKontoClient]:
    with fake.client(timeout=FAST) as client:
        yield client


def statuses(fake: FakeOneKonto, operation: str) -> list[int | None]:
    return [seen.status for seen in fake.calls(operation)]


def test_a_withdrawal_from_login_to_completed(fake: FakeOneKonto, client: OneKontoClient) -> None:
    fake.pending_polls = 2
    assert client.get_account().balances["BTC"].free == Decimal(999)
    receipt = client.request_withdraw_blockchain(
        "1.5 BTC", network="bitcoin", address=WALLET, instructions=["invoice 42"]
    )
    assert receipt.request_status == "pending"
    seen = []
    for _ in range(MAX_POLLS):
        (request,) = client.query_withdraw_requests(withdraw_request_id=receipt.withdraw_request_id)
        seen.append(str(request.request_status))
        if request.request_status == "completed":
            break
    assert seen == ["pending", "pending", "completed"]
    assert request.amount == Amount.parse("1.5 BTC")
    assert request.instructions == ["invoice 42"]
    balance = client.get_account().balances["BTC"]
    assert (balance.free, balance.locked) == (Decimal("997.5"), Decimal(0))
    assert statuses(fake, "login") == [200]


def test_insufficient_funds_carries_requested_and_available(client: OneKontoClient) -> None:
    with pytest.raises(wk.InsufficientFunds) as refused:
        client.request_withdraw_blockchain("1100 BTC", network="bitcoin", address=WALLET)
    assert refused.value.requested == Amount.parse("1100 BTC")
    assert refused.value.available == Amount.parse("999 BTC")
    assert refused.value.http_status == 400
    assert refused.value.code == "Insufficient Funds"


def test_a_non_whitelisted_wallet_is_validation_failed_with_the_field(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    with pytest.raises(wk.ValidationFailed) as refused:
        client.request_withdraw_blockchain("1 BTC", network="bitcoin", address="bc1qstranger")
    assert set(refused.value.field_errors) == {"Address"}
    assert fake.withdraw_requests() == []


def test_a_fiat_withdrawal_to_a_whitelisted_bank_account(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    fake.deposit("250 USD")
    fake.whitelist_bank_account("012345678", "0123456789")
    receipt = client.request_withdraw_fiat(
        "100 USD", type="fedwire", routing_number="012345678", account_number="0123456789"
    )
    fake.complete(receipt.withdraw_request_id)
    (request,) = client.query_withdraw_requests(type="fedwire", status="completed")
    assert request.withdraw_request_id == receipt.withdraw_request_id
    assert client.get_account().balances["USD"].free == Decimal(150)


def test_deposit_instructions_through_the_client(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    fake.add_deposit_address("USDC", "trc20", "TXYZ-usdc-address")
    fake.set_bank_instruction(bank_name="My Bank", bank_swift_number="CUESUS33")
    btc, usdc, usd = client.get_deposit_instructions()
    assert (btc.asset, btc.asset_type, btc.network_type) == ("BTC", "blockchain", "bitcoin")
    assert btc.address is not None and btc.address.startswith("bc1q")
    assert btc.method is None
    assert (usdc.network_type, usdc.address) == ("trc20", "TXYZ-usdc-address")
    assert (usd.asset, usd.asset_type, usd.method) == ("USD", "fiat", "FedWire")
    assert (usd.bank_name, usd.bank_swift_number) == ("My Bank", "CUESUS33")
    assert usd.special_instructions == f"Reference: {fake.account_id}"
    assert usd.address is None
    assert statuses(fake, "getDepositInstructions") == [200]


@pytest.mark.parametrize("account", ["unknown", "cleared"])
def test_missing_deposit_instructions_are_not_found(fake: FakeOneKonto, account: str) -> None:
    if account == "cleared":
        fake.clear_deposit_instructions()
    account_id = fake.account_id if account == "cleared" else "unknown"
    with (
        fake.client(account_id=account_id, timeout=FAST) as client,
        pytest.raises(wk.NotFound) as refused,
    ):
        client.get_deposit_instructions()
    assert refused.value.http_status == 404
    assert refused.value.messages == (
        "The deposit instructions with the provided ID were not found",
    )
    assert statuses(fake, "getDepositInstructions") == [404]


def test_a_read_is_retried_after_an_injected_503(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    fake.faults.fail_next("getAccount", times=2, status=503, retry_after=0)
    assert client.get_account().balances["BTC"].free == Decimal(999)
    assert statuses(fake, "getAccount") == [503, 503, 200]


def test_a_read_is_retried_after_a_read_timeout(fake: FakeOneKonto) -> None:
    fake.faults.delay("getAccountCredit", seconds=NEVER_IN_TIME)
    with fake.client(timeout=FAST) as client:
        credit = client.get_account_credit()
    assert credit.account.balances["BTC"].available_funds == Decimal(999)
    assert len(fake.calls("getAccountCredit")) == 2


@pytest.mark.parametrize("applied", [False, True])
def test_a_dropped_withdrawal_is_outcome_unknown_and_never_resent(
    fake: FakeOneKonto, client: OneKontoClient, applied: bool
) -> None:
    fake.faults.drop_connection("requestWithdrawBlockchain", request_applied=applied)
    with pytest.raises(wk.OutcomeUnknown):
        client.request_withdraw_blockchain("1 BTC", network="bitcoin", address=WALLET)
    assert statuses(fake, "requestWithdrawBlockchain") == [None]
    created = fake.withdraw_requests()
    assert len(created) == (1 if applied else 0)
    # What the caller does next: look it up before trying again.
    assert len(client.query_withdraw_requests(status="pending")) == len(created)
    assert fake.balance("BTC").locked == (Decimal(1) if applied else Decimal(0))


def test_a_withdrawal_answered_too_late_is_outcome_unknown(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    fake.faults.delay("requestWithdrawBlockchain", seconds=NEVER_IN_TIME)
    with pytest.raises(wk.OutcomeUnknown):
        client.request_withdraw_blockchain("1 BTC", network="bitcoin", address=WALLET)
    assert len(fake.calls("requestWithdrawBlockchain")) == 1
    assert len(fake.withdraw_requests()) == 1


def test_an_expired_token_is_renewed_once_and_the_call_repeated(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    client.get_account()
    fake.expire_tokens()
    client.get_account()
    assert statuses(fake, "getAccount") == [200, 401, 200]
    assert statuses(fake, "login") == [200, 200]


def test_a_token_that_dies_before_a_withdrawal_creates_exactly_one(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    client.get_account()
    fake.faults.expire_tokens_before("requestWithdrawBlockchain")
    client.request_withdraw_blockchain("2 BTC", network="bitcoin", address=WALLET)
    assert statuses(fake, "requestWithdrawBlockchain") == [401, 200]
    assert [record.amount for record in fake.withdraw_requests()] == [Amount.parse("2 BTC")]


def test_bad_credentials_are_authentication_failed(fake: FakeOneKonto) -> None:
    with (
        fake.client(password="wrong", timeout=FAST) as client,
        pytest.raises(wk.AuthenticationFailed),
    ):
        client.get_account()
    assert statuses(fake, "login") == [401]
    assert fake.calls("getAccount") == []


def test_a_stopped_server_is_a_transport_error_not_an_unknown_outcome() -> None:
    fake = FakeOneKonto()
    with fake.serve() as base_url:
        pass
    with (
        fake.client(base_url=base_url, timeout=FAST, max_retries=0) as client,
        pytest.raises(wk.TransportError) as failed,
    ):
        client.request_withdraw_blockchain("1 BTC", network="bitcoin", address=WALLET)
    assert not isinstance(failed.value, wk.OutcomeUnknown)
    assert fake.received == []
