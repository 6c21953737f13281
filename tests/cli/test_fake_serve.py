"""``withdrawkit fake serve`` as another language's suite uses it: a child process, driven by
plain HTTP (the standard library's urllib, not withdrawkit) and stopped by a signal."""

from __future__ import annotations

import json
import signal
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.cli.support import run, script
from tests.loopback import free_port
from withdrawkit._cli.fake import FAKE_PROVIDERS
from withdrawkit._cli.settings import ONEKONTO, RIPIO, environment_name
from withdrawkit.testing._control_scenes import PROVIDERS

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
STOP_TIMEOUT = 10


@attrs.frozen
class Served:
    process: subprocess.Popen[str]
    url: str
    control: str
    credentials: dict[str, str]

    def stop(self, signal_number: int = signal.SIGTERM) -> tuple[int, str]:
        self.process.send_signal(signal_number)
        _, stderr = self.process.communicate(timeout=STOP_TIMEOUT)
        return self.process.returncode, stderr


def start(provider: str, *options: str) -> Served:
    process = subprocess.Popen(
        [script(), "fake", "serve", provider, "--json", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    if not first:
        process.kill()
        raise AssertionError(f"fake serve printed nothing: {process.communicate()}")
    announced = json.loads(first)
    return Served(process, announced["url"], announced["control"], announced["credentials"])


@pytest.fixture
def ripio_server() -> Iterator[Served]:
    served = start("ripio")
    yield served
    if served.process.poll() is None:
        served.process.kill()
        served.process.communicate(timeout=STOP_TIMEOUT)


def call(method: str, url: str, body: object = None) -> tuple[int, Any]:
    """One plain HTTP request; the status and the JSON answer (numbers as Decimal), or the text
    of an answer that is not JSON (Ripio's HTML error pages)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, _decoded(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, _decoded(refused.read())


def _decoded(body: bytes) -> Any:
    try:
        return json.loads(body, parse_float=Decimal)
    except ValueError:
        return body.decode()


def test_a_withdrawal_goes_to_completion_from_the_command_line(
    ripio_server: Served, tmp_path: Path
) -> None:
    """The README's session: serve, deposit, withdraw, complete, wait."""
    env = ripio_server.credentials
    assert call(
        "POST", f"{ripio_server.control}deposit", {"end_user": "customer_10", "amount": "1 ETH"}
    ) == (200, {"end_user": "customer_10", "currency": "ETH", "balance": 1})
    sent = run(
        "ripio",
        "withdraw",
        "0.25",
        "ETH",
        "--end-user",
        "customer_10",
        "--address",
        ADDRESS,
        "--network",
        "ETHEREUM",
        "--json",
        env=env,
        home=tmp_path,
        answer="y\n",
    )
    assert sent.code == 0, sent.stderr
    withdrawal_id = sent.json()["id"]
    assert call("POST", f"{ripio_server.control}withdrawals/{withdrawal_id}/complete") == (
        200,
        {"id": withdrawal_id, "status": "COMPLETED"},
    )
    done = run("ripio", "wait", withdrawal_id, "--json", env=env, home=tmp_path)
    assert done.code == 0, done.stderr
    assert done.json()["status"] == "COMPLETED"
    code, stderr = ripio_server.stop()
    assert (code, stderr.strip()) == (0, "stopped")


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_a_signal_stops_the_server_cleanly(signal_number: int) -> None:
    served = start("onekonto")
    status, _ = call("GET", served.control)
    assert status == 200
    code, stderr = served.stop(signal_number)
    assert code == 0
    assert stderr.strip() == "stopped"
    with pytest.raises(urllib.error.URLError):
        call("GET", served.control)


def test_it_serves_on_the_port_asked_and_prints_ready_made_credentials(tmp_path: Path) -> None:
    port = free_port()
    served = start("onekonto", "--port", str(port), "--seed", "7")
    try:
        assert served.url == f"http://127.0.0.1:{port}"
        assert served.control == f"http://127.0.0.1:{port}/_withdrawkit/"
        balances = run("onekonto", "balances", "--json", env=served.credentials, home=tmp_path)
        assert balances.code == 0, balances.stderr
        assert balances.json()["accountId"] == served.credentials["WITHDRAWKIT_ONEKONTO_ACCOUNT_ID"]
    finally:
        served.stop()
    again = start("onekonto", "--seed", "7")
    other = start("onekonto", "--seed", "8")
    try:
        same = again.credentials["WITHDRAWKIT_ONEKONTO_ACCOUNT_ID"]
        assert same == served.credentials["WITHDRAWKIT_ONEKONTO_ACCOUNT_ID"]
        assert other.credentials["WITHDRAWKIT_ONEKONTO_ACCOUNT_ID"] != same
    finally:
        again.stop()
        other.stop()


def test_the_plain_announcement_is_lines_a_shell_can_paste() -> None:
    process = subprocess.Popen(
        [script(), "fake", "serve", "ripio"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    lines = [process.stdout.readline().strip() for _ in range(7)]
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=STOP_TIMEOUT)
    assert lines[0].startswith("FakeRipio serving at http://127.0.0.1:")
    exports = [line for line in lines if line.startswith("export ")]
    assert [line.split("=")[0] for line in exports] == [
        "export WITHDRAWKIT_RIPIO_BASE_URL",
        "export WITHDRAWKIT_RIPIO_CLIENT_ID",
        "export WITHDRAWKIT_RIPIO_CLIENT_SECRET",
    ]
    assert lines[-1] == "Press Ctrl-C to stop."


def test_the_control_surface_sets_the_scene_and_refuses_what_cannot_exist(
    ripio_server: Served,
) -> None:
    control, api = ripio_server.control, ripio_server.url
    status, described = call("GET", control)
    assert status == 200
    assert described["provider"] == "ripio"
    assert "createWithdrawal" in described["operations"]
    assert "POST /_withdrawkit/faults: arm a fault for an operation" in described["control"]
    # a fault armed over HTTP: the API itself answers 503 once
    assert call(
        "POST", f"{control}faults", {"operation": "getAccessToken", "fault": "fail", "status": 503}
    ) == (200, {"armed": "fail", "operation": "getAccessToken", "pending": 1})
    assert call("POST", f"{api}/oauth2/token/")[0] == 503
    assert call("POST", f"{api}/oauth2/token/")[0] != 503
    # what cannot exist is an error naming the mistake
    status, refused = call(
        "POST", f"{control}faults", {"operation": "createWidget", "fault": "fail"}
    )
    assert status == 400
    assert "unknown operation 'createWidget'" in refused["error"]
    status, refused = call("POST", f"{control}faults", {"operation": "getWithdrawal", "fault": "x"})
    assert (status, "unknown fault 'x'" in refused["error"]) == (400, True)
    status, refused = call("POST", f"{control}deposit", {"end_user": "nobody", "amount": "1 ETH"})
    assert (status, refused["error"]) == (404, "no end user 'nobody'; POST end-users creates one")
    status, refused = call(
        "POST", f"{control}deposit", {"end_user": "customer_10", "amount": "1,5 ETH"}
    )
    assert status == 400
    status, refused = call(
        "POST", f"{control}deposit", {"end_user": "customer_10", "amont": "1 ETH"}
    )
    assert (status, "unknown fields ['amont']" in refused["error"]) == (400, True)
    assert call("POST", f"{control}withdrawals/nope/complete") == (
        404,
        {"error": "no withdrawal 'nope'"},
    )
    assert call("POST", f"{control}teleport")[0] == 404


def test_completing_twice_is_a_conflict_and_reset_starts_over(
    ripio_server: Served, tmp_path: Path
) -> None:
    control, env = ripio_server.control, ripio_server.credentials
    call("POST", f"{control}deposit", {"end_user": "customer_10", "amount": "1 ETH"})
    call("POST", f"{control}end-users", {"external_ref": "customer_11"})
    sent = run(
        "ripio",
        "withdraw",
        "0.1 ETH",
        "--end-user",
        "customer_10",
        "--address",
        ADDRESS,
        "--network",
        "ETHEREUM",
        "--yes",
        "--json",
        env=env,
        home=tmp_path,
    )
    withdrawal_id = sent.json()["id"]
    assert call(
        "POST", f"{control}withdrawals/{withdrawal_id}/fail", {"reason": "chain halted"}
    ) == (200, {"id": withdrawal_id, "status": "ERROR"})
    status, refused = call("POST", f"{control}withdrawals/{withdrawal_id}/complete")
    assert status == 409
    assert "already ERROR" in refused["error"]
    status, seen = call("GET", f"{control}requests")
    assert [row["operation"] for row in seen] == ["getAccessToken", "createWithdrawal"]
    assert call("POST", f"{control}reset") == (200, {"reset": True})
    assert call("GET", f"{control}requests") == (200, [])
    listed = run("ripio", "list", "--json", env=env, home=tmp_path)  # same credentials still work
    assert (listed.code, listed.json()) == (0, [])
    assert call("POST", f"{control}end-users", {"external_ref": "customer_11"})[0] == 200


def test_the_onekonto_scene_whitelists_deposits_and_fails(tmp_path: Path) -> None:
    served = start("onekonto")
    try:
        control, env = served.control, served.credentials
        assert call("POST", f"{control}deposit", {"amount": "2 BTC"}) == (
            200,
            {"asset": "BTC", "free": 2},
        )
        assert (
            call("POST", f"{control}whitelist", {"network": "bitcoin", "address": "bc1qx"})[0]
            == 200
        )
        sent = run(
            "onekonto",
            "withdraw",
            "1.5",
            "BTC",
            "--network",
            "bitcoin",
            "--address",
            "bc1qx",
            "--yes",
            "--json",
            env=env,
            home=tmp_path,
        )
        assert sent.code == 0, sent.stderr
        request_id = sent.json()["withdrawRequestId"]
        status, refused = call(
            "POST", f"{control}withdrawals/{request_id}/fail", {"status": "lost"}
        )
        assert (status, "status must be one of" in refused["error"]) == (400, True)
        assert call("POST", f"{control}withdrawals/{request_id}/fail", {"status": "canceled"}) == (
            200,
            {"id": request_id, "status": "canceled"},
        )
        shown = run("onekonto", "status", request_id, "--json", env=env, home=tmp_path)
        assert shown.json()["requestStatus"] == "canceled"
        book = {"asset_pair": "BTC/USD", "bids": [["59000", "1"]], "asks": [["61000", "1"]]}
        assert call("POST", f"{control}books", book) == (
            200,
            {"asset_pair": "BTC/USD", "bids": 1, "asks": 1},
        )
        status, refused = call("POST", f"{control}books", {**book, "bids": [[59000, 1]]})
        assert (status, "decimal strings" in refused["error"]) == (400, True)
        depth = run("onekonto", "book", "BTC/USD", "--json", env=env, home=tmp_path)
        assert depth.json()["bids"] == [[59000, 1]]
    finally:
        served.stop()


def test_the_served_credentials_use_the_command_lines_variable_names() -> None:
    assert sorted(PROVIDERS) == list(FAKE_PROVIDERS)
    for provider, settings in (("onekonto", ONEKONTO), ("ripio", RIPIO)):
        surface_names = set(
            PROVIDERS[provider]().credentials(PROVIDERS[provider]().make_fake(), "u")
        )
        known = {environment_name(provider, name) for name in settings.names()}
        assert surface_names <= known, surface_names - known
        required = {environment_name(provider, s.name) for s in settings.settings if s.required}
        assert required <= surface_names
