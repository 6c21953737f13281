"""OneKontoClient's market data, ledger and one-withdraw-request read over a mocked HTTP layer,
answered with the vendor pages' examples: what is sent, and what comes back typed and exact."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
import requests
import responses
from responses import matchers

import withdrawkit as wk
from tests import onekonto_support
from tests.onekonto_support import ACCOUNT, BASE, QUERY_URL, add_login
from withdrawkit._onekonto_client import OneKontoClient

clock = onekonto_support.clock
client = onekonto_support.client

ROUTING = f"{BASE}/api/v1/routing/account/{ACCOUNT}"
LEDGER = f"{BASE}/api/v1/accounting/ledger/{ACCOUNT}"

# Get Top of Book, [B] page example.
TOP_OF_BOOK = """{
  "topOfBooks": {
    "USDT/USD": {"spread": 0.000600430015,
                 "ask": [1.0009502350150,1.0], "bid": [1.000349805,100.0]},
    "USDC/USD": {"spread": 0.001099969985,
                 "ask": [1.000549994985,1.0], "bid": [0.999450025,100.0]},
    "USDT/EUR": {"spread": 0.00153884525,
                 "ask": [0.8661148410,86.5682], "bid": [0.86457599575,115.6058]}
  },
  "status": "ok",
  "httpStatusCode": 200
}"""
# Get Order Book, [B] page example (levels=2).
ORDER_BOOK = """{
  "nbbo": {"spread": 0.0005003950125, "ask": [1.0008502000125,1.0], "bid": [1.000349805,100.0]},
  "asks": [[1.0008502000125,99940.0309844], [1.0009127556475,399735.14018032]],
  "bids": [[1.000349805,9993499.653], [1.000299780012,9993499.653]],
  "status": "ok",
  "httpStatusCode": 200
}"""
# Request Indicative Price, [A] page example "quote as source asset" (its archived copy is cut
# inside the status value; completed minimally).
INDICATIVE_PRICE = {
    "source": "50 USDT",
    "destination": "0.00206525633592975968892629 BTC",
    "price": "24210.069776878545711065754069 BTC/USDT",
    "status": "ok",
}


def test_get_top_of_book_sends_the_pairs_as_the_page_writes_them_and_keeps_every_digit(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, f"{ROUTING}/topofbook", body=TOP_OF_BOOK)

    books = client.get_top_of_book(["USDT/USD", "USDC/USD", "USDT/EUR"])

    assert str(rsps.calls[-1].request.url).endswith("?assetPairs=USDT/USD,USDC/USD,USDT/EUR")
    assert list(books) == ["USDT/USD", "USDC/USD", "USDT/EUR"]
    usdt = books["USDT/USD"]
    assert usdt.spread == Decimal("0.000600430015")
    assert usdt.ask == [Decimal("1.0009502350150"), Decimal("1.0")]
    assert usdt.bid == [Decimal("1.000349805"), Decimal("100.0")]
    assert str(usdt.ask[0]) == "1.0009502350150"


def test_get_order_book_sends_the_pair_and_levels(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        f"{ROUTING}/book",
        body=ORDER_BOOK,
        match=[matchers.query_param_matcher({"assetPair": "USDT/USD", "levels": "2"})],
    )

    book = client.get_order_book("USDT/USD", levels=2)

    assert "assetPair=USDT/USD&levels=2" in str(rsps.calls[-1].request.url)
    assert book.asks[1] == [Decimal("1.0009127556475"), Decimal("399735.14018032")]
    assert book.bids[0] == [Decimal("1.000349805"), Decimal("9993499.653")]
    assert book.nbbo is not None and book.nbbo.spread == Decimal("0.0005003950125")


def test_request_indicative_price_sends_the_pages_bare_size_and_reads_exact_values(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        f"{ROUTING}/order/estimate",
        json=INDICATIVE_PRICE,
        match=[
            matchers.query_param_matcher(
                {"source": "USDT", "destination": "BTC", "size": "50", "quote": "USDT"}
            )
        ],
    )

    estimate = client.request_indicative_price("50 USDT", destination="BTC", quote="USDT")

    assert estimate.price == wk.Price.parse("24210.069776878545711065754069 BTC/USDT")
    assert estimate.price.value == Decimal("24210.069776878545711065754069")
    assert estimate.destination == wk.Amount.parse("0.00206525633592975968892629 BTC")
    assert estimate.destination.asset == "BTC"
    assert estimate.source == wk.Amount.parse("50 USDT")


def test_market_reads_return_the_payload_and_drop_the_envelope(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    # Both page examples carry "status": "ok" (and the book "httpStatusCode": 200) beside the
    # payload; the models are the payload alone, so the whole object compares equal to it.
    add_login(rsps)
    rsps.add(responses.GET, f"{ROUTING}/book", body=ORDER_BOOK)
    rsps.add(responses.GET, f"{ROUTING}/order/estimate", json=INDICATIVE_PRICE)

    book = client.get_order_book("USDT/USD", levels=2)
    estimate = client.request_indicative_price("50 USDT", destination="BTC", quote="USDT")

    assert type(book) is wk.OrderBook and type(estimate) is wk.IndicativePrice
    assert {field.name for field in attrs.fields(wk.OrderBook)} == {"asks", "bids", "nbbo"}
    assert book == wk.OrderBook(
        nbbo=wk.TopOfBook(
            spread=Decimal("0.0005003950125"),
            ask=[Decimal("1.0008502000125"), Decimal("1.0")],
            bid=[Decimal("1.000349805"), Decimal("100.0")],
        ),
        asks=[
            [Decimal("1.0008502000125"), Decimal("99940.0309844")],
            [Decimal("1.0009127556475"), Decimal("399735.14018032")],
        ],
        bids=[
            [Decimal("1.000349805"), Decimal("9993499.653")],
            [Decimal("1.000299780012"), Decimal("9993499.653")],
        ],
    )
    assert estimate == wk.IndicativePrice(
        source=wk.Amount.parse("50 USDT"),
        destination=wk.Amount.parse("0.00206525633592975968892629 BTC"),
        price=wk.Price.parse("24210.069776878545711065754069 BTC/USDT"),
    )


def test_get_transactions_sends_every_filter_as_the_pages_write_them(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    start = datetime(2022, 12, 21, 22, 7, 38, 632546, tzinfo=timezone.utc)
    end = datetime(2022, 12, 22, 17, 0, tzinfo=timezone(timedelta(hours=-5)))
    rsps.add(
        responses.GET,
        LEDGER,
        match=[
            matchers.query_param_matcher(
                {
                    "max": "10",
                    "transactionId": "t-1",
                    "asset": "USDT",
                    "type": "trade",
                    "startAtOrdering": "2389",
                    "startTimeUtc": "2022-12-21T22:07:38.6325460Z",
                    "endTimeUtc": "2022-12-22T22:00:00.0000000Z",
                }
            )
        ],
        json={
            "transactions": [
                {
                    "transactionId": "t-1",
                    "ordering": 2390,
                    "type": "trade",
                    "asset": "USDT",
                    "amount": "-372000 USDT",
                    "createdAt": "2025-10-16T14:15:38.2370000Z",
                }
            ],
            "status": "ok",
            "httpStatusCode": 200,
        },
    )

    (entry,) = client.get_transactions(
        max=10,
        transaction_id="t-1",
        asset="USDT",
        type="trade",
        start_at_ordering=2389,
        start_time=start,
        end_time=end,
    )

    assert entry.amount == wk.Amount.parse("-372000 USDT")
    assert entry.type == wk.TransactionType.TRADE
    assert entry.created_at == datetime(2025, 10, 16, 14, 15, 38, 237000, tzinfo=timezone.utc)


def test_get_transactions_always_sends_the_required_max(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        LEDGER,
        json=[{"transactionId": "t-2"}],
        match=[matchers.query_param_matcher({"max": "100"})],
    )
    assert [entry.transaction_id for entry in client.get_transactions()] == ["t-2"]


def test_get_transactions_without_a_list_is_unexpected_not_empty(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, LEDGER, json={"entries": [], "status": "ok"})
    with pytest.raises(wk.UnexpectedResponse, match="no transactions"):
        client.get_transactions()


def test_get_withdraw_request_finds_the_one_with_exactly_that_id(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        QUERY_URL,
        match=[
            matchers.query_param_matcher(
                {"withdrawRequestId": "oiJ8s7oh8EqFwwnkZViCGg", "max": "1000"}
            )
        ],
        json={
            # A server that ignored the filter: only the exact id is the answer.
            "withdrawRequests": [
                {"withdrawRequestId": "other", "requestStatus": "completed"},
                {"withdrawRequestId": "oiJ8s7oh8EqFwwnkZViCGg", "requestStatus": "pending"},
            ]
        },
    )
    found = client.get_withdraw_request("oiJ8s7oh8EqFwwnkZViCGg")
    assert (found.withdraw_request_id, found.request_status) == (
        "oiJ8s7oh8EqFwwnkZViCGg",
        "pending",
    )


def test_query_withdraw_requests_sends_the_amount_filter_as_amount_text(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        QUERY_URL,
        match=[matchers.query_param_matcher({"amount": "1.5 BTC"})],
        json={"withdrawRequests": [{"withdrawRequestId": "w", "amount": "1.5 BTC"}]},
    )
    (found,) = client.query_withdraw_requests(amount=wk.Amount.parse("1.5 BTC"))
    assert found.amount == wk.Amount.parse("1.5 BTC")
    with pytest.raises(TypeError):
        client.query_withdraw_requests(amount=1.5)  # type: ignore[arg-type]


def test_get_withdraw_request_of_an_unknown_id_is_not_found(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(
        responses.GET,
        QUERY_URL,
        match=[matchers.query_param_matcher({"withdrawRequestId": "missing", "max": "1000"})],
        json={"withdrawRequests": []},
    )
    with pytest.raises(wk.NotFound) as raised:
        client.get_withdraw_request("missing")
    # The query was answered (an empty list): the error says so, not "refused before sending".
    path = f"/api/v1/accounting/account/{ACCOUNT}/request/withdraw"
    assert (raised.value.method, raised.value.path, raised.value.http_status) == ("GET", path, 200)
    assert raised.value.provider == "1Konto"
    assert "missing" in str(raised.value)
    assert "before sending" not in str(raised.value)
    assert f"GET {path}" in str(raised.value)


def test_get_withdraw_request_listing_only_other_ids_is_an_unexpected_response(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    # A server that ignored the filter: the id may be beyond what it listed, so this is no
    # evidence that the request does not exist.
    add_login(rsps)
    others = {"withdrawRequests": [{"withdrawRequestId": "other", "requestStatus": "pending"}]}
    rsps.add(responses.GET, QUERY_URL, json=others)
    with pytest.raises(wk.UnexpectedResponse, match="ignored the withdrawRequestId filter"):
        client.get_withdraw_request("wanted")


@pytest.mark.parametrize(
    ("call", "problem"),
    [
        (lambda c: c.get_top_of_book("USDT/USD"), TypeError),
        (lambda c: c.get_top_of_book([]), wk.InvalidArgument),
        (lambda c: c.get_top_of_book(["USDT-USD"]), wk.InvalidArgument),
        (lambda c: c.get_order_book("USDT/USD/EUR"), wk.InvalidArgument),
        (lambda c: c.get_order_book("USDT/USD", levels=0), wk.InvalidArgument),
        (
            lambda c: c.request_indicative_price("0 USDT", destination="BTC", quote="USDT"),
            wk.ValidationFailed,
        ),
        (
            lambda c: c.request_indicative_price("5 USDT", destination="B TC", quote="USDT"),
            wk.InvalidArgument,
        ),
        (lambda c: c.get_transactions(max=0), wk.InvalidArgument),
        (lambda c: c.get_transactions(start_time=datetime(2025, 1, 1)), wk.InvalidArgument),
        (lambda c: c.get_transactions(start_at_ordering=-1), wk.InvalidArgument),
        (lambda c: c.get_withdraw_request(""), wk.InvalidArgument),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_sent(
    rsps: responses.RequestsMock, client: OneKontoClient, call: object, problem: type[Exception]
) -> None:
    with pytest.raises(problem):
        call(client)  # type: ignore[operator]
    assert len(rsps.calls) == 0


def test_a_bad_top_of_book_body_is_unexpected_response(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, f"{ROUTING}/topofbook", body="<html>busy</html>", status=200)
    with pytest.raises(wk.UnexpectedResponse):
        client.get_top_of_book(["USDT/USD"])
    rsps.replace(
        responses.GET, f"{ROUTING}/topofbook", json={"topOfBooks": {"USDT/USD": {"spread": "x"}}}
    )
    with pytest.raises(wk.UnexpectedResponse):
        client.get_top_of_book(["USDT/USD"])


def test_market_reads_are_retried_after_a_dropped_connection(
    rsps: responses.RequestsMock, client: OneKontoClient
) -> None:
    waits: list[float] = []
    client._clocks = client._clocks._replace(sleep=waits.append)
    add_login(rsps)
    rsps.add(responses.GET, f"{ROUTING}/book", body=requests.exceptions.ConnectionError("reset"))
    rsps.add(responses.GET, f"{ROUTING}/book", body=ORDER_BOOK)
    assert client.get_order_book("USDT/USD").bids[0][0] == Decimal("1.000349805")
    assert len(waits) == 1
