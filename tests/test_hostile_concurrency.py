"""Many threads on one client, over loopback: logins under an outage, and the pool's size.

Before: when every login answered 503, 32 threads queued behind one lock each logged in
again in turn (32 x 3 requests, one after another), and 32 threads shared a pool of 10
connections, so urllib3 discarded connections with a "connection pool is full" warning each.
"""

from __future__ import annotations

import http.server
import json
import logging
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import requests

import withdrawkit as wk
from tests.loopback import ScriptedServer, Wire, answer
from tests.ripio_support import withdrawal
from withdrawkit._client import Clocks
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._root_error import InvalidArgument
from withdrawkit._transport import Transport

THREADS = 32


def in_threads(count: int, work: Callable[[], object]) -> list[object]:
    """Run ``work`` on ``count`` threads released together; what each returned or raised."""
    start = threading.Barrier(count)
    outcomes: list[object] = []

    def run() -> None:
        start.wait()
        try:
            outcomes.append(work())
        except Exception as error:  # noqa: BLE001 - the outcome is what is asserted
            outcomes.append(error)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def unavailable(wire: Wire, request: bytes) -> None:
    wire.send(answer("503 Service Unavailable", b'{"detail": "down for maintenance"}'))


def test_threads_waiting_on_a_failed_login_share_its_failure() -> None:
    with ScriptedServer(unavailable) as server:
        client = wk.RipioClient(server.url, client_id="id-1", client_secret="cs-outage-1")
        # Short real waits between the login's retries: the other threads queue meanwhile.
        client._clocks = Clocks(sleep=lambda seconds: time.sleep(0.05))
        with client:
            outcomes = in_threads(THREADS, lambda: client.get_withdrawal("w-1"))
            logins_for_all_threads = len(server.requests)
            with pytest.raises(wk.ServerError):
                client.get_withdrawal("w-1")  # a call after the failure tries again

    assert len(outcomes) == THREADS
    assert all(type(outcome) is wk.ServerError for outcome in outcomes)
    assert logins_for_all_threads == 3  # one login: its first attempt and max_retries=2
    assert len(server.requests) == 6


class KeepAliveHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024  # head and body in one send: no Nagle and delayed-ACK stall

    def do_GET(self) -> None:
        time.sleep(0.02)  # long enough for the threads' requests to overlap
        body = json.dumps(withdrawal()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def keep_alive_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), KeepAliveHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_thirty_two_threads_share_one_client_without_overflowing_its_pool(
    keep_alive_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="urllib3.connectionpool")
    with Transport(keep_alive_url, provider="Ripio", map_error=map_ripio_error) as transport:

        def three_reads() -> object:
            return [transport.request("GET", "/api/v1/withdrawals/w-1/") for _ in range(3)]

        outcomes = in_threads(THREADS, three_reads)

    assert all(isinstance(outcome, list) for outcome in outcomes)
    full = [record for record in caplog.records if "pool is full" in record.getMessage()]
    assert full == []


def test_pool_maxsize_sizes_the_clients_own_pool() -> None:
    client = wk.RipioClient(
        "https://ripio.test", client_id="id-1", client_secret="cs-1", pool_maxsize=4
    )
    adapter = client._transport._session.get_adapter("https://ripio.test/")
    assert isinstance(adapter, requests.adapters.HTTPAdapter)
    assert adapter.poolmanager.connection_pool_kw["maxsize"] == 4
    client.close()
    onekonto = wk.OneKontoClient(
        "https://1konto.test", user="u", password="pw", account_id="a-1", pool_maxsize=64
    )
    adapter = onekonto._transport._session.get_adapter("https://1konto.test/")
    assert isinstance(adapter, requests.adapters.HTTPAdapter)
    assert adapter.poolmanager.connection_pool_kw["maxsize"] == 64
    onekonto.close()


@pytest.mark.parametrize("bad", [0, -1, 1025])
def test_a_pool_maxsize_out_of_range_is_refused(bad: int) -> None:
    with pytest.raises(InvalidArgument, match="pool_maxsize must be between 1 and 1024"):
        wk.RipioClient("https://ripio.test", client_id="i", client_secret="s", pool_maxsize=bad)


def test_pool_maxsize_with_the_callers_own_session_is_refused_and_the_session_untouched() -> None:
    session = requests.Session()
    adapters = dict(session.adapters)
    with pytest.raises(InvalidArgument, match="size your own session's adapter"):
        wk.RipioClient(
            "https://ripio.test",
            client_id="i",
            client_secret="s",
            session=session,
            pool_maxsize=64,
        )
    assert session.adapters == adapters
    session.close()
