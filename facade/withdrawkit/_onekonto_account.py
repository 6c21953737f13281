"""``OneKontoClient``'s account reads: balances, credit, deposit instructions and the ledger."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from withdrawkit import _onekonto_arguments as checked
from withdrawkit import _onekonto_models as models
from withdrawkit._arguments import documented_value, query
from withdrawkit._onekonto_operations import OneKontoOperations
from withdrawkit._response_reading import read_list, read_response

if TYPE_CHECKING:
    from withdrawkit_generated.onekonto import (
        Account,
        AccountCreditResponse,
        DepositInstruction,
        Transaction,
        TransactionType,
    )

__all__ = ["AccountMethods"]


class AccountMethods(OneKontoOperations):
    """getAccount, getAccountCredit, getDepositInstructions and getTransactions."""

    def get_account(self) -> Account:
        """The account and its balance per asset (``free``, ``locked``, ``available``...)."""
        answer = self._api.request("GET", self._account_path)
        return read_response(answer, models.AccountResponse, operation="get_account").account

    def get_account_credit(self) -> AccountCreditResponse:
        """Credit per asset, with the notional totals when the server sends them."""
        answer = self._api.request("GET", f"{self._account_path}/portfolio")
        return read_response(answer, models.AccountCreditResponse, operation="get_account_credit")

    def get_deposit_instructions(self) -> list[DepositInstruction]:
        """Where to send deposits, one instruction per asset (blockchain address or bank wire)."""
        answer = self._api.request("GET", f"{self._account_path}/request/deposit-instructions")
        response = read_response(
            answer, models.DepositInstructionsResponse, operation="get_deposit_instructions"
        )
        return response.instructions

    def get_transactions(
        self,
        *,
        max: int = 100,
        transaction_id: str | None = None,
        asset: str | None = None,
        type: TransactionType | str | None = None,
        start_at_ordering: int | None = None,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
    ) -> list[Transaction]:
        """Ledger entries (deposits, withdrawals, trades...) matching every filter given.

        ``max`` caps the count (1Konto requires one; 100 unless given); ``start_time`` and
        ``end_time`` are timezone-aware datetimes bounding the period; ``start_at_ordering``
        resumes from a value of ``Transaction.ordering``. ``type`` takes the documented
        ``TransactionType`` values only (``"deposit"``, ``"withdrawal"``, ``"trade"``...), exactly
        as written; any other raises ``InvalidArgument`` rather than list nothing.
        """
        params = query(
            {
                "max": checked.count(max, name="max"),
                "transactionId": transaction_id,
                "asset": None if asset is None else checked.asset_code(asset, name="asset"),
                "type": documented_value(type, models.TransactionType, name="type"),
                "startAtOrdering": checked.ordering(start_at_ordering),
                "startTimeUtc": checked.wire_datetime(start_time, name="start_time"),
                "endTimeUtc": checked.wire_datetime(end_time, name="end_time"),
            }
        )
        answer = self._api.request("GET", self._ledger_path, params=params)
        return read_list(
            answer,
            bare=list[models.Transaction],
            keyed=models.TransactionList,
            items=lambda listed: listed.transactions,
            key="transactions",
            operation="get_transactions",
        )
