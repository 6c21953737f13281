"""The conversion layer, on models shaped exactly like the generated ones."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest

from withdrawkit import wire_json
from withdrawkit.amount import Amount
from withdrawkit.conversion import (
    WireShapeError,
    format_wire_datetime,
    parse_wire_datetime,
    structure,
    unstructure,
)
from withdrawkit.open_enum import OpenEnum


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
    assert receipt.request_status is RequestStatus.partially_filled
    with pytest.raises(WireShapeError):
        structure(receipt_json(requestStatus=None), Receipt)
    assert receipt.request_status == "partially-filled"
    assert receipt.request_status.is_known


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
