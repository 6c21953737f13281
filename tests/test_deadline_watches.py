"""The deadline watchdog keeps no finished watch behind (a long page walk stays flat), and
cuts off only the sockets its exchange still holds."""

from __future__ import annotations

import json
import socket
import threading
import time
from decimal import Decimal
from typing import Any

import pytest
import requests

from tests.loopback import ANSWER_BODY, KeepAliveServer
from withdrawkit import _deadline, _exchange_once, _transport
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import WithdrawKitError
from withdrawkit._response_body import read_content


def test_sequential_exchanges_leave_no_finished_watch_in_the_heap() -> None:
    for _ in range(500):
        with _deadline.watching(time.monotonic() + 60):
            pass
    assert len(_deadline._WATCHDOG._heap) <= 1


def test_a_socket_released_to_the_pool_is_not_shut_when_the_deadline_passes() -> None:
    first, second = socket.socketpair()
    with first, second, _deadline.watching(time.monotonic() + 60) as watch:
        _deadline.adopt_socket(first)
        _deadline.release_socket(first)
        watch.expire()

        assert not watch.expired  # it shut nothing
        second.sendall(b"still open")
        assert first.recv(16) == b"still open"


def test_a_watch_holding_no_socket_at_its_deadline_expires_with_the_next_it_adopts() -> None:
    with _deadline.watching(time.monotonic() + 60) as watch:
        watch.expire()
        assert not watch.expired  # nothing of the exchange was cut off

        opened, peer = socket.socketpair()
        with opened, peer:
            _deadline.adopt_socket(opened)  # adopted after the deadline passed: shut at once
            assert watch.expired
            assert opened.recv(16) == b""


def test_a_deadline_passing_after_the_connection_went_back_does_not_cut_its_next_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One pooled connection; the server answers each request 0.4 s after reading it. A reads
    # its answer at 0.4 s, gives the connection back, then is held 0.4 s more (preempted, as
    # this sleep forces) past its deadline at 0.75 s, while B waits on that same connection.
    def read_then_stall(response: requests.Response, *, deadline: float, limit: int) -> bytes:
        content = read_content(response, deadline=deadline, limit=limit)
        if threading.current_thread().name == "A":
            time.sleep(0.4)
        return content

    monkeypatch.setattr(_exchange_once, "read_content", read_then_stall)
    connections: list[int] = []
    server = KeepAliveServer(connections, pause=0.4)
    transport = _transport.Transport(
        f"http://127.0.0.1:{server.port}",
        provider="Ripio",
        map_error=map_ripio_error,
        timeout=(0.25, 0.5),
        max_retries=0,
        pool_maxsize=1,
    )
    outcomes: dict[str, object] = {}

    def call(name: str, method: str, **options: Any) -> None:
        try:
            outcomes[name] = transport.request(method, f"/{name}", **options)
        except WithdrawKitError as error:
            outcomes[name] = error

    with transport:
        first = threading.Thread(target=call, name="A", args=("A", "GET"))
        first.start()
        time.sleep(0.5)
        post = {"json_body": {"x": 1}, "moves_money": True}
        second = threading.Thread(target=call, name="B", args=("B", "POST"), kwargs=post)
        second.start()
        first.join()
        second.join()
    server.stop()

    answered = json.loads(ANSWER_BODY, parse_float=Decimal)
    assert outcomes == {"A": answered, "B": answered}
    assert connections == [2]  # B was sent on the connection A gave back
