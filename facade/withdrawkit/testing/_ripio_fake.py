"""``FakeRipio``: a stateful fake of Ripio B2B's token, withdrawal-fee, withdrawal, fiat-withdrawal
and end-user API.

Wire shapes follow ``openapi/ripio.yaml``; ``_ripio_wire`` reads and writes them and
``_ripio_errors`` holds Ripio's error envelope and the codes the fake answers with. This module
sets the scene and lists the routes; each group of routes is a class of handlers in its own module
(``_ripio_*_routes``), which ``FakeRipio`` inherits.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, Final

import attrs

from withdrawkit._amount import Amount
from withdrawkit._root_error import InvalidArgument
from withdrawkit.testing._clock import FakeClock
from withdrawkit.testing._exchange import FakeRequest, FakeResponse
from withdrawkit.testing._provider import RouteHandler
from withdrawkit.testing._ripio_end_user_routes import EndUserRoutes
from withdrawkit.testing._ripio_errors import not_found, server_error_page
from withdrawkit.testing._ripio_fiat_routes import FiatRoutes
from withdrawkit.testing._ripio_state import (
    ENABLED,
    BeneficiaryAccount,
    EndUserRecord,
    FiatWithdrawalRecord,
    HeldFee,
    Network,
    RipioState,
    WithdrawalRecord,
)
from withdrawkit.testing._ripio_token_routes import TokenRoutes
from withdrawkit.testing._ripio_withdrawal_routes import WITHDRAWALS, WithdrawalRoutes
from withdrawkit.testing._routing import RouteTable

__all__ = ["FakeRipio"]

DEFAULT_BASE_URL: Final = "https://ripio.fake"
DEFAULT_CLIENT_ID: Final = "test-client-id"
DEFAULT_CLIENT_SECRET: Final = "test-client-secret"  # noqa: S105 - a fake's test credentials
DEFAULT_END_USER: Final = "customer_10"
DEFAULT_FEE_LIFETIME: Final = timedelta(seconds=15)
DEFAULT_PAGE_SIZE: Final = 10

_END_USER: Final = "/api/v1/end-users/{end_user_id}/"

# (currency, request name, response network_name, gas price, fee rate)
_DEFAULT_NETWORKS: Final = (
    ("BTC", "BITCOIN", "BITCOIN", "0.00001", "0.0005"),
    ("BTC", "BITCOIN_TESTNET", "BITCOIN", "0.00001", "0.0005"),
    ("ETH", "ETHEREUM", "ETHEREUM", "0.00001", "0.005"),
    ("ETH", "ETHEREUM_SEPOLIA", "ETHEREUM_SEPOLIA", "0.00001", "0.005"),
    ("USDT", "POLYGON", "POLYGON", "0.01", "0.001"),
)


class FakeRipio(TokenRoutes, WithdrawalRoutes, FiatRoutes, EndUserRoutes):
    """A fake Ripio B2B with one API client and one end user (``customer_10``) ready to use.

    Networks for BTC, ETH and USDT are configured (``add_network`` for more); balances start
    empty: ``deposit("customer_10", "2 BTC")``. Withdrawals start ``PENDING`` and complete when
    the test calls ``complete(id)``, or by themselves once clients have seen them
    ``pending_polls`` times. ``page_size`` sets how many withdrawals a list page holds.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        pending_polls: int | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        fee_lifetime: timedelta = DEFAULT_FEE_LIFETIME,
        clock: FakeClock | None = None,
        seed: int | str | None = 0,
    ) -> None:
        self.state = RipioState()
        super().__init__(base_url=base_url, clock=clock, seed=seed, pending_polls=pending_polls)
        self.page_size = page_size
        self.fee_lifetime = fee_lifetime
        for currency, network, network_name, gas_price, fee_rate in _DEFAULT_NETWORKS:
            self.add_network(
                currency,
                network,
                network_name=network_name,
                gas_price=gas_price,
                fee_rate=fee_rate,
            )
        self.client_id = DEFAULT_CLIENT_ID
        self.client_secret = DEFAULT_CLIENT_SECRET
        self.end_user = DEFAULT_END_USER
        self.add_client(self.client_id, self.client_secret)
        self.add_end_user(self.end_user)

    # -- setting the scene ------------------------------------------------------------------------

    @property
    def page_size(self) -> int:
        return self._page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        if value < 1:
            raise InvalidArgument(f"page_size must be at least 1, got {value!r}")
        self._page_size = value

    def add_client(self, client_id: str, client_secret: str) -> None:
        """API credentials that getAccessToken accepts."""
        with self._lock:
            self.state.clients[client_id] = client_secret

    def add_end_user(self, external_ref: str) -> None:
        """An end user with a deposit address on every configured network."""
        with self._lock:
            end_user = EndUserRecord(external_ref, self.clock.now())
            for network in self.state.networks:
                end_user.addresses.setdefault(network.network_name, self.ids.tx_hash()[:42])
            self.state.end_users[external_ref] = end_user

    def add_network(
        self,
        currency: str,
        network: str,
        *,
        network_name: str | None = None,
        gas_price: Decimal | str = "0",
        fee_rate: Decimal | str = "0",
    ) -> None:
        """Let ``currency`` be withdrawn on ``network``: fee = ``gas_price + fee_rate * amount``."""
        with self._lock:
            self.state.networks.append(
                Network(
                    currency,
                    network,
                    network_name or network.upper(),
                    Decimal(gas_price),
                    Decimal(fee_rate),
                )
            )

    def deposit(self, end_user: str, amount: Amount | str) -> None:
        """Credit ``amount`` (``"2 BTC"``) to ``end_user``'s balance."""
        parsed = Amount.coerce(amount)
        with self._lock:
            record = self.state.end_users[end_user]
            record.balances[parsed.asset] = record.balance(parsed.asset) + parsed.value

    def add_beneficiary_account(
        self,
        end_user: str,
        *,
        currency: str = "ARS",
        alias_or_cvu_destination: str | None = None,
        status: str = ENABLED,
    ) -> str:
        """A bank account ``end_user`` can receive fiat withdrawals on; returns its id."""
        with self._lock:
            account_id = self.ids.uuid()
            cvu = alias_or_cvu_destination or f"{self.ids.tx_hash()[2:24]}"
            self.state.end_users[end_user].beneficiary_accounts[account_id] = BeneficiaryAccount(
                account_id,
                self.clock.now(),
                currency,
                {"alias_or_cvu_destination": cvu},
                status,
            )
            return account_id

    # -- inspecting and driving -------------------------------------------------------------------

    def balance(self, end_user: str, currency: str) -> Decimal:
        with self._lock:
            return self.state.end_users[end_user].balance(currency)

    def withdrawals(self) -> list[WithdrawalRecord]:
        """Copies of every crypto withdrawal, oldest first."""
        with self._lock:
            return [attrs.evolve(record) for record in self.state.withdrawals.values()]

    def withdrawal(self, withdrawal_id: str) -> WithdrawalRecord:
        with self._lock:
            return attrs.evolve(self.state.withdrawals[withdrawal_id])

    def fiat_withdrawals(self) -> list[FiatWithdrawalRecord]:
        with self._lock:
            return [attrs.evolve(record) for record in self.state.fiat_withdrawals.values()]

    def held_fees(self) -> list[HeldFee]:
        with self._lock:
            return [attrs.evolve(fee) for fee in self.state.fees.values()]

    def complete(self, withdrawal_id: str) -> None:
        """A crypto withdrawal is confirmed on chain (or a fiat one paid out): ``COMPLETED``."""
        with self._lock:
            if withdrawal_id in self.state.fiat_withdrawals:
                self.state.complete_fiat(withdrawal_id, self.clock.now())
            else:
                self.state.complete(withdrawal_id, self.clock.now(), self.ids.tx_hash())

    def fail(self, withdrawal_id: str, *, reason: str = "rejected by the network") -> None:
        """A crypto withdrawal ends in ``ERROR`` (a fiat one ``CANCELLED``); refunded in full."""
        with self._lock:
            if withdrawal_id in self.state.fiat_withdrawals:
                self.state.cancel_fiat(withdrawal_id, self.clock.now())
            else:
                self.state.fail(withdrawal_id, reason)

    # -- provider plumbing ------------------------------------------------------------------------

    def _client_arguments(self) -> dict[str, Any]:
        """``client()`` uses the ready-made API credentials."""
        return {"client_id": self.client_id, "client_secret": self.client_secret}

    def _add_routes(self, routes: RouteTable[RouteHandler]) -> None:
        routes.add("getAccessToken", "POST", "/oauth2/token/", self._get_access_token)
        routes.add("createWithdrawalFee", "POST", "/api/v1/withdrawal-fees/", self._create_fee)
        routes.add("createWithdrawal", "POST", WITHDRAWALS, self._create_withdrawal)
        routes.add("listWithdrawals", "GET", WITHDRAWALS, self._list_withdrawals)
        routes.add("getWithdrawal", "GET", f"{WITHDRAWALS}{{withdrawal_id}}/", self._get_withdrawal)
        routes.add("createFiatWithdrawal", "POST", "/api/v1/fiat-withdrawals/", self._create_fiat)
        routes.add(
            "listBeneficiaryFiatAccounts",
            "GET",
            f"{_END_USER}beneficiary-fiat-accounts/",
            self._list_beneficiaries,
        )
        routes.add("getEndUser", "GET", _END_USER, self._get_end_user)
        routes.add("listEndUserAddresses", "GET", f"{_END_USER}addresses/", self._list_addresses)
        routes.add("listEndUserBalances", "GET", f"{_END_USER}balances/", self._list_balances)

    def _server_error(self, status: int) -> FakeResponse:
        return server_error_page(status)

    def _no_route(self, request: FakeRequest) -> FakeResponse:
        return not_found().response
