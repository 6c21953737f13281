"""``withdrawkit ripio`` end users, balances, limits, rates and fiat withdrawals, run as a child
process against FakeRipio served on loopback."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli.support import Run, assert_sent_at, ripio_env, run
from withdrawkit.testing import FakeRipio


@pytest.fixture
def fake() -> Iterator[FakeRipio]:
    fake = FakeRipio()
    fake.deposit("customer_10", "0.00206525633592975968892629 BTC")
    fake.deposit_fiat("customer_10", "20000 ARS")
    with fake.serve():
        yield fake


def ripio(fake: FakeRipio, home: Path, *arguments: str, answer: str | None = None) -> Run:
    return run("ripio", *arguments, env=ripio_env(fake.url), home=home, answer=answer)


def test_balances_addresses_limits_and_rates(fake: FakeRipio, tmp_path: Path) -> None:
    fake.set_limit(
        "customer_10",
        type="SELL",
        currency="ARS",
        period="DAILY",
        allowed_amount="500000",
        allowed_frequency=10,
    )
    fake.set_rate("BTC_ARS", "95000000.5", "94000000.25")
    balances = ripio(fake, tmp_path, "balances", "customer_10", "--json")
    assert balances.code == 0, balances.stderr
    by_currency = {row["currency"]: row["balance"] for row in balances.json()}
    assert by_currency["BTC"] == Decimal("0.00206525633592975968892629")
    table = ripio(fake, tmp_path, "balances", "customer_10")
    assert "0.00206525633592975968892629" in table.stdout
    addresses = ripio(fake, tmp_path, "addresses", "customer_10", "--json")
    assert {row["network"] for row in addresses.json()} >= {"BITCOIN", "ETHEREUM"}
    limits = ripio(fake, tmp_path, "limits", "customer_10", "--json")
    (limit,) = limits.json()
    assert (limit["type"], limit["allowed_amount"]) == ("SELL", Decimal(500000))
    rates = ripio(fake, tmp_path, "rates")
    assert any(
        line.split() == ["BTC_ARS", "95000000.5", "94000000.25"]
        for line in rates.stdout.splitlines()
    )
    unknown = ripio(fake, tmp_path, "balances", "nobody")
    assert unknown.code == 28


def test_a_fiat_withdrawal_is_shown_asked_paid_and_listed(fake: FakeRipio, tmp_path: Path) -> None:
    account = fake.add_beneficiary_account("customer_10", currency="ARS")
    listed = ripio(fake, tmp_path, "beneficiaries", "customer_10", "--json")
    assert [row["beneficiary_fiat_account_id"] for row in listed.json()] == [account]
    declined = ripio(
        fake,
        tmp_path,
        "fiat-withdraw",
        "12345.67",
        "ARS",
        "--end-user",
        "customer_10",
        "--beneficiary-account",
        account,
        answer="n\n",
    )
    assert declined.code == 3
    assert fake.fiat_withdrawals() == []
    sent = ripio(
        fake,
        tmp_path,
        "fiat-withdraw",
        "12345.67",
        "ARS",
        "--end-user",
        "customer_10",
        "--beneficiary-account",
        account,
        "--external-ref",
        "rent-1",
        "--json",
        answer="y\n",
    )
    assert sent.code == 0, sent.stderr
    assert "amount                       12345.67" in sent.stderr
    assert f"beneficiary_fiat_account_id  {account}" in sent.stderr
    created = sent.json()
    assert (created["amount"], created["external_ref"]) == (Decimal("12345.67"), "rent-1")
    shown = ripio(fake, tmp_path, "fiat-status", created["id"])
    assert "12345.67 ARS" in shown.stdout
    every = ripio(fake, tmp_path, "fiat-list", "--json")
    assert [row["id"] for row in every.json()] == [created["id"]]


def test_a_lost_fiat_withdrawal_is_found_by_the_printed_command(
    fake: FakeRipio, tmp_path: Path
) -> None:
    account = fake.add_beneficiary_account("customer_10", currency="ARS")
    fake.faults.drop_connection("createFiatWithdrawal", request_applied=True)
    lost = ripio(
        fake,
        tmp_path,
        "fiat-withdraw",
        "100 ARS",
        "--end-user",
        "customer_10",
        "--beneficiary-account",
        account,
        "--external-ref",
        "rent-2",
        "--yes",
    )
    assert lost.code == 12, lost.stderr
    lines = lost.stderr.splitlines()
    lookup = shlex.split(lines[lines.index("Look it up before trying again:") + 1])
    assert lookup[:5] == ["withdrawkit", "ripio", "fiat-find", "rent-2", "--since"]
    (created,) = fake.fiat_withdrawals()
    assert_sent_at(lookup[5], created.created_at)
    found = ripio(fake, tmp_path, *lookup[2:], "--json")
    assert found.code == 0, found.stderr
    assert found.json()["external_ref"] == "rent-2"
    assert ripio(fake, tmp_path, "fiat-find", "rent-3").code == 28
