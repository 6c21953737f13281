"""Raw-socket HTTP/1.1 servers on 127.0.0.1 for the transport's socket tests.

``LoopbackServer`` reads each request whole and then misbehaves as told (closes without an
answer, hangs, cuts the body short, trickles it a byte at a time) or answers 201;
``KeepAliveServer`` answers every request of one connection and counts them; ``free_port``
finds a port where a connection is refused.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Sequence
from typing import Literal

Behaviour = Literal["answer", "close", "hang", "truncate", "trickle"]
ANSWER_BODY = b'{"id":"w-1","amount":0.00206525633592975968892629}'
# A byte every 0.1 s: within a read timeout of 0.3 s, yet ANSWER_BODY then takes 5 s.
TRICKLE_SECONDS = 0.1


class LoopbackServer:
    """A one-thread HTTP/1.1 server that reads each request whole, then behaves as told: the
    n-th request as the n-th behaviour of a list (the last one repeats), or all alike."""

    def __init__(self, behaviour: Behaviour | Sequence[Behaviour], port: int = 0) -> None:
        self.behaviours = [behaviour] if isinstance(behaviour, str) else list(behaviour)
        self.requests: list[bytes] = []
        self._stopped = threading.Event()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", port))
        self._listener.listen()
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                self.requests.append(_read_request(connection))
                number = min(len(self.requests), len(self.behaviours)) - 1
                self._behave(connection, self.behaviours[number])

    def _behave(self, connection: socket.socket, behaviour: Behaviour) -> None:
        if behaviour == "answer":
            connection.sendall(
                b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                b"Connection: close\r\nContent-Length: %d\r\n\r\n%s"
                % (len(ANSWER_BODY), ANSWER_BODY)
            )
        elif behaviour == "truncate":
            connection.sendall(
                b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                b"Content-Length: 500\r\n\r\n" + ANSWER_BODY[:20]
            )
        elif behaviour == "hang":
            _wait_for_the_client_to_hang_up(connection, self._stopped)
        elif behaviour == "trickle":
            # Each byte well within the read timeout, the whole far beyond the deadline.
            connection.sendall(
                b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n" % len(ANSWER_BODY)
            )
            for byte in ANSWER_BODY:
                if self._stopped.wait(TRICKLE_SECONDS):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:  # the client gave up and closed the connection
                    return
        # "close" (and every behaviour, at the end): the connection is closed by `with`.

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(5)
        self._listener.close()


def _wait_for_the_client_to_hang_up(connection: socket.socket, stopped: threading.Event) -> None:
    connection.settimeout(0.05)
    while not stopped.is_set():
        try:
            if not connection.recv(1):
                return
        except TimeoutError:
            continue


def _read_request(connection: socket.socket) -> bytes:
    received = b""
    while b"\r\n\r\n" not in received:
        chunk = connection.recv(65536)
        if not chunk:
            return received
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def free_port() -> int:
    """A port nothing listens on: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class KeepAliveServer:
    """Answers every request on a connection, ``pause`` seconds after reading it, until the
    client closes it; counts requests per connection."""

    def __init__(self, connections: list[int], pause: float = 0.0) -> None:
        self.connections = connections
        self.pause = pause
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen()
        self._listener.settimeout(5)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        try:
            connection, _ = self._listener.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(5)
            answered = 0
            while _read_request(connection):
                time.sleep(self.pause)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(ANSWER_BODY), ANSWER_BODY)
                )
                answered += 1
            self.connections.append(answered)

    def stop(self) -> None:
        self._thread.join(5)
        self._listener.close()


class HungUp(Exception):
    """The client closed the connection while the server's script was still sending."""


class Wire:
    """The server's side of one connection, for a ``ScriptedServer`` script."""

    def __init__(self, connection: socket.socket, stopped: threading.Event) -> None:
        self._connection = connection
        self._stopped = stopped

    def send(self, data: bytes) -> None:
        try:
            self._connection.sendall(data)
        except OSError as error:
            raise HungUp from error

    def pause(self, seconds: float) -> None:
        if self._stopped.wait(seconds):
            raise HungUp

    def trickle(self, data: bytes, every: float) -> None:
        """Send ``data`` a byte at a time, one every ``every`` seconds."""
        for byte in data:
            self.pause(every)
            self.send(bytes([byte]))


Script = Callable[[Wire, bytes], None]


class ScriptedServer:
    """An HTTP/1.1 server on 127.0.0.1 that reads each request whole and answers it by
    ``script(wire, request)``, one thread per connection, then closes the connection.

    ``completed`` counts scripts that ran to their end; ``hung_up`` those cut short because
    the client closed the connection first (it gave up).
    """

    def __init__(self, script: Script) -> None:
        self.script = script
        self.requests: list[bytes] = []
        self.peers: list[str] = []  # the address each connection came from
        self.completed = 0
        self.hung_up = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads: list[threading.Thread] = []
        self._accepting = threading.Thread(target=self._accept, daemon=True)
        self._accepting.start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, (peer, _) = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.peers.append(peer)
            thread = threading.Thread(target=self._answer, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(10)
            try:
                request = _read_request(connection)
            except OSError:
                return
            with self._lock:
                self.requests.append(request)
            try:
                self.script(Wire(connection, self._stopped), request)
            except HungUp:
                with self._lock:
                    self.hung_up += 1
                return
            with self._lock:
                self.completed += 1

    def stop(self) -> None:
        self._stopped.set()
        self._accepting.join(5)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def __enter__(self) -> ScriptedServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def request_target(request: bytes) -> tuple[str, str]:
    """The method and path (with query) of a raw request."""
    method, _, rest = request.partition(b" ")
    return method.decode("ascii"), rest.partition(b" ")[0].decode("ascii")


def answer(status: str, body: bytes = b"", headers: Sequence[tuple[str, str]] = ()) -> bytes:
    """A whole HTTP/1.1 answer that closes the connection after it."""
    head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}", "Connection: close"]
    head += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
