"""What the transport's DEBUG log lines show of request and response bodies.

JSON bodies and forms are shown as compact JSON with secret-named fields masked, other text
with secrets masked, and an answer that is a credential only as its shape (keys and value
types); each is clipped to a few thousand characters, with the whole length noted. The records
are written on the ``withdrawkit._transport`` logger, the transport's own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

from withdrawkit import _wire_json as wire_json
from withdrawkit._redaction import redact_headers, redact_json, redact_text, shape_of
from withdrawkit._response_body import Body, Received
from withdrawkit._secrets import Secret
from withdrawkit._text import clip

if TYPE_CHECKING:
    import requests

    from withdrawkit._outcomes import Attempt

__all__ = [
    "header_dict",
    "log_request",
    "log_response",
    "logger",
    "request_body_for_log",
    "response_body_for_log",
]

logger = logging.getLogger("withdrawkit._transport")

_LOG_BODY_CHARS: Final = 4000


def log_request(
    prepared: requests.PreparedRequest,
    attempt: Attempt,
    json_body: object,
    form: Mapping[str, str | Secret] | None,
) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    logger.debug(
        "request %s %s (%s) headers=%s body=%s",
        attempt.method,
        attempt.url,
        attempt,
        redact_headers(header_dict(prepared.headers)),
        request_body_for_log(json_body, form),
    )


def log_response(response: requests.Response, received: Received, attempt: Attempt) -> None:
    if not logger.isEnabledFor(logging.DEBUG):
        return
    body = received.body()
    logger.debug(
        "response %s %s -> %d in %.3fs (%s) headers=%s body=%s",
        attempt.method,
        attempt.url,
        response.status_code,
        attempt.elapsed(),
        attempt,
        redact_headers(header_dict(response.headers)),
        response_body_for_log(body, secret=attempt.secret_response),
    )


def header_dict(headers: Mapping[str, str | bytes]) -> dict[str, str]:
    return {
        name: value.decode("latin-1") if isinstance(value, bytes) else value
        for name, value in headers.items()
    }


def request_body_for_log(json_body: object, form: Mapping[str, str | Secret] | None) -> str:
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
        shown = wire_json.dumps(redact_json(_without_secrets(value)))
    except (TypeError, ValueError):
        return "<not JSON-serialisable>"
    return clip(shown, _LOG_BODY_CHARS, suffix=f" ({len(shown)} characters)")


def _text_for_log(text: str) -> str:
    if not text:
        return "empty"
    shown = repr(redact_text(text))
    return clip(shown, _LOG_BODY_CHARS, suffix=f" ({len(shown)} characters)")


def _without_secrets(value: object) -> object:
    """``value`` with each ``Secret`` written as its masked repr (never revealed)."""
    if isinstance(value, Secret):
        return repr(value)
    if isinstance(value, Mapping):
        return {key: _without_secrets(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_secrets(item) for item in value]
    return value
