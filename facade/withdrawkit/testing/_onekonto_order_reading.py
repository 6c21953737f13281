"""Reading ``FakeOneKonto``'s order and quote request bodies: each field's problem is recorded
under the name ``ValidationFailed`` gives it (``Size``, ``ClientOrderId``), as ``_onekonto_wire``
does for withdrawals, so one answer names every bad field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

from withdrawkit._amount import ASSET_CODE_PATTERN, Amount, AmountError
from withdrawkit._price import Price
from withdrawkit.testing._onekonto_trading_wire import CLIENT_ORDER_ID_MAX, read_time

__all__ = ["asset_field", "client_order_id", "end_at", "limit", "size"]

_ASSET_CODE: Final = re.compile(ASSET_CODE_PATTERN)


def asset_field(body: Mapping[str, Any], key: str, problems: dict[str, str]) -> str | None:
    value = body.get(key)
    field = key[0].upper() + key[1:]
    if value is None:
        problems[field] = "required"
        return None
    if not isinstance(value, str) or not _ASSET_CODE.fullmatch(value):
        problems[field] = "must be an asset code such as 'BTC'"
        return None
    return value


def size(body: Mapping[str, Any], source: str | None, problems: dict[str, str]) -> Amount | None:
    value = body.get("size")
    if value is None:
        problems["Size"] = "required"
        return None
    try:
        amount = Amount.parse(value) if isinstance(value, str) else None
    except AmountError:
        amount = None
    if amount is None:
        problems["Size"] = "must be an amount such as '10000 USDT'"
    elif amount.value <= 0:
        problems["Size"] = "must be positive"
    elif source is not None and amount.asset != source:
        problems["Size"] = f"must be in the source asset {source}"
    else:
        return amount
    return None


def client_order_id(body: Mapping[str, Any], problems: dict[str, str]) -> str | None:
    value = body.get("clientOrderId")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        problems["ClientOrderId"] = "must be a non-empty string"
        return None
    if len(value) > CLIENT_ORDER_ID_MAX:
        problems["ClientOrderId"] = f"over max length {CLIENT_ORDER_ID_MAX}"
        return None
    return value


def limit(
    body: Mapping[str, Any], source: str | None, destination: str | None, problems: dict[str, str]
) -> Price | None:
    """The limit price, labelled ``<source>/<destination>`` (the spec's reading of the page)."""
    value = body.get("limit")
    if value is None:
        problems["Limit"] = "required"
        return None
    try:
        price = Price.parse(value) if isinstance(value, str) else None
    except AmountError:
        price = None
    if price is None or price.value <= 0:
        problems["Limit"] = "must be a positive price such as '59000 BTC/USD'"
        return None
    if source and destination and (price.base, price.quote) != (source, destination):
        problems["Limit"] = f"must be labelled {source}/{destination}"
        return None
    return price


def end_at(body: Mapping[str, Any], now: datetime, problems: dict[str, str]) -> datetime | None:
    value = body.get("endAt")
    if value is None:
        return None
    try:
        when = read_time(value) if isinstance(value, str) else None
    except ValueError:
        when = None
    if when is None:
        problems["EndAt"] = "must be a date-time such as 2019-08-24T14:15:22Z"
    elif when <= now:
        problems["EndAt"] = "must be in the future"
    return when
