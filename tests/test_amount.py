from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import withdrawkit as wk
from withdrawkit._amount import Amount, AmountError

ONEKONTO_SPEC = Path(__file__).resolve().parent.parent / "openapi" / "onekonto.yaml"


def _asset_amount_pattern() -> re.Pattern[str]:
    """The spec's AssetAmount pattern, anchored the ECMA-262 way (Python's $ allows a final \\n)."""
    spec = yaml.safe_load(ONEKONTO_SPEC.read_text(encoding="utf-8"))
    pattern: str = spec["components"]["schemas"]["AssetAmount"]["pattern"]
    assert pattern.startswith("^") and pattern.endswith("$")
    return re.compile(pattern[1:-1])


ASSET_AMOUNT_PATTERN = _asset_amount_pattern()

asset_codes = st.from_regex(r"[A-Z][A-Z0-9]{0,9}", fullmatch=True)
finite_decimals = st.decimals(allow_nan=False, allow_infinity=False)
# 28 significant digits, the precision 1Konto shows ("0.00206525633592975968892629 BTC").
twenty_eight_digit_texts = st.builds(
    lambda digits, point: f"{digits[:point] or '0'}.{digits[point:]}",
    st.from_regex(r"[1-9][0-9]{27}", fullmatch=True),
    st.integers(min_value=0, max_value=27),
)


@given(value=finite_decimals, asset=asset_codes)
def test_text_form_parses_back_to_the_same_amount(value: Decimal, asset: str) -> None:
    amount = Amount(value, asset)
    parsed = Amount.parse(str(amount))
    assert parsed == amount
    assert str(parsed) == str(amount)


@given(value=finite_decimals, asset=asset_codes)
def test_text_form_never_uses_exponent_notation(value: Decimal, asset: str) -> None:
    text = str(Amount(value, asset))
    assert "E" not in text.split(" ", maxsplit=1)[0].upper()


@given(text=twenty_eight_digit_texts, asset=asset_codes)
def test_twenty_eight_digit_values_keep_every_digit(text: str, asset: str) -> None:
    amount = Amount.parse(f"{text} {asset}")
    assert amount.value == Decimal(text)
    assert str(amount) == f"{text} {asset}"


def test_documented_example_is_exact() -> None:
    amount = wk.Amount.parse("0.00206525633592975968892629 BTC")
    assert amount.value == Decimal("0.00206525633592975968892629")
    assert amount.asset == "BTC"


def test_tiny_value_is_written_in_full() -> None:
    assert str(wk.Amount(Decimal("1E-8"), "BTC")) == "0.00000001 BTC"


def test_negative_amounts_are_allowed_for_ledger_entries() -> None:
    amount = wk.Amount.parse("-5 USDT")
    assert amount.value == Decimal(-5)
    assert str(amount) == "-5 USDT"


@pytest.mark.parametrize("value", [1.5, 0.1, float("nan"), True])
def test_floats_and_bools_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        wk.Amount(value, "BTC")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "BTC",
        "1BTC",
        "1,5 BTC",
        "NaN BTC",
        "Infinity BTC",
        "1e3 BTC",
        "1E-8 BTC",
        "1 000 BTC",
        " 1 BTC",
        "1 BTC ",
        "1  BTC",
        "1.5",
        ".5 BTC",
        "5. BTC",
        "+5 BTC",
        "1 BTC/USD",
        "1 B-TC",
        "007 BTC",
        "-.5 BTC",
    ],
)
def test_rejected_forms_raise_amount_error(text: str) -> None:
    with pytest.raises(wk.AmountError):
        wk.Amount.parse(text)


# Pieces of amount text, valid or nearly so, so that fuzzing reaches both outcomes of parse().
amount_pieces = st.one_of(
    st.sampled_from(["0", "1", "5", "07", "10", "9", "-", ".", " ", "e", "E", "+", ",", "_"]),
    st.sampled_from(["BTC", "USDT", "ETH2", "usd", "B", "2B"]),
    st.sampled_from(["\u0660", "\u0665", "\uff10", "\uff11", "\u0969", "\u00b2", "\u2007"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=2),
)
amount_like_texts = st.one_of(
    st.lists(amount_pieces, max_size=8).map("".join),
    st.builds(
        lambda value, asset: f"{value} {asset}",
        st.from_regex(r"-?(0|[1-9][0-9]{0,12})(\.[0-9]{1,12})?", fullmatch=True),
        asset_codes,
    ),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40),
)


@given(text=amount_like_texts)
def test_parse_either_returns_an_amount_or_raises_amount_error(text: str) -> None:
    try:
        amount = Amount.parse(text)
    except AmountError:
        event("refused")
        return
    event("parsed")
    assert str(amount) == text


@given(text=amount_like_texts)
@example(text="007 BTC")  # the spec's pattern once allowed leading zeros
@example(text="-00.5 BTC")
@example(text="0.5 BTC")
@example(text="1\u0660 BTC")  # and, through \d, any Unicode digit
def test_parse_and_the_spec_pattern_accept_the_same_texts(text: str) -> None:
    try:
        Amount.parse(text)
    except AmountError:
        parsed = False
    else:
        parsed = True
    assert (ASSET_AMOUNT_PATTERN.fullmatch(text) is not None) == parsed


def test_fuzzing_reaches_both_outcomes() -> None:
    outcomes: set[bool] = set()

    @settings(max_examples=300, database=None, derandomize=True)
    @given(text=amount_like_texts)
    def record(text: str) -> None:
        try:
            Amount.parse(text)
        except AmountError:
            outcomes.add(False)
        else:
            outcomes.add(True)

    record()
    assert outcomes == {True, False}


@pytest.mark.parametrize(
    "text",
    [
        "1\u0660 BTC",  # Arabic-Indic zero: was read as 10
        "0.\u0665 BTC",  # Arabic-Indic five: was read as 0.5
        "1\uff10\uff10 USDT",  # fullwidth zeros: was read as 100
        "\u0969 BTC",  # Devanagari three
        "1 BTC\u0660",  # a digit in the asset code
        "1 \uff22TC",  # a fullwidth letter in the asset code
    ],
)
def test_non_ascii_digits_and_letters_are_refused(text: str) -> None:
    with pytest.raises(AmountError):
        Amount.parse(text)
    assert ASSET_AMOUNT_PATTERN.fullmatch(text) is None


@pytest.mark.parametrize(
    "value",
    [Decimal("1E+1001"), Decimal("-1E+1001"), Decimal("1E-1001"), Decimal("0E-2000"), 10**1001],
)
def test_values_of_absurd_magnitude_are_refused(value: Decimal | int) -> None:
    with pytest.raises(AmountError, match="magnitude"):
        Amount(value, "BTC")


def test_absurdly_long_amount_text_is_refused() -> None:
    with pytest.raises(AmountError):
        Amount.parse("0." + "0" * 1001 + "1 BTC")
    assert str(Amount.parse("1" + "0" * 1000 + " BTC")) == "1" + "0" * 1000 + " BTC"


def test_amount_error_is_a_value_error_and_a_withdrawkit_error() -> None:
    assert issubclass(wk.AmountError, ValueError)
    assert issubclass(wk.AmountError, wk.WithdrawKitError)


@pytest.mark.parametrize("asset", ["", "1BTC", "BT C", "BTC/USD"])
def test_bad_asset_codes_are_refused(asset: str) -> None:
    with pytest.raises(AmountError):
        Amount(Decimal(1), asset)


def test_non_finite_values_are_refused() -> None:
    with pytest.raises(AmountError):
        Amount(Decimal("NaN"), "BTC")
    with pytest.raises(AmountError):
        Amount(Decimal("Infinity"), "BTC")


def test_coerce_accepts_amounts_and_text_and_refuses_floats() -> None:
    amount = Amount.parse("1.5 BTC")
    assert Amount.coerce(amount) is amount
    assert Amount.coerce("1.5 BTC") == amount
    with pytest.raises(TypeError):
        Amount.coerce(1.5)  # type: ignore[arg-type]
    with pytest.raises(AmountError):
        Amount.coerce(Decimal("1.5"))  # type: ignore[arg-type]


def test_amounts_are_immutable_and_hashable() -> None:
    amount = Amount.parse("1.5 BTC")
    with pytest.raises(AttributeError):
        amount.value = Decimal(2)  # type: ignore[misc]
    assert {amount: "x"}[Amount.parse("1.5 BTC")] == "x"
