"""Rows over real loopback sockets: the fakes' servers, and a facade call, each against a
minimal standard-library server answering the same bytes."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import requests
from timing import Timing, interleaved

import withdrawkit as wk
from withdrawkit.testing import FakeOneKonto, FakeRipio
from withdrawkit.testing._provider import FakeProvider

WITHDRAWAL = {
    "id": "ac243840-ac04-4b3a-9efb-000000000001",
    "created_at": "2022-03-30T19:38:39.765190Z",
    "confirmation_date": None,
    "txn_hash": None,
    "end_user_id": "customer_10",
    "currency": "ETH",
    "amount": "0.00206525633592975968892629",
    "address": "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
    "network_name": "ETHEREUM",
    "status": "PENDING",
}
TOKEN = {"access_token": "t" * 30, "expires_in": 36000, "token_type": "Bearer", "scope": "read"}


class _MinimalHandler(BaseHTTPRequestHandler):
    """The least a keep-alive HTTP/1.1 server does: one write per answer, Nagle off."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _MinimalServer

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._answer()

    def _answer(self) -> None:
        body = self.server.bodies.get(self.path.split("?")[0], self.server.default)
        head = (
            f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.wfile.write(head.encode("ascii") + body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _MinimalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, bodies: Mapping[str, bytes], default: bytes) -> None:
        super().__init__(("127.0.0.1", 0), _MinimalHandler)
        self.bodies = dict(bodies)
        self.default = default


@contextlib.contextmanager
def minimal_server(bodies: Mapping[str, bytes], default: bytes = b"{}") -> Iterator[str]:
    server = _MinimalServer(bodies, default)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _last_request(fake: FakeProvider[Any]) -> tuple[str, dict[str, str]]:
    request = fake.received[-1].request
    query = urlencode([(name, value) for name, values in request.query.items() for value in values])
    path = f"{request.path}?{query}" if query else request.path
    return path, {"Authorization": request.headers["authorization"]}


def fake_server_row(name: str, *, number: int, repeats: int) -> tuple[Timing, Timing]:
    """A GET the client makes, re-sent on one kept-alive connection to the served fake, and
    the same bytes from the minimal server."""
    fake: FakeProvider[Any] = FakeRipio() if name == "ripio" else FakeOneKonto()
    with fake.serve() as base_url, requests.Session() as session:
        with fake.client() as client:
            if isinstance(client, wk.RipioClient):
                list(client.list_withdrawals())
            else:
                client.get_account()
        path, headers = _last_request(fake)
        answer = session.get(base_url + path, headers=headers, timeout=5)
        answer.raise_for_status()
        with minimal_server({}, answer.content) as minimal_url:
            return interleaved(
                lambda: session.get(base_url + path, headers=headers, timeout=5).content,
                lambda: session.get(minimal_url + path, headers=headers, timeout=5).content,
                number=number,
                repeats=repeats,
            )


def facade_call_row(*, number: int, repeats: int) -> tuple[Timing, Timing]:
    """``RipioClient.get_withdrawal`` against a bare ``requests.Session`` GET + ``.json()``,
    both on one kept-alive connection to the same minimal server."""
    path = f"/api/v1/withdrawals/{WITHDRAWAL['id']}/"
    bodies = {"/oauth2/token/": json.dumps(TOKEN).encode(), path: json.dumps(WITHDRAWAL).encode()}
    with minimal_server(bodies) as base_url, requests.Session() as session:
        headers = {"Authorization": f"Bearer {TOKEN['access_token']}"}
        client = wk.RipioClient(base_url, client_id="id", client_secret="made-up")  # noqa: S106
        with client:
            return interleaved(
                lambda: client.get_withdrawal(str(WITHDRAWAL["id"])),
                lambda: session.get(base_url + path, headers=headers, timeout=(5, 5)).json(),
                number=number,
                repeats=repeats,
            )
