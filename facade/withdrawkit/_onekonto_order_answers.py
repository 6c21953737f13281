"""Reading 1Konto's order answers, whichever generation of the API wrote them.

[B] writes an order's ``result.price`` as a price string, ``"1.000149865 USDT/USD"``: the
destination asset per unit of the source asset, labelled ``<source>/<destination>``. [A] Get
Order wrote a bare JSON number in the same direction (``0.0000411222366`` BTC per USDT for a
USDT -> BTC order). Such a number becomes that price string before the answer is structured,
labelled with the order's own ``source`` and ``destination``; without them it cannot be
labelled and the answer stays unreadable (``UnexpectedResponse``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from withdrawkit._decimals import plain_text

__all__ = ["labelled_prices"]


def labelled_prices(answer: Any) -> Any:
    """``answer`` (an order answer, an order listing or a bare array of orders) with every [A]
    numeric ``result.price`` written as [B]'s labelled price string; the rest as it was."""
    if isinstance(answer, list):
        return [_order(item) for item in answer]
    if not isinstance(answer, Mapping):
        return answer
    if "order" in answer:
        return {**answer, "order": _order(answer["order"])}
    if isinstance(answer.get("orders"), list):
        return {**answer, "orders": [_order(item) for item in answer["orders"]]}
    return answer


def _order(order: Any) -> Any:
    if not isinstance(order, Mapping) or not isinstance(order.get("result"), Mapping):
        return order
    price = order["result"].get("price")
    source, destination = order.get("source"), order.get("destination")
    numeric = isinstance(price, (Decimal, int)) and not isinstance(price, bool)
    if not numeric or not isinstance(source, str) or not isinstance(destination, str):
        return order
    labelled = f"{plain_text(Decimal(price))} {source}/{destination}"
    return {**order, "result": {**order["result"], "price": labelled}}
