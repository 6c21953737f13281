"""OneKontoClient's withdrawals over a mocked HTTP layer: exact bodies, amounts checked before any
request, no repeat after an unknown outcome, and answers of the wrong shape."""

from __future__ import annotations

from decimal import Decimal

import pytest
import responses

import withdrawkit as wk
from tests import onekonto_support
from tests.mock_calls import body_of
from tests.onekonto_support import BLOCKCHAIN_URL, FIAT_URL, RECEIPT, add_login
from withdrawkit._conversion import WireShapeError
from withdrawkit._error_mapping import ONEKONTO
from withdrawkit._onekonto_client import OneKontoClient
from withdrawkit_generated.onekonto import WithdrawRequestStatus

clock = onekonto_support.clock
client = onekonto_support.client


# -- withdrawals --------------------------------------------------------------------------------


def test_blockchain_withdrawal_sends_the_exact_body_and_reads_the_receipt(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)

    receipt = client.request_withdraw_blockchain(
        "0.00206525633592975968892629 BTC",
        network="bitcoin",
        address="myWalletAddress",
        instructions=["memo 42"],
    )

    assert body_of(rsps.calls[1]) == {
        "amount": "0.00206525633592975968892629 BTC",
        "network": "bitcoin",
        "address": "myWalletAddress",
        "instructions": ["memo 42"],
    }
    assert rsps.calls[1].request.headers["Authorization"] == "Bearer tok-1"
    assert receipt.withdraw_request_id == "oiJ8s7oh8EqFwwnkZViCGg"
    assert receipt.request_status == "pending"


def test_unset_optional_arguments_are_omitted_not_sent_as_null(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)
    rsps.add(responses.POST, FIAT_URL, json=RECEIPT)

    client.request_withdraw_blockchain(wk.Amount(Decimal("1E-8"), "BTC"))
    client.request_withdraw_fiat("100 USD", type="fedwire")

    assert body_of(rsps.calls[1]) == {"amount": "0.00000001 BTC"}
    assert body_of(rsps.calls[2]) == {"amount": "100 USD", "type": "fedwire"}


def test_fiat_withdrawal_sends_the_exact_body(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, FIAT_URL, json={**RECEIPT, "status": "ok", "httpStatusCode": 200})

    receipt = client.request_withdraw_fiat(
        "100.10 USD",
        type="fedwire",
        routing_number="012345678",
        account_number="0123456789",
        instructions=["additional instruction"],
    )

    assert body_of(rsps.calls[1]) == {
        "amount": "100.10 USD",
        "type": "fedwire",
        "routingNumber": "012345678",
        "accountNumber": "0123456789",
        "instructions": ["additional instruction"],
    }
    assert receipt.request_status == WithdrawRequestStatus("pending")


def test_a_single_string_of_instructions_is_refused_rather_than_split_into_letters(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    with pytest.raises(TypeError, match="instructions"):
        client.request_withdraw_blockchain("1 BTC", instructions="memo")
    assert len(rsps.calls) == 0


def test_a_withdrawal_is_never_repeated_after_an_unknown_outcome(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    import requests

    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, body=requests.exceptions.ReadTimeout("read timed out"))
    rsps.add(responses.POST, BLOCKCHAIN_URL, json=RECEIPT)  # must never be reached

    with pytest.raises(wk.OutcomeUnknown):
        client.request_withdraw_blockchain("1 BTC")
    assert [call.request.url for call in rsps.calls].count(BLOCKCHAIN_URL) == 1


@pytest.mark.parametrize("amount", ["0 BTC", "0.000 BTC", "-1 BTC", "-0.00000001 BTC"])
def test_zero_or_negative_amounts_raise_validation_failed_before_any_request(
    rsps: responses.RequestsMock, client: OneKontoClient, amount: str
) -> None:
    with pytest.raises(wk.ValidationFailed) as refused:
        client.request_withdraw_blockchain(amount, network="bitcoin", address="addr")
    with pytest.raises(wk.ValidationFailed):
        client.request_withdraw_fiat(amount.replace("BTC", "USD"), type="fedwire")

    assert len(rsps.calls) == 0
    assert refused.value.provider == ONEKONTO
    assert refused.value.http_status is None
    assert set(refused.value.field_errors) == {"amount"}
    assert "must be positive" in refused.value.field_errors["amount"]


@pytest.mark.parametrize("amount", ["1e3 BTC", "", "BTC", "1BTC", "1,5 BTC", "NaN BTC"])
def test_amount_text_that_is_not_an_amount_raises_amount_error_before_any_request(
    rsps: responses.RequestsMock, client: OneKontoClient, amount: str
) -> None:
    with pytest.raises(wk.AmountError):
        client.request_withdraw_blockchain(amount)
    assert len(rsps.calls) == 0


def test_float_amounts_are_refused_before_any_request(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    with pytest.raises(TypeError, match="float"):
        client.request_withdraw_blockchain(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        client.request_withdraw_fiat(100.0, type="fedwire")  # type: ignore[arg-type]
    assert len(rsps.calls) == 0


# -- unexpected answers -------------------------------------------------------------------------


def test_an_html_page_with_status_200_is_an_unexpected_response(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.POST,
        BLOCKCHAIN_URL,
        body="<html><body>Maintenance</body></html>",
        content_type="text/html",
    )

    with pytest.raises(wk.UnexpectedResponse):
        client.request_withdraw_blockchain("1 BTC")


def test_a_body_of_the_wrong_shape_is_an_unexpected_response_not_a_converter_error(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, BLOCKCHAIN_URL, json={"requestStatus": "pending"})

    with pytest.raises(wk.UnexpectedResponse) as raised:
        client.request_withdraw_blockchain("1 BTC")

    assert isinstance(raised.value.__cause__, WireShapeError)
    assert "requestStatus" in raised.value.body
