"""Verify and read the webhooks Ripio B2B sends (``pip install 'withdrawkit[webhooks]'``).

Ripio signs each webhook POST with ECDSA over P-256 / SHA-256 and sends the signature, Base64, in
the ``X-Signature-Ecdsa-Sha256`` header (Crypto as a Service webhooks page,
https://docs.ripio.com/crypto-as-a-service/webhooks/introduction). Verify over the raw body bytes,
exactly as they arrived, before anything reads them, and act on each event once::

    from withdrawkit.webhooks import RipioWebhookVerifier

    verifier = RipioWebhookVerifier(RIPIO_WEBHOOK_PUBLIC_KEY_PEM)   # once, at start-up

    def ripio_webhook(request):                                     # a Django view
        try:
            event = verifier.verify_request(request.body, request.headers)
        except wk.InvalidSignature:
            return HttpResponse(status=400)
        if event.event_type == "FIAT_DEPOSIT.COMPLETED":
            try:
                with transaction.atomic():        # unique (event_type, ref): a replay fails
                    Processed.objects.create(event_type=event.event_type, ref=event.payload.id)
                    credit(event.payload.end_user_id, event.payload.amount)
            except IntegrityError:
                pass                              # done already: acknowledge, act on nothing
        return HttpResponse(status=200)

With Flask: ``verifier.verify_request(request.get_data(), request.headers)``. Never re-serialise
a parsed body to verify it: the signature covers Ripio's bytes, not an equal JSON value.

A valid signature proves origin, not freshness or uniqueness. A captured event can be POSTed
again and verifies again, and a sender may deliver one twice. Nor does the signature name the
delivery: ECDSA signatures are malleable, and the DER and raw ``r || s`` encodings of one
signature and its high-s twin ``(r, n - s)`` all verify. Handlers must therefore be idempotent:
act on each ``(event_type, payload id)`` once, recorded in the same transaction as the effect,
never keyed on the signature.
"""

from __future__ import annotations

from collections.abc import Mapping

from withdrawkit._exceptions import InvalidSignature, UnexpectedResponse
from withdrawkit._webhook_events import (
    SIGNATURE_HEADER,
    RipioWebhookEvent,
    WebhookPayload,
    read_event,
)
from withdrawkit._webhook_signature import load_public_key, verify_signature

__all__ = [
    "SIGNATURE_HEADER",
    "InvalidSignature",
    "RipioWebhookEvent",
    "RipioWebhookVerifier",
    "UnexpectedResponse",
    "WebhookPayload",
]


# Shown and pickled as withdrawkit.webhooks.RipioWebhookEvent, where users import it from.
RipioWebhookEvent.__module__ = __name__


class RipioWebhookVerifier:
    """Checks Ripio webhook signatures with Ripio's public key (PEM, P-256) and reads the events.

    Thread-safe and cheap to call: build one at start-up and share it.
    """

    def __init__(self, public_key_pem: str | bytes) -> None:
        self._key = load_public_key(public_key_pem)

    def verify(
        self, raw_body: bytes | bytearray | memoryview, signature_header: str | None
    ) -> RipioWebhookEvent:
        """The event in ``raw_body`` once ``signature_header`` is proven to sign it.

        A missing, malformed or wrong signature raises ``InvalidSignature`` and nothing of the
        body is parsed. An authentic body that is not Ripio's event envelope raises
        ``UnexpectedResponse``: one over 1 MiB (refused before it is read), not UTF-8, or nested
        more than 64 deep (found in one linear pass, before the JSON parser, which recurses,
        sees it) too. ``raw_body`` must be the bytes as received (``request.body``).
        """
        if isinstance(raw_body, (bytearray, memoryview)):
            raw_body = bytes(raw_body)
        if not isinstance(raw_body, bytes):
            raise TypeError(
                "raw_body must be the request's raw bytes (request.body, request.get_data()),"
                f" not {type(raw_body).__name__}: a decoded or re-encoded body may differ from"
                " the bytes Ripio signed"
            )
        verify_signature(self._key, raw_body, signature_header)
        return read_event(raw_body)

    def verify_request(
        self, raw_body: bytes | bytearray | memoryview, headers: Mapping[str, str]
    ) -> RipioWebhookEvent:
        """``verify`` with the signature looked up in ``headers`` (any mapping: Django's
        ``request.headers``, Flask's, a plain dict; the name is matched case-insensitively)."""
        return self.verify(raw_body, signature_in(headers))

    def __repr__(self) -> str:
        return "RipioWebhookVerifier(ECDSA P-256 / SHA-256)"


def signature_in(headers: Mapping[str, str]) -> str | None:
    """The value of ``X-Signature-Ecdsa-Sha256`` in ``headers``, whatever its case; None if absent.

    Two copies of the header with different values count as malformed (which one did Ripio
    send?) and raise ``InvalidSignature``.
    """
    wanted = SIGNATURE_HEADER.lower()
    found = {value for name, value in headers.items() if name.lower() == wanted}
    if len(found) > 1:
        raise InvalidSignature(f"the webhook carries {SIGNATURE_HEADER} more than once")
    return next(iter(found), None)
