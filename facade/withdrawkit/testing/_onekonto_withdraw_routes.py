"""``FakeOneKonto``'s withdrawals: blockchain and fiat withdraw requests, and querying them.

A request may leave out where the money goes when the account's whitelist names exactly one fit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from withdrawkit._amount import Amount
from withdrawkit.testing import _onekonto_wire as wire
from withdrawkit.testing._addresses import address_problem
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._onekonto_base import OneKontoBase
from withdrawkit.testing._onekonto_errors import InvalidFieldsRefusal, insufficient_funds
from withdrawkit.testing._onekonto_state import (
    BLOCKCHAIN,
    NotEnoughFunds,
    OneKontoAccount,
    WithdrawRequestRecord,
)
from withdrawkit.testing._request_reading import positive_count

__all__ = ["DEFAULT_MAX", "WithdrawRoutes"]

# How many withdraw requests a query lists when it gives no ``max``.
DEFAULT_MAX: Final = 100


class WithdrawRoutes(OneKontoBase):
    """requestWithdrawBlockchain, requestWithdrawFiat and queryWithdrawRequests."""

    def _withdraw_blockchain(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        body = wire.read_json_object(request)
        problems: dict[str, str] = {}
        amount = wire.read_amount(body, problems)
        network = wire.optional_text(body, "network", "Network", problems)
        address = wire.optional_text(body, "address", "Address", problems)
        instructions = wire.instructions(body, problems)
        self._check_asset(amount, problems)
        malformed = None if address is None else address_problem(None, address)
        if malformed is not None:
            problems["Address"] = malformed
        elif not {"Network", "Address"} & problems.keys():
            # Network and address may be left out when the whitelist identifies the wallet.
            matching = self.state.whitelisted_wallets(account, network, address)
            if len(matching) == 1:
                ((known_network, address),) = matching
                network = network or known_network
            else:
                problems.update(self._wallet_problem(account, len(matching), network, address))
        if problems or amount is None:
            raise InvalidFieldsRefusal(problems)
        record = WithdrawRequestRecord(
            self.ids.onekonto_id(),
            account.account_id,
            amount,
            BLOCKCHAIN,
            self.clock.now(),
            network=network,
            address=address,
            instructions=instructions,
        )
        return self._accept(record)

    def _withdraw_fiat(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        body = wire.read_json_object(request)
        problems: dict[str, str] = {}
        amount = wire.read_amount(body, problems)
        method = wire.optional_text(body, "type", "Type", problems)
        routing = wire.optional_text(body, "routingNumber", "RoutingNumber", problems)
        number = wire.optional_text(body, "accountNumber", "AccountNumber", problems)
        instructions = wire.instructions(body, problems)
        self._check_asset(amount, problems)
        if method is None and "Type" not in problems:
            problems["Type"] = "required"
        if not {"RoutingNumber", "AccountNumber"} & problems.keys():
            # The bank numbers may be left out when the whitelist identifies the bank account.
            matching = self.state.whitelisted_bank_accounts(account, routing, number)
            if len(matching) == 1:
                ((routing, number),) = matching
            else:
                problems["AccountNumber"] = wire.bank_account_problem(
                    len(matching), routing, number
                )
        if problems or amount is None or method is None:
            raise InvalidFieldsRefusal(problems)
        record = WithdrawRequestRecord(
            self.ids.onekonto_id(),
            account.account_id,
            amount,
            method,
            self.clock.now(),
            routing_number=routing,
            account_number=number,
            instructions=instructions,
        )
        return self._accept(record)

    def _wallet_problem(
        self, account: OneKontoAccount, matches: int, network: str | None, address: str | None
    ) -> dict[str, str]:
        """Why no single whitelisted wallet fits: the address is whitelisted on another network,
        cannot be an address on this one, or is not whitelisted."""
        if matches == 0 and address is not None and network is not None:
            elsewhere = self.state.networks_of(account, address)
            if elsewhere:
                return wire.wallet_problem(0, network, address, elsewhere=elsewhere)
            malformed = address_problem(network, address)
            if malformed is not None:
                return {"Address": malformed}
        return wire.wallet_problem(matches, network, address)

    def _check_asset(self, amount: Amount | None, problems: dict[str, str]) -> None:
        if amount is not None and amount.asset not in self.state.assets:
            problems["Asset"] = f"unknown asset {amount.asset}"

    def _accept(self, record: WithdrawRequestRecord) -> FakeResponse:
        try:
            self.state.accept(record)
        except NotEnoughFunds as short:
            return insufficient_funds(short)
        return json_response(200, wire.withdraw_receipt(record))

    def _query_withdraws(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        max_text = request.query_value("max")
        limit = DEFAULT_MAX
        if max_text is not None:
            given = positive_count(max_text)
            if given is None:
                raise InvalidFieldsRefusal({"Max": "must be a positive integer"})
            limit = given
        filters = {
            "status": request.query_value("status"),
            "withdraw_request_id": request.query_value("withdrawRequestId"),
            "network": request.query_value("network"),
            "type": request.query_value("type"),
            "amount": request.query_value("amount"),
        }
        newest_first = reversed(list(self.state.withdraw_requests.values()))
        chosen = [
            record
            for record in newest_first
            if record.account_id == account.account_id and _matches(record, filters)
        ][:limit]
        for record in chosen:
            self.state.observe(record, self.pending_polls)
        listed = [wire.withdraw_request_body(record) for record in chosen]
        return json_response(200, {"withdrawRequests": listed, **wire.OK})


def _matches(record: WithdrawRequestRecord, filters: Mapping[str, str | None]) -> bool:
    wanted_amount = filters["amount"]
    return (
        (filters["status"] is None or record.status == filters["status"])
        and (
            filters["withdraw_request_id"] is None
            or record.withdraw_request_id == filters["withdraw_request_id"]
        )
        and (
            filters["network"] is None
            or (record.network or "").lower() == (filters["network"] or "").lower()
        )
        and (filters["type"] is None or record.type == filters["type"])
        and (wanted_amount is None or str(record.amount) == wanted_amount)
    )
