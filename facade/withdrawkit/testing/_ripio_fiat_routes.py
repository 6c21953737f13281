"""``FakeRipio``'s fiat money: paying out to an end user's beneficiary bank account, reading and
listing fiat withdrawals (each read counts as a poll), listing those accounts, and reading fiat
deposits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from withdrawkit.testing import _ripio_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._ripio_base import RipioBase
from withdrawkit.testing._ripio_errors import not_enough_balance, not_found, validation_error
from withdrawkit.testing._ripio_pages import page_body
from withdrawkit.testing._ripio_state import (
    ENABLED,
    FiatWithdrawalRecord,
    Invalid,
    NotEnoughBalance,
)

__all__ = ["FIAT_DEPOSITS", "FIAT_WITHDRAWALS", "FiatRoutes"]

FIAT_WITHDRAWALS: Final = "/api/v1/fiat-withdrawals/"
FIAT_DEPOSITS: Final = "/api/v1/fiat-deposits/"


class FiatRoutes(RipioBase):
    """createFiatWithdrawal, getFiatWithdrawal, listFiatWithdrawals,
    listBeneficiaryFiatAccounts, listFiatDeposits and getFiatDeposit."""

    page_size: int

    def _create_fiat(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = wire.read_json_object(request)
        end_user_ref = wire.text(body, "end_user_id")
        amount = wire.positive_money(body, "amount")
        account_id = wire.text(body, "beneficiary_fiat_account_id")
        external_ref = wire.optional_text(body, "external_ref")
        try:
            end_user = self.state.end_user(end_user_ref)
            account = end_user.beneficiary_accounts.get(account_id)
            if account is None:
                raise Invalid(
                    f"beneficiary fiat account {account_id} is not an account of {end_user_ref}"
                )
            if account.status != ENABLED:
                raise Invalid(f"beneficiary fiat account {account_id} is {account.status}")
            self.state.debit(end_user, account.currency, amount)
        except Invalid as invalid:
            raise validation_error(invalid.message) from invalid
        except NotEnoughBalance as short:
            raise not_enough_balance(short.message) from short
        now = self.clock.now()
        record = FiatWithdrawalRecord(
            self.ids.uuid(),
            self.ids.uuid(),
            now,
            now,
            end_user_ref,
            amount,
            account.currency,
            account_id,
            external_ref,
        )
        self.state.fiat_withdrawals[record.id] = record
        self._announce_fiat_withdrawal(record)
        return json_response(201, wire.fiat_withdrawal_body(record))

    def _get_fiat(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        record = self.state.fiat_withdrawals.get(params["fiat_withdrawal_id"])
        if record is None:
            raise not_found()
        self._fiat_polled(record)
        return json_response(200, wire.fiat_withdrawal_body(record))

    def _list_fiat(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = page_body(
            request,
            list(self.state.fiat_withdrawals.values()),
            path=FIAT_WITHDRAWALS,
            page_size=self.page_size,
            render=wire.fiat_withdrawal_body,
            seen=self._fiat_polled,
        )
        return json_response(200, body)

    def _get_fiat_deposit(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        record = self.state.fiat_deposits.get(params["fiat_deposit_id"])
        if record is None:
            raise not_found()
        return json_response(200, wire.fiat_deposit_body(record))

    def _list_fiat_deposits(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = page_body(
            request,
            list(self.state.fiat_deposits.values()),
            path=FIAT_DEPOSITS,
            page_size=self.page_size,
            render=wire.fiat_deposit_body,
        )
        return json_response(200, body)

    def _fiat_polled(self, record: FiatWithdrawalRecord) -> None:
        if self.state.polled(record, self.pending_polls):
            self._complete_fiat_withdrawal(record.id)

    def _list_beneficiaries(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        wanted_status = request.query_value("status")
        wanted_method = request.query_value("payment_method_type")
        listed = [
            wire.beneficiary_body(account)
            for account in end_user.beneficiary_accounts.values()
            # The enum is upper case but the docs' example filters on "processing": accept both.
            if (wanted_status is None or account.status.lower() == wanted_status.lower())
            and (wanted_method is None or account.payment_method_type == wanted_method)
        ]
        return json_response(200, listed)
