"""``OneKontoClient``'s order lifecycle: wait for an order to end, and reconcile the
``OutcomeUnknown`` of a placed order or an accepted quote.

A market or limit order has no id before its answer (1Konto's order pages document no
``clientOrderId``), so a lost one is matched on what was sent (size, assets, type) among the
orders submitted since it was sent; an accepted quote is looked up by its order id, which the
acceptance's order keeps.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from withdrawkit import _onekonto_models as models
from withdrawkit._arguments import required_text
from withdrawkit._client import Clocks
from withdrawkit._exceptions import NotFound, OutcomeUnknown
from withdrawkit._lifecycle_errors import AmbiguousOutcome
from withdrawkit._reconcile import CLOCK_SKEW, sent_by, settled_lookup, single_match
from withdrawkit._wait_defaults import DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit._root_error import WithdrawKitError
    from withdrawkit._sent_request import SentRequest
    from withdrawkit._waiting import Statuses
    from withdrawkit_generated.onekonto import Order, OrderStatus, OrderType

__all__ = ["RECONCILE_MAX", "OrderLifecycle", "order_sent", "order_statuses"]


@functools.cache
def order_statuses() -> Statuses:
    """Built at the first wait, not at import: the generated enum is imported on first use."""
    from withdrawkit._waiting import Statuses  # noqa: PLC0415 - loaded at the first wait

    # A partially filled order is still working: only these end it.
    return Statuses(
        final=frozenset({"filled", "rejected", "canceled", "invalid"}),
        known=frozenset(status.value for status in models.OrderStatus),
    )


DEFAULT_SETTLE_TIME: Final = 60.0
RECONCILE_MAX: Final = 1000
# The OrderType member (by name) each placing operation sends.
_PLACED: Final = {"place_market_order": "MARKET", "place_limit_order": "LIMIT"}
_OPERATIONS: Final = frozenset({*_PLACED, "accept_quote"})


def order_sent(body: Any) -> tuple[Amount | None, dict[str, str | None]]:
    """What an order request sends, as ``OutcomeUnknown.sent`` keeps it: amount, destination."""
    if isinstance(body, (models.MarketOrderRequest, models.LimitOrderRequest)):
        limit = getattr(body, "limit", None)
        return body.size, {
            "destination": str(body.destination),
            "limit": None if limit is None else str(limit),
        }
    if isinstance(body, models.AcceptQuoteRequest):
        return None, {"side": str(body.side)}
    raise TypeError(f"not an order request: {type(body).__name__}")  # pragma: no cover


class OrderLifecycle:
    """Mixed into ``OneKontoClient``: uses its ``get_order`` and ``query_orders``."""

    _clocks: Clocks

    if TYPE_CHECKING:

        def get_order(self, order_id: str) -> Order: ...

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
        ) -> list[Order]: ...

    def wait_for_order(
        self,
        order_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: Callable[[Order], object] | None = None,
        on_pause: Callable[[float, WithdrawKitError | None], object] | None = None,
    ) -> Order:
        """Poll the order until its ``result.status`` is ``filled``, ``rejected``, ``canceled``
        or ``invalid``, and return it (a ``partially-filled`` order is still working).

        Polls as ``wait_for_withdraw_request`` does (growing, jittered intervals; 429, 5xx and
        dropped connections waited out; an unknown status, or none, logged once) and raises
        ``StillPending`` with the last ``Order`` read when ``timeout`` passes.
        ``on_pause(seconds, failure)`` is called just before each pause, as there: to show
        progress (a Celery task's state, a countdown) with the error of the failed poll behind
        the pause, or ``None``.
        """
        required_text(order_id, name="order_id")
        from withdrawkit._waiting import wait_until_final  # noqa: PLC0415 - at the first wait

        return wait_until_final(
            lambda: self.get_order(order_id),
            status_of=_order_status,
            statuses=order_statuses(),
            what=f"1Konto order {order_id}",
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
            on_pause=on_pause,
            clocks=self._clocks,
        )

    def reconcile_order(
        self,
        unknown: OutcomeUnknown,
        *,
        settle_time: float = DEFAULT_SETTLE_TIME,
        exclude: Collection[str] = (),
    ) -> Order | None:
        """The order that the request behind ``unknown`` made, or ``None``.

        ``unknown`` is what ``place_market_order``, ``place_limit_order`` or ``accept_quote``
        raised. An accepted quote is read by its order id (``unknown.reference``). A placed
        order has no id of its own before the answer: it is matched on its size, assets and
        type among the orders submitted since it was sent (less ten minutes of clock skew);
        pass the ids of orders you already know in ``exclude``. Two candidates raise
        ``AmbiguousOutcome``: withdrawkit never guesses.

        ``None`` means no such order is listed ``settle_time`` seconds after it was sent: it
        was not applied, and placing it again is safe; an acceptance is then still open until
        its quote lapses.
        """
        sent = sent_by(unknown, _OPERATIONS, method="OneKontoClient.reconcile_order")
        if sent.operation == "accept_quote":
            quote_id = unknown.reference
            if quote_id is None:  # pragma: no cover - accept_quote always sends its quote's id
                raise AmbiguousOutcome("the acceptance carried no quote id to find it by")
            return settled_lookup(
                lambda: self._order_or_none(quote_id),
                sent=sent,
                settle_time=settle_time,
                clocks=self._clocks,
            )
        known = frozenset(exclude)
        return settled_lookup(
            lambda: self._placed_order(sent, known),
            sent=sent,
            settle_time=settle_time,
            clocks=self._clocks,
        )

    def _order_or_none(self, order_id: str) -> Order | None:
        try:
            return self.get_order(order_id)
        except NotFound:
            return None

    def _placed_order(self, sent: SentRequest, exclude: frozenset[str]) -> Order | None:
        amount = sent.amount
        if amount is None:  # pragma: no cover - placing an order always sends a size
            raise AmbiguousOutcome("the order was sent without a size to match")
        kind = models.OrderType[_PLACED[sent.operation]]
        listed = self.query_orders(
            source=amount.asset,
            destination=sent.destination.get("destination"),
            submitted_at_start=sent.sent_at - CLOCK_SKEW,
            max=RECONCILE_MAX,
        )
        candidates = [
            order
            for order in listed
            if order.order_id not in exclude and order.size == amount and order.type in (None, kind)
        ]
        if not candidates and len(listed) >= RECONCILE_MAX:
            raise AmbiguousOutcome(
                f"1Konto listed {len(listed)} orders, its most, and none matches {amount}: the "
                "one sent may be among those not listed"
            )
        return single_match(candidates, what="orders", identity=_order_id)


def _order_status(order: Order) -> OrderStatus | None:
    return None if order.result is None else order.result.status


def _order_id(order: Order) -> str:
    return order.order_id
