"""Both faces of a fake answer alike; faults reach the client the way networks fail."""

from __future__ import annotations

import hashlib
import logging
import socket
import sys
import textwrap
import threading
import time
from contextlib import AbstractContextManager
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

import withdrawkit as wk
from tests.testing.user_suite import run_user_suite
from tests.testing.wire import ripio_token
from withdrawkit import _wire_json as wire_json
from withdrawkit.testing import FakeOneKonto, FakeProvider, FakeRipio
from withdrawkit.testing import _onekonto_wire as onekonto_wire
from withdrawkit.testing._http_face import HANDLER_THREAD_PREFIX, LoopbackServer, _RequestHandler

FACES = ["mock", "serve"]


def face_of(fake: FakeProvider[Any], face: str) -> AbstractContextManager[Any]:
    return fake.mock() if face == "mock" else fake.serve()


def handler_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(HANDLER_THREAD_PREFIX)]


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
    assert [status for status, _ in served_answers] == [200, 200, 400, 400, 200, 200, 200, 200, 401]
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


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "TRACE"])
def test_a_method_no_route_serves_is_refused_as_the_provider_refuses_a_route(
    face: str, method: str
) -> None:
    # Found by tests/testing/test_spec_fuzz.py: the loopback face answered these with
    # http.server's HTML 501 page, which neither provider sends.
    fake = FakeRipio()
    with face_of(fake, face):
        answer = requests.request(method, f"{fake.url}/api/v1/withdrawals/", timeout=5)
        get = requests.get(f"{fake.url}/api/v1/nothing-here/", timeout=5)
    assert (answer.status_code, answer.headers["Content-Type"]) == (404, "application/json")
    assert answer.content == (b"" if method == "HEAD" else get.content)
    assert fake.received[-2].operation is None


@pytest.mark.parametrize("face", FACES)
@pytest.mark.parametrize("method", ["QUERY", "CONNECT", "PROPFIND"])
def test_a_method_outside_http_s_usual_set_is_refused_alike_on_both_faces(
    face: str, method: str
) -> None:
    # The in-process face once registered a fixed list of methods and raised ConnectionError
    # for any other, while the loopback face answered the provider's JSON 404.
    fake = FakeOneKonto()
    with face_of(fake, face):
        answer = requests.request(method, f"{fake.url}/api/v1/identity/jwt", timeout=5)
        unknown_route = requests.get(f"{fake.url}/api/v1/nothing-here", timeout=5)
    assert (answer.status_code, answer.content) == (404, unknown_route.content)
    assert answer.headers["Content-Type"] == "application/json"
    assert fake.received[-2].operation is None


def test_in_process_and_loopback_fixtures_work_together_in_either_order(tmp_path: Path) -> None:
    (tmp_path / "test_mixed_faces.py").write_text(
        textwrap.dedent(
            """
            from decimal import Decimal

            def pay_out(onekonto, ripio):
                onekonto.deposit("1 BTC")
                ripio.deposit("customer_10", "1 ETH")
                with onekonto.client() as konto, ripio.client() as partner:
                    assert konto.get_account().balances["BTC"].free == Decimal(1)
                    partner.create_withdrawal(
                        "0.1 ETH", end_user="customer_10", network="ETHEREUM",
                        address="0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
                    )
                    assert [w.amount for w in partner.list_withdrawals()] == [Decimal("0.1")]

            def test_mock_first(fake_onekonto, fake_ripio_server):
                pay_out(fake_onekonto, fake_ripio_server)

            def test_server_first(fake_onekonto_server, fake_ripio):
                pay_out(fake_onekonto_server, fake_ripio)
            """
        )
    )
    result = run_user_suite(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_a_users_own_mock_lets_the_served_fakes_through_only_while_they_are_served(
    rsps: Any,
) -> None:
    onekonto, ripio = FakeOneKonto(), FakeRipio()
    unmount = onekonto.mount(rsps)
    with ripio.serve() as base_url:
        assert rsps.passthru_prefixes == (f"{base_url}/",)
        with ripio.client() as client:
            assert list(client.list_withdrawals()) == []
        with onekonto.client() as client:
            assert client.get_account().account_id == onekonto.account_id
    assert rsps.passthru_prefixes == ()
    with ripio.serve() as base_url:
        unmount()
        # No fake mounted any more: the mock is the user's again, with nothing let through.
        assert rsps.passthru_prefixes == ()
        with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
            requests.get(f"{base_url}/api/v1/withdrawals/", timeout=2)


# -- the real clients through both faces ----------------------------------------------------------


@pytest.mark.parametrize("face", FACES)
def test_ids_that_need_percent_encoding_reach_the_fakes_decoded(face: str) -> None:
    ripio = FakeRipio()
    ripio.add_end_user("alice@example.com")
    account = ripio.add_beneficiary_account("alice@example.com")
    onekonto = FakeOneKonto()
    account_id = onekonto.add_account("acc:1", owner=onekonto.user)
    onekonto.deposit("1 BTC", account_id=account_id)
    with face_of(ripio, face), ripio.client() as client:
        listed = client.list_beneficiary_fiat_accounts("alice@example.com")
    assert [item.beneficiary_fiat_account_id for item in listed] == [account]
    assert ripio.received[-1].request.path == (
        "/api/v1/end-users/alice%40example.com/beneficiary-fiat-accounts/"
    )
    with face_of(onekonto, face), onekonto.client(account_id=account_id) as client:
        found = client.get_account()
    assert (found.account_id, found.balances["BTC"].free) == ("acc:1", Decimal(1))


@pytest.mark.parametrize("face", FACES)
def test_the_client_may_leave_network_and_address_to_the_whitelist(face: str) -> None:
    fake = FakeOneKonto()
    fake.deposit("2 BTC")
    fake.deposit("100 USD")
    fake.whitelist_wallet("bitcoin", "bc1qonly")
    fake.whitelist_bank_account("012345678", "0123456789")
    with face_of(fake, face), fake.client() as client:
        crypto = client.request_withdraw_blockchain("1 BTC")
        bank = client.request_withdraw_fiat("10 USD", type="fedwire")
        fake.whitelist_wallet("bitcoin", "bc1qsecond")
        with pytest.raises(wk.ValidationFailed) as refused:
            client.request_withdraw_blockchain("1 BTC", network="bitcoin")
    assert refused.value.field_errors == {
        "Address": "required: 2 whitelisted wallets on bitcoin match; name one"
    }
    assert fake.withdraw_request(crypto.withdraw_request_id).address == "bc1qonly"
    assert fake.withdraw_request(bank.withdraw_request_id).account_number == "0123456789"


@pytest.mark.parametrize("face", FACES)
def test_a_crashing_handler_answers_500_on_both_faces(
    face: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Before, the mock face raised the handler's exception into the caller and the served face
    # dropped the connection (which a money POST must report as OutcomeUnknown).
    fake = FakeOneKonto()

    def crash(account: object) -> dict[str, Any]:
        raise ArithmeticError("the fake overflowed")

    monkeypatch.setattr(onekonto_wire, "account_head", crash)
    with (
        caplog.at_level(logging.CRITICAL, "withdrawkit.testing"),
        face_of(fake, face),
        fake.client(max_retries=0) as client,
        pytest.raises(wk.ServerError) as failed,
    ):
        client.get_account()
    assert failed.value.http_status == 500
    assert failed.value.messages == ("Internal Server Error",)
    assert [seen.status for seen in fake.calls("getAccount")] == [500]


@pytest.mark.parametrize("face", FACES)
def test_a_max_of_superscript_two_is_a_validation_failure_on_both_faces(face: str) -> None:
    fake = FakeOneKonto()
    with face_of(fake, face):
        token = requests.post(
            f"{fake.url}/api/v1/identity/jwt",
            json={
                "user": fake.user,
                "password": hashlib.sha256(fake.password.encode()).hexdigest(),
            },
            timeout=5,
        ).json()["token"]
        response = requests.get(
            f"{fake.url}/api/v1/accounting/account/{fake.account_id}/request/withdraw",
            params={"max": "\u00b2"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=5,
        )
    assert response.status_code == 400


# -- stopping the loopback server -----------------------------------------------------------------


def test_stop_joins_a_handler_thread_that_had_not_started_its_handler_yet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The handler registered itself in setup(), on its own thread: a stop() that came between
    # the thread's start and setup() neither saw nor joined it.
    in_setup = threading.Event()
    original_setup = _RequestHandler.setup

    def slow_setup(handler: _RequestHandler) -> None:
        in_setup.set()
        time.sleep(0.5)
        original_setup(handler)

    monkeypatch.setattr(_RequestHandler, "setup", slow_setup)
    server = LoopbackServer(lambda request: wk_unreachable())
    base_url = server.start()
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5):
        assert in_setup.wait(5)
        server.stop()
        assert handler_threads() == []


def wk_unreachable() -> Any:
    raise AssertionError("no request is ever read")


def test_stop_leaves_no_thread_behind_while_requests_are_in_flight() -> None:
    fake = FakeRipio()
    fake.faults.delay("listWithdrawals", seconds=30, times=1000)
    outcomes: list[str] = []
    lock = threading.Lock()

    def client(url: str) -> None:
        try:
            requests.get(f"{url}/api/v1/withdrawals/", timeout=(2, 30))
            outcome = "answered"
        except requests.RequestException:
            outcome = "cut off"
        with lock:
            outcomes.append(outcome)

    with fake.serve() as base_url:
        clients = [
            threading.Thread(target=client, args=(base_url,), name=f"client-{number}")
            for number in range(12)
        ]
        for thread in clients:
            thread.start()
        deadline = time.monotonic() + 10
        while len(fake.calls("listWithdrawals")) < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        # Some requests are being delayed, others may still be connecting: stop now.
    assert handler_threads() == []
    for thread in clients:
        thread.join(10)
    assert sorted(set(outcomes)) == ["cut off"]
    assert len(outcomes) == 12
