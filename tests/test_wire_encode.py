"""The request-body writer: its faster string quoting writes exactly what json.dumps writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from withdrawkit import _wire_json as wire_json

json_text = st.text(alphabet=st.characters(codec=None))  # every code point, surrogates included


@given(st.dictionaries(json_text, st.one_of(json_text, st.none(), st.booleans(), st.integers())))
def test_text_keys_and_values_are_written_as_json_dumps_writes_them(
    value: dict[str, object],
) -> None:
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert wire_json.dumps(value) == expected


@given(st.lists(json_text), st.decimals(allow_nan=False, allow_infinity=False, places=12))
def test_decimals_keep_every_digit_beside_text(texts: list[str], amount: Decimal) -> None:
    written = wire_json.dumps({"texts": texts, "amount": amount})
    assert wire_json.loads(written) == {"texts": texts, "amount": amount}
    assert "E" not in written.rsplit(":", 1)[1]


class Side(str):
    """A str subclass, as an OpenEnum member is: written by the reference."""


scalars = st.one_of(
    json_text,
    json_text.map(Side),
    st.none(),
    st.booleans(),
    st.integers(),
    st.decimals(allow_nan=False, allow_infinity=False),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(json_text, inner, max_size=4),
    ),
    max_leaves=20,
)


@given(json_values)
def test_the_writer_by_type_writes_what_the_reference_writes(value: object) -> None:
    assert wire_json.dumps(value) == wire_json.dumps_by_reference(value)


def refusal(write: Callable[[object], str], value: object) -> tuple[type[Exception], str]:
    with pytest.raises((TypeError, ValueError)) as raised:
        write(value)
    return type(raised.value), str(raised.value)


@given(
    st.one_of(
        st.floats(),
        st.just(object()),
        st.just(Decimal("1e999999999")),
        st.dictionaries(st.integers(), st.none(), min_size=1),
    )
)
def test_the_writer_by_type_refuses_what_the_reference_refuses(value: object) -> None:
    for nested in (value, [value], {"amount": value}):
        assert refusal(wire_json.dumps, nested) == refusal(wire_json.dumps_by_reference, nested)
