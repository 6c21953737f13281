"""``Price``: an exact price and its pair label, as 1Konto writes it (``"0.99954972 USDT/USD"``)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

import attrs

from withdrawkit._amount_rules import ASSET_CODE_PATTERN, AmountError
from withdrawkit._decimals import UNSIGNED_DECIMAL_PATTERN, check_magnitude, plain_text

# "<unsigned plain decimal> <BASE>/<QUOTE>" with exactly one space. The same grammar is the
# `pattern` of the AssetPrice schema in openapi/onekonto.yaml (tests/test_price.py holds the
# two together).
_PRICE_TEXT: Final = re.compile(
    rf"(?P<value>{UNSIGNED_DECIMAL_PATTERN})"
    rf" (?P<base>{ASSET_CODE_PATTERN})/(?P<quote>{ASSET_CODE_PATTERN})"
)
_ASSET_CODE: Final = re.compile(ASSET_CODE_PATTERN)
_UNSIGNED_DECIMAL: Final = re.compile(UNSIGNED_DECIMAL_PATTERN)


@attrs.frozen(init=False)
class Price:
    """An exact ``value`` labelled with the pair ``base``/``quote``:
    ``Price(Decimal("0.99954972"), "USDT", "USD")``, text ``"0.99954972 USDT/USD"``.

    1Konto does not use the label's direction consistently (its indicative-price example labels
    USDT per BTC ``BTC/USDT``), so ``Price`` keeps the label as written and derives nothing
    from its order. Floats are refused (``TypeError``); a negative, non-finite or absurdly large
    value and bad text are an ``AmountError``.
    """

    value: Decimal
    base: str
    quote: str

    def __init__(self, value: Decimal | int | str, base: str, quote: str) -> None:
        if isinstance(value, (float, bool)):
            raise TypeError(
                f"Price refuses {type(value).__name__} {value!r}: pass a Decimal or a string"
            )
        if isinstance(value, str):
            if not _UNSIGNED_DECIMAL.fullmatch(value):
                raise AmountError(f"{value!r} is not a plain, non-negative decimal number")
            value = Decimal(value)
        elif isinstance(value, int):
            value = Decimal(value)
        elif not isinstance(value, Decimal):
            raise TypeError(
                f"Price value must be a Decimal, int or str, not {type(value).__name__}"
            )
        if not value.is_finite() or value.is_signed():
            raise AmountError(f"a price must be a finite, non-negative number, got {value!r}")
        try:
            check_magnitude(value)
        except ValueError as error:
            raise AmountError(str(error)) from None
        for name, code in (("base", base), ("quote", quote)):
            if not isinstance(code, str) or not _ASSET_CODE.fullmatch(code):
                raise AmountError(f"{name} must be an asset code such as 'USDT', got {code!r}")
        self.__attrs_init__(value, base, quote)

    @classmethod
    def parse(cls, text: str) -> Price:
        """Read ``"<decimal> <BASE>/<QUOTE>"``, e.g. ``"0.99954972 USDT/USD"``."""
        if not isinstance(text, str):
            raise AmountError(f"price text must be a string such as '1.5 USDT/USD', got {text!r}")
        match = _PRICE_TEXT.fullmatch(text)
        if match is None:
            raise AmountError(
                f"{text[:80]!r} is not a price: expected '<decimal> <BASE>/<QUOTE>',"
                " such as '0.99954972 USDT/USD'"
            )
        return cls(Decimal(match["value"]), match["base"], match["quote"])

    @classmethod
    def coerce(cls, price: Price | str) -> Price:
        """Accept a ``Price`` or its text form, the way client methods take prices."""
        if isinstance(price, Price):
            return price
        if isinstance(price, str):
            return cls.parse(price)
        if isinstance(price, (float, bool)):
            raise TypeError(f"refusing {type(price).__name__} {price!r}: prices are never floats")
        raise AmountError(f"expected a Price or text such as '1.5 USDT/USD', got {price!r}")

    @property
    def pair(self) -> str:
        """The label as written, ``"USDT/USD"``."""
        return f"{self.base}/{self.quote}"

    def __str__(self) -> str:
        return f"{plain_text(self.value)} {self.base}/{self.quote}"


# Shown and pickled as withdrawkit.Price, the path users import from; its annotations are
# resolved first, as Amount's are (cattrs would otherwise look them up in that module).
attrs.resolve_types(Price)
Price.__module__ = "withdrawkit"
