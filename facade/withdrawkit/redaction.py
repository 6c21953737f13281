"""Masks secrets in everything withdrawkit writes for people: logs, reprs, exception text.

What counts as secret is decided by *name* (of a header, a JSON or form field, a query
parameter), never by guessing at values: ``Authorization``, any header whose name mentions a
token, secret, key, password, cookie or auth, and fields such as ``password``, ``client_secret``,
``access_token``, ``token`` or ``refresh_token`` at any depth. Text that is not JSON (a truncated
body, an HTML page) is masked by pattern: ``"name": "value"``, ``name=value`` and
``Bearer <token>`` forms.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "REDACTED",
    "is_secret_field",
    "is_secret_header",
    "redact_headers",
    "redact_json",
    "redact_text",
    "redact_url",
]

REDACTED: Final = "[REDACTED]"

# Substrings of a field name (lower case, separators removed) that mark its value as secret.
_SECRET_FIELD_PARTS: Final = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "authorization",
    "credential",
    "cookie",
    "signature",
    "sessionid",
)
# Whole field names too short or generic to match as substrings.
_SECRET_FIELD_NAMES: Final = frozenset({"pwd", "pin", "otp", "key", "auth"})
# Names the substrings catch that describe a secret without holding one (OAuth2 "Bearer").
_PUBLIC_FIELD_NAMES: Final = frozenset({"tokentype", "tokentypehint"})
# Header names are matched more broadly: X-Api-Key, X-Auth-Token, Proxy-Authorization, ...
_SECRET_HEADER_PARTS: Final = ("key", "auth", *_SECRET_FIELD_PARTS)

_NAME_SEPARATORS: Final = re.compile(r"[^a-z0-9]")
# An Authorization value's scheme is kept: "Bearer [REDACTED]" still tells which auth was used.
_AUTH_SCHEME: Final = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9_-]*) +\S")

# "name": "value" (the closing quote may be missing in a truncated body) or "name": 123.
_JSON_PAIR: Final = re.compile(
    r'(?P<key>"(?P<name>[^"\\]{1,100})"\s*:\s*)'
    r'(?P<value>"(?:[^"\\]|\\.)*(?:"|\\?$)|[^\s,}\]]+)'
)
# name=value in a query string or form body.
_FORM_PAIR: Final = re.compile(
    r"(?P<key>(?<![\w%])(?P<name>[A-Za-z_][\w.-]{0,100})=)(?P<value>[^&\s\"']*)"
)
# A credential after an auth scheme word: it has a digit or is long, so prose such as
# "Basic authentication required" is left alone.
_AUTH_CREDENTIALS: Final = re.compile(
    r"\b(?P<scheme>Bearer|Basic|Token|JWT)(?P<space>\s+)"
    r"(?=[A-Za-z._~+/=-]*[0-9]|[A-Za-z0-9._~+/=-]{16})[A-Za-z0-9._~+/=-]+",
    re.IGNORECASE,
)


def _normalized(name: str) -> str:
    return _NAME_SEPARATORS.sub("", name.lower())


def is_secret_field(name: str) -> bool:
    """Whether a JSON/form field or query parameter called ``name`` holds a secret."""
    normalized = _normalized(name)
    if normalized in _PUBLIC_FIELD_NAMES:
        return False
    return normalized in _SECRET_FIELD_NAMES or any(
        part in normalized for part in _SECRET_FIELD_PARTS
    )


def is_secret_header(name: str) -> bool:
    """Whether header ``name`` carries a secret (``Authorization``, ``X-Api-Key``, ...)."""
    normalized = _normalized(name)
    return any(part in normalized for part in _SECRET_HEADER_PARTS)


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """A copy of ``headers`` with secret values masked; an auth scheme word is kept."""
    return {
        name: _mask_header_value(value) if is_secret_header(name) else value
        for name, value in headers.items()
    }


def _mask_header_value(value: str) -> str:
    match = _AUTH_SCHEME.match(value)
    if match is not None and match["scheme"].lower() in {"bearer", "basic", "token", "jwt"}:
        return f"{match['scheme']} {REDACTED}"
    return REDACTED


def redact_json(value: object) -> object:
    """A copy of a decoded JSON value with every secret-named field masked, at any depth."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED if isinstance(key, str) and is_secret_field(key) else redact_json(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact_json(item) for item in value]
    return value


def redact_url(url: str) -> str:
    """``url`` without user:password and with secret-named query parameters masked."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode(
            [(name, REDACTED if is_secret_field(name) else value) for name, value in pairs],
            safe="[]/,",
        )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str) -> str:
    """Mask secrets in free text: JSON-looking pairs, form pairs and auth credentials."""

    def mask_pair(match: re.Match[str]) -> str:
        if not is_secret_field(match["name"]):
            return match[0]
        quoted = match["value"].startswith('"')
        return match["key"] + (f'"{REDACTED}"' if quoted else REDACTED)

    text = _JSON_PAIR.sub(mask_pair, text)
    text = _FORM_PAIR.sub(mask_pair, text)
    return _AUTH_CREDENTIALS.sub(lambda match: f"{match['scheme']}{match['space']}{REDACTED}", text)
