"""``Price``: exact price text ``"<decimal> <BASE>/<QUOTE>"``, as 1Konto writes it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import withdrawkit as wk
from withdrawkit._amount import AmountError
from withdrawkit._conversion import WireShapeError, structure, unstructure
from withdrawkit._price import Price
from withdrawkit_generated.onekonto import IndicativePrice

ONEKONTO_SPEC = Path(__file__).resolve().parent.parent / "openapi" / "onekonto.yaml"


def _asset_price_pattern() -> re.Pattern[str]:
    spec = yaml.safe_load(ONEKONTO_SPEC.read_text(encoding="utf-8"))
    pattern: str = spec["components"]["schemas"]["AssetPrice"]["pattern"]
    assert pattern.startswith("^") and pattern.endswith("$")
    return re.compile(pattern[1:-1])


ASSET_PRICE_PATTERN = _asset_price_pattern()

asset_codes = st.from_regex(r"[A-Z][A-Z0-9]{0,9}", fullmatch=True)
prices = st.decimals(min_value=0, allow_nan=False, allow_infinity=False).filter(
    lambda value: not value.is_signed() and abs(value.adjusted()) <= 1000
)
# 29 significant digits, as 1Konto writes "0.0000411222366"... and "1.0015016016216256264265866187".
twenty_nine_digit_texts = st.builds(
    lambda digits, point: f"{digits[:point] or '0'}.{digits[point:]}",
    st.from_regex(r"[1-9][0-9]{28}", fullmatch=True),
    st.integers(min_value=0, max_value=28),
)


@given(value=prices, base=asset_codes, quote=asset_codes)
def test_text_form_parses_back_to_the_same_price(value: Decimal, base: str, quote: str) -> None:
    price = Price(value, base, quote)
    parsed = Price.parse(str(price))
    assert parsed == price
    assert str(parsed) == str(price)
    assert "E" not in str(price).split(" ", maxsplit=1)[0].upper()


@given(text=twenty_nine_digit_texts, base=asset_codes, quote=asset_codes)
def test_long_prices_keep_every_digit(text: str, base: str, quote: str) -> None:
    price = Price.parse(f"{text} {base}/{quote}")
    assert price.value == Decimal(text)
    assert str(price) == f"{text} {base}/{quote}"


@pytest.mark.parametrize(
    ("text", "value", "base", "quote"),
    [
        ("0.99954972 USDT/USD", "0.99954972", "USDT", "USD"),
        (
            "24210.069776878545711065754069 BTC/USDT",
            "24210.069776878545711065754069",
            "BTC",
            "USDT",
        ),
        (
            "1.0015016016216256264265866187 USD/USDC",
            "1.0015016016216256264265866187",
            "USD",
            "USDC",
        ),
    ],
)
def test_the_vendor_examples_are_exact(text: str, value: str, base: str, quote: str) -> None:
    price = wk.Price.parse(text)
    assert (price.value, price.base, price.quote) == (Decimal(value), base, quote)
    assert price.pair == f"{base}/{quote}"
    assert str(price) == text


def test_tiny_prices_are_written_in_full() -> None:
    assert str(wk.Price(Decimal("1E-8"), "BTC", "USD")) == "0.00000001 BTC/USD"


@pytest.mark.parametrize("value", [1.0, 0.5, float("nan"), True])
def test_floats_and_bools_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        wk.Price(value, "USDT", "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Price.coerce(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "1",
        "1 USDT",
        "USDT/USD",
        "1USDT/USD",
        "1 USDT/",
        "1 /USD",
        "1 USDT/USD/EUR",
        "1 USDT USD",
        "1,5 USDT/USD",
        "1e3 USDT/USD",
        "NaN USDT/USD",
        "-1 USDT/USD",
        "+1 USDT/USD",
        "01 USDT/USD",
        ".5 USDT/USD",
        "1  USDT/USD",
        " 1 USDT/USD",
        "1 USDT/USD ",
        "1\u0660 USDT/USD",
        "1 USDT/\uff35SD",
    ],
)
def test_rejected_forms_raise_amount_error(text: str) -> None:
    with pytest.raises(wk.AmountError):
        wk.Price.parse(text)
    assert ASSET_PRICE_PATTERN.fullmatch(text) is None


price_pieces = st.one_of(
    st.sampled_from(["0", "1", "07", "9", "-", ".", " ", "/", "e", "+", ","]),
    st.sampled_from(["USDT", "USD", "BTC", "2B", "usd"]),
    st.sampled_from(["\u0660", "\uff10", "\u00b2"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=2),
)
price_like_texts = st.one_of(
    st.lists(price_pieces, max_size=9).map("".join),
    st.builds(
        lambda value, base, quote: f"{value} {base}/{quote}",
        st.from_regex(r"-?(0|[1-9][0-9]{0,12})(\.[0-9]{1,12})?", fullmatch=True),
        asset_codes,
        asset_codes,
    ),
)


@given(text=price_like_texts)
@example(text="007 USDT/USD")
@example(text="0.5 USDT/USD")
def test_parse_and_the_spec_pattern_accept_the_same_texts(text: str) -> None:
    try:
        price = Price.parse(text)
    except AmountError:
        event("refused")
        assert ASSET_PRICE_PATTERN.fullmatch(text) is None
        return
    event("parsed")
    assert ASSET_PRICE_PATTERN.fullmatch(text) is not None
    assert str(price) == text


def test_fuzzing_reaches_both_outcomes() -> None:
    outcomes: set[bool] = set()

    @settings(max_examples=300, database=None, derandomize=True)
    @given(text=price_like_texts)
    def record(text: str) -> None:
        try:
            Price.parse(text)
        except AmountError:
            outcomes.add(False)
        else:
            outcomes.add(True)

    record()
    assert outcomes == {True, False}


@pytest.mark.parametrize(
    "value", [Decimal("-1"), Decimal("-0"), Decimal("NaN"), Decimal("1E+1001")]
)
def test_negative_non_finite_and_absurd_values_are_refused(value: Decimal) -> None:
    with pytest.raises(AmountError):
        Price(value, "USDT", "USD")


@pytest.mark.parametrize(("base", "quote"), [("", "USD"), ("USDT", "1X"), ("US DT", "USD")])
def test_bad_asset_codes_are_refused(base: str, quote: str) -> None:
    with pytest.raises(AmountError):
        Price(Decimal(1), base, quote)


def test_coerce_accepts_prices_and_text() -> None:
    price = Price.parse("1.5 USDT/USD")
    assert Price.coerce(price) is price
    assert Price.coerce("1.5 USDT/USD") == price
    with pytest.raises(AmountError):
        Price.coerce(Decimal("1.5"))  # type: ignore[arg-type]


def test_prices_are_immutable_and_hashable() -> None:
    price = Price.parse("1.5 USDT/USD")
    with pytest.raises(AttributeError):
        price.value = Decimal(2)  # type: ignore[misc]
    assert {price: "x"}[Price.parse("1.5 USDT/USD")] == "x"


def test_every_price_of_a_model_is_a_price_both_ways() -> None:
    wire = {
        "source": "50 USDT",
        "destination": "0.00206525633592975968892629 BTC",
        "price": "24210.069776878545711065754069 BTC/USDT",
    }
    model = structure(wire, IndicativePrice)
    assert model.price == Price.parse("24210.069776878545711065754069 BTC/USDT")
    assert unstructure(model)["price"] == wire["price"]
    # [A] Get Order's bare-number price has no label: not a Price, and said so.
    with pytest.raises(WireShapeError, match="Price"):
        structure({**wire, "price": Decimal("0.0000411222366")}, IndicativePrice)
