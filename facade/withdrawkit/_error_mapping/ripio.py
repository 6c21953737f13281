"""Ripio B2B's error table: the five-digit ``code`` decides the exception.

Ripio answers errors as (https://docs.ripio.com/overview/introduction, "Error handling")::

    {"code": 40001, "type": "NotAuthenticated",
     "detail": {"message": "Authentication credentials were not provided.",
                "code": "not_authenticated"},
     "status": 403}

Validation errors (20000) come from Django REST Framework, whose ``detail`` for a bad payload
is a dict of field -> list of messages; both forms of ``detail`` are read. A 400 whose body is
DRF's bare field errors, without Ripio's envelope (``{"amount": ["A valid number is
required."]}``), is a ValidationFailed too. The token endpoint answers OAuth2 bodies instead
(RFC 6749 §5.2): ``{"error": "invalid_client", "error_description": "..."}``. Unknown codes
and bodies fall back to the HTTP status.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from withdrawkit._error_mapping.common import (
    Extras,
    Reading,
    body_of,
    build_error,
    class_for_status,
    flatten_field_errors,
    text_of,
)
from withdrawkit._error_mapping.response import ErrorResponse
from withdrawkit._exceptions import (
    APIError,
    AuthenticationFailed,
    InsufficientFunds,
    LimitExceeded,
    QuoteAlreadyExecuted,
    QuoteExpired,
    ValidationFailed,
)
from withdrawkit._text import ascii_int

__all__ = ["CODES", "OAUTH_ERRORS", "PROVIDER", "map_ripio_error"]

PROVIDER: Final = "Ripio"

# The table of Ripio's documented codes (https://docs.ripio.com/overview/introduction).
CODES: Final[Mapping[int, type[APIError]]] = MappingProxyType(
    {
        20000: ValidationFailed,  # Validation Error: semantically invalid payload
        20001: ValidationFailed,  # Parse Error: body is not well-formed JSON
        20010: QuoteExpired,  # Expired Quote
        20011: QuoteAlreadyExecuted,  # Already Executed Quote
        20012: InsufficientFunds,  # Not Enough Balance
        # Limits refuse a valid request for now; they are not ValidationFailed, which tells
        # the caller to fix fields (see LimitExceeded).
        20013: LimitExceeded,  # Buy Limit Frequency Exceeded
        20014: LimitExceeded,  # Sell Limit Frequency Exceeded
        20015: LimitExceeded,  # Buy Limit Amount Exceeded
        20016: LimitExceeded,  # Sell Limit Amount Exceeded (inferred: the docs stop at 20015)
        40001: AuthenticationFailed,  # NotAuthenticated, sent with HTTP 403
    }
)

# The token endpoint's OAuth2 error codes (RFC 6749 §5.2).
OAUTH_ERRORS: Final[Mapping[str, type[APIError]]] = MappingProxyType(
    {
        "invalid_client": AuthenticationFailed,
        "invalid_grant": AuthenticationFailed,
        "unauthorized_client": AuthenticationFailed,
        "invalid_request": ValidationFailed,
        "invalid_scope": ValidationFailed,
        "unsupported_grant_type": ValidationFailed,
    }
)

# Keys of the documented ``detail`` object; any other key of ``detail`` names a field.
_DETAIL_ENVELOPE: Final = frozenset({"message", "code"})
# Keys of an error envelope (Ripio's, OAuth2's, DRF's "detail"): a body with one of them is
# not a bare mapping of field -> messages.
_ENVELOPE_KEYS: Final = frozenset(
    {"code", "detail", "error", "error_description", "message", "status", "type"}
)


def _ripio_code(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return ascii_int(value.strip())  # "²" is a digit to str.isdigit(), not to a code
    return None


def _is_field_messages(value: object) -> bool:
    """A message, a list of messages or a nested serializer's errors, as DRF writes them."""
    if isinstance(value, str):
        return True
    if isinstance(value, list):
        return bool(value) and all(_is_field_messages(item) for item in value)
    if isinstance(value, Mapping):
        return bool(value) and all(_is_field_messages(item) for item in value.values())
    return False


def _bare_field_errors(response: ErrorResponse, body: Mapping[str, object]) -> dict[str, str]:
    """DRF's 400 for a bad payload without Ripio's envelope: {"amount": ["A valid number..."]}."""
    if response.http_status != 400 or not body or _ENVELOPE_KEYS & body.keys():
        return {}
    if not all(isinstance(key, str) and _is_field_messages(value) for key, value in body.items()):
        return {}
    return flatten_field_errors(body)


def _from_detail(detail: object) -> tuple[list[str], dict[str, str]]:
    """Messages and field errors of a ``detail``: {message, code}, {field: [...]}, str or list."""
    if isinstance(detail, Mapping):
        message = detail.get("message")
        has_envelope = isinstance(message, str)
        fields = {
            key: value
            for key, value in detail.items()
            if not (has_envelope and key in _DETAIL_ENVELOPE)
        }
        field_errors = flatten_field_errors(fields)
        messages = [message] if isinstance(message, str) else []
        messages.extend(f"{field}: {text}" for field, text in field_errors.items())
        return messages, field_errors
    if isinstance(detail, list):
        return [text_of(item) for item in detail], {}
    if detail is None:
        return [], {}
    return [text_of(detail)], {}


def _reading(response: ErrorResponse, body: object) -> Reading:
    if not isinstance(body, Mapping):
        return Reading(exception=class_for_status(response.http_status))
    code = _ripio_code(body.get("code"))
    oauth_error = body.get("error")
    if code is None and isinstance(oauth_error, str):
        description = body.get("error_description")
        return Reading(
            exception=OAUTH_ERRORS.get(oauth_error) or class_for_status(response.http_status),
            code=oauth_error,
            messages=[text_of(description) if description is not None else oauth_error],
        )
    if code is None and (bare := _bare_field_errors(response, body)):
        return Reading(
            exception=ValidationFailed,
            messages=[f"{field}: {text}" for field, text in bare.items()],
            extras=Extras(field_errors=bare),
        )
    messages, field_errors = _from_detail(body.get("detail"))
    for fallback in ("message", "type"):
        if not messages and isinstance(body.get(fallback), str):
            messages = [body[fallback]]
    exception = CODES.get(code) if code is not None else None
    return Reading(
        exception=exception or class_for_status(response.http_status),
        code=code,
        messages=messages,
        extras=Extras(field_errors=field_errors),
    )


def map_ripio_error(response: ErrorResponse) -> APIError:
    """The exception for a Ripio error response (envelope, OAuth2, other); never raises."""
    body = body_of(response)
    return build_error(_reading(response, body), response, provider=PROVIDER, body=body)
