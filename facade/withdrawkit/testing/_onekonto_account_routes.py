"""``FakeOneKonto``'s account reads: balances, credit and deposit instructions."""

from __future__ import annotations

from collections.abc import Mapping

from withdrawkit.testing import _onekonto_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._onekonto_base import OneKontoBase
from withdrawkit.testing._onekonto_errors import DEPOSIT_INSTRUCTIONS_NOT_FOUND, http_error

__all__ = ["AccountRoutes"]


class AccountRoutes(OneKontoBase):
    """getAccount, getAccountCredit and getDepositInstructions."""

    def _get_account(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        return json_response(200, wire.account_balances(account))

    def _get_account_credit(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        return json_response(200, wire.account_credit(account))

    def _get_deposit_instructions(
        self, request: FakeRequest, params: Mapping[str, str]
    ) -> FakeResponse:
        account = self._authorize(
            request, params["accountId"], not_found=DEPOSIT_INSTRUCTIONS_NOT_FOUND
        )
        instructions = wire.deposit_instructions(account)
        if not instructions:
            return http_error(404, DEPOSIT_INSTRUCTIONS_NOT_FOUND)
        body = {"accountId": account.account_id, "instructions": instructions, **wire.OK}
        return json_response(200, body)
