"""RipioClient's crypto withdrawals over a mocked HTTP layer: every digit sent, the fee quote,
exact reads, no repeat after an unknown outcome, and arguments and amounts refused before any
request."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
import requests
import responses

import withdrawkit as wk
from tests import ripio_support
from tests.mock_calls import body_of
from tests.ripio_support import FEES_URL, WITHDRAWALS_URL, add_token, urls, withdrawal
from withdrawkit._conversion import WireShapeError
from withdrawkit._error_mapping import RIPIO
from withdrawkit._ripio_client import RipioClient

clock = ripio_support.clock
client = ripio_support.client

EXACT = "0.00206525633592975968892629"


# -- crypto withdrawals -------------------------------------------------------------------------


def test_create_withdrawal_sends_every_digit_a_generated_reference_and_omits_unset_optionals(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json=withdrawal(amount=EXACT))

    created = client.create_withdrawal(
        f"{EXACT} BTC",
        end_user="customer_10",
        address="bc1qexample",
        network="BITCOIN_TESTNET",
        external_ref=None,
    )

    sent = rsps.calls[1].request.body
    assert isinstance(sent, bytes)
    assert f'"amount":{EXACT}'.encode() in sent  # a JSON number, not a string, not a float
    body = body_of(rsps.calls[1])
    # Without one of the caller's, a reference of its own is sent, so it can be found again.
    assert uuid.UUID(body.pop("external_ref")).version == 4
    assert body == {
        "end_user": "customer_10",
        "currency": "BTC",
        "address": "bc1qexample",
        "network": "BITCOIN_TESTNET",
        "amount": Decimal(EXACT),
    }
    assert created.amount == Decimal(EXACT)


def test_the_contract_example_fee_then_withdrawal(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.POST,
        FEES_URL,
        status=201,
        body='{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "expires_at": "2022-08-24T14:15:22Z",'
        ' "amount": 0.002, "gas_price": 0.00001, "fee": 0.00001, "total_fee": 0.00002,'
        ' "total_amount": 0.00202}',
        content_type="application/json",
    )
    rsps.add(
        responses.POST,
        WITHDRAWALS_URL,
        status=201,
        json=withdrawal(currency="ETH", amount="0.002", external_ref="ref-1", rewards_tier="gold"),
    )

    fee = client.create_withdrawal_fee("0.002 ETH", network="ethereum", external_ref="fee-1")
    created = client.create_withdrawal(
        "0.002 ETH",
        end_user="customer_10",
        address="0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        network="ETHEREUM",
        external_ref="ref-1",
        withdrawal_fee_id=fee.id,
    )

    assert body_of(rsps.calls[1]) == {
        "currency": "ETH",
        "network": "ethereum",
        "amount": Decimal("0.002"),
        "external_ref": "fee-1",
    }
    assert fee.total_amount == Decimal("0.00202")
    assert fee.expires_at.tzinfo is not None
    assert body_of(rsps.calls[2])["withdrawal_fee_id"] == "497f6eca-6276-4993-bfeb-53cbbbba6f08"
    assert body_of(rsps.calls[2])["external_ref"] == "ref-1"
    assert created.amount == Decimal("0.002")
    assert created.created_at.tzinfo is not None
    assert created.status == "PENDING"


def test_get_withdrawal_reads_numbers_strings_and_exponents_exactly(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{WITHDRAWALS_URL}ac243840/",
        body=json.dumps(withdrawal(status="COMPLETED"))
        .replace('"amount": "1.5"', '"amount": 1.0000016378e-8')
        .replace('"debited_amount": "1.5005"', '"debited_amount": "1.0000016379E-8"'),
        content_type="application/json",
    )

    found = client.get_withdrawal("ac243840")

    assert found.amount == Decimal("1.0000016378e-8")
    assert found.debited_amount == Decimal("1.0000016379E-8")
    assert found.status == "COMPLETED"


def test_unknown_fields_and_enum_values_are_tolerated(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{WITHDRAWALS_URL}w-9/",
        json=withdrawal(9, status="UNDER_REVIEW", network_name="SOLANA", travel_rule={"ok": True}),
    )

    found = client.get_withdrawal("w-9")

    assert found.status == "UNDER_REVIEW"
    assert found.status is not None and not found.status.is_known
    assert found.network_name == "SOLANA"


def test_the_withdrawal_id_cannot_change_the_path(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}..%2F..%2Foauth2%2F/", json=withdrawal())

    client.get_withdrawal("../../oauth2/")
    assert urls(rsps)[1] == f"{WITHDRAWALS_URL}..%2F..%2Foauth2%2F/"


def test_a_withdrawal_is_never_repeated_after_an_unknown_outcome(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, WITHDRAWALS_URL, body=requests.exceptions.ReadTimeout("timed out"))
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json=withdrawal())  # never reached

    with pytest.raises(wk.OutcomeUnknown):
        client.create_withdrawal("1.5 BTC", end_user="customer_10", address="a", network="BITCOIN")
    assert urls(rsps).count(WITHDRAWALS_URL) == 1


def test_a_created_withdrawal_of_the_wrong_shape_is_unexpected_and_says_it_was_accepted(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json={"id": "w-1", "amount": "1.5"})

    with pytest.raises(wk.UnexpectedResponse, match="accepted the request") as raised:
        client.create_withdrawal("1.5 BTC", end_user="customer_10", address="a", network="BITCOIN")
    assert isinstance(raised.value.__cause__, WireShapeError)


def test_an_html_page_with_status_200_is_an_unexpected_response(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{WITHDRAWALS_URL}w-1/",
        body="<!DOCTYPE html><html><body>Sandbox under maintenance</body></html>",
        content_type="text/html",
    )

    with pytest.raises(wk.UnexpectedResponse):
        client.get_withdrawal("w-1")


@pytest.mark.parametrize(
    "missing", ["end_user", "address", "network"], ids=lambda name: f"blank-{name}"
)
def test_blank_required_arguments_are_refused_before_any_request(
    rsps: responses.RequestsMock, client: RipioClient, missing: str
) -> None:
    arguments = {"end_user": "customer_10", "address": "a", "network": "BITCOIN", missing: " "}
    with pytest.raises(ValueError, match=missing):
        client.create_withdrawal("1 BTC", **arguments)
    assert len(rsps.calls) == 0


# -- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0 BTC", "0.0 BTC", "-1.5 BTC"])
def test_zero_or_negative_amounts_raise_validation_failed_before_any_request(
    rsps: responses.RequestsMock, client: RipioClient, amount: str
) -> None:
    with pytest.raises(wk.ValidationFailed) as refused:
        client.create_withdrawal(amount, end_user="customer_10", address="a", network="BITCOIN")
    with pytest.raises(wk.ValidationFailed):
        client.create_withdrawal_fee(amount, network="bitcoin")
    with pytest.raises(wk.ValidationFailed):
        client.create_fiat_withdrawal(
            amount.replace("BTC", "ARS"), end_user="customer_10", beneficiary_fiat_account_id="b"
        )

    assert len(rsps.calls) == 0
    assert refused.value.provider == RIPIO
    assert refused.value.http_status is None
    assert set(refused.value.field_errors) == {"amount"}


@pytest.mark.parametrize("amount", ["1e3 BTC", "1,5 BTC", "1.5", "NaN BTC", "1.5  BTC"])
def test_bad_amount_text_raises_amount_error_before_any_request(
    rsps: responses.RequestsMock, client: RipioClient, amount: str
) -> None:
    with pytest.raises(wk.AmountError):
        client.create_withdrawal(amount, end_user="customer_10", address="a", network="BITCOIN")
    assert len(rsps.calls) == 0


def test_float_amounts_are_refused_before_any_request(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    with pytest.raises(TypeError, match="float"):
        client.create_withdrawal(1.5, end_user="c", address="a", network="B")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        client.create_withdrawal_fee(0.002, network="ethereum")  # type: ignore[arg-type]
    assert len(rsps.calls) == 0
