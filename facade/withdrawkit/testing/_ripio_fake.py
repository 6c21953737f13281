"""``FakeRipio``: a stateful fake of Ripio B2B's token, withdrawal-fee, withdrawal, fiat-withdrawal,
fiat-deposit, end-user, rates and transactions API, which also signs and sends webhooks.

Wire shapes follow ``openapi/ripio.yaml``; ``_ripio_wire`` reads and writes them and
``_ripio_errors`` holds Ripio's error envelope and the codes the fake answers with. This module
sets the scene and lists the routes; each group of routes is a class of handlers in its own module
(``_ripio_*_routes``), which ``FakeRipio`` inherits, as it inherits the end users' scene
(``_ripio_end_user_scene``) and the webhooks' (``_ripio_webhook_scene``).
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
from withdrawkit.testing._ripio_end_user_scene import EndUserScene
from withdrawkit.testing._ripio_errors import not_found, server_error_page
from withdrawkit.testing._ripio_fiat_routes import FIAT_DEPOSITS, FIAT_WITHDRAWALS, FiatRoutes
from withdrawkit.testing._ripio_market_routes import TRANSACTIONS, MarketRoutes
from withdrawkit.testing._ripio_state import (
    FiatDepositRecord,
    FiatWithdrawalRecord,
    HeldFee,
    Invalid,
    Network,
    RipioState,
    WithdrawalRecord,
)
from withdrawkit.testing._ripio_token_routes import TokenRoutes
from withdrawkit.testing._ripio_webhook_scene import WebhookScene
from withdrawkit.testing._ripio_webhooks import WebhookOutbox
from withdrawkit.testing._ripio_withdrawal_routes import WITHDRAWALS, WithdrawalRoutes
from withdrawkit.testing._routing import RouteTable
from withdrawkit.testing._scene_checks import (
    UnknownName,
    check_asset_code,
    check_count,
    check_known,
    check_text,
    positive_amount,
    scene_decimal,
)

__all__ = ["FakeRipio"]

DEFAULT_BASE_URL: Final = "https://ripio.fake"
DEFAULT_CLIENT_ID: Final = "test-client-id"
DEFAULT_CLIENT_SECRET: Final = "test-client-secret"  # noqa: S105 - a fake's test credentials
DEFAULT_END_USER: Final = "customer_10"
DEFAULT_FEE_LIFETIME: Final = timedelta(seconds=15)
DEFAULT_PAGE_SIZE: Final = 10
MAX_PAGE_SIZE: Final = 1000

_END_USER: Final = "/api/v1/end-users/{end_user_id}/"

# (currency, request name, response network_name, gas price, fee rate)
_DEFAULT_NETWORKS: Final = (
    ("BTC", "BITCOIN", "BITCOIN", "0.00001", "0.0005"),
    ("BTC", "BITCOIN_TESTNET", "BITCOIN", "0.00001", "0.0005"),
    ("ETH", "ETHEREUM", "ETHEREUM", "0.00001", "0.005"),
    ("ETH", "ETHEREUM_SEPOLIA", "ETHEREUM_SEPOLIA", "0.00001", "0.005"),
    ("USDT", "POLYGON", "POLYGON", "0.01", "0.001"),
)
# pair, last buy rate, last sell rate (the ETH rate has the float artefact of Ripio's page)
_DEFAULT_RATES: Final = (
    ("BTC_USD", "64250.5", "63990.25"),
    ("ETH_USD", "3297.4449999999997", "3280.12"),
    ("USDT_USD", "1.001", "0.999"),
)


class FakeRipio(
    TokenRoutes,
    WithdrawalRoutes,
    FiatRoutes,
    EndUserRoutes,
    MarketRoutes,
    EndUserScene,
    WebhookScene,
):
    """A fake Ripio B2B with one API client and one end user (``customer_10``) ready to use.

    Networks for BTC, ETH and USDT are configured (``add_network`` for more); balances start
    empty: ``deposit("customer_10", "2 BTC")``, or ``deposit_fiat`` for a fiat deposit Ripio
    would report. Withdrawals (crypto and fiat) start ``PENDING`` and complete when the test calls
    ``complete(id)``, or by themselves once clients have seen them ``pending_polls`` times.
    ``page_size`` sets how many items a list page holds.

    Webhooks: ``deliver_webhooks_to(url)`` makes the fake POST a signed event to your loopback
    endpoint each time a withdrawal, fiat withdrawal or fiat deposit changes status; verify them
    with ``withdrawkit.webhooks.RipioWebhookVerifier(fake.webhook_public_key_pem)``.
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
        self.webhooks = WebhookOutbox()
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
        for pair, buy, sell in _DEFAULT_RATES:
            self.set_rate(pair, buy, sell)

    # -- setting the scene ------------------------------------------------------------------------

    @property
    def page_size(self) -> int:
        """How many items a list page holds: from 1 to ``MAX_PAGE_SIZE`` (1000)."""
        return self._page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        self._page_size = check_count("page_size", value, minimum=1, maximum=MAX_PAGE_SIZE)

    def add_client(self, client_id: str, client_secret: str) -> None:
        """API credentials that getAccessToken accepts (one secret per client id)."""
        check_text("client_id", client_id)
        check_text("client_secret", client_secret)
        with self._lock:
            if client_id in self.state.clients:
                raise InvalidArgument(f"client_id: API client {client_id!r} exists already")
            self.state.clients[client_id] = client_secret

    def add_network(
        self,
        currency: str,
        network: str,
        *,
        network_name: str | None = None,
        gas_price: Decimal | str = "0",
        fee_rate: Decimal | str = "0",
    ) -> None:
        """Let ``currency`` (upper case, ``"SOL"``) be withdrawn on ``network``: fee =
        ``gas_price + fee_rate * amount`` (``fee_rate`` a fraction below 1)."""
        code = check_asset_code("currency", currency)
        check_text("network", network)
        shown = check_text("network_name", network_name) if network_name is not None else None
        gas = scene_decimal("gas_price", gas_price)
        rate = scene_decimal("fee_rate", fee_rate)
        if rate >= 1:
            raise InvalidArgument(f"fee_rate must be a fraction below 1, got {rate}")
        with self._lock:
            if code in self.state.fiat_currencies:
                raise InvalidArgument(f"currency: {code} is a fiat currency, not on a network")
            if any(n.currency == code and n.network.lower() == network.lower()
                   for n in self.state.networks):  # fmt: skip
                raise InvalidArgument(f"network: {code} on {network!r} is configured already")
            self.state.networks.append(Network(code, network, shown or network.upper(), gas, rate))

    def hold_fee(self, amount: Amount | str, *, network: str, fee_id: str | None = None) -> str:
        """Hold the fee for withdrawing ``amount`` (``"1.5 BTC"``) on ``network``, as
        createWithdrawalFee does (it expires after ``fee_lifetime``); returns the fee's id
        (generated when not given) for a createWithdrawal to name."""
        parsed = positive_amount("amount", amount)
        check_text("network", network)
        if fee_id is not None:
            check_text("fee_id", fee_id)
        with self._lock:
            try:
                found = self.state.network(parsed.asset, network)
            except Invalid as invalid:
                raise InvalidArgument(f"network: {invalid.message}") from None
            if fee_id is not None and fee_id in self.state.fees:
                raise InvalidArgument(f"fee_id: a fee with id {fee_id!r} is already held")
            held = self._hold_fee(parsed.asset, found, parsed.value)
            if fee_id is not None:
                del self.state.fees[held.id]
                held.id = fee_id
                self.state.fees[fee_id] = held
            return held.id

    # -- inspecting and driving -------------------------------------------------------------------

    def withdrawals(self) -> list[WithdrawalRecord]:
        """Copies of every crypto withdrawal, oldest first."""
        with self._lock:
            return [attrs.evolve(record) for record in self.state.withdrawals.values()]

    def withdrawal(self, withdrawal_id: str) -> WithdrawalRecord:
        with self._lock:
            found = check_known("withdrawal_id", withdrawal_id, self.state.withdrawals)
            return attrs.evolve(self.state.withdrawals[found])

    def fiat_withdrawals(self) -> list[FiatWithdrawalRecord]:
        with self._lock:
            return [attrs.evolve(record) for record in self.state.fiat_withdrawals.values()]

    def fiat_deposits(self) -> list[FiatDepositRecord]:
        with self._lock:
            return [attrs.evolve(record) for record in self.state.fiat_deposits.values()]

    def held_fees(self) -> list[HeldFee]:
        with self._lock:
            return [attrs.evolve(fee) for fee in self.state.fees.values()]

    def complete(self, withdrawal_id: str) -> None:
        """A crypto withdrawal is confirmed on chain, a fiat one paid out, or a pending fiat
        deposit (pass its id) arrives: ``COMPLETED``. An unknown id, or one no longer
        ``PENDING``, raises ``InvalidArgument``."""
        with self._lock:
            self._known_operation(withdrawal_id)
            if withdrawal_id in self.state.fiat_withdrawals:
                self._complete_fiat_withdrawal(withdrawal_id)
            elif withdrawal_id in self.state.fiat_deposits:
                self._complete_fiat_deposit(withdrawal_id)
            else:
                self._complete_withdrawal(withdrawal_id)
        self.webhooks.flush()

    def fail(self, withdrawal_id: str, *, reason: str = "rejected by the network") -> None:
        """A crypto withdrawal ends in ``ERROR`` (a fiat one ``CANCELLED``); refunded in full.
        A fiat deposit cannot fail (Ripio reports only completed ones)."""
        check_text("reason", reason)
        with self._lock:
            self._known_operation(withdrawal_id)
            if withdrawal_id in self.state.fiat_deposits:
                raise InvalidArgument(
                    f"withdrawal_id: {withdrawal_id} is a fiat deposit, which only completes"
                )
            if withdrawal_id in self.state.fiat_withdrawals:
                self._cancel_fiat_withdrawal(withdrawal_id)
            else:
                self._fail_withdrawal(withdrawal_id, reason)
        self.webhooks.flush()

    def _known_operation(self, withdrawal_id: str) -> None:
        """Refuse an id that is no withdrawal, fiat withdrawal or fiat deposit (the message is
        the control surface's 404 too)."""
        state = self.state
        check_text("withdrawal_id", withdrawal_id)
        if not any(withdrawal_id in known for known in
                   (state.withdrawals, state.fiat_withdrawals, state.fiat_deposits)):  # fmt: skip
            raise UnknownName(f"no withdrawal {withdrawal_id!r}")

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
        routes.add("createFiatWithdrawal", "POST", FIAT_WITHDRAWALS, self._create_fiat)
        routes.add(
            "listBeneficiaryFiatAccounts",
            "GET",
            f"{_END_USER}beneficiary-fiat-accounts/",
            self._list_beneficiaries,
        )
        routes.add("getEndUser", "GET", _END_USER, self._get_end_user)
        routes.add("listEndUserAddresses", "GET", f"{_END_USER}addresses/", self._list_addresses)
        routes.add("listEndUserBalances", "GET", f"{_END_USER}balances/", self._list_balances)
        routes.add("createEndUser", "POST", "/api/v1/end-users/", self._create_end_user)
        routes.add("listEndUserLimits", "GET", f"{_END_USER}limits/", self._list_limits)
        routes.add("listFiatWithdrawals", "GET", FIAT_WITHDRAWALS, self._list_fiat)
        routes.add(
            "getFiatWithdrawal", "GET", f"{FIAT_WITHDRAWALS}{{fiat_withdrawal_id}}/", self._get_fiat
        )
        routes.add("listFiatDeposits", "GET", FIAT_DEPOSITS, self._list_fiat_deposits)
        routes.add(
            "getFiatDeposit", "GET", f"{FIAT_DEPOSITS}{{fiat_deposit_id}}/", self._get_fiat_deposit
        )
        routes.add("listRates", "GET", "/api/v1/rates/", self._list_rates)
        routes.add("listTransactions", "GET", TRANSACTIONS, self._list_transactions)
        routes.add(
            "getTransaction", "GET", f"{TRANSACTIONS}{{transaction_id}}/", self._get_transaction
        )

    def _server_error(self, status: int) -> FakeResponse:
        return server_error_page(status)

    def _no_route(self, request: FakeRequest) -> FakeResponse:
        return not_found().response
