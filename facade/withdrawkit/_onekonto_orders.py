"""``OneKontoClient``'s orders: market and limit orders, RFQ quotes, and looking orders up.

Placing an order and accepting a quote move money: they are sent with ``moves_money=True``, so
they are re-sent only when they certainly never reached the server. An ``OutcomeUnknown`` after
accepting a quote carries the quote's id as ``reference`` (the order keeps it). Market and limit
orders have no id known before the answer (their pages document no ``clientOrderId``): their
``OutcomeUnknown.reference`` is None, and ``query_orders(source=..., destination=...,
submitted_at_start=...)`` around the time of the call finds the order if it was placed.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from withdrawkit import _onekonto_arguments as checked
from withdrawkit import _onekonto_models as models
from withdrawkit._arguments import (
    documented_value,
    path_segment,
    query,
    required_text,
    withdrawal_amount,
)
from withdrawkit._conversion import unstructure
from withdrawkit._error_mapping import ONEKONTO as PROVIDER
from withdrawkit._onekonto_operations import OneKontoOperations
from withdrawkit._onekonto_order_answers import labelled_prices
from withdrawkit._onekonto_order_lifecycle import order_sent
from withdrawkit._onekonto_quotes import quote_in
from withdrawkit._response_reading import read_list, read_response
from withdrawkit._root_error import InvalidArgument
from withdrawkit._sending import remembered

if TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit._price import Price
    from withdrawkit_generated.onekonto import Order, OrderStatus, OrderType, Quote, QuoteSide

__all__ = ["OrderMethods"]


class OrderMethods(OneKontoOperations):
    """placeMarketOrder, placeLimitOrder, requestQuote, acceptQuote, queryOrders and getOrder."""

    def place_market_order(self, amount: Amount | str, *, destination: str) -> Order:
        """Sell ``amount`` (``"10000 USDT"``) for ``destination`` at market; moves money.

        A refusal for lack of funds or credit raises ``InsufficientFunds`` or
        ``CreditNotAvailable``; a zero or negative amount, or ``destination`` the amount's own
        asset, is refused before anything is sent. An ``OutcomeUnknown`` has no ``reference``:
        the order's id comes only with the answer, so look it up with ``query_orders(source=,
        destination=, type="market", submitted_at_start=)`` from just before the call.
        """
        size = withdrawal_amount(amount, provider=PROVIDER)
        body = models.MarketOrderRequest(
            type=models.OrderType.MARKET,
            source=size.asset,
            destination=checked.other_asset(destination, size=size),
            size=size,
        )
        path = f"{self._routing_path}/order"
        return self._place(path, body, None, operation="place_market_order")

    def place_limit_order(
        self,
        amount: Amount | str,
        *,
        destination: str,
        limit: Price | Decimal | str,
        end_at: datetime | None = None,
    ) -> Order:
        """Sell ``amount`` for ``destination`` at no less than ``limit``; moves money.

        ``limit`` is the least ``destination`` accepted per unit of the source asset: a ``Price``
        labelled ``<source>/<destination>`` (``"59000 BTC/USD"`` to sell BTC for at least 59000
        USD each) or a Decimal. The order rests until the market reaches it or ``end_at`` (a
        timezone-aware datetime) passes. An ``OutcomeUnknown`` has no ``reference``; look the
        order up as for ``place_market_order`` (with ``type="limit"``).
        """
        size = withdrawal_amount(amount, provider=PROVIDER)
        destination = checked.other_asset(destination, size=size)
        if end_at is not None:
            checked.wire_datetime(end_at, name="end_at")  # refuses naive datetimes
        body = models.LimitOrderRequest(
            account_id=self._account_id,
            type=models.OrderType.LIMIT,
            source=size.asset,
            destination=destination,
            size=size,
            limit=checked.limit_price(limit, size=size, destination=destination),
            end_at=end_at.astimezone(timezone.utc) if end_at is not None else None,
        )
        path = f"{self._routing_path}/order/limit"
        return self._place(path, body, None, operation="place_limit_order")

    def request_quote(
        self, amount: Amount | str, *, asset_pair: str, client_order_id: str | None = None
    ) -> Quote:
        """A firm two-sided quote for ``amount`` (in the pair's base or quote asset) of
        ``asset_pair``; it lapses after about 5 seconds. Does not move money, so after a failure
        it is sent again like a read: a quote that a lost answer left behind lapses unaccepted.

        ``.order_id`` is what ``accept_quote`` takes; ``.buy`` and ``.sell`` are the legs, each
        with ``.price``, ``.source``, ``.destination`` and ``.expires_at``.
        """
        size = withdrawal_amount(amount, provider=PROVIDER)
        pair = checked.asset_pair(asset_pair)
        if size.asset not in pair.split("/"):
            raise InvalidArgument(f"the amount {size} is in neither asset of {pair}")
        body = models.QuoteRequest(
            asset_pair=pair,
            size=size,
            client_order_id=checked.client_order_id(client_order_id),
        )
        answer = self._api.request(
            "POST", f"{self._routing_path}/order/rfq", json_body=unstructure(body)
        )
        return quote_in(answer, size=size, pair=pair)

    def accept_quote(self, order_id: str, *, side: QuoteSide | str) -> Order:
        """Execute the ``side`` (``"buy"`` or ``"sell"``) leg of quote ``order_id``; moves money.

        A lapsed quote raises ``QuoteExpired``, one accepted before ``QuoteAlreadyExecuted``; an
        ``OutcomeUnknown`` carries ``order_id`` as its ``reference``.
        """
        order_id = required_text(order_id, name="order_id")
        chosen = models.QuoteSide(side) if isinstance(side, str) else side
        if chosen not in (models.QuoteSide.BUY, models.QuoteSide.SELL):
            raise InvalidArgument(f"side must be 'buy' or 'sell', got {side!r}")
        path = f"{self._routing_path}/order/rfq/{path_segment(order_id)}/accept"
        body = models.AcceptQuoteRequest(side=chosen)
        return self._place(path, body, order_id, operation="accept_quote")

    def query_orders(
        self,
        *,
        source: str | None = None,
        destination: str | None = None,
        type: OrderType | str | None = None,
        status: OrderStatus | str | None = None,
        submitted_at_start: datetime | None = None,
        submitted_at_end: datetime | None = None,
        start_at_ordering: int | None = None,
        max: int | None = None,
        asc: bool | None = None,
    ) -> list[Order]:
        """The account's orders matching every filter given (None: not filtered).

        ``submitted_at_*`` are timezone-aware datetimes; ``start_at_ordering`` resumes from a
        value of ``Order.ordering``; ``asc=True`` lists oldest first. ``type`` and ``status``
        take the documented ``OrderType`` and ``OrderStatus`` values only, exactly as written
        (``"filled"``, not ``"FILLED"``); any other raises ``InvalidArgument`` rather than list
        nothing.
        """
        if asc is not None and not isinstance(asc, bool):
            raise TypeError(f"asc must be a bool, got {asc!r}")
        params = query(
            {
                "submittedAtStart": checked.wire_datetime(
                    submitted_at_start, name="submitted_at_start"
                ),
                "submittedAtEnd": checked.wire_datetime(submitted_at_end, name="submitted_at_end"),
                "destination": _optional_code(destination, name="destination"),
                "source": _optional_code(source, name="source"),
                "type": documented_value(type, models.OrderType, name="type"),
                "startAtOrdering": checked.ordering(start_at_ordering),
                "status": documented_value(status, models.OrderStatus, name="status"),
                "max": checked.count(max, name="max"),
                "asc": asc,
            }
        )
        answer = self._api.request("GET", self._orders_path, params=params)
        return read_list(
            labelled_prices(answer),
            bare=list[models.Order],
            keyed=models.OrderList,
            items=lambda listed: listed.orders,
            key="orders",
            operation="query_orders",
        )

    def get_order(self, order_id: str) -> Order:
        """One order of the account; ``NotFound`` when it has none with this id."""
        path = f"{self._orders_path}/order/{path_segment(order_id)}"
        answer = self._api.request("GET", path)
        return read_response(
            labelled_prices(answer), models.OrderResponse, operation="get_order"
        ).order

    def _place(self, path: str, body: Any, reference: str | None, *, operation: str) -> Order:
        """POST an order or an acceptance: money moves, so ``reference`` names it if lost."""
        amount, destination = order_sent(body)
        with remembered(operation, amount, destination, wall=self._clocks.wall):
            answer = self._api.request(
                "POST", path, json_body=unstructure(body), moves_money=True, reference=reference
            )
        # The order may be placed even when this answer cannot be read: accepted=True says so.
        order = read_response(
            labelled_prices(answer), models.OrderResponse, operation=operation, accepted=True
        )
        return order.order


def _optional_code(value: str | None, *, name: str) -> str | None:
    return None if value is None else checked.asset_code(value, name=name)
