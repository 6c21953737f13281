"""Exact decimal text: the one place where wire values become Decimal and back."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

from withdrawkit._text import short_repr

# Digits are spelled [0-9], never \d: in Python \d matches every Unicode digit (U+0661
# ARABIC-INDIC DIGIT ONE, U+FF10 FULLWIDTH DIGIT ZERO, ...), which Decimal() reads as 1 and 0.

# A plain decimal as amounts write it: optional minus, integer digits without leading zeros,
# optional fraction. No exponent, no grouping, no plus sign.
PLAIN_DECIMAL_PATTERN: Final = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
# The same without the minus: prices.
UNSIGNED_DECIMAL_PATTERN: Final = r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
# What a JSON number (or a vendor's numeric string) may look like, exponent included.
JSON_NUMBER: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")

# The largest |Decimal.adjusted()| (the power of ten of the leading digit) withdrawkit accepts.
# Real values sit between about 1e-28 (1Konto writes 28 significant digits) and 1e30 (token
# supplies counted in 18-decimal base units), so 1000 never refuses money, while it caps what
# an accepted number costs to write out in full: without an exponent a number takes about
# |adjusted()| characters, so a 12-byte "1e999999999" would otherwise become a gigabyte of
# zeros in plain_text(), wire_json.dumps() or an error message. It also keeps every accepted
# value, and products of two of them, far inside the default Decimal context (Emax 999999).
MAX_ADJUSTED_EXPONENT: Final = 1000


def check_magnitude(value: Decimal) -> Decimal:
    """``value`` itself when finite and within ±10**MAX_ADJUSTED_EXPONENT, else ValueError."""
    if not value.is_finite():
        raise ValueError(f"{value!r} is not a finite decimal")
    if abs(value.adjusted()) > MAX_ADJUSTED_EXPONENT:
        # Not value!r: the message itself must stay short.
        raise ValueError(
            f"refusing a decimal of magnitude 1E{value.adjusted():+d}: withdrawkit reads numbers"
            f" between 1E-{MAX_ADJUSTED_EXPONENT} and 1E+{MAX_ADJUSTED_EXPONENT}"
        )
    return value


def decimal_from_json_number(text: str) -> Decimal:
    """The ``parse_float`` hook of the JSON decoders: exact, and refused when absurdly large."""
    return check_magnitude(Decimal(text))


def decimal_from_wire(value: object) -> Decimal:
    """Read a Decimal from what a JSON document carried: a number or a numeric string.

    Floats are refused: by the time a value is a float its digits may already be lost, so
    the JSON must be decoded with ``parse_float=Decimal`` (see withdrawkit._wire_json).
    Values beyond ``MAX_ADJUSTED_EXPONENT`` are refused with ValueError.
    """
    if isinstance(value, (bool, float)):
        raise TypeError(f"refusing {type(value).__name__} {value!r}: money is never a float")
    if isinstance(value, Decimal):
        return check_magnitude(value)
    if isinstance(value, int):
        return check_magnitude(Decimal(value))
    if isinstance(value, str) and JSON_NUMBER.fullmatch(value.strip()):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation as error:  # pragma: no cover - the pattern admits only numbers
            raise ValueError(f"{value!r} is not a decimal number") from error
        return check_magnitude(parsed)
    raise ValueError(f"{short_repr(value)} is not a decimal number")


def plain_text(value: Decimal) -> str:
    """Every digit of ``value``, never in exponent notation (1E-8 -> 0.00000001).

    Refuses (ValueError) what ``decimal_from_wire`` refuses: non-finite values and those
    beyond ``MAX_ADJUSTED_EXPONENT``, whose plain text would be absurdly long.
    """
    return format(check_magnitude(value), "f")
