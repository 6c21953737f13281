"""Ripio end to end, every operation beyond the withdrawal flow: the real RipioClient against
FakeRipio over sockets (end users, limits, fiat withdrawals after creation, fiat deposits,
rates, transactions)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

import withdrawkit as wk
from withdrawkit._ripio_client import RipioClient
from withdrawkit.testing import FakeRipio

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
FAST = (2.0, 2.0)


@pytest.fixture
def fake() -> Iterator[FakeRipio]:
    fake = FakeRipio(page_size=2)
    fake.deposit("customer_10", "2 ETH")
    with fake.serve():
        yield fake


@pytest.fixture
def client(fake: FakeRipio) -> Iterator[RipioClient]:
    with fake.client(timeout=FAST) as client:
        yield client


def test_an_end_user_is_created_then_read_with_its_addresses_and_balances(
    fake: FakeRipio, client: RipioClient
) -> None:
    created = client.create_end_user("customer_11")
    assert created.external_ref == "customer_11"
    assert client.get_end_user("customer_11").created_at == created.created_at
    networks = {address.network for address in client.list_end_user_addresses("customer_11")}
    assert {"BITCOIN", "ETHEREUM", "POLYGON"} <= networks
    assert client.list_end_user_balances("customer_11") == []
    fake.deposit("customer_11", "0.5 BTC")
    (balance,) = client.list_end_user_balances("customer_11")
    assert (balance.currency, balance.balance) == ("BTC", Decimal("0.5"))

    with pytest.raises(wk.ValidationFailed, match="already exists"):
        client.create_end_user("customer_11")
    with pytest.raises(wk.NotFound):
        client.get_end_user("nobody")


def test_an_end_users_limits(fake: FakeRipio, client: RipioClient) -> None:
    fake.set_limit(
        "customer_10",
        type="SELL",
        currency="ARS",
        period="DAILY",
        allowed_amount="5000000.00",
        allowed_frequency=10,
    )
    (limit,) = client.list_end_user_limits("customer_10")
    assert (limit.type, limit.period, limit.currency) == ("SELL", "DAILY", "ARS")
    assert (limit.allowed_amount, limit.allowed_frequency) == (Decimal("5000000.00"), Decimal(10))
    assert (limit.consumed_amount, limit.consumed_frequency) == (Decimal(0), Decimal(0))
    with pytest.raises(wk.NotFound):
        client.list_end_user_limits("nobody")


def test_fiat_withdrawals_are_read_back_and_listed_page_by_page(
    fake: FakeRipio, client: RipioClient
) -> None:
    fake.deposit_fiat("customer_10", "1000 ARS")
    account = fake.add_beneficiary_account("customer_10")
    made = [
        client.create_fiat_withdrawal(
            f"{amount} ARS", end_user="customer_10", beneficiary_fiat_account_id=account
        )
        for amount in ("100", "200.5", "300")
    ]
    fake.complete(made[0].id)
    fake.fail(made[1].id)

    statuses = [client.get_fiat_withdrawal(item.id).status for item in made]
    listed = list(client.list_fiat_withdrawals())

    assert statuses == ["COMPLETED", "CANCELLED", "PENDING"]
    assert [item.id for item in listed] == [item.id for item in made]
    assert [item.amount for item in listed] == [Decimal(100), Decimal("200.5"), Decimal(300)]
    assert [seen.request.query_value("page") for seen in fake.calls("listFiatWithdrawals")] == [
        "1",
        "2",
    ]
    assert fake.balance("customer_10", "ARS") == Decimal(600)
    with pytest.raises(wk.NotFound):
        client.get_fiat_withdrawal("4d9bd2a5-0000-4000-8000-000000000000")


def test_a_fiat_withdrawal_completes_after_pending_polls(
    fake: FakeRipio, client: RipioClient
) -> None:
    fake.pending_polls = 1
    fake.deposit_fiat("customer_10", "100 ARS")
    account = fake.add_beneficiary_account("customer_10")
    created = client.create_fiat_withdrawal(
        "100 ARS", end_user="customer_10", beneficiary_fiat_account_id=account
    )
    seen = [str(client.get_fiat_withdrawal(created.id).status) for _ in range(2)]
    assert seen == ["PENDING", "COMPLETED"]


def test_fiat_deposits_are_listed_and_read(fake: FakeRipio, client: RipioClient) -> None:
    done = fake.deposit_fiat("customer_10", "12345.67 ARS")
    waiting = fake.deposit_fiat("customer_10", "10 ARS", pending=True)
    third = fake.deposit_fiat("customer_10", "0.01 ARS")
    assert fake.balance("customer_10", "ARS") == Decimal("12345.68")

    listed = list(client.list_fiat_deposits())
    assert [item.id for item in listed] == [done, waiting, third]
    assert [item.status for item in listed] == ["COMPLETED", "PENDING", "COMPLETED"]
    fake.complete(waiting)
    found = client.get_fiat_deposit(waiting)
    assert (found.status, found.amount, found.currency_code) == ("COMPLETED", Decimal(10), "ARS")
    assert found.origin_account_holder_name == "Carlos Pineda"
    assert fake.balance("customer_10", "ARS") == Decimal("12355.68")
    with pytest.raises(wk.NotFound):
        client.get_fiat_deposit("missing")


def test_rates_arrive_exact(fake: FakeRipio, client: RipioClient) -> None:
    fake.set_rate("LTC_USD", "71.3300000000000001", "70.1")
    rates = {rate.pair: rate for rate in client.list_rates()}
    assert rates["ETH_USD"].last_buy_rate == Decimal("3297.4449999999997")
    assert rates["LTC_USD"].last_buy_rate == Decimal("71.3300000000000001")
    assert {"BTC_USD", "ETH_USD", "USDT_USD", "LTC_USD"} == set(rates)


def test_transactions_are_listed_and_read_loosely_typed(
    fake: FakeRipio, client: RipioClient
) -> None:
    withdrawal = client.create_withdrawal(
        "0.1 ETH", end_user="customer_10", address=ADDRESS, network="ETHEREUM"
    )
    fake.deposit_fiat("customer_10", "50 ARS")
    fake.deposit_fiat("customer_10", "60 ARS")

    listed = list(client.list_transactions())
    assert len(listed) == 3
    assert [item["type"] for item in listed] == ["WITHDRAWAL", "FIAT_DEPOSIT", "FIAT_DEPOSIT"]
    found = client.get_transaction(withdrawal.transaction_id or "")
    assert found["id"] == withdrawal.transaction_id
    assert Decimal(found["amount"]) == withdrawal.debited_amount
    with pytest.raises(wk.NotFound):
        client.get_transaction("missing")


def test_scenes_that_cannot_exist_are_errors() -> None:
    fake = FakeRipio()
    with pytest.raises(wk.InvalidArgument):
        fake.deposit_fiat("nobody", "1 ARS")
    with pytest.raises(ValueError, match="positive"):
        fake.deposit_fiat("customer_10", "-1 ARS")
    with pytest.raises(wk.InvalidArgument):
        fake.set_limit(
            "nobody",
            type="BUY",
            currency="ARS",
            period="DAILY",
            allowed_amount="1",
            allowed_frequency=1,
        )
    with pytest.raises(wk.InvalidArgument):
        fake.complete("no-such-id")
    done = fake.deposit_fiat("customer_10", "1 ARS")
    with pytest.raises(ValueError, match="already COMPLETED"):
        fake.complete(done)


@pytest.mark.parametrize(
    ("amount", "currency", "status", "refusal"),
    [
        ("100 USD", "ARS", "ENABLED", "is in ARS, not USD"),
        ("100 ARS", "ARS", "DISABLED", "not ENABLED"),
    ],
)
def test_a_fiat_withdrawal_to_an_account_that_would_pay_out_otherwise_sends_nothing(
    fake: FakeRipio,
    client: RipioClient,
    *,
    amount: str,
    currency: str,
    status: str,
    refusal: str,
) -> None:
    fake.deposit_fiat("customer_10", "1000 ARS")
    account = fake.add_beneficiary_account("customer_10", currency=currency, status=status)

    with pytest.raises(wk.InvalidArgument, match=refusal):
        client.create_fiat_withdrawal(
            amount, end_user="customer_10", beneficiary_fiat_account_id=account
        )

    assert fake.fiat_withdrawals() == []
    assert fake.balance("customer_10", "ARS") == Decimal("1000")
    assert fake.calls("createFiatWithdrawal") == []


@pytest.mark.parametrize("applied", [True, False], ids=["created", "not-created"])
def test_an_end_user_creation_whose_answer_is_lost_is_looked_up_not_resent(
    fake: FakeRipio, client: RipioClient, *, applied: bool
) -> None:
    fake.faults.drop_connection("createEndUser", request_applied=applied)

    with pytest.raises(wk.OutcomeUnknown, match=r"get_end_user\('customer_11'\)") as raised:
        client.create_end_user("customer_11")

    assert len(fake.calls("createEndUser")) == 1
    assert raised.value.reference == "customer_11"
    if applied:
        assert client.get_end_user("customer_11").external_ref == "customer_11"
    else:
        with pytest.raises(wk.NotFound):
            client.get_end_user("customer_11")
