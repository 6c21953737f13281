"""1Konto's market, ledger and orders end to end: the real OneKontoClient and transport against
FakeOneKonto served on a loopback port, one test per operation, and the money rules over real
sockets (a dropped answer to an order is OutcomeUnknown naming it, and the order exists once)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

import withdrawkit as wk
from withdrawkit._onekonto_client import OneKontoClient
from withdrawkit.testing import FakeOneKonto

FAST = (2.0, 2.0)


@pytest.fixture
def fake() -> Iterator[FakeOneKonto]:
    fake = FakeOneKonto()
    fake.deposit("20000 USDT")
    fake.deposit("1 BTC")
    fake.set_fee("0.0005")
    fake.set_book("USDT/USD", bids=[("0.9995", "100000")], asks=[("1.0005", "100000")])
    fake.set_book("BTC/USDT", bids=[("24000", "1")], asks=[("24210", "1")])
    with fake.serve():
        yield fake


@pytest.fixture
def client(fake: FakeOneKonto) -> Iterator[OneKontoClient]:
    with fake.client(timeout=FAST) as client:
        yield client


def test_get_top_of_book_over_loopback(client: OneKontoClient) -> None:
    books = client.get_top_of_book(["USDT/USD", "BTC/USDT"])
    assert books["USDT/USD"].bid == [Decimal("0.99900025"), Decimal(100000)]
    assert books["BTC/USDT"].ask == [Decimal("24222.105"), Decimal(1)]


def test_get_order_book_over_loopback(client: OneKontoClient) -> None:
    book = client.get_order_book("USDT/USD", levels=1)
    assert type(book) is wk.OrderBook  # the payload, without the fake's status envelope
    assert book.asks == [[Decimal("1.00100025"), Decimal(100000)]]


def test_request_indicative_price_over_loopback(client: OneKontoClient) -> None:
    estimate = client.request_indicative_price("24222.105 USDT", destination="BTC", quote="USDT")
    assert type(estimate) is wk.IndicativePrice
    assert estimate.destination == wk.Amount.parse("1 BTC")
    assert estimate.price == wk.Price.parse("24222.105 BTC/USDT")


def test_place_market_order_over_loopback(fake: FakeOneKonto, client: OneKontoClient) -> None:
    order = client.place_market_order("10000 USDT", destination="USD")
    assert order.result is not None
    assert order.result.total == wk.Amount.parse("9990.0025 USD")
    assert fake.balance("USD").free == Decimal("9990.0025")


def test_place_limit_order_over_loopback(fake: FakeOneKonto, client: OneKontoClient) -> None:
    order = client.place_limit_order(
        "1 BTC",
        destination="USDT",
        limit="25000 BTC/USDT",
        end_at=fake.clock.now() + timedelta(hours=1),
    )
    assert order.result is not None and order.result.status == wk.OrderStatus.SUBMITTED
    fake.set_book("BTC/USDT", bids=[("26000", "1")], asks=[("26100", "1")])
    filled = client.get_order(order.order_id)
    assert filled.result is not None
    assert filled.result.total == wk.Amount.parse("25987 USDT")  # 26000 less the 0.05 % fee


def test_request_and_accept_quote_over_loopback(fake: FakeOneKonto, client: OneKontoClient) -> None:
    quote = client.request_quote("10000 USDT", asset_pair="USDT/USD", client_order_id="rfq-test-1")
    assert type(quote) is wk.Quote
    assert quote.sell is not None
    assert quote.sell.price == wk.Price.parse("0.99900025 USDT/USD")
    order = client.accept_quote(quote.order_id, side="sell")
    assert order.result is not None and order.result.total == quote.sell.destination
    with pytest.raises(wk.QuoteAlreadyExecuted):
        client.accept_quote(quote.order_id, side="sell")
    lapsing = client.request_quote("10 USDT", asset_pair="USDT/USD")
    fake.clock.advance(6)
    with pytest.raises(wk.QuoteExpired):
        client.accept_quote(lapsing.order_id, side="sell")


def test_query_orders_and_get_order_over_loopback(client: OneKontoClient) -> None:
    placed = client.place_market_order("100 USDT", destination="USD")
    (listed,) = client.query_orders(source="USDT", type="market")
    assert listed == client.get_order(placed.order_id) == placed
    with pytest.raises(wk.NotFound):
        client.get_order("missing")


def test_get_transactions_over_loopback(client: OneKontoClient) -> None:
    client.place_market_order("100 USDT", destination="USD")
    amounts = [str(entry.amount) for entry in client.get_transactions(max=10)]
    assert amounts == ["20000 USDT", "1 BTC", "-100 USDT", "99.900025 USD"]


def test_get_withdraw_request_over_loopback(fake: FakeOneKonto, client: OneKontoClient) -> None:
    fake.whitelist_wallet("bitcoin", "bc1qok")
    receipt = client.request_withdraw_blockchain("0.5 BTC", network="bitcoin", address="bc1qok")
    found = client.get_withdraw_request(receipt.withdraw_request_id)
    assert found.amount == wk.Amount.parse("0.5 BTC")
    assert client.query_withdraw_requests(amount="0.5 BTC") == [found]
    assert client.query_withdraw_requests(amount="0.6 BTC") == []
    with pytest.raises(wk.NotFound):
        client.get_withdraw_request("missing")


def test_an_order_whose_answer_is_lost_is_outcome_unknown_and_exists_once(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    fake.faults.drop_connection("placeMarketOrder", request_applied=True)
    sent_after = fake.clock.now()
    with pytest.raises(wk.OutcomeUnknown) as unknown:
        client.place_market_order("100 USDT", destination="USD")
    assert unknown.value.reference is None  # a market order has no id before its answer
    assert len(fake.calls("placeMarketOrder")) == 1
    (order,) = fake.orders()
    # Found as the README says: by source, destination, type and the time it was sent.
    found = client.query_orders(
        source="USDT", destination="USD", type="market", submitted_at_start=sent_after
    )
    assert [o.order_id for o in found] == [order.order_id]


def test_an_acceptance_whose_answer_is_lost_names_the_quote(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    quote = client.request_quote("100 USDT", asset_pair="USDT/USD")
    fake.faults.drop_connection("acceptQuote", request_applied=True)
    with pytest.raises(wk.OutcomeUnknown) as unknown:
        client.accept_quote(quote.order_id, side="sell")
    assert unknown.value.reference == quote.order_id
    assert len(fake.calls("acceptQuote")) == 1
    assert client.get_order(quote.order_id).type == wk.OrderType.RFQ
