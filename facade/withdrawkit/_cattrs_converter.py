"""The cattrs converter that ``withdrawkit._conversion`` describes, built on first use.

Importing cattrs and building the converter is a fifth of what ``import withdrawkit`` adds to
a bare interpreter, and a client needs neither until it reads or writes its first model:
``_conversion.structure`` and ``unstructure`` import this module when first called.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, Final, TypeVar, get_origin

import attrs
import cattrs
from cattrs.cols import list_structure_factory, mapping_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from withdrawkit._amount import Amount, AmountError
from withdrawkit._conversion import WireShapeError, format_wire_datetime, parse_wire_datetime
from withdrawkit._decimals import decimal_from_wire
from withdrawkit._open_enum import OpenEnum
from withdrawkit._price import Price
from withdrawkit._text import short_repr

__all__ = ["converter", "structure", "unstructure"]

T = TypeVar("T")


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
