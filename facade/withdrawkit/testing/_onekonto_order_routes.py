"""``FakeOneKonto``'s orders: market and limit orders, RFQ quotes and their acceptance.

Placing an order first checks its funding (``Trading.fund``); a refusal is the Market Order
page's 424 ``failedDependency`` with the order's id, and the order is kept as ``rejected``. A
market order fills at once against the book, as far as its depth goes (``partially-filled``
past that; ``rejected`` if nothing fills). A limit order holds its size and rests until the book
reaches its limit or its ``endAt`` passes (``FakeOneKonto.advance_market``, run before every
request). A quote is firm for ``QUOTE_LIFETIME`` of the fake's clock, priced at the book's best
fee-inclusive bid and ask, and can be accepted once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from withdrawkit._amount import Amount
from withdrawkit._price import Price
from withdrawkit.testing import _onekonto_order_reading as read
from withdrawkit.testing import _onekonto_trading_wire as trading_wire
from withdrawkit.testing import _onekonto_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._money import divide_down, exact, tidy
from withdrawkit.testing._onekonto_base import OneKontoBase
from withdrawkit.testing._onekonto_book import Book
from withdrawkit.testing._onekonto_errors import (
    InvalidFieldsRefusal,
    business_error,
    credit_not_available,
    insufficient_funds,
)
from withdrawkit.testing._onekonto_state import NotEnoughFunds, OneKontoAccount
from withdrawkit.testing._onekonto_trading import (
    QUOTE_LIFETIME,
    REJECTED,
    CreditRefused,
    OrderRecord,
    QuoteLeg,
    QuoteRecord,
)

__all__ = ["OrderRoutes"]


class OrderRoutes(OneKontoBase):
    """placeMarketOrder, placeLimitOrder, requestQuote and acceptQuote."""

    def _place_market_order(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        user, account = self._authorize_user(request, params["accountId"])
        body = wire.read_json_object(request)
        order = self._new_order(user, account, body, "market", {})
        refused = self._funding_refusal(account, order)
        if refused is not None:
            return refused
        done = self.trading.fill_order(order, account.fee_rate)
        self.trading.settle(account, order, done, at=self.clock.now())
        if done.spent <= 0:
            order.status = REJECTED  # nothing in the book to fill against
        return self._order_answer(order)

    def _place_limit_order(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        user, account = self._authorize_user(request, params["accountId"])
        body = wire.read_json_object(request)
        problems: dict[str, str] = {}
        if body.get("accountId") != account.account_id:
            problems["AccountId"] = "required, and the account of the path"
        order = self._new_order(user, account, body, "limit", problems)
        refused = self._funding_refusal(account, order)
        if refused is not None:
            return refused
        self.trading.rest(account, order)
        done = self.trading.fill_order(order, account.fee_rate)
        self.trading.settle(account, order, done, at=self.clock.now())
        return self._order_answer(order)

    def _request_quote(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        body = wire.read_json_object(request)
        problems: dict[str, str] = {}
        pair = body.get("assetPair")
        book = self.trading.books.get(pair) if isinstance(pair, str) else None
        if book is None:
            problems["AssetPair"] = "required" if pair is None else f"no market for {pair}"
        size = read.size(body, None, problems)
        client_order_id = read.client_order_id(body, problems)
        if book is not None and size is not None and size.asset not in {book.base, book.quote}:
            problems["Size"] = f"must be in {book.base} or {book.quote}"
        if problems or book is None or size is None:
            raise InvalidFieldsRefusal(problems)
        expires_at = self.clock.now() + QUOTE_LIFETIME
        legs = _quote_legs(book, size, account.fee_rate, expires_at)
        if not legs:
            raise InvalidFieldsRefusal({"AssetPair": f"no prices for {book.pair}"})
        quote = QuoteRecord(
            self.ids.onekonto_id(), account.account_id, book.pair, legs, expires_at, client_order_id
        )
        self.trading.quotes[quote.order_id] = quote
        return json_response(200, {**trading_wire.quote_body(quote), **wire.OK})

    def _accept_quote(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        user, account = self._authorize_user(request, params["accountId"])
        quote = self.trading.quotes.get(params["orderId"])
        if quote is None or quote.account_id != account.account_id:
            return self._order_not_found()
        leg = self._chosen_leg(request, quote)
        now = self.clock.now()
        if quote.accepted_at is not None:
            accepted = trading_wire.wire_time(quote.accepted_at)
            message = f"Quote Already Executed: the quote was accepted at {accepted}"
            return business_error(400, [message], order_id=quote.order_id)
        if now >= quote.expires_at:
            expired = trading_wire.wire_time(quote.expires_at)
            message = f"Quote Expired: the quote expired at {expired}"
            return business_error(400, [message], order_id=quote.order_id)
        order = OrderRecord(
            quote.order_id,
            self.state.next_ordering(),
            account.account_id,
            user,
            "rfq",
            leg.source,
            leg.destination.asset,
            now,
            client_order_id=quote.client_order_id,
        )
        refused = self._funding_refusal(account, order)
        if refused is not None:
            del self.trading.orders[order.order_id]  # a refused acceptance leaves the quote open
            return refused
        self._execute(account, order, leg)
        quote.accepted_at = now
        return self._order_answer(order)

    # -- helpers ----------------------------------------------------------------------------------

    def _new_order(
        self,
        user: str,
        account: OneKontoAccount,
        body: Mapping[str, Any],
        kind: str,
        problems: dict[str, str],
    ) -> OrderRecord:
        """The order ``body`` describes, kept by the fake; a bad body raises its refusal."""
        source = read.asset_field(body, "source", problems)
        destination = read.asset_field(body, "destination", problems)
        size = read.size(body, source, problems)
        if body.get("type") not in (None, kind):
            problems["Type"] = f"must be {kind}"
        if source and destination and self.trading.book_for(source, destination) is None:
            problems["Destination"] = f"no market for {source}/{destination}"
        limit = end_at = None
        if kind == "limit":
            limit = read.limit(body, source, destination, problems)
            end_at = read.end_at(body, self.clock.now(), problems)
        if problems or size is None or destination is None:
            raise InvalidFieldsRefusal(problems)
        order = OrderRecord(
            self.ids.onekonto_id(),
            self.state.next_ordering(),
            account.account_id,
            user,
            kind,
            size,
            destination,
            self.clock.now(),
            limit=limit,
            end_at=end_at,
        )
        return order

    def _funding_refusal(self, account: OneKontoAccount, order: OrderRecord) -> FakeResponse | None:
        """Keep ``order``; None when it can be funded, else its 424 (and it is ``rejected``)."""
        self.trading.orders[order.order_id] = order
        try:
            self.trading.fund(account, order.size)
        except CreditRefused as refusal:
            order.status = REJECTED
            return credit_not_available(refusal.message, order_id=order.order_id)
        except NotEnoughFunds as short:
            order.status = REJECTED
            return insufficient_funds(short, order_id=order.order_id)
        return None

    def _chosen_leg(self, request: FakeRequest, quote: QuoteRecord) -> QuoteLeg:
        # [B] names the leg; [A] sent no body, which the fake accepts when the quote has one leg.
        body = wire.read_json_object(request) if request.body else {}
        side = body.get("side")
        if side is None and len(quote.legs) == 1:
            (side,) = quote.legs
        if side not in quote.legs:
            problem = "required" if side is None else f"must be one of {sorted(quote.legs)}"
            raise InvalidFieldsRefusal({"Side": problem})
        return quote.legs[side]

    @exact
    def _execute(self, account: OneKontoAccount, order: OrderRecord, leg: QuoteLeg) -> None:
        """Fill ``order`` at the quote's firm price: balances, result and ledger."""
        paying = account.balance(leg.source.asset)
        paying.free = tidy(paying.free - leg.source.value)
        gaining = account.balance(leg.destination.asset)
        gaining.free = tidy(gaining.free + leg.destination.value)
        order.spent, order.received = leg.source.value, leg.destination.value
        order.price = leg.price
        order.status = "filled"
        order.executed_at = order.updated_at = order.submitted_at
        self.state.record(account.account_id, "trade", Amount(-leg.source.value, leg.source.asset))
        self.state.record(account.account_id, "trade", leg.destination)

    def _order_answer(self, order: OrderRecord) -> FakeResponse:
        body = trading_wire.order_body(order, user_id=self._user_id(order.user))
        return json_response(200, {"order": body, **wire.OK})


@exact
def _quote_legs(
    book: Book, size: Amount, fee: Decimal, expires_at: datetime
) -> dict[str, QuoteLeg]:
    """The two legs of a quote for ``size`` (in the base or quote asset) at the best prices."""
    legs: dict[str, QuoteLeg] = {}
    one = Decimal(1)
    if book.asks:
        ask = tidy(book.asks[0].price * (one + fee))
        base, quote = _sized(size, book, ask)
        # buy: the client gives quote asset and receives base asset
        legs["buy"] = QuoteLeg(
            Price(ask, book.base, book.quote),
            Amount(quote, book.quote),
            Amount(base, book.base),
            expires_at,
        )
    if book.bids:
        bid = tidy(book.bids[0].price * (one - fee))
        base, quote = _sized(size, book, bid)
        legs["sell"] = QuoteLeg(
            Price(bid, book.base, book.quote),
            Amount(base, book.base),
            Amount(quote, book.quote),
            expires_at,
        )
    return legs


def _sized(size: Amount, book: Book, price: Decimal) -> tuple[Decimal, Decimal]:
    """(base, quote) amounts of a trade of ``size`` at ``price`` (quote per base)."""
    if size.asset == book.base:
        return size.value, tidy(size.value * price)
    return divide_down(size.value, price), size.value
