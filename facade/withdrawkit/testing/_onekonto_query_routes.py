"""``FakeOneKonto``'s order queries and ledger: Querying for Orders, Get Order, Get Transactions.

Decided where the pages are silent (the spec's descriptions say the same): lists are newest
first unless ``asc=true`` (orders) and oldest first (ledger); ``startAtOrdering`` is inclusive
and counts in the listing's direction; a time window includes its start and excludes its end;
Querying for Orders lists at most 100 orders unless ``max`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Final, TypeVar

from withdrawkit.testing import _onekonto_trading_wire as trading_wire
from withdrawkit.testing import _onekonto_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._onekonto_base import OneKontoBase
from withdrawkit.testing._onekonto_errors import InvalidFieldsRefusal
from withdrawkit.testing._onekonto_state import LedgerEntry
from withdrawkit.testing._onekonto_trading import OrderRecord
from withdrawkit.testing._request_reading import positive_count

__all__ = ["DEFAULT_MAX_ORDERS", "QueryRoutes"]

DEFAULT_MAX_ORDERS: Final = 100
_ORDER_TYPES: Final = frozenset({"market", "limit", "rfq"})
_ORDER_STATUSES: Final = frozenset(
    {"filled", "rejected", "canceled", "invalid", "submitted", "partially-filled"}
)
_TRANSACTION_TYPES: Final = frozenset(
    {
        "invalid",
        "deposit",
        "withdrawal",
        "transferSent",
        "transferReceived",
        "trade",
        "manual",
        "order",
        "initialBalances",
    }
)

R = TypeVar("R", OrderRecord, LedgerEntry)


class QueryRoutes(OneKontoBase):
    """queryOrders, getOrder and getTransactions."""

    def _query_orders(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        problems: dict[str, str] = {}
        start = _time(request, "submittedAtStart", problems)
        end = _time(request, "submittedAtEnd", problems)
        ordering = _count(request, "startAtOrdering", problems, allow_zero=True)
        limit = _count(request, "max", problems) or DEFAULT_MAX_ORDERS
        ascending = _flag(request, "asc", problems)
        kind = _one_of(request, "type", _ORDER_TYPES, problems)
        status = _one_of(request, "status", _ORDER_STATUSES, problems)
        if problems:
            raise InvalidFieldsRefusal(problems)
        source, destination = request.query_value("source"), request.query_value("destination")

        def wanted(order: OrderRecord) -> bool:
            return (
                order.account_id == account.account_id
                and (kind is None or order.type == kind)
                and (status is None or order.status == status)
                and (source is None or order.size.asset == source)
                and (destination is None or order.destination == destination)
                and _within(order.submitted_at, start, end)
            )

        chosen = _listed(list(self.trading.orders.values()), wanted, ordering, ascending, limit)
        listed = [
            trading_wire.order_body(order, user_id=self._user_id(order.user)) for order in chosen
        ]
        return json_response(200, {"orders": listed, **wire.OK})

    def _get_order(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        order = self.trading.orders.get(params["orderId"])
        if order is None or order.account_id != account.account_id:
            return self._order_not_found()
        body = trading_wire.order_body(order, user_id=self._user_id(order.user))
        return json_response(200, {"order": body, **wire.OK})

    def _get_transactions(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        problems: dict[str, str] = {}
        limit = _count(request, "max", problems)
        if limit is None and "Max" not in problems:
            problems["Max"] = "required"
        start = _time(request, "startTimeUtc", problems)
        end = _time(request, "endTimeUtc", problems)
        ordering = _count(request, "startAtOrdering", problems, allow_zero=True)
        kind = _one_of(request, "type", _TRANSACTION_TYPES, problems)
        if problems or limit is None:
            raise InvalidFieldsRefusal(problems)
        transaction_id = request.query_value("transactionId")
        asset = request.query_value("asset")

        def wanted(entry: LedgerEntry) -> bool:
            return (
                entry.account_id == account.account_id
                and (transaction_id is None or entry.transaction_id == transaction_id)
                and (asset is None or entry.amount.asset == asset)
                and (kind is None or entry.type == kind)
                and _within(entry.created_at, start, end)
            )

        chosen = _listed(self.state.ledger, wanted, ordering, True, limit)
        listed = [trading_wire.transaction_body(entry) for entry in chosen]
        return json_response(200, {"transactions": listed, **wire.OK})


def _listed(
    records: Sequence[R],
    wanted: Callable[[R], bool],
    start: int | None,
    ascending: bool,
    limit: int,
) -> list[R]:
    ordered = sorted(records, key=lambda record: record.ordering, reverse=not ascending)
    if start is not None:
        ordered = [
            record
            for record in ordered
            if (record.ordering >= start if ascending else record.ordering <= start)
        ]
    return [record for record in ordered if wanted(record)][:limit]


def _within(instant: datetime, start: datetime | None, end: datetime | None) -> bool:
    return (start is None or instant >= start) and (end is None or instant < end)


def _field(name: str) -> str:
    return name[0].upper() + name[1:]


def _time(request: FakeRequest, name: str, problems: dict[str, str]) -> datetime | None:
    try:
        return trading_wire.read_time(request.query_value(name))
    except ValueError:
        problems[_field(name)] = "must be a date-time such as 2022-12-21T22:07:38.6325460Z"
        return None


def _count(
    request: FakeRequest, name: str, problems: dict[str, str], *, allow_zero: bool = False
) -> int | None:
    text = request.query_value(name)
    if text is None:
        return None
    if allow_zero and text == "0":
        return 0
    value = positive_count(text)
    if value is None:
        problems[_field(name)] = "must be a positive integer"
    return value


def _flag(request: FakeRequest, name: str, problems: dict[str, str]) -> bool:
    text = request.query_value(name)
    if text is None or text == "false":
        return False
    if text == "true":
        return True
    problems[_field(name)] = "must be true or false"
    return False


def _one_of(
    request: FakeRequest, name: str, allowed: frozenset[str], problems: dict[str, str]
) -> str | None:
    text = request.query_value(name)
    if text is not None and text not in allowed:
        problems[_field(name)] = f"must be one of {', '.join(sorted(allowed))}"
        return None
    return text
