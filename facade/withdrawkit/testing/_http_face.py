"""The loopback face: a fake served over real sockets on 127.0.0.1, for end-to-end tests.

Standard library only. Each connection's handler thread is registered before it starts, open
connections are shut down on stop (idle keep-alive ones included) and every registered thread is
joined, so a stopped server leaves no thread behind however the client pooled its connections
and however close to the stop a connection arrived.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final
from urllib.parse import urlsplit

from withdrawkit._text import ascii_int
from withdrawkit.testing._exchange import (
    DropConnection,
    FakeRequest,
    FakeResponse,
    LateResponse,
    Outcome,
)

__all__ = ["HANDLER_THREAD_PREFIX", "LoopbackServer"]

Handler = Callable[[FakeRequest], Outcome]
AfterAnswer = Callable[[], None]

# How long stop() waits for each thread; a handler is never busy this long once sockets are shut.
_JOIN_TIMEOUT: Final = 5.0
# Bodies larger than this are refused: no test sends one, and an unbounded read is a hang.
_MAX_BODY: Final = 1 << 20


# Handler threads are named this plus "<port>-<n>", so tests can tell them from other threads.
HANDLER_THREAD_PREFIX: Final = "withdrawkit-fake-handler-"


class _Server(ThreadingHTTPServer):
    block_on_close = False  # stop() joins the threads process_request registered
    # socketserver's default backlog of 5 drops the SYNs of a burst of parallel clients, which
    # then wait a second to connect again.
    request_queue_size = 128

    def __init__(self, handle: Handler, port: int, after_answer: AfterAnswer | None) -> None:
        super().__init__(("127.0.0.1", port), _RequestHandler)
        self.handle_exchange = handle
        self.after_answer = after_answer
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()  # connections whose handler has not finished
        self._handler_threads: list[threading.Thread] = []  # every handler thread not yet seen dead
        self._handled = 0

    def process_request(self, request: Any, client_address: Any) -> None:
        """Handle one accepted connection on a new thread, registered before it starts.

        Registering from inside the thread (in the handler's ``setup``) would leave a window in
        which ``stop()`` finds neither the thread nor its socket, and returns with it running.
        """
        with self._lock:
            if self.stopping.is_set():
                self.shutdown_request(request)
                return
            self._handled += 1
            thread = threading.Thread(
                target=self.process_request_thread,
                args=(request, client_address),
                name=f"{HANDLER_THREAD_PREFIX}{self.server_address[1]}-{self._handled}",
                daemon=True,  # never keep the interpreter alive; stop() joins them explicitly
            )
            self._handler_threads = [known for known in self._handler_threads if known.is_alive()]
            self._handler_threads.append(thread)
            self._open.add(request)
            thread.start()

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._lock:
                self._open.discard(request)

    def close_connections(self) -> list[threading.Thread]:
        """Wake every handler blocked on its socket; return every handler thread to join.

        Threads whose connection already closed are returned too: one may still be on its way
        out, and joining a finished thread costs nothing.
        """
        with self._lock:
            self.stopping.set()
            connections = list(self._open)
            threads = list(self._handler_threads)
        for connection in connections:
            _shut(connection)
        return threads


def _shut(connection: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the peer
        connection.shutdown(socket.SHUT_RDWR)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real APIs serve; clients pool connections
    # TCP_NODELAY on each connection: with Nagle's algorithm on, a small answer written after
    # another small write waits for the client's delayed ACK (some 40 ms on Linux).
    disable_nagle_algorithm = True
    server: _Server
    _headers_buffer: list[bytes]  # BaseHTTPRequestHandler's own, which typeshed leaves out

    def do_GET(self) -> None:
        self._exchange()

    def do_POST(self) -> None:
        self._exchange()

    def do_PUT(self) -> None:
        self._exchange()

    def do_PATCH(self) -> None:
        self._exchange()

    def do_DELETE(self) -> None:
        self._exchange()

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Every other method (HEAD, OPTIONS, TRACE, QUERY...) reaches the fake too, which refuses
        # it as its provider refuses an unknown route, rather than http.server's HTML 501 page,
        # which no provider sends. http.server looks the handler up as "do_" + the method.
        if name.startswith("do_"):
            return self._exchange
        raise AttributeError(name)

    def _exchange(self) -> None:
        length_text = self.headers.get("Content-Length") or "0"
        length = ascii_int(length_text, max_digits=12)
        if length is None:
            self.send_error(400, "Bad Content-Length")
            return
        if length > _MAX_BODY:
            self.send_error(413)
            return
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        request = FakeRequest.build(
            self.command,
            url.path,
            query_string=url.query,
            headers=dict(self.headers.items()),
            body=body,
        )
        try:
            self._answer(self.server.handle_exchange(request))
        finally:
            if self.server.after_answer is not None:
                self.server.after_answer()

    def _answer(self, outcome: Outcome) -> None:
        if isinstance(outcome, DropConnection):
            self.close_connection = True
            return
        if isinstance(outcome, LateResponse):
            # Interrupted by stop(), so a long delay never holds the server open.
            if self.server.stopping.wait(outcome.seconds):
                self.close_connection = True
                return
            outcome = outcome.response
        self._write(outcome)

    def _write(self, response: FakeResponse) -> None:
        """Status line, headers and body in one write: one segment for a small answer."""
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            # What end_headers() does, with the body joined to the buffered headers before the
            # single flush; end_headers() and a second write would send two segments.
            self._headers_buffer.append(b"\r\n")
            if self.command != "HEAD":  # a HEAD answer has the headers of a GET, no body
                self._headers_buffer.append(response.body)
            self.flush_headers()
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (its read timeout fired) before the answer was written.
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: tests and the demo print what matters themselves."""


class LoopbackServer:
    """Serves ``handle`` on ``http://127.0.0.1:<port>`` in a daemon thread (``port`` 0: a free
    one, chosen when it starts).

    ``with LoopbackServer(handle) as base_url: ...`` starts it and stops it cleanly: shutdown,
    every open connection shut, server_close, every thread joined.
    """

    def __init__(
        self, handle: Handler, *, port: int = 0, after_answer: AfterAnswer | None = None
    ) -> None:
        self._handle = handle
        self._after_answer = after_answer  # called once each answer is written (or dropped)
        self._port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> str:
        if self._server is not None:
            raise RuntimeError("the server is already running")
        server = _Server(self._handle, self._port, self._after_answer)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"withdrawkit-fake-{server.server_address[1]}",
            daemon=True,
        )
        self._server, self._thread = server, thread
        thread.start()
        return self.base_url

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._server = self._thread = None
        server.shutdown()
        handlers = server.close_connections()
        server.server_close()
        thread.join(_JOIN_TIMEOUT)
        for handler in handlers:
            handler.join(_JOIN_TIMEOUT)
        alive = [t.name for t in [thread, *handlers] if t.is_alive()]
        if alive:
            raise RuntimeError(f"fake server threads did not stop: {alive}")

    def __enter__(self) -> str:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
