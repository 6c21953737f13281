"""``FakeRipio``'s end users for tests: adding them, their fiat currencies, deposits, balances,
limits, beneficiary bank accounts, and the market rates every end user sees.

Every method checks its arguments first (``_scene_checks``): an end user or currency the fake
does not have, an amount that is not positive, a limit type or period outside the documented
ones is ``InvalidArgument``, not a scene that could never happen on Ripio.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from withdrawkit._amount import Amount
from withdrawkit._root_error import InvalidArgument
from withdrawkit._text import short_repr
from withdrawkit.testing._money import exactly
from withdrawkit.testing._ripio_base import RipioBase
from withdrawkit.testing._ripio_end_user_routes import MAX_EXTERNAL_REF
from withdrawkit.testing._ripio_state import (
    BENEFICIARY_STATUSES,
    ENABLED,
    LIMIT_PERIODS,
    LIMIT_TYPES,
    BeneficiaryAccount,
    EndUserRecord,
    FiatDepositRecord,
    LimitRecord,
)
from withdrawkit.testing._scene_checks import (
    check_flag,
    check_known,
    check_one_of,
    check_reference,
    check_text,
    positive_amount,
    positive_decimal,
    scene_decimal,
    whole_number,
)

__all__ = ["EndUserScene"]

_FIAT_CODE: Final = re.compile(r"[A-Z]{3}")
_RATE_PAIR: Final = re.compile(r"([A-Z][A-Z0-9]{1,9})_([A-Z][A-Z0-9]{1,9})")


class EndUserScene(RipioBase):
    """The end-user scene methods of ``FakeRipio``."""

    def add_end_user(self, external_ref: str) -> None:
        """An end user with a deposit address on every configured network.

        ``external_ref`` is your own id for them: at most 250 characters, the bound Ripio's
        Retrieve End User page documents (createEndUser answers a longer one 400 too), none of
        them a control character such as a newline."""
        check_reference("external_ref", external_ref, max_length=MAX_EXTERNAL_REF)
        with self._lock:
            if external_ref in self.state.end_users:
                raise InvalidArgument(f"external_ref: end user {external_ref!r} exists already")
            self._new_end_user(external_ref)

    def add_fiat_currency(self, currency: str) -> None:
        """Let end users hold, receive and withdraw fiat ``currency`` (``ARS`` is there from
        the start); crypto currencies come with ``add_network``.

        Ripio's pages show only ``ARS`` as a fiat currency (``currency_code`` of fiat deposits
        and withdrawals); this exists for users whose Ripio account settles in another one.
        A code is three upper-case letters, as ISO 4217 writes them and as Ripio writes
        ``ARS``; one already fiat or already a network's currency is refused, as a second
        ``add_end_user`` of the same ref is."""
        code = check_text("currency", currency)
        if not _FIAT_CODE.fullmatch(code):
            raise InvalidArgument(
                f"currency must be an asset code of three capital letters, got {short_repr(code)}"
            )
        with self._lock:
            if code in self.state.fiat_currencies:
                raise InvalidArgument(f"currency: {code} is a fiat currency already")
            if any(network.currency == code for network in self.state.networks):
                raise InvalidArgument(f"currency: {code} is a network's (crypto) currency")
            self.state.fiat_currencies.add(code)

    def set_limit(
        self,
        end_user: str,
        *,
        type: str,
        currency: str,
        period: str,
        allowed_amount: Decimal | str,
        allowed_frequency: int | Decimal | str,
    ) -> None:
        """A periodic limit the end user's limits list shows (``type`` BUY/SELL/SWAP, ``period``
        DAILY/MONTHLY/YEARLY); the fake trades nothing, so it is only reported.

        ``currency`` is any currency the fake has, crypto included: Ripio's limit object says
        only that it is "the currency the amounts are in", and a BUY or SELL limit may as well
        count the crypto bought or sold as the fiat paid
        (https://docs.ripio.com/periodic-limits/get-limits-for-end-user-limits-are-set-per-operation-basis-so-one-should-expect-for-%22buy%22-%22sell%22-or-%22swap%22)."""
        limit = LimitRecord(
            check_one_of("type", type, LIMIT_TYPES),
            currency,
            check_one_of("period", period, LIMIT_PERIODS),
            whole_number("allowed_frequency", allowed_frequency),
            scene_decimal("allowed_amount", allowed_amount),
        )
        with self._lock:
            record = self._scene_end_user(end_user)
            self._known_currency(currency)
            record.limits.append(limit)

    def set_rate(
        self, pair: str, last_buy_rate: Decimal | str, last_sell_rate: Decimal | str
    ) -> None:
        """The last rates listRates shows for ``pair``, both more than 0.

        ``pair`` is ``BASE_QUOTE`` in upper case, as Ripio's rates show ``BTC_USD``: two
        different plausible currency codes (a letter, then 1 to 9 letters or digits), not
        necessarily ones the fake knows, since rates are market data (``USD`` is a quote
        currency there though no end user holds it)."""
        match = _RATE_PAIR.fullmatch(check_text("pair", pair))
        if match is None or match[1] == match[2]:
            raise InvalidArgument(
                f"pair must be BASE_QUOTE of two upper-case codes, such as 'BTC_USD', got"
                f" {short_repr(pair)}"
            )
        buy = positive_decimal("last_buy_rate", last_buy_rate)
        sell = positive_decimal("last_sell_rate", last_sell_rate)
        with self._lock:
            self.state.rates[pair] = (buy, sell)

    def deposit_fiat(
        self,
        end_user: str,
        amount: Amount | str,
        *,
        pending: bool = False,
        origin_account_identifier: str = "0000465160000000100092",
        origin_account_holder_id: str = "20388003629",
        origin_account_holder_name: str = "Carlos Pineda",
    ) -> str:
        """A bank transfer into ``end_user``'s fiat account (``"12345.67 ARS"``); returns its id.

        Completed at once (the balance is credited and ``FIAT_DEPOSIT.COMPLETED`` announced),
        or left ``PENDING`` until ``complete(id)``.
        """
        parsed = positive_amount("amount", amount)
        check_flag("pending", pending)
        origin = [
            check_text(name, value)
            for name, value in (
                ("origin_account_identifier", origin_account_identifier),
                ("origin_account_holder_id", origin_account_holder_id),
                ("origin_account_holder_name", origin_account_holder_name),
            )
        ]
        with self._lock:
            self._scene_end_user(end_user)
            self._fiat_currency(parsed.asset, name="amount")
            now = self.clock.now()
            record = FiatDepositRecord(
                self.ids.uuid(), self.ids.uuid(), now, now, end_user, parsed.value, parsed.asset,
                *origin,
            )  # fmt: skip
            self.state.fiat_deposits[record.id] = record
            if not pending:
                self._complete_fiat_deposit(record.id)
        self.webhooks.flush()
        return record.id

    def deposit(self, end_user: str, amount: Amount | str) -> None:
        """Credit ``amount`` (``"2 BTC"``) to ``end_user``'s balance: a crypto deposit, so in a
        network's currency; fiat arrives by bank transfer, ``deposit_fiat``."""
        parsed = positive_amount("amount", amount)
        with self._lock:
            record = self._scene_end_user(end_user)
            self._crypto_currency(parsed.asset, name="amount")
            with exactly():
                record.balances[parsed.asset] = record.balance(parsed.asset) + parsed.value

    def add_beneficiary_account(
        self,
        end_user: str,
        *,
        currency: str = "ARS",
        alias_or_cvu_destination: str | None = None,
        status: str = ENABLED,
        account_id: str | None = None,
    ) -> str:
        """A bank account ``end_user`` can receive fiat withdrawals on (``status`` one of
        ENABLED, PROCESSING, DISABLED, SUSPENDED); returns its id (generated when not given)."""
        check_one_of("status", status, BENEFICIARY_STATUSES)
        if alias_or_cvu_destination is not None:
            check_text("alias_or_cvu_destination", alias_or_cvu_destination)
        if account_id is not None:
            check_text("account_id", account_id)
        with self._lock:
            accounts = self._scene_end_user(end_user).beneficiary_accounts
            self._fiat_currency(currency)
            if account_id is not None and account_id in accounts:
                raise InvalidArgument(f"account_id: {end_user} has account {account_id!r} already")
            account_id = account_id or self.ids.uuid()
            cvu = alias_or_cvu_destination or f"{self.ids.tx_hash()[2:24]}"
            accounts[account_id] = BeneficiaryAccount(
                account_id,
                self.clock.now(),
                currency,
                {"alias_or_cvu_destination": cvu},
                status,
            )
            return account_id

    def balance(self, end_user: str, currency: str) -> Decimal:
        with self._lock:
            record = self._scene_end_user(end_user)
            return record.balance(self._known_currency(currency))

    def _scene_end_user(self, end_user: str) -> EndUserRecord:
        found = check_known(
            "end_user", end_user, self.state.end_users, hint="add_end_user() adds one"
        )
        return self.state.end_users[found]

    def _known_currency(self, currency: str, *, name: str = "currency") -> str:
        return check_known(
            name,
            currency,
            self.state.currencies(),
            hint="add_network() adds a crypto currency, add_fiat_currency() a fiat one",
        )

    def _crypto_currency(self, currency: str, *, name: str) -> str:
        crypto = sorted({network.currency for network in self.state.networks})
        hint = f"crypto currencies are {crypto}; add_network() adds one"
        if currency in self.state.fiat_currencies:
            hint = f"{currency} is fiat: deposit_fiat() credits it; {hint}"
        return check_known(name, currency, crypto, hint=hint)

    def _fiat_currency(self, currency: str, *, name: str = "currency") -> str:
        fiat = sorted(self.state.fiat_currencies)
        return check_known(
            name, currency, fiat, hint=f"fiat currencies are {fiat}; add_fiat_currency() adds one"
        )
