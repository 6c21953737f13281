"""``withdrawkit onekonto ...`` run as a child process against FakeOneKonto served on loopback."""

from __future__ import annotations

import hashlib
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.support import Run, onekonto_env, run
from withdrawkit.testing import FakeOneKonto

WALLET = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
TO_WALLET = ("--network", "bitcoin", "--address", WALLET)


@pytest.fixture
def fake() -> Iterator[FakeOneKonto]:
    fake = FakeOneKonto()
    fake.deposit("2 BTC")
    fake.whitelist_wallet("bitcoin", WALLET)
    with fake.serve():
        yield fake


def env_of(fake: FakeOneKonto) -> dict[str, str]:
    return onekonto_env(
        fake.url, user=fake.user, password=fake.password, account_id=fake.account_id
    )


def onekonto(fake: FakeOneKonto, home: Path, *arguments: str, answer: str | None = None) -> Run:
    return run("onekonto", *arguments, env=env_of(fake), home=home, answer=answer)


def test_balances_as_a_table_and_as_exact_json(fake: FakeOneKonto, tmp_path: Path) -> None:
    fake.deposit("0.00206525633592975968892629 ETH")
    table = onekonto(fake, tmp_path, "balances")
    assert table.code == 0, table.stderr
    assert f"1Konto account {fake.account_id}" in table.stdout
    assert any(line.split()[:3] == ["BTC", "2", "0"] for line in table.stdout.splitlines())
    assert "0.00206525633592975968892629" in table.stdout
    as_json = onekonto(fake, tmp_path, "balances", "--json")
    assert '"free":0.00206525633592975968892629' in as_json.stdout
    assert as_json.json()["balances"]["BTC"]["free"] == 2


def test_withdraw_asks_then_sends_and_status_and_wait_follow_it(
    fake: FakeOneKonto, tmp_path: Path
) -> None:
    sent = onekonto(
        fake,
        tmp_path,
        "withdraw",
        "1.5",
        "BTC",
        *TO_WALLET,
        "--instruction",
        "invoice 42",
        answer="y\n",
    )
    assert sent.code == 0, sent.stderr
    assert f"About to withdraw 1.5 BTC from 1Konto account {fake.account_id}:" in sent.stderr
    assert "instructions  invoice 42" in sent.stderr
    (record,) = fake.withdraw_requests()
    assert list(record.instructions or ()) == ["invoice 42"]
    assert f"id      {record.withdraw_request_id}" in sent.stdout
    shown = onekonto(fake, tmp_path, "status", record.withdraw_request_id, "--json")
    assert shown.json()["requestStatus"] == "pending"
    assert shown.json()["amount"] == "1.5 BTC"
    fake.complete(record.withdraw_request_id)
    done = onekonto(fake, tmp_path, "wait", record.withdraw_request_id, "--json")
    assert done.code == 0, done.stderr
    assert done.json()["requestStatus"] == "completed"


def test_declining_sends_nothing(fake: FakeOneKonto, tmp_path: Path) -> None:
    done = onekonto(fake, tmp_path, "withdraw", "1 BTC", *TO_WALLET, answer="no\n")
    assert done.code == 3
    assert fake.calls("requestWithdrawBlockchain") == []


def test_an_unknown_outcome_prints_a_lookup_that_lists_the_candidates(
    fake: FakeOneKonto, tmp_path: Path
) -> None:
    fake.faults.drop_connection("requestWithdrawBlockchain", request_applied=True)
    done = onekonto(fake, tmp_path, "withdraw", "1.5 BTC", *TO_WALLET, "--yes")
    assert done.code == 12, done.stderr
    lines = done.stderr.splitlines()
    lookup = lines[lines.index("Look it up before trying again:") + 1].strip()
    assert lookup == f"withdrawkit onekonto find '1.5 BTC' --network bitcoin --address {WALLET}"
    found = onekonto(fake, tmp_path, *shlex.split(lookup)[2:], "--json")
    assert found.code == 0, found.stderr
    (row,) = found.json()
    assert row["withdrawRequestId"] == fake.withdraw_requests()[0].withdraw_request_id
    nothing = onekonto(fake, tmp_path, "find", "7 BTC")
    assert nothing.code == 28
    assert "none" in nothing.stdout


def test_find_matches_what_was_sent_as_reconcile_does_and_never_guesses_between_two(
    fake: FakeOneKonto, tmp_path: Path
) -> None:
    for _ in range(2):
        assert onekonto(fake, tmp_path, "withdraw", "0.3 BTC", *TO_WALLET, "--yes").code == 0
    first, second = fake.withdraw_requests()
    both = onekonto(fake, tmp_path, "find", "0.3 BTC", *TO_WALLET, "--json")
    assert both.code == 17, both.stderr  # AmbiguousOutcome's code
    assert {row["withdrawRequestId"] for row in both.json()} == {
        first.withdraw_request_id,
        second.withdraw_request_id,
    }
    assert "will not" in both.stderr and "--exclude" in both.stderr
    known = onekonto(
        fake, tmp_path, "find", "0.3 BTC", *TO_WALLET, "--exclude", first.withdraw_request_id
    )
    assert known.code == 0, known.stderr
    assert second.withdraw_request_id in known.stdout
    assert first.withdraw_request_id not in known.stdout
    # A fiat request is never taken for a blockchain one of the same amount.
    assert onekonto(fake, tmp_path, "find", "0.3 BTC", "--type", "fedwire").code == 28
    misplaced = onekonto(fake, tmp_path, "find", "0.3 BTC", "--routing-number", "021000021")
    assert misplaced.code == 2
    assert "--routing-number is not part of a blockchain withdraw request" in misplaced.stderr


def test_a_lost_fiat_withdrawal_prints_a_lookup_by_method_and_bank_account(
    fake: FakeOneKonto, tmp_path: Path
) -> None:
    fake.deposit("500 USD")
    fake.whitelist_bank_account("021000021", "1234567890")
    fake.faults.drop_connection("requestWithdrawFiat", request_applied=True)
    bank = ("--routing-number", "021000021", "--account-number", "1234567890")
    done = onekonto(fake, tmp_path, "withdraw-fiat", "100 USD", "--type", "fedwire", *bank, "--yes")
    assert done.code == 12, done.stderr
    lines = done.stderr.splitlines()
    lookup = lines[lines.index("Look it up before trying again:") + 1].strip()
    assert lookup == f"withdrawkit onekonto find '100 USD' --type fedwire {' '.join(bank)}"
    found = onekonto(fake, tmp_path, *shlex.split(lookup)[2:], "--json")
    assert found.code == 0, found.stderr
    (row,) = found.json()
    assert row["withdrawRequestId"] == fake.withdraw_requests()[0].withdraw_request_id
    assert row["type"] == "fedwire"


def test_list_filters_by_status(fake: FakeOneKonto, tmp_path: Path) -> None:
    for amount in ("0.1 BTC", "0.2 BTC"):
        assert onekonto(fake, tmp_path, "withdraw", amount, *TO_WALLET, "--yes").code == 0
    first, second = fake.withdraw_requests()
    fake.complete(first.withdraw_request_id)
    pending = onekonto(fake, tmp_path, "list", "--status", "pending", "--json")
    assert [row["withdrawRequestId"] for row in pending.json()] == [second.withdraw_request_id]
    table = onekonto(fake, tmp_path, "list")
    assert first.withdraw_request_id in table.stdout and second.withdraw_request_id in table.stdout


def test_wait_exits_5_when_the_request_is_rejected(fake: FakeOneKonto, tmp_path: Path) -> None:
    assert onekonto(fake, tmp_path, "withdraw", "0.1 BTC", *TO_WALLET, "--yes").code == 0
    (record,) = fake.withdraw_requests()
    fake.fail(record.withdraw_request_id)
    done = onekonto(fake, tmp_path, "wait", record.withdraw_request_id)
    assert done.code == 5
    assert "rejected" in done.stdout


def test_a_transient_503_during_wait_is_polled_through(fake: FakeOneKonto, tmp_path: Path) -> None:
    assert onekonto(fake, tmp_path, "withdraw", "0.1 BTC", *TO_WALLET, "--yes").code == 0
    (record,) = fake.withdraw_requests()
    fake.complete(record.withdraw_request_id)
    # Three 503s outlast the transport's own two retries: the wait itself must poll again.
    fake.faults.fail_next("queryWithdrawRequests", times=3, status=503)
    done = onekonto(
        fake, tmp_path, "wait", record.withdraw_request_id, "--poll-interval", "0.05", "--json"
    )
    assert done.code == 0, done.stderr
    assert fake.faults.pending("queryWithdrawRequests") == 0
    assert done.json()["requestStatus"] == "completed"


def test_a_prehashed_password_logs_in_too(fake: FakeOneKonto, tmp_path: Path) -> None:
    env = env_of(fake)
    env["WITHDRAWKIT_ONEKONTO_PASSWORD_SHA256"] = hashlib.sha256(
        env.pop("WITHDRAWKIT_ONEKONTO_PASSWORD").encode()
    ).hexdigest()
    done = run("onekonto", "balances", env=env, home=tmp_path)
    assert done.code == 0, done.stderr
    both = {**env, "WITHDRAWKIT_ONEKONTO_PASSWORD": "x"}
    refused = run("onekonto", "balances", env=both, home=tmp_path)
    assert refused.code == 4
    assert "exactly one of" in refused.stderr


def test_status_of_an_unknown_request_exits_28(fake: FakeOneKonto, tmp_path: Path) -> None:
    done = onekonto(fake, tmp_path, "status", "nope")
    assert done.code == 28
    assert "error: NotFound:" in done.stderr
