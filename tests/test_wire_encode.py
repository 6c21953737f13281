"""The request-body writer: its faster string quoting writes exactly what json.dumps writes."""

from __future__ import annotations

import json
from decimal import Decimal

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
