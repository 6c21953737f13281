"""``ErrorResponse``: the parts of a failed HTTP response that an error table reads."""

from __future__ import annotations

import email.utils
import math
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from withdrawkit import _wire_json as wire_json
from withdrawkit._decimals import check_magnitude
from withdrawkit._records import Record

__all__ = ["ErrorResponse", "decode_json_leniently", "parse_retry_after"]

# ASCII digits only: Decimal() would also read "٣" (Arabic-Indic three) as 3.
_DELAY_SECONDS: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_JSON_WHITESPACE: Final = frozenset(" \t\r\n")


def _lower_case_names(headers: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType({name.lower(): value for name, value in (headers or {}).items()})


class ErrorResponse(Record):
    """A non-2xx response: status, headers (names lower-cased), body text and decoded JSON.

    ``body_json`` is ``None`` when the body was not JSON (a proxy's HTML page, an empty body).
    ``retry_after`` is the wait its ``Retry-After`` header asks for, read once when the
    response is built (see ``parse_retry_after``), for the error table and the retry policy
    alike. ``method`` and ``path`` say what was called, for the exception's text: "POST" and
    the URL's path, never its query. Its repr shows neither headers nor body: they are the
    server's text, unmasked, and a traceback formatted with its frames' locals would show them.
    A ``Record`` (not a tuple, not attrs: constructing a client does not import attrs), built
    from keywords only.
    """

    __slots__ = (
        "body_json",
        "body_text",
        "headers",
        "http_status",
        "method",
        "path",
        "retry_after",
    )
    http_status: int
    headers: Mapping[str, str]
    body_text: str
    body_json: object
    method: str | None
    path: str | None
    retry_after: Decimal | None

    def __init__(
        self,
        *,
        http_status: int,
        headers: Mapping[str, str] | None = None,
        body_text: str = "",
        body_json: object = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        lowered = _lower_case_names(headers)
        self._init(
            http_status=http_status,
            headers=lowered,
            body_text=body_text,
            body_json=body_json,
            method=method,
            path=path,
            retry_after=parse_retry_after(lowered.get("retry-after"), date=lowered.get("date")),
        )

    def __repr__(self) -> str:
        return (
            f"ErrorResponse(http_status={self.http_status!r}, method={self.method!r}, "
            f"path={self.path!r}, retry_after={self.retry_after!r})"
        )

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


def parse_retry_after(value: str | None, *, date: str | None = None) -> Decimal | None:
    """The wait a ``Retry-After`` header asks for, in seconds (never negative), or ``None``.

    The header holds either seconds or an HTTP date. A date is measured from the response's
    own ``Date`` header when it has one (both come from the server's clock), else from now.
    """
    value = (value or "").strip()
    if _DELAY_SECONDS.fullmatch(value):
        try:
            return check_magnitude(Decimal(value))
        except ValueError:  # thousands of digits: no usable wait (and no printable one)
            return None
    retry_at = _http_date(value)
    if retry_at is None:
        return None
    reference = _http_date(date or "") or datetime.now(timezone.utc)
    return Decimal(max(0, math.ceil((retry_at - reference).total_seconds())))


def _http_date(text: str) -> datetime | None:
    if not text:
        return None
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # HTTP dates are GMT; "-0000" parses as a naive datetime.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


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
    try:
        return wire_json.loads(_first_value_without_trailing_commas(stripped))
    except (ValueError, RecursionError):
        return None


def _first_value_without_trailing_commas(text: str) -> str:
    """The first JSON object or array of ``text``, each comma that only whitespace separates
    from a closing ``]`` or ``}`` dropped; what follows the value (a stray brace) is cut off."""
    kept: list[str] = []
    in_string = escaped = False
    depth = 0
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
        elif char in "[{":
            depth += 1
        elif char in "]}":
            position = len(kept) - 1
            while position >= 0 and kept[position] in _JSON_WHITESPACE:
                position -= 1
            if position >= 0 and kept[position] == ",":
                del kept[position]
            depth -= 1
        kept.append(char)
        if depth == 0:
            break
    return "".join(kept)
