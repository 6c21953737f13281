"""A scene set with a bad value is an InvalidArgument (a WithdrawKitError and a ValueError), as
the clients' bad arguments are: the README's promise covers withdrawkit.testing too. A float
given as money, or a value of the wrong type, is a TypeError, as everywhere in withdrawkit.

Every public scene method of FakeRipio and FakeOneKonto (derived from the classes, so a new one
cannot be forgotten) has at least one InvalidArgument row here (a TypeError row only where every
value is possible: TYPE_ONLY), and a spy on the class checks that each row's call really enters
the method its label names, so a row refused elsewhere covers nothing."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import withdrawkit as wk
from withdrawkit.testing import FakeClock, FakeOneKonto, FakeRipio, FaultPlan

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"


def _fail_with_an_undocumented_status() -> None:
    fake = FakeOneKonto()
    fake.deposit("1 BTC")
    fake.whitelist_wallet("bitcoin", "bc1qexample")
    with fake.mock(), fake.client() as client:
        receipt = client.request_withdraw_blockchain("1 BTC", network="bitcoin")
    fake.fail(receipt.withdraw_request_id, status="lost")


def _onekonto_with_a_completed_withdrawal() -> tuple[FakeOneKonto, str]:
    fake = FakeOneKonto()
    fake.deposit("1 BTC")
    fake.whitelist_wallet("bitcoin", "bc1qexample")
    with fake.mock(), fake.client() as client:
        receipt = client.request_withdraw_blockchain("1 BTC", network="bitcoin")
    fake.complete(receipt.withdraw_request_id)
    return fake, receipt.withdraw_request_id


def _ripio_with_a_failed_withdrawal() -> tuple[FakeRipio, str]:
    fake = FakeRipio()
    fake.deposit("customer_10", "1 ETH")
    with fake.mock(), fake.client() as client:
        withdrawal = client.create_withdrawal(
            "0.1 ETH", end_user="customer_10", address=ADDRESS, network="ETHEREUM"
        )
    fake.fail(withdrawal.id)
    return fake, withdrawal.id


def _complete_twice_on_onekonto() -> None:
    fake, withdraw_request_id = _onekonto_with_a_completed_withdrawal()
    fake.complete(withdraw_request_id)


def _fail_a_failed_ripio_withdrawal() -> None:
    fake, withdrawal_id = _ripio_with_a_failed_withdrawal()
    fake.fail(withdrawal_id)


def _complete_a_completed_fiat_deposit() -> None:
    fake = FakeRipio()
    fake.complete(fake.deposit_fiat("customer_10", "10 ARS"))


def _fail_a_fiat_deposit() -> None:
    fake = FakeRipio()
    fake.fail(fake.deposit_fiat("customer_10", "10 ARS", pending=True))


def _hold_the_same_fee_id_twice() -> None:
    fake = FakeRipio()
    fake.hold_fee("1 BTC", network="BITCOIN", fee_id="fee-1")
    fake.hold_fee("1 BTC", network="BITCOIN", fee_id="fee-1")


def _add_the_same_beneficiary_twice() -> None:
    fake = FakeRipio()
    fake.add_beneficiary_account("customer_10", account_id="acc-1")
    fake.add_beneficiary_account("customer_10", account_id="acc-1")


def untyped(value: object) -> Any:
    """``value`` as a caller without a type checker passes it."""
    return value


def _set_page_size(value: Any) -> None:
    FakeRipio().page_size = value


def _set_pending_polls(value: Any) -> None:
    FakeRipio().pending_polls = value


def _limit(**changes: Any) -> None:
    arguments: dict[str, Any] = {
        "type": "BUY",
        "currency": "ARS",
        "period": "DAILY",
        "allowed_amount": "5000000.00",
        "allowed_frequency": 10,
    }
    FakeRipio().set_limit(changes.pop("end_user", "customer_10"), **{**arguments, **changes})


def _deliver_to(url: str) -> None:
    FakeRipio().deliver_webhooks_to(url)


def _advance_twice(days: int) -> None:
    clock = FakeClock()
    clock.advance(by=timedelta(days=days))  # far, but still a date
    clock.advance(by=timedelta(days=days))


def _second_account(account_id: str) -> None:
    fake = FakeOneKonto()
    fake.add_account(account_id, owner=fake.user)


# (method, case, the call, a text the error must contain: the argument or the value at fault)
BAD_SCENES: list[tuple[str, str, Callable[[], object], str]] = [
    ("FakeRipio.page_size", "page size of zero", lambda: FakeRipio(page_size=0), "page_size"),
    ("FakeRipio.page_size", "negative page size set", lambda: _set_page_size(-1), "page_size"),
    (
        "FakeOneKonto.pending_polls",
        "negative pending polls",
        lambda: FakeOneKonto(pending_polls=-1),
        "pending_polls",
    ),
    (
        "FakeRipio.pending_polls",
        "negative pending polls set",
        lambda: _set_pending_polls(-2),
        "pending_polls",
    ),
    ("FakeClock", "naive clock start", lambda: FakeClock(datetime(2026, 1, 1)), ""),
    ("FakeClock.advance", "clock moved back", lambda: FakeClock().advance(seconds=-1), ""),
    ("FakeOneKonto.set_fee", "fee rate of one", lambda: FakeOneKonto().set_fee("1"), "fee rate"),
    (
        "FakeOneKonto.set_fee",
        "fee rate not a number",
        lambda: FakeOneKonto().set_fee("low"),
        "rate",
    ),
    (
        "FakeOneKonto.set_fee",
        "fee of an unknown account",
        lambda: FakeOneKonto().set_fee("0.001", account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.set_book",
        "book pair without a slash",
        lambda: FakeOneKonto().set_book("USDTUSD", bids=[("1", "1")]),
        "",
    ),
    ("FakeOneKonto.fail", "failure status", _fail_with_an_undocumented_status, "lost"),
    (
        "FakeOneKonto.fail",
        "failing an unknown request",
        lambda: FakeOneKonto().fail("nope"),
        "'nope'",
    ),
    (
        "FaultPlan.fail_next",
        "fault armed zero times",
        lambda: FaultPlan().fail_next("login", times=0),
        "",
    ),
    ("FaultPlan.delay", "negative delay", lambda: FaultPlan().delay("login", seconds=-1), ""),
    (
        "FakeOneKonto.deposit",
        "unknown asset deposited",
        lambda: FakeOneKonto().deposit("1 DOGE"),
        "DOGE",
    ),
    (
        "FakeOneKonto.deposit",
        "negative deposit",
        lambda: FakeOneKonto().deposit("-1 BTC"),
        "amount",
    ),
    (
        "FakeOneKonto.deposit",
        "deposit to an unknown account",
        lambda: FakeOneKonto().deposit("1 BTC", account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.add_account",
        "account of an unknown owner",
        lambda: FakeOneKonto().add_account(owner="nobody"),
        "owner",
    ),
    (
        "FakeOneKonto.add_account",
        "account id taken",
        lambda: _second_account(FakeOneKonto().account_id),
        "account_id",
    ),
    ("FakeOneKonto.add_asset", "empty asset", lambda: FakeOneKonto().add_asset(""), "asset"),
    (
        "FakeOneKonto.add_asset",
        "asset with a space",
        lambda: FakeOneKonto().add_asset("U SD"),
        "asset",
    ),
    (
        "FakeOneKonto.add_deposit_address",
        "deposit address of an unknown asset",
        lambda: FakeOneKonto().add_deposit_address("DOGE", "dogecoin", "D123"),
        "asset",
    ),
    (
        "FakeOneKonto.add_deposit_address",
        "empty deposit address",
        lambda: FakeOneKonto().add_deposit_address("BTC", "bitcoin", ""),
        "address",
    ),
    (
        "FakeOneKonto.add_user",
        "user who exists",
        lambda: FakeOneKonto().add_user("trader@example.com", "x"),
        "user",
    ),
    (
        "FakeOneKonto.add_user",
        "empty password",
        lambda: FakeOneKonto().add_user("other@example.com", ""),
        "password",
    ),
    (
        "FakeOneKonto.balance",
        "balance of an unknown asset",
        lambda: FakeOneKonto().balance("DOGE"),
        "asset",
    ),
    (
        "FakeOneKonto.balance",
        "balance of an unknown account",
        lambda: FakeOneKonto().balance("BTC", account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.calls",
        "calls of an unknown operation",
        lambda: FakeOneKonto().calls("placeWidget"),
        "placeWidget",
    ),
    (
        "FakeOneKonto.clear_deposit_instructions",
        "instructions of an unknown account",
        lambda: FakeOneKonto().clear_deposit_instructions(account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.complete",
        "completing an unknown request",
        lambda: FakeOneKonto().complete("nope"),
        "'nope'",
    ),
    (
        "FakeOneKonto.complete",
        "completing a completed request",
        _complete_twice_on_onekonto,
        "already completed",
    ),
    (
        "FakeOneKonto.ledger",
        "ledger of an unknown account",
        lambda: FakeOneKonto().ledger(account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.orders",
        "orders of an unknown account",
        lambda: FakeOneKonto().orders(account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.withdraw_requests",
        "requests of an unknown account",
        lambda: FakeOneKonto().withdraw_requests(account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.withdraw_request",
        "an unknown request",
        lambda: FakeOneKonto().withdraw_request("nope"),
        "'nope'",
    ),
    (
        "FakeOneKonto.set_bank_instruction",
        "instruction in an unknown asset",
        lambda: FakeOneKonto().set_bank_instruction(asset="DOGE"),
        "asset",
    ),
    (
        "FakeOneKonto.set_bank_instruction",
        "empty bank name",
        lambda: FakeOneKonto().set_bank_instruction(bank_name=" "),
        "bank_name",
    ),
    (
        "FakeOneKonto.set_bank_instruction",
        "instruction of an unknown account",
        lambda: FakeOneKonto().set_bank_instruction(account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.set_credit_limit",
        "negative credit line",
        lambda: FakeOneKonto().set_credit_limit("-2000 USD"),
        "amount",
    ),
    (
        "FakeOneKonto.set_credit_limit",
        "credit line of an unknown account",
        lambda: FakeOneKonto().set_credit_limit("1 USD", account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.whitelist_bank_account",
        "empty routing number",
        lambda: FakeOneKonto().whitelist_bank_account("", "1"),
        "routing_number",
    ),
    (
        "FakeOneKonto.whitelist_bank_account",
        "bank account of an unknown account",
        lambda: FakeOneKonto().whitelist_bank_account("1", "2", account_id="nope"),
        "account_id",
    ),
    (
        "FakeOneKonto.whitelist_wallet",
        "malformed wallet address",
        lambda: FakeOneKonto().whitelist_wallet("ethereum", "0x12"),
        "address",
    ),
    (
        "FakeOneKonto.whitelist_wallet",
        "wallet of an unknown account",
        lambda: FakeOneKonto().whitelist_wallet("bitcoin", "bc1q", account_id="nope"),
        "account_id",
    ),
    (
        "FakeRipio.add_beneficiary_account",
        "beneficiary of an unknown end user",
        lambda: FakeRipio().add_beneficiary_account("nobody"),
        "end_user",
    ),
    (
        "FakeRipio.add_beneficiary_account",
        "undocumented beneficiary status",
        lambda: FakeRipio().add_beneficiary_account("customer_10", status="enabled"),
        "status",
    ),
    (
        "FakeRipio.add_beneficiary_account",
        "beneficiary in a crypto currency",
        lambda: FakeRipio().add_beneficiary_account("customer_10", currency="BTC"),
        "currency",
    ),
    (
        "FakeRipio.add_beneficiary_account",
        "beneficiary id taken",
        _add_the_same_beneficiary_twice,
        "account_id",
    ),
    (
        "FakeRipio.add_client",
        "client id taken",
        lambda: FakeRipio().add_client("test-client-id", "other"),
        "client_id",
    ),
    (
        "FakeRipio.add_client",
        "empty client secret",
        lambda: FakeRipio().add_client("other", ""),
        "client_secret",
    ),
    (
        "FakeRipio.add_end_user",
        "end user who exists",
        lambda: FakeRipio().add_end_user("customer_10"),
        "external_ref",
    ),
    (
        "FakeRipio.add_end_user",
        "empty end user",
        lambda: FakeRipio().add_end_user(""),
        "external_ref",
    ),
    (
        "FakeRipio.add_fiat_currency",
        "fiat currency with a space",
        lambda: FakeRipio().add_fiat_currency("AR S"),
        "asset",
    ),
    (
        "FakeRipio.add_network",
        "gas price not a number",
        lambda: FakeRipio().add_network("SOL", "SOLANA", gas_price="cheap"),
        "gas_price",
    ),
    (
        "FakeRipio.add_network",
        "negative gas price",
        lambda: FakeRipio().add_network("SOL", "SOLANA", gas_price="-1"),
        "gas_price",
    ),
    (
        "FakeRipio.add_network",
        "fee rate of one",
        lambda: FakeRipio().add_network("SOL", "SOLANA", fee_rate="1"),
        "fee_rate",
    ),
    (
        "FakeRipio.add_network",
        "infinite fee rate",
        lambda: FakeRipio().add_network("SOL", "SOLANA", fee_rate="Infinity"),
        "fee_rate",
    ),
    (
        "FakeRipio.add_network",
        "network configured already",
        lambda: FakeRipio().add_network("BTC", "bitcoin"),
        "network",
    ),
    (
        "FakeRipio.balance",
        "balance of an unknown end user",
        lambda: FakeRipio().balance("nobody", "BTC"),
        "end_user",
    ),
    (
        "FakeRipio.balance",
        "balance in an unknown currency",
        lambda: FakeRipio().balance("customer_10", "DOGE"),
        "currency",
    ),
    (
        "FakeRipio.calls",
        "calls of an unknown operation",
        lambda: FakeRipio().calls("createWidget"),
        "createWidget",
    ),
    (
        "FakeRipio.complete",
        "completing an unknown id",
        lambda: FakeRipio().complete("nope"),
        "'nope'",
    ),
    (
        "FakeRipio.complete",
        "completing a completed fiat deposit",
        _complete_a_completed_fiat_deposit,
        "already COMPLETED",
    ),
    (
        "FakeRipio.deliver_webhooks_to",
        "webhooks to a public host",
        lambda: FakeRipio().deliver_webhooks_to("http://example.com/hooks"),
        "url",
    ),
    (
        "FakeRipio.deliver_webhooks_to",
        "webhooks over https",
        lambda: FakeRipio().deliver_webhooks_to("https://127.0.0.1/hooks"),
        "url",
    ),
    (
        "FakeRipio.deposit",
        "deposit to an unknown end user",
        lambda: FakeRipio().deposit("nobody", "1 BTC"),
        "end_user",
    ),
    (
        "FakeRipio.deposit",
        "deposit of an unknown currency",
        lambda: FakeRipio().deposit("customer_10", "1 DOGE"),
        "amount",
    ),
    (
        "FakeRipio.deposit",
        "zero deposit",
        lambda: FakeRipio().deposit("customer_10", "0 BTC"),
        "amount",
    ),
    (
        "FakeRipio.deposit",
        "deposit that is not an amount",
        lambda: FakeRipio().deposit("customer_10", "one BTC"),
        "amount",
    ),
    (
        "FakeRipio.deposit_fiat",
        "fiat deposit to an unknown end user",
        lambda: FakeRipio().deposit_fiat("nobody", "1 ARS"),
        "end_user",
    ),
    (
        "FakeRipio.deposit_fiat",
        "fiat deposit in a crypto currency",
        lambda: FakeRipio().deposit_fiat("customer_10", "1 BTC"),
        "amount",
    ),
    (
        "FakeRipio.deposit_fiat",
        "negative fiat deposit",
        lambda: FakeRipio().deposit_fiat("customer_10", "-1 ARS"),
        "amount",
    ),
    (
        "FakeRipio.deposit_fiat",
        "empty origin holder",
        lambda: FakeRipio().deposit_fiat("customer_10", "1 ARS", origin_account_holder_name=""),
        "origin_account_holder_name",
    ),
    ("FakeRipio.fail", "failing an unknown id", lambda: FakeRipio().fail("nope"), "'nope'"),
    (
        "FakeRipio.fail",
        "failing a failed withdrawal",
        _fail_a_failed_ripio_withdrawal,
        "already ERROR",
    ),
    ("FakeRipio.fail", "failing a fiat deposit", _fail_a_fiat_deposit, "withdrawal_id"),
    (
        "FakeRipio.hold_fee",
        "fee on an unknown network",
        lambda: FakeRipio().hold_fee("1 BTC", network="LIGHTNING"),
        "network",
    ),
    (
        "FakeRipio.hold_fee",
        "fee for a negative amount",
        lambda: FakeRipio().hold_fee("-1 BTC", network="BITCOIN"),
        "amount",
    ),
    ("FakeRipio.hold_fee", "fee id taken", _hold_the_same_fee_id_twice, "fee_id"),
    (
        "FakeRipio.set_limit",
        "limit of an unknown end user",
        lambda: _limit(end_user="nobody"),
        "end_user",
    ),
    ("FakeRipio.set_limit", "undocumented limit type", lambda: _limit(type="HOLD"), "type"),
    ("FakeRipio.set_limit", "undocumented limit period", lambda: _limit(period="WEEKLY"), "period"),
    (
        "FakeRipio.set_limit",
        "limit in an unknown currency",
        lambda: _limit(currency="DOGE"),
        "currency",
    ),
    (
        "FakeRipio.set_limit",
        "limit amount not a number",
        lambda: _limit(allowed_amount="lots"),
        "allowed_amount",
    ),
    (
        "FakeRipio.set_limit",
        "limit amount NaN",
        lambda: _limit(allowed_amount=Decimal("NaN")),
        "allowed_amount",
    ),
    (
        "FakeRipio.set_limit",
        "negative limit amount",
        lambda: _limit(allowed_amount="-5"),
        "allowed_amount",
    ),
    (
        "FakeRipio.set_limit",
        "fractional frequency",
        lambda: _limit(allowed_frequency="1.5"),
        "allowed_frequency",
    ),
    (
        "FakeRipio.set_rate",
        "pair without an underscore",
        lambda: FakeRipio().set_rate("BTCUSD", "1", "1"),
        "pair",
    ),
    (
        "FakeRipio.set_rate",
        "rate not a number",
        lambda: FakeRipio().set_rate("BTC_USD", "high", "1"),
        "last_buy_rate",
    ),
    (
        "FakeRipio.set_rate",
        "infinite rate",
        lambda: FakeRipio().set_rate("BTC_USD", "1", "-Infinity"),
        "last_sell_rate",
    ),
    (
        "FakeRipio.set_rate",
        "negative rate",
        lambda: FakeRipio().set_rate("BTC_USD", "-1", "1"),
        "last_buy_rate",
    ),
    (
        "FakeRipio.wait_for_webhooks",
        "negative timeout",
        lambda: FakeRipio().wait_for_webhooks(-1),
        "timeout",
    ),
    (
        "FakeRipio.wait_for_webhooks",
        "NaN timeout",
        lambda: FakeRipio().wait_for_webhooks(float("nan")),
        "timeout",
    ),
    (
        "FakeRipio.withdrawal",
        "an unknown withdrawal",
        lambda: FakeRipio().withdrawal("nope"),
        "withdrawal_id",
    ),
    # Order books: every level a (price, size) pair of finite positive decimals.
    *[
        (
            "FakeOneKonto.set_book",
            f"{side} level {label}",
            lambda side=side, level=level: FakeOneKonto().set_book("USDT/USD", **{side: [level]}),
            mentions,
        )
        for side in ("bids", "asks")
        for label, level, mentions in [
            ("NaN price", ("NaN", "1"), "price"),
            ("Infinity price", ("Infinity", "1"), "price"),
            ("sNaN size", ("1", "sNaN"), "size"),
            ("1e999999 size", ("1", "1e999999"), "size"),
            ("zero price", ("0", "1"), "price"),
            ("of three items", ("1", "1", "1"), "pair"),
            ("a bare string", "11", "pair"),
        ]
    ],
    ("FakeRipio.pending_polls", "negative pending polls", lambda: _set_pending_polls(-1), "-1"),
    (
        "FakeRipio.deliver_webhooks_to",
        "port 99999",
        lambda: _deliver_to("http://127.0.0.1:99999/x"),
        "port",
    ),
    (
        "FakeRipio.deliver_webhooks_to",
        "port text",
        lambda: _deliver_to("http://127.0.0.1:ab/x"),
        "port",
    ),
    (
        "FakeRipio.deliver_webhooks_to",
        "port 0",
        lambda: _deliver_to("http://127.0.0.1:0/x"),
        "port",
    ),
    (
        "FakeRipio.deliver_webhooks_to",
        "a header smuggled after CRLF",
        lambda: _deliver_to("http://127.0.0.1:1/x\r\nHost: a"),
        "control characters",
    ),
    (
        "FakeRipio.deliver_webhooks_to",
        "user info before the loopback host",
        lambda: _deliver_to("http://evil.com@127.0.0.1/x"),
        "user info",
    ),
    (
        "FakeRipio.set_rate",
        "rate of zero",
        lambda: FakeRipio().set_rate("BTC_USD", "0", "1"),
        "last_buy_rate",
    ),
    (
        "FakeRipio.set_rate",
        "rate of -0",
        lambda: FakeRipio().set_rate("BTC_USD", "1", "-0"),
        "last_sell_rate",
    ),
    (
        "FakeRipio.set_rate",
        "lower-case pair",
        lambda: FakeRipio().set_rate("btc_usd", "1", "1"),
        "pair",
    ),
    (
        "FakeRipio.set_rate",
        "pair of one code",
        lambda: FakeRipio().set_rate("BTC_BTC", "1", "1"),
        "pair",
    ),
    (
        "FakeRipio.set_rate",
        "pair of three codes",
        lambda: FakeRipio().set_rate("BTC_USD_X", "1", "1"),
        "pair",
    ),
    (
        "FakeRipio.add_fiat_currency",
        "a network's currency",
        lambda: FakeRipio().add_fiat_currency("BTC"),
        "BTC",
    ),
    (
        "FakeRipio.add_fiat_currency",
        "lower case",
        lambda: FakeRipio().add_fiat_currency("usd"),
        "usd",
    ),
    (
        "FakeRipio.add_fiat_currency",
        "ARS again",
        lambda: FakeRipio().add_fiat_currency("ARS"),
        "ARS",
    ),
    (
        "FakeRipio.add_fiat_currency",
        "a 5000-letter code",
        lambda: FakeRipio().add_fiat_currency("A" * 5000),
        "currency",
    ),
    (
        "FakeRipio.add_fiat_currency",
        "four letters",
        lambda: FakeRipio().add_fiat_currency("USDT"),
        "USDT",
    ),
    (
        "FakeRipio.add_network",
        "a fiat currency",
        lambda: FakeRipio().add_network("ARS", "ARSNET"),
        "ARS",
    ),
    (
        "FakeRipio.deposit",
        "a fiat currency through the crypto deposit",
        lambda: FakeRipio().deposit("customer_10", "1 ARS"),
        "deposit_fiat",
    ),
    (
        "FakeRipio.add_network",
        "a lower-case currency code",
        lambda: FakeRipio().add_network("sol", "SOLANA"),
        "'sol'",
    ),
    (
        "FakeOneKonto.add_asset",
        "a lower-case asset code",
        lambda: FakeOneKonto().add_asset("sol"),
        "'sol'",
    ),
    (
        "FakeOneKonto.add_asset",
        "an asset the fake knows",
        lambda: FakeOneKonto().add_asset("BTC"),
        "BTC already",
    ),
    (
        "FakeRipio.add_end_user",
        "a 100k-character ref",
        lambda: FakeRipio().add_end_user("r" * 100_000),
        "at most 250 characters",
    ),
    (
        "FakeRipio.add_end_user",
        "a ref with a newline",
        lambda: FakeRipio().add_end_user("customer_11\nX-Injected: 1"),
        "control characters",
    ),
    (
        "FakeRipio.wait_for_webhooks",
        "a wait of 1e300 seconds",
        lambda: FakeRipio().wait_for_webhooks(1e300),
        "timeout",
    ),
    (
        "FakeRipio.page_size",
        "a page of 10**18 items",
        lambda: _set_page_size(10**18),
        "page_size",
    ),
    (
        "FakeRipio.pending_polls",
        "10**18 pending polls",
        lambda: _set_pending_polls(10**18),
        "pending_polls",
    ),
    (
        "FakeOneKonto.pending_polls",
        "pending polls past the bound",
        lambda: FakeOneKonto(pending_polls=10_001),
        "pending_polls",
    ),
    ("FakeClock.advance", "1e300 seconds", lambda: FakeClock().advance(seconds=1e300), "seconds"),
    (
        "FakeClock.advance",
        "past the last date",
        lambda: _advance_twice(999_999_999),
        "past any date",
    ),
]

# Floats as money, and values of the wrong type: TypeError, as Amount and the clients raise.
WRONG_TYPES: list[tuple[str, str, Callable[[], object]]] = [
    (
        "FakeRipio.deposit",
        "float deposit",
        lambda: FakeRipio().deposit("customer_10", untyped(1.5)),
    ),
    (
        "FakeRipio.deposit_fiat",
        "float fiat deposit",
        lambda: FakeRipio().deposit_fiat("customer_10", untyped(10.0)),
    ),
    (
        "FakeRipio.deposit_fiat",
        "pending as text",
        lambda: FakeRipio().deposit_fiat("customer_10", "1 ARS", pending=untyped("no")),
    ),
    ("FakeRipio.set_limit", "float limit amount", lambda: _limit(allowed_amount=5000.0)),
    (
        "FakeRipio.set_rate",
        "float rate",
        lambda: FakeRipio().set_rate("BTC_USD", untyped(64250.5), "1"),
    ),
    (
        "FakeRipio.add_network",
        "float gas price",
        lambda: FakeRipio().add_network("SOL", "SOLANA", gas_price=untyped(0.1)),
    ),
    (
        "FakeRipio.hold_fee",
        "float fee amount",
        lambda: FakeRipio().hold_fee(untyped(1.0), network="BITCOIN"),
    ),
    ("FakeRipio.page_size", "page size as text", lambda: _set_page_size("10")),
    ("FakeRipio.sign_webhook", "text body", lambda: FakeRipio().sign_webhook(untyped("{}"))),
    (
        "FakeRipio.deliver_webhooks_to",
        "URL as bytes",
        lambda: FakeRipio().deliver_webhooks_to(untyped(b"http://127.0.0.1/")),
    ),
    (
        "FakeRipio.wait_for_webhooks",
        "timeout as text",
        lambda: FakeRipio().wait_for_webhooks(untyped("1")),
    ),
    (
        "FakeRipio.add_end_user",
        "end user as a number",
        lambda: FakeRipio().add_end_user(untyped(10)),
    ),
    ("FakeOneKonto.deposit", "float deposit", lambda: FakeOneKonto().deposit(untyped(2.0))),
    ("FakeOneKonto.set_fee", "float fee rate", lambda: FakeOneKonto().set_fee(untyped(0.001))),
    (
        "FakeOneKonto.set_credit_limit",
        "float credit line",
        lambda: FakeOneKonto().set_credit_limit(untyped(2000.0)),
    ),
    (
        "FakeOneKonto.set_credit_conditions",
        "business hours as text",
        lambda: FakeOneKonto().set_credit_conditions(business_hours=untyped("no")),
    ),
    (
        "FakeOneKonto.set_book",
        "float price",
        lambda: FakeOneKonto().set_book("USDT/USD", bids=[(untyped(0.9995), "1")]),
    ),
    *[
        (
            "FakeRipio.pending_polls",
            f"pending polls {value!r}",
            lambda value=value: _set_pending_polls(value),
        )
        for value in (True, 1.5, float("nan"), float("inf"), Decimal("2.5"), Decimal("NaN"), "3")
    ],
]

# Public methods that take arguments but set no scene: the faces' and the client's entry points.
NOT_SCENES = {
    "client": "its keyword arguments are the client constructor's, which checks them",
    "handle": "takes a FakeRequest from a face, not a scene value",
    "mount": "takes a responses.RequestsMock",
}


@pytest.mark.parametrize(
    ("method", "case", "call", "mentions"),
    BAD_SCENES,
    ids=[f"{row[0]}: {row[1]}" for row in BAD_SCENES],
)
def test_a_bad_scene_value_is_an_invalid_argument(
    method: str, case: str, call: Callable[[], object], mentions: str
) -> None:
    with pytest.raises(wk.InvalidArgument) as raised:
        call()
    assert isinstance(raised.value, wk.WithdrawKitError)
    assert isinstance(raised.value, ValueError)
    assert mentions in str(raised.value)


@pytest.mark.parametrize(
    ("method", "case", "call"), WRONG_TYPES, ids=[f"{row[0]}: {row[1]}" for row in WRONG_TYPES]
)
def test_a_float_or_a_wrong_type_is_a_type_error(
    method: str, case: str, call: Callable[[], object]
) -> None:
    with pytest.raises(TypeError):
        call()


def scene_methods(fake_type: type[Any]) -> set[str]:
    """Every public method of ``fake_type`` taking an argument, and every settable property."""
    found = set()
    for name in dir(fake_type):
        if name.startswith("_") or name in NOT_SCENES:
            continue
        attribute = inspect.getattr_static(fake_type, name)
        if isinstance(attribute, property):
            if attribute.fset is not None:
                found.add(name)
        elif inspect.isfunction(attribute) and len(inspect.signature(attribute).parameters) > 1:
            found.add(name)
    return found


# Scene methods whose every argument's values are all possible: only a wrong type is refused.
TYPE_ONLY = {
    "sign_webhook": "any bytes can be signed",
    "set_credit_conditions": "two flags: every combination is a scene",
}


def _spy(name: str, function: Callable[..., Any], entered: set[str]) -> Callable[..., Any]:
    @functools.wraps(function)
    def spy(*args: Any, **kwargs: Any) -> Any:
        entered.add(name)
        return function(*args, **kwargs)

    return spy


@contextmanager
def methods_entered(fake_type: type[Any]) -> Iterator[set[str]]:
    """The names of ``fake_type``'s scene methods (setters included) the block calls."""
    entered: set[str] = set()
    with pytest.MonkeyPatch.context() as patch:
        for name in scene_methods(fake_type):
            attribute = inspect.getattr_static(fake_type, name)
            if isinstance(attribute, property):
                assert attribute.fset is not None
                spied = property(attribute.fget, _spy(name, attribute.fset, entered))
                patch.setattr(fake_type, name, spied)
            else:
                patch.setattr(fake_type, name, _spy(name, attribute, entered))
        yield entered


def _rows_entering(
    fake_type: type[Any],
    rows: Sequence[tuple[str, str, Callable[[], object]]],
    refusal: type[Exception],
) -> set[str]:
    """The methods of ``fake_type`` that ``rows`` cover; each row must enter the method its
    label names and be refused there with ``refusal``."""
    prefix = f"{fake_type.__name__}."
    covered = set()
    for method, case, call in rows:
        if not method.startswith(prefix):
            continue
        name = method.removeprefix(prefix)
        with methods_entered(fake_type) as entered, pytest.raises(refusal):
            call()
        assert name in entered, f"{method} ({case}): the call never reached {name}"
        covered.add(name)
    return covered


@pytest.mark.parametrize("fake_type", [FakeRipio, FakeOneKonto], ids=lambda kind: kind.__name__)
def test_every_scene_method_has_a_bad_scene(fake_type: type[Any]) -> None:
    impossible = [(method, case, call) for method, case, call, _ in BAD_SCENES]
    refused_values = _rows_entering(fake_type, impossible, wk.InvalidArgument)
    refused_types = _rows_entering(fake_type, WRONG_TYPES, TypeError)
    expected = scene_methods(fake_type)
    assert sorted(expected - refused_values - TYPE_ONLY.keys()) == []
    assert sorted((expected & TYPE_ONLY.keys()) - refused_types) == []


def test_type_only_names_scene_methods() -> None:
    assert TYPE_ONLY.keys() <= scene_methods(FakeRipio) | scene_methods(FakeOneKonto)


def test_a_row_that_never_reaches_its_method_does_not_count() -> None:
    misfiled = [("FakeRipio.set_rate", "refused before set_rate", lambda: FakeRipio(page_size=0))]
    with pytest.raises(AssertionError, match="never reached set_rate"):
        _rows_entering(FakeRipio, misfiled, wk.InvalidArgument)


def test_the_method_list_is_derived_from_the_class() -> None:
    class FakeRipioWithMore(FakeRipio):
        def set_weather(self, sky: str) -> None:
            """A scene method nobody wrote a bad scene for."""

        def snapshot(self) -> None:
            """No arguments: nothing to refuse."""

    assert "set_weather" in scene_methods(FakeRipioWithMore)
    assert "snapshot" not in scene_methods(FakeRipioWithMore)
    assert {"deposit", "complete", "page_size", "pending_polls"} <= scene_methods(FakeRipio)


def test_minus_zero_reaches_the_wire_as_zero() -> None:
    ripio = FakeRipio()
    ripio.set_limit(
        "customer_10",
        type="BUY",
        currency="ARS",
        period="DAILY",
        allowed_amount="-0.00",
        allowed_frequency="-0",
    )
    ripio.add_network("SOL", "SOLANA", gas_price="-0", fee_rate=Decimal("-0"))
    ripio.deposit("customer_10", "1 SOL")
    with ripio.mock(), ripio.client() as client:
        (limit,) = client.list_end_user_limits("customer_10")
        fee = client.create_withdrawal_fee("1 SOL", network="SOLANA")
    assert (str(limit.allowed_amount), str(limit.allowed_frequency)) == ("0.00", "0")
    assert (str(fee.gas_price), str(fee.fee)) == ("0", "0")

    onekonto = FakeOneKonto()
    onekonto.set_fee("-0")
    assert not onekonto.state.accounts[onekonto.account_id].fee_rate.is_signed()


def test_a_limit_may_count_a_crypto_currency() -> None:
    """Ripio's limit object does not say its currency is fiat: a BTC limit is a real scene."""
    fake = FakeRipio()
    fake.set_limit(
        "customer_10",
        type="SELL",
        currency="BTC",
        period="MONTHLY",
        allowed_amount="0.5",
        allowed_frequency=3,
    )
    with fake.mock(), fake.client() as client:
        (limit,) = client.list_end_user_limits("customer_10")
    assert (limit.currency, str(limit.allowed_amount)) == ("BTC", "0.5")


def test_an_end_user_ref_of_the_longest_length_is_a_scene() -> None:
    fake = FakeRipio()
    fake.add_end_user("r" * 250)
    assert fake.balance("r" * 250, "BTC") == 0


def test_the_bounds_themselves_are_scenes() -> None:
    fake = FakeRipio(page_size=1000, pending_polls=10_000)
    fake.wait_for_webhooks(600)
    assert (fake.page_size, fake.pending_polls) == (1000, 10_000)
