"""``RipioClient``'s market rates and executed transactions.

Transactions are loosely typed: their schema was never visible in Ripio's pages, so each is the
JSON object as it arrived (a ``dict``; numbers as ``Decimal``), never a guess at fields.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from withdrawkit import _ripio_models as models
from withdrawkit import _wire_json as wire_json
from withdrawkit._arguments import path_segment
from withdrawkit._auth import AuthorizedTransport
from withdrawkit._pagination import Page, iterate_pages
from withdrawkit._response_reading import decoder_for, read_response

if TYPE_CHECKING:
    from withdrawkit_generated.ripio import Rate

__all__ = ["MarketAndTransactions"]

TRANSACTIONS = "/api/v1/transactions/"


class MarketAndTransactions:
    """listRates, listTransactions and getTransaction.

    One of the operation groups ``RipioClient`` joins; it sends through the client's
    ``_api`` (requests that carry the bearer token).
    """

    _api: AuthorizedTransport

    def list_rates(self) -> list[Rate]:
        """The last buy and sell rate of every pair (``BTC_USD``...), as exact Decimals."""
        answer = self._api.request("GET", "/api/v1/rates/", decode=decoder_for(list[models.Rate]))
        return read_response(answer, list[models.Rate], operation="list_rates")

    def get_transaction(self, transaction_id: str) -> dict[str, Any]:
        """One executed transaction (a withdrawal's ``transaction_id``), as Ripio sent it."""
        path = f"{TRANSACTIONS}{path_segment(transaction_id)}/"
        answer = self._api.request("GET", path)
        return read_response(answer, dict[str, Any], operation="get_transaction")

    def list_transactions(self) -> Iterator[dict[str, Any]]:
        """Every executed transaction of the partner, page after page, checked like
        ``list_withdrawals`` (the page envelope is inferred; each item is kept whole)."""
        return iterate_pages(self._transaction_page, key=_identity)

    def _transaction_page(self, number: int) -> Page[dict[str, Any]]:
        answer = self._api.request("GET", TRANSACTIONS, params={"page": str(number)})
        page = read_response(answer, models.TransactionPage, operation="list_transactions")
        return Page(page.results, page.next, page.count)


def _identity(transaction: dict[str, Any]) -> str:
    # No field is documented to identify a transaction. Its ``id`` does when it has one (the
    # retrieve path takes one); otherwise the whole object does, since two rows equal in every
    # key are the same transaction listed twice.
    identifier = transaction.get("id")
    return identifier if isinstance(identifier, str) else wire_json.dumps(transaction)
