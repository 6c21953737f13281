"""The state behind ``FakeRipio``: end users and their balances and limits, networks and their
fees, held withdrawal fees, crypto and fiat withdrawals, fiat deposits and market rates.

No HTTP here: operations change the state or raise ``Invalid`` / ``NotEnoughBalance``, which
``ripio_fake`` renders as Ripio's error envelope (codes 20000 and 20012); a test's scene call on
an unknown or finished operation raises ``UnknownName`` / ``AlreadyFinished`` (``InvalidArgument``).

Money: a crypto withdrawal debits ``amount + total fee`` (``debited_amount``) when it is accepted;
a failed one gives it back. A held fee (createWithdrawalFee) is valid until ``expires_at``, for
the same currency, network and amount, and for one withdrawal.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Final

import attrs

from withdrawkit.testing._money import tidy
from withdrawkit.testing._scene_checks import AlreadyFinished, UnknownName

__all__ = [
    "BeneficiaryAccount",
    "EndUserRecord",
    "FiatDepositRecord",
    "FiatWithdrawalRecord",
    "HeldFee",
    "Invalid",
    "LimitRecord",
    "Network",
    "NotEnoughBalance",
    "RipioState",
    "WithdrawalRecord",
]

PENDING: Final = "PENDING"
COMPLETED: Final = "COMPLETED"
ERROR: Final = "ERROR"
CANCELLED: Final = "CANCELLED"
ENABLED: Final = "ENABLED"
# The documented values of a limit's type and period and of a beneficiary account's status.
LIMIT_TYPES: Final = frozenset({"BUY", "SELL", "SWAP"})
LIMIT_PERIODS: Final = frozenset({"DAILY", "MONTHLY", "YEARLY"})
BENEFICIARY_STATUSES: Final = frozenset({"DISABLED", "PROCESSING", ENABLED, "SUSPENDED"})

_ZERO: Final = Decimal(0)


class Invalid(Exception):
    """A semantically invalid request (Ripio 20000)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotEnoughBalance(Exception):
    """The end user's balance cannot cover the debit (Ripio 20012)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@attrs.define
class Network:
    """A network a currency can be withdrawn on, and what it costs there.

    ``network`` is the name requests use (compared case-insensitively), ``network_name`` the one
    responses show (``BITCOIN_TESTNET`` requests answer ``BITCOIN``, as in the docs' example).
    The fee is ``gas_price`` plus ``fee_rate`` times the amount.
    """

    currency: str
    network: str
    network_name: str
    gas_price: Decimal
    fee_rate: Decimal

    def fee_for(self, amount: Decimal) -> Decimal:
        return tidy(amount * self.fee_rate)


@attrs.define
class BeneficiaryAccount:
    beneficiary_fiat_account_id: str
    created_at: datetime
    currency: str
    account_fields: dict[str, str]
    status: str = ENABLED
    payment_method_type: str = "bank_transfer"


@attrs.define
class LimitRecord:
    """One periodic limit; the fake reports it and never consumes it (it trades nothing)."""

    type: str
    currency: str
    period: str
    allowed_frequency: Decimal
    allowed_amount: Decimal
    consumed_frequency: Decimal = _ZERO
    consumed_amount: Decimal = _ZERO


@attrs.define
class EndUserRecord:
    external_ref: str
    created_at: datetime
    balances: dict[str, Decimal] = attrs.field(factory=dict)
    limits: list[LimitRecord] = attrs.field(factory=list)
    # network name -> deposit address
    addresses: dict[str, str] = attrs.field(factory=dict)
    beneficiary_accounts: dict[str, BeneficiaryAccount] = attrs.field(factory=dict)

    def balance(self, currency: str) -> Decimal:
        return self.balances.get(currency, _ZERO)


@attrs.define
class HeldFee:
    id: str
    currency: str
    network: Network
    amount: Decimal
    gas_price: Decimal
    fee: Decimal
    expires_at: datetime
    external_ref: str | None = None
    used_by: str | None = None

    @property
    def total_fee(self) -> Decimal:
        return tidy(self.gas_price + self.fee)

    @property
    def total_amount(self) -> Decimal:
        return tidy(self.amount + self.total_fee)


@attrs.define
class WithdrawalRecord:
    id: str
    created_at: datetime
    end_user_id: str
    currency: str
    amount: Decimal
    address: str
    network_name: str
    transaction_id: str
    debited_amount: Decimal
    external_ref: str | None = None
    status: str = PENDING
    confirmation_date: datetime | None = None
    txn_hash: str | None = None
    provisory_transaction_hash: str | None = None
    reason: str = ""
    polls: int = 0


@attrs.define
class FiatWithdrawalRecord:
    id: str
    transaction_id: str
    created_at: datetime
    updated_at: datetime
    end_user_id: str
    amount: Decimal
    currency_code: str
    beneficiary_fiat_account_id: str
    external_ref: str | None = None
    status: str = PENDING
    polls: int = 0


@attrs.define
class FiatDepositRecord:
    id: str
    transaction_id: str
    created_at: datetime
    updated_at: datetime
    end_user_id: str
    amount: Decimal
    currency_code: str
    origin_account_identifier: str
    origin_account_holder_id: str
    origin_account_holder_name: str
    status: str = PENDING


class RipioState:
    """All of one fake Ripio's data; the fake holds its lock around every call."""

    def __init__(self) -> None:
        self.clients: dict[str, str] = {}
        self.end_users: dict[str, EndUserRecord] = {}
        self.networks: list[Network] = []
        self.fees: dict[str, HeldFee] = {}
        self.withdrawals: dict[str, WithdrawalRecord] = {}
        self.fiat_withdrawals: dict[str, FiatWithdrawalRecord] = {}
        self.fiat_deposits: dict[str, FiatDepositRecord] = {}
        # pair ("BTC_USD") -> (last buy rate, last sell rate)
        self.rates: dict[str, tuple[Decimal, Decimal]] = {}
        # what end users hold besides the crypto currencies of the networks
        self.fiat_currencies: set[str] = {"ARS"}

    def currencies(self) -> set[str]:
        """Every currency an end user can hold: the networks' and the fiat ones."""
        return {network.currency for network in self.networks} | self.fiat_currencies

    def network(self, currency: str, name: str) -> Network:
        for network in self.networks:
            if network.currency == currency and network.network.lower() == name.lower():
                return network
        known = sorted(n.network for n in self.networks if n.currency == currency)
        if not known:
            raise Invalid(f"currency {currency!r} cannot be withdrawn")
        raise Invalid(f"network {name!r} is not available for {currency}; use one of {known}")

    def end_user(self, external_ref: str) -> EndUserRecord:
        found = self.end_users.get(external_ref)
        if found is None:
            raise Invalid(f"end user {external_ref!r} does not exist")
        return found

    def fee_to_apply(
        self, fee_id: str | None, currency: str, network: Network, amount: Decimal, now: datetime
    ) -> tuple[Decimal, HeldFee | None]:
        """The total fee of a withdrawal: the held one, or the network's current fee."""
        if fee_id is None:
            return tidy(network.gas_price + network.fee_for(amount)), None
        held = self.fees.get(fee_id)
        if held is None:
            raise Invalid(f"withdrawal fee {fee_id} does not exist")
        if now >= held.expires_at:
            raise Invalid(f"withdrawal fee {fee_id} expired at {held.expires_at.isoformat()}")
        if held.currency != currency or held.network is not network:
            raise Invalid(
                f"withdrawal fee {fee_id} was held for {held.currency} on {held.network.network},"
                f" not {currency} on {network.network}"
            )
        if held.amount != amount:
            # A fee is held for one amount: it does not pay for another.
            raise Invalid(
                f"withdrawal fee {fee_id} was held for an amount of {held.amount} {currency},"
                f" not {amount} {currency}"
            )
        if held.used_by is not None:
            raise Invalid(f"withdrawal fee {fee_id} was already used by withdrawal {held.used_by}")
        return held.total_fee, held

    def debit(self, end_user: EndUserRecord, currency: str, total: Decimal) -> None:
        available = end_user.balance(currency)
        if total > available:
            raise NotEnoughBalance(
                f"Not enough balance: {total} {currency} needed, {available} {currency} available"
            )
        end_user.balances[currency] = tidy(available - total)

    def polled(
        self, record: WithdrawalRecord | FiatWithdrawalRecord, pending_polls: int | None
    ) -> bool:
        """Count one view of ``record`` by a client; whether it is now due to complete (after
        ``pending_polls`` views; None: never)."""
        if record.status != PENDING:
            return False
        record.polls += 1
        return pending_polls is not None and record.polls > pending_polls

    def complete(self, withdrawal_id: str, now: datetime, txn_hash: str) -> None:
        record = self._pending(withdrawal_id)
        record.status = COMPLETED
        record.confirmation_date = now
        record.txn_hash = record.provisory_transaction_hash = txn_hash

    def fail(self, withdrawal_id: str, reason: str) -> None:
        """The withdrawal ended in ``ERROR``; the end user gets ``debited_amount`` back."""
        record = self._pending(withdrawal_id)
        end_user = self.end_users[record.end_user_id]
        refunded = end_user.balance(record.currency) + record.debited_amount
        end_user.balances[record.currency] = tidy(refunded)
        record.status = ERROR
        record.reason = reason

    def complete_fiat(self, fiat_withdrawal_id: str, now: datetime) -> None:
        record = self._pending_fiat(fiat_withdrawal_id)
        record.status = COMPLETED
        record.updated_at = now

    def cancel_fiat(self, fiat_withdrawal_id: str, now: datetime) -> None:
        """The fiat withdrawal was ``CANCELLED``; the end user gets the amount back."""
        record = self._pending_fiat(fiat_withdrawal_id)
        end_user = self.end_users[record.end_user_id]
        refunded = end_user.balance(record.currency_code) + record.amount
        end_user.balances[record.currency_code] = tidy(refunded)
        record.status = CANCELLED
        record.updated_at = now

    def complete_fiat_deposit(self, fiat_deposit_id: str, now: datetime) -> None:
        """The bank transfer arrived: ``COMPLETED``, and the end user is credited."""
        record = self.fiat_deposits.get(fiat_deposit_id)
        if record is None:
            raise UnknownName(f"no fiat deposit {fiat_deposit_id!r}")
        if record.status != PENDING:
            raise AlreadyFinished(f"fiat deposit {fiat_deposit_id} is already {record.status}")
        end_user = self.end_users[record.end_user_id]
        credited = end_user.balance(record.currency_code) + record.amount
        end_user.balances[record.currency_code] = tidy(credited)
        record.status = COMPLETED
        record.updated_at = now

    def _pending(self, withdrawal_id: str) -> WithdrawalRecord:
        record = self.withdrawals.get(withdrawal_id)
        if record is None:
            raise UnknownName(f"no withdrawal, fiat withdrawal or fiat deposit {withdrawal_id!r}")
        if record.status != PENDING:
            raise AlreadyFinished(f"withdrawal {withdrawal_id} is already {record.status}")
        return record

    def _pending_fiat(self, fiat_withdrawal_id: str) -> FiatWithdrawalRecord:
        record = self.fiat_withdrawals.get(fiat_withdrawal_id)
        if record is None:
            raise UnknownName(f"no fiat withdrawal {fiat_withdrawal_id!r}")
        if record.status != PENDING:
            raise AlreadyFinished(
                f"fiat withdrawal {fiat_withdrawal_id} is already {record.status}"
            )
        return record
