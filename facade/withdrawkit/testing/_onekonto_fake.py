"""``FakeOneKonto``: a stateful fake of 1Konto (1KPrime) v1.0: login, account, deposit
instructions, withdrawals, the ledger, market data, orders and RFQ quotes.

Wire shapes follow ``openapi/onekonto.yaml``; ``_onekonto_wire`` reads and writes them and
``_onekonto_errors`` holds the two documented error shapes. This module sets the market's and the
withdrawals' scene and lists the routes; each group of routes is a class of handlers in its own
module (``_onekonto_*_routes``), which ``FakeOneKonto`` inherits, as it inherits the users' and
accounts' scene (``_onekonto_account_scene``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from withdrawkit._root_error import InvalidArgument
from withdrawkit.testing._clock import FakeClock
from withdrawkit.testing._exchange import FakeRequest, FakeResponse
from withdrawkit.testing._money import exact
from withdrawkit.testing._onekonto_account_routes import AccountRoutes
from withdrawkit.testing._onekonto_account_scene import AccountScene
from withdrawkit.testing._onekonto_book import Book
from withdrawkit.testing._onekonto_errors import NOT_FOUND, server_error
from withdrawkit.testing._onekonto_login_routes import LoginRoutes
from withdrawkit.testing._onekonto_market_routes import MarketRoutes
from withdrawkit.testing._onekonto_order_routes import OrderRoutes
from withdrawkit.testing._onekonto_query_routes import QueryRoutes
from withdrawkit.testing._onekonto_state import (
    AssetBalance,
    LedgerEntry,
    OneKontoState,
    WithdrawRequestRecord,
)
from withdrawkit.testing._onekonto_trading import OrderRecord, Trading
from withdrawkit.testing._onekonto_withdraw_routes import WithdrawRoutes
from withdrawkit.testing._provider import RouteHandler
from withdrawkit.testing._routing import Match, RouteTable
from withdrawkit.testing._scene_checks import (
    UnknownName,
    check_flag,
    check_text,
    scene_decimal,
)

__all__ = ["FakeOneKonto"]

DEFAULT_BASE_URL: Final = "https://onekonto.fake"
DEFAULT_USER: Final = "trader@example.com"
DEFAULT_PASSWORD: Final = "correct horse battery staple"  # noqa: S105 - a fake's test user

_ACCOUNT: Final = "/api/v1/accounting/account/{accountId}"
_LEDGER: Final = "/api/v1/accounting/ledger/{accountId}"
_ROUTING: Final = "/api/v1/routing/account/{accountId}"
_ORDERS: Final = "/api/v1/routing/order/account/{accountId}"


class FakeOneKonto(
    LoginRoutes,
    AccountRoutes,
    WithdrawRoutes,
    MarketRoutes,
    OrderRoutes,
    QueryRoutes,
    AccountScene,
):
    """A fake 1Konto with one user and one account ready to use.

    ``user``/``password``/``account_id`` are the ready-made credentials (``client()`` uses them);
    balances start empty: ``deposit("2 BTC")``, ``whitelist_wallet("bitcoin", "bc1q...")``.
    Each account has deposit instructions from the start: a BTC address on ``bitcoin``, a USDC
    address on ``trc20`` and a USD FedWire bank instruction (``add_deposit_address``,
    ``set_bank_instruction`` and ``clear_deposit_instructions`` change them).
    A withdrawal may leave out its network and address (a fiat one its bank numbers) when exactly
    one whitelisted wallet (bank account) fits what it gives; none or several are refused with
    ``ValidationFailed`` saying which.
    Withdrawals start ``pending`` and complete when the test calls ``complete(id)``, or by
    themselves once clients have polled them ``pending_polls`` times.

    The market: ``set_book("USDT/USD", bids=[("0.9995", "100000")], asks=[...])`` per pair,
    ``set_fee("0.001")`` for what the account's prices include, ``set_credit_conditions(...)``
    for credit outside business hours. Market orders fill against the book at once, limit orders
    rest until it reaches them or their ``endAt`` passes, quotes are firm for 5 seconds of
    ``clock``. Deposits, completed withdrawals and fills are booked in the ledger.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        pending_polls: int | None = None,
        clock: FakeClock | None = None,
        seed: int | str | None = 0,
    ) -> None:
        # The state books ledger entries with the fake's ids and clock, made by the base class.
        self.state = OneKontoState(new_id=self._new_id, now=self._now)
        self.trading = Trading(self.state)
        self._signing_key = secrets.token_bytes(32)
        super().__init__(base_url=base_url, clock=clock, seed=seed, pending_polls=pending_polls)
        self.user = DEFAULT_USER
        self.password = DEFAULT_PASSWORD
        self.account_id = self.ids.onekonto_id()
        self.add_user(self.user, self.password)
        self.add_account(self.account_id, owner=self.user)

    # -- setting the scene ------------------------------------------------------------------------

    def set_book(
        self,
        asset_pair: str,
        *,
        bids: Iterable[tuple[Decimal | int | str, Decimal | int | str]] = (),
        asks: Iterable[tuple[Decimal | int | str, Decimal | int | str]] = (),
    ) -> None:
        """The order book of ``asset_pair`` (``"USDT/USD"``): ``(price, size)`` levels, prices in
        the quote asset per base asset, before the account's fee. Replaces the pair's book and
        lets resting limit orders fill against it."""
        book = Book.build(asset_pair, bids, asks)
        with self._lock:
            reverse = f"{book.quote}/{book.base}"
            if reverse in self.trading.books:
                raise InvalidArgument(
                    f"{asset_pair}: {reverse} already has a book; one market per pair of assets"
                )
            self.trading.books[asset_pair] = book
            self.advance_market()

    def set_fee(self, rate: Decimal | str, *, account_id: str | None = None) -> None:
        """The account's fee as a fraction (``"0.001"`` is 0.1 %): every bid it sees is lowered
        and every ask raised by it, in market data, quotes and fills alike."""
        value = scene_decimal("rate", rate)  # refuses floats: a fee is exact too
        if not 0 <= value < 1:
            raise InvalidArgument(f"a fee rate is a fraction in [0, 1), got {rate!r}")
        with self._lock:
            self._account(account_id).fee_rate = value

    def set_credit_conditions(
        self, *, business_hours: bool = True, credit_available: bool = True
    ) -> None:
        """Whether credit is granted: outside ``business_hours``, or without
        ``credit_available``, an order needing credit is refused with ``Credit Not Available``."""
        check_flag("business_hours", business_hours)
        check_flag("credit_available", credit_available)
        with self._lock:
            self.trading.credit.business_hours = business_hours
            self.trading.credit.credit_available = credit_available

    # -- inspecting and driving -------------------------------------------------------------------

    def orders(self, *, account_id: str | None = None) -> list[OrderRecord]:
        """Copies of the account's orders (rejected ones included), oldest first."""
        with self._lock:
            self.advance_market()
            wanted = self._account(account_id).account_id
            return [
                attrs.evolve(order)
                for order in self.trading.orders.values()
                if order.account_id == wanted
            ]

    def ledger(self, *, account_id: str | None = None) -> list[LedgerEntry]:
        """Copies of the account's ledger entries, oldest first."""
        with self._lock:
            wanted = self._account(account_id).account_id
            return [
                attrs.evolve(entry) for entry in self.state.ledger if entry.account_id == wanted
            ]

    @exact
    def advance_market(self) -> None:
        """Resting limit orders whose ``endAt`` passed are cancelled; the others fill as far as
        the book now reaches their limit. Runs before every request and after ``set_book``."""
        with self._lock:
            now = self.clock.now()
            for order in list(self.trading.orders.values()):
                if not order.resting:
                    continue
                account = self.state.accounts[order.account_id]
                if order.end_at is not None and now >= order.end_at:
                    self.trading.release(account, order, at=now)
                    continue
                done = self.trading.fill_order(order, account.fee_rate)
                self.trading.settle(account, order, done, at=now)

    def withdraw_requests(self, *, account_id: str | None = None) -> list[WithdrawRequestRecord]:
        """Copies of the account's withdraw requests, oldest first."""
        with self._lock:
            wanted = self._account(account_id).account_id
            return [
                _copy(record)
                for record in self.state.withdraw_requests.values()
                if record.account_id == wanted
            ]

    def withdraw_request(self, withdraw_request_id: str) -> WithdrawRequestRecord:
        with self._lock:
            return _copy(self._known_request(withdraw_request_id))

    def complete(self, withdraw_request_id: str) -> None:
        """The withdrawal was paid out: ``completed``, and the amount leaves the account."""
        with self._lock:
            self._known_request(withdraw_request_id)
            self.state.complete(withdraw_request_id)

    def fail(self, withdraw_request_id: str, *, status: str = "rejected") -> None:
        """The withdrawal did not happen (``rejected``, ``canceled`` or ``invalid``); refunded."""
        with self._lock:
            self._known_request(withdraw_request_id)
            self.state.fail(withdraw_request_id, status)

    def balance(self, asset: str, *, account_id: str | None = None) -> AssetBalance:
        """A copy of the account's balance of ``asset``."""
        with self._lock:
            account = self._account(account_id)
            self._known_asset(asset)
            self.advance_market()
            return attrs.evolve(account.balances.get(asset, AssetBalance()))

    def _known_request(self, withdraw_request_id: str) -> WithdrawRequestRecord:
        """The withdraw request, or ``UnknownName`` (its message is the control surface's 404)."""
        check_text("withdraw_request_id", withdraw_request_id)
        record = self.state.withdraw_requests.get(withdraw_request_id)
        if record is None:
            raise UnknownName(f"no withdraw request {withdraw_request_id!r}")
        return record

    # -- provider plumbing ------------------------------------------------------------------------

    def _client_arguments(self) -> dict[str, Any]:
        """``client()`` logs in as the ready-made user, on the ready-made account."""
        return {"user": self.user, "password": self.password, "account_id": self.account_id}

    def _add_routes(self, routes: RouteTable[RouteHandler]) -> None:
        routes.add("login", "POST", "/api/v1/{service}/jwt", self._login)
        routes.add("getAccount", "GET", _ACCOUNT, self._get_account)
        routes.add("getAccountCredit", "GET", f"{_ACCOUNT}/portfolio", self._get_account_credit)
        routes.add(
            "getDepositInstructions",
            "GET",
            f"{_ACCOUNT}/request/deposit-instructions",
            self._get_deposit_instructions,
        )
        routes.add(
            "requestWithdrawFiat", "POST", f"{_ACCOUNT}/request/withdraw/fiat", self._withdraw_fiat
        )
        routes.add(
            "requestWithdrawBlockchain",
            "POST",
            f"{_ACCOUNT}/request/withdraw/blockchain",
            self._withdraw_blockchain,
        )
        routes.add(
            "queryWithdrawRequests", "GET", f"{_ACCOUNT}/request/withdraw", self._query_withdraws
        )
        routes.add(
            "getTransactions",
            "GET",
            "/api/v1/accounting/ledger/{accountId}",
            self._get_transactions,
        )
        routes.add("getTopOfBook", "GET", f"{_ROUTING}/topofbook", self._get_top_of_book)
        routes.add("getOrderBook", "GET", f"{_ROUTING}/book", self._get_order_book)
        routes.add(
            "requestIndicativePrice", "GET", f"{_ROUTING}/order/estimate", self._indicative_price
        )
        routes.add("placeMarketOrder", "POST", f"{_ROUTING}/order", self._place_market_order)
        routes.add("placeLimitOrder", "POST", f"{_ROUTING}/order/limit", self._place_limit_order)
        routes.add("requestQuote", "POST", f"{_ROUTING}/order/rfq", self._request_quote)
        routes.add(
            "acceptQuote", "POST", f"{_ROUTING}/order/rfq/{{orderId}}/accept", self._accept_quote
        )
        routes.add("queryOrders", "GET", _ORDERS, self._query_orders)
        routes.add("getOrder", "GET", f"{_ORDERS}/order/{{orderId}}", self._get_order)

    @exact
    def _dispatch(self, match: Match[RouteHandler], request: FakeRequest) -> FakeResponse:
        # Time may have moved since the last request: the market catches up first.
        with self._lock:
            self.advance_market()
            return super()._dispatch(match, request)

    def _new_id(self) -> str:
        return self.ids.onekonto_id()

    def _now(self) -> datetime:
        return self.clock.now()

    def _server_error(self, status: int) -> FakeResponse:
        return server_error(status)

    def _no_route(self, request: FakeRequest) -> FakeResponse:
        return NOT_FOUND


def _copy(record: WithdrawRequestRecord) -> WithdrawRequestRecord:
    return attrs.evolve(record)
