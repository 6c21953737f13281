"""The exception classes themselves: their text, their secrets (none), and pickling."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

import withdrawkit.exceptions as exceptions_module
from withdrawkit.amount import Amount
from withdrawkit.exceptions import (
    APIError,
    AuthenticationFailed,
    InsufficientFunds,
    LimitExceeded,
    OutcomeUnknown,
    QuoteAlreadyExecuted,
    QuoteExpired,
    RateLimited,
    TransportError,
    UnexpectedResponse,
    ValidationFailed,
    WithdrawKitError,
)

TOKEN = "gAgXJcRMnGP6TG9vFcepgP6OMtProD"


def test_new_classes_are_api_errors_in_the_tree() -> None:
    for cls in (QuoteExpired, QuoteAlreadyExecuted, LimitExceeded):
        assert issubclass(cls, APIError)
        assert issubclass(cls, WithdrawKitError)
        assert cls.__name__ in exceptions_module.__all__
    assert not issubclass(LimitExceeded, ValidationFailed)


def test_api_error_text_names_provider_status_code_and_messages() -> None:
    error = ValidationFailed(
        provider="1Konto",
        http_status=400,
        code="ValidationFailed",
        messages=["ValidationFailed: Amount: must be positive"],
        field_errors={"Amount": "must be positive"},
    )

    assert str(error) == (
        "1Konto refused the request (HTTP 400, code ValidationFailed): "
        "ValidationFailed: Amount: must be positive"
    )


def test_refused_before_sending_has_no_status() -> None:
    error = ValidationFailed(provider="Ripio", messages=["amount must be positive"])

    assert error.http_status is None
    assert str(error) == "request to Ripio refused before sending: amount must be positive"


def test_exception_text_masks_secrets_the_server_echoed() -> None:
    error = AuthenticationFailed(
        provider="Ripio",
        http_status=401,
        messages=[f"token {TOKEN} rejected", f"client_secret=hunter2&x=1 Bearer {TOKEN}"],
    )

    assert TOKEN not in str(error)
    assert TOKEN not in repr(error)
    assert "hunter2" not in str(error)


def test_unexpected_response_text_masks_a_truncated_token_body() -> None:
    error = UnexpectedResponse(
        "POST https://x/oauth2/token/: the body is not JSON",
        http_status=200,
        body=f'{{"access_token": "{TOKEN}", "expires_in": 360',
    )

    assert TOKEN not in str(error)
    assert TOKEN not in repr(error)
    assert "expires_in" in str(error)


def test_unexpected_response_quotes_an_html_title() -> None:
    error = UnexpectedResponse(
        "GET https://x/: the body is not JSON",
        http_status=200,
        body="<html><head><title>Maintenance</title></head><body>...</body></html>",
    )

    assert str(error) == "GET https://x/: the body is not JSON (HTTP 200): Maintenance"


@pytest.mark.parametrize(
    "error",
    [
        TransportError("GET https://x/: connect timed out", method="GET", url="https://x/"),
        OutcomeUnknown("POST https://x/: read timed out", method="POST", url="https://x/"),
        UnexpectedResponse("GET https://x/: empty", http_status=200, body=""),
        APIError(provider="Ripio", http_status=418, code=29999, messages=["teapot"], body={"a": 1}),
        ValidationFailed(provider="1Konto", http_status=400, field_errors={"Amount": "required"}),
        InsufficientFunds(
            provider="1Konto",
            http_status=424,
            requested=Amount(Decimal("10000"), "USDT"),
            available=Amount(Decimal("1000"), "USDT"),
        ),
        RateLimited(provider="Ripio", http_status=429, retry_after=Decimal(3)),
        LimitExceeded(provider="Ripio", http_status=400, code=20015),
    ],
    ids=lambda error: type(error).__name__,
)
def test_exceptions_survive_pickling_with_their_fields(error: WithdrawKitError) -> None:
    # Celery pickles a task's exception to report it; a failure must not become another one.
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own object

    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert vars(copy) == vars(error)
