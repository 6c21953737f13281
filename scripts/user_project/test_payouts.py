"""The application's tests on the in-process fakes (``pip install 'withdrawkit[testing]'``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from payouts import pay_out_bitcoin, pay_out_ether

import withdrawkit as wk
from withdrawkit.testing import FakeOneKonto, FakeRipio

WALLET = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
ETH_ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"


def test_a_bitcoin_payout_completes(fake_onekonto: FakeOneKonto) -> None:
    fake_onekonto.deposit("2 BTC")
    fake_onekonto.whitelist_wallet("bitcoin", WALLET)
    with wk.OneKontoClient(
        fake_onekonto.url,
        user=fake_onekonto.user,
        password=fake_onekonto.password,
        account_id=fake_onekonto.account_id,
    ) as client:
        request_id = pay_out_bitcoin(client, "1.5 BTC", WALLET)
        fake_onekonto.complete(request_id)
        (request,) = client.query_withdraw_requests(status="completed")
    assert request.withdraw_request_id == request_id
    assert fake_onekonto.balance("BTC").free == Decimal("0.5")


def test_another_user_and_account(fake_onekonto: FakeOneKonto) -> None:
    fake_onekonto.add_user("treasury@example.com", "another password")
    account_id = fake_onekonto.add_account(owner="treasury@example.com")
    fake_onekonto.deposit("1 BTC", account_id=account_id)
    with fake_onekonto.client(
        user="treasury@example.com", password="another password", account_id=account_id
    ) as client:
        assert client.get_account().balances["BTC"].free == Decimal(1)


def test_a_refusal_names_the_amounts(fake_onekonto: FakeOneKonto) -> None:
    fake_onekonto.deposit("1 BTC")
    fake_onekonto.whitelist_wallet("bitcoin", WALLET)
    with fake_onekonto.client() as client, pytest.raises(wk.InsufficientFunds) as refused:
        pay_out_bitcoin(client, "5 BTC", WALLET)
    assert refused.value.available == wk.Amount.parse("1 BTC")


def test_a_lost_answer_is_found_again(fake_ripio: FakeRipio) -> None:
    fake_ripio.deposit(fake_ripio.end_user, "1 ETH")
    fake_ripio.faults.drop_connection("createWithdrawal", request_applied=True)
    with fake_ripio.client() as client:
        found = pay_out_ether(client, fake_ripio.end_user, "0.1 ETH", ETH_ADDRESS, "payout-7")
    assert found is not None
    assert (found.external_ref, found.amount) == ("payout-7", Decimal("0.1"))


def test_another_api_client_and_end_user(fake_ripio: FakeRipio) -> None:
    fake_ripio.add_client("reporting", "reporting secret")
    fake_ripio.add_end_user("customer_11")
    fake_ripio.deposit("customer_11", "1 ETH")
    with wk.RipioClient(
        fake_ripio.url, client_id="reporting", client_secret="reporting secret"
    ) as client:
        made = pay_out_ether(client, "customer_11", "0.5 ETH", ETH_ADDRESS, "payout-8")
    assert made is not None
    assert made.end_user_id == "customer_11"


def test_a_misspelt_fault_is_refused_at_once(fake_ripio: FakeRipio) -> None:
    with pytest.raises(wk.InvalidArgument, match="Did you mean 'createWithdrawal'"):
        fake_ripio.faults.drop_connection("createWithdrawl")
