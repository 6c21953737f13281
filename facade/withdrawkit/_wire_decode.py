"""Response bytes straight into generated models, at compiled speed, by the rules of _conversion.

``decode(content, model)`` gives what ``decode_by_reference`` gives (``_wire_json.loads`` then the
cattrs converter of ``_conversion``, the reference: the same model, or the same exception), only
faster. msgspec decodes the bytes directly into the generated attrs classes. Where msgspec's own
reading is looser than the converter's, the looser forms are caught and the body is handed to
the reference:

- a model takes this path only when every class it reaches names each field by its wire name
  (msgspec cannot rename attrs fields) and holds only types msgspec reads as the converter does:
  text, strict bool and int, lists, string-keyed dicts, OpenEnum (msgspec calls ``_missing_``, so
  unknown values are kept), ``X | None`` of these, and Decimal and datetime, checked as below.
  Any other model (one holding an Amount or a Price, say: msgspec would build those attrs value
  types from a JSON object, skipping their checks) always takes the reference;
- msgspec reads a Decimal from any text ``Decimal()`` reads (``"NaN"``, ``"+1"``, ``".5"``,
  ``"1_0"``, non-ASCII digits) and a datetime with no zone, a lowercase ``t`` or nanoseconds
  (rounded, where the converter truncates). So the same bytes are also decoded into *shadow*
  structs that hold only those fields, as the text the server sent, and all of that text is
  checked at once: decimal text must be ASCII digits, ``.``, ``-`` and exponents under 100, at
  most 90 digits in a row, a point only between two digits and ``+`` only in an exponent;
  datetime text must be ASCII, end in ``Z`` and carry at most 6 fractional digits. Integers (in
  int and Decimal fields) must fit in 64 bits. Text that fails goes to the reference, which
  decides: a failed check costs speed, never correctness;
- whatever msgspec refuses goes to the reference, so errors are always the reference's own.

One difference is deliberate: content that no model field reads is checked only as JSON syntax.
A number under an unknown key is skipped, never built, so the bound on magnitudes, which exists
so that no accepted number costs more to write out than its size, has nothing to guard there;
the reference, which builds every value before structuring, refuses it.
``tests/test_wire_decode.py`` proves the two paths agree with a hypothesis differential test.
"""

from __future__ import annotations

import operator
import re
import types
import typing
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Final, TypeVar

import attrs
import msgspec

from withdrawkit import _wire_json as wire_json
from withdrawkit._conversion import structure
from withdrawkit._open_enum import OpenEnum

__all__ = ["decode", "decode_by_reference", "fast_path_covers"]

T = TypeVar("T")

_PLAIN_TYPES: Final = (str, bool, type(None))
_DECIMAL_TEXT_CHARS: Final = b"0123456789.-+eE\n"
_DIGITS_AS_ZERO: Final = bytes.maketrans(b"123456789E", b"000000000e")
# With no more than 90 digits in a row and exponents below 100, a number's adjusted exponent is
# within 190 of zero: far inside decimals.MAX_ADJUSTED_EXPONENT.
_LONG_DIGIT_RUN: Final = b"0" * 91
_LARGE_EXPONENTS: Final = (b"e000", b"e-000", b"e+000")
_SUB_MICROSECONDS: Final = re.compile(r"\.[0-9]{7}")


# Integers the shadow lets through: 64-bit ones (msgspec's bounds are 64-bit), far inside both
# decimals.MAX_ADJUSTED_EXPONENT and any int-string limit; larger ones go to the reference.
_BoundedInt = Annotated[int, msgspec.Meta(ge=-(2**63), le=2**63 - 1)]
# What the server sent for each type the shadow checks.
_SHADOW_LEAVES: Final[dict[Any, Any]] = {
    Decimal: str | _BoundedInt,
    datetime: str,
    int: _BoundedInt,
}


def decode(content: bytes, model: type[T]) -> T:
    """``content`` (a JSON document) as ``model``, exactly as ``decode_by_reference`` reads it.

    Raises what the reference raises: ``ValueError`` for what is not JSON withdrawkit accepts,
    ``_conversion.WireShapeError`` (a ValueError too) for JSON that does not fit ``model``.
    """
    plan = _plan_for(model)
    if plan is None:
        return decode_by_reference(content, model)
    try:
        decoded: T = plan.decoder.decode(content)
        texts = _Texts()
        if plan.shadow is not None:
            _collect(plan.shadow_shape, [plan.shadow.decode(content)], texts)
    except (msgspec.MsgspecError, ValueError, TypeError, RecursionError):
        return decode_by_reference(content, model)
    if not (texts.decimals_are_plain() and texts.datetimes_are_plain()):
        return decode_by_reference(content, model)
    return decoded


def decode_by_reference(content: bytes, model: type[T]) -> T:
    """The reference reading: exact JSON values, then the cattrs converter."""
    return structure(wire_json.loads(content), model)


def fast_path_covers(model: Any) -> bool:
    """Whether msgspec may decode ``model`` (else it always takes the reference)."""
    return _plan_for(model) is not None


# -- the checks on the text the server sent ------------------------------------------------------


@attrs.define
class _Texts:
    """The decimal and datetime text of one body, gathered from its shadow structs."""

    decimals: list[Any] = attrs.field(factory=list)  # str, int or None
    datetimes: list[Any] = attrs.field(factory=list)  # str or None

    def decimals_are_plain(self) -> bool:
        """Whether every decimal text is one the reference reads to the same value.

        JSON integers were bounded by the shadow's type; text must be a plain JSON number.
        """
        joined = _joined(self.decimals)
        return not joined or (joined.isascii() and _plain_numbers(joined.encode("ascii")))

    def datetimes_are_plain(self) -> bool:
        """Whether every datetime text is ASCII, in UTC (``Z``) and at most microseconds."""
        joined = _joined(self.datetimes)
        return not joined or (
            joined.isascii()
            and joined.count("Z\n") == joined.count("\n") - 1
            and "t" not in joined
            and _SUB_MICROSECONDS.search(joined) is None
        )


def _plain_numbers(lines: bytes) -> bool:
    """Whether each line of ``lines`` is a JSON number of modest magnitude (or text msgspec
    refused already, such as ``1.2.3``): no character a number does not have (``_``, a space,
    the letters of ``NaN``), no point but between two digits (``.5``, ``1.``, ``1.e5``), no
    ``+`` but in an exponent, no run of more than 90 digits, no exponent of 100 or more."""
    if lines.translate(None, _DECIMAL_TEXT_CHARS):
        return False
    digits_as_zero = lines.translate(_DIGITS_AS_ZERO)
    return not (
        _LONG_DIGIT_RUN in digits_as_zero
        or b"." in digits_as_zero.replace(b"0.0", b"00")
        or (b"+" in digits_as_zero and b"+" in digits_as_zero.replace(b"e+", b"e"))
        or (b"e" in digits_as_zero and any(e in digits_as_zero for e in _LARGE_EXPONENTS))
    )


def _joined(values: list[Any]) -> str:
    """The text among ``values`` (str and None, and for decimals bounded ints), one per line,
    with a line break before the first and after the last; "" when there is none."""
    present = list(filter(None, values))  # no "" here: msgspec refuses it as Decimal or datetime
    try:
        joined = "\n".join(present)
    except TypeError:  # JSON integers among decimal text
        joined = "\n".join([value for value in present if value.__class__ is str])
    return f"\n{joined}\n" if joined else ""


# -- the plan for one model ----------------------------------------------------------------------


@attrs.frozen
class _Field:
    """One shadow field: ``name``, whether it holds one value, a list or a dict of them, and
    what they are: ``"decimal"``, ``"datetime"`` or the fields of a nested shadow."""

    name: str
    holds: str
    item: Any


@attrs.frozen
class _Plan:
    decoder: msgspec.json.Decoder[Any]
    shadow: msgspec.json.Decoder[Any] | None
    shadow_shape: Any  # a tuple of _Field, or (for a list or dict model) a _Field


_plans: dict[Any, _Plan | None] = {}


def _plan_for(model: Any) -> _Plan | None:
    if model not in _plans:
        _plans[model] = _build_plan(model)
    return _plans[model]


def _build_plan(model: Any) -> _Plan | None:
    if not _covers(model, set()):
        return None
    decoder = msgspec.json.Decoder(model)
    shadow = _Shadows()
    shadow_type = shadow.type_of(model)
    if shadow_type is None:
        return _Plan(decoder, None, ())
    return _Plan(decoder, msgspec.json.Decoder(shadow_type), shadow.shape_of_top(model))


def _covers(kind: Any, visiting: set[type]) -> bool:
    """Whether msgspec reads ``kind`` as the converter does (once the shadow checks pass)."""
    if kind in _PLAIN_TYPES or kind in (int, Decimal, datetime):
        return True
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    # origin first: on Python 3.10 list[X] and dict[str, X] are instances of type as well.
    if isinstance(kind, type) and origin is None:
        if issubclass(kind, OpenEnum):
            return True
        return attrs.has(kind) and _covers_model(kind, visiting)
    if origin is list and len(arguments) == 1:
        return _covers(arguments[0], visiting)
    if origin is dict and len(arguments) == 2 and arguments[0] is str:
        return _covers(arguments[1], visiting)
    # Of unions only "X | None": msgspec picks among others by JSON type, cattrs does not.
    optional = _optional_of(kind) if origin in (typing.Union, types.UnionType) else None
    return optional is not None and _covers(optional, visiting)


def _covers_model(cls: type, visiting: set[type]) -> bool:
    if cls in visiting:
        return True
    visiting.add(cls)
    attrs.resolve_types(cls)
    for field in attrs.fields(cls):
        if field.metadata.get("wire") != field.name:
            # A field named for another wire key: msgspec cannot rename attrs fields. A field
            # with no wire name: not a generated model but a value type such as Amount, which
            # msgspec would build from a JSON object without its __init__'s checks.
            return False
        if not field.init or field.converter is not None or field.validator is not None:
            return False  # msgspec sets attributes without running these
        if not _covers(field.type, visiting):
            return False
    return True


def _optional_of(kind: Any) -> Any:
    arguments = typing.get_args(kind)
    others = [argument for argument in arguments if argument is not type(None)]
    return others[0] if len(arguments) == 2 and len(others) == 1 else None


class _Shadows:
    """Builds, for a model, msgspec structs holding only its decimal, datetime and int fields,
    typed as what the server sent (text, or a bounded integer) so that it can be checked."""

    def __init__(self) -> None:
        self._types: dict[type, Any] = {}
        self._shapes: dict[type, tuple[_Field, ...]] = {}

    def type_of(self, kind: Any) -> Any:
        """The shadow type of ``kind``, or None when nothing in it needs a check."""
        if kind is None:
            return None
        if kind in _SHADOW_LEAVES:
            return _SHADOW_LEAVES[kind]
        origin, arguments = typing.get_origin(kind), typing.get_args(kind)
        if isinstance(kind, type) and origin is None:  # origin first, as in _covers
            # Text, bool, OpenEnum: msgspec reads them as the converter does.
            return self._struct_of(kind) if attrs.has(kind) else None
        if origin is list or origin is dict:
            item = self.type_of(arguments[-1])
            if item is None:
                return None
            return list[item] if origin is list else dict[str, item]  # type: ignore[valid-type]
        item = self.type_of(_optional_of(kind))
        return None if item is None else item | None

    def shape_of_top(self, model: Any) -> Any:
        if isinstance(model, type) and attrs.has(model):
            return self._shapes[model]
        return self._field_of("", model) or ()

    def _struct_of(self, cls: type) -> Any:
        if cls in self._types:
            return self._types[cls]
        self._types[cls] = None  # a class that reaches itself adds nothing the second time
        fields: list[tuple[str, Any, Any]] = []
        shape: list[_Field] = []
        for field in attrs.fields(cls):
            shadow = self.type_of(field.type)
            if shadow is None:
                continue
            fields.append((field.name, shadow, None))
            described = self._field_of(field.name, field.type)
            if described is not None:
                shape.append(described)
        struct = msgspec.defstruct(f"{cls.__name__}Shadow", fields, gc=False) if fields else None
        self._types[cls], self._shapes[cls] = struct, tuple(shape)
        return struct

    def _field_of(self, name: str, kind: Any) -> _Field | None:
        """What to gather from the field: None for an int (its type bounds it already)."""
        kind = _optional_of(kind) or kind
        origin, arguments = typing.get_origin(kind), typing.get_args(kind)
        holds = "one"
        if origin is list:
            holds, kind = "list", arguments[0]
        elif origin is dict:
            holds, kind = "dict", arguments[1]
        kind = _optional_of(kind) or kind
        if kind is Decimal:
            return _Field(name, holds, "decimal")
        if kind is datetime:
            return _Field(name, holds, "datetime")
        if isinstance(kind, type) and attrs.has(kind) and self._shapes.get(kind):
            return _Field(name, holds, self._shapes[kind])
        return None


def _collect(shape: Any, nodes: list[Any], texts: _Texts) -> None:
    """Gather into ``texts`` the decimal and datetime text of ``nodes`` (shadow values)."""
    if isinstance(shape, _Field):  # a list or dict model: the values themselves
        _gather(shape, nodes, texts)
        return
    for field in shape:
        _gather(field, list(map(operator.attrgetter(field.name), nodes)), texts)


def _gather(field: _Field, values: list[Any], texts: _Texts) -> None:
    if field.holds == "list":
        values = [item for value in values if value is not None for item in value]
    elif field.holds == "dict":
        values = [item for value in values if value is not None for item in value.values()]
    if field.item == "decimal":
        texts.decimals.extend(values)
    elif field.item == "datetime":
        texts.datetimes.extend(values)
    else:
        present = [value for value in values if value is not None]
        if present:
            _collect(field.item, present, texts)
