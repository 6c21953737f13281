"""OneKontoClient's orders and quotes over a mocked HTTP layer, answered with the vendor pages'
examples: the bodies sent, the typed and exact answers, the order pages' error bodies, and the
money-safety rules (never re-sent once it may have arrived; ``reference`` to look it up)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
import requests
import responses
from responses import matchers

import withdrawkit as wk
from tests import onekonto_support
from tests.onekonto_support import ACCOUNT, BASE, add_login
from withdrawkit._exceptions import ALREADY_ACCEPTED
from withdrawkit._onekonto_client import OneKontoClient

clock = onekonto_support.clock
client = onekonto_support.client

ROUTING = f"{BASE}/api/v1/routing/account/{ACCOUNT}"
ORDERS = f"{BASE}/api/v1/routing/order/account/{ACCOUNT}"

# RFQ - Request Quote, [B] page example.
QUOTE_B = {
    "orderId": "BC-YO0vz0EuaAZLR4Wny8A",
    "buy": {
        "price": "1.00105027 USDT/USD",
        "source": "10010.5027 USD",
        "destination": "10000 USDT",
        "expiresAt": "2025-06-17T21:04:38.8196190Z",
    },
    "sell": {
        "price": "0.99954972 USDT/USD",
        "source": "10000 USDT",
        "destination": "9995.4972 USD",
        "expiresAt": "2025-06-17T21:04:38.8196190Z",
    },
    "status": "ok",
    "httpStatusCode": 200,
}
# RFQ - Request Quote, [A] page example (one-sided).
QUOTE_A = {
    "orderId": "order123",
    "price": "1.0015016016216256264265866187 USD/USDC",
    "result": "998.5006498050584824552634209 USD",
    "expiryTime": "2023-06-01T13:50:11.8908659Z",
    "status": "ok",
    "httpStatusCode": 200,
}
# RFQ - Accept Quote, [B] page example.
ACCEPTED = {
    "order": {
        "orderId": "BC-YO0vz0EuaAZLR4Wny8A",
        "accountId": "t8J2Vfw8Flq4qQgvYJjuvA",
        "size": "10000 USDT",
        "source": "USDT",
        "destination": "USD",
        "type": "rfq",
        "submittedAt": "2025-06-17T21:04:33.9583369Z",
        "result": {
            "status": "filled",
            "price": "0.99954972 USDT/USD",
            "executedAt": "2025-06-17T21:04:34.0172609Z",
            "total": "9995.4972 USD",
        },
    },
    "status": "ok",
    "httpStatusCode": 200,
}
# Get Order, [B] page example (email obfuscated by the archive).
GET_ORDER = {
    "order": {
        "orderId": "BJvOSN4pfU2EjPg9cUafbw",
        "ordering": 2389,
        "accountId": "Unxpb4pBV0OHYJWPxzoGng",
        "size": "372000 USDT",
        "source": "USDT",
        "destination": "USD",
        "type": "rfq",
        "submittedAt": "2025-10-16T14:15:36.1583930Z",
        "result": {
            "status": "filled",
            "price": "1.000149865 USDT/USD",
            "updatedAt": "2025-10-16T14:15:38.2370000Z",
            "total": "372055.74978 USD",
        },
        "userId": "bdb69435-ed92-4c87-8b51-049af60c6236",
        "email": "[email protected]",
    },
    "status": "ok",
    "httpStatusCode": 200,
}
# Market Order, [A] page example; its success body is cut after userId.
MARKET_PLACED = {
    "order": {"orderId": "theOrderIdXXXXXX", "accountId": "yourAccountId", "userId": ""}
}
# Market Order, "Credit Limit - Error Responses" (the first one repaired: trailing comma).
OUTSIDE_HOURS = {
    "orderId": "theOrderIdXXXXXX",
    "errors": [
        "Credit Not Available: 10000 USDT credit requested can not be granted outside of normal "
        "business hours."
    ],
    "status": "failedDependency",
    "httpStatusCode": 424,
}
SHORT_OF_CREDIT = {
    "orderId": "theOrderIdXXXXXX",
    "errors": ["Insufficient Funds: Requested 10000 USDT but only 1000 USDT is available"],
    "status": "failedDependency",
    "httpStatusCode": 424,
}
NO_CREDIT = {
    "orderId": "theOrderIdXXXXXX",
    "errors": [
        "Credit Not Available: Your account is in good standing, but credit is not available at "
        "this time. Please contact your account executive."
    ],
    "status": "failedDependency",
    "httpStatusCode": 424,
}
SERVER_ERROR = {"status": 500, "error": "Internal Server Error"}


def sent(rsps: responses.RequestsMock) -> Any:
    body = rsps.calls[-1].request.body
    assert body is not None
    return json.loads(body)


# -- market orders ---------------------------------------------------------------------------------


def test_a_market_order_sends_exactly_the_pages_body(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order", json=MARKET_PLACED)

    order = client.place_market_order("10000 USDT", destination="BTC")

    # No clientOrderId: the Market Order page documents none (only RFQ's request has one).
    assert sent(rsps) == {
        "type": "market",
        "source": "USDT",
        "destination": "BTC",
        "size": "10000 USDT",
    }
    assert order.order_id == "theOrderIdXXXXXX"
    assert order.user_id == ""


def test_a_market_order_takes_an_amount(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order", json=MARKET_PLACED)
    client.place_market_order(wk.Amount.parse("1.5 BTC"), destination="USD")
    assert sent(rsps)["size"] == "1.5 BTC"


@pytest.mark.parametrize(
    ("body", "exception", "amounts"),
    [
        (OUTSIDE_HOURS, wk.CreditNotAvailable, None),
        (SHORT_OF_CREDIT, wk.InsufficientFunds, ("10000 USDT", "1000 USDT")),
        (NO_CREDIT, wk.CreditNotAvailable, None),
    ],
)
def test_the_order_pages_424_bodies_raise_their_classes(
    rsps: responses.RequestsMock,
    client: OneKontoClient,
    body: dict[str, Any],
    exception: type[wk.APIError],
    amounts: tuple[str, str] | None,
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order", json=body, status=424)

    with pytest.raises(exception) as raised:
        client.place_market_order("10000 USDT", destination="BTC")

    assert raised.value.http_status == 424
    assert raised.value.messages == tuple(body["errors"])
    assert raised.value.body == body  # the rejected order's id is kept
    if amounts is not None:
        assert isinstance(raised.value, wk.InsufficientFunds)
        assert raised.value.requested == wk.Amount.parse(amounts[0])
        assert raised.value.available == wk.Amount.parse(amounts[1])
    assert len(rsps.calls) == 2  # login, one order: a refusal is never re-sent


def test_the_order_pages_500_body_is_outcome_unknown_with_no_reference(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order", json=SERVER_ERROR, status=500)

    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.place_market_order("10000 USDT", destination="BTC")

    # A market order carries no id of its own: look it up with query_orders instead.
    assert raised.value.reference is None
    assert "Look the operation up before trying again" in str(raised.value)
    assert raised.value.http_status == 500
    assert raised.value.body == SERVER_ERROR
    assert isinstance(raised.value.__cause__, wk.ServerError)
    assert len(rsps.calls) == 2


@pytest.mark.parametrize(
    "failure",
    [requests.exceptions.ReadTimeout("slow"), requests.exceptions.ConnectionError("reset")],
)
def test_an_order_that_may_have_arrived_is_never_sent_again(
    rsps: responses.RequestsMock, client: OneKontoClient, failure: Exception
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order", body=failure)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.place_market_order("10000 USDT", destination="BTC")
    assert len(rsps.calls) == 2
    assert raised.value.reference is None


# -- limit orders ----------------------------------------------------------------------------------


def test_a_limit_order_sends_the_account_the_limit_price_and_end_at(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order/limit", json=MARKET_PLACED)
    end_at = datetime(2019, 8, 24, 16, 15, 22, tzinfo=timezone(timedelta(hours=2)))

    client.place_limit_order("1 BTC", destination="USD", limit="59000 BTC/USD", end_at=end_at)

    assert sent(rsps) == {
        "accountId": ACCOUNT,
        "type": "limit",
        "source": "BTC",
        "destination": "USD",
        "size": "1 BTC",
        "limit": "59000 BTC/USD",
        "endAt": "2019-08-24T14:15:22Z",
    }


def test_a_decimal_limit_gets_the_source_destination_label(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order/limit", json=MARKET_PLACED)
    client.place_limit_order("1 BTC", destination="USD", limit=Decimal("59000.5"))
    assert sent(rsps)["limit"] == "59000.5 BTC/USD"
    assert "endAt" not in sent(rsps)


@pytest.mark.parametrize(
    ("limit", "end_at"),
    [
        ("59000 USD/BTC", None),  # the other direction: refused, never inverted
        ("0 BTC/USD", None),
        ("59000 USD", None),
        (59000.0, None),
        ("59000 BTC/USD", datetime(2030, 1, 1)),  # naive
    ],
)
def test_bad_limits_are_refused_before_anything_is_sent(
    rsps: responses.RequestsMock, client: OneKontoClient, limit: Any, end_at: datetime | None
) -> None:
    with pytest.raises((wk.InvalidArgument, TypeError)):
        client.place_limit_order("1 BTC", destination="USD", limit=limit, end_at=end_at)
    assert len(rsps.calls) == 0


def test_a_limit_order_lost_in_transit_is_outcome_unknown_without_a_reference(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order/limit", status=504, body="<html>timeout</html>")
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.place_limit_order("1 BTC", destination="USD", limit="59000 BTC/USD")
    assert raised.value.reference is None
    assert len(rsps.calls) == 2


# -- quotes ----------------------------------------------------------------------------------------


def test_request_quote_sends_the_pages_body_and_reads_both_legs_exactly(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.POST,
        f"{ROUTING}/order/rfq",
        json=QUOTE_B,
        match=[
            matchers.json_params_matcher(
                {"assetPair": "USDT/USD", "size": "10000 USDT", "clientOrderId": "rfq-test-1"}
            )
        ],
    )

    quote = client.request_quote("10000 USDT", asset_pair="USDT/USD", client_order_id="rfq-test-1")

    assert quote.order_id == "BC-YO0vz0EuaAZLR4Wny8A"
    assert quote.sell is not None and quote.buy is not None
    assert quote.sell.price.value == Decimal("0.99954972")
    assert quote.sell.price == wk.Price.parse("0.99954972 USDT/USD")
    assert quote.sell.destination == wk.Amount.parse("9995.4972 USD")
    assert quote.buy.source == wk.Amount.parse("10010.5027 USD")
    assert quote.sell.expires_at.tzinfo is not None
    assert quote.sell.expires_at == datetime(2025, 6, 17, 21, 4, 38, 819619, tzinfo=timezone.utc)


def test_request_quote_returns_the_quote_and_drops_the_envelope(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order/rfq", json=QUOTE_B)  # with status and httpStatusCode

    quote = client.request_quote("10000 USDT", asset_pair="USDT/USD")

    expires = datetime(2025, 6, 17, 21, 4, 38, 819619, tzinfo=timezone.utc)
    assert type(quote) is wk.Quote
    assert quote == wk.Quote(
        order_id="BC-YO0vz0EuaAZLR4Wny8A",
        buy=wk.QuoteLeg(
            price=wk.Price.parse("1.00105027 USDT/USD"),
            source=wk.Amount.parse("10010.5027 USD"),
            destination=wk.Amount.parse("10000 USDT"),
            expires_at=expires,
        ),
        sell=wk.QuoteLeg(
            price=wk.Price.parse("0.99954972 USDT/USD"),
            source=wk.Amount.parse("10000 USDT"),
            destination=wk.Amount.parse("9995.4972 USD"),
            expires_at=expires,
        ),
    )


def test_request_quote_sends_no_client_order_id_unless_given(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order/rfq", json=QUOTE_B)
    client.request_quote("10000 USDT", asset_pair="USDT/USD")
    assert sent(rsps) == {"assetPair": "USDT/USD", "size": "10000 USDT"}


def test_request_quote_reads_an_a_generation_one_sided_answer_into_its_leg(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order/rfq", json=QUOTE_A)

    quote = client.request_quote("1000 USDC", asset_pair="USD/USDC")

    # 1000 USDC is in the quote asset of USD/USDC: selling it buys USD, the "buy" leg.
    assert quote.sell is None and quote.buy is not None
    assert quote.order_id == "order123"
    assert quote.buy.price == wk.Price.parse("1.0015016016216256264265866187 USD/USDC")
    assert quote.buy.source == wk.Amount.parse("1000 USDC")
    assert quote.buy.destination == wk.Amount.parse("998.5006498050584824552634209 USD")
    assert quote.buy.expires_at == datetime(2023, 6, 1, 13, 50, 11, 890865, tzinfo=timezone.utc)


def test_a_quote_with_no_leg_is_unexpected(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order/rfq", json={"orderId": "q", "status": "ok"})
    with pytest.raises(wk.UnexpectedResponse, match="neither"):
        client.request_quote("10000 USDT", asset_pair="USDT/USD")


def test_a_quote_request_is_not_money_moving_and_is_retried_after_a_503(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    waits: list[float] = []
    client._clocks = client._clocks._replace(sleep=waits.append)
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order/rfq", status=503, json={"status": 503, "error": "x"})
    with pytest.raises(wk.ServerError):
        client.request_quote("10000 USDT", asset_pair="USDT/USD")
    # Not OutcomeUnknown: a quote commits nothing, so it is retried like a read.
    assert len(rsps.calls) == 4
    assert len(waits) == 2


def test_accept_quote_sends_the_side_and_returns_the_order(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.POST,
        f"{ROUTING}/order/rfq/BC-YO0vz0EuaAZLR4Wny8A/accept",
        json=ACCEPTED,
        match=[matchers.json_params_matcher({"side": "sell"})],
    )

    order = client.accept_quote("BC-YO0vz0EuaAZLR4Wny8A", side="sell")

    assert order.type == wk.OrderType.RFQ
    assert order.result is not None
    assert order.result.status == wk.OrderStatus.FILLED
    assert order.result.total == wk.Amount.parse("9995.4972 USD")
    assert order.result.price == wk.Price.parse("0.99954972 USDT/USD")
    assert order.result.executed_at == datetime(2025, 6, 17, 21, 4, 34, 17260, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("message", "exception"),
    [
        ("Quote Expired: the quote expired at 2025-06-17T21:04:38.8196190Z", wk.QuoteExpired),
        (
            "Quote Already Executed: the quote was accepted at 2025-06-17T21:04:34Z",
            wk.QuoteAlreadyExecuted,
        ),
    ],
)
def test_a_quote_that_can_no_longer_be_accepted_raises_its_class(
    rsps: responses.RequestsMock,
    client: OneKontoClient,
    message: str,
    exception: type[wk.APIError],
) -> None:
    add_login(rsps)
    body = {"orderId": "q-1", "errors": [message], "status": "badRequest", "httpStatusCode": 400}
    rsps.add(responses.POST, f"{ROUTING}/order/rfq/q-1/accept", json=body, status=400)
    with pytest.raises(exception) as raised:
        client.accept_quote("q-1", side="buy")
    assert raised.value.http_status == 400
    assert raised.value.code == message.split(":", 1)[0]


def test_an_acceptance_lost_in_transit_carries_the_quote_id(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.POST,
        f"{ROUTING}/order/rfq/q%2F1/accept",
        body=requests.exceptions.ReadTimeout("slow"),
    )
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.accept_quote("q/1", side="buy")
    assert raised.value.reference == "q/1"
    assert "Look the operation up by 'q/1' before trying again" in str(raised.value)
    assert len(rsps.calls) == 2


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.accept_quote("q", side="sideways"),
        lambda c: c.accept_quote("", side="buy"),
        lambda c: c.request_quote("10 BTC", asset_pair="USDT/USD"),
        lambda c: c.request_quote("10 USDT", asset_pair="USDT/USD", client_order_id="x" * 1025),
        lambda c: c.place_market_order("-1 USDT", destination="BTC"),
        lambda c: c.request_quote("10 USDT", asset_pair="USDT/USD", client_order_id=""),
        lambda c: c.query_orders(max=0),
        lambda c: c.query_orders(submitted_at_start=datetime(2025, 1, 1)),
        lambda c: c.query_orders(source="US D"),
    ],
)
def test_bad_order_arguments_are_refused_before_anything_is_sent(
    rsps: responses.RequestsMock, client: OneKontoClient, call: Any
) -> None:
    with pytest.raises((wk.InvalidArgument, wk.ValidationFailed)):
        call(client)
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.place_market_order("1 USD", destination="USD"),
        lambda c: c.place_limit_order("1 USD", destination="USD", limit=Decimal(1)),
        lambda c: c.request_indicative_price("1 USD", destination="USD", quote="USD"),
        lambda c: c.request_quote("1 USD", asset_pair="USD/USD"),
    ],
)
def test_an_asset_traded_for_itself_is_refused_before_anything_is_sent(
    rsps: responses.RequestsMock, client: OneKontoClient, call: Any
) -> None:
    with pytest.raises(wk.InvalidArgument, match="USD"):
        call(client)
    assert len(rsps.calls) == 0


# -- reading orders --------------------------------------------------------------------------------


def test_query_orders_sends_every_filter_as_the_page_writes_it(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        ORDERS,
        match=[
            matchers.query_param_matcher(
                {
                    "submittedAtStart": "2022-12-21T22:07:38.6325460Z",
                    "submittedAtEnd": "2022-12-22T22:00:00.0000000Z",
                    "destination": "USD",
                    "source": "USDT",
                    "type": "rfq",
                    "startAtOrdering": "2389",
                    "status": "partially-filled",
                    "max": "50",
                    "asc": "true",
                }
            )
        ],
        json={"orders": [GET_ORDER["order"]], "status": "ok", "httpStatusCode": 200},
    )

    (order,) = client.query_orders(
        submitted_at_start=datetime(2022, 12, 21, 22, 7, 38, 632546, tzinfo=timezone.utc),
        submitted_at_end=datetime(2022, 12, 22, 22, tzinfo=timezone.utc),
        destination="USD",
        source="USDT",
        type=wk.OrderType.RFQ,
        start_at_ordering=2389,
        status="partially-filled",
        max=50,
        asc=True,
    )

    assert order.ordering == 2389


def test_query_orders_accepts_a_bare_array_but_not_a_missing_list(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, ORDERS, json=[{"orderId": "a"}])
    assert [order.order_id for order in client.query_orders()] == ["a"]
    rsps.replace(responses.GET, ORDERS, json={"items": []})
    with pytest.raises(wk.UnexpectedResponse, match="no orders"):
        client.query_orders()


def test_get_order_reads_the_pages_example(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, f"{ORDERS}/order/BJvOSN4pfU2EjPg9cUafbw", json=GET_ORDER)

    order = client.get_order("BJvOSN4pfU2EjPg9cUafbw")

    assert order.size == wk.Amount.parse("372000 USDT")
    assert order.user_id == "bdb69435-ed92-4c87-8b51-049af60c6236"
    assert order.result is not None
    assert order.result.price is not None
    assert order.result.price.value == Decimal("1.000149865")
    assert order.result.total == wk.Amount.parse("372055.74978 USD")
    assert order.result.updated_at == datetime(
        2025, 10, 16, 14, 15, 38, 237000, tzinfo=timezone.utc
    )


# Get Order, [A] page example as far as it was archived (the vendor's // comment and the
# truncated tail removed): result.price is a JSON number, destination per source.
GET_ORDER_A = (
    '{"order": {"accountId": "myAccountId", "orderId": "abcd01234", "ordering": 1081,'
    ' "size": "100 USDT", "source": "USDT", "destination": "BTC", "type": "market",'
    ' "submittedAt": "2023-02-21T22:07:38.6325460Z", "result": {"status": "filled",'
    ' "price": 0.0000411222366, "updatedAt": "2023-02-21T22:07:41.5738620Z"}}}'
)


def test_an_a_generation_numeric_price_is_read_as_a_price_labelled_source_destination(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        f"{ORDERS}/order/abcd01234",
        body=GET_ORDER_A,
        content_type="application/json",
    )
    order = client.get_order("abcd01234")
    assert order.result is not None
    # Exact (never through a float), labelled as [B] labels an order's price: source/destination.
    assert order.result.price == wk.Price(Decimal("0.0000411222366"), "USDT", "BTC")


def test_a_listing_with_an_a_generation_order_is_read_whole(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    listing = '{"orders": [' + GET_ORDER_A[len('{"order": ') : -1] + "]}"
    rsps.add(responses.GET, ORDERS, body=listing, content_type="application/json")
    (order,) = client.query_orders()
    assert order.result is not None
    assert order.result.price == wk.Price(Decimal("0.0000411222366"), "USDT", "BTC")


@pytest.mark.parametrize(
    "answer",
    [
        '{"order": {"orderId": "o1", "result": {"status": "filled", "price": 0.5}}}',  # no assets
        '{"order": {"orderId": "o1", "result": {"status": "filled", "price": "half"}}}',
        '{"order": "o1"}',
    ],
)
def test_an_unreadable_order_answer_says_the_order_was_accepted(
    rsps: responses.RequestsMock, client: OneKontoClient, answer: str
) -> None:
    add_login(rsps)
    rsps.add(responses.POST, f"{ROUTING}/order", body=answer, content_type="application/json")
    with pytest.raises(wk.UnexpectedResponse) as raised:
        client.place_market_order("100 USDT", destination="BTC")
    assert ALREADY_ACCEPTED in str(raised.value)
    assert len(rsps.calls) == 2  # never re-sent


def test_get_order_of_an_unknown_id_is_not_found(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        f"{ORDERS}/order/missing",
        json={"status": 404, "error": "Order ID Not Found"},
        status=404,
    )
    with pytest.raises(wk.NotFound, match="Order ID Not Found"):
        client.get_order("missing")
