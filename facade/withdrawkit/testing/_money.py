"""Decimal results the fakes show: exact, and without the trailing zeros arithmetic leaves."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["tidy"]


def tidy(value: Decimal) -> Decimal:
    """``value`` without trailing zeros (``0.002020`` -> ``0.00202``, ``0.0`` -> ``0``).

    ``plain_text`` and ``wire_json`` still write it without an exponent (``1E+2`` as ``100``).
    """
    return value.normalize() if value else Decimal(0)
