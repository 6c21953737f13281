"""One HTTP exchange as the fakes see it: a request in, a response (or a dropped connection) out.

Both faces of a fake (``responses`` and the loopback server) turn what they receive into a
``FakeRequest`` and render the ``FakeResponse`` the fake's handler returns, so the handler never
knows which face it is behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

import attrs

from withdrawkit import _wire_json as wire_json

__all__ = [
    "DropConnection",
    "FakeRequest",
    "FakeResponse",
    "LateResponse",
    "Outcome",
    "json_response",
]


def _upper(text: str) -> str:
    return text.upper()


def _lower_keys(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@attrs.frozen
class FakeRequest:
    """What the fake needs of a request.

    ``path`` has no query string; header names are lower case.
    """

    method: str = attrs.field(converter=_upper)
    path: str
    query: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    headers: Mapping[str, str] = attrs.field(factory=dict, converter=_lower_keys)
    body: bytes = b""

    @classmethod
    def build(
        cls,
        method: str,
        path: str,
        *,
        query_string: str = "",
        headers: Mapping[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> FakeRequest:
        """Build from raw parts: ``query_string`` as it appears after ``?`` in a URL."""
        parsed = parse_qs(query_string, keep_blank_values=True)
        query = {name: tuple(values) for name, values in parsed.items()}
        if body is None:
            raw = b""
        elif isinstance(body, str):
            raw = body.encode("utf-8")
        else:
            raw = bytes(body)
        return cls(method, path, query, dict(headers or {}), raw)

    def query_value(self, name: str) -> str | None:
        """The last value of query parameter ``name``, as servers usually read repeated ones."""
        values = self.query.get(name)
        return values[-1] if values else None

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@attrs.frozen
class FakeResponse:
    """A complete HTTP answer: status, headers and the exact body bytes."""

    status: int
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        """The body decoded with ``wire_json.loads`` (Decimals kept exact)."""
        return wire_json.loads(self.body)


@attrs.frozen
class DropConnection:
    """The server closes the connection without answering.

    ``request_applied`` says whether the fake acted on the request first: a withdrawal created
    and then the response lost is the case a client cannot tell from "never arrived".
    """

    request_applied: bool


@attrs.frozen
class LateResponse:
    """``response``, sent only after ``seconds``: the request was handled, the answer is slow."""

    response: FakeResponse
    seconds: float


Outcome = FakeResponse | DropConnection | LateResponse


def json_response(
    status: int, value: Any, *, headers: Mapping[str, str] | None = None
) -> FakeResponse:
    """A JSON response written with ``wire_json.dumps``, so Decimals keep every digit."""
    all_headers = {"Content-Type": "application/json"}
    all_headers.update(headers or {})
    return FakeResponse(status, all_headers, wire_json.dumps(value).encode("utf-8"))
