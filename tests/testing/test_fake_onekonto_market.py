"""FakeOneKonto's market through OneKontoClient on the responses face: fee-inclusive market data,
market orders filling against the book's depth, limit orders resting until the book reaches them
or their endAt passes, quotes firm for 5 seconds, credit refusals, the ledger and order queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import ROUND_DOWN, Context, Decimal, localcontext

import pytest

import withdrawkit as wk
from tests.testing.wire import call, onekonto_login
from withdrawkit._onekonto_client import OneKontoClient
from withdrawkit.testing import FakeClock, FakeOneKonto
from withdrawkit.testing._money import FILL_QUANTUM

START = datetime(2025, 6, 17, 21, 4, 33, tzinfo=timezone.utc)


def bought_for(spent: Decimal, price: Decimal, *, plus: Decimal = Decimal(0)) -> Decimal:
    """What ``spent`` buys at ``price`` (rounded down to the fake's quantum), plus ``plus``."""
    with localcontext(Context(prec=100, rounding=ROUND_DOWN)):
        return (plus + (spent / price).quantize(FILL_QUANTUM)).normalize()


@pytest.fixture
def fake() -> FakeOneKonto:
    fake = FakeOneKonto(clock=FakeClock(START))
    fake.deposit("20000 USDT")
    fake.deposit("2 BTC")
    fake.set_book(
        "USDT/USD",
        bids=[("0.9995", "5000"), ("0.999", "100000")],
        asks=[("1.0005", "5000"), ("1.001", "100000")],
    )
    fake.set_book("BTC/USDT", bids=[("24000", "1")], asks=[("24500", "1")])
    return fake


@pytest.fixture
def client(fake: FakeOneKonto) -> Iterator[OneKontoClient]:
    with fake.mock(), fake.client() as client:
        yield client


# -- market data -----------------------------------------------------------------------------------


def test_market_data_is_inclusive_of_the_accounts_fee(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    fake.set_fee("0.001")
    top = client.get_top_of_book(["USDT/USD"])["USDT/USD"]
    assert top.bid == [Decimal("0.9985005"), Decimal(5000)]  # 0.9995 * 0.999
    assert top.ask == [Decimal("1.0015005"), Decimal(5000)]  # 1.0005 * 1.001
    assert top.spread == Decimal("0.003")
    book = client.get_order_book("USDT/USD", levels=1)
    assert book.bids == [[Decimal("0.9985005"), Decimal(5000)]]
    assert book.asks == [[Decimal("1.0015005"), Decimal(5000)]]
    assert book.nbbo == top


def test_the_order_book_lists_every_level_up_to_the_default_of_25(
    client: OneKontoClient,
) -> None:
    book = client.get_order_book("USDT/USD")
    assert [level[0] for level in book.bids] == [Decimal("0.9995"), Decimal("0.999")]
    assert [level[0] for level in book.asks] == [Decimal("1.0005"), Decimal("1.001")]


def test_an_unknown_pair_is_validation_failed(client: OneKontoClient) -> None:
    with pytest.raises(wk.ValidationFailed) as refused:
        client.get_top_of_book(["USDT/USD", "XYZ/ABC"])
    assert refused.value.field_errors == {"AssetPairs": "no market for XYZ/ABC"}
    with pytest.raises(wk.ValidationFailed):
        client.get_order_book("XYZ/ABC")


def test_the_indicative_price_walks_the_book_without_using_it_up(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    first = client.request_indicative_price("24500 USDT", destination="BTC", quote="USDT")
    assert first.destination == wk.Amount.parse("1 BTC")
    assert first.price == wk.Price.parse("24500 BTC/USDT")  # the page's label: USDT per BTC
    again = client.request_indicative_price("24500 USDT", destination="BTC", quote="USDT")
    assert again.destination == first.destination


def test_more_than_the_book_can_fill_is_refused_for_an_estimate(client: OneKontoClient) -> None:
    with pytest.raises(wk.ValidationFailed, match="more than the book"):
        client.request_indicative_price("30000 USDT", destination="BTC", quote="USDT")


# -- market orders ---------------------------------------------------------------------------------


def test_a_market_order_fills_through_the_levels_and_moves_balances(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    order = client.place_market_order("15000 USDT", destination="USD")
    assert order.result is not None
    assert order.result.status == wk.OrderStatus.FILLED
    # 5000 at 0.9995, then 10000 at 0.999
    assert order.result.total == wk.Amount.parse("14987.5 USD")
    # A price is a ratio, not money: 34 significant digits, rounded down.
    assert order.result.price == wk.Price(
        Decimal("0.9991666666666666666666666666666666"), "USDT", "USD"
    )
    assert order.client_order_id is None  # no page shows an order echoing one
    assert fake.balance("USDT").free == Decimal(5000)
    assert fake.balance("USD").free == Decimal("14987.5")
    # The first level is used up.
    assert client.get_order_book("USDT/USD").bids[0] == [Decimal("0.999"), Decimal(90000)]


def test_selling_the_quote_asset_lifts_the_asks(fake: FakeOneKonto, client: OneKontoClient) -> None:
    fake.deposit("30000 USD")
    order = client.place_market_order("10005 USD", destination="USDT")
    assert order.result is not None
    # 5000 USDT cost 5002.5 USD at 1.0005; the other 5002.5 USD buy 5002.5/1.001 USDT, rounded
    # down to the fake's quantum (never up: that would create money).
    total = bought_for(Decimal("5002.5"), Decimal("1.001"), plus=Decimal(5000))
    assert order.result.total == wk.Amount(total, "USDT")
    assert fake.balance("USD").free == Decimal("19995")


def test_a_market_order_beyond_the_books_depth_fills_partially(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    order = client.place_market_order("2 BTC", destination="USDT")
    assert order.result is not None
    assert order.result.status == wk.OrderStatus.PARTIALLY_FILLED
    assert order.result.total == wk.Amount.parse("24000 USDT")
    assert fake.balance("BTC").free == Decimal(1)


def test_credit_beyond_free_funds_needs_business_hours_and_available_credit(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    fake.set_credit_limit("10000 USDT")
    fake.set_credit_conditions(business_hours=False)
    with pytest.raises(wk.CreditNotAvailable) as refused:
        client.place_market_order("25000 USDT", destination="USD")
    assert refused.value.http_status == 424
    assert refused.value.messages == (
        "Credit Not Available: 5000 USDT credit requested can not be granted outside of normal"
        " business hours.",
    )
    assert isinstance(refused.value.body, dict)
    rejected_id = refused.value.body["orderId"]
    fake.set_credit_conditions(credit_available=False)
    with pytest.raises(wk.CreditNotAvailable, match="good standing"):
        client.place_market_order("25000 USDT", destination="USD")
    fake.set_credit_conditions()
    with pytest.raises(wk.InsufficientFunds) as short:
        client.place_market_order("30001 USDT", destination="USD")
    assert short.value.requested == wk.Amount.parse("30001 USDT")
    assert short.value.available == wk.Amount.parse("30000 USDT")
    order = client.place_market_order("25000 USDT", destination="USD")  # credit granted
    assert fake.balance("USDT").free == Decimal(-5000)
    assert order.result is not None and order.result.status == wk.OrderStatus.FILLED
    # A rejected order still gets its id, and is listed as rejected.
    assert client.get_order(rejected_id).result == wk.OrderResult(status=wk.OrderStatus.REJECTED)


def test_an_order_without_a_market_is_validation_failed(client: OneKontoClient) -> None:
    with pytest.raises(wk.ValidationFailed) as refused:
        client.place_market_order("1 BTC", destination="EUR")
    assert refused.value.field_errors == {"Destination": "no market for BTC/EUR"}


def test_an_order_of_an_asset_for_itself_is_validation_failed_and_moves_nothing(
    fake: FakeOneKonto,
) -> None:
    # Over raw HTTP: the client refuses this before sending.
    token = onekonto_login(fake)
    body = {"type": "market", "source": "USDT", "destination": "USDT", "size": "1 USDT"}
    path = f"/api/v1/routing/account/{fake.account_id}/order"
    answer = call(fake, "POST", path, json=body, token=token)
    assert answer.status == 400
    assert fake.balance("USDT").free == Decimal(20000)
    assert fake.ledger()[-1].type == "deposit"


@pytest.mark.parametrize("pair", ["USD/USD", "BTC/BTC"])
def test_a_book_of_an_asset_against_itself_cannot_be_set(fake: FakeOneKonto, pair: str) -> None:
    with pytest.raises(wk.InvalidArgument, match="two different assets"):
        fake.set_book(pair, bids=[("1", "1")], asks=[("1.1", "1")])


def test_a_pair_and_its_reverse_cannot_both_have_a_book(fake: FakeOneKonto) -> None:
    with pytest.raises(wk.InvalidArgument, match="USDT/USD already has a book"):
        fake.set_book("USD/USDT", bids=[("0.99", "1")])
    fake.set_book("USDT/USD", bids=[("0.98", "1")])  # the pair itself is replaced, as ever
    assert fake.trading.books["USDT/USD"].bids[0].price == Decimal("0.98")


# -- limit orders ----------------------------------------------------------------------------------


def test_a_limit_order_rests_until_the_book_reaches_it(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    order = client.place_limit_order("1 BTC", destination="USDT", limit="25000 BTC/USDT")
    assert order.result is not None and order.result.status == wk.OrderStatus.SUBMITTED
    assert (fake.balance("BTC").free, fake.balance("BTC").locked) == (Decimal(1), Decimal(1))
    fake.set_book("BTC/USDT", bids=[("25100", "0.4"), ("24900", "5")], asks=[("25200", "1")])
    partly = client.get_order(order.order_id)
    assert partly.result is not None
    assert partly.result.status == wk.OrderStatus.PARTIALLY_FILLED
    assert partly.result.total == wk.Amount.parse("10040 USDT")
    fake.set_book("BTC/USDT", bids=[("25000", "5")], asks=[("25200", "1")])
    done = client.get_order(order.order_id)
    assert done.result is not None and done.result.status == wk.OrderStatus.FILLED
    assert done.result.total == wk.Amount.parse("25040 USDT")
    assert (fake.balance("BTC").free, fake.balance("BTC").locked) == (Decimal(1), Decimal(0))
    assert fake.balance("USDT").free == Decimal(45040)


def test_a_limit_order_is_cancelled_when_end_at_passes(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    end_at = START + timedelta(minutes=1)
    order = client.place_limit_order(
        "1 BTC", destination="USDT", limit=Decimal(30000), end_at=end_at
    )
    fake.clock.advance(61)
    cancelled = client.get_order(order.order_id)
    assert cancelled.result is not None
    assert cancelled.result.status == wk.OrderStatus.CANCELED
    assert (fake.balance("BTC").free, fake.balance("BTC").locked) == (Decimal(2), Decimal(0))


def test_a_limit_order_that_crosses_at_once_fills_at_once(client: OneKontoClient) -> None:
    order = client.place_limit_order("1 BTC", destination="USDT", limit="23000 BTC/USDT")
    assert order.result is not None
    assert order.result.status == wk.OrderStatus.FILLED
    assert order.result.total == wk.Amount.parse("24000 USDT")


# -- quotes ----------------------------------------------------------------------------------------


def test_a_quote_is_two_sided_at_the_best_prices_and_firm_for_five_seconds(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    quote = client.request_quote("10000 USDT", asset_pair="USDT/USD", client_order_id="rfq-test-1")
    assert quote.sell is not None and quote.buy is not None
    assert quote.sell.price == wk.Price.parse("0.9995 USDT/USD")
    assert quote.sell.destination == wk.Amount.parse("9995 USD")
    assert quote.buy.source == wk.Amount.parse("10005 USD")
    assert quote.sell.expires_at == START + timedelta(seconds=5)
    fake.clock.advance(4.9)
    order = client.accept_quote(quote.order_id, side="sell")
    assert order.order_id == quote.order_id
    assert order.client_order_id is None  # kept by the fake, but no page shows it echoed
    assert fake.orders()[-1].client_order_id == "rfq-test-1"
    assert order.result is not None and order.result.total == wk.Amount.parse("9995 USD")
    assert fake.balance("USD").free == Decimal(9995)
    with pytest.raises(wk.QuoteAlreadyExecuted):
        client.accept_quote(quote.order_id, side="sell")


def test_a_lapsed_quote_is_quote_expired_and_moves_nothing(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    quote = client.request_quote("100 USD", asset_pair="USDT/USD")
    assert quote.buy is not None
    assert quote.buy.destination == wk.Amount(bought_for(Decimal(100), Decimal("1.0005")), "USDT")
    fake.clock.advance(5)
    with pytest.raises(wk.QuoteExpired) as expired:
        client.accept_quote(quote.order_id, side="buy")
    assert expired.value.http_status == 400
    assert fake.balance("USD").free == Decimal(0)


def test_accepting_without_the_funds_is_refused_and_leaves_the_quote_open(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    quote = client.request_quote("10000 USDT", asset_pair="USDT/USD")
    with pytest.raises(wk.InsufficientFunds):
        client.accept_quote(quote.order_id, side="buy")  # the buy leg pays 10005 USD
    fake.deposit("10005 USD")
    assert client.accept_quote(quote.order_id, side="buy").result is not None


def test_an_unknown_quote_is_not_found(client: OneKontoClient) -> None:
    with pytest.raises(wk.NotFound, match="Order ID Not Found"):
        client.accept_quote("missing", side="buy")


def test_an_a_generation_acceptance_without_a_body_takes_a_one_sided_quotes_leg(
    fake: FakeOneKonto,
) -> None:
    fake.set_book("BTC/USDT", asks=[("24500", "1")])
    token = onekonto_login(fake)
    routing = f"/api/v1/routing/account/{fake.account_id}/order/rfq"
    quote = call(
        fake, "POST", routing, json={"assetPair": "BTC/USDT", "size": "0.1 BTC"}, token=token
    )
    assert set(quote.json()) == {"orderId", "buy", "status", "httpStatusCode"}
    fake.deposit("2450 USDT")
    accepted = call(fake, "POST", f"{routing}/{quote.json()['orderId']}/accept", token=token)
    assert accepted.status == 200
    assert accepted.json()["order"]["result"]["total"] == "0.1 BTC"


# -- the ledger and order queries ------------------------------------------------------------------


def test_the_ledger_books_deposits_fills_and_completed_withdrawals(
    fake: FakeOneKonto, client: OneKontoClient
) -> None:
    fake.whitelist_wallet("bitcoin", "bc1qok")
    client.place_market_order("1000 USDT", destination="USD")
    receipt = client.request_withdraw_blockchain("0.5 BTC", network="bitcoin", address="bc1qok")
    assert [entry.type for entry in client.get_transactions()] == [
        "deposit",
        "deposit",
        "trade",
        "trade",
    ]
    fake.complete(receipt.withdraw_request_id)
    entries = client.get_transactions()
    assert [(entry.type, str(entry.amount)) for entry in entries] == [
        ("deposit", "20000 USDT"),
        ("deposit", "2 BTC"),
        ("trade", "-1000 USDT"),
        ("trade", "999.5 USD"),
        ("withdrawal", "-0.5 BTC"),
    ]
    orderings = [entry.ordering or 0 for entry in entries]
    assert orderings == sorted(orderings)
    assert orderings[3] - orderings[2] == 1 and orderings[2] - orderings[1] > 1  # the order's
    assert [str(e.amount) for e in client.get_transactions(asset="USDT")] == [
        "20000 USDT",
        "-1000 USDT",
    ]
    assert len(client.get_transactions(type="trade", max=1)) == 1
    assert client.get_transactions(start_at_ordering=orderings[4]) == [entries[4]]
    assert client.get_transactions(transaction_id=entries[1].transaction_id) == [entries[1]]
    assert client.get_transactions(end_time=START) == []
    assert len(client.get_transactions(start_time=START)) == 5


def test_orders_are_queried_by_every_filter(fake: FakeOneKonto, client: OneKontoClient) -> None:
    first = client.place_market_order("100 USDT", destination="USD")
    fake.clock.advance(10)
    second = client.place_limit_order("1 BTC", destination="USDT", limit="30000 BTC/USDT")
    quote = client.request_quote("100 USDT", asset_pair="USDT/USD")
    third = client.accept_quote(quote.order_id, side="sell")
    ids = [order.order_id for order in client.query_orders()]
    assert ids == [third.order_id, second.order_id, first.order_id]  # newest first
    assert [o.order_id for o in client.query_orders(asc=True, max=2)] == ids[::-1][:2]
    assert [o.order_id for o in client.query_orders(type="limit")] == [second.order_id]
    assert [o.order_id for o in client.query_orders(status="submitted")] == [second.order_id]
    assert [o.order_id for o in client.query_orders(source="BTC")] == [second.order_id]
    assert [o.order_id for o in client.query_orders(destination="USD")] == ids[::2]
    later = START + timedelta(seconds=5)
    assert [o.order_id for o in client.query_orders(submitted_at_start=later)] == ids[:2]
    assert [o.order_id for o in client.query_orders(submitted_at_end=later)] == [first.order_id]
    assert second.ordering is not None
    after = client.query_orders(start_at_ordering=second.ordering, asc=True)
    assert [o.order_id for o in after] == [second.order_id, third.order_id]
    with pytest.raises(wk.InvalidArgument, match="status must be one of"):
        client.query_orders(status="done")  # the client refuses it before sending
    refused = call(
        fake,
        "GET",
        f"/api/v1/routing/order/account/{fake.account_id}",
        token=onekonto_login(fake),
        query="status=done",
    )
    assert refused.status == 400
    assert refused.json()["errors"][0].startswith("ValidationFailed: Status: must be one of")


def test_a_fee_is_a_fraction_and_never_a_float(fake: FakeOneKonto) -> None:
    for rate in ("1", "-0.1", "NaN"):
        with pytest.raises(ValueError):
            fake.set_fee(rate)
    with pytest.raises(TypeError):
        fake.set_fee(0.001)  # type: ignore[arg-type]
