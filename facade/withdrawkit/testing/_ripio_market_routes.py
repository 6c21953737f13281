"""``FakeRipio``'s market rates and transactions.

Ripio's transaction schema was never visible, so the fake's transaction objects are its own
minimal reading: one per withdrawal, fiat withdrawal and fiat deposit, under its
``transaction_id``, with ``id``, ``type``, ``end_user_id``, ``currency``, ``amount``, ``status``
and ``created_at``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from withdrawkit.testing import _ripio_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._ripio_base import RipioBase
from withdrawkit.testing._ripio_errors import not_found
from withdrawkit.testing._ripio_pages import page_body
from withdrawkit.testing._ripio_state import (
    FiatDepositRecord,
    FiatWithdrawalRecord,
    WithdrawalRecord,
)

__all__ = ["TRANSACTIONS", "MarketRoutes"]

TRANSACTIONS: Final = "/api/v1/transactions/"


class MarketRoutes(RipioBase):
    """listRates, listTransactions and getTransaction."""

    page_size: int

    def _list_rates(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        rates = [wire.rate_body(pair, *rate) for pair, rate in self.state.rates.items()]
        return json_response(200, rates)

    def _list_transactions(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = page_body(
            request,
            self._transactions(),
            path=TRANSACTIONS,
            page_size=self.page_size,
            render=_same,
        )
        return json_response(200, body)

    def _get_transaction(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        wanted = params["transaction_id"]
        for transaction in self._transactions():
            if transaction["id"] == wanted:
                return json_response(200, transaction)
        raise not_found()

    def _transactions(self) -> list[dict[str, Any]]:
        """Every transaction, oldest first."""
        state = self.state
        records: list[WithdrawalRecord | FiatWithdrawalRecord | FiatDepositRecord] = [
            *state.withdrawals.values(),
            *state.fiat_withdrawals.values(),
            *state.fiat_deposits.values(),
        ]
        listed = [wire.transaction_body(record) for record in records]
        return sorted(listed, key=lambda transaction: str(transaction["created_at"]))


def _same(transaction: dict[str, Any]) -> dict[str, Any]:
    return transaction
