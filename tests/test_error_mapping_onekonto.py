"""1Konto's error table: every row pinned with the vendor's own payloads (the Get Account, Get
Deposit Instructions, Market Order and Request Withdraw pages), copied as archived, invalid JSON
included."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from withdrawkit._amount import Amount
from withdrawkit._error_mapping import ErrorResponse, map_onekonto_error
from withdrawkit._error_mapping.onekonto import CATEGORIES
from withdrawkit._exceptions import (
    APIError,
    AuthenticationFailed,
    CreditNotAvailable,
    InsufficientFunds,
    NotFound,
    QuoteAlreadyExecuted,
    QuoteExpired,
    ServerError,
    ValidationFailed,
)

# Market Order, "Credit Limit - Error Responses": the first example has a trailing comma.
CREDIT_OUTSIDE_HOURS = """{
"orderId": "theOrderIdXXXXXX",
"errors": [
"Credit Not Available: 10000 USDT credit requested can not be granted outside of normal business hours.",
],
"status": "failedDependency",
"httpStatusCode": 424
}"""  # noqa: E501 - the vendor's payload, verbatim
INSUFFICIENT_FUNDS = """{
"orderId": "theOrderIdXXXXXX",
"errors": [
"Insufficient Funds: Requested 10000 USDT but only 1000 USDT is available"
],
"status": "failedDependency",
"httpStatusCode": 424
}"""
CREDIT_NOT_IN_GOOD_STANDING = """{
"orderId": "theOrderIdXXXXXX",
"errors": [
"Credit Not Available: Your account is in good standing, but credit is not available at this time. Please contact your account executive."
],
"status": "failedDependency",
"httpStatusCode": 424
}"""  # noqa: E501 - the vendor's payload, verbatim
ACCOUNT_NOT_FOUND = """{
"status": 404,
"error": "Account ID Not Found"
}"""
DEPOSIT_INSTRUCTIONS_NOT_FOUND = """{
"status": 404,
"error": "The deposit instructions with the provided ID were not found"
}"""
INTERNAL_SERVER_ERROR = """{
"status": 500,
"error": "Internal Server Error"
}"""


def mapped(status: int, body: str, headers: dict[str, str] | None = None) -> APIError:
    return map_onekonto_error(ErrorResponse.from_body(status, body, headers))


def test_insufficient_funds_reads_requested_and_available_amounts() -> None:
    error = mapped(424, INSUFFICIENT_FUNDS)

    assert type(error) is InsufficientFunds
    assert error.provider == "1Konto"
    assert error.http_status == 424
    assert error.code == "Insufficient Funds"
    assert error.messages == (
        "Insufficient Funds: Requested 10000 USDT but only 1000 USDT is available",
    )
    assert error.requested == Amount(Decimal("10000"), "USDT")
    assert error.available == Amount(Decimal("1000"), "USDT")
    assert error.body == {
        "orderId": "theOrderIdXXXXXX",
        "errors": ["Insufficient Funds: Requested 10000 USDT but only 1000 USDT is available"],
        "status": "failedDependency",
        "httpStatusCode": 424,
    }
    assert "Requested 10000 USDT but only 1000 USDT is available" in str(error)
    assert "HTTP 424" in str(error)


def test_insufficient_funds_keeps_every_digit_of_the_amounts() -> None:
    body = (
        '{"errors": ["Insufficient Funds: Requested 0.00206525633592975968892629 BTC but only '
        '0.00000001 BTC is available"], "status": "failedDependency", "httpStatusCode": 424}'
    )
    error = mapped(424, body)

    assert isinstance(error, InsufficientFunds)
    assert error.requested == Amount(Decimal("0.00206525633592975968892629"), "BTC")
    assert error.available == Amount(Decimal("0.00000001"), "BTC")


def test_insufficient_funds_without_amounts_in_the_text_leaves_them_none() -> None:
    body = '{"errors": ["Insufficient Funds: balance too low"], "status": "failedDependency"}'
    error = mapped(424, body)

    assert isinstance(error, InsufficientFunds)
    assert error.requested is None
    assert error.available is None
    assert error.messages == ("Insufficient Funds: balance too low",)


def test_the_table_reads_a_bounded_prefix_of_each_message_and_keeps_it_whole() -> None:
    padding = "x" * 20_000  # past the prefix the table reads
    message = f"Insufficient Funds: Requested 5 BTC {padding} but only 1 BTC is available"
    error = mapped(424, json.dumps({"errors": [message]}))

    assert isinstance(error, InsufficientFunds)
    assert error.requested == Amount(Decimal(5), "BTC")
    assert error.available is None  # its text starts beyond the prefix
    assert error.messages == (message,)


def test_credit_not_available_outside_business_hours_despite_the_trailing_comma() -> None:
    error = mapped(424, CREDIT_OUTSIDE_HOURS)

    assert type(error) is CreditNotAvailable
    assert error.code == "Credit Not Available"
    assert error.messages == (
        "Credit Not Available: 10000 USDT credit requested can not be granted outside of "
        "normal business hours.",
    )
    # The vendor's invalid JSON is still read, so the exception keeps the decoded body.
    assert isinstance(error.body, dict)
    assert error.body["orderId"] == "theOrderIdXXXXXX"


def test_credit_not_available_when_no_credit_is_extended() -> None:
    error = mapped(424, CREDIT_NOT_IN_GOOD_STANDING)

    assert type(error) is CreditNotAvailable
    assert error.code == "Credit Not Available"
    assert error.messages[0].startswith("Credit Not Available: Your account is in good standing")
    assert error.messages[0].endswith("Please contact your account executive.")


def test_validation_failed_splits_field_errors() -> None:
    body = (
        '{"errors": ["ValidationFailed: Amount: must be positive. Asset: required"], '
        '"status": "badRequest", "httpStatusCode": 400}'
    )
    error = mapped(400, body)

    assert type(error) is ValidationFailed
    assert error.code == "ValidationFailed"
    assert error.field_errors == {"Amount": "must be positive", "Asset": "required"}
    assert error.messages == ("ValidationFailed: Amount: must be positive. Asset: required",)


def test_validation_failed_in_the_generic_shape() -> None:
    error = mapped(400, '{"status": 400, "error": "ValidationFailed: Network: unknown network"}')

    assert type(error) is ValidationFailed
    assert error.field_errors == {"Network": "unknown network"}
    assert error.code == "ValidationFailed"


def test_validation_failed_keeps_decimal_points_inside_a_field_message() -> None:
    body = '{"errors": ["ValidationFailed: Amount: must be at least 0.01. Asset: required."]}'
    error = mapped(400, body)

    assert isinstance(error, ValidationFailed)
    assert error.field_errors == {"Amount": "must be at least 0.01", "Asset": "required"}


def test_validation_failed_merges_the_fields_of_several_messages() -> None:
    body = (
        '{"errors": ["ValidationFailed: Amount: must be positive", '
        '"ValidationFailed: Amount: too many decimals. Address: not whitelisted"]}'
    )
    error = mapped(400, body)

    assert isinstance(error, ValidationFailed)
    assert error.field_errors == {
        "Amount": "must be positive; too many decimals",
        "Address": "not whitelisted",
    }
    assert len(error.messages) == 2


def test_validation_failed_without_field_structure_has_no_field_errors() -> None:
    error = mapped(400, '{"errors": ["ValidationFailed: ClientOrderId over max length"]}')

    assert isinstance(error, ValidationFailed)
    assert error.field_errors == {}
    assert error.messages == ("ValidationFailed: ClientOrderId over max length",)


@pytest.mark.parametrize(
    ("message", "expected", "code"),
    [
        (
            "InsufficientFunds: Requested 5 BTC but only 1 BTC is available",
            InsufficientFunds,
            "InsufficientFunds",
        ),
        (
            "insufficient funds: Requested 5 BTC but only 1 BTC is available",
            InsufficientFunds,
            "insufficient funds",
        ),
        (
            "INSUFFICIENT_FUNDS : Requested 5 BTC but only 1 BTC is available",
            InsufficientFunds,
            "INSUFFICIENT_FUNDS",
        ),
        ("Validation Failed: Amount: must be positive", ValidationFailed, "Validation Failed"),
        ("validation-failed:Amount: must be positive", ValidationFailed, "validation-failed"),
        ("CreditNotAvailable: outside business hours", CreditNotAvailable, "CreditNotAvailable"),
        ("Insufficient Funds", InsufficientFunds, "Insufficient Funds"),
    ],
)
def test_category_prefixes_are_matched_tolerantly(
    message: str, expected: type[APIError], code: str
) -> None:
    error = mapped(424, f'{{"errors": ["{message}"], "status": "failedDependency"}}')

    assert type(error) is expected
    assert error.code == code
    assert error.messages == (message,)


def test_tolerant_prefix_still_parses_amounts_and_fields() -> None:
    funds = mapped(
        424, '{"errors": ["insufficient_funds: Requested 5 BTC but only 1 BTC is available"]}'
    )
    fields = mapped(400, '{"errors": ["Validation Failed: Amount: must be positive"]}')

    assert isinstance(funds, InsufficientFunds)
    assert funds.requested == Amount(Decimal(5), "BTC")
    assert funds.available == Amount(Decimal(1), "BTC")
    assert isinstance(fields, ValidationFailed)
    assert fields.field_errors == {"Amount": "must be positive"}


def test_account_not_found_falls_back_by_status() -> None:
    error = mapped(404, ACCOUNT_NOT_FOUND)

    assert type(error) is NotFound
    assert error.code is None  # an integer `status` only repeats the HTTP status
    assert error.messages == ("Account ID Not Found",)
    assert error.body == {"status": 404, "error": "Account ID Not Found"}
    assert "Account ID Not Found" in str(error)


def test_deposit_instructions_not_found_falls_back_by_status() -> None:
    error = mapped(404, DEPOSIT_INSTRUCTIONS_NOT_FOUND)

    assert type(error) is NotFound
    assert error.messages == ("The deposit instructions with the provided ID were not found",)


def test_internal_server_error_is_a_server_error() -> None:
    error = mapped(500, INTERNAL_SERVER_ERROR)

    assert type(error) is ServerError
    assert error.http_status == 500
    assert error.messages == ("Internal Server Error",)


def test_unknown_category_falls_back_by_status_with_the_status_word_as_code() -> None:
    body = (
        '{"orderId": "x", "errors": ["Order Rejected: market closed"], '
        '"status": "failedDependency", "httpStatusCode": 424}'
    )
    error = mapped(424, body)

    assert type(error) is APIError
    assert error.code == "failedDependency"
    assert error.messages == ("Order Rejected: market closed",)


def test_unknown_category_on_a_401_is_an_authentication_failure() -> None:
    error = mapped(401, '{"status": "unauthorized", "errors": ["Token: expired"]}')

    assert type(error) is AuthenticationFailed
    assert error.code == "unauthorized"


def test_the_first_known_category_decides_and_every_message_is_kept() -> None:
    body = (
        '{"errors": ["Order Rejected: see below", "Credit Not Available: outside hours", '
        '"Insufficient Funds: Requested 2 BTC but only 1 BTC is available"]}'
    )
    error = mapped(424, body)

    assert type(error) is CreditNotAvailable
    assert error.messages == (
        "Order Rejected: see below",
        "Credit Not Available: outside hours",
        "Insufficient Funds: Requested 2 BTC but only 1 BTC is available",
    )


def test_the_table_is_data_keyed_by_normalised_category() -> None:
    assert {key: row.exception for key, row in CATEGORIES.items()} == {
        "insufficientfunds": InsufficientFunds,
        "validationfailed": ValidationFailed,
        "creditnotavailable": CreditNotAvailable,
        "quoteexpired": QuoteExpired,
        "quotealreadyexecuted": QuoteAlreadyExecuted,
    }


def test_aspnet_validation_problem_details_are_field_errors() -> None:
    # Not on 1Konto's pages: what ASP.NET Core answers when a body does not bind to its model.
    body = (
        '{"type": "https://tools.ietf.org/html/rfc7231#section-6.5.1", '
        '"title": "One or more validation errors occurred.", "status": 400, '
        '"traceId": "00-4f1e-01", '
        '"errors": {"Amount": ["The Amount field is required."], "Asset": ["Unknown asset."]}}'
    )
    error = mapped(400, body)

    assert type(error) is ValidationFailed
    assert error.field_errors == {
        "Amount": "The Amount field is required.",
        "Asset": "Unknown asset.",
    }
    assert error.messages == (
        "One or more validation errors occurred.",
        "Amount: The Amount field is required.",
        "Asset: Unknown asset.",
    )
    assert error.code is None


@pytest.mark.parametrize(
    "requested",
    ["1\u0660 BTC", "\uff11\uff10 BTC", "1\u00b2 BTC"],
    ids=["arabic-indic-zero", "fullwidth", "superscript"],
)
def test_amounts_are_read_from_ascii_digits_only(requested: str) -> None:
    # Python's \d matches every Unicode digit and Decimal() reads them: 1 and an Arabic-Indic
    # zero would become 10.
    body = json.dumps(
        {"errors": [f"Insufficient Funds: Requested {requested} but only 999 BTC is available"]}
    )

    error = mapped(424, body)

    assert isinstance(error, InsufficientFunds)
    assert error.requested is None
    assert error.available == Amount(Decimal("999"), "BTC")
