"""``FakeOneKonto``'s trading state: books, orders, RFQ quotes and the credit conditions.

No HTTP here. An order is funded from the source balance's ``available`` (``free`` plus the
credit line); the part beyond ``free`` is credit, which 1Konto grants only in business hours and
while credit is available at all (the Market Order page's three 424 bodies). A resting limit
order holds its unfilled size in ``locked``. Fills are booked in the state's ledger, two signed
``trade`` entries each; every order takes the next value of the state's global ``ordering``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Final

import attrs

from withdrawkit._amount import Amount
from withdrawkit._price import Price
from withdrawkit.testing._money import exact, ratio, tidy
from withdrawkit.testing._onekonto_book import Book, Fill, fill
from withdrawkit.testing._onekonto_state import NotEnoughFunds, OneKontoAccount, OneKontoState

__all__ = [
    "QUOTE_LIFETIME",
    "CreditRefused",
    "OrderRecord",
    "QuoteLeg",
    "QuoteRecord",
    "Trading",
]

# How long an RFQ quote can be accepted: the Request Quote example's legs expire ~4.9 s after
# the Accept Quote example was submitted.
QUOTE_LIFETIME: Final = timedelta(seconds=5)
FILLED: Final = "filled"
PARTIALLY_FILLED: Final = "partially-filled"
SUBMITTED: Final = "submitted"
CANCELED: Final = "canceled"
REJECTED: Final = "rejected"
_ZERO: Final = Decimal(0)


class CreditRefused(Exception):
    """Credit was needed and not granted; ``message`` is the vendor's text after the category."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@attrs.define
class OrderRecord:
    order_id: str
    ordering: int
    account_id: str
    user: str
    type: str  # market, limit, rfq
    size: Amount
    destination: str
    submitted_at: datetime
    client_order_id: str | None = None  # RFQ only: the quote request's; no page shows it echoed
    status: str = SUBMITTED
    spent: Decimal = _ZERO
    received: Decimal = _ZERO
    price: Price | None = None
    updated_at: datetime | None = None
    executed_at: datetime | None = None
    limit: Price | None = None
    end_at: datetime | None = None

    @property
    def unfilled(self) -> Decimal:
        return self.size.value - self.spent

    @property
    def resting(self) -> bool:
        return self.type == "limit" and self.status in {SUBMITTED, PARTIALLY_FILLED}


@attrs.frozen
class QuoteLeg:
    price: Price
    source: Amount
    destination: Amount
    expires_at: datetime


@attrs.define
class QuoteRecord:
    order_id: str
    account_id: str
    pair: str
    legs: dict[str, QuoteLeg]  # "buy" / "sell"
    expires_at: datetime
    client_order_id: str | None = None  # RFQ only: the quote request's; no page shows it echoed
    accepted_at: datetime | None = None


@attrs.define
class CreditConditions:
    business_hours: bool = True
    credit_available: bool = True


class Trading:
    """Books, orders, quotes and the ledger of one fake; its lock is the fake's."""

    def __init__(self, state: OneKontoState) -> None:
        self.state = state
        self.books: dict[str, Book] = {}
        self.orders: dict[str, OrderRecord] = {}
        self.quotes: dict[str, QuoteRecord] = {}
        self.credit = CreditConditions()

    def book_for(self, source: str, destination: str) -> Book | None:
        """The book an order selling ``source`` for ``destination`` trades on, if any."""
        return self.books.get(f"{source}/{destination}") or self.books.get(
            f"{destination}/{source}"
        )

    @exact
    def fund(self, account: OneKontoAccount, size: Amount) -> None:
        """Check that ``account`` can spend ``size``, or raise why not (credit or funds)."""
        balance = account.balance(size.asset)
        credit_needed = size.value - max(balance.free, _ZERO)
        if credit_needed > 0:
            if not self.credit.business_hours:
                needed = Amount(tidy(credit_needed), size.asset)
                raise CreditRefused(
                    f"{needed} credit requested can not be granted outside of normal business"
                    " hours."
                )
            if not self.credit.credit_available:
                raise CreditRefused(
                    "Your account is in good standing, but credit is not available at this"
                    " time. Please contact your account executive."
                )
        if size.value > balance.available:
            raise NotEnoughFunds(size, Amount(tidy(balance.available), size.asset))

    @exact
    def settle(
        self,
        account: OneKontoAccount,
        order: OrderRecord,
        done: Fill,
        *,
        at: datetime,
    ) -> None:
        """Move the balances of a fill of ``order`` and book both legs in the ledger."""
        if done.spent <= 0:
            return
        source, destination = order.size.asset, order.destination
        paying = account.balance(source)
        if order.type == "limit":  # its size is held in locked while it rests
            paying.locked = tidy(paying.locked - done.spent)
        else:
            paying.free = tidy(paying.free - done.spent)
        gaining = account.balance(destination)
        gaining.free = tidy(gaining.free + done.received)
        order.spent = tidy(order.spent + done.spent)
        order.received = tidy(order.received + done.received)
        order.price = Price(ratio(order.received, order.spent), source, destination)
        order.updated_at = order.executed_at = at
        order.status = FILLED if order.unfilled <= 0 else PARTIALLY_FILLED
        self.state.record(account.account_id, "trade", Amount(-done.spent, source))
        self.state.record(account.account_id, "trade", Amount(done.received, destination))

    @exact
    def rest(self, account: OneKontoAccount, order: OrderRecord) -> None:
        """Hold a new limit order's size in ``locked`` while it waits for the market."""
        balance = account.balance(order.size.asset)
        balance.free = tidy(balance.free - order.size.value)
        balance.locked = tidy(balance.locked + order.size.value)

    @exact
    def release(self, account: OneKontoAccount, order: OrderRecord, *, at: datetime) -> None:
        """A resting order's ``endAt`` passed: its unfilled size goes back to ``free``."""
        balance = account.balance(order.size.asset)
        balance.locked = tidy(balance.locked - order.unfilled)
        balance.free = tidy(balance.free + order.unfilled)
        order.status = CANCELED
        order.updated_at = at

    @exact
    def fill_order(self, order: OrderRecord, fee: Decimal) -> Fill:
        """Fill what the market gives ``order`` now (within its limit, if it has one)."""
        book = self.book_for(order.size.asset, order.destination)
        if book is None:
            return Fill(_ZERO, _ZERO)
        limit = order.limit.value if order.limit is not None else None
        return fill(book, source=order.size.asset, size=order.unfilled, fee=fee, limit=limit)
