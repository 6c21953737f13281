"""``FakeRipio``'s webhooks: signed as Ripio signs them, POSTed to a loopback endpoint of yours.

Each event is the IPN envelope ``{"event_type", "issued_datetime", "payload"}`` written as compact
JSON (no whitespace, as Ripio serialises it), signed with the fake's own ECDSA P-256 key (SHA-256,
DER, Base64 in ``X-Signature-Ecdsa-Sha256``). Event names: ``FIAT_DEPOSIT.COMPLETED`` as Ripio
documents it; ``FIAT_WITHDRAWAL.<status>`` and ``WITHDRAWAL.<status>`` are the fake's reading of
what the docs leave out (see ``withdrawkit._webhook_events``).

Events are queued while the fake's state lock is held and delivered after it is released, one at
a time and in order, so a webhook handler may call back into the fake without deadlocking it.
Who delivers depends on what caused the event. A scene call (``complete``, ``fail``,
``deposit_fiat``) and a request through the ``responses`` face deliver before they return. A
request over the loopback face, and a scene call made by the control surface of ``withdrawkit
fake serve``, only queue: the answer is written first, then the one background sender of that
``serve()`` delivers, so a slow webhook endpoint never makes the client's request
time out (Ripio, too, answers the API call and notifies later). ``wait_for_webhooks`` waits for
it. Each delivery has one total deadline (``DELIVERY_TIMEOUT``), however the endpoint trickles
its answer. Delivery writes HTTP/1.1 on a plain socket, not requests, so that a fake mounted on
``responses`` still reaches a real endpoint.
"""

from __future__ import annotations

import base64
import collections
import ipaddress
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import attrs

from withdrawkit import _wire_json as wire_json
from withdrawkit._conversion import format_wire_datetime
from withdrawkit._webhook_events import SIGNATURE_HEADER

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey

__all__ = ["WebhookDelivery", "WebhookOutbox", "loopback_url"]

logger = logging.getLogger(__name__)

# The whole of one delivery, connect to status line: an endpoint that trickles is cut off here.
DELIVERY_TIMEOUT: Final = 5.0
_MAX_ANSWER_HEAD: Final = 64 * 1024
_STOP_GRACE = 1.0  # seconds past one delivery's deadline that stopping waits for the sender


@attrs.frozen
class WebhookDelivery:
    """One webhook the fake POSTed: what it sent, and the endpoint's HTTP status (``None`` with
    ``error`` when the endpoint could not be reached or did not answer in time)."""

    url: str
    event_type: str
    body: bytes = attrs.field(repr=False)
    signature: str = attrs.field(repr=False)
    status: int | None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        """Whether the endpoint answered 2xx."""
        return self.status is not None and 200 <= self.status < 300


def loopback_url(url: str) -> str:
    """``url`` if it is ``http://`` on a loopback host; the fake sends nowhere else."""
    if any(ord(character) <= 32 or ord(character) == 127 for character in url):
        raise ValueError(f"webhooks go to a URL without spaces or control characters, got {url!r}")
    parts = urlsplit(url)  # which would drop CR, LF and tab silently
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"webhooks go to an http:// URL on this machine, got {url!r}")
    if "@" in parts.netloc:  # user info: "http://evil.com@127.0.0.1/" reads as another host
        raise ValueError(f"webhooks go to a URL without user info, got {url!r}")
    try:
        port = parts.port
    except ValueError:  # not a number, or past 65535
        raise ValueError(f"webhooks go to a port from 1 to 65535, got {url!r}") from None
    if port == 0:
        raise ValueError(f"webhooks go to a port from 1 to 65535, got {url!r}")
    host = parts.hostname
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise ValueError(f"webhooks go to a loopback host (127.0.0.1, ::1), got {host!r}")
    return url


class WebhookOutbox:
    """The fake's signing key, the endpoint events go to, and the events not yet delivered.

    ``flush`` delivers on the calling thread; ``start_sender`` / ``wake_sender`` /
    ``stop_sender`` run the one background thread that delivers what loopback requests queued.
    Whoever delivers holds ``_sending``, so events go out one at a time, oldest first.
    """

    def __init__(self) -> None:
        self._key: EllipticCurvePrivateKey | None = None
        self._key_lock = threading.Lock()
        self._url: str | None = None
        self._queue: collections.deque[tuple[str, str, bytes]] = (
            collections.deque()
        )  # url, type, body
        self._changed = threading.Condition(threading.Lock())  # guards queue, counts, deliveries
        self._queued = 0  # events ever queued
        self._finished = 0  # events ever taken off the queue and sent (or given up on)
        self._sending = threading.Lock()
        self._deliveries: list[WebhookDelivery] = []
        self._sender: threading.Thread | None = None
        self._stop_sender = False
        self._deferring = threading.local()

    # -- the key ---------------------------------------------------------------------------------

    def _private_key(self) -> EllipticCurvePrivateKey:
        with self._key_lock:
            if self._key is None:
                try:
                    from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415
                except ImportError as missing:  # pragma: no cover - without the extra only
                    raise ImportError(
                        "FakeRipio signs webhooks with the cryptography package:"
                        " pip install 'withdrawkit[testing]'"
                    ) from missing
                self._key = ec.generate_private_key(ec.SECP256R1())
            return self._key

    def public_key_pem(self) -> str:
        from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

        public = self._private_key().public_key()
        return public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")

    def sign(self, body: bytes) -> str:
        """The ``X-Signature-Ecdsa-Sha256`` value for ``body``: Base64 of a DER signature."""
        from cryptography.hazmat.primitives import hashes  # noqa: PLC0415
        from cryptography.hazmat.primitives.asymmetric import ec  # noqa: PLC0415

        signature = self._private_key().sign(body, ec.ECDSA(hashes.SHA256()))
        return base64.b64encode(signature).decode("ascii")

    # -- events ----------------------------------------------------------------------------------

    def send_to(self, url: str | None) -> None:
        self._url = None if url is None else loopback_url(url)

    def announce(self, event_type: str, issued: datetime, payload: dict[str, Any]) -> None:
        """Queue one event, if an endpoint is set; ``flush`` or the sender delivers it."""
        url = self._url  # where it goes is decided now: deliver_webhooks_to(None) stops later ones
        if url is None:
            return
        envelope = {
            "event_type": event_type,
            "issued_datetime": format_wire_datetime(issued),
            "payload": payload,
        }
        with self._changed:
            self._queue.append((url, event_type, wire_json.dumps(envelope).encode("utf-8")))
            self._queued += 1

    def flush(self) -> None:
        """Deliver every queued event before returning, waiting for a delivery under way on
        another thread (the events it holds come first); inside ``deferred`` on this thread,
        leave them to the sender."""
        if getattr(self._deferring, "active", False):
            return
        with self._sending:
            while (queued := self._next()) is not None:
                self._deliver(*queued)

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """``flush`` on this thread queues only, for the block: the sender delivers (woken by
        ``wake_sender`` once the answer is written)."""
        self._deferring.active = True
        try:
            yield
        finally:
            self._deferring.active = False

    def wait(self, timeout: float) -> None:
        """Return once every event queued so far has been sent (or given up on)."""
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            raise TypeError(f"timeout must be a number of seconds, got {timeout!r}")
        with self._changed:
            target, running = self._queued, self._sender is not None
        if not running:  # nobody else will send them
            self.flush()
            return
        with self._changed:
            if not self._changed.wait_for(lambda: self._finished >= target, timeout):
                left = target - self._finished
                raise TimeoutError(f"{left} webhook(s) still undelivered after {timeout} s")

    def deliveries(self) -> list[WebhookDelivery]:
        with self._changed:
            return list(self._deliveries)

    # -- the background sender --------------------------------------------------------------------

    def start_sender(self, name: str) -> None:
        with self._changed:
            if self._sender is not None:
                raise RuntimeError("the webhook sender is already running")
            self._stop_sender = False
            self._sender = threading.Thread(target=self._send_forever, name=name, daemon=True)
            self._sender.start()

    def wake_sender(self) -> None:
        """After a loopback answer is written: the sender delivers what the request queued."""
        with self._changed:
            self._changed.notify_all()

    def stop_sender(self) -> None:
        """Stop the sender once its delivery under way ends (it checks between events, and
        each delivery ends within ``DELIVERY_TIMEOUT``); events still queued stay queued for
        the next ``flush``. A sender still busy after the grace is left to finish that one
        delivery on its own (logged), never raised about: stopping must not lose the others."""
        with self._changed:
            sender, self._sender = self._sender, None
            self._stop_sender = True
            self._changed.notify_all()
        if sender is not None:
            sender.join(_STOP_GRACE + DELIVERY_TIMEOUT)
            if sender.is_alive():
                logger.warning("the webhook sender %s is still finishing a delivery", sender.name)

    def _send_forever(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._stop_sender or bool(self._queue))
                if self._stop_sender:
                    return
            with self._sending:  # one event, then look at the stop flag again
                if (queued := self._next()) is not None:
                    self._deliver(*queued)

    def _next(self) -> tuple[str, str, bytes] | None:
        with self._changed:
            return self._queue.popleft() if self._queue else None

    def _deliver(self, url: str, event_type: str, body: bytes) -> None:
        signature = self.sign(body)
        try:
            status, error = _post(url, body, signature), None
        except (OSError, ValueError) as failure:
            status, error = None, f"{type(failure).__name__}: {failure}"
            logger.warning("FakeRipio could not deliver %s to %s: %s", event_type, url, error)
        self._finish(WebhookDelivery(url, event_type, body, signature, status, error))

    def _finish(self, delivery: WebhookDelivery) -> None:
        with self._changed:
            self._deliveries.append(delivery)
            self._finished += 1
            self._changed.notify_all()


def _post(url: str, body: bytes, signature: str) -> int:
    """POST ``body`` and return the answer's status, all within ``DELIVERY_TIMEOUT``."""
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    authority = f"[{host}]" if ":" in host else host
    head = (
        f"POST {target} HTTP/1.1\r\n"
        f"Host: {authority}:{parts.port or 80}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"{SIGNATURE_HEADER}: {signature}\r\n"
        "User-Agent: withdrawkit-FakeRipio-webhooks\r\n"
        "Connection: close\r\n\r\n"
    )
    with socket.create_connection((host, parts.port or 80), timeout=DELIVERY_TIMEOUT) as sock:
        sock.settimeout(_remaining(deadline))
        sock.sendall(head.encode("ascii") + body)  # the timeout bounds the whole sendall
        return _status_of(_read_answer_head(sock, deadline))


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError(f"no answer within {DELIVERY_TIMEOUT} s")
    return left


def _read_answer_head(sock: socket.socket, deadline: float) -> bytes:
    """The answer up to the end of its status line, read before ``deadline``."""
    received = b""
    while b"\r\n" not in received:
        if len(received) > _MAX_ANSWER_HEAD:
            raise ValueError("the endpoint's status line is too long")
        sock.settimeout(_remaining(deadline))
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the endpoint closed the connection before answering")
        received += chunk
    return received.split(b"\r\n", 1)[0]


def _status_of(status_line: bytes) -> int:
    match = re.fullmatch(rb"HTTP/1\.[01] ([1-5][0-9][0-9])(?: .*)?", status_line)
    if match is None:
        raise ValueError(f"not an HTTP status line: {status_line[:80]!r}")
    return int(match.group(1))
