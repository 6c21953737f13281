"""A webhook endpoint as a user would write one, served on loopback: it verifies every POST
with ``RipioWebhookVerifier`` and answers 200 for an authentic event, 400 otherwise."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import attrs

import withdrawkit as wk
from withdrawkit.webhooks import RipioWebhookEvent, RipioWebhookVerifier


@attrs.define
class Received:
    """What the endpoint saw: verified events in order, and the reasons of refused POSTs."""

    events: list[RipioWebhookEvent] = attrs.field(factory=list)
    refused: list[str] = attrs.field(factory=list)
    url: str = ""


@contextmanager
def webhook_endpoint(
    public_key_pem: str, on_event: Callable[[RipioWebhookEvent], None] | None = None
) -> Iterator[Received]:
    """Serve the endpoint; ``on_event`` runs inside the handler for each verified event (a
    handler that calls back into the provider, say)."""
    verifier = RipioWebhookVerifier(public_key_pem)
    received = Received()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw_body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                event = verifier.verify_request(raw_body, dict(self.headers.items()))
            except wk.InvalidSignature as refusal:
                with lock:
                    received.refused.append(str(refusal))
                self.send_response(400)
            else:
                if on_event is not None:
                    on_event(event)
                with lock:
                    received.events.append(event)
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test asserts what arrived."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/ripio"
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
