"""Exact decimal text: the one place where wire values become Decimal and back."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

# A plain decimal as amounts write it: optional minus, integer digits without leading zeros,
# optional fraction. No exponent, no grouping, no plus sign.
PLAIN_DECIMAL_PATTERN = r"-?(?:0|[1-9]\d*)(?:\.\d+)?"
# What a JSON number (or a vendor's numeric string) may look like, exponent included.
JSON_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def decimal_from_wire(value: object) -> Decimal:
    """Read a Decimal from what a JSON document carried: a number or a numeric string.

    Floats are refused: by the time a value is a float its digits may already be lost, so
    the JSON must be decoded with ``parse_float=Decimal`` (see withdrawkit.wire_json).
    """
    if isinstance(value, (bool, float)):
        raise TypeError(f"refusing {type(value).__name__} {value!r}: money is never a float")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value!r} is not a finite decimal")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str) and JSON_NUMBER.fullmatch(value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"{value!r} is not a decimal number") from error
    raise ValueError(f"{value!r} is not a decimal number")


def plain_text(value: Decimal) -> str:
    """Every digit of ``value``, never in exponent notation (1E-8 -> 0.00000001)."""
    if not value.is_finite():
        raise ValueError(f"{value!r} is not a finite decimal")
    return format(value, "f")
