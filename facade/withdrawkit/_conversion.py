"""The one cattrs converter between wire JSON values and the generated attrs models.

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

import re
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Final, TypeVar, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory, mapping_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from withdrawkit._amount import Amount, AmountError
from withdrawkit._decimals import decimal_from_wire
from withdrawkit._open_enum import OpenEnum
from withdrawkit._price import Price
from withdrawkit._root_error import WithdrawKitError
from withdrawkit._text import short_repr

__all__ = [
    "WireShapeError",
    "converter",
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


def _structure_decimal(value: Any, _: type) -> Decimal:
    return decimal_from_wire(value)


def _structure_bool(value: Any, _: type) -> bool:
    # cattrs' default calls bool(): "false" and [0] would be True, 0 and null False.
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected a JSON boolean, got {short_repr(value)}")


def _structure_int(value: Any, _: type) -> int:
    # cattrs' default calls int(): 38.9 would be 38, "38" 38 and true 1.
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, Decimal):
        number = decimal_from_wire(value)  # finite and of sane magnitude before int()
        if number == number.to_integral_value():
            return int(number)
    raise ValueError(f"expected a JSON integer, got {short_repr(value)}")


def _refuse_float(value: Any, _: type) -> float:
    raise TypeError(
        f"refusing to build a float from {short_repr(value)}: wire numbers are read as Decimal"
    )


def _is_list(cls: Any) -> bool:
    return cls is list or get_origin(cls) is list


def _is_dict(cls: Any) -> bool:
    return cls is dict or get_origin(cls) is dict


def _list_hook_factory(cls: Any, built: cattrs.Converter) -> Callable[[Any, Any], Any]:
    # cattrs' list hook iterates whatever it is given: a string, an object's keys.
    structure_items = list_structure_factory(cls, built)

    def structure_list(value: Any, target: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"expected a JSON array, got {short_repr(value)}")
        return structure_items(value, target)

    return structure_list


def _dict_hook_factory(cls: Any, built: cattrs.Converter) -> Callable[[Any, Any], Any]:
    structure_items = mapping_structure_factory(cls, built, dict)

    def structure_dict(value: Any, target: Any) -> Any:
        if not isinstance(value, Mapping):
            raise ValueError(f"expected a JSON object, got {short_repr(value)}")
        return structure_items(value, target)

    return structure_dict


def _structure_text(value: Any, _: type) -> str:
    # cattrs' default would call str() on anything, turning a JSON null into the text "None".
    if isinstance(value, str):
        return value
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return str(value)  # an id or code sent as a number keeps its exact digits
    raise ValueError(f"expected text, got {value!r}")


def _structure_amount(value: Any, _: type) -> Amount:
    if isinstance(value, Amount):
        return value
    if not isinstance(value, str):
        raise AmountError(f"expected amount text such as '1.5 BTC', got {value!r}")
    return Amount.parse(value)


def _structure_price(value: Any, _: type) -> Price:
    if isinstance(value, Price):
        return value
    if not isinstance(value, str):
        raise AmountError(f"expected price text such as '1.5 USDT/USD', got {value!r}")
    return Price.parse(value)


def _structure_datetime(value: Any, _: type) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"refusing naive datetime {value!r}")
        return value
    return parse_wire_datetime(value)


def _structure_enum(value: Any, cls: type[OpenEnum]) -> OpenEnum:
    return cls(value)


def _enum_value(member: OpenEnum) -> str:
    return str(member.value)


def _wire_name(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("wire", field.name))


def _structure_model_factory(cls: type[Any]) -> Any:
    attrs.resolve_types(cls)
    renames: dict[str, Any] = {
        field.name: override(rename=_wire_name(field)) for field in attrs.fields(cls)
    }
    return make_dict_structure_fn(cls, converter, **renames)


def _unstructure_model_factory(cls: type[Any]) -> Any:
    attrs.resolve_types(cls)
    renames: dict[str, Any] = {
        field.name: override(
            rename=_wire_name(field),
            omit_if_default=field.default is None,
        )
        for field in attrs.fields(cls)
    }
    return make_dict_unstructure_fn(cls, converter, **renames)


def _build_converter() -> cattrs.Converter:
    built = cattrs.Converter(forbid_extra_keys=False)
    built.register_structure_hook(str, _structure_text)
    built.register_structure_hook(bool, _structure_bool)
    built.register_structure_hook(int, _structure_int)
    built.register_structure_hook(float, _refuse_float)
    built.register_structure_hook_factory(_is_list, _list_hook_factory)
    built.register_structure_hook_factory(_is_dict, _dict_hook_factory)
    built.register_structure_hook(Decimal, _structure_decimal)
    built.register_unstructure_hook(Decimal, lambda value: value)
    built.register_structure_hook(Amount, _structure_amount)
    built.register_unstructure_hook(Amount, str)
    built.register_structure_hook(Price, _structure_price)
    built.register_unstructure_hook(Price, str)
    built.register_structure_hook(datetime, _structure_datetime)
    built.register_unstructure_hook(datetime, format_wire_datetime)
    # Registered on OpenEnum itself: its members are str, so the str hook would otherwise win.
    built.register_structure_hook(OpenEnum, _structure_enum)
    built.register_unstructure_hook(OpenEnum, _enum_value)
    return built


converter: Final = _build_converter()
converter.register_structure_hook_factory(attrs.has, _structure_model_factory)
converter.register_unstructure_hook_factory(attrs.has, _unstructure_model_factory)


def structure(value: Any, cls: type[T]) -> T:
    """Build ``cls`` from a decoded JSON value; any mismatch raises ``WireShapeError``."""
    try:
        return converter.structure(value, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as error:
        raise WireShapeError(_describe(error, cls)) from error


def unstructure(value: Any) -> Any:
    """Turn a model (or a list/dict of models) into JSON-ready values with wire names."""
    return converter.unstructure(value)


def _describe(error: Exception, cls: type[Any]) -> str:
    name = getattr(cls, "__name__", repr(cls))
    if isinstance(error, cattrs.BaseValidationError):
        problems = "; ".join(cattrs.transform_error(error))
        return f"response does not match {name}: {problems}"
    return f"response does not match {name}: {error}"
