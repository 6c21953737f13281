"""1Konto's market and order bodies in ``FakeOneKonto``: rendering books, quotes, orders and
ledger entries as ``openapi/onekonto.yaml`` shapes them, and reading order requests."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from withdrawkit._amount import Amount
from withdrawkit._conversion import parse_wire_datetime
from withdrawkit._price import Price
from withdrawkit.testing._money import exact, tidy
from withdrawkit.testing._onekonto_book import Book, effective_levels
from withdrawkit.testing._onekonto_state import LedgerEntry
from withdrawkit.testing._onekonto_trading import OrderRecord, QuoteRecord

__all__ = [
    "CLIENT_ORDER_ID_MAX",
    "book_body",
    "order_body",
    "quote_body",
    "read_price",
    "read_time",
    "read_time_field",
    "top_of_book",
    "transaction_body",
    "wire_time",
]

CLIENT_ORDER_ID_MAX: Final = 1024


def wire_time(value: datetime) -> str:
    """An instant as 1Konto writes it: UTC, ``Z``, seven fractional digits."""
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond:06d}0Z"


@exact
def top_of_book(book: Book, fee: Decimal) -> dict[str, Any]:
    """``{spread, ask: [price, size], bid: [price, size]}``; a side with no level is left out."""
    bids = effective_levels(book, fee, side="bids")
    asks = effective_levels(book, fee, side="asks")
    body: dict[str, Any] = {}
    if bids and asks:
        body["spread"] = tidy(asks[0][0] - bids[0][0])
    if asks:
        body["ask"] = list(asks[0])
    if bids:
        body["bid"] = list(bids[0])
    return body


@exact
def book_body(book: Book, fee: Decimal, levels: int) -> dict[str, Any]:
    return {
        "nbbo": top_of_book(book, fee),
        "asks": [list(level) for level in effective_levels(book, fee, side="asks")[:levels]],
        "bids": [list(level) for level in effective_levels(book, fee, side="bids")[:levels]],
    }


def quote_body(quote: QuoteRecord) -> dict[str, Any]:
    body: dict[str, Any] = {"orderId": quote.order_id}
    for side, leg in quote.legs.items():
        body[side] = {
            "price": str(leg.price),
            "source": str(leg.source),
            "destination": str(leg.destination),
            "expiresAt": wire_time(leg.expires_at),
        }
    return body


def order_body(order: OrderRecord, *, user_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "orderId": order.order_id,
        "ordering": order.ordering,
        "accountId": order.account_id,
        "userId": user_id,
        "email": order.user,
        "size": str(order.size),
        "source": order.size.asset,
        "destination": order.destination,
        "type": order.type,
        "submittedAt": wire_time(order.submitted_at),
    }
    result: dict[str, Any] = {"status": order.status}
    if order.price is not None:
        result["price"] = str(order.price)
        result["total"] = str(Amount(order.received, order.destination))
    if order.executed_at is not None:
        result["executedAt"] = wire_time(order.executed_at)
    if order.updated_at is not None:
        result["updatedAt"] = wire_time(order.updated_at)
    body["result"] = result
    return body


def transaction_body(entry: LedgerEntry) -> dict[str, Any]:
    return {
        "transactionId": entry.transaction_id,
        "ordering": entry.ordering,
        "accountId": entry.account_id,
        "type": entry.type,
        "asset": entry.amount.asset,
        "amount": str(entry.amount),
        "createdAt": wire_time(entry.created_at),
    }


def read_time(text: str | None) -> datetime | None:
    """A query's instant (``2022-12-21T22:07:38.6325460Z``); ValueError when it is not one."""
    if text is None:
        return None
    # Not datetime.fromisoformat: before Python 3.11 it reads neither "Z" nor 7 digits.
    return parse_wire_datetime(text)


def read_price(value: object) -> Price | None:
    """A limit price string, or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        return Price.parse(value)
    except ValueError:
        return None


def read_time_field(body: Mapping[str, Any], key: str) -> datetime | None:
    value = body.get(key)
    if not isinstance(value, str):
        return None
    try:
        return read_time(value)
    except ValueError:
        return None
