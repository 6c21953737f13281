"""``scripts/demo.py``, the walk-through ``nox -s demo`` runs, works and checks what it shows."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "scripts" / "demo.py"


def run_demo() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(DEMO)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            "PYTHONPATH": f"{ROOT / 'facade'}:{ROOT / 'generated'}",
            "PATH": "/usr/bin:/bin",
        },
        timeout=60,
        check=False,
    )


def load_demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("withdrawkit_demo", DEMO)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_runs_to_the_end_and_shows_each_outcome() -> None:
    result = run_demo()
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    expected = [
        "BTC: free 999, locked 0, available 999",
        "BTC now: free 997.5, locked 0",
        "InsufficientFunds: requested 1100 BTC, available 997.5 BTC",
        "ValidationFailed: Address: bc1qstranger is not a whitelisted wallet of this account",
        "refusals move no money: BTC free 997.5, locked 0",
        "USDT/USD: bid 0.99900025 x 100000, ask 1.00100025 x 100000",
        "sell 5000 USDT for 4995.00125 USD at 0.99900025 USDT/USD",
        "USDT now: free 2577.7895",
        "USD now: free 7495.00125",
        "BTC now: free 997.6",
        "the ledger booked 4 trade entries: -5000 USDT, 4995.00125 USD, -2422.2105 USDT, 0.1 BTC",
        "demo-payout-1: 0.002 ETH COMPLETED",
        "pages fetched: 1, 2, 3",
        "customer_10 has 0.94367 ETH left: 1 ETH less 0.05633 ETH debited",
        "handler verified FIAT_DEPOSIT.COMPLETED for 12345.67 ARS of customer_10",
        "handler verified FIAT_WITHDRAWAL.COMPLETED for 10000 ARS of customer_10",
        "a tampered copy of the last webhook was answered 400",
        "customer_10 has 2345.67 ARS left",
    ]
    for line in expected:
        assert line in lines, f"{line!r} not in the demo's output:\n{result.stdout}"
    accepted = [line for line in lines if line.startswith("quote accepted ")]
    assert len(accepted) == 1
    assert accepted[0].endswith(": filled, 5000 USDT -> 4995.00125 USD at 0.99900025 USDT/USD")
    (market,) = [line for line in lines if line.startswith("market order ")]
    assert ": filled, 2422.2105 USDT -> 0.1 BTC at 0.00004128460346448006892877394" in market
    polls = [line for line in lines if line.startswith("poll ")]
    assert polls[-1] == "poll 2: 0.002 ETH: COMPLETED"
    assert any(line.endswith(": completed") for line in polls)
    assert lines[-1].startswith("Done in") and "every step behaved as described" in lines[-1]
    assert result.stderr == ""


def test_the_demo_explains_what_it_prints_and_ends_with_what_to_read_next() -> None:
    result = run_demo()
    assert result.returncode == 0, result.stdout + result.stderr
    text = " ".join(result.stdout.split())
    assert "USD: free 2500, locked 0, available 4500" in text
    assert (
        "USD available 4500 = free 2500 + the 2000 USD credit line 1Konto extends to this account "
        "(its limit, -2000). Credit pays for trades only: a withdrawal draws on free." in text
    )
    assert "localhost" not in result.stdout  # the fake's `next` links are no user's business
    steps = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    assert steps[-1] == "== What to read next"
    tail = result.stdout.split("== What to read next", 1)[1]
    sections = re.findall(r"README\.md '([^']+)'", tail)
    assert "Testing your code with withdrawkit.testing" in sections
    headings = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for section in sections:
        assert f"## {section}" in headings, f"the demo points at a README section {section!r}"
    assert "help(wk.OneKontoClient)" in tail
    assert tail.strip().splitlines()[-1].startswith("Done in")


def test_the_demo_fails_when_a_final_balance_is_not_what_it_says(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = load_demo()
    monkeypatch.setattr(demo, "ETH_LEFT", Decimal("0.95"))
    assert demo.main() == 1
    captured = capsys.readouterr()
    assert "DEMO FAILED: DemoFailure: 0.95 ETH should be left" in captured.err
