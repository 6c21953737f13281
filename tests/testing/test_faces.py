"""Both faces of a fake answer alike; faults reach the client the way networks fail."""

from __future__ import annotations

import hashlib
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.testing.user_suite import run_user_suite
from tests.testing.wire import ripio_token
from withdrawkit import wire_json
from withdrawkit.testing import FakeOneKonto, FakeRipio


def scripted_onekonto_session(base_url: str, fake: FakeOneKonto) -> list[tuple[int, Any]]:
    """A fixed conversation with 1Konto over ``requests``; what came back, tokens left out."""
    answers: list[tuple[int, Any]] = []
    with requests.Session() as session:

        def record(response: requests.Response) -> Any:
            body = wire_json.loads(response.content)
            answers.append((response.status_code, body))
            return body

        digest = hashlib.sha256(fake.password.encode()).hexdigest()
        login = session.post(
            f"{base_url}/api/v1/identity/jwt", json={"user": fake.user, "password": digest}
        )
        token = login.json()["token"]
        answers.append((login.status_code, sorted(login.json())))
        headers = {"Authorization": f"Bearer {token}"}
        account = f"{base_url}/api/v1/accounting/account/{fake.account_id}"
        record(session.get(account, headers=headers))
        for amount in ("1100 BTC", "0 BTC", "2.5 BTC"):
            record(
                session.post(
                    f"{account}/request/withdraw/blockchain",
                    headers=headers,
                    json={"amount": amount, "network": "bitcoin", "address": "bc1qok"},
                )
            )
        for _ in range(2):
            record(session.get(f"{account}/request/withdraw", headers=headers, params={"max": 5}))
        record(session.get(f"{account}/portfolio", headers=headers))
        record(session.get(account))
    return answers


def onekonto_scene() -> FakeOneKonto:
    fake = FakeOneKonto(pending_polls=1, seed="faces")
    fake.deposit("999 BTC")
    fake.whitelist_wallet("bitcoin", "bc1qok")
    return fake


def test_both_faces_answer_the_same_conversation_identically() -> None:
    in_process, served = onekonto_scene(), onekonto_scene()
    with in_process.mock():
        mocked_answers = scripted_onekonto_session(in_process.base_url, in_process)
    with served.serve() as base_url:
        served_answers = scripted_onekonto_session(base_url, served)
    assert mocked_answers == served_answers
    assert [status for status, _ in served_answers] == [200, 200, 424, 400, 200, 200, 200, 200, 401]
    assert in_process.balance("BTC") == served.balance("BTC")
    assert [seen.operation for seen in in_process.received] == [
        seen.operation for seen in served.received
    ]


def test_the_server_binds_loopback_only_and_stops_without_leaving_threads() -> None:
    before = set(threading.enumerate())
    fake = FakeRipio()
    with fake.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        assert fake.url == base_url
        with requests.Session() as session:
            # Keep-alive connections stay open in the session's pool while the server stops.
            for _ in range(3):
                assert session.get(f"{base_url}/api/v1/withdrawals/").status_code == 403
            with pytest.raises(RuntimeError, match="already served"):
                fake.serve().__enter__()
    assert fake.url == fake.base_url
    assert set(threading.enumerate()) - before == set()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base_url}/api/v1/withdrawals/", timeout=2)


def test_an_injected_server_failure_answers_the_providers_own_body() -> None:
    onekonto, ripio = FakeOneKonto(), FakeRipio()
    onekonto.faults.fail_next("getAccount", status=503, retry_after=3)
    ripio.faults.fail_next("listWithdrawals", status=502)
    account_url = f"{onekonto.base_url}/api/v1/accounting/account/{onekonto.account_id}"
    with onekonto.mock(), ripio.mock():
        first = requests.get(account_url, timeout=5)
        second = requests.get(account_url, timeout=5)
        html = requests.get(f"{ripio.base_url}/api/v1/withdrawals/", timeout=5)
    assert (first.status_code, first.json()) == (
        503,
        {"status": 503, "error": "Service Unavailable"},
    )
    assert first.headers["Retry-After"] == "3"
    assert second.status_code == 401
    assert (html.status_code, html.headers["Content-Type"]) == (502, "text/html")
    assert "Bad Gateway" in html.text


@pytest.mark.parametrize("applied", [False, True])
def test_a_dropped_connection_reaches_both_faces_as_connection_error(applied: bool) -> None:
    for face in ("mock", "serve"):
        fake = FakeRipio()
        fake.deposit("customer_10", "1 BTC")
        fake.faults.drop_connection("createWithdrawal", request_applied=applied)
        body = {
            "end_user": "customer_10",
            "currency": "BTC",
            "address": "bc1qexample",
            "network": "BITCOIN",
            "amount": "0.1",
        }
        context = fake.mock() if face == "mock" else fake.serve()
        with context, requests.Session() as session:
            session.headers["Authorization"] = f"Bearer {ripio_token(fake)}"
            with pytest.raises(requests.ConnectionError):
                session.post(f"{fake.url}/api/v1/withdrawals/", json=body, timeout=5)
            assert session.post(f"{fake.url}/api/v1/withdrawals/", json=body, timeout=5).ok
        assert [seen.status for seen in fake.calls("createWithdrawal")] == [None, 201]
        assert len(fake.withdrawals()) == (2 if applied else 1)


def test_a_slow_answer_trips_the_read_timeout_on_both_faces() -> None:
    for face in ("mock", "serve"):
        fake = FakeRipio()
        fake.faults.delay("listWithdrawals", seconds=0.5)
        context = fake.mock() if face == "mock" else fake.serve()
        with context, requests.Session() as session:
            with pytest.raises(requests.ReadTimeout):
                session.get(f"{fake.url}/api/v1/withdrawals/", timeout=(2, 0.1))
            assert session.get(f"{fake.url}/api/v1/withdrawals/", timeout=(2, 2)).status_code == 403


def test_a_delay_shorter_than_the_timeout_is_answered() -> None:
    fake = FakeRipio()
    fake.faults.delay("listWithdrawals", seconds=0.05)
    with fake.serve() as base_url:
        assert requests.get(f"{base_url}/api/v1/withdrawals/", timeout=2).status_code == 403


def test_the_mock_face_lets_nothing_else_through() -> None:
    fake = FakeOneKonto()
    with fake.mock(), pytest.raises(requests.ConnectionError):
        requests.get("https://api.1konto.example/api/v1/accounting/account/x", timeout=2)


def test_a_base_url_with_a_path_prefix_is_mounted_under_it() -> None:
    fake = FakeRipio(base_url="https://gateway.example/ripio/")
    with fake.mock():
        response = requests.get("https://gateway.example/ripio/api/v1/withdrawals/", timeout=5)
    assert response.status_code == 403
    assert fake.received[0].request.path == "/api/v1/withdrawals/"


def test_without_responses_only_the_in_process_face_complains(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "responses", None)
    fake = FakeOneKonto()
    with pytest.raises(ImportError, match=r"pip install 'withdrawkit\[testing\]'"):
        fake.mock().__enter__()
    with fake.serve() as base_url:
        assert requests.get(f"{base_url}/api/v1/accounting/account/x", timeout=2).status_code == 401


def test_the_pytest_plugin_fixtures_work_in_a_users_test_suite(tmp_path: Path) -> None:
    (tmp_path / "test_user_code.py").write_text(
        textwrap.dedent(
            """
            from decimal import Decimal

            def test_in_process(fake_onekonto, fake_ripio):
                fake_onekonto.deposit("2 BTC")
                fake_onekonto.whitelist_wallet("bitcoin", "bc1qexample")
                with fake_onekonto.client() as client:
                    receipt = client.request_withdraw_blockchain(
                        "1.5 BTC", network="bitcoin", address="bc1qexample"
                    )
                assert receipt.request_status == "pending"
                assert fake_onekonto.balance("BTC").locked == Decimal("1.5")
                assert fake_ripio.url == fake_ripio.base_url

            def test_served(fake_onekonto_server, fake_ripio_server):
                assert fake_onekonto_server.url.startswith("http://127.0.0.1:")
                assert fake_ripio_server.url.startswith("http://127.0.0.1:")
                fake_onekonto_server.deposit("1 BTC")
                with fake_onekonto_server.client() as client:
                    assert client.get_account().balances["BTC"].free == Decimal(1)
            """
        )
    )
    result = run_user_suite(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
