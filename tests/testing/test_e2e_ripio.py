"""Ripio end to end: the real RipioClient and transport against FakeRipio over sockets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest

import withdrawkit as wk
from withdrawkit._ripio_client import RipioClient
from withdrawkit.testing import FakeClock, FakeRipio
from withdrawkit_generated.ripio import Withdrawal

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
FAST = (2.0, 2.0)
MAX_POLLS = 10


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> Iterator[FakeRipio]:
    fake = FakeRipio(clock=clock)
    fake.deposit("customer_10", "2 ETH")
    with fake.serve():
        yield fake


@pytest.fixture
def client(fake: FakeRipio) -> Iterator[RipioClient]:
    with fake.client(timeout=FAST) as client:
        yield client


def statuses(fake: FakeRipio, operation: str) -> list[int | None]:
    return [seen.status for seen in fake.calls(operation)]


def withdraw(client: RipioClient, amount: str = "0.1 ETH", **fields: str) -> Withdrawal:
    return client.create_withdrawal(
        amount, end_user="customer_10", address=ADDRESS, network="ETHEREUM", **fields
    )


def test_a_withdrawal_with_a_held_fee_from_token_to_completed(
    fake: FakeRipio, client: RipioClient
) -> None:
    fake.pending_polls = 1
    fee = client.create_withdrawal_fee("0.002 ETH", network="ethereum")
    assert (fee.total_fee, fee.total_amount) == (Decimal("0.00002"), Decimal("0.00202"))
    created = withdraw(client, "0.002 ETH", withdrawal_fee_id=fee.id, external_ref="payout-1")
    assert (created.status, created.amount, created.debited_amount) == (
        "PENDING",
        Decimal("0.002"),
        Decimal("0.00202"),
    )
    assert created.created_at.tzinfo is not None
    seen = []
    for _ in range(MAX_POLLS):
        current = client.get_withdrawal(created.id)
        seen.append(str(current.status))
        if current.status == "COMPLETED":
            break
    assert seen == ["PENDING", "COMPLETED"]
    assert current.txn_hash is not None
    assert fake.balance("customer_10", "ETH") == Decimal("1.99798")
    assert statuses(fake, "getAccessToken") == [200]


def test_listing_walks_every_page_on_the_clients_own_host(
    fake: FakeRipio, client: RipioClient
) -> None:
    fake.page_size = 2
    ids = [withdraw(client).id for _ in range(5)]
    assert [item.id for item in client.list_withdrawals()] == ids
    pages = [seen.request.query_value("page") for seen in fake.calls("listWithdrawals")]
    assert pages == ["1", "2", "3"]


def test_an_expired_fee_is_validation_failed(
    fake: FakeRipio, client: RipioClient, clock: FakeClock
) -> None:
    fee = client.create_withdrawal_fee("0.5 ETH", network="ETHEREUM")
    clock.advance(seconds=16)
    with pytest.raises(wk.ValidationFailed) as refused:
        withdraw(client, "0.5 ETH", withdrawal_fee_id=fee.id)
    assert refused.value.code == 20000
    assert fake.withdrawals() == []


def test_more_than_the_balance_is_insufficient_funds(fake: FakeRipio, client: RipioClient) -> None:
    with pytest.raises(wk.InsufficientFunds) as refused:
        withdraw(client, "2 ETH")
    assert refused.value.code == 20012
    assert fake.balance("customer_10", "ETH") == Decimal(2)


def test_an_unknown_withdrawal_is_not_found(client: RipioClient) -> None:
    with pytest.raises(wk.NotFound):
        client.get_withdrawal("4d9bd2a5-0000-4000-8000-000000000000")


def test_a_read_is_retried_after_an_injected_503(fake: FakeRipio, client: RipioClient) -> None:
    created = withdraw(client)
    fake.faults.fail_next("getWithdrawal", status=503, retry_after=0)
    assert client.get_withdrawal(created.id).id == created.id
    assert statuses(fake, "getWithdrawal") == [503, 200]


@pytest.mark.parametrize("applied", [False, True])
def test_a_dropped_withdrawal_is_outcome_unknown_and_found_by_its_external_ref(
    fake: FakeRipio, client: RipioClient, applied: bool
) -> None:
    fake.faults.drop_connection("createWithdrawal", request_applied=applied)
    with pytest.raises(wk.OutcomeUnknown):
        withdraw(client, external_ref="payout-7")
    assert statuses(fake, "createWithdrawal") == [None]
    found = [item for item in client.list_withdrawals() if item.external_ref == "payout-7"]
    assert len(found) == len(fake.withdrawals()) == (1 if applied else 0)
    expected = Decimal("1.89949") if applied else Decimal(2)
    assert fake.balance("customer_10", "ETH") == expected


def test_an_expired_token_is_renewed_once_and_the_call_repeated(
    fake: FakeRipio, client: RipioClient
) -> None:
    created = withdraw(client)
    fake.expire_tokens()
    assert client.get_withdrawal(created.id).id == created.id
    assert statuses(fake, "getWithdrawal") == [401, 200]
    assert statuses(fake, "getAccessToken") == [200, 200]


def test_threads_sharing_a_client_get_one_token(fake: FakeRipio, client: RipioClient) -> None:
    created = withdraw(client)
    fake.expire_tokens()
    failures: list[BaseException] = []

    def look_up() -> None:
        try:
            client.get_withdrawal(created.id)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)

    threads = [threading.Thread(target=look_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert failures == []
    assert statuses(fake, "getAccessToken") == [200, 200]


def test_bad_client_credentials_are_authentication_failed(fake: FakeRipio) -> None:
    with (
        fake.client(client_secret="wrong", timeout=FAST) as client,
        pytest.raises(wk.AuthenticationFailed),
    ):
        client.get_withdrawal("anything")
    assert statuses(fake, "getAccessToken") == [401]
    assert fake.calls("getWithdrawal") == []


def test_a_fiat_withdrawal_to_a_beneficiary_account(fake: FakeRipio, client: RipioClient) -> None:
    fake.deposit_fiat("customer_10", "20000 ARS")
    account_id = fake.add_beneficiary_account("customer_10")
    (account,) = client.list_beneficiary_fiat_accounts("customer_10", status="ENABLED")
    assert account.beneficiary_fiat_account_id == account_id
    created = client.create_fiat_withdrawal(
        "12345.67 ARS", end_user="customer_10", beneficiary_fiat_account_id=account_id
    )
    assert (created.amount, created.currency_code, created.status) == (
        Decimal("12345.67"),
        "ARS",
        "PENDING",
    )
    assert fake.balance("customer_10", "ARS") == Decimal("7654.33")
