"""``withdrawkit ripio ...`` run as a child process against FakeRipio served on loopback."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli.support import Run, assert_sent_at, ripio_env, run
from withdrawkit.testing import FakeRipio

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
WITHDRAW = ("--end-user", "customer_10", "--address", ADDRESS, "--network", "ETHEREUM")


@pytest.fixture
def fake() -> Iterator[FakeRipio]:
    fake = FakeRipio()
    fake.deposit("customer_10", "2 ETH")
    with fake.serve():
        yield fake


def ripio(fake: FakeRipio, home: Path, *arguments: str, answer: str | None = None) -> Run:
    return run("ripio", *arguments, env=ripio_env(fake.url), home=home, answer=answer)


def test_withdraw_shows_what_it_will_send_and_sends_on_yes(fake: FakeRipio, tmp_path: Path) -> None:
    done = ripio(
        fake,
        tmp_path,
        "withdraw",
        "0.25",
        "ETH",
        *WITHDRAW,
        "--external-ref",
        "payout-1",
        answer="y\n",
    )
    assert done.code == 0, done.stderr
    plan = done.stderr.splitlines()
    assert plan[0] == "About to withdraw 0.25 ETH from customer_10 on Ripio:"
    for name, value in [
        ("end_user", "customer_10"),
        ("currency", "ETH"),
        ("amount", "0.25"),
        ("address", ADDRESS),
        ("network", "ETHEREUM"),
        ("external_ref", "payout-1"),
        ("to", f"POST {fake.url}/api/v1/withdrawals/"),
    ]:
        assert any(line.split() == [name, *value.split()] for line in plan), (name, plan)
    assert "withdrawal_fee_id" not in done.stderr  # not sent, so not shown
    assert "Send it? [y/N]:" in done.stderr
    (created,) = fake.withdrawals()
    assert (created.external_ref, created.amount) == ("payout-1", Decimal("0.25"))
    assert f"id            {created.id}" in done.stdout
    assert f"withdrawkit ripio wait {created.id}" in done.stderr


@pytest.mark.parametrize("answer", ["n\n", "\n", None], ids=["no", "enter", "no-stdin"])
def test_withdraw_not_confirmed_sends_nothing_and_exits_3(
    fake: FakeRipio, tmp_path: Path, answer: str | None
) -> None:
    done = ripio(fake, tmp_path, "withdraw", "0.25 ETH", *WITHDRAW, answer=answer)
    assert done.code == 3
    assert "not confirmed; nothing was sent" in done.stderr
    assert fake.calls("createWithdrawal") == []
    assert fake.withdrawals() == []


def test_withdraw_yes_sends_without_asking_and_prints_a_generated_reference(
    fake: FakeRipio, tmp_path: Path
) -> None:
    done = ripio(fake, tmp_path, "withdraw", "0.25 ETH", *WITHDRAW, "--yes", "--json")
    assert done.code == 0, done.stderr
    assert "Send it?" not in done.stderr
    sent = done.json()
    (created,) = fake.withdrawals()
    assert sent["id"] == created.id
    assert sent["external_ref"] == created.external_ref
    assert f"external_ref  {created.external_ref}" in done.stderr  # shown before it was sent


def test_an_unknown_outcome_prints_the_reference_and_a_lookup_that_finds_it(
    fake: FakeRipio, tmp_path: Path
) -> None:
    fake.faults.drop_connection("createWithdrawal", request_applied=True)
    done = ripio(
        fake, tmp_path, "withdraw", "0.25 ETH", *WITHDRAW, "--external-ref", "payout-7", "--yes"
    )
    assert done.code == 12, done.stderr
    assert "it was NOT sent again" in done.stderr
    assert "Its reference: payout-7" in done.stderr
    assert "error: OutcomeUnknown:" in done.stderr
    assert len(fake.calls("createWithdrawal")) == 1
    lines = done.stderr.splitlines()
    lookup = shlex.split(lines[lines.index("Look it up before trying again:") + 1])
    assert lookup[:5] == ["withdrawkit", "ripio", "find", "payout-7", "--since"]
    (created,) = fake.withdrawals()
    assert_sent_at(lookup[5], created.created_at)
    found = ripio(fake, tmp_path, *lookup[2:], "--json")
    assert found.code == 0, found.stderr
    assert found.json()["external_ref"] == "payout-7"
    assert found.json()["id"] == fake.withdrawals()[0].id


def test_find_exits_28_when_nothing_has_the_reference(fake: FakeRipio, tmp_path: Path) -> None:
    done = ripio(fake, tmp_path, "find", "payout-404", "--json")
    assert done.code == 28
    assert done.json() is None
    assert "no withdrawal with external_ref 'payout-404'" in done.stderr


def test_find_reads_from_since_and_refuses_a_time_without_its_offset(
    fake: FakeRipio, tmp_path: Path
) -> None:
    sent = ripio(fake, tmp_path, "withdraw", "0.1 ETH", *WITHDRAW, "--external-ref", "p-9", "--yes")
    assert sent.code == 0, sent.stderr
    (created,) = fake.withdrawals()
    since = created.created_at.isoformat()
    found = ripio(fake, tmp_path, "find", "p-9", "--since", since, "--json")
    assert found.code == 0, found.stderr
    assert found.json()["id"] == created.id
    naive = ripio(fake, tmp_path, "find", "p-9", "--since", "2026-12-01T10:00:00")
    assert naive.code == 2
    assert "give the time's offset" in naive.stderr
    assert ripio(fake, tmp_path, "find", "p-9", "--since", "yesterday").code == 2


def test_status_json_parses_back_with_every_digit(fake: FakeRipio, tmp_path: Path) -> None:
    amount = "0.123456789012345678"
    sent = ripio(fake, tmp_path, "withdraw", amount, "ETH", *WITHDRAW, "--yes")
    assert sent.code == 0, sent.stderr
    (created,) = fake.withdrawals()
    done = ripio(fake, tmp_path, "status", created.id, "--json")
    assert done.code == 0, done.stderr
    shown = done.json()
    assert shown["amount"] == Decimal(amount)
    assert f'"amount":{amount}' in done.stdout  # written as the exact JSON number
    assert shown["status"] == "PENDING"
    assert shown["debited_amount"] == created.debited_amount


def test_list_prints_every_withdrawal_as_json_and_as_an_unclipped_table(
    fake: FakeRipio, tmp_path: Path
) -> None:
    fake.page_size = 2
    for number in range(3):
        sent = ripio(
            fake,
            tmp_path,
            "withdraw",
            "0.01 ETH",
            *WITHDRAW,
            "--external-ref",
            f"p-{number}",
            "--yes",
        )
        assert sent.code == 0, sent.stderr
    as_json = ripio(fake, tmp_path, "list", "--json")
    assert as_json.code == 0, as_json.stderr
    assert sorted(row["external_ref"] for row in as_json.json()) == ["p-0", "p-1", "p-2"]
    table = ripio(fake, tmp_path, "list")
    assert table.code == 0
    for record in fake.withdrawals():
        assert record.id in table.stdout  # piped: never cut short with an ellipsis
    limited = ripio(fake, tmp_path, "list", "--limit", "1", "--json")
    assert len(limited.json()) == 1


def test_fee_holds_a_fee_that_withdraw_can_use(fake: FakeRipio, tmp_path: Path) -> None:
    held = ripio(fake, tmp_path, "fee", "0.5 ETH", "--network", "ETHEREUM", "--json")
    assert held.code == 0, held.stderr
    fee_id = held.json()["id"]
    assert held.json()["amount"] == Decimal("0.5")
    sent = ripio(fake, tmp_path, "withdraw", "0.5 ETH", *WITHDRAW, "--fee-id", fee_id, "--yes")
    assert sent.code == 0, sent.stderr
    assert f"withdrawal_fee_id  {fee_id}" in sent.stderr
    assert fake.held_fees()[0].used_by == fake.withdrawals()[0].id


def test_wait_piped_prints_a_line_per_state_and_exits_0_when_completed(
    fake: FakeRipio, tmp_path: Path
) -> None:
    fake.pending_polls = 2
    sent = ripio(fake, tmp_path, "withdraw", "0.1 ETH", *WITHDRAW, "--yes", "--json")
    withdrawal_id = sent.json()["id"]
    done = ripio(fake, tmp_path, "wait", withdrawal_id, "--poll-interval", "0.05", "--json")
    assert done.code == 0, done.stderr
    states = [line.split()[-1] for line in done.stderr.splitlines()]
    assert states == ["PENDING", "COMPLETED"]
    assert all(line.split()[0].endswith("s") for line in done.stderr.splitlines())
    assert done.json()["status"] == "COMPLETED"
    assert done.json()["txn_hash"] is not None


def test_a_transient_503_during_wait_is_polled_through(fake: FakeRipio, tmp_path: Path) -> None:
    fake.pending_polls = 2
    sent = ripio(fake, tmp_path, "withdraw", "0.1 ETH", *WITHDRAW, "--yes", "--json")
    # Three 503s outlast the transport's own two retries: the wait itself must poll again.
    fake.faults.fail_next("getWithdrawal", times=3, status=503)
    done = ripio(fake, tmp_path, "wait", sent.json()["id"], "--poll-interval", "0.05", "--json")
    assert done.code == 0, done.stderr
    assert fake.faults.pending("getWithdrawal") == 0
    lines = done.stderr.splitlines()
    # The library's warning about the failed poll reaches the operator, then the states.
    warnings = [line for line in lines if line.startswith("warning: ")]
    assert len(warnings) == 1
    assert "polling failed, polling again" in warnings[0]
    assert "(HTTP 503)" in warnings[0]
    states = [line.split()[-1] for line in lines if line not in warnings]
    assert states == ["PENDING", "COMPLETED"]
    assert done.json()["status"] == "COMPLETED"


def test_wait_exits_5_when_the_withdrawal_ends_in_error(fake: FakeRipio, tmp_path: Path) -> None:
    sent = ripio(fake, tmp_path, "withdraw", "0.1 ETH", *WITHDRAW, "--yes", "--json")
    fake.fail(sent.json()["id"])
    done = ripio(fake, tmp_path, "wait", sent.json()["id"], "--poll-interval", "0.05")
    assert done.code == 5
    assert "ERROR" in done.stdout


def test_wait_that_runs_out_of_time_exits_14(fake: FakeRipio, tmp_path: Path) -> None:
    sent = ripio(fake, tmp_path, "withdraw", "0.1 ETH", *WITHDRAW, "--yes", "--json")
    done = ripio(
        fake, tmp_path, "wait", sent.json()["id"], "--timeout", "0.3", "--poll-interval", "0.05"
    )
    assert done.code == 14, done.stderr
    assert "still PENDING" in done.stderr
