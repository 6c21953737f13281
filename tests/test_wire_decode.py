"""The compiled decode path (msgspec) against the reference (wire_json.loads + the converter).

The differential tests generate wire bodies from the generated models' own fields: every value is
drawn from what the field should hold and from what a server gets wrong (decimal text Decimal()
reads but a JSON number is not, zone-less or lowercase datetimes, numbers for text, huge
exponents, unknown enum values, missing keys, extra keys), and the two paths must agree: the same
model, or the same exception with the same message.
"""

from __future__ import annotations

import json
import types
import typing
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import withdrawkit_generated.onekonto as onekonto_models
import withdrawkit_generated.ripio as ripio_models
from withdrawkit import _wire_decode as wire_decode
from withdrawkit._amount import Amount
from withdrawkit._conversion import WireShapeError
from withdrawkit._open_enum import OpenEnum
from withdrawkit._wire_decode import decode, decode_by_reference, fast_path_covers


class Colour(OpenEnum):
    RED = "RED"


@attrs.frozen(kw_only=True)
class Leg:
    price: Decimal = attrs.field(metadata={"wire": "price"})
    at: datetime | None = attrs.field(default=None, metadata={"wire": "at"})


@attrs.frozen(kw_only=True)
class Nested:
    """Every shape the shadow must reach: nested, optional, list and dict of decimals and
    models, an int, an enum."""

    legs: list[Leg] = attrs.field(metadata={"wire": "legs"})
    by_asset: dict[str, Decimal] = attrs.field(metadata={"wire": "by_asset"})
    best: Leg | None = attrs.field(default=None, metadata={"wire": "best"})
    fees: list[Decimal] | None = attrs.field(default=None, metadata={"wire": "fees"})
    count: int = attrs.field(default=0, metadata={"wire": "count"})
    colour: Colour | None = attrs.field(default=None, metadata={"wire": "colour"})


@attrs.frozen
class RawJson:
    """JSON text written into a body as it is: numbers in forms json.dumps never writes."""

    text: str


def to_json(value: Any) -> str:
    if isinstance(value, RawJson):
        return value.text
    if isinstance(value, dict):
        items = (f"{json.dumps(key)}:{to_json(item)}" for key, item in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(to_json(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


DECIMAL_TEXT = [
    "1.5",
    "0.00206525633592975968892629",
    "-0.5",
    "007",
    "1e5",
    "1E+5",
    "2.5e-3",
    " 1.5 ",
    "NaN",
    "-Infinity",
    "sNaN",
    "+1",
    ".5",
    "-.5",
    "1.",
    "1.e5",
    "1_000",
    "\u0661",
    "1\u0660",
    "\u00a01.5",
    "1e999",
    "1e99",
    "1e100",
    "1e-100",
    "9" * 95,
    "0." + "0" * 95 + "1",
    "1.2.3",
    "",
    "1e",
    "0x10",
    "1 000",
    "\u0661.5",
    "1" * 1200,
    "0." + "0" * 1200 + "1",
]
DATETIME_TEXT = [
    "2022-03-30T19:38:39.765190Z",
    "2022-03-30T19:38:39Z",
    "2022-03-30T19:38:39.5Z",
    "2022-03-30T19:38:39.7651905Z",
    "2022-03-30T19:38:39.9999995Z",
    "2022-03-30T19:38:39",
    "2022-03-30t19:38:39Z",
    "2022-03-30T19:38:39z",
    "2022-03-30 19:38:39Z",
    "2022-03-30T19:38:39+05:30",
    "2022-03-30T19:38:39+0530",
    "2022-03-30T19:38:39-00:00",
    " 2022-03-30T19:38:39Z",
    "2022-03-30T19:38:39Z ",
    "2022-03-30T23:59:60Z",
    "2022-02-30T19:38:39Z",
    "2022-03-30",
    "2022-03-30T19:38Z",
    "2022-03-30T19:38:39+24:00",
    "2022-03-30T19:38:39.123456789Z",
    "2022-03-30T19:38:39\u00a0Z",
]
NUMBER_TEXT = ["1", "-0", "1.5", "1.50", "1e5", "1E-3", "1e999999999", "1" * 120, "0.1" + "0" * 40]

anything_small = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.sampled_from(NUMBER_TEXT).map(RawJson),
)


def valid_values(kind: Any, depth: int) -> st.SearchStrategy[Any]:
    """Wire values a field of type ``kind`` should hold."""
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([valid_values(argument, depth) for argument in arguments])
    simple: dict[Any, st.SearchStrategy[Any]] = {
        type(None): st.none(),
        Decimal: st.one_of(
            st.decimals(allow_nan=False, allow_infinity=False, places=8).map(str),
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
        ),
        datetime: st.datetimes().map(lambda moment: moment.isoformat() + "Z"),
        str: st.text(max_size=8),
        bool: st.booleans(),
        int: st.integers(min_value=-(2**63), max_value=2**63 - 1),
        Amount: st.sampled_from(["1.5 BTC", "0.00206525633592975968892629 ETH"]),
    }
    # A loosely typed object's values (Ripio's transactions): any JSON, fractions included.
    simple[Any] = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=4) | simple[Decimal],
        lambda inner: (
            st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=2), inner, max_size=2)
        ),
        max_leaves=4,
    )
    if kind in simple:
        return simple[kind]
    if isinstance(kind, type) and issubclass(kind, OpenEnum):
        return st.sampled_from([member.value for member in kind])
    if origin is list:
        return st.lists(valid_values(arguments[0], depth + 1), max_size=3)
    if origin is dict:
        return st.dictionaries(
            st.text(max_size=3), valid_values(arguments[1], depth + 1), max_size=3
        )
    if isinstance(kind, type) and attrs.has(kind):
        return bodies_for(kind, depth + 1)
    raise AssertionError(f"no wire values for {kind!r}")


def wrong_values(kind: Any, depth: int) -> st.SearchStrategy[Any]:
    """Wire values a server gets wrong for a field of type ``kind``, and some right ones."""
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([wrong_values(argument, depth) for argument in arguments])
    numbers = st.sampled_from(NUMBER_TEXT).map(RawJson)
    wrong: dict[Any, st.SearchStrategy[Any]] = {
        type(None): anything_small,
        Decimal: st.one_of(
            st.sampled_from(DECIMAL_TEXT), numbers, st.integers(min_value=-(2**70), max_value=2**70)
        ),
        datetime: st.sampled_from(DATETIME_TEXT),
        str: st.one_of(st.integers(), numbers),
        bool: st.sampled_from(["false", 0, 1]),
        int: st.one_of(st.integers(min_value=-(2**70), max_value=2**70), numbers),
        Amount: st.sampled_from(["1.5", "1e5 BTC", "+1 BTC", "1.5  BTC"]),
        Any: numbers,  # any JSON fits; a number too large to accept does not
    }
    if kind in wrong:
        return st.one_of(wrong[kind], anything_small)
    if isinstance(kind, type) and issubclass(kind, OpenEnum):
        return st.one_of(st.sampled_from(["NEW_ONE", ""]), anything_small)
    if origin is list:
        return st.one_of(
            st.lists(wrong_values(arguments[0], depth + 1), max_size=3), anything_small
        )
    if origin is dict:
        items = st.dictionaries(
            st.text(max_size=3), wrong_values(arguments[1], depth + 1), max_size=2
        )
        return st.one_of(items, anything_small)
    if isinstance(kind, type) and attrs.has(kind):
        return bodies_for(kind, depth + 1)
    raise AssertionError(f"no wire values for {kind!r}")


def bodies_for(cls: type, depth: int = 0) -> st.SearchStrategy[Any]:
    """Bodies for ``cls``: every field right but a few drawn wrong, some left out, extra keys."""
    attrs.resolve_types(cls)
    fields = {field.metadata.get("wire", field.name): field.type for field in attrs.fields(cls)}
    # Not a number past the magnitude bound: under a key no field reads, that is the one
    # documented difference (test_content_no_field_reads_is_checked_only_as_json).
    unread = anything_small.filter(lambda value: value != RawJson("1e999999999"))
    extra = st.dictionaries(st.sampled_from(["unknown", "more"]), unread, max_size=1)

    @st.composite
    def body(draw: st.DrawFn) -> Any:
        wrong = draw(st.sets(st.sampled_from(sorted(fields)), max_size=2))
        missing = draw(st.sets(st.sampled_from(sorted(fields)), max_size=1))
        chosen = {
            key: draw(wrong_values(kind, depth) if key in wrong else valid_values(kind, depth))
            for key, kind in fields.items()
            if key not in missing
        }
        extras = draw(extra)
        return {**chosen, **{key: value for key, value in extras.items() if key not in chosen}}

    return body()


def outcome(read: Any) -> tuple[str, Any]:
    try:
        return "ok", read()
    except (ValueError, TypeError, RecursionError) as error:
        return type(error).__name__, str(error)


def assert_agree(content: bytes, model: Any) -> None:
    reference = outcome(lambda: decode_by_reference(content, model))
    fast = outcome(lambda: decode(content, model))
    assert fast == reference
    if reference[0] == "ok":
        assert repr(fast[1]) == repr(reference[1])  # "-0", offsets: the same spelling too


def models_of(module: types.ModuleType) -> list[type]:
    return [
        cls
        for cls in vars(module).values()
        if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == module.__name__
    ]


RIPIO_MODELS = models_of(ripio_models)
ONEKONTO_MODELS = models_of(onekonto_models)


def holds_any(cls: type) -> bool:
    """Whether a model keeps loosely typed JSON (``dict[str, Any]``), as Ripio's transactions
    and webhook payloads are: msgspec would read a JSON fraction there as a float."""
    attrs.resolve_types(cls)
    return any(Any in leaf_types(field.type) for field in attrs.fields(cls))


def leaf_types(kind: Any) -> list[Any]:
    arguments = typing.get_args(kind)
    return [kind] if not arguments else [leaf for arg in arguments for leaf in leaf_types(arg)]


def test_every_ripio_model_takes_the_fast_path() -> None:
    assert RIPIO_MODELS
    typed = [cls for cls in RIPIO_MODELS if not holds_any(cls)]
    assert all(fast_path_covers(cls) for cls in typed)
    loose = [cls.__name__ for cls in RIPIO_MODELS if holds_any(cls)]
    assert sorted(loose) == ["TransactionPage", "WebhookEvent"]
    # Loosely typed JSON keeps fractions exact only by the reference: it never takes the fast path.
    assert not any(fast_path_covers(cls) for cls in RIPIO_MODELS if holds_any(cls))


@attrs.frozen(kw_only=True)
class Order:
    size: Amount = attrs.field(metadata={"wire": "size"})


def test_a_model_holding_an_amount_takes_the_reference() -> None:
    # msgspec would build Amount, an attrs class, from a JSON object, skipping Amount's checks.
    assert not fast_path_covers(Order)
    assert_agree(b'{"size": {"value": "1e999999", "asset": "?"}}', Order)
    assert decode(b'{"size": "1.5 BTC"}', Order) == Order(size=Amount.parse("1.5 BTC"))


def test_models_with_renamed_fields_take_the_reference() -> None:
    # msgspec cannot rename attrs fields: 1Konto's camelCase models are read by the converter.
    renamed = [
        cls
        for cls in ONEKONTO_MODELS
        if any(field.metadata["wire"] != field.name for field in attrs.fields(cls))
    ]
    assert renamed
    assert not any(fast_path_covers(cls) for cls in renamed)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_fast_path_agrees_with_the_reference_on_every_ripio_model(data: st.DataObject) -> None:
    model = data.draw(st.sampled_from(RIPIO_MODELS))
    body = data.draw(bodies_for(model))
    assert_agree(to_json(body).encode(), model)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(bodies_for(Nested))
def test_the_fast_path_agrees_with_the_reference_on_nested_shapes(body: Any) -> None:
    assert_agree(to_json(body).encode(), Nested)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(bodies_for(ripio_models.Withdrawal), max_size=4))
def test_the_fast_path_agrees_on_lists_of_models(bodies: list[Any]) -> None:
    assert_agree(to_json(bodies).encode(), list[ripio_models.Withdrawal])


def withdrawal_row(index: int) -> dict[str, Any]:
    return {
        "id": f"id-{index}",
        "created_at": "2022-03-30T19:38:39.765190Z",
        "confirmation_date": None,
        "txn_hash": "0x5e123e456e789",
        "end_user_id": "customer_10",
        "currency": "ETH",
        "amount": f"{index}.00206525633592975968892629",
        "address": "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        "network_name": "ETHEREUM",
        "status": "NEW_STATUS",
        "debited_amount": 12,
    }


def page_bytes(rows: list[dict[str, Any]]) -> bytes:
    return to_json({"count": len(rows), "next": None, "previous": None, "results": rows}).encode()


def test_a_plain_page_is_read_without_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    content = page_bytes([withdrawal_row(index) for index in range(50)])
    expected = decode_by_reference(content, ripio_models.WithdrawalPage)

    def refuse(content: bytes, model: Any) -> Any:
        raise AssertionError("the reference was used")

    monkeypatch.setattr(wire_decode, "decode_by_reference", refuse)
    page = decode(content, ripio_models.WithdrawalPage)
    assert page == expected
    assert page.results[3].amount == Decimal("3.00206525633592975968892629")
    assert page.results[0].status == "NEW_STATUS"
    assert not page.results[0].status.is_known
    assert page.results[0].debited_amount == Decimal(12)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", "\u0661"),
        ("amount", "1_000"),
        ("amount", "NaN"),
        ("amount", "+1"),
        ("amount", ".5"),
        ("amount", "1e5000"),
        ("debited_amount", RawJson("1" * 1500)),
        ("created_at", "2022-03-30T19:38:39"),
        ("created_at", "2022-03-30t19:38:39Z"),
    ],
)
def test_what_msgspec_reads_more_loosely_is_refused_as_the_reference_refuses_it(
    field: str, value: Any
) -> None:
    content = page_bytes([withdrawal_row(0), withdrawal_row(1) | {field: value}])
    with pytest.raises(WireShapeError) as refused:
        decode_by_reference(content, ripio_models.WithdrawalPage)
    with pytest.raises(WireShapeError) as fast_refused:
        decode(content, ripio_models.WithdrawalPage)
    assert f"$.results[1].{field}" in str(refused.value)
    assert str(fast_refused.value) == str(refused.value)


def test_seven_fractional_digits_are_truncated_as_the_reference_does() -> None:
    row = withdrawal_row(0) | {"created_at": "2022-03-30T19:38:39.9999995Z"}
    page = decode(page_bytes([row]), ripio_models.WithdrawalPage)
    assert page.results[0].created_at.microsecond == 999999


def test_content_no_field_reads_is_checked_only_as_json() -> None:
    # The one documented difference: a number under an unknown key is skipped, never built.
    content = page_bytes([withdrawal_row(0) | {"unknown": RawJson("1e999999999")}])
    with pytest.raises(ValueError, match="magnitude"):
        decode_by_reference(content, ripio_models.WithdrawalPage)
    assert decode(content, ripio_models.WithdrawalPage).results[0].id == "id-0"


@pytest.mark.parametrize("content", [b"", b"<html>", b'{"count": 1', b"\xff", b"[]", b"null"])
def test_bodies_that_are_not_a_page_fail_as_the_reference_fails(content: bytes) -> None:
    assert_agree(content, ripio_models.WithdrawalPage)


@attrs.frozen(kw_only=True)
class Readings:
    prices: list[Decimal] = attrs.field(metadata={"wire": "prices"})
    times: list[datetime | None] = attrs.field(metadata={"wire": "times"})


number_like_text = st.one_of(
    st.sampled_from(DECIMAL_TEXT),
    st.text(alphabet="0123456789.-+eE_ nNaIifsy\u0661\u00a0\u2007", max_size=8),
    st.from_regex(r"\A-?[0-9]{1,3}(\.[0-9]{1,3})?([eE][-+]?[0-9]{1,4})?\Z"),
)
# Mostly right parts, so that a single wrong one is what the two paths are compared on.
datetime_like_text = st.builds(
    lambda date, separator, time, fraction, zone, space: (
        f"{space}{date}{separator}{time}{fraction}{zone}"
    ),
    st.sampled_from(["2022-03-30"] * 5 + ["2022-02-30", "0000-01-01", "2022-3-30"]),
    st.sampled_from(["T"] * 5 + ["t", " ", "_"]),
    st.sampled_from(["19:38:39"] * 5 + ["23:59:60", "24:00:00", "19:38"]),
    st.one_of(st.just(""), st.from_regex(r"\A\.[0-9]{0,10}\Z")),
    st.sampled_from(["Z"] * 8 + ["z", "", "+05:30", "+0530", "-00:00", "+24:00", "+05", " Z"]),
    st.sampled_from([""] * 5 + [" "]),
)


@settings(max_examples=500)
@given(
    st.lists(
        st.one_of(st.decimals(allow_nan=False, places=4).map(str), number_like_text), max_size=4
    ),
    st.lists(st.one_of(st.none(), st.sampled_from(DATETIME_TEXT), datetime_like_text), max_size=4),
)
def test_decimal_and_datetime_text_are_read_as_the_reference_reads_them(
    prices: list[str], times: list[str | None]
) -> None:
    # Several values in one body: the fast path checks all of a body's text at once.
    assert_agree(to_json({"prices": prices, "times": times}).encode(), Readings)
