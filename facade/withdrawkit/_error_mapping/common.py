"""What both providers' tables share: the fallback by HTTP status and building the exception
from what a table read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, NamedTuple

from withdrawkit import _wire_json as wire_json
from withdrawkit._error_mapping.response import ErrorResponse, decode_json_leniently
from withdrawkit._exceptions import (
    APIError,
    AuthenticationFailed,
    NotFound,
    RateLimited,
    ServerError,
)

__all__ = [
    "FALLBACK_BY_STATUS",
    "Extras",
    "Reading",
    "body_of",
    "build_error",
    "class_for_status",
    "flatten_field_errors",
    "text_of",
]

# When a body names no category or code a table knows, the HTTP status decides.
# 5xx are ServerError as a range (see class_for_status); anything else is APIError itself.
FALLBACK_BY_STATUS: Final[Mapping[int, type[APIError]]] = MappingProxyType(
    {
        401: AuthenticationFailed,
        403: AuthenticationFailed,
        404: NotFound,
        429: RateLimited,
    }
)


def class_for_status(http_status: int) -> type[APIError]:
    """The exception class an error response gets from its HTTP status alone."""
    if 500 <= http_status <= 599:
        return ServerError
    return FALLBACK_BY_STATUS.get(http_status, APIError)


def body_of(response: ErrorResponse) -> object:
    """The body as JSON (read leniently if strict JSON refused it), else its text."""
    if response.body_json is not None:
        return response.body_json
    decoded = decode_json_leniently(response.body_text)
    return decoded if decoded is not None else response.body_text


def text_of(value: object) -> str:
    """A JSON value as message text: strings as they are, numbers with every digit."""
    if isinstance(value, str):
        return value
    try:
        return wire_json.dumps(value)
    except (TypeError, ValueError):
        return str(value)


def flatten_field_errors(value: object, path: str = "") -> dict[str, str]:
    """Nested field errors, flattened: {"account": {"cbu": ["bad"]}} -> {"account.cbu": "bad"}.

    Lists of messages are joined with "; "; list items that are objects get their index.
    """
    if isinstance(value, Mapping):
        flattened: dict[str, str] = {}
        for key, item in value.items():
            flattened.update(flatten_field_errors(item, f"{path}.{key}" if path else str(key)))
        return flattened
    if isinstance(value, list):
        texts = [text_of(item) for item in value if not isinstance(item, (Mapping, list))]
        nested: dict[str, str] = {}
        for index, item in enumerate(value):
            if isinstance(item, (Mapping, list)):
                nested.update(flatten_field_errors(item, f"{path}.{index}" if path else str(index)))
        return ({path: "; ".join(texts)} if texts else {}) | nested
    return {path: text_of(value)}


if TYPE_CHECKING:
    from withdrawkit._amount import Amount

_NO_FIELD_ERRORS: Final[Mapping[str, str]] = MappingProxyType({})


# Named tuples, not attrs classes: the error tables load with every client, and constructing a
# client does not import attrs.
class Extras(NamedTuple):
    """Fields some exception classes carry beyond what every APIError has."""

    field_errors: Mapping[str, str] = _NO_FIELD_ERRORS
    requested: Amount | None = None
    available: Amount | None = None


class Reading(NamedTuple):
    """What a provider's table read from an error body."""

    exception: type[APIError]
    code: str | int | None = None
    messages: Sequence[str] = ()
    extras: Extras = Extras()


def build_error(
    reading: Reading, response: ErrorResponse, *, provider: str, body: object
) -> APIError:
    """The exception ``reading`` names, with the fields its class carries.

    ``body`` is what the exception keeps: ``body_of(response)``, which the caller has read.
    Beyond every APIError's fields, the class takes those it lists in ``extra_fields``, from
    what the table read (``reading.extras``) and from the response (``retry_after``).
    """
    available = {**reading.extras._asdict(), "retry_after": response.retry_after}
    return reading.exception(
        provider=provider,
        http_status=response.http_status,
        code=reading.code,
        messages=tuple(reading.messages),
        body=body,
        method=response.method,
        path=response.path,
        **{name: available[name] for name in reading.exception.extra_fields},
    )
