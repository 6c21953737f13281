"""``FakeOneKonto``'s market data: top of book, order book and indicative prices, all inclusive
of the account's fee (see ``_onekonto_book``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from withdrawkit._amount import Amount, AmountError
from withdrawkit._price import Price
from withdrawkit.testing import _onekonto_trading_wire as trading_wire
from withdrawkit.testing import _onekonto_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._money import exact, ratio
from withdrawkit.testing._onekonto_base import OneKontoBase
from withdrawkit.testing._onekonto_book import Book, fill
from withdrawkit.testing._onekonto_errors import InvalidFieldsRefusal
from withdrawkit.testing._request_reading import positive_count

__all__ = ["DEFAULT_LEVELS", "MarketRoutes"]

# Get Order Book's documented default.
DEFAULT_LEVELS: Final = 25


class MarketRoutes(OneKontoBase):
    """getTopOfBook, getOrderBook and requestIndicativePrice."""

    def _get_top_of_book(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        listed = request.query_value("assetPairs")
        if not listed:
            raise InvalidFieldsRefusal({"AssetPairs": "required"})
        books = {pair: self._book(pair, "AssetPairs") for pair in listed.split(",")}
        body = {
            pair: trading_wire.top_of_book(book, account.fee_rate) for pair, book in books.items()
        }
        return json_response(200, {"topOfBooks": body, **wire.OK})

    def _get_order_book(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        pair = request.query_value("assetPair")
        if not pair:
            raise InvalidFieldsRefusal({"AssetPair": "required"})
        levels = DEFAULT_LEVELS
        levels_text = request.query_value("levels")
        if levels_text is not None:
            given = positive_count(levels_text)
            if given is None:
                raise InvalidFieldsRefusal({"Levels": "must be a positive integer"})
            levels = given
        body = trading_wire.book_body(self._book(pair, "AssetPair"), account.fee_rate, levels)
        return json_response(200, {**body, **wire.OK})

    @exact
    def _indicative_price(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        """What selling ``size`` of ``source`` would give now, without touching the book."""
        account = self._authorize(request, params["accountId"])
        fields = {name: request.query_value(name) for name in ("source", "destination", "quote")}
        problems = {name.title(): "required" for name, value in fields.items() if not value}
        size = _bare_size(request.query_value("size"), fields["source"], problems)
        source, destination, quote = fields["source"], fields["destination"], fields["quote"]
        if problems or size is None or not source or not destination or not quote:
            raise InvalidFieldsRefusal(problems)
        if quote not in {source, destination}:
            raise InvalidFieldsRefusal({"Quote": f"must be {source} or {destination}"})
        book = self.trading.book_for(source, destination)
        if book is None:
            raise InvalidFieldsRefusal({"Destination": f"no market for {source}/{destination}"})
        done = fill(_copy(book), source=source, size=size.value, fee=account.fee_rate)
        if done.spent < size.value:
            raise InvalidFieldsRefusal({"Size": f"more than the book of {book.pair} can fill"})
        # The page's only example labels the quote asset's price per destination asset
        # "<destination>/<source>" (~24210 USDT per BTC as "BTC/USDT"); the fake does the same.
        other = destination if quote == source else source
        per_quote = (
            ratio(done.spent, done.received)
            if quote == source
            else ratio(done.received, done.spent)
        )
        body = {
            "source": str(size),
            "destination": str(Amount(done.received, destination)),
            "price": str(Price(per_quote, other, quote)),
            **wire.OK,
        }
        return json_response(200, body)

    def _book(self, pair: str, field: str) -> Book:
        book = self.trading.books.get(pair)
        if book is None:
            raise InvalidFieldsRefusal({field: f"no market for {pair}"})
        return book


def _bare_size(text: str | None, source: str | None, problems: dict[str, str]) -> Amount | None:
    """``size`` as the page's example sends it (``50``), or as an amount string (``50 USDT``)."""
    if not text:
        problems["Size"] = "required"
        return None
    try:
        size = Amount.parse(text) if " " in text else Amount(text, source or "X")
    except AmountError:
        problems["Size"] = "must be a number such as 50"
        return None
    if size.value <= 0:
        problems["Size"] = "must be positive"
        return None
    if source and size.asset != source:
        problems["Size"] = f"must be in {source}"
        return None
    return size


def _copy(book: Book) -> Book:
    return Book.build(
        book.pair,
        [(level.price, level.size) for level in book.bids],
        [(level.price, level.size) for level in book.asks],
    )
