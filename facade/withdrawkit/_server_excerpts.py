"""What an exception quotes of what a server sent: short, on one line, secrets masked.

The server is untrusted, so every piece here reads a bounded prefix of its text and scans it
in linear time: an HTML error page gives its ``<title>`` (or its text without tags), a
provider's error code is cut short, and field errors keep their texts with secrets masked.
``withdrawkit._exceptions`` builds its messages and fields from these.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Final

from withdrawkit._redaction import REDACTED, is_secret_field, redact_text
from withdrawkit._text import clip

__all__ = [
    "body_excerpt",
    "html_title",
    "kept_code",
    "masked_field_errors",
    "one_line",
    "without_tags",
]

# How much of what the server said an exception's text quotes.
_EXCERPT_CHARS: Final = 200
# A code is a word or a number ("Insufficient Funds", 40001, "invalid_client").
_CODE_CHARS: Final = 100
# How much of a body is read for its excerpt: an error page's title is near its start.
_EXCERPT_SCAN_CHARS: Final = 16 * 1024


def one_line(text: str) -> str:
    """``text`` on one short line with secrets masked."""
    return clip(" ".join(redact_text(text).split()), _EXCERPT_CHARS)


def body_excerpt(body: str) -> str:
    """What a raw body said: an HTML page gives its title (or its text without tags).

    Found by plain scanning of the body's first few KiB, never by a pattern searched from
    every "<" (which is quadratic in a body of "<<<<...").
    """
    body = body[:_EXCERPT_SCAN_CHARS]
    title = html_title(body)
    if title is not None:
        return one_line(title)
    if body.lstrip().startswith("<"):
        return one_line(without_tags(body))
    return one_line(body)


# ASCII letters only: str.lower() can lengthen a character ("İ" is two), and the positions
# found in the lowered text must be the original's.
_ASCII_LOWER: Final = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def html_title(html: str) -> str | None:
    """The text between the first ``<title ...>`` and the ``</title>`` after it, if both exist
    (the tag's name in any ASCII case)."""
    lowered = html.translate(_ASCII_LOWER)
    start = lowered.find("<title")
    opened = lowered.find(">", start) if start >= 0 else -1
    closed = lowered.find("</title>", opened) if opened >= 0 else -1
    return html[opened + 1 : closed] if closed >= 0 else None


def without_tags(html: str) -> str:
    """``html`` with every ``<...>`` replaced by a space (an unclosed ``<`` is kept)."""
    kept: list[str] = []
    position = 0
    while (start := html.find("<", position)) >= 0 and (end := html.find(">", start)) >= 0:
        kept.append(html[position:start])
        kept.append(" ")
        position = end + 1
    kept.append(html[position:])
    return "".join(kept)


def masked_field_errors(field_errors: Mapping[str, str]) -> dict[str, str]:
    """``field_errors`` as kept: a secret-named field's text masked whole, others as free text,
    and every field name as free text too (a server may echo a secret as a key); names that
    mask alike share one entry."""
    kept: dict[str, str] = {}
    for field, text in field_errors.items():
        name = redact_text(field)
        shown = REDACTED if is_secret_field(field) else redact_text(text)
        kept[name] = f"{kept[name]}; {shown}" if name in kept else shown
    return kept


def kept_code(code: str | int | None) -> str | int | None:
    """A provider's error code as kept: a text code masked as free text and cut short (it is
    the server's text, put in every message); a number as it is."""
    return clip(redact_text(code), _CODE_CHARS) if isinstance(code, str) else code
