"""``Amount``: an exact quantity of one asset, as 1Konto writes it (``"0.5 BTC"``)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

import attrs

from withdrawkit._amount_rules import ASSET_CODE_PATTERN, AmountError
from withdrawkit._decimals import PLAIN_DECIMAL_PATTERN, check_magnitude, plain_text

__all__ = ["ASSET_CODE_PATTERN", "Amount", "AmountError"]

# "<plain decimal> <ASSET>" with exactly one space. The same grammar is the `pattern` of the
# AssetAmount schema in openapi/onekonto.yaml (tests/test_amount.py holds the two together).
_AMOUNT_TEXT: Final = re.compile(
    rf"(?P<value>{PLAIN_DECIMAL_PATTERN}) (?P<asset>{ASSET_CODE_PATTERN})"
)
_PLAIN_DECIMAL: Final = re.compile(PLAIN_DECIMAL_PATTERN)
_ASSET_CODE: Final = re.compile(ASSET_CODE_PATTERN)


@attrs.frozen(init=False)
class Amount:
    """An exact ``value`` of ``asset``: ``Amount(Decimal("1.5"), "BTC")``.

    Floats are refused (``TypeError``): their binary digits are not the decimal the caller meant.
    Values beyond ``_decimals.MAX_ADJUSTED_EXPONENT`` (e.g. ``1E+5000``) are an ``AmountError``.
    """

    value: Decimal
    asset: str

    def __init__(self, value: Decimal | int | str, asset: str) -> None:
        if isinstance(value, (float, bool)):
            raise TypeError(
                f"Amount refuses {type(value).__name__} {value!r}: pass a Decimal or a string"
            )
        if isinstance(value, str):
            value = _parse_value(value)
        elif isinstance(value, int):
            value = Decimal(value)
        elif not isinstance(value, Decimal):
            raise TypeError(
                f"Amount value must be a Decimal, int or str, not {type(value).__name__}"
            )
        if not value.is_finite():
            raise AmountError(f"amount value must be a finite number, got {value!r}")
        try:
            check_magnitude(value)
        except ValueError as error:
            raise AmountError(str(error)) from None
        if not isinstance(asset, str) or not _ASSET_CODE.fullmatch(asset):
            raise AmountError(f"asset must be a code such as 'BTC', got {asset!r}")
        self.__attrs_init__(value, asset)

    @classmethod
    def parse(cls, text: str) -> Amount:
        """Read ``"<decimal> <ASSET>"``, e.g. ``"0.00206525633592975968892629 BTC"``."""
        if not isinstance(text, str):
            raise AmountError(f"amount text must be a string such as '1.5 BTC', got {text!r}")
        match = _AMOUNT_TEXT.fullmatch(text)
        if match is None:
            raise AmountError(
                f"{text!r} is not an amount: expected '<decimal> <ASSET>', such as '1.5 BTC'"
            )
        return cls(Decimal(match["value"]), match["asset"])

    @classmethod
    def coerce(cls, amount: Amount | str) -> Amount:
        """Accept an ``Amount`` or its text form, the way every client method takes amounts."""
        if isinstance(amount, Amount):
            return amount
        if isinstance(amount, str):
            return cls.parse(amount)
        if isinstance(amount, (float, bool)):
            raise TypeError(
                f"refusing {type(amount).__name__} {amount!r}: amounts are never floats"
            )
        raise AmountError(f"expected an Amount or text such as '1.5 BTC', got {amount!r}")

    def __str__(self) -> str:
        return f"{plain_text(self.value)} {self.asset}"


def _parse_value(text: str) -> Decimal:
    if not _PLAIN_DECIMAL.fullmatch(text):
        raise AmountError(f"{text!r} is not a plain decimal number")
    return Decimal(text)


# Shown and pickled as withdrawkit.<name>, the path users import from. Amount's annotations are
# resolved first: later resolution (cattrs does it) would look names up in that module instead.
attrs.resolve_types(Amount)
Amount.__module__ = "withdrawkit"
