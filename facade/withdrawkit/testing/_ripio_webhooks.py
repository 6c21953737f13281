"""``FakeRipio``'s webhooks: signed as Ripio signs them, POSTed to a loopback endpoint of yours.

Each event is the IPN envelope ``{"event_type", "issued_datetime", "payload"}`` written as compact
JSON (no whitespace, as Ripio serialises it), signed with the fake's own ECDSA P-256 key (SHA-256,
DER, Base64 in ``X-Signature-Ecdsa-Sha256``). Event names: ``FIAT_DEPOSIT.COMPLETED`` as Ripio
documents it; ``FIAT_WITHDRAWAL.<status>`` and ``WITHDRAWAL.<status>`` are the fake's reading of
what the docs leave out (see ``withdrawkit._webhook_events``).

Events are queued while the fake's state lock is held and delivered after it is released, by
whichever thread made them, one at a time and in order. A webhook handler may therefore call back
into the fake (over its loopback face) without deadlocking it. Delivery uses the standard
library, not requests, so that a fake mounted on ``responses`` still reaches a real endpoint.
"""

from __future__ import annotations

import base64
import collections
import http.client
import ipaddress
import logging
import threading
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

DELIVERY_TIMEOUT: Final = 5.0


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
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"webhooks go to an http:// URL on this machine, got {url!r}")
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
    """The fake's signing key, the endpoint events go to, and the events not yet delivered."""

    def __init__(self) -> None:
        self._key: EllipticCurvePrivateKey | None = None
        self._key_lock = threading.Lock()
        self._url: str | None = None
        self._queue: collections.deque[tuple[str, bytes]] = collections.deque()
        self._queue_lock = threading.Lock()
        self._sending = threading.Lock()
        self._deliveries: list[WebhookDelivery] = []

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
        """Queue one event, if an endpoint is set; ``flush`` delivers it."""
        if self._url is None:
            return
        envelope = {
            "event_type": event_type,
            "issued_datetime": format_wire_datetime(issued),
            "payload": payload,
        }
        with self._queue_lock:
            self._queue.append((event_type, wire_json.dumps(envelope).encode("utf-8")))

    def flush(self) -> None:
        """Deliver every queued event, unless another thread is delivering (it will)."""
        while True:
            if not self._sending.acquire(blocking=False):
                return
            try:
                while (queued := self._next()) is not None:
                    self._deliver(*queued)
            finally:
                self._sending.release()
            with self._queue_lock:
                if not self._queue:
                    return

    def deliveries(self) -> list[WebhookDelivery]:
        with self._queue_lock:
            return list(self._deliveries)

    def _next(self) -> tuple[str, bytes] | None:
        with self._queue_lock:
            return self._queue.popleft() if self._queue else None

    def _deliver(self, event_type: str, body: bytes) -> None:
        url = self._url
        if url is None:
            return
        signature = self.sign(body)
        try:
            status, error = _post(url, body, signature), None
        except (OSError, http.client.HTTPException) as failure:
            status, error = None, f"{type(failure).__name__}: {failure}"
            logger.warning("FakeRipio could not deliver %s to %s: %s", event_type, url, error)
        with self._queue_lock:
            self._deliveries.append(
                WebhookDelivery(url, event_type, body, signature, status, error)
            )


def _post(url: str, body: bytes, signature: str) -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(
        parts.hostname or "127.0.0.1", parts.port or 80, timeout=DELIVERY_TIMEOUT
    )
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature,
        "User-Agent": "withdrawkit-FakeRipio-webhooks",
    }
    try:
        connection.request("POST", target, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return response.status
    finally:
        connection.close()
