"""RipioClient's fiat withdrawals over a mocked HTTP layer: the exact body, a currency the
server changed, and the beneficiary accounts."""

from __future__ import annotations

import logging
import uuid
from decimal import Decimal
from typing import Any

import pytest
import responses
from responses import matchers

import withdrawkit as wk
from tests import ripio_support
from tests.mock_calls import body_of
from tests.ripio_support import (
    BASE,
    FIAT_URL,
    add_beneficiary_accounts,
    add_token,
    beneficiary_account,
)
from withdrawkit._ripio_client import RipioClient

clock = ripio_support.clock
client = ripio_support.client

ACCOUNT = "4123e456-e89b-12d3-a456-4bedc4266abc"

FIAT_WITHDRAWAL = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
    "transaction_id": "0fec1e58-b197-4052-99cf-2218496c5482",
    "created_at": "2019-08-24T14:15:22Z",
    "updated_at": "2019-08-24T14:15:22Z",
    "end_user_id": "customer_10",
    "amount": "12345.67",
    "currency_code": "ARS",
    "status": "PENDING",
    "external_ref": None,
    "beneficiary_fiat_account_id": "4123e456-e89b-12d3-a456-4bedc4266abc",
    "is_fiat_deposit_refund": False,
    "refunded_fiat_deposit": None,
}


# -- fiat withdrawals ---------------------------------------------------------------------------


def test_create_fiat_withdrawal_sends_the_exact_body(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_beneficiary_accounts(rsps, "customer_10", beneficiary_account(ACCOUNT))
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)

    created = client.create_fiat_withdrawal(
        "12345.67 ARS", end_user="customer_10", beneficiary_fiat_account_id=ACCOUNT
    )

    sent = rsps.calls[2].request.body
    assert isinstance(sent, bytes)
    assert b'"amount":12345.67' in sent
    body = body_of(rsps.calls[2])
    assert uuid.UUID(body.pop("external_ref")).version == 4
    assert body == {
        "end_user_id": "customer_10",
        "amount": Decimal("12345.67"),
        "beneficiary_fiat_account_id": "4123e456-e89b-12d3-a456-4bedc4266abc",
    }
    assert created.amount == Decimal("12345.67")
    assert created.status == "PENDING"
    assert created.updated_at.tzinfo is not None


def test_a_fiat_withdrawal_created_in_another_currency_is_logged(
    rsps: responses.RequestsMock, client: RipioClient, caplog: pytest.LogCaptureFixture
) -> None:
    add_token(rsps)
    add_beneficiary_accounts(rsps, "c", beneficiary_account("b", currency="USD"))
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)

    with caplog.at_level(logging.WARNING, logger="withdrawkit._ripio_fiat"):
        client.create_fiat_withdrawal("100 USD", end_user="c", beneficiary_fiat_account_id="b")

    assert "created in ARS" in caplog.text
    assert "100 USD" in caplog.text


@pytest.mark.parametrize(
    ("accounts", "refusal"),
    [
        ([beneficiary_account(ACCOUNT, currency="ARS")], "is in ARS, not USD"),
        ([beneficiary_account(ACCOUNT, currency="USD", status="DISABLED")], "not ENABLED"),
        ([beneficiary_account(ACCOUNT, currency="USD", status="PROCESSING")], "not ENABLED"),
        ([], "has no beneficiary fiat account"),
        ([beneficiary_account("another-account", currency="USD")], "has no beneficiary"),
    ],
)
def test_a_fiat_withdrawal_the_account_would_pay_out_differently_is_refused_before_posting(
    rsps: responses.RequestsMock,
    client: RipioClient,
    accounts: list[dict[str, Any]],
    refusal: str,
) -> None:
    add_token(rsps)
    add_beneficiary_accounts(rsps, "customer_10", *accounts)

    with pytest.raises(wk.InvalidArgument, match=refusal):
        client.create_fiat_withdrawal(
            "100 USD", end_user="customer_10", beneficiary_fiat_account_id=ACCOUNT
        )

    assert [call.request.method for call in rsps.calls] == ["POST", "GET"]  # token, accounts


@pytest.mark.parametrize(
    "account",
    [
        beneficiary_account(ACCOUNT, currency="ars"),
        beneficiary_account(ACCOUNT, status="enabled"),
        beneficiary_account(ACCOUNT.upper()),
    ],
    ids=["lower-case-currency", "lower-case-status", "upper-case-id"],
)
def test_the_account_check_ignores_case_and_sends_the_id_as_ripio_lists_it(
    rsps: responses.RequestsMock, client: RipioClient, account: dict[str, Any]
) -> None:
    add_token(rsps)
    add_beneficiary_accounts(rsps, "customer_10", account)
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)

    client.create_fiat_withdrawal(
        "12345.67 ARS", end_user="customer_10", beneficiary_fiat_account_id=ACCOUNT
    )

    sent = body_of(rsps.calls[2])
    assert sent["beneficiary_fiat_account_id"] == account["beneficiary_fiat_account_id"]


def test_an_id_two_accounts_share_but_for_case_is_refused_unless_spelled_exactly(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    mixed = ACCOUNT[:9] + ACCOUNT[9:].upper()  # unlike ACCOUNT.upper(): its "e" stays
    add_beneficiary_accounts(
        rsps, "customer_10", beneficiary_account(mixed), beneficiary_account(ACCOUNT.upper())
    )

    with pytest.raises(wk.InvalidArgument, match="has no beneficiary fiat account"):
        client.create_fiat_withdrawal(
            "1 ARS", end_user="customer_10", beneficiary_fiat_account_id=ACCOUNT
        )
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)
    client.create_fiat_withdrawal(
        "1 ARS", end_user="customer_10", beneficiary_fiat_account_id=mixed
    )

    assert body_of(rsps.calls[-1])["beneficiary_fiat_account_id"] == mixed


ACCOUNTS_URL = f"{BASE}/api/v1/end-users/customer_10/beneficiary-fiat-accounts/"


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({"status": 503, "json": {}}, wk.ServerError),
        (
            {
                "status": 404,
                "json": {
                    "code": 40004,
                    "type": "NotFound",
                    "detail": {"message": "Not found.", "code": "not_found"},
                    "status": 404,
                },
            },
            wk.NotFound,
        ),
        ({"body": "<html><body>Bad Gateway</body></html>"}, wk.UnexpectedResponse),
        (
            {"json": {"count": 1, "next": None, "previous": None, "results": [{}]}},
            wk.UnexpectedResponse,
        ),
    ],
    ids=["503", "404", "html", "paginated-envelope"],
)
def test_a_failed_account_lookup_raises_its_error_and_sends_no_withdrawal(
    rsps: responses.RequestsMock,
    client: RipioClient,
    answer: dict[str, Any],
    error: type[Exception],
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, ACCOUNTS_URL, **answer)
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)

    with pytest.raises(error):
        client.create_fiat_withdrawal(
            "1 ARS", end_user="customer_10", beneficiary_fiat_account_id=ACCOUNT
        )

    assert {call.request.url for call in rsps.calls} <= {ripio_support.TOKEN_URL, ACCOUNTS_URL}


def test_list_beneficiary_fiat_accounts_filters_and_reads_a_bare_array(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{BASE}/api/v1/end-users/customer%2010/beneficiary-fiat-accounts/",
        match=[matchers.query_param_matcher({"status": "ENABLED"})],
        json=[
            {
                "beneficiary_fiat_account_id": "123e4567-e89b-12d3-a456-4bedc4266abc",
                "created_at": "2019-08-24T14:15:22Z",
                "currency": "ARS",
                "account_fields": {"alias_or_cvu_destination": "0000465160000000013330"},
                "status": "ENABLED",
                "payment_method_type": "bank_transfer",
            }
        ],
    )

    (account,) = client.list_beneficiary_fiat_accounts("customer 10", status="ENABLED")

    assert account.currency == "ARS"
    assert account.account_fields["alias_or_cvu_destination"] == "0000465160000000013330"
    assert account.created_at.tzinfo is not None


# -- fiat withdrawals after creation --------------------------------------------------------------


def fiat_page(numbers: list[int], next_page: int | None, count: int) -> dict[str, Any]:
    return {
        "count": count,
        "next": None
        if next_page is None
        else f"https://sandbox-b2b.ripio.com/api/v1/fiat-withdrawals/?page={next_page}",
        "previous": None,
        "results": [{**FIAT_WITHDRAWAL, "id": f"fw-{number}"} for number in numbers],
    }


def test_get_fiat_withdrawal_reads_the_create_pages_object(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    vendor = {**FIAT_WITHDRAWAL, "external_ref": "ac243840-ac04-4b3a-9efb-176554d4a029"}
    rsps.add(responses.GET, f"{FIAT_URL}497f6eca-6276-4993-bfeb-53cbbbba6f08/", json=vendor)

    found = client.get_fiat_withdrawal("497f6eca-6276-4993-bfeb-53cbbbba6f08")

    assert found.status == wk.FiatWithdrawalStatus.PENDING
    assert (found.amount, found.currency_code) == (Decimal("12345.67"), "ARS")
    assert found.external_ref == "ac243840-ac04-4b3a-9efb-176554d4a029"


def test_list_fiat_withdrawals_walks_every_page_from_the_base_url(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    for number, body in ((1, fiat_page([1, 2], 2, 3)), (2, fiat_page([3], None, 3))):
        rsps.add(
            responses.GET,
            FIAT_URL,
            json=body,
            match=[matchers.query_param_matcher({"page": str(number)})],
        )

    found = [withdrawal.id for withdrawal in client.list_fiat_withdrawals()]

    assert found == ["fw-1", "fw-2", "fw-3"]
    assert all(str(call.request.url).startswith(BASE) for call in rsps.calls)


def test_list_fiat_withdrawals_refuses_a_short_walk(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, FIAT_URL, json=fiat_page([1], None, 2))

    with pytest.raises(wk.UnexpectedResponse):
        list(client.list_fiat_withdrawals())


# -- fiat deposits --------------------------------------------------------------------------------

# The payload of the IPN webhook example, verbatim: the only fiat deposit the docs show in full.
FIAT_DEPOSIT = {
    "id": "8142b065-79c4-4f48-9e33-11b17bc658d4",
    "created_at": "2024-04-23T14:48:33.895551Z",
    "updated_at": "2024-04-23T14:49:25.342111Z",
    "currency_code": "ARS",
    "end_user_id": "customer_10",
    "amount": "12345.67",
    "status": "COMPLETED",
    "refunded": False,
    "refund_fiat_withdrawal_id": None,
    "origin_account_identifier": "0000465160000000100092",
    "origin_account_holder_id": "20388003629",
    "origin_account_holder_name": "Carlos Pineda",
}
DEPOSITS_URL = f"{BASE}/api/v1/fiat-deposits/"


def test_get_fiat_deposit_reads_the_ipn_examples_object(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET, f"{DEPOSITS_URL}8142b065-79c4-4f48-9e33-11b17bc658d4/", json=FIAT_DEPOSIT
    )

    found = client.get_fiat_deposit("8142b065-79c4-4f48-9e33-11b17bc658d4")

    assert (found.amount, found.status, found.refunded) == (
        Decimal("12345.67"),
        wk.FiatDepositStatus.COMPLETED,
        False,
    )
    assert found.origin_account_holder_name == "Carlos Pineda"
    assert found.created_at.microsecond == 895551


def test_list_fiat_deposits_uses_only_the_page_number_of_the_vendors_real_host_links(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    # The links of the List Fiat Deposits page, verbatim: the real host, page 2 of 3.
    pages: dict[int, dict[str, str | None]] = {
        1: {"next": "https://sandbox-b2b.ripio.com/api/v1/fiat-deposits/?page=2", "previous": None},
        2: {
            "next": "https://sandbox-b2b.ripio.com/api/v1/fiat-deposits/?page=3",
            "previous": "https://sandbox-b2b.ripio.com/api/v1/fiat-deposits/?page=1",
        },
        3: {"next": None, "previous": "https://sandbox-b2b.ripio.com/api/v1/fiat-deposits/?page=2"},
    }
    for number, links in pages.items():
        rows = [{**FIAT_DEPOSIT, "id": f"fd-{number}", "status": "PENDING"}]
        rsps.add(
            responses.GET,
            DEPOSITS_URL,
            json={"count": 3, **links, "results": rows},
            match=[matchers.query_param_matcher({"page": str(number)})],
        )

    found = list(client.list_fiat_deposits())

    assert [deposit.id for deposit in found] == ["fd-1", "fd-2", "fd-3"]
    assert {deposit.status for deposit in found} == {wk.FiatDepositStatus.PENDING}
    assert all(str(call.request.url).startswith(BASE) for call in rsps.calls)
