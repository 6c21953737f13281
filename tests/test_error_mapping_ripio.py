"""Ripio's error table: every documented code (https://docs.ripio.com/overview/introduction) and
the token endpoint's OAuth2 errors (Get Access Token), each asserting the class and every field
it carries."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from withdrawkit._error_mapping import ErrorResponse, map_ripio_error
from withdrawkit._error_mapping.ripio import CODES, OAUTH_ERRORS
from withdrawkit._exceptions import (
    APIError,
    AuthenticationFailed,
    InsufficientFunds,
    LimitExceeded,
    NotFound,
    QuoteAlreadyExecuted,
    QuoteExpired,
    RateLimited,
    ValidationFailed,
)

# The introduction page's example, verbatim.
NOT_AUTHENTICATED = """{
  "code": 40001,
  "type": "NotAuthenticated",
  "detail": {
    "message": "Authentication credentials were not provided.",
    "code": "not_authenticated"
  },
  "status": 403
}"""


def envelope(code: int, type_: str, message: str, detail_code: str, status: int = 400) -> str:
    """Ripio's documented error envelope for a code of its table."""
    return json.dumps(
        {
            "code": code,
            "type": type_,
            "detail": {"message": message, "code": detail_code},
            "status": status,
        }
    )


def mapped(status: int, body: str, headers: dict[str, str] | None = None) -> APIError:
    return map_ripio_error(ErrorResponse.from_body(status, body, headers))


def test_40001_not_authenticated_arrives_as_403() -> None:
    error = mapped(403, NOT_AUTHENTICATED)

    assert type(error) is AuthenticationFailed
    assert error.provider == "Ripio"
    assert error.http_status == 403
    assert error.code == 40001
    assert error.messages == ("Authentication credentials were not provided.",)
    assert error.body == json.loads(NOT_AUTHENTICATED)
    assert str(error) == (
        "Ripio refused the request (HTTP 403, code 40001): "
        "Authentication credentials were not provided."
    )


def test_20000_validation_error_with_drf_field_errors() -> None:
    # DRF's ValidationError detail: field -> list of messages (Ripio's table leaves the
    # shape of 20000 undocumented; this is what a DRF serializer produces).
    body = json.dumps(
        {
            "code": 20000,
            "type": "ValidationError",
            "detail": {
                "amount": ["A valid number is required."],
                "address": ["This field is required.", "Not a valid address."],
            },
            "status": 400,
        }
    )
    error = mapped(400, body)

    assert type(error) is ValidationFailed
    assert error.code == 20000
    assert error.field_errors == {
        "amount": "A valid number is required.",
        "address": "This field is required.; Not a valid address.",
    }
    assert error.messages == (
        "amount: A valid number is required.",
        "address: This field is required.; Not a valid address.",
    )


def test_20000_validation_error_with_the_documented_detail_object() -> None:
    body = envelope(20000, "ValidationError", "Invalid network for currency.", "invalid")
    error = mapped(400, body)

    assert type(error) is ValidationFailed
    assert error.code == 20000
    assert error.field_errors == {}
    assert error.messages == ("Invalid network for currency.",)


def test_20000_nested_field_errors_are_flattened_with_dotted_paths() -> None:
    body = json.dumps(
        {
            "code": 20000,
            "detail": {
                "beneficiary": {"cbu": ["Invalid CBU."]},
                "items": [{"amount": ["Too small."]}],
                "non_field_errors": ["Amount exceeds daily limit."],
            },
            "status": 400,
        }
    )
    error = mapped(400, body)

    assert isinstance(error, ValidationFailed)
    assert error.field_errors == {
        "beneficiary.cbu": "Invalid CBU.",
        "items.0.amount": "Too small.",
        "non_field_errors": "Amount exceeds daily limit.",
    }


def test_20000_detail_with_message_and_field_errors_keeps_both() -> None:
    body = json.dumps(
        {
            "code": 20000,
            "detail": {"message": "Invalid input.", "code": "invalid", "amount": ["Too small."]},
            "status": 400,
        }
    )
    error = mapped(400, body)

    assert isinstance(error, ValidationFailed)
    assert error.field_errors == {"amount": "Too small."}
    assert error.messages == ("Invalid input.", "amount: Too small.")


def test_20001_parse_error_is_a_validation_failure() -> None:
    body = envelope(20001, "ParseError", "JSON parse error - Expecting value", "parse_error")
    error = mapped(400, body)

    assert type(error) is ValidationFailed
    assert error.code == 20001
    assert error.messages == ("JSON parse error - Expecting value",)


def test_20010_expired_quote() -> None:
    error = mapped(400, envelope(20010, "ExpiredQuote", "The quote has expired.", "expired"))

    assert type(error) is QuoteExpired
    assert error.code == 20010
    assert error.messages == ("The quote has expired.",)


def test_20011_already_executed_quote() -> None:
    body = envelope(20011, "AlreadyExecutedQuote", "Quote already executed.", "executed")
    error = mapped(400, body)

    assert type(error) is QuoteAlreadyExecuted
    assert error.code == 20011
    assert error.messages == ("Quote already executed.",)


def test_20012_not_enough_balance_is_insufficient_funds() -> None:
    body = envelope(20012, "NotEnoughBalance", "Not enough balance.", "not_enough_balance")
    error = mapped(400, body)

    assert type(error) is InsufficientFunds
    assert error.code == 20012
    assert error.messages == ("Not enough balance.",)
    assert error.requested is None  # Ripio's message names no amounts
    assert error.available is None


@pytest.mark.parametrize(
    ("code", "type_"),
    [
        (20013, "BuyLimitFrequencyExceeded"),
        (20014, "SellLimitFrequencyExceeded"),
        (20015, "BuyLimitAmountExceeded"),
        (20016, "SellLimitAmountExceeded"),
    ],
)
def test_limit_codes_are_limit_exceeded_not_validation_failures(code: int, type_: str) -> None:
    error = mapped(400, envelope(code, type_, "Limit exceeded for end user.", "limit_exceeded"))

    assert type(error) is LimitExceeded
    assert not isinstance(error, ValidationFailed)
    assert error.code == code
    assert error.messages == ("Limit exceeded for end user.",)


def test_code_sent_as_a_string_is_read_as_the_number() -> None:
    body = '{"code": "20012", "detail": {"message": "Not enough balance."}, "status": 400}'
    error = mapped(400, body)

    assert type(error) is InsufficientFunds
    assert error.code == 20012


def test_unknown_code_falls_back_by_status_and_keeps_the_code() -> None:
    body = envelope(20099, "InvalidAddress", "Address is not valid.", "invalid_address")

    error = mapped(400, body)
    assert type(error) is APIError
    assert error.code == 20099
    assert error.messages == ("Address is not valid.",)

    assert type(mapped(404, body)) is NotFound


def test_envelope_without_detail_uses_its_type_as_the_message() -> None:
    error = mapped(400, '{"code": 20012, "type": "NotEnoughBalance", "status": 400}')

    assert type(error) is InsufficientFunds
    assert error.messages == ("NotEnoughBalance",)


def test_plain_drf_detail_without_a_code_falls_back_by_status() -> None:
    error = mapped(404, '{"detail": "Not found."}')

    assert type(error) is NotFound
    assert error.code is None
    assert error.messages == ("Not found.",)


def test_drf_throttling_maps_to_rate_limited_with_retry_after() -> None:
    body = '{"detail": "Request was throttled. Expected available in 38 seconds."}'
    error = mapped(429, body, {"Retry-After": "38"})

    assert type(error) is RateLimited
    assert error.retry_after == Decimal(38)
    assert error.messages == ("Request was throttled. Expected available in 38 seconds.",)


def test_token_endpoint_invalid_client() -> None:
    # What the sandbox answers for bad client credentials (Get Access Token page).
    error = mapped(401, '{"error":"invalid_client"}')

    assert type(error) is AuthenticationFailed
    assert error.code == "invalid_client"
    assert error.messages == ("invalid_client",)
    assert error.body == {"error": "invalid_client"}


def test_token_endpoint_error_description_is_the_message() -> None:
    body = '{"error": "invalid_grant", "error_description": "Invalid credentials given."}'
    error = mapped(400, body)

    assert type(error) is AuthenticationFailed
    assert error.code == "invalid_grant"
    assert error.messages == ("Invalid credentials given.",)


def test_token_endpoint_unauthorized_client() -> None:
    error = mapped(400, '{"error": "unauthorized_client"}')

    assert type(error) is AuthenticationFailed
    assert error.code == "unauthorized_client"


@pytest.mark.parametrize(
    "oauth_error", ["invalid_request", "unsupported_grant_type", "invalid_scope"]
)
def test_token_endpoint_request_errors_are_validation_failures(oauth_error: str) -> None:
    body = json.dumps({"error": oauth_error, "error_description": "Missing grant_type."})
    error = mapped(400, body)

    assert type(error) is ValidationFailed
    assert error.code == oauth_error
    assert error.messages == ("Missing grant_type.",)
    assert error.field_errors == {}


def test_unknown_oauth_error_falls_back_by_status() -> None:
    error = mapped(401, '{"error": "access_denied"}')

    assert type(error) is AuthenticationFailed
    assert error.code == "access_denied"


def test_the_tables_are_data() -> None:
    assert dict(CODES) == {
        20000: ValidationFailed,
        20001: ValidationFailed,
        20010: QuoteExpired,
        20011: QuoteAlreadyExecuted,
        20012: InsufficientFunds,
        20013: LimitExceeded,
        20014: LimitExceeded,
        20015: LimitExceeded,
        20016: LimitExceeded,
        40001: AuthenticationFailed,
    }
    assert dict(OAUTH_ERRORS) == {
        "invalid_client": AuthenticationFailed,
        "invalid_grant": AuthenticationFailed,
        "unauthorized_client": AuthenticationFailed,
        "invalid_request": ValidationFailed,
        "invalid_scope": ValidationFailed,
        "unsupported_grant_type": ValidationFailed,
    }


def test_a_top_level_message_is_used_when_there_is_no_detail() -> None:
    error = mapped(503, '{"message": "Service under maintenance (01:00-06:00 GMT)."}')

    assert error.messages == ("Service under maintenance (01:00-06:00 GMT).",)
    assert "Service under maintenance" in str(error)


@pytest.mark.parametrize(
    "code",
    ["\u00b2", "\u0662\u0660\u0660\u0661\u0662", "\uff12\uff10\uff10\uff10\uff10", "20012\u00b9"],
)
def test_a_code_of_unicode_digits_is_no_code_and_never_raises(code: str) -> None:
    # str.isdigit() says yes to "²" and to Arabic-Indic or fullwidth digits; int() refuses the
    # first and reads the others as 20012. Only ASCII digits are a Ripio code.
    error = mapped(400, json.dumps({"code": code, "detail": "x"}))

    assert type(error) is APIError
    assert error.code is None
    assert error.messages == ("x",)


def test_a_bare_drf_400_with_field_errors_is_validation_failed() -> None:
    body = '{"amount": ["A valid number is required."], "network": ["Unsupported."]}'

    error = mapped(400, body)

    assert type(error) is ValidationFailed
    assert error.code is None
    assert error.field_errors == {
        "amount": "A valid number is required.",
        "network": "Unsupported.",
    }
    assert error.messages == ("amount: A valid number is required.", "network: Unsupported.")
    assert "amount: A valid number is required." in str(error)


def test_a_bare_drf_400_reads_strings_and_nested_serializers_too() -> None:
    body = '{"address": "This field is required.", "beneficiary": {"cbu": ["Invalid CBU."]}}'

    error = mapped(400, body)

    assert type(error) is ValidationFailed
    assert error.field_errors == {
        "address": "This field is required.",
        "beneficiary.cbu": "Invalid CBU.",
    }


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (409, '{"amount": ["A valid number is required."]}'),  # not DRF's validation status
        (400, '{"message": "something went wrong"}'),  # an envelope key, not a field
        (400, '{"amount": ["ok"], "status": 400}'),
        (400, '{"amount": 5}'),  # not messages
        (400, '{"amount": []}'),
        (400, "{}"),
    ],
)
def test_other_bodies_without_a_code_are_not_read_as_field_errors(status: int, body: str) -> None:
    error = mapped(status, body)

    assert type(error) is APIError
    assert not isinstance(error, ValidationFailed)
