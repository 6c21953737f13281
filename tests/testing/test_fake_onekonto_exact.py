"""The fake's money is exact at any number of digits: balances, ledger and fills never gain or
lose a digit (Python's default decimal context keeps only 28), and the one division a fill
needs rounds down to ``FILL_QUANTUM`` identically for the book and the account."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import withdrawkit as wk
from withdrawkit.testing import FakeClock, FakeOneKonto
from withdrawkit.testing._money import FILL_QUANTUM, exactly

START = datetime(2025, 6, 17, 21, 4, 33, tzinfo=timezone.utc)
ASSETS = ("USDT", "USD")


def ledger_sums(fake: FakeOneKonto) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(Decimal)
    with exactly():  # the default context would round these sums at 28 digits
        for entry in fake.ledger():
            sums[entry.amount.asset] += entry.amount.value
    return sums


def test_a_deposit_keeps_every_digit() -> None:
    fake = FakeOneKonto()
    fake.deposit("1234567890123456789.123456789012 USDT")
    fake.deposit("0.000000000000000000000000000001 USDT")
    assert fake.balance("USDT").free == Decimal(
        "1234567890123456789.123456789012000000000000000001"
    )
    with fake.mock(), fake.client() as client:
        usdt = client.get_account().balances["USDT"]
    assert usdt.free == Decimal("1234567890123456789.123456789012000000000000000001")


def test_a_market_order_past_28_digits_creates_and_destroys_nothing() -> None:
    # The review's case: an ask of 30 significant digits; 50 USDT buys BTC at it.
    fake = FakeOneKonto()
    fake.deposit("100 BTC")
    fake.deposit("50 USDT")
    fake.set_book("BTC/USDT", asks=[("24210.069776878545711065754069", "1")])
    with fake.mock(), fake.client() as client:
        order = client.place_market_order("50 USDT", destination="BTC")
    assert order.result is not None
    with exactly():
        received = fake.balance("BTC").free - Decimal(100)
        assert received == ledger_sums(fake)["BTC"] - Decimal(100)
        # Rounded down to the quantum, never up: the BTC bought costs at most the 50 USDT paid,
        # and one quantum more would cost more than that.
        ask = Decimal("24210.069776878545711065754069")
        assert received == received.quantize(FILL_QUANTUM)
        assert received * ask <= 50 < (received + FILL_QUANTUM) * ask
    assert fake.balance("USDT").free == 0


digits_25_to_30 = st.integers(min_value=25, max_value=30)


@st.composite
def long_decimals(draw: st.DrawFn, *, low: int, high: int) -> Decimal:
    """A Decimal in [low, high) with 25 to 30 significant digits."""
    digits = draw(digits_25_to_30)
    scale = digits - len(str(high))
    whole = draw(st.integers(min_value=low * 10**scale, max_value=high * 10**scale - 1))
    return Decimal(whole).scaleb(-scale)


steps = st.lists(
    st.tuples(
        st.sampled_from(["sell_base", "sell_quote", "limit_base", "limit_quote", "rfq", "tick"]),
        long_decimals(low=1, high=5000),
        long_decimals(low=1, high=2),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bid=long_decimals(low=0, high=1),
    ask=long_decimals(low=1, high=2),
    depth=long_decimals(low=10**5, high=10**6),
    deposit=long_decimals(low=10**17, high=10**18),
    fee=st.sampled_from([Decimal(0), Decimal("0.0005"), Decimal("0.00123456789012345678901")]),
    plan=steps,
)
def test_free_plus_locked_is_the_ledger_sum_and_never_negative(
    *,
    bid: Decimal,
    ask: Decimal,
    depth: Decimal,
    deposit: Decimal,
    fee: Decimal,
    plan: list[tuple[str, Decimal, Decimal]],
) -> None:
    fake = FakeOneKonto(clock=FakeClock(START))
    for asset in ASSETS:
        fake.deposit(f"{deposit} {asset}")
    fake.set_fee(fee)
    fake.set_book("USDT/USD", bids=[(bid or Decimal("0.5"), depth)], asks=[(ask, depth)])
    with fake.mock(), fake.client() as client:
        for kind, size, price in plan:
            with contextlib.suppress(wk.InsufficientFunds, wk.ValidationFailed):
                _step(fake, client, kind, size, price)
            sums = ledger_sums(fake)
            for asset in ASSETS:
                balance = fake.balance(asset)
                with exactly():
                    assert balance.free + balance.locked == sums[asset], (asset, balance)
                assert balance.free >= 0 and balance.locked >= 0, (asset, balance)
    for order in fake.orders():
        assert 0 <= order.spent <= order.size.value


def _step(
    fake: FakeOneKonto, client: wk.OneKontoClient, kind: str, size: Decimal, price: Decimal
) -> None:
    later = fake.clock.now() + timedelta(seconds=30)
    if kind == "sell_base":
        client.place_market_order(f"{size} USDT", destination="USD")
    elif kind == "sell_quote":
        client.place_market_order(f"{size} USD", destination="USDT")
    elif kind == "limit_base":
        limit = wk.Price(price / 2, "USDT", "USD")
        client.place_limit_order(f"{size} USDT", destination="USD", limit=limit, end_at=later)
    elif kind == "limit_quote":
        limit = wk.Price(price / 4, "USD", "USDT")
        client.place_limit_order(f"{size} USD", destination="USDT", limit=limit, end_at=later)
    elif kind == "rfq":
        quote = client.request_quote(f"{size} USD", asset_pair="USDT/USD")
        client.accept_quote(quote.order_id, side="buy")
    else:
        fake.clock.advance(20)
