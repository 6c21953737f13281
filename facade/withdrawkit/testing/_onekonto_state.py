"""The state behind ``FakeOneKonto``: users, accounts, balances, whitelists, deposit instructions
withdraw requests and the ledger.

No HTTP here: the operations either change the state or raise one of the refusals below, which
``_onekonto_errors`` renders as 1Konto's documented error bodies.

Balances follow the [B] Get Account example: ``limit`` is a credit line written as a negative
number and ``available = free - limit``. A withdrawal draws on ``free`` only (credit finances
trades, not payouts); accepting it moves the amount from ``free`` to ``locked``, completing it
takes it out of ``locked`` (and books a ``withdrawal`` entry in the ledger), and rejecting or
cancelling it puts it back into ``free``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Final

import attrs

from withdrawkit._amount import Amount
from withdrawkit._root_error import InvalidArgument
from withdrawkit.testing._money import exact, tidy
from withdrawkit.testing._scene_checks import AlreadyFinished, UnknownName

__all__ = [
    "AssetBalance",
    "BankInstruction",
    "LedgerEntry",
    "NotEnoughFunds",
    "OneKontoAccount",
    "OneKontoState",
    "OneKontoUser",
    "WithdrawRequestRecord",
]

PENDING: Final = "pending"
COMPLETED: Final = "completed"
FINAL_FAILURES: Final = frozenset({"rejected", "canceled", "invalid"})
BLOCKCHAIN: Final = "blockchain"

_ZERO: Final = Decimal(0)

# The assets 1Konto's pages show in examples; a fake knows these and any added by add_asset.
DEFAULT_ASSETS: Final = ("BTC", "ETH", "USDC", "USDT", "USD")


class NotEnoughFunds(Exception):
    def __init__(self, requested: Amount, available: Amount) -> None:
        super().__init__(requested, available)
        self.requested = requested
        self.available = available


@attrs.define
class AssetBalance:
    """One asset of an account, in Get Account's terms."""

    free: Decimal = _ZERO
    locked: Decimal = _ZERO
    limit: Decimal = _ZERO
    pending_deposit: Decimal = _ZERO

    @property
    @exact
    def available(self) -> Decimal:
        return self.free - self.limit

    @property
    @exact
    def total_credit(self) -> Decimal:
        return -self.limit

    @property
    @exact
    def used_credit(self) -> Decimal:
        return max(-self.free, _ZERO)

    @property
    @exact
    def funds(self) -> Decimal:
        """What the account owns outright (credit excluded), the most it can withdraw."""
        return max(self.free, _ZERO)


@attrs.frozen(kw_only=True)
class BankInstruction:
    """Where to wire a fiat deposit: the ``fiat`` entry of Get Deposit Instructions.

    The defaults are the fake's own bank; the beneficiary fields are the vendor page's example.
    """

    special_instructions: str
    asset: str = "USD"
    method: str = "FedWire"
    bank_name: str = "Fake Bank N.A."
    bank_address: str = "1 Example Plaza, New York, NY 10001"
    bank_routing_number: str = "000000000"
    bank_swift_number: str = "CUESUS33"
    beneficiary_name: str = "1Konto Inc."
    beneficiary_address: str = "1Konto Corp Address"
    beneficiary_account_number: str = "0000000000"


@attrs.define
class OneKontoUser:
    user: str
    password_sha256: str = attrs.field(repr=False)
    account_ids: set[str] = attrs.field(factory=set)


@attrs.define
class OneKontoAccount:
    account_id: str
    name: str
    type: str = "client"
    balances: dict[str, AssetBalance] = attrs.field(factory=dict)
    # (network, address) pairs; network compared case-insensitively.
    wallets: set[tuple[str, str]] = attrs.field(factory=set)
    # (routing number, account number) pairs.
    bank_accounts: set[tuple[str, str]] = attrs.field(factory=set)
    # Deposit instructions: (asset, network) -> address, in the order they were added.
    deposit_addresses: dict[tuple[str, str], str] = attrs.field(factory=dict)
    bank_instruction: BankInstruction | None = None
    # What the account's prices include (Get Top of Book: "inclusive of the account's fees").
    fee_rate: Decimal = _ZERO

    def balance(self, asset: str) -> AssetBalance:
        """The balance of ``asset``, created empty on first use."""
        return self.balances.setdefault(asset, AssetBalance())


@attrs.define
class LedgerEntry:
    """One entry of Get Transactions: what entered (positive) or left (negative) an account."""

    transaction_id: str
    ordering: int
    account_id: str
    type: str
    amount: Amount
    created_at: datetime


@attrs.define
class WithdrawRequestRecord:
    """A withdraw request as the fake keeps it (``type`` is ``blockchain`` or the fiat method)."""

    withdraw_request_id: str
    account_id: str
    amount: Amount
    type: str
    submitted_at: datetime
    status: str = PENDING
    network: str | None = None
    address: str | None = None
    routing_number: str | None = None
    account_number: str | None = None
    instructions: tuple[str, ...] = ()
    polls: int = 0


class OneKontoState:
    """All of one fake 1Konto's data; the fake holds its lock around every call."""

    def __init__(self, *, new_id: Callable[[], str], now: Callable[[], datetime]) -> None:
        self.users: dict[str, OneKontoUser] = {}
        self.accounts: dict[str, OneKontoAccount] = {}
        self.withdraw_requests: dict[str, WithdrawRequestRecord] = {}
        self.ledger: list[LedgerEntry] = []
        self.assets: set[str] = set(DEFAULT_ASSETS)
        self._new_id = new_id
        self._now = now
        self._ordering = 1000

    def next_ordering(self) -> int:
        """The next value of 1Konto's ``ordering``: one counter for every account's orders and
        ledger entries, so one account's values jump."""
        self._ordering += 1
        return self._ordering

    def record(self, account_id: str, kind: str, amount: Amount) -> LedgerEntry:
        """Book a ledger entry of ``kind`` (deposit, withdrawal, trade); ``amount`` is signed."""
        entry = LedgerEntry(
            self._new_id(), self.next_ordering(), account_id, kind, amount, self._now()
        )
        self.ledger.append(entry)
        return entry

    def check_asset(self, asset: str) -> None:
        """Raise ``InvalidArgument`` unless the fake knows ``asset``: a scene that cannot exist."""
        if asset not in self.assets:
            known = ", ".join(sorted(self.assets))
            raise InvalidArgument(
                f"FakeOneKonto knows no asset {asset!r} (it knows {known}); "
                f"add_asset({asset!r}) adds one"
            )

    def whitelisted_wallets(
        self, account: OneKontoAccount, network: str | None, address: str | None
    ) -> list[tuple[str, str]]:
        """The account's whitelisted (network, address) pairs that fit what a request gave."""
        return sorted(
            (known_network, known_address)
            for known_network, known_address in account.wallets
            if (address is None or known_address == address)
            and (network is None or known_network.lower() == network.lower())
        )

    def networks_of(self, account: OneKontoAccount, address: str) -> list[str]:
        """The networks on which ``address`` is whitelisted for the account."""
        return sorted(network for network, known in account.wallets if known == address)

    def whitelisted_bank_accounts(
        self, account: OneKontoAccount, routing_number: str | None, account_number: str | None
    ) -> list[tuple[str, str]]:
        """The account's whitelisted (routing, account number) pairs that fit a request."""
        return sorted(
            (routing, number)
            for routing, number in account.bank_accounts
            if (routing_number is None or routing == routing_number)
            and (account_number is None or number == account_number)
        )

    @exact
    def accept(self, record: WithdrawRequestRecord) -> None:
        """Debit the account for a new request, or raise ``NotEnoughFunds``."""
        account = self.accounts[record.account_id]
        balance = account.balance(record.amount.asset)
        if record.amount.value > balance.funds:
            raise NotEnoughFunds(record.amount, Amount(balance.funds, record.amount.asset))
        balance.free = tidy(balance.free - record.amount.value)
        balance.locked = tidy(balance.locked + record.amount.value)
        self.withdraw_requests[record.withdraw_request_id] = record

    def observe(self, record: WithdrawRequestRecord, pending_polls: int | None) -> None:
        """A client polled ``record``; after ``pending_polls`` polls (None: never) it completes."""
        if record.status != PENDING:
            return
        record.polls += 1
        if pending_polls is not None and record.polls > pending_polls:
            self.complete(record.withdraw_request_id)

    @exact
    def complete(self, withdraw_request_id: str) -> WithdrawRequestRecord:
        record = self._pending(withdraw_request_id)
        balance = self.accounts[record.account_id].balance(record.amount.asset)
        balance.locked = tidy(balance.locked - record.amount.value)
        record.status = COMPLETED
        self.record(
            record.account_id, "withdrawal", Amount(-record.amount.value, record.amount.asset)
        )
        return record

    @exact
    def fail(self, withdraw_request_id: str, status: str) -> WithdrawRequestRecord:
        if status not in FINAL_FAILURES:
            raise InvalidArgument(f"a failed request ends {sorted(FINAL_FAILURES)}, not {status!r}")
        record = self._pending(withdraw_request_id)
        balance = self.accounts[record.account_id].balance(record.amount.asset)
        balance.locked = tidy(balance.locked - record.amount.value)
        balance.free = tidy(balance.free + record.amount.value)
        record.status = status
        return record

    def _pending(self, withdraw_request_id: str) -> WithdrawRequestRecord:
        record = self.withdraw_requests.get(withdraw_request_id)
        if record is None:
            raise UnknownName(f"no withdraw request {withdraw_request_id!r}")
        if record.status != PENDING:
            raise AlreadyFinished(
                f"withdraw request {withdraw_request_id} is already {record.status}"
            )
        return record
