"""``FakeOneKonto``'s users and accounts for tests: who logs in, which accounts they own, the
assets the fake knows, what an account holds, where it may withdraw to and its deposit
instructions.

Every method checks its arguments first (``_scene_checks``): an account, owner or asset the fake
does not have, an amount that is not positive, a malformed address is ``InvalidArgument``.
"""

from __future__ import annotations

import hashlib

import attrs

from withdrawkit._amount import Amount
from withdrawkit._root_error import InvalidArgument
from withdrawkit.testing._addresses import (
    DEFAULT_DEPOSIT_NETWORKS,
    address_problem,
    derived_address,
)
from withdrawkit.testing._money import exact, tidy
from withdrawkit.testing._onekonto_base import OneKontoBase
from withdrawkit.testing._onekonto_state import BankInstruction, OneKontoAccount, OneKontoUser
from withdrawkit.testing._scene_checks import (
    UnknownName,
    check_asset_code,
    check_known,
    check_text,
    positive_amount,
)

__all__ = ["AccountScene", "default_bank_instruction"]


class AccountScene(OneKontoBase):
    """The user and account scene methods of ``FakeOneKonto``."""

    def add_user(self, user: str, password: str) -> None:
        """A user who logs in with ``password`` (the fake stores only its SHA-256)."""
        check_text("user", user)
        digest = hashlib.sha256(check_text("password", password).encode("utf-8")).hexdigest()
        with self._lock:
            if user in self.state.users:
                raise InvalidArgument(f"user: {user!r} exists already")
            self.state.users[user] = OneKontoUser(user, digest)

    def add_account(
        self, account_id: str | None = None, *, owner: str, name: str = "test-client-account"
    ) -> str:
        """A new account of user ``owner``; returns its id (generated when not given)."""
        if account_id is not None:
            check_text("account_id", account_id)
        check_text("name", name)
        with self._lock:
            check_known("owner", owner, self.state.users, hint="add_user() adds one")
            if account_id is not None and account_id in self.state.accounts:
                raise InvalidArgument(f"account_id: account {account_id!r} exists already")
            new_id = account_id or self.ids.onekonto_id()
            account = OneKontoAccount(new_id, name)
            for asset, network in DEFAULT_DEPOSIT_NETWORKS:
                account.deposit_addresses[asset, network] = derived_address(new_id, network)
            account.bank_instruction = default_bank_instruction(new_id)
            self.state.accounts[new_id] = account
            self.state.users[owner].account_ids.add(new_id)
            return new_id

    @property
    def assets(self) -> list[str]:
        """The asset codes this 1Konto knows: BTC, ETH, USDC, USDT and USD, and any added."""
        with self._lock:
            return sorted(self.state.assets)

    def add_asset(self, asset: str) -> None:
        """Let the fake know ``asset`` (``"SOL"``, upper case as 1Konto writes codes); withdrawing
        others gets ``unknown asset``. One the fake knows already is refused."""
        code = check_asset_code("asset", asset)
        with self._lock:
            if code in self.state.assets:
                raise InvalidArgument(f"asset: the fake knows {code} already")
            self.state.assets.add(code)

    @exact
    def deposit(self, amount: Amount | str, *, account_id: str | None = None) -> None:
        """Credit ``amount`` (``"2 BTC"``) to the account's free balance."""
        parsed = positive_amount("amount", amount)
        with self._lock:
            account = self._account(account_id)
            self._known_asset(parsed.asset)  # UnknownName: the control surface's 404
            balance = account.balance(parsed.asset)
            balance.free = tidy(balance.free + parsed.value)
            self.state.record(account.account_id, "deposit", parsed)

    @exact
    def set_credit_limit(self, amount: Amount | str, *, account_id: str | None = None) -> None:
        """A credit line of ``amount`` (``"2000 USD"``, ``"0 USD"`` for none), shown as
        ``limit: -2000``."""
        parsed = Amount.coerce(amount)
        if parsed.value < 0:
            raise InvalidArgument(f"amount: a credit line is 0 or more, got {parsed}")
        with self._lock:
            account = self._account(account_id)
            self._known_asset(parsed.asset)
            account.balance(parsed.asset).limit = -parsed.value

    def whitelist_wallet(
        self, network: str, address: str, *, account_id: str | None = None
    ) -> None:
        """Allow blockchain withdrawals to ``address`` on ``network``.

        A malformed address, which 1Konto would never have whitelisted, raises
        ``InvalidArgument``: not 1-128 ASCII letters and digits, or on an EVM network not
        ``0x`` and 40 hex digits.
        """
        _check_address(check_text("network", network), check_text("address", address))
        with self._lock:
            self._account(account_id).wallets.add((network, address))

    def whitelist_bank_account(
        self, routing_number: str, account_number: str, *, account_id: str | None = None
    ) -> None:
        """Allow fiat withdrawals to this bank account."""
        check_text("routing_number", routing_number)
        check_text("account_number", account_number)
        with self._lock:
            self._account(account_id).bank_accounts.add((routing_number, account_number))

    def add_deposit_address(
        self, asset: str, network: str, address: str, *, account_id: str | None = None
    ) -> None:
        """Deposits of ``asset`` on ``network`` go to ``address`` (Get Deposit Instructions).

        One address per asset and network: adding the same pair again replaces its address. Its
        form is not checked: 1Konto's own example is ``my_tron_address``.
        """
        check_text("network", network)
        check_text("address", address)
        with self._lock:
            account = self._account(account_id)
            self._known_asset(asset)
            account.deposit_addresses[asset, network] = address

    def set_bank_instruction(
        self,
        *,
        account_id: str | None = None,
        asset: str | None = None,
        method: str | None = None,
        bank_name: str | None = None,
        bank_address: str | None = None,
        bank_routing_number: str | None = None,
        bank_swift_number: str | None = None,
        beneficiary_name: str | None = None,
        beneficiary_address: str | None = None,
        beneficiary_account_number: str | None = None,
        special_instructions: str | None = None,
    ) -> None:
        """The account's fiat deposit instruction, replacing the one it had (one per account).

        Fields left ``None`` take the fake's defaults: USD by ``FedWire`` to the fake's bank, with
        ``special_instructions`` ``"Reference: <accountId>"``.
        """
        given = {
            "asset": asset,
            "method": method,
            "bank_name": bank_name,
            "bank_address": bank_address,
            "bank_routing_number": bank_routing_number,
            "bank_swift_number": bank_swift_number,
            "beneficiary_name": beneficiary_name,
            "beneficiary_address": beneficiary_address,
            "beneficiary_account_number": beneficiary_account_number,
            "special_instructions": special_instructions,
        }
        chosen = {name: check_text(name, v) for name, v in given.items() if v is not None}
        with self._lock:
            account = self._account(account_id)
            if asset is not None:
                self._known_asset(asset)
            fields = attrs.asdict(default_bank_instruction(account.account_id))
            fields.update(chosen)
            account.bank_instruction = BankInstruction(**fields)

    def clear_deposit_instructions(self, *, account_id: str | None = None) -> None:
        """No deposit addresses and no bank instruction: Get Deposit Instructions answers 404."""
        with self._lock:
            account = self._account(account_id)
            account.deposit_addresses.clear()
            account.bank_instruction = None

    def _known_asset(self, asset: str) -> None:
        check_text("asset", asset)
        try:
            self.state.check_asset(asset)
        except InvalidArgument as unknown:
            raise UnknownName(f"asset: {unknown}") from None


def default_bank_instruction(account_id: str) -> BankInstruction:
    # The page's example asks the sender to quote the accountId as the payment reference.
    return BankInstruction(special_instructions=f"Reference: {account_id}")


def _check_address(network: str, address: str) -> None:
    malformed = address_problem(network, address)
    if malformed is not None:
        raise InvalidArgument(f"address: cannot whitelist {address!r} on {network!r}: {malformed}")
