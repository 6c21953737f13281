"""Reading an RFQ answer: the current two-sided [B] quote, or the older one-sided [A] one.

[A] answered ``{"orderId", "price", "result", "expiryTime"}``: the price and outcome of selling
the requested size. It becomes the one leg of a ``Quote`` whose ``source`` is that size:
``sell`` when the size is in the pair's base asset, ``buy`` when it is in the quote asset.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from withdrawkit import _onekonto_models as models
from withdrawkit._response_reading import read_response, unexpected

if TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit_generated.onekonto import Quote

__all__ = ["quote_in"]

_ONE_SIDED_KEYS = frozenset({"price", "result", "expiryTime"})


def quote_in(answer: Any, *, size: Amount, pair: str) -> Quote:
    """The quote of ``answer``, whichever generation of the API wrote it."""
    if isinstance(answer, Mapping) and _is_one_sided(answer):
        side = "sell" if size.asset == pair.split("/", maxsplit=1)[0] else "buy"
        leg = {
            "price": answer["price"],
            "source": str(size),
            "destination": answer["result"],
            "expiresAt": answer["expiryTime"],
        }
        answer = {"orderId": answer.get("orderId"), side: leg}
    quote = read_response(answer, models.Quote, operation="request_quote")
    if quote.buy is None and quote.sell is None:
        raise unexpected("request_quote: the quote has neither a buy nor a sell leg", answer)
    return quote


def _is_one_sided(answer: Mapping[str, Any]) -> bool:
    return answer.keys() >= _ONE_SIDED_KEYS and "buy" not in answer and "sell" not in answer
