"""1Konto's arguments, checked and written the way its pages write them, before anything is sent."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from withdrawkit._amount_rules import ASSET_CODE_PATTERN
from withdrawkit._root_error import InvalidArgument

if TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit._price import Price

__all__ = [
    "CLIENT_ORDER_ID_MAX",
    "asset_code",
    "asset_pair",
    "asset_pairs",
    "client_order_id",
    "count",
    "limit_price",
    "ordering",
    "other_asset",
    "wire_datetime",
]

# The RFQ page's limit on clientOrderId.
CLIENT_ORDER_ID_MAX: Final = 1024

_ASSET_CODE: Final = re.compile(ASSET_CODE_PATTERN)
_ASSET_PAIR: Final = re.compile(f"{ASSET_CODE_PATTERN}/{ASSET_CODE_PATTERN}")


def asset_code(value: str, *, name: str) -> str:
    """An asset code such as ``"BTC"``, in upper case as 1Konto writes and matches them."""
    if not isinstance(value, str) or not _ASSET_CODE.fullmatch(value):
        raise InvalidArgument(f"{name} must be an asset code such as 'BTC', got {value!r}")
    _require_upper_case(value, name=name)
    return value


def other_asset(destination: str, *, size: Amount) -> str:
    """The asset an order of ``size`` buys: an asset code other than the one it sells."""
    code = asset_code(destination, name="destination")
    if code == size.asset:
        raise InvalidArgument(
            f"destination {code} is the asset the amount {size} is in: nothing to trade"
        )
    return code


def asset_pair(value: str, *, name: str = "asset_pair") -> str:
    """A pair ``"BASE/QUOTE"`` of two different assets, in upper case, such as ``"USDT/USD"``."""
    if not isinstance(value, str) or not _ASSET_PAIR.fullmatch(value):
        raise InvalidArgument(f"{name} must be a pair such as 'USDT/USD', got {value!r}")
    _require_upper_case(value, name=name)
    base, _, quote = value.partition("/")
    if base == quote:
        raise InvalidArgument(f"{name} {value!r} pairs {base} with itself: there is no such market")
    return value


def _require_upper_case(value: str, *, name: str) -> None:
    # Refused, not rewritten: see withdrawkit._arguments.
    if value != value.upper():
        raise InvalidArgument(
            f"{name}: asset codes are upper case at 1Konto, which would not know {value!r}: "
            f"write {value.upper()!r}"
        )


def asset_pairs(values: Sequence[str]) -> list[str]:
    """One or more pairs; a bare string is refused rather than read as a list of letters."""
    if isinstance(values, str):
        raise TypeError(f"asset_pairs must be a list of pairs, not one string: use [{values!r}]")
    pairs = [asset_pair(value, name="each asset pair") for value in values]
    if not pairs:
        raise InvalidArgument("asset_pairs must name at least one pair")
    return pairs


def count(value: int | None, *, name: str) -> int | None:
    """A positive ``int`` such as ``max`` or ``levels``, or None (the server's default)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidArgument(f"{name} must be a positive int, got {value!r}")
    return value


def ordering(value: int | None) -> int | None:
    """A value of the global ``ordering`` counter, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgument(f"start_at_ordering must be a non-negative int, got {value!r}")
    return value


def wire_datetime(value: datetime | None, *, name: str) -> str | None:
    """``value`` in UTC as the pages write instants: ``2022-12-21T22:07:38.6325460Z``.

    Seven fractional digits (the last always 0: Python keeps microseconds). A naive datetime
    names no instant and is refused.
    """
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidArgument(f"{name} must be timezone-aware, got the naive {value!r}")
    utc = value.astimezone(timezone.utc)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond:06d}0Z"


def client_order_id(value: str | None) -> str | None:
    """The RFQ request's ``clientOrderId``: the caller's, or None (then none is sent)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"client_order_id must be a string, got {type(value).__name__}")
    if not value.strip() or len(value) > CLIENT_ORDER_ID_MAX:
        raise InvalidArgument(
            f"client_order_id must be 1 to {CLIENT_ORDER_ID_MAX} characters, got {len(value)}"
        )
    return value


def limit_price(limit: Price | Decimal | str, *, size: Amount, destination: str) -> Price:
    """The limit of an order selling ``size`` for ``destination``, labelled source/destination.

    ``limit`` is the least amount of ``destination`` accepted per unit of the source asset: a
    ``Price`` (or its text) labelled ``<source>/<destination>``, or a bare ``Decimal`` that gets
    that label. A price with another label is refused rather than inverted by guesswork.
    """
    from withdrawkit._price import Price  # noqa: PLC0415 - with the first value (attrs)

    if isinstance(limit, Decimal):
        price = Price(limit, size.asset, destination)
    else:
        price = Price.coerce(limit)
    if (price.base, price.quote) != (size.asset, destination):
        raise InvalidArgument(
            f"limit {price} must be labelled {size.asset}/{destination}: the least "
            f"{destination} accepted per {size.asset} sold"
        )
    if price.value <= 0:
        raise InvalidArgument(f"limit must be positive, got {price}")
    return price
