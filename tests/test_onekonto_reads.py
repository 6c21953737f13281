"""OneKontoClient's reads over a mocked HTTP layer: withdraw-request queries, the account and its
credit, deposit instructions, and an account id that cannot change the path."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses
from responses import matchers

import withdrawkit as wk
from tests import onekonto_support
from tests.onekonto_support import ACCOUNT, ACCOUNT_URL, BASE, QUERY_URL, add_login
from withdrawkit._onekonto_client import OneKontoClient

clock = onekonto_support.clock
client = onekonto_support.client


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


# -- paths --------------------------------------------------------------------------------------


def test_the_account_id_cannot_change_the_path(rsps: responses.RequestsMock) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        f"{BASE}/api/v1/accounting/account/..%2Fledger%2Fx",
        json={"account": {"accountId": "../ledger/x", "balances": {}}},
    )
    with OneKontoClient(BASE, user="u", password="p", account_id="../ledger/x") as k:
        assert k.get_account().account_id == "../ledger/x"
