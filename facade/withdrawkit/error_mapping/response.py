"""``ErrorResponse``: the parts of a failed HTTP response that an error table reads."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final, NoReturn

import attrs

from withdrawkit import wire_json

__all__ = ["ErrorResponse", "decode_json_leniently"]


def _lower_case_names(headers: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType({name.lower(): value for name, value in (headers or {}).items()})


@attrs.frozen(kw_only=True)
class ErrorResponse:
    """A non-2xx response: status, headers (names lower-cased), body text and decoded JSON.

    ``body_json`` is ``None`` when the body was not JSON (a proxy's HTML page, an empty body).
    """

    http_status: int
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_lower_case_names)
    body_text: str = ""
    body_json: object = None

    @classmethod
    def from_body(
        cls, http_status: int, body_text: str, headers: Mapping[str, str] | None = None
    ) -> ErrorResponse:
        """Build one from the raw text, decoding it as exact JSON when it is JSON."""
        try:
            body_json = wire_json.loads(body_text) if body_text.strip() else None
        except (ValueError, RecursionError):
            body_json = None
        return cls(
            http_status=http_status, headers=headers or {}, body_text=body_text, body_json=body_json
        )

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (any case), or ``None``."""
        return self.headers.get(name.lower())


def _refuse_constant(name: str) -> NoReturn:
    raise ValueError(f"JSON constant {name} is not a number")


# raw_decode reads the first JSON value and ignores what follows it (the stray brace).
_LENIENT_DECODER: Final = json.JSONDecoder(parse_float=Decimal, parse_constant=_refuse_constant)


def decode_json_leniently(text: str) -> object:
    """Decode an error body that strict JSON refuses, as the vendors' own examples are written.

    1Konto's documented bodies have a comma before a closing bracket (the "Credit Not
    Available" error) or a stray brace after the object. Only error bodies are read this way,
    to recover their messages; a success body that is not strict JSON is an unexpected
    response. Returns ``None`` when the text is not an object or array even read this way.
    """
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return None
    cleaned = _without_trailing_commas(stripped)
    try:
        value, _ = _LENIENT_DECODER.raw_decode(cleaned)
    except (ValueError, RecursionError):
        return None
    return value


def _without_trailing_commas(text: str) -> str:
    """Drop each comma that only whitespace separates from a closing ``]`` or ``}``."""
    kept: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "]}":
            position = len(kept) - 1
            while position >= 0 and kept[position].isspace():
                position -= 1
            if position >= 0 and kept[position] == ",":
                del kept[position]
        kept.append(char)
    return "".join(kept)
