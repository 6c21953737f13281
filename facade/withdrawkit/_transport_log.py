"""What the transport's DEBUG log lines show of request and response bodies.

JSON bodies and forms are shown as compact JSON with secret-named fields masked, other text
with secrets masked, and an answer that is a credential only as its shape (keys and value
types); each is clipped to a few thousand characters, with the whole length noted. The records
themselves are written by ``withdrawkit._transport``, on its own logger.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from withdrawkit import _wire_json as wire_json
from withdrawkit._redaction import redact_json, redact_text, shape_of
from withdrawkit._response_body import Body
from withdrawkit._text import clip

__all__ = ["request_body_for_log", "response_body_for_log"]

_LOG_BODY_CHARS: Final = 4000


def request_body_for_log(json_body: object, form: Mapping[str, str] | None) -> str:
    if json_body is not None:
        return _json_for_log(json_body)
    if form is not None:
        return _json_for_log(dict(form))
    return "none"


def response_body_for_log(body: Body, *, secret: bool) -> str:
    if secret:
        return shape_of(body.json if body.problem is None else body.text)
    if body.problem is None:
        return _json_for_log(body.json)
    return _text_for_log(body.text)


def _json_for_log(value: object) -> str:
    try:
        shown = wire_json.dumps(redact_json(value))
    except (TypeError, ValueError):
        return "<not JSON-serialisable>"
    return clip(shown, _LOG_BODY_CHARS, suffix=f" ({len(shown)} characters)")


def _text_for_log(text: str) -> str:
    if not text:
        return "empty"
    shown = repr(redact_text(text))
    return clip(shown, _LOG_BODY_CHARS, suffix=f" ({len(shown)} characters)")
