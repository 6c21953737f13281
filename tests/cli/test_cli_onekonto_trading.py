"""``withdrawkit onekonto`` market data, orders and quotes, run as a child process against
FakeOneKonto served on loopback."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli.support import Run, onekonto_env, run
from withdrawkit.testing import FakeOneKonto


@pytest.fixture
def fake() -> Iterator[FakeOneKonto]:
    fake = FakeOneKonto()
    fake.deposit("10000 USDT")
    fake.set_book("BTC/USDT", bids=[("49000", "2")], asks=[("50000", "2")])
    with fake.serve():
        yield fake


def onekonto(fake: FakeOneKonto, home: Path, *arguments: str, answer: str | None = None) -> Run:
    env = onekonto_env(fake.url, user=fake.user, password=fake.password, account_id=fake.account_id)
    return run("onekonto", *arguments, env=env, home=home, answer=answer)


def test_a_market_order_shows_its_fields_asks_and_fills(fake: FakeOneKonto, tmp_path: Path) -> None:
    done = onekonto(
        fake,
        tmp_path,
        "market-order",
        "5000",
        "USDT",
        "--destination",
        "BTC",
        "--json",
        answer="y\n",
    )
    assert done.code == 0, done.stderr
    assert "About to sell 5000 USDT for BTC at market" in done.stderr
    assert "clientOrderId" not in done.stderr  # the Market Order page documents none
    order = done.json()
    assert order["result"]["status"] == "filled"
    assert order["result"]["total"] == "0.1 BTC"
    assert fake.balance("BTC").free == Decimal("0.1")


def test_a_declined_order_is_not_placed(fake: FakeOneKonto, tmp_path: Path) -> None:
    done = onekonto(fake, tmp_path, "market-order", "5000 USDT", "--destination", "BTC")
    assert done.code == 3
    assert fake.orders() == []


def test_a_lost_order_is_found_by_the_printed_command(fake: FakeOneKonto, tmp_path: Path) -> None:
    fake.faults.drop_connection("placeMarketOrder", request_applied=True)
    done = onekonto(fake, tmp_path, "market-order", "5000 USDT", "--destination", "BTC", "--yes")
    assert done.code == 12, done.stderr
    lines = done.stderr.splitlines()
    lookup = lines[lines.index("Look it up before trying again:") + 1].strip()
    assert lookup == "withdrawkit onekonto orders --source USDT --destination BTC --type market"
    found = onekonto(fake, tmp_path, *shlex.split(lookup)[2:], "--json")
    (order,) = found.json()
    assert order["orderId"] == fake.orders()[0].order_id
    assert len(fake.calls("placeMarketOrder")) == 1


def test_a_quote_is_shown_and_accepted(fake: FakeOneKonto, tmp_path: Path) -> None:
    quoted = onekonto(fake, tmp_path, "quote", "1000 USDT", "--pair", "BTC/USDT", "--json")
    assert quoted.code == 0, quoted.stderr
    quote = quoted.json()
    assert quote["buy"]["price"] == "50000 BTC/USDT"
    table = onekonto(fake, tmp_path, "quote", "1000 USDT", "--pair", "BTC/USDT")
    assert "accept-quote" in table.stderr
    accepted = onekonto(
        fake, tmp_path, "accept-quote", quote["orderId"], "--side", "buy", "--yes", "--json"
    )
    assert accepted.code == 0, accepted.stderr
    assert "About to accept the buy side of quote" in accepted.stderr
    assert accepted.json()["result"]["status"] == "filled"
    again = onekonto(fake, tmp_path, "accept-quote", quote["orderId"], "--side", "buy", "--yes")
    assert again.code == 26  # QuoteAlreadyExecuted


def test_market_data_and_ledger_reads(fake: FakeOneKonto, tmp_path: Path) -> None:
    estimate = onekonto(
        fake, tmp_path, "price", "5000 USDT", "--destination", "BTC", "--quote", "USDT", "--json"
    )
    assert estimate.code == 0, estimate.stderr
    assert estimate.json()["destination"] == "0.1 BTC"
    book = onekonto(fake, tmp_path, "book", "BTC/USDT", "--json")
    assert book.json()["asks"] == [[Decimal(50000), Decimal(2)]]
    ledger = onekonto(fake, tmp_path, "transactions", "--json")
    assert [entry["amount"] for entry in ledger.json()] == ["10000 USDT"]
    shown = onekonto(fake, tmp_path, "order", "nope")
    assert shown.code == 28


def test_a_limit_order_shows_its_limit_as_sent_and_rests(
    fake: FakeOneKonto, tmp_path: Path
) -> None:
    done = onekonto(
        fake,
        tmp_path,
        "limit-order",
        "1000 USDT",
        "--destination",
        "BTC",
        "--limit",
        "0.00003",
        "--end-at",
        "2030-01-01T12:00:00+01:00",
        "--yes",
        "--json",
    )
    assert done.code == 0, done.stderr
    assert "limit        0.00003 USDT/BTC" in done.stderr  # labelled as the client sends it
    assert "endAt        2030-01-01T11:00:00+00:00" in done.stderr
    assert done.json()["result"]["status"] == "submitted"
    (order,) = fake.orders()
    assert order.resting
