"""The one cattrs converter between wire JSON values and the generated attrs models: its rules.

The converter itself is built in ``withdrawkit._cattrs_converter`` on the first ``structure`` or
``unstructure`` (importing cattrs costs every ``import withdrawkit`` otherwise). Its rules:

- attributes are renamed to the wire names kept in each field's ``metadata["wire"]``;
- ``Decimal`` comes from a JSON number or a numeric string (exponent notation included) and
  never passes through float; it goes back out as a ``Decimal`` for ``wire_json.dumps``;
- ``Amount`` comes from and goes back to its ``"<decimal> <ASSET>"`` text, ``Price`` to its
  ``"<decimal> <BASE>/<QUOTE>"`` text;
- datetimes must carry a zone (``Z`` or an offset); 7 fractional digits are truncated to 6;
- text fields take strings (numbers keep their exact digits as text); null or objects are refused;
- every other type is strict, where cattrs' defaults would coerce: ``bool`` takes only a JSON
  boolean (cattrs calls ``bool()``, which makes ``"false"`` True); ``int`` takes an integer or
  an integral decimal (``38.0``), never ``38.9``, ``"38"`` or ``true``; ``list[X]`` takes only a
  JSON array (cattrs iterates anything: ``"12"`` would become ``["1", "2"]``); ``dict[str, X]``
  only a JSON object; ``float`` is refused outright, as no model may hold money in one;
- unknown keys are ignored and unknown enum values are kept (see ``OpenEnum``);
- optional attributes left as ``None`` are omitted when unstructuring, so request bodies never
  send ``null`` for what the caller did not set; required-but-nullable ones are written as null.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta, timezone
from types import ModuleType
from typing import Any, Final, TypeVar

from withdrawkit._root_error import WithdrawKitError

__all__ = [
    "WireShapeError",
    "format_wire_datetime",
    "parse_wire_datetime",
    "structure",
    "unstructure",
]

T = TypeVar("T")

_WIRE_DATETIME: Final = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})[T ](?P<time>[0-9]{2}:[0-9]{2}:[0-9]{2})"
    r"(?:\.(?P<fraction>[0-9]+))?(?P<zone>Z|z|[+-][0-9]{2}:?[0-9]{2})"
)


class WireShapeError(WithdrawKitError, ValueError):
    """A wire value does not have the shape its model expects."""


def parse_wire_datetime(text: str) -> datetime:
    """Read an ISO-8601 timestamp that carries a zone; .NET's 7 fractional digits are truncated."""
    if not isinstance(text, str):
        raise ValueError(f"expected an ISO-8601 timestamp string, got {text!r}")
    match = _WIRE_DATETIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not an ISO-8601 timestamp with a zone")
    microseconds = (match["fraction"] or "").ljust(6, "0")[:6]
    naive = datetime.fromisoformat(f"{match['date']}T{match['time']}.{microseconds}")
    return naive.replace(tzinfo=_zone(match["zone"]))


def _zone(text: str) -> timezone:
    if text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return timezone(sign * offset)


def format_wire_datetime(value: datetime) -> str:
    """ISO-8601 with ``Z`` for UTC; naive datetimes are refused (they name no instant)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"refusing naive datetime {value!r}: give it a timezone")
    text = value.isoformat()
    return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text


def structure(value: Any, cls: type[T]) -> T:
    """Build ``cls`` from a decoded JSON value; any mismatch raises ``WireShapeError``."""
    built: T = _cattrs_converter().structure(value, cls)
    return built


def unstructure(value: Any) -> Any:
    """Turn a model (or a list/dict of models) into JSON-ready values with wire names."""
    return _cattrs_converter().unstructure(value)


@functools.cache
def _cattrs_converter() -> ModuleType:
    # Imported on first use: cattrs and the converter are not needed to import withdrawkit or
    # to make a client (withdrawkit._cattrs_converter says how much that saves).
    from withdrawkit import _cattrs_converter as module  # noqa: PLC0415

    return module
