"""RipioClient's fiat withdrawals over a mocked HTTP layer: the exact body, a currency the
server changed, and the beneficiary accounts."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
import responses
from responses import matchers

from tests import ripio_support
from tests.mock_calls import body_of
from tests.ripio_support import BASE, FIAT_URL, add_token
from withdrawkit._ripio_client import RipioClient

clock = ripio_support.clock
client = ripio_support.client

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
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)

    created = client.create_fiat_withdrawal(
        "12345.67 ARS",
        end_user="customer_10",
        beneficiary_fiat_account_id="4123e456-e89b-12d3-a456-4bedc4266abc",
    )

    sent = rsps.calls[1].request.body
    assert isinstance(sent, bytes)
    assert b'"amount":12345.67' in sent
    assert body_of(rsps.calls[1]) == {
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
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)

    with caplog.at_level(logging.WARNING, logger="withdrawkit._ripio_fiat"):
        client.create_fiat_withdrawal("100 USD", end_user="c", beneficiary_fiat_account_id="b")

    assert "created in ARS" in caplog.text
    assert "100 USD" in caplog.text


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
