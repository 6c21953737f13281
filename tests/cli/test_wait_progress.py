"""``wait``'s progress: a live line (state, time waited, next poll) on a terminal, plain lines
when piped. The terminal case runs the real script with its stderr on a pseudo-terminal."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import time
from pathlib import Path

from rich.console import Console

from tests.cli.support import ripio_env, script
from withdrawkit._cli.waiting import Progress, WaitTimedOut, poll_until_final
from withdrawkit.testing import FakeRipio

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"


class ManualClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_live_line_shows_the_state_the_time_waited_and_the_next_poll() -> None:
    clock = ManualClock()
    progress = Progress(Console(file=io.StringIO(), force_terminal=True), what="w-1", clock=clock)
    assert str(progress.__rich__()) == "reading...  waited 0s  (w-1)"
    progress.update("PENDING")
    clock.now += 3
    progress.sleeping(5)
    clock.now += 1
    assert str(progress.__rich__()) == "PENDING  waited 4s  next poll in 4s  (w-1)"


def test_piped_progress_prints_a_line_per_change_of_state_only() -> None:
    clock = ManualClock()
    written = io.StringIO()
    progress = Progress(Console(file=written, width=200), what="w-1", clock=clock)
    for state in ("PENDING", "PENDING", "COMPLETED"):
        clock.now += 1.5
        progress.update(state)
    assert written.getvalue().splitlines() == ["    1.5s  w-1: PENDING", "    4.5s  w-1: COMPLETED"]


def test_polling_backs_off_and_gives_up_at_the_timeout() -> None:
    clock = ManualClock()
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        clock.now += seconds

    progress = Progress(Console(file=io.StringIO()), what="w-1", clock=clock)
    try:
        poll_until_final(
            lambda: "PENDING",
            status_of=str,
            final=frozenset({"COMPLETED"}),
            timeout=10,
            poll_interval=2,
            progress=progress,
            sleep=sleep,
        )
    except WaitTimedOut as timed_out:
        assert timed_out.last_state == "PENDING"
        assert str(timed_out) == "still PENDING after 10s"
    else:
        raise AssertionError("the wait should have timed out")
    assert pauses == [2, 3, 4.5, 0.5]  # grows by half, the last one cut to the deadline


def test_on_a_terminal_wait_redraws_one_line_and_ends_with_the_final_state(tmp_path: Path) -> None:
    fake = FakeRipio()
    fake.deposit("customer_10", "1 ETH")
    with fake.serve():
        with fake.client() as client:
            created = client.create_withdrawal(
                "0.1 ETH", end_user="customer_10", address=ADDRESS, network="ETHEREUM"
            )
        fake.pending_polls = 2
        screen = run_on_a_terminal(
            [script(), "ripio", "wait", created.id, "--poll-interval", "1"],
            env={**ripio_env(fake.url), "HOME": str(tmp_path), "TERM": "xterm"},
        )
    # An 80-column terminal (the pseudo-terminal's size) shows the state and the countdown.
    assert "PENDING  waited 0s  next poll in 1s  (withdrawal" in screen
    assert f"withdrawal {created.id}: COMPLETED after" in screen


def run_on_a_terminal(argv: list[str], *, env: dict[str, str]) -> str:
    """Run with stderr on a pseudo-terminal; return everything written to it."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=terminal,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
    )
    os.close(terminal)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the child closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif process.poll() is not None:
            break
    os.close(controller)
    process.communicate(timeout=10)
    assert process.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")
