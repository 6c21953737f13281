"""The command line end to end: ``nox -s demo_cli`` runs it.

It does what an operator and a test suite in another language would: start
``withdrawkit fake serve ripio`` (and ``onekonto``) as servers, set the scene through the
control surface with plain HTTP, then run the real ``withdrawkit`` commands against them,
printing each command line and what it printed. A withdrawal is asked for, confirmed, completed
and waited for; a lost answer shows the reference and the command that finds it. Exits non-zero
when any step does not end as shown.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

ADDRESS: Final = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
WALLET: Final = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
TIMEOUT: Final = 60


class DemoFailure(Exception):
    """A step did not end the way the demo says it does."""


def script() -> str:
    found = shutil.which("withdrawkit", path=str(Path(sys.executable).parent))
    if found is None:
        raise DemoFailure("the withdrawkit script is not installed: pip install '.[cli]'")
    return found


class Server:
    """``withdrawkit fake serve PROVIDER --json`` in the background."""

    def __init__(self, provider: str) -> None:
        self.process = subprocess.Popen(
            [script(), "fake", "serve", provider, "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        first = self.process.stdout.readline() if self.process.stdout is not None else ""
        if not first:
            raise DemoFailure(f"withdrawkit fake serve {provider} printed nothing")
        announced = json.loads(first)
        self.url: str = announced["url"]
        self.control: str = announced["control"]
        self.credentials: dict[str, str] = announced["credentials"]

    def control_post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body or {}).encode()
        request = urllib.request.Request(f"{self.control}{path}", data=data, method="POST")  # noqa: S310
        print(f"$ curl -X POST {self.control}{path} -d '{json.dumps(body or {})}'")
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310 - loopback
            text = answer.read().decode()
        print(text)
        return json.loads(text, parse_float=Decimal)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        self.process.communicate(timeout=TIMEOUT)
        return self.process.returncode


def withdrawkit(
    *arguments: str, env: dict[str, str], answer: str = "", expect: int = 0
) -> subprocess.CompletedProcess[str]:
    """Run one command as a person would type it, and print what it printed."""
    print(
        f"\n$ withdrawkit {shlex.join(arguments)}"
        + (f"   # answering {answer!r}" if answer else "")
    )
    done = subprocess.run(
        [script(), *arguments],
        input=answer,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=TIMEOUT,
        check=False,
    )
    sys.stdout.write(done.stderr + done.stdout)
    print(f"[exit {done.returncode}]")
    if done.returncode != expect:
        raise DemoFailure(f"withdrawkit {shlex.join(arguments)} exited {done.returncode}")
    return done


def ripio_walk(server: Server, env: dict[str, str]) -> None:
    print(f"\n== Ripio: a fake served at {server.url}; give customer_10 some ETH")
    server.control_post("deposit", {"end_user": "customer_10", "amount": "1 ETH"})
    to = ("--end-user", "customer_10", "--address", ADDRESS, "--network", "ETHEREUM")

    print("\n== Withdraw: the command shows what it will send and asks")
    sent = withdrawkit(
        "ripio",
        "withdraw",
        "0.25",
        "ETH",
        *to,
        "--external-ref",
        "payout-1",
        "--json",
        env=env,
        answer="y\n",
    )
    withdrawal_id = json.loads(sent.stdout)["id"]
    withdrawkit("ripio", "withdraw", "0.25", "ETH", *to, env=env, answer="n\n", expect=3)

    print("\n== The chain confirms it (the control surface plays the chain); wait follows it")
    server.control_post(f"withdrawals/{withdrawal_id}/complete")
    done = withdrawkit("ripio", "wait", withdrawal_id, "--json", env=env)
    if json.loads(done.stdout)["status"] != "COMPLETED":
        raise DemoFailure("the withdrawal should be COMPLETED")

    print("\n== The answer is lost: the reference and the command that finds it")
    server.control_post(
        "faults", {"operation": "createWithdrawal", "fault": "drop", "request_applied": True}
    )
    lost = withdrawkit(
        "ripio",
        "withdraw",
        "0.1",
        "ETH",
        *to,
        "--external-ref",
        "payout-2",
        "--yes",
        env=env,
        expect=12,
    )
    lines = lost.stderr.splitlines()
    lookup = shlex.split(lines[lines.index("Look it up before trying again:") + 1])
    withdrawkit(*lookup[1:], env=env)
    withdrawkit("ripio", "list", env=env)
    withdrawkit("ripio", "withdraw", "5", "ETH", *to, "--yes", env=env, expect=22)


def onekonto_walk(server: Server, env: dict[str, str]) -> None:
    print(f"\n== 1Konto: a fake served at {server.url}")
    server.control_post("deposit", {"amount": "2 BTC"})
    server.control_post("whitelist", {"network": "bitcoin", "address": WALLET})
    withdrawkit("onekonto", "balances", env=env)
    sent = withdrawkit(
        "onekonto",
        "withdraw",
        "1.5",
        "BTC",
        "--network",
        "bitcoin",
        "--address",
        WALLET,
        "--yes",
        "--json",
        env=env,
    )
    request_id = json.loads(sent.stdout)["withdrawRequestId"]
    server.control_post(f"withdrawals/{request_id}/fail", {"status": "rejected"})
    withdrawkit("onekonto", "wait", request_id, env=env, expect=5)
    withdrawkit("onekonto", "balances", env=env)


def main() -> int:
    with tempfile.TemporaryDirectory() as home:
        # A home of its own: no config file of this machine is read.
        base = {"HOME": home, "XDG_CONFIG_HOME": home}
        servers = [Server("ripio"), Server("onekonto")]
        try:
            ripio_walk(servers[0], {**base, **servers[0].credentials})
            onekonto_walk(servers[1], {**base, **servers[1].credentials})
        except DemoFailure as failure:
            print(f"\nDEMO FAILED: {failure}")
            return 1
        finally:
            codes = [server.stop() for server in servers]
        if codes != [0, 0]:
            print(f"\nDEMO FAILED: the fake servers exited {codes} on SIGTERM")
            return 1
    print("\nBoth fake servers stopped cleanly on SIGTERM; every command ended as shown.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
