"""Decoded response bodies into generated models, or ``UnexpectedResponse`` when they do not fit."""

from __future__ import annotations

from typing import Any, TypeVar

from withdrawkit import wire_json
from withdrawkit.conversion import WireShapeError, structure
from withdrawkit.exceptions import UnexpectedResponse
from withdrawkit.redaction import redact_json

__all__ = ["ALREADY_ACCEPTED", "SUCCESS_STATUS", "read_response", "unexpected"]

T = TypeVar("T")

# The transport hands back only the decoded body of a successful (2xx) answer; the exact status
# is not part of its result, so shape errors report the status every such endpoint documents.
SUCCESS_STATUS = 200

ALREADY_ACCEPTED = "The server accepted the request: look the operation up before sending it again."


def read_response(
    value: Any, model: type[T], *, operation: str, secret: bool = False, accepted: bool = False
) -> T:
    """``value`` structured as ``model``; a body of another shape raises ``UnexpectedResponse``.

    The caller then never sees a cattrs, KeyError or TypeError from a server that changed its
    answer, and the exception keeps the body (secret-named fields masked) for the bug report.
    A ``secret`` body (a login answer) keeps only its shape, and the converter's explanation is
    left out too, since it may quote the values it could not read. ``accepted`` marks the answer
    to a request that moves money: the server took it, so the message warns against resending.
    """
    try:
        return structure(value, model)
    except WireShapeError as error:
        warning = f" {ALREADY_ACCEPTED}" if accepted else ""
        if secret:
            message = f"{operation}: the response does not match {model.__name__}{warning}"
            raise unexpected(message, value, secret=True) from None
        raise unexpected(f"{operation}: {error}{warning}", value) from error


def unexpected(message: str, value: Any, *, secret: bool = False) -> UnexpectedResponse:
    """An ``UnexpectedResponse`` for a successful answer whose decoded body is ``value``.

    Secret-named fields are masked; of a ``secret`` body (a login answer, where any field may
    hold a credential under a name no list foresees) only the shape is kept.
    """
    body = _shape_of(value) if secret else _as_text(redact_json(value))
    return UnexpectedResponse(message, http_status=SUCCESS_STATUS, body=body)


def _as_text(value: Any) -> str:
    try:
        return wire_json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def _shape_of(value: Any) -> str:
    if isinstance(value, dict):
        fields = ", ".join(f"{key!r}: {type(item).__name__}" for key, item in value.items())
        return f"{{{fields}}} (values withheld)"
    return f"{type(value).__name__} (value withheld)"
