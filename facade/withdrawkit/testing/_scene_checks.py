"""Checking what a test passes to a fake's scene methods, before the scene changes.

A scene that cannot exist (an end user, account or id the fake does not have, an amount that is
not a number, a status outside the documented ones, completing what already finished) is
refused with ``InvalidArgument`` naming the argument, never accepted silently and never left to
surface as a ``KeyError`` or ``decimal.InvalidOperation``. As everywhere in withdrawkit a wrong
*type* is a ``TypeError``, a float given as money included: its digits may already be lost.

Two kinds of refusal are told apart for the control surface (``_control``), which answers them
404 and 409: ``UnknownName`` (the scene names something the fake does not have) and
``AlreadyFinished`` (the fake's state refuses the change). Both are ``InvalidArgument`` to a test.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Container
from decimal import Decimal
from typing import Final

from withdrawkit._amount import Amount
from withdrawkit._decimals import decimal_from_wire
from withdrawkit._root_error import InvalidArgument
from withdrawkit._text import short_repr

__all__ = [
    "AlreadyFinished",
    "UnknownName",
    "check_asset_code",
    "check_count",
    "check_flag",
    "check_known",
    "check_one_of",
    "check_reference",
    "check_text",
    "positive_amount",
    "positive_decimal",
    "scene_decimal",
    "whole_number",
]

_ZERO: Final = Decimal(0)
_UPPER_CASE_CODE: Final = re.compile(r"[A-Z][A-Z0-9]{0,15}")


class UnknownName(InvalidArgument):
    """The scene names an end user, account, asset or id the fake does not have."""


class AlreadyFinished(InvalidArgument):
    """The change cannot happen any more: the operation already reached a final status."""


def check_text(name: str, value: object) -> str:
    """``value`` itself when it is a non-empty string."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidArgument(f"{name} must not be empty")
    return value


def check_asset_code(name: str, value: object) -> str:
    """``value`` when it is an asset code as both vendors write one: an upper-case letter, then
    up to 15 upper-case letters or digits (``BTC``, ``USDT``, ``ETH2``); ``btc`` is a typo."""
    text = check_text(name, value)
    if not _UPPER_CASE_CODE.fullmatch(text):
        raise InvalidArgument(
            f"{name} must be an upper-case asset code such as 'BTC', got {short_repr(text)}"
        )
    return text


def check_count(name: str, value: object, *, minimum: int, maximum: int) -> int:
    """``value`` when it is an int from ``minimum`` to ``maximum`` (a bool is a ``TypeError``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {short_repr(value)}")
    if not minimum <= value <= maximum:
        raise InvalidArgument(f"{name} must be from {minimum} to {maximum}, got {value}")
    return value


def check_flag(name: str, value: object) -> bool:
    """``value`` itself when it is ``True`` or ``False`` (``"no"`` would be true)."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {short_repr(value)}")
    return value


def check_reference(name: str, value: object, *, max_length: int) -> str:
    """``value`` when it is a non-empty string of at most ``max_length`` characters with no
    control character (a newline in an id would split a log line or a header)."""
    text = check_text(name, value)
    if len(text) > max_length:
        raise InvalidArgument(f"{name} must be at most {max_length} characters, got {len(text)}")
    control = next((char for char in text if unicodedata.category(char) == "Cc"), None)
    if control is not None:
        raise InvalidArgument(f"{name} must not contain control characters, got {control!r}")
    return text


def check_one_of(name: str, value: object, allowed: Collection[str]) -> str:
    """``value`` when it is one of the documented ``allowed`` values, compared exactly."""
    text = check_text(name, value)
    if text not in allowed:
        raise InvalidArgument(f"{name} must be one of {sorted(allowed)}, got {text!r}")
    return text


def check_known(name: str, value: object, known: Container[str], *, hint: str = "") -> str:
    """``value`` when the fake has it, else ``UnknownName`` (``hint`` says how to add one)."""
    text = check_text(name, value)
    if text not in known:
        raise UnknownName(f"{name}: the fake has no {text!r}{f'; {hint}' if hint else ''}")
    return text


def scene_decimal(name: str, value: object, *, minimum: Decimal | None = _ZERO) -> Decimal:
    """``value`` (a Decimal, an int or decimal text) as a finite Decimal of at least
    ``minimum`` (``None``: any sign). Floats and bools are a ``TypeError``."""
    if isinstance(value, (float, bool)):
        raise TypeError(
            f"{name}: refusing {type(value).__name__} {value!r}; give a Decimal or decimal text"
        )
    if not isinstance(value, (Decimal, int, str)):
        raise TypeError(
            f"{name} must be a Decimal, an int or decimal text, got {short_repr(value)}"
        )
    try:
        number = decimal_from_wire(value)
    except ValueError as error:  # not a number, not finite, or absurdly large
        raise InvalidArgument(f"{name} must be a finite decimal number: {error}") from None
    if minimum is not None and number < minimum:
        raise InvalidArgument(f"{name} must be at least {minimum}, got {number}")
    return abs(number) if number.is_zero() else number  # "-0" never reaches the wire


def positive_decimal(name: str, value: object) -> Decimal:
    """``scene_decimal``, more than zero (a price, a rate)."""
    number = scene_decimal(name, value)
    if number <= 0:
        raise InvalidArgument(f"{name} must be more than 0, got {number}")
    return number


def whole_number(name: str, value: object) -> Decimal:
    """A count (``allowed_frequency``): a whole number, 0 or more, as ``scene_decimal`` reads."""
    number = scene_decimal(name, value)
    if number != number.to_integral_value():
        raise InvalidArgument(f"{name} must be a whole number, got {number}")
    return number


def positive_amount(name: str, amount: Amount | str) -> Amount:
    """``amount`` (an ``Amount`` or ``"1.5 BTC"``) when it is more than zero."""
    try:
        parsed = Amount.coerce(amount)  # a float is a TypeError there
    except InvalidArgument as error:
        raise InvalidArgument(f"{name}: {error}") from None
    if parsed.value <= 0:
        raise InvalidArgument(f"{name} must be positive, got {parsed}")
    return parsed
