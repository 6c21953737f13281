"""``OneKontoClient``'s market data: top of book, order book and indicative prices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from withdrawkit import _onekonto_arguments as checked
from withdrawkit import _onekonto_models as models
from withdrawkit._arguments import query, withdrawal_amount
from withdrawkit._decimals import plain_text
from withdrawkit._error_mapping import ONEKONTO as PROVIDER
from withdrawkit._onekonto_operations import OneKontoOperations
from withdrawkit._response_reading import read_response

if TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit_generated.onekonto import IndicativePrice, OrderBook, TopOfBook

__all__ = ["MarketDataMethods"]


class MarketDataMethods(OneKontoOperations):
    """getTopOfBook, getOrderBook and requestIndicativePrice."""

    def get_top_of_book(self, asset_pairs: list[str] | tuple[str, ...]) -> dict[str, TopOfBook]:
        """Best bid and ask per pair (``["USDT/USD", "USDC/USD"]``), inclusive of the account's
        fees: ``.spread`` and ``.ask``/``.bid`` as ``[price, size]`` Decimals, keyed by pair.

        A list or tuple, not any ``Sequence``: one pair as a bare string (a sequence of its
        letters) would otherwise type-check; it raises ``TypeError`` at run time too."""
        params = {"assetPairs": ",".join(checked.asset_pairs(asset_pairs))}
        answer = self._api.request("GET", f"{self._routing_path}/topofbook", params=params)
        return read_response(
            answer, models.TopOfBookResponse, operation="get_top_of_book"
        ).top_of_books

    def get_order_book(self, asset_pair: str, *, levels: int | None = None) -> OrderBook:
        """The pair's depth: ``.bids`` (best first) and ``.asks`` as ``[price, size]`` levels, and
        ``.nbbo``; ``levels`` per side (the server's default is 25)."""
        params = query(
            {
                "assetPair": checked.asset_pair(asset_pair),
                "levels": checked.count(levels, name="levels"),
            }
        )
        answer = self._api.request("GET", f"{self._routing_path}/book", params=params)
        return read_response(answer, models.OrderBook, operation="get_order_book")

    def request_indicative_price(
        self, amount: Amount | str, *, destination: str, quote: str
    ) -> IndicativePrice:
        """What selling ``amount`` (``"50 USDT"``) for ``destination`` would give, non-binding,
        with the price expressed in ``quote``: ``.source``, ``.destination`` (Amounts), ``.price``.

        The size goes out as the bare number the vendor's example sends (``size=50``), its asset
        as ``source``. A zero or negative amount raises ``ValidationFailed`` before anything is
        sent.
        """
        size = withdrawal_amount(amount, provider=PROVIDER)
        params = {
            "source": size.asset,
            "destination": checked.other_asset(destination, size=size),
            "size": plain_text(size.value),
            "quote": checked.asset_code(quote, name="quote"),
        }
        answer = self._api.request("GET", f"{self._routing_path}/order/estimate", params=params)
        return read_response(answer, models.IndicativePrice, operation="request_indicative_price")
