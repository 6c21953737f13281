"""Masks secrets in everything withdrawkit writes for people: logs, reprs, exception text.

What counts as secret is decided by *name* (of a header, a JSON or form field, a query
parameter), never by guessing at values: ``Authorization``, any header whose name mentions a
token, secret, key, password, cookie or auth, and fields such as ``password``, ``client_secret``,
``access_token``, ``token`` or ``refresh_token`` at any depth. Text that is not JSON (a truncated
body, an HTML page, a message) is masked by pattern: ``"name": "value"`` (either quote),
``Name: value`` header lines, ``name=value`` (also URL-encoded: ``name%3Dvalue``),
``Bearer <token>`` and anything shaped like a JWT (``eyJ...``). And by value: while a client
sends a request (``masking_known_secrets``), its own secrets (password digest, client secret,
current token) are masked wherever they appear in what the server said.

The server is untrusted, so every pattern here runs in linear time on any input (a JWT is found
by plain scanning: a pattern starting at each ``eyJ`` of ``"eyJ" * n`` would be quadratic), and
``redact_text`` reads a bounded prefix: at most ``MAX_KEPT_CHARS`` characters of a text are kept,
with a note of the whole length.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from withdrawkit._secrets import Secret

__all__ = [
    "MAX_KEPT_CHARS",
    "REDACTED",
    "is_secret_field",
    "is_secret_header",
    "masking_known_secrets",
    "redact_headers",
    "redact_json",
    "redact_text",
    "redact_url",
    "shape_of",
]

REDACTED: Final = "[REDACTED]"
# The most of one text (a body, a message) that is masked and kept; the rest is cut.
MAX_KEPT_CHARS: Final = 64 * 1024
# Room kept at the end of a cut text for the note saying so, so that masking a cut text again
# leaves it as it is.
_CUT_NOTE_ROOM: Final = 64
# A known secret shorter than this is not searched for: it would mask ordinary words.
_MIN_KNOWN_SECRET_CHARS: Final = 6
# Held as Secrets, so no frame's locals (the context manager's included) show them.
_KNOWN_SECRETS: contextvars.ContextVar[tuple[Secret, ...]] = contextvars.ContextVar(
    "withdrawkit_known_secrets", default=()
)

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
    "jwt",
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
_AUTH_SCHEMES: Final = frozenset({"bearer", "basic", "token", "jwt"})

# Every pattern is ASCII-only (re.ASCII): a name or a digit is what HTTP and JSON mean by one.
# "name": "value" or 'name': 'value' (a Python repr); the closing quote may be missing in a
# truncated body. Or "name": 123.
_JSON_PAIR: Final = re.compile(
    r"""(?P<key>(?P<quote>["'])(?P<name>(?:(?!(?P=quote))[^\\]){1,100})(?P=quote)\s*:\s*)"""
    r"""(?P<value>(?P=quote)(?:(?!(?P=quote))[^\\]|\\.)*(?:(?P=quote)|\\?$)|[^\s,}\]]+)""",
    re.ASCII,
)
# A header-style "Name: value", as a proxy's error page echoes request headers. The value runs
# to the end of the line (or an HTML tag, or an escaped line break inside a JSON string).
_HEADER_NAME: Final = re.compile(r"(?<![\w-])(?P<name>[A-Za-z][\w-]{0,100})[ \t]*:[ \t]*", re.ASCII)
_HEADER_VALUE_END: Final = re.compile(r"[\r\n<]|\\[rn]")
_QUOTED_HEADER_VALUE_END: Final = re.compile(r"[\r\n<\"]|\\[rn]")
# name=value in a query string, form body or cookie. The value stops at "&" or at ";" (so
# cookie attributes stay readable).
_FORM_PAIR: Final = re.compile(
    r"(?P<key>(?<![\w%])(?P<name>[A-Za-z_][\w.-]{0,100})=)(?P<value>[^&;\s\"']*)", re.ASCII
)
# The same URL-encoded (name%3Dvalue), as a link nested in another link's parameter carries
# it: the name follows an encoded "?" or "&" (%3F, %26) and the value stops at an encoded "&".
_ENCODED_FORM_PAIR: Final = re.compile(
    r"(?P<key>(?:(?<=%3[Ff])|(?<=%26)|(?<![\w%]))(?P<name>[A-Za-z_][\w.-]{0,100})%3[Dd])"
    r"(?P<value>(?:(?!%26)[^&;\s\"'])*)",
    re.ASCII,
)
# A credential after an auth scheme word: it has a digit or is long, so prose such as
# "Basic authentication required" is left alone.
_AUTH_CREDENTIALS: Final = re.compile(
    r"\b(?P<scheme>Bearer|Basic|Token|JWT)(?P<space>\s+)"
    r"(?=[A-Za-z._~+/=-]*[0-9]|[A-Za-z0-9._~+/=-]{16})[A-Za-z0-9._~+/=-]+",
    re.IGNORECASE | re.ASCII,
)
# A JSON Web Token wherever it appears: base64url header (always '{"' -> "eyJ"), payload,
# signature. _JWT_REST is matched only where "eyJ" is found (see _mask_jwts), never searched for.
_JWT_MARK: Final = "eyJ"
_JWT_REST: Final = re.compile(r"[\w-]+\.[\w-]+\.[\w-]*", re.ASCII)
_BASE64URL_RUN: Final = re.compile(r"[\w-]*", re.ASCII)


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
    match = _AUTH_SCHEME.match(value.strip())
    if match is not None and match["scheme"].lower() in _AUTH_SCHEMES:
        return f"{match['scheme']} {REDACTED}"
    return REDACTED


def redact_json(value: object) -> object:
    """A copy of a decoded JSON value with every secret masked, at any depth.

    Secret-named fields are masked whole; every other string, keys included, is masked as
    free text (``redact_text``), so a token quoted inside a message is masked too.
    """
    if isinstance(value, Mapping):
        # Keys are masked as free text too: a server may echo a secret as a key.
        return {
            redact_json(key): REDACTED
            if isinstance(key, str) and is_secret_field(key)
            else redact_json(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact_json(item) for item in value]
    if isinstance(value, str):
        return redact_text(value)
    return value


def shape_of(value: object) -> str:
    """What a secret body looked like without any of its values: its keys and their types.

    Written so that no masking pattern reads it as a "name: value" pair to mask again.
    """
    if isinstance(value, Mapping):
        if not value:
            return "a JSON object without keys"
        fields = ", ".join(f"{key!r} ({type(item).__name__})" for key, item in value.items())
        return f"a JSON object with {fields}; values withheld"
    if isinstance(value, list):
        return f"a JSON array of {len(value)} items; values withheld"
    if isinstance(value, str):
        return f"text of {len(value)} characters; withheld"
    return f"a {type(value).__name__}; value withheld"


def redact_url(url: str) -> str:
    """``url`` without user:password and with secret-named parameters masked.

    The fragment is read as parameters too: OAuth2's implicit flow puts ``access_token`` there.
    """
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            parts.path,
            _redact_pairs(parts.query),
            _redact_pairs(parts.fragment),
        )
    )


def _redact_pairs(text: str) -> str:
    if "=" not in text:
        return text
    pairs = parse_qsl(text, keep_blank_values=True)
    return urlencode(
        [(name, REDACTED if is_secret_field(name) else value) for name, value in pairs],
        safe="[]/,",
    )


@contextlib.contextmanager
def masking_known_secrets(values: Iterable[Secret]) -> Iterator[None]:
    """Within the block, ``redact_text`` (and so every exception and log line built there)
    also masks each of ``values`` wherever it appears: the client's own secrets, which a
    server may echo under any name or none."""
    known = tuple(value for value in values if len(value.reveal()) >= _MIN_KNOWN_SECRET_CHARS)
    reset = _KNOWN_SECRETS.set(_KNOWN_SECRETS.get() + known)
    try:
        yield
    finally:
        _KNOWN_SECRETS.reset(reset)


def _bounded(text: str) -> str:
    """``text`` with every known secret masked, cut to ``MAX_KEPT_CHARS`` with a note."""
    known = _KNOWN_SECRETS.get()
    longest = max((len(value.reveal()) for value in known), default=0)
    if len(text) > MAX_KEPT_CHARS:
        # A secret straddling the cut is masked before the cut, not half kept.
        kept = text[: MAX_KEPT_CHARS - _CUT_NOTE_ROOM + longest]
        cut = f"...[cut: {len(text)} characters in all]"
    else:
        kept, cut = text, ""
    for value in known:
        kept = kept.replace(value.reveal(), REDACTED)
    if cut:
        kept = kept[: MAX_KEPT_CHARS - _CUT_NOTE_ROOM] + cut
    return kept


def _mask_jwts(text: str) -> str:
    """Mask every JWT by scanning: at each "eyJ", the rest must follow; if it does not, no
    later "eyJ" in the same run of base64url characters can succeed either, so the search
    resumes after that run."""
    kept: list[str] = []
    position = 0
    start = text.find(_JWT_MARK)
    while start >= 0:
        rest = _JWT_REST.match(text, start + len(_JWT_MARK))
        if rest is None:
            run = _BASE64URL_RUN.match(text, start)
            assert run is not None  # noqa: S101 - a pattern with * always matches
            resume = max(run.end(), start + 1)
        else:
            kept.append(text[position:start])
            kept.append(REDACTED)
            position = resume = rest.end()
        start = text.find(_JWT_MARK, resume)
    kept.append(text[position:])
    return "".join(kept)


def redact_text(text: str) -> str:
    """Mask secrets in free text: known secret values, JSON-looking pairs, header lines, form
    pairs, auth credentials and JWTs; a text longer than ``MAX_KEPT_CHARS`` is cut."""

    def mask_pair(match: re.Match[str]) -> str:
        if not is_secret_field(match["name"]):
            return match[0]
        quote = match["quote"] if "quote" in match.re.groupindex else None
        if quote and match["value"].startswith(quote):
            return match["key"] + f"{quote}{REDACTED}{quote}"
        return match["key"] + REDACTED

    text = _JSON_PAIR.sub(mask_pair, _bounded(text))
    text = _mask_header_lines(text)
    text = _FORM_PAIR.sub(mask_pair, text)
    text = _ENCODED_FORM_PAIR.sub(mask_pair, text)
    text = _AUTH_CREDENTIALS.sub(lambda match: f"{match['scheme']}{match['space']}{REDACTED}", text)
    return _mask_jwts(text)


def _is_secret_header_line(name: str) -> bool:
    # Header-like names (with a hyphen: X-Key, X-Auth) are matched as headers; a bare word
    # only as a field name, so "Author: ..." or "Key: ..." in prose stays readable.
    return is_secret_field(name) or ("-" in name and is_secret_header(name))


def _mask_header_lines(text: str) -> str:
    """Mask the value after each secret ``Name:``, up to the end of its line.

    Names are found without consuming what follows them, so "Error: Password: x" still masks x.
    """
    kept: list[str] = []
    position = 0
    for match in _HEADER_NAME.finditer(text):
        if match.start() < position or not _is_secret_header_line(match["name"]):
            continue
        # Quoted in a JSON string ("note": "password: x"), the value also ends at the quote.
        in_string = match.start() > 0 and text[match.start() - 1] == '"'
        end = (_QUOTED_HEADER_VALUE_END if in_string else _HEADER_VALUE_END).search(
            text, match.end()
        )
        value_end = end.start() if end is not None else len(text)
        value = text[match.end() : value_end]
        if not value.strip() or value.strip() == REDACTED:
            continue
        kept.append(text[position : match.end()])
        kept.append(_mask_header_value(value) + value[len(value.rstrip()) :])
        position = value_end
    kept.append(text[position:])
    return "".join(kept)
