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

An authentic body is still not trusted to be sane: one nested deeper than ``MAX_NESTING`` is
refused, after one linear pass over its bytes, before the JSON parser (which recurses) sees it.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from itertools import accumulate
from typing import Any, Final

import attrs

from withdrawkit import _wire_json as wire_json
from withdrawkit._conversion import WireShapeError, structure
from withdrawkit._exceptions import UnexpectedResponse
from withdrawkit._response_reading import unexpected
from withdrawkit_generated.ripio import FiatDeposit, FiatWithdrawal, WebhookEvent, Withdrawal

__all__ = [
    "MAX_NESTING",
    "PAYLOAD_TYPES",
    "SIGNATURE_HEADER",
    "RipioWebhookEvent",
    "WebhookPayload",
    "nesting_depth",
    "read_event",
]

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

# How deep arrays and objects may nest. Ripio's envelope nests two deep, its payloads a level or
# two more; 64 leaves room for any event while staying far below Python's recursion limit
# wherever a handler runs (json.loads, and everything that walks the value, recurses).
MAX_NESTING: Final = 64
# A JSON string, escapes included; an unterminated one runs to the end (so no byte is read twice).
_STRING: Final = re.compile(rb'"(?:[^"\\]+|\\.)*"?', re.DOTALL)
_NOT_BRACKETS: Final = bytes(byte for byte in range(256) if byte not in b"[]{}")
_STEP: Final = [1 if byte in b"[{" else -1 if byte in b"]}" else 0 for byte in range(256)]


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
    if _nests_too_deep(raw_body):
        raise _unreadable(raw_body, f"the JSON is nested more than {MAX_NESTING} deep")
    try:
        decoded = wire_json.loads(raw_body)
    except (ValueError, UnicodeDecodeError) as error:
        raise _unreadable(raw_body, f"the body is not JSON ({error})") from None
    try:
        envelope = structure(decoded, WebhookEvent)
        payload = _payload(envelope.event_type, envelope.payload)
    except WireShapeError as error:
        raise unexpected(f"ripio webhook: {error}", decoded) from error
    return RipioWebhookEvent(envelope.event_type, envelope.issued_datetime, payload, decoded)


def nesting_depth(raw_body: bytes) -> int:
    """How deep the arrays and objects of ``raw_body`` nest (brackets inside strings not
    counted), in one pass at C speed. For text that is not JSON the depth counted is at least
    the depth a parser reaches before it fails."""
    brackets = _STRING.sub(b"", raw_body).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _nests_too_deep(raw_body: bytes) -> bool:
    if raw_body.count(b"[") + raw_body.count(b"{") <= MAX_NESTING:
        return False  # the usual event: two counts, no scan
    return nesting_depth(raw_body) > MAX_NESTING


def _unreadable(raw_body: bytes, problem: str) -> UnexpectedResponse:
    return UnexpectedResponse(
        f"ripio webhook: {problem}",
        http_status=None,
        body=raw_body[:2000].decode("utf-8", "replace"),
    )


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
