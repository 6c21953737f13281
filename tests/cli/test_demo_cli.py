"""``scripts/demo_cli.py``, the session ``nox -s demo_cli`` runs, works and shows each outcome."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_command_line_demo_runs_to_the_end_and_shows_each_outcome(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo_cli.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line.strip() for line in done.stdout.splitlines()]
    for expected in [
        "About to withdraw 0.25 ETH from customer_10 on Ripio:",
        "Send it? [y/N]: Error: not confirmed; nothing was sent",
        "Its reference: payout-2",
        "external ref  payout-2",
        "[exit 12]",
        "[exit 22]",
        "[exit 5]",
        "Both fake servers stopped cleanly on SIGTERM; every command ended as shown.",
    ]:
        assert expected in lines, f"{expected!r} not in the demo's output:\n{done.stdout}"
    # The lookup printed after the lost answer, and the same command run: with the send time.
    for prefix in (
        "withdrawkit ripio find payout-2 --since ",
        "$ withdrawkit ripio find payout-2 --since ",
    ):
        assert any(line.startswith(prefix) for line in lines), (prefix, done.stdout)
    assert sum(line.startswith("$ withdrawkit ") for line in lines) == 11
