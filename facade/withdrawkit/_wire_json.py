"""JSON text <-> Python values with every decimal digit kept.

``loads`` reads JSON numbers with a fraction or exponent as ``Decimal`` (never float).
``dumps`` writes ``Decimal`` as a JSON number with all its digits and no exponent, which the
standard encoder cannot do (it only knows floats).

Both refuse, with ValueError, a number beyond ``_decimals.MAX_ADJUSTED_EXPONENT`` (``1e999999999``
is 11 bytes of JSON but a gigabyte of digits once written out), and ``loads`` lets Python's
int-string limit refuse an integer of thousands of digits (also a ValueError).
"""

from __future__ import annotations

import json
import json.encoder
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from withdrawkit._decimals import decimal_from_json_number, plain_text

# What json.dumps(text, ensure_ascii=False) runs, without its per-call setup (a fifth of the
# cost of writing a request body went to that setup).
_quoted: Final = json.encoder.encode_basestring


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"JSON constant {name} is not a number withdrawkit accepts")


def loads(text: str | bytes) -> Any:
    """Parse JSON; fractional and exponent numbers become Decimal; NaN/Infinity are refused.

    Any refusal (bad JSON, a constant, an absurd number) is a ValueError.
    """
    return json.loads(text, parse_float=decimal_from_json_number, parse_constant=_refuse_constant)


def dumps(value: Any) -> str:
    """Compact JSON text; Decimals are written as exact numbers, floats are refused.

    A Decimal beyond ``_decimals.MAX_ADJUSTED_EXPONENT`` is refused with ValueError.
    Values of exactly the types a request body is made of (dict, list, str, Decimal, int, bool,
    None) are written by a writer looked up by type; any other value (a Mapping, a str or int
    subclass such as an OpenEnum, a tuple) by ``dumps_by_reference``, which writes the same text.
    """
    return _text(value)


def dumps_by_reference(value: Any) -> str:
    """What ``dumps`` writes, by ``isinstance`` checks on every value: the reference."""
    parts: list[str] = []
    _encode(value, parts)
    return "".join(parts)


def _text(value: Any) -> str:
    writer = _WRITERS.get(value.__class__)
    return writer(value) if writer is not None else dumps_by_reference(value)


def _object_text(value: dict[Any, Any]) -> str:
    parts = []
    for key, item in value.items():
        if key.__class__ is not str and not isinstance(key, str):
            raise TypeError(f"JSON object keys must be strings, got {key!r}")
        # Text is most of a request body: quoted here, without a lookup and a call.
        written = _quoted(item) if item.__class__ is str else _text(item)
        parts.append(f"{_quoted(key)}:{written}")
    return "{" + ",".join(parts) + "}"


def _array_text(value: list[Any]) -> str:
    return "[" + ",".join([_text(item) for item in value]) + "]"


def _encode(value: Any, parts: list[str]) -> None:
    if isinstance(value, Mapping):
        parts.append("{")
        for index, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, got {key!r}")
            parts.append(("," if index else "") + _quoted(key) + ":")
            _encode(item, parts)
        parts.append("}")
    elif isinstance(value, (list, tuple)):
        parts.append("[")
        for index, item in enumerate(value):
            if index:
                parts.append(",")
            _encode(item, parts)
        parts.append("]")
    else:
        parts.append(_scalar(value))


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, Decimal):
        return plain_text(value)
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        raise TypeError(f"refusing to write float {value!r}: money is written from Decimal")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_WRITERS: Final[dict[type, Any]] = {
    dict: _object_text,
    list: _array_text,
    str: _quoted,
    Decimal: plain_text,
    int: str,
    bool: lambda value: "true" if value else "false",
    type(None): lambda _: "null",
}
