"""The fake's order book arithmetic: a fill never spends more than asked or than the book holds,
prices are fee-inclusive, limits are kept, and a fill that finishes on a level spends exactly
the size (no rounding dust), whatever the levels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withdrawkit.testing._onekonto_book import Book, fill

prices = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(100000), places=4)
sizes = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1000), places=2)
levels = st.lists(
    st.tuples(prices, sizes), min_size=1, max_size=5, unique_by=lambda level: level[0]
)
fees = st.sampled_from([Decimal(0), Decimal("0.0005"), Decimal("0.01")])


@given(asks=levels, size=sizes, fee=fees)
def test_selling_the_quote_asset_spends_exactly_the_size_or_the_whole_book(
    asks: list[tuple[Decimal, Decimal]], size: Decimal, fee: Decimal
) -> None:
    book = Book.build("BTC/USD", [], asks)
    held = sum((level_size for _, level_size in asks), Decimal(0))
    cost = sum((p * (1 + fee) * s for p, s in asks), Decimal(0))
    done = fill(book, source="USD", size=size, fee=fee)
    if cost >= size:
        assert done.spent == size
    else:
        assert done.spent == cost.normalize()
        assert book.asks == []
    assert done.received <= held
    left = sum((level.size for level in book.asks), Decimal(0))
    assert left + done.received == held or abs(left + done.received - held) < Decimal("1E-20")


@given(bids=levels, size=sizes, fee=fees)
def test_selling_the_base_asset_hits_the_best_bids_first(
    bids: list[tuple[Decimal, Decimal]], size: Decimal, fee: Decimal
) -> None:
    book = Book.build("BTC/USD", bids, [])
    held = sum((level_size for _, level_size in bids), Decimal(0))
    done = fill(book, source="BTC", size=size, fee=fee)
    assert done.spent == min(size, held)
    best = max(price for price, _ in bids) * (1 - fee)
    if done.spent:
        assert done.price <= best


def test_a_limit_leaves_worse_levels_alone() -> None:
    book = Book.build("BTC/USD", [("60000", "1"), ("59000", "1"), ("58000", "1")], [])
    done = fill(book, source="BTC", size=Decimal(3), fee=Decimal(0), limit=Decimal(59000))
    assert (done.spent, done.received) == (Decimal(2), Decimal(119000))
    assert [(level.price, level.size) for level in book.bids] == [(Decimal(58000), Decimal(1))]


def test_a_crossed_or_float_book_is_refused() -> None:
    with pytest.raises(ValueError, match="below the best ask"):
        Book.build("USDT/USD", [("1.001", "1")], [("1.0005", "1")])
    with pytest.raises(TypeError):
        Book.build("USDT/USD", [(1.0, "1")], [])  # type: ignore[list-item]
    for pair in ("USDTUSD", "USDT/", "USDT/USD/EUR", "US DT/USD"):
        with pytest.raises(ValueError, match="BASE/QUOTE"):
            Book.build(pair, [], [])
