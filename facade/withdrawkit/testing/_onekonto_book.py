"""``FakeOneKonto``'s market: one order book per pair, shown and filled inclusive of fees.

A test sets each book's raw levels (``set_book("USDT/USD", bids=[...], asks=[...])``). What the
account sees, in Top of Book, Order Book, quotes and fills alike, is "inclusive of the account's
fees" (the Get Top of Book page): every bid lowered and every ask raised by the account's fee
rate. Orders fill against the levels and use them up, best price first.

Prices here are "destination per source" where an order is concerned: selling the base asset
hits the bids (a bid is quote per base), selling the quote asset lifts the asks (1/ask base per
quote). ``Fill`` says how much of the source went and how much destination came.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final

import attrs

from withdrawkit._amount import ASSET_CODE_PATTERN
from withdrawkit._root_error import InvalidArgument
from withdrawkit._text import short_repr
from withdrawkit.testing._money import divide_down, exact, ratio, tidy
from withdrawkit.testing._scene_checks import positive_decimal

__all__ = ["Book", "Fill", "Level", "effective_levels", "fill"]

_PAIR: Final = re.compile(f"{ASSET_CODE_PATTERN}/{ASSET_CODE_PATTERN}")
_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)


@attrs.define
class Level:
    price: Decimal
    size: Decimal


@attrs.define
class Book:
    """One pair's raw levels: ``bids`` best (highest) first, ``asks`` best (lowest) first."""

    base: str
    quote: str
    bids: list[Level] = attrs.field(factory=list)
    asks: list[Level] = attrs.field(factory=list)

    @classmethod
    def build(
        cls,
        pair: str,
        bids: Iterable[tuple[Decimal | int | str, Decimal | int | str]],
        asks: Iterable[tuple[Decimal | int | str, Decimal | int | str]],
    ) -> Book:
        if not isinstance(pair, str) or not _PAIR.fullmatch(pair):
            raise InvalidArgument(f"a pair is 'BASE/QUOTE' such as 'USDT/USD', got {pair!r}")
        base, _, quote = pair.partition("/")
        if base == quote:
            raise InvalidArgument(f"{pair}: a market pairs two different assets")
        book = cls(base, quote, _levels(bids), _levels(asks))
        book.bids.sort(key=lambda level: level.price, reverse=True)
        book.asks.sort(key=lambda level: level.price)
        if book.bids and book.asks and book.bids[0].price >= book.asks[0].price:
            raise InvalidArgument(f"{pair}: the best bid must be below the best ask")
        return book

    @property
    def pair(self) -> str:
        return f"{self.base}/{self.quote}"


def _levels(given: Iterable[tuple[Decimal | int | str, Decimal | int | str]]) -> list[Level]:
    levels = []
    for index, level in enumerate(given):
        # A string is a sequence too: "11" must not read as price 1, size 1.
        if isinstance(level, str | bytes) or not isinstance(level, Sequence) or len(level) != 2:
            raise InvalidArgument(
                f"book level {index} must be a (price, size) pair, got {short_repr(level)}"
            )
        price, size = level
        # scene_decimal refuses floats: a test's book is exact too.
        levels.append(
            Level(
                positive_decimal(f"book level {index} price", price),
                positive_decimal(f"book level {index} size", size),
            )
        )
    return levels


@exact
def effective_levels(book: Book, fee: Decimal, *, side: str) -> list[tuple[Decimal, Decimal]]:
    """``side`` ("bids" or "asks") as the account sees it: prices inclusive of its fee."""
    if side == "bids":
        return [(tidy(level.price * (_ONE - fee)), level.size) for level in book.bids]
    return [(tidy(level.price * (_ONE + fee)), level.size) for level in book.asks]


@attrs.frozen
class Fill:
    spent: Decimal  # of the source asset
    received: Decimal  # of the destination asset

    @property
    def price(self) -> Decimal:
        """Destination per source, the direction of 1Konto's order prices."""
        return ratio(self.received, self.spent)


@exact
def fill(
    book: Book, *, source: str, size: Decimal, fee: Decimal, limit: Decimal | None = None
) -> Fill:
    """Sell up to ``size`` of ``source`` against ``book``, using its levels up.

    With ``limit`` (the least destination accepted per unit of source) levels worse than it are
    left alone, so the fill may be partial or empty.
    """
    if source == book.base:
        return _sell_base(book, size, _ONE - fee, limit)
    if source == book.quote:
        return _sell_quote(book, size, _ONE + fee, limit)
    raise InvalidArgument(f"{source} is not in {book.pair}")


def _sell_base(book: Book, size: Decimal, factor: Decimal, limit: Decimal | None) -> Fill:
    spent = received = _ZERO
    for level in book.bids:
        price = level.price * factor
        if size - spent <= 0 or (limit is not None and price < limit):
            break
        taken = min(level.size, size - spent)
        level.size -= taken
        spent += taken
        received += taken * price
    book.bids = [level for level in book.bids if level.size > 0]
    return Fill(tidy(spent), tidy(received))


def _sell_quote(book: Book, size: Decimal, factor: Decimal, limit: Decimal | None) -> Fill:
    spent = received = _ZERO
    for level in book.asks:
        price = level.price * factor  # quote per base
        left = size - spent
        if left <= 0 or (limit is not None and price * limit > _ONE):
            break
        affordable = divide_down(left, price)  # the one rounding: down, to FILL_QUANTUM
        if affordable <= level.size:
            # This level finishes the order: spend exactly what is left, no rounding dust.
            level.size -= affordable
            spent, received = size, received + affordable
            break
        level.size, spent, received = _ZERO, spent + level.size * price, received + level.size
    book.asks = [level for level in book.asks if level.size > 0]
    return Fill(tidy(spent), tidy(received))
