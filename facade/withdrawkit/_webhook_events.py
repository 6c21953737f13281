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

An authentic body is still not trusted to be sane. One larger than ``MAX_BODY_BYTES`` (1 MiB;
Ripio's events are a few hundred bytes) is refused before anything reads it; one that is not
UTF-8 (JSON on the wire is UTF-8, RFC 8259 section 8.1) is refused as not JSON; one nested deeper
than ``MAX_NESTING`` is refused, after one linear pass over its bytes in constant extra memory,
before the JSON parser (which recurses) sees it. All three are ``UnexpectedResponse``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
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
    "MAX_BODY_BYTES",
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
# The largest body read. Ripio's events are a few hundred bytes; 1 MiB leaves room for any
# payload while bounding what the checks and the parser spend on one that is not an event.
MAX_BODY_BYTES: Final = 1 << 20
# A JSON string once its escaped backslashes and quotes are gone: every quote left delimits one.
# An unterminated one runs to the end of the text searched.
_STRING: Final = re.compile(rb'"[^"]*"?')
# How much of a body one pass of _STRING strips at a time: what that pass allocates (a list
# entry per string) stays bounded by the window, not the body.
_WINDOW: Final = 1 << 16
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
    if len(raw_body) > MAX_BODY_BYTES:
        raise _unreadable(
            raw_body, f"the body is {len(raw_body)} bytes, over the limit of {MAX_BODY_BYTES}"
        )
    try:
        # Strictly UTF-8 (a leading byte order mark tolerated): json.loads(bytes) would also
        # read UTF-16 and UTF-32, whose brackets the byte scan below does not see.
        text = raw_body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _unreadable(raw_body, f"the body is not JSON ({error})") from None
    # Valid UTF-8 holds its brackets, quotes and backslashes as single bytes that no other
    # character's bytes contain: the bytes nest exactly as the text does.
    if _nests_too_deep(raw_body):
        raise _unreadable(raw_body, f"the JSON is nested more than {MAX_NESTING} deep")
    try:
        decoded = wire_json.loads(text)
    except ValueError as error:
        raise _unreadable(raw_body, f"the body is not JSON ({error})") from None
    try:
        envelope = structure(decoded, WebhookEvent)
        payload = _payload(envelope.event_type, envelope.payload)
    except WireShapeError as error:
        raise unexpected(f"ripio webhook: {error}", decoded) from error
    return RipioWebhookEvent(envelope.event_type, envelope.issued_datetime, payload, decoded)


def nesting_depth(raw_body: bytes) -> int:
    """How deep the arrays and objects of ``raw_body`` nest (brackets inside strings not
    counted), in one linear pass at C speed whose extra memory is at most one copy of the body.
    For text that is not JSON the depth counted is at least the depth a parser reaches before
    it fails (the text up to the first byte a parser refuses is read as the parser reads it)."""
    depth = deepest = 0
    for brackets in _brackets_outside_strings(raw_body):
        reached = max(accumulate(map(_STEP.__getitem__, brackets), initial=depth))
        deepest = max(deepest, reached)
        depth += 2 * (brackets.count(b"[") + brackets.count(b"{")) - len(brackets)
    return deepest


def _brackets_outside_strings(raw_body: bytes) -> Iterator[bytes]:
    """The brackets of ``raw_body`` that are not inside a string, a window at a time."""
    # Inside a string every maximal run of backslashes starts an escape, so removing backslash
    # pairs, then each backslash-quote pair, leaves exactly the quotes that open or close strings
    # (outside one a backslash is an error a parser stops at, so what follows it does not matter).
    flat = raw_body.replace(b"\\\\", b"").replace(b'\\"', b"")
    in_string = False
    for start in range(0, len(flat), _WINDOW):
        window = flat[start : start + _WINDOW]
        if in_string:  # the window starts inside a string the last one opened
            closing = window.find(b'"')
            if closing == -1:
                continue
            window = window[closing + 1 :]
        in_string = window.count(b'"') % 2 == 1
        yield _STRING.sub(b"", window).translate(None, _NOT_BRACKETS)


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
