"""The conversion layer, on models shaped exactly like the generated ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
import responses

import withdrawkit as wk
from withdrawkit import _wire_json as wire_json
from withdrawkit._amount import Amount
from withdrawkit._conversion import (
    WireShapeError,
    format_wire_datetime,
    parse_wire_datetime,
    structure,
    unstructure,
)
from withdrawkit._decimals import MAX_ADJUSTED_EXPONENT, decimal_from_wire, plain_text
from withdrawkit._open_enum import OpenEnum


class RequestStatus(OpenEnum):
    pending = "pending"
    partially_filled = "partially-filled"


@attrs.frozen(kw_only=True)
class Leg:
    price: Decimal = attrs.field(metadata={"wire": "price"})
    total_fee: Decimal | None = attrs.field(default=None, metadata={"wire": "totalFee"})


@attrs.frozen(kw_only=True)
class Receipt:
    withdraw_request_id: str = attrs.field(metadata={"wire": "withdrawRequestId"})
    request_status: RequestStatus = attrs.field(metadata={"wire": "requestStatus"})
    confirmation_date: datetime | None = attrs.field(metadata={"wire": "confirmation_date"})
    amount: Amount | None = attrs.field(default=None, metadata={"wire": "amount"})
    legs: list[Leg] | None = attrs.field(default=None, metadata={"wire": "legs"})
    balances: dict[str, Leg] | None = attrs.field(default=None, metadata={"wire": "balances"})


def receipt_json(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        "withdrawRequestId": "oiJ8s7oh8EqFwwnkZViCGg",
        "requestStatus": "pending",
        "confirmation_date": None,
    }
    body.update(overrides)
    return body


def test_wire_names_become_snake_case_attributes_and_back() -> None:
    receipt = structure(receipt_json(amount="1 BTC"), Receipt)
    assert receipt.withdraw_request_id == "oiJ8s7oh8EqFwwnkZViCGg"
    assert unstructure(receipt) == receipt_json(amount="1 BTC")


@pytest.mark.parametrize(
    ("wire_text", "expected"),
    [
        ('{"price": 0.00206525633592975968892629}', Decimal("0.00206525633592975968892629")),
        ('{"price": "0.00206525633592975968892629"}', Decimal("0.00206525633592975968892629")),
        ('{"price": 1.0000016378e-8}', Decimal("1.0000016378E-8")),
        ('{"price": "1.0000016378e-8"}', Decimal("1.0000016378E-8")),
        ('{"price": 1e-8}', Decimal("1E-8")),
        ('{"price": 3}', Decimal(3)),
        ('{"price": -2000.0}', Decimal("-2000.0")),
    ],
)
def test_decimals_come_from_numbers_or_strings_without_float(
    wire_text: str, expected: Decimal
) -> None:
    leg = structure(wire_json.loads(wire_text), Leg)
    assert leg.price == expected
    assert leg.price.as_tuple() == expected.as_tuple()


def test_a_float_that_slipped_through_is_refused_not_rounded() -> None:
    with pytest.raises(WireShapeError):
        structure({"price": 0.1}, Leg)


@pytest.mark.parametrize("bad", ["", "abc", "1,5", "NaN", "Infinity", True, None, [1]])
def test_non_numbers_are_refused(bad: object) -> None:
    with pytest.raises(WireShapeError):
        structure({"price": bad}, Leg)


def test_decimals_go_back_out_as_exact_json_numbers() -> None:
    leg = Leg(price=Decimal("0.00206525633592975968892629"), total_fee=Decimal("1E-8"))
    assert wire_json.dumps(unstructure(leg)) == (
        '{"price":0.00206525633592975968892629,"totalFee":0.00000001}'
    )


def test_seven_fractional_digits_and_z_give_an_aware_datetime() -> None:
    receipt = structure(receipt_json(confirmation_date="2025-06-17T21:04:38.8196190Z"), Receipt)
    assert receipt.confirmation_date == datetime(
        2025, 6, 17, 21, 4, 38, 819619, tzinfo=timezone.utc
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-08-24T14:15:22Z", datetime(2019, 8, 24, 14, 15, 22, tzinfo=timezone.utc)),
        ("2022-03-30T19:38:39.765190Z", datetime(2022, 3, 30, 19, 38, 39, 765190, timezone.utc)),
        (
            "2023-02-21T22:07:38.6325460Z",
            datetime(2023, 2, 21, 22, 7, 38, 632546, tzinfo=timezone.utc),
        ),
        (
            "2024-01-02T03:04:05.5-03:00",
            datetime(2024, 1, 2, 3, 4, 5, 500000, timezone(-timedelta(hours=3))),
        ),
    ],
)
def test_wire_timestamps(text: str, expected: datetime) -> None:
    parsed = parse_wire_datetime(text)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize("text", ["2019-08-24T14:15:22", "2019-08-24", "yesterday", ""])
def test_timestamps_without_a_zone_are_refused(text: str) -> None:
    with pytest.raises(WireShapeError):
        structure(receipt_json(confirmation_date=text), Receipt)


def test_datetimes_are_written_with_z() -> None:
    moment = datetime(2025, 6, 17, 21, 4, 38, 819619, tzinfo=timezone.utc)
    assert format_wire_datetime(moment) == "2025-06-17T21:04:38.819619Z"
    with pytest.raises(ValueError, match="naive"):
        format_wire_datetime(datetime(2025, 6, 17))


def test_amount_text_becomes_amount_and_back() -> None:
    receipt = structure(receipt_json(amount="0.00206525633592975968892629 BTC"), Receipt)
    assert receipt.amount == Amount(Decimal("0.00206525633592975968892629"), "BTC")
    assert unstructure(receipt)["amount"] == "0.00206525633592975968892629 BTC"


def test_bad_amount_text_is_a_shape_error() -> None:
    with pytest.raises(WireShapeError, match="amount"):
        structure(receipt_json(amount="1,5 BTC"), Receipt)


def test_extra_keys_are_ignored_at_every_depth() -> None:
    body = receipt_json(
        legs=[{"price": 1, "newField": {"deep": True}}], status="ok", httpStatusCode=200
    )
    receipt = structure(body, Receipt)
    assert receipt.legs == [Leg(price=Decimal(1))]


def test_unknown_enum_values_are_kept() -> None:
    receipt = structure(receipt_json(requestStatus="on-hold"), Receipt)
    assert isinstance(receipt.request_status, RequestStatus)
    assert receipt.request_status == "on-hold"
    assert not receipt.request_status.is_known
    assert unstructure(receipt)["requestStatus"] == "on-hold"


def test_known_enum_values_are_the_members_and_equal_their_wire_strings() -> None:
    receipt = structure(receipt_json(requestStatus="partially-filled"), Receipt)
    assert receipt.request_status == "partially-filled"
    assert receipt.request_status.is_known
    assert receipt.request_status is RequestStatus.partially_filled
    with pytest.raises(WireShapeError):
        structure(receipt_json(requestStatus=None), Receipt)


def test_unset_optionals_are_omitted_but_required_nulls_are_kept() -> None:
    receipt = Receipt(
        withdraw_request_id="x", request_status=RequestStatus.pending, confirmation_date=None
    )
    assert unstructure(receipt) == {
        "withdrawRequestId": "x",
        "requestStatus": "pending",
        "confirmation_date": None,
    }


def test_maps_of_models_keep_their_keys() -> None:
    receipt = structure(receipt_json(balances={"BTC": {"price": Decimal("1.23")}}), Receipt)
    assert receipt.balances == {"BTC": Leg(price=Decimal("1.23"))}


def test_missing_required_fields_are_named() -> None:
    with pytest.raises(WireShapeError, match="withdraw_request_id"):
        structure({"requestStatus": "pending", "confirmation_date": None}, Receipt)


@pytest.mark.parametrize("body", [None, [], "text", 5])
def test_a_non_object_is_a_shape_error(body: object) -> None:
    with pytest.raises(WireShapeError):
        structure(body, Receipt)


@pytest.mark.parametrize("bad", [None, True, {"id": 1}, ["x"]])
def test_text_fields_refuse_null_and_structures(bad: object) -> None:
    with pytest.raises(WireShapeError, match="withdraw_request_id"):
        structure(receipt_json(withdrawRequestId=bad), Receipt)


@pytest.mark.parametrize(("number", "text"), [(12345, "12345"), (Decimal("0.5"), "0.5")])
def test_text_fields_keep_numbers_as_their_exact_digits(number: object, text: str) -> None:
    assert structure(receipt_json(withdrawRequestId=number), Receipt).withdraw_request_id == text


# -- strict scalars and collections: what cattrs' defaults would coerce -------------------------


@attrs.frozen(kw_only=True)
class Page:
    count: int = attrs.field(metadata={"wire": "count"})
    is_blocked: bool = attrs.field(metadata={"wire": "is_blocked"})
    is_refund: bool | None = attrs.field(default=None, metadata={"wire": "is_refund"})
    instructions: list[str] | None = attrs.field(default=None, metadata={"wire": "instructions"})
    levels: list[list[Decimal]] | None = attrs.field(default=None, metadata={"wire": "levels"})
    account_fields: dict[str, str] | None = attrs.field(
        default=None, metadata={"wire": "account_fields"}
    )


@attrs.frozen(kw_only=True)
class Floaty:
    ratio: float = attrs.field(metadata={"wire": "ratio"})


def page_json(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {"count": 38, "is_blocked": False}
    body.update(overrides)
    return body


@pytest.mark.parametrize("flag", [True, False])
def test_booleans_come_only_from_json_booleans(flag: bool) -> None:
    assert structure(page_json(is_blocked=flag), Page).is_blocked is flag
    assert structure(page_json(is_refund=None), Page).is_refund is None


@pytest.mark.parametrize("bad", ["false", "true", "", 0, 1, Decimal("0.0"), None, [], {}])
def test_booleans_refuse_everything_else(bad: object) -> None:
    with pytest.raises(WireShapeError, match="is_blocked"):
        structure(page_json(is_blocked=bad), Page)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [(38, 38), (0, 0), (-3, -3), (Decimal("38.0"), 38), (Decimal("1E+3"), 1000)],
)
def test_integers_come_from_integers_or_integral_decimals(wire: object, expected: int) -> None:
    count = structure(page_json(count=wire), Page).count
    assert count == expected
    assert type(count) is int


@pytest.mark.parametrize(
    "bad", [Decimal("38.9"), "38", True, False, None, 38.0, [38], Decimal("1E+100000")]
)
def test_integers_refuse_everything_else(bad: object) -> None:
    with pytest.raises(WireShapeError, match="count"):
        structure(page_json(count=bad), Page)


def test_lists_come_only_from_json_arrays() -> None:
    page = structure(page_json(instructions=["memo"], levels=[[1, "2.5"]]), Page)
    assert page.instructions == ["memo"]
    assert page.levels == [[Decimal(1), Decimal("2.5")]]


@pytest.mark.parametrize(
    "body",
    [
        {"instructions": "12"},  # a string is not a list of its characters
        {"instructions": {}},  # nor is an object the list of its keys
        {"instructions": {"a": "b"}},
        {"instructions": 12},
        {"levels": ["12"]},  # nested: a string is not a book level
        {"levels": "12"},
    ],
)
def test_lists_refuse_strings_and_objects(body: dict[str, object]) -> None:
    with pytest.raises(WireShapeError):
        structure(page_json(**body), Page)


def test_string_maps_keep_every_key() -> None:
    fields = {"alias_or_cvu_destination": "000", "cbu": "2850590940090418135201"}
    assert structure(page_json(account_fields=fields), Page).account_fields == fields


@pytest.mark.parametrize("bad", [[], [["cbu", "1"]], "cbu", 5, {"cbu": None}, {"cbu": ["1"]}])
def test_maps_come_only_from_json_objects(bad: object) -> None:
    with pytest.raises(WireShapeError, match="account_fields"):
        structure(page_json(account_fields=bad), Page)


@pytest.mark.parametrize("value", [0.5, Decimal("0.5"), 1, "0.5"])
def test_float_fields_are_refused_outright(value: object) -> None:
    # No generated model has one (tests/test_spec_examples.py checks); should one appear, it
    # fails loudly instead of rounding money.
    with pytest.raises(WireShapeError, match="ratio"):
        structure({"ratio": value}, Floaty)


@pytest.mark.parametrize(
    "text",
    ["1\u0660", "\u0661\u0662.5", "1\uff10\uff10", "\u0969", "1e\u0665"],
)
def test_decimals_refuse_non_ascii_digits(text: str) -> None:
    with pytest.raises(WireShapeError):
        structure({"price": text}, Leg)


@pytest.mark.parametrize(
    "text",
    [
        "2019-08-24T14:15:22\u0665Z",  # an Arabic-Indic five in the seconds
        "\uff12019-08-24T14:15:22Z",  # a fullwidth two in the year
        "2019-08-24T14:15:22+0\u0665:30",
    ],
)
def test_timestamps_refuse_non_ascii_digits(text: str) -> None:
    with pytest.raises(WireShapeError):
        structure(receipt_json(confirmation_date=text), Receipt)


@pytest.mark.parametrize(
    "wire",
    ["1e1001", "-1E+1001", "1e-1001", "1e999999999", "0E-2000", Decimal("1E+5000")],
)
def test_decimals_of_absurd_magnitude_are_refused(wire: object) -> None:
    with pytest.raises(WireShapeError, match="price"):
        structure({"price": wire}, Leg)


@pytest.mark.parametrize("wire", ["1e1000", "1e-1000", Decimal("9.99E+1000")])
def test_decimals_at_the_magnitude_bound_are_read(wire: object) -> None:
    assert structure({"price": wire}, Leg).price == Decimal(str(wire))


# -- wire_json and decimals: numbers whose plain text would be absurdly long ------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"detail":{"amount":[1e100000000]}}',  # 36 bytes; 100 MB of digits written out
        "1e999999999",
        "-1E+1001",
        "1e-1001",
        "0e-2000",
        "[1, 2, 1.5e1001]",
    ],
)
def test_loads_refuses_numbers_of_absurd_magnitude_with_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="magnitude"):
        wire_json.loads(text)


def test_loads_reads_numbers_up_to_the_bound() -> None:
    assert wire_json.loads("[1e1000, -1E-1000, 0.5]") == [
        Decimal("1e1000"),
        Decimal("-1e-1000"),
        Decimal("0.5"),
    ]


def test_loads_refuses_integers_beyond_the_int_string_limit_with_value_error() -> None:
    with pytest.raises(ValueError, match="digits"):
        wire_json.loads('{"count": ' + "9" * 5000 + "}")


@pytest.mark.parametrize(
    "value",
    [
        Decimal("1e50000000"),
        {"amount": [Decimal("-1E+1001")]},
        Decimal("1E-1001"),
        Decimal("0E-2000"),
        Decimal("NaN"),
    ],
)
def test_dumps_refuses_decimals_whose_plain_text_is_absurd(value: object) -> None:
    with pytest.raises(ValueError, match="decimal"):
        wire_json.dumps(value)


@pytest.mark.parametrize("value", [Decimal("1e50000000"), Decimal("-1E-1001"), Decimal("sNaN")])
def test_plain_text_refuses_what_decimal_from_wire_refuses(value: Decimal) -> None:
    with pytest.raises(ValueError, match="decimal"):
        plain_text(value)
    with pytest.raises(ValueError, match="decimal"):
        decimal_from_wire(value)


def test_plain_text_at_the_bound_is_written_in_full() -> None:
    assert plain_text(Decimal(f"1E+{MAX_ADJUSTED_EXPONENT}")) == "1" + "0" * 1000
    assert plain_text(Decimal(f"-1E-{MAX_ADJUSTED_EXPONENT}")) == "-0." + "0" * 999 + "1"


@pytest.mark.parametrize("value", ["1e999999999", "1E1001", 10**1001, -(10**1001)])
def test_decimal_from_wire_refuses_absurd_magnitudes(value: object) -> None:
    with pytest.raises(ValueError, match="magnitude"):
        decimal_from_wire(value)


@pytest.mark.parametrize("text", ["\u0661\u0662.5", "1\u0660", "\uff11", "1e\u0665", "1.\u0665"])
def test_decimal_from_wire_refuses_non_ascii_digits(text: str) -> None:
    with pytest.raises(ValueError, match="not a decimal number"):
        decimal_from_wire(text)


def test_a_response_with_an_absurd_number_is_an_unexpected_response() -> None:
    # An 11-byte number once came back as an amount whose plain text is 100 MB; the ValueError
    # of wire_json.loads is how the transport learns the body is not acceptable JSON.
    base = "https://ripio.test"
    with responses.RequestsMock() as mock:
        mock.post(
            f"{base}/oauth2/token/",
            json={"access_token": "t", "expires_in": 3600, "token_type": "Bearer", "scope": "s"},
        )
        withdrawal = (
            '{"id": "w1", "created_at": "2019-08-24T14:15:22Z", "confirmation_date": null,'
            ' "txn_hash": null, "end_user_id": "customer_10", "currency": "BTC",'
            ' "amount": 1e100000000, "address": "addr", "network_name": "BITCOIN"}'
        )
        mock.get(f"{base}/api/v1/withdrawals/w1/", body=withdrawal, content_type="application/json")
        client = wk.RipioClient(base, client_id="id", client_secret="secret")
        with pytest.raises(wk.UnexpectedResponse) as raised:
            client.get_withdrawal("w1")
    assert len(str(raised.value)) < 2000
