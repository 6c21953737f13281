"""``FakeRipio``'s crypto withdrawals: holding a fee, creating a withdrawal, listing and reading
withdrawals (each read counts as a poll)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Final

from withdrawkit.testing import _ripio_wire as wire
from withdrawkit.testing._addresses import MAX_ADDRESS_LENGTH, address_problem
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._money import tidy
from withdrawkit.testing._ripio_base import RipioBase
from withdrawkit.testing._ripio_errors import not_enough_balance, not_found, validation_error
from withdrawkit.testing._ripio_pages import LINK_HOST, page_body
from withdrawkit.testing._ripio_state import (
    HeldFee,
    Invalid,
    Network,
    NotEnoughBalance,
    WithdrawalRecord,
)

__all__ = ["LINK_HOST", "MAX_ADDRESS_LENGTH", "WITHDRAWALS", "WithdrawalRoutes"]

WITHDRAWALS: Final = "/api/v1/withdrawals/"


class WithdrawalRoutes(RipioBase):
    """createWithdrawalFee, createWithdrawal, listWithdrawals and getWithdrawal."""

    page_size: int
    fee_lifetime: timedelta

    def _create_fee(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = wire.read_json_object(request)
        currency = wire.text(body, "currency")
        network = self._network(currency, wire.text(body, "network"))
        amount = wire.positive_money(body, "amount")
        held = self._hold_fee(currency, network, amount, wire.optional_text(body, "external_ref"))
        return json_response(201, wire.fee_body(held))

    def _hold_fee(
        self, currency: str, network: Network, amount: Decimal, external_ref: str | None = None
    ) -> HeldFee:
        held = HeldFee(
            self.ids.uuid(),
            currency,
            network,
            amount,
            network.gas_price,
            network.fee_for(amount),
            self.clock.now() + self.fee_lifetime,
            external_ref,
        )
        self.state.fees[held.id] = held
        return held

    def _create_withdrawal(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = wire.read_json_object(request)
        end_user_ref = wire.text(body, "end_user")
        currency = wire.text(body, "currency")
        address = wire.text(body, "address")
        network_text = wire.text(body, "network")
        amount = wire.positive_money(body, "amount")
        external_ref = wire.optional_text(body, "external_ref")
        fee_id = wire.optional_text(body, "withdrawal_fee_id")
        malformed = address_problem(network_text, address)
        if malformed is not None:
            raise validation_error(f"address: {malformed}")
        try:
            end_user = self.state.end_user(end_user_ref)
            network = self.state.network(currency, network_text)
            now = self.clock.now()
            total_fee, held = self.state.fee_to_apply(fee_id, currency, network, amount, now)
            self.state.debit(end_user, currency, amount + total_fee)
        except Invalid as invalid:
            raise validation_error(invalid.message) from invalid
        except NotEnoughBalance as short:
            raise not_enough_balance(short.message) from short
        record = WithdrawalRecord(
            self.ids.uuid(),
            now,
            end_user.external_ref,
            currency,
            amount,
            address,
            network.network_name,
            self.ids.uuid(),
            tidy(amount + total_fee),
            external_ref,
        )
        self.state.withdrawals[record.id] = record
        if held is not None:
            held.used_by = record.id
        self._announce_withdrawal(record)
        return json_response(201, wire.withdrawal_body(record))

    def _list_withdrawals(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = page_body(
            request,
            list(self.state.withdrawals.values()),
            path=WITHDRAWALS,
            page_size=self.page_size,
            render=wire.withdrawal_body,
            seen=self._polled,
        )
        return json_response(200, body)

    def _get_withdrawal(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        record = self.state.withdrawals.get(params["withdrawal_id"])
        if record is None:
            raise not_found()
        self._polled(record)
        return json_response(200, wire.withdrawal_body(record))

    def _network(self, currency: str, name: str) -> Network:
        try:
            return self.state.network(currency, name)
        except Invalid as invalid:
            raise validation_error(invalid.message) from invalid

    def _polled(self, record: WithdrawalRecord) -> None:
        if self.state.polled(record, self.pending_polls):
            self._complete_withdrawal(record.id)
