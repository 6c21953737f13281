"""Text helpers every layer shares: bounded excerpts and strict ASCII integers."""

from __future__ import annotations


def clip(text: str, limit: int, *, suffix: str = "") -> str:
    """``text`` cut to ``limit`` characters, with ``...`` and ``suffix`` after a cut.

    ``clip("abcdef", 3)`` is ``"abc..."``; ``clip(text, 80, suffix=f" ({len(text)} characters)")``
    says how long the whole was.
    """
    return text if len(text) <= limit else f"{text[:limit]}...{suffix}"


def short_repr(value: object, limit: int = 80) -> str:
    """``repr(value)`` for an error message: at most ``limit`` characters and a length note."""
    text = repr(value)
    return clip(text, limit, suffix=f" ({len(text)} characters)")


def ascii_int(text: str, *, max_digits: int = 18) -> int | None:
    """The non-negative integer ``text`` spells in ASCII digits and nothing else, or None.

    More than ``max_digits`` digits is None too: no count, length or code is that long, and
    ``int()`` of a huge digit string costs more than linear time.

    ``int()`` and ``str.isdigit()`` also accept other scripts' digits (Arabic-Indic, superscript,
    fullwidth), which no HTTP header or error code of these APIs contains; they are refused.
    """
    if not 0 < len(text) <= max_digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)
