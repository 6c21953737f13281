"""The fakes' money arithmetic: exact at any number of digits, with one stated rounding.

Python's default decimal context keeps 28 significant digits and rounds silently past them,
so ``Decimal("1234567890123456789.123456789012") + 0`` loses digits. Every sum, difference and
product the fakes compute runs under ``EXACT`` instead (``@exact`` or ``with exactly():``),
whose precision is far beyond any amount a test writes and which raises ``decimal.Inexact``
rather than round. The one division a fill needs (how much base asset an amount of the quote
asset buys) is ``divide_down``: rounded towards zero to ``FILL_QUANTUM``, and the book and the
account then both move by that rounded amount. Ratios shown as prices (``ratio``) are not
money and keep ``PRICE_DIGITS`` significant digits.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import (
    ROUND_DOWN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    localcontext,
)
from typing import Final, ParamSpec, TypeVar

__all__ = ["EXACT", "FILL_QUANTUM", "PRICE_DIGITS", "divide_down", "exact", "exactly", "ratio"]
__all__ += ["tidy"]

P = ParamSpec("P")
R = TypeVar("R")

# 400 digits: an amount of 30 digits times a price of 30 times a fee factor of 30 is 90; the
# trap makes a result that would need more an error, never a rounding.
EXACT: Final = Context(prec=400, traps=[Inexact, InvalidOperation, DivisionByZero, Overflow])
# What a fill's one division is rounded down to: finer than any asset's smallest unit.
FILL_QUANTUM: Final = Decimal("1E-30")
PRICE_DIGITS: Final = 34
_DIVIDING: Final = Context(
    prec=EXACT.prec, rounding=ROUND_DOWN, traps=[InvalidOperation, DivisionByZero, Overflow]
)
_RATIO: Final = Context(
    prec=PRICE_DIGITS, rounding=ROUND_DOWN, traps=[InvalidOperation, DivisionByZero, Overflow]
)


@contextmanager
def exactly() -> Iterator[None]:
    """Run the block's decimal arithmetic under ``EXACT``."""
    with localcontext(EXACT):
        yield


def exact(function: Callable[P, R]) -> Callable[P, R]:
    """``function`` with its decimal arithmetic under ``EXACT``."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(EXACT):
            return function(*args, **kwargs)

    return run


def divide_down(dividend: Decimal, divisor: Decimal) -> Decimal:
    """``dividend / divisor`` (both positive) rounded towards zero to ``FILL_QUANTUM``.

    Truncating at 400 digits and then to the quantum is the exact floor: no digit is rounded up.
    """
    with localcontext(_DIVIDING):
        return tidy((dividend / divisor).quantize(FILL_QUANTUM, rounding=ROUND_DOWN))


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A price: ``numerator / denominator`` to ``PRICE_DIGITS`` significant digits, rounded down."""
    with localcontext(_RATIO):
        quotient = numerator / denominator
    return tidy(quotient)


def tidy(value: Decimal) -> Decimal:
    """``value`` without trailing zeros (``0.002020`` -> ``0.00202``, ``0.0`` -> ``0``), exactly.

    ``plain_text`` and ``wire_json`` still write it without an exponent (``1E+2`` as ``100``).
    """
    with localcontext(EXACT):
        return value.normalize() if value else Decimal(0)
