"""Ripio's webhook (IPN) envelope read into a typed event, once its signature has been checked.

No cryptography here (``_webhook_signature`` verifies): this module only reads bytes that are
already known to come from Ripio. The envelope is ``{"event_type", "issued_datetime",
"payload"}``; the payload is typed by the object named before the dot of ``event_type``:

- ``FIAT_DEPOSIT.*``: ``FiatDeposit``, as Ripio's IPN page shows it;
- ``FIAT_WITHDRAWAL.*``: ``FiatWithdrawal`` - INFERRED: the page says fiat withdrawals send IPNs
  but the names and payload were cut off;
- ``WITHDRAWAL.*``: ``Withdrawal`` - INFERRED: no crypto withdrawal event is documented; this is
  what ``FakeRipio`` sends.

Any other event type (``KYC.COMPLETED``, ``FIAT_ACCOUNT.ENABLED``, one Ripio adds tomorrow) keeps
its payload as the decoded JSON object rather than being refused.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Final

import attrs

from withdrawkit import _wire_json as wire_json
from withdrawkit._conversion import WireShapeError, structure
from withdrawkit._exceptions import UnexpectedResponse
from withdrawkit._response_reading import unexpected
from withdrawkit_generated.ripio import FiatDeposit, FiatWithdrawal, WebhookEvent, Withdrawal

__all__ = ["PAYLOAD_TYPES", "SIGNATURE_HEADER", "RipioWebhookEvent", "WebhookPayload", "read_event"]

_log = logging.getLogger(__name__)

# The header Ripio's Crypto as a Service webhooks carry the Base64 signature in.
SIGNATURE_HEADER: Final = "X-Signature-Ecdsa-Sha256"

WebhookPayload = FiatDeposit | FiatWithdrawal | Withdrawal | dict[str, Any]

# The object before the dot of event_type -> the model of its payload.
PAYLOAD_TYPES: Final[dict[str, type[Any]]] = {
    "FIAT_DEPOSIT": FiatDeposit,
    "FIAT_WITHDRAWAL": FiatWithdrawal,
    "WITHDRAWAL": Withdrawal,
}
# Payloads Ripio's IPN page shows: one that does not fit its model is an UnexpectedResponse.
# The others' shapes are inferred (the page leaves them out): one that does not fit the
# inference is kept as the raw JSON object (typed False), never refused.
DOCUMENTED_PAYLOADS: Final = frozenset({"FIAT_DEPOSIT"})


@attrs.frozen
class RipioWebhookEvent:
    """One verified webhook: ``event_type`` (``"FIAT_DEPOSIT.COMPLETED"``), when Ripio issued
    it, and its ``payload`` - a model for the object types withdrawkit knows (see
    ``typed``), else the JSON object as it arrived. ``body`` is the whole decoded envelope."""

    event_type: str
    issued_datetime: datetime
    payload: WebhookPayload
    body: dict[str, Any] = attrs.field(repr=False)

    @property
    def object_type(self) -> str:
        """What the event is about: the part of ``event_type`` before the dot."""
        return self.event_type.partition(".")[0]

    @property
    def typed(self) -> bool:
        """Whether ``payload`` is a model rather than the raw JSON object."""
        return not isinstance(self.payload, dict)


def read_event(raw_body: bytes) -> RipioWebhookEvent:
    """The event in an authentic body; a body that is not the envelope raises
    ``UnexpectedResponse`` (Ripio sent it, but withdrawkit cannot read it)."""
    try:
        decoded = wire_json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as error:
        raise UnexpectedResponse(
            f"ripio webhook: the body is not JSON ({error})",
            http_status=None,
            body=raw_body[:2000].decode("utf-8", "replace"),
        ) from None
    try:
        envelope = structure(decoded, WebhookEvent)
        payload = _payload(envelope.event_type, envelope.payload)
    except WireShapeError as error:
        raise unexpected(f"ripio webhook: {error}", decoded) from error
    return RipioWebhookEvent(envelope.event_type, envelope.issued_datetime, payload, decoded)


def _payload(event_type: str, raw: dict[str, Any]) -> WebhookPayload:
    """The typed payload; the raw object for an unknown type or an inference that missed."""
    object_type = event_type.partition(".")[0]
    model = PAYLOAD_TYPES.get(object_type)
    if model is None:
        return raw
    try:
        typed: WebhookPayload = structure(raw, model)
    except WireShapeError as error:
        if object_type in DOCUMENTED_PAYLOADS:
            raise
        _log.warning(
            "ripio webhook %s kept raw: its payload is not %s (%s)",
            event_type,
            model.__name__,
            error,
        )
        return raw
    return typed
