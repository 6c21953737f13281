"""``wait``'s progress: a live line (state, time waited, next poll) on a terminal, plain lines
when piped. The terminal case runs the real script with its stderr on a pseudo-terminal."""

from __future__ import annotations

import io
import logging
import os
import pty
import select
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import responses
from rich.console import Console

from tests.cli.support import ripio_env, script
from tests.clocks import SimulatedTime
from tests.ripio_support import BASE as RIPIO_BASE
from tests.ripio_support import SECRET, WITHDRAWALS_URL, add_token, withdrawal
from withdrawkit import RipioClient, ServerError, StillPending, Withdrawal, WithdrawKitError
from withdrawkit._cli.main import show_library_warnings
from withdrawkit._cli.waiting import Progress, WaitTimedOut, follow
from withdrawkit.testing import FakeRipio

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
WITHDRAWAL_ID = "00000000-0000-4000-8000-000000000001"
WITHDRAWAL_URL = f"{WITHDRAWALS_URL}{WITHDRAWAL_ID}/"


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
    progress.paused(5, None)
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


def test_a_failed_poll_shows_on_the_live_line_until_a_poll_reads_a_state() -> None:
    clock = ManualClock()
    progress = Progress(Console(file=io.StringIO(), force_terminal=True), what="w-1", clock=clock)
    progress.update("PENDING")
    progress.paused(2, ServerError(provider="ripio", http_status=503))
    assert (
        str(progress.__rich__()) == "PENDING  waited 0s  last poll failed  next poll in 2s  (w-1)"
    )
    progress.paused(3, None)  # the next poll read the same state: no update, but no failure
    assert str(progress.__rich__()) == "PENDING  waited 0s  next poll in 3s  (w-1)"


class RecordedProgress(Progress):
    """A Progress that also notes, in order, each pause the wait announced and the live line
    as it reads right after."""

    def __init__(self, console: Console, *, clock: Callable[[], float]) -> None:
        super().__init__(console, what="w-1", clock=clock)
        self.pauses: list[tuple[float, WithdrawKitError | None]] = []
        self.lines: list[str] = []

    def paused(self, seconds: float, failure: WithdrawKitError | None) -> None:
        self.pauses.append((seconds, failure))
        super().paused(seconds, failure)
        self.lines.append(str(self.__rich__()))


def answer(rsps: responses.RequestsMock, *replies: str | int) -> None:
    """Each reply a status read or an HTTP error status, in order."""
    add_token(rsps)
    for reply in replies:
        if isinstance(reply, int):
            rsps.add(responses.GET, WITHDRAWAL_URL, status=reply, json={"detail": "unavailable"})
        else:
            rsps.add(responses.GET, WITHDRAWAL_URL, json=withdrawal(status=reply))


def follow_withdrawal(
    client: RipioClient, progress: Progress, *, timeout: float = 600
) -> Withdrawal:
    return follow(
        lambda on_update, on_pause: client.wait_for_withdrawal(
            WITHDRAWAL_ID,
            timeout=timeout,
            poll_interval=2,
            on_update=on_update,
            on_pause=on_pause,
        ),
        status_of=lambda state: str(state.status.value) if state.status else "UNKNOWN",
        timeout=timeout,
        progress=progress,
    )


def test_the_failed_marker_clears_after_the_next_successful_poll(
    rsps: responses.RequestsMock,
) -> None:
    time = SimulatedTime()
    client = time.install(RipioClient(RIPIO_BASE, client_id="id", client_secret=SECRET))
    # PENDING, a 503 that outlasts the transport's own retries, PENDING three times, COMPLETED.
    answer(rsps, "PENDING", 503, 503, 503, "PENDING", "PENDING", "PENDING", "COMPLETED")
    terminal = Console(file=io.StringIO(), force_terminal=True, width=200)
    progress = RecordedProgress(terminal, clock=lambda: time.monotonic)

    done = follow_withdrawal(client, progress)

    assert done.status == "COMPLETED"
    marked = ["last poll failed" in line for line in progress.lines]
    assert marked == [False, True, False, False, False]
    assert "last poll failed" not in str(progress.__rich__())


def test_the_wait_is_the_clients_own_a_failed_poll_is_retried_and_the_timeout_exits_14(
    rsps: responses.RequestsMock,
) -> None:
    time = SimulatedTime()
    client = time.install(RipioClient(RIPIO_BASE, client_id="id", client_secret=SECRET))
    installed = client._clocks
    answer(rsps, 503, 503, 503, "PENDING")  # the first read and the transport's two retries
    written = io.StringIO()
    progress = RecordedProgress(Console(file=written, width=200), clock=lambda: time.monotonic)
    with pytest.raises(WaitTimedOut) as timed_out:
        follow_withdrawal(client, progress, timeout=10)
    assert str(timed_out.value) == "still PENDING after 10s"
    assert timed_out.value.exit_code == 14
    assert isinstance(timed_out.value.__cause__, StillPending)
    assert isinstance(timed_out.value.last_state, Withdrawal)
    # The wait's pauses are told with the failure behind each: the 503, then none. The
    # transport's two pauses before retrying the 503 come first and are not the wait's.
    told = progress.pauses
    assert [type(failure) for _, failure in told] == [ServerError] + [type(None)] * (len(told) - 1)
    assert [seconds for seconds, _ in told] == time.sleeps[2:]
    assert sum(time.sleeps) == pytest.approx(10)
    assert client._clocks is installed
    # Piped: one line for the one state, none for the failed poll.
    waited_before_it = sum(time.sleeps[:3])
    assert written.getvalue().splitlines() == [f"{waited_before_it:7.1f}s  w-1: PENDING"]


def test_a_status_withdrawkit_does_not_know_is_a_warning_line_on_stderr(
    rsps: responses.RequestsMock, capsys: pytest.CaptureFixture[str]
) -> None:
    time = SimulatedTime()
    client = time.install(RipioClient(RIPIO_BASE, client_id="id", client_secret=SECRET))
    answer(rsps, "PENDING", "IN_REVIEW", "COMPLETED")
    progress = Progress(
        Console(file=io.StringIO(), width=200), what="w-1", clock=lambda: time.monotonic
    )
    logger = logging.getLogger("withdrawkit")
    before = list(logger.handlers)
    show_library_warnings()  # as the command line does first
    try:
        assert follow_withdrawal(client, progress).status == "COMPLETED"
    finally:
        for handler in set(logger.handlers) - set(before):
            logger.removeHandler(handler)
    assert (
        f"warning: Ripio withdrawal {WITHDRAWAL_ID} has a status withdrawkit does not know"
        " (IN_REVIEW); waiting on as if pending"
    ) in capsys.readouterr().err.splitlines()


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
