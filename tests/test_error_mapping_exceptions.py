"""The exception classes themselves: their text, their secrets (none), and pickling."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

import withdrawkit._exceptions as exceptions_module
from withdrawkit._amount import Amount
from withdrawkit._error_mapping import ErrorResponse
from withdrawkit._error_mapping.common import Reading, build_error
from withdrawkit._exceptions import (
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
from withdrawkit._server_excerpts import html_title

TOKEN = "gAgXJcRMnGP6TG9vFcepgP6OMtProD"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlc2VjcmV0"


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


def test_an_html_title_after_text_that_lowercases_longer_is_quoted_whole() -> None:
    # "İ".lower() is two characters: positions found in html.lower() would be off by one each.
    body = "İİ<html><head><TITLE>Maintenance</Title></head></html>"

    assert html_title(body) == "Maintenance"
    error = UnexpectedResponse("GET https://x/: the body is not JSON", http_status=503, body=body)
    assert str(error).endswith("(HTTP 503): Maintenance")


@pytest.mark.parametrize(
    "error",
    [
        TransportError("GET https://x/: connect timed out", method="GET", url="https://x/"),
        OutcomeUnknown("POST https://x/: read timed out", method="POST", url="https://x/"),
        OutcomeUnknown(
            "POST https://x/: the server answered HTTP 502",
            method="POST",
            url="https://x/",
            http_status=502,
            body="<html><title>502 Bad Gateway</title></html>",
        ),
        UnexpectedResponse("GET https://x/: does not fit", http_status=None, body="{}"),
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


# -- what the fields keep ----------------------------------------------------------------------


def test_api_error_fields_and_pickles_hold_no_secret_the_server_echoed() -> None:
    body = {
        "error": "ValidationFailed: bad request",
        "echo": {"headers": {"Authorization": f"Bearer {JWT}"}},
        "token": JWT,
        "note": f"your token {JWT} was refused",
        "amount": Decimal("1.5"),
    }
    error = ValidationFailed(
        provider="1Konto",
        http_status=400,
        messages=[f"token {JWT} is not valid", "Authorization: Bearer " + TOKEN],
        body=body,
        field_errors={"token": f"{JWT} is expired"},
    )

    for shown in (str(error), repr(error), repr(error.body), repr(error.messages)):
        assert JWT not in shown
        assert TOKEN not in shown
    assert JWT not in repr(error.field_errors)
    assert JWT.encode() not in pickle.dumps(error)
    assert TOKEN.encode() not in pickle.dumps(error)
    assert error.body == {
        "error": "ValidationFailed: bad request",
        "echo": {"headers": {"Authorization": "[REDACTED]"}},
        "token": "[REDACTED]",
        "note": "your token [REDACTED] was refused",
        "amount": Decimal("1.5"),
    }
    assert error.messages == ("token [REDACTED] is not valid", "Authorization: Bearer [REDACTED]")
    assert body["token"] == JWT  # the caller's object is not modified


def test_a_text_body_is_kept_with_echoed_headers_masked() -> None:
    page = f"<html><body><pre>Authorization: Bearer {JWT}\nX-Password: hunter2</pre></body></html>"
    error = APIError(provider="1Konto", http_status=500, body=page)

    assert isinstance(error.body, str)
    assert JWT not in error.body
    assert "hunter2" not in error.body
    assert "Authorization: Bearer [REDACTED]" in error.body


def test_outcome_unknown_keeps_the_answer_masked() -> None:
    error = OutcomeUnknown(
        "POST https://x/: the server answered HTTP 502",
        method="POST",
        url="https://x/",
        http_status=502,
        body={"detail": f"upstream said Bearer {TOKEN}"},
    )

    assert error.http_status == 502
    assert error.body == {"detail": "upstream said Bearer [REDACTED]"}
    assert TOKEN.encode() not in pickle.dumps(error)


def test_outcome_unknown_after_a_transport_failure_has_no_answer() -> None:
    error = OutcomeUnknown("POST https://x/: read timed out", method="POST", url="https://x/")

    assert error.http_status is None
    assert error.body is None


def test_unexpected_response_body_is_masked_and_its_status_may_be_unknown() -> None:
    error = UnexpectedResponse(
        "get_withdrawal: the response does not fit", http_status=None, body=f'{{"jwt": "{JWT}"}}'
    )

    assert error.http_status is None
    assert JWT not in error.body
    assert str(error) == 'get_withdrawal: the response does not fit: {"jwt": "[REDACTED]"}'


def test_a_shape_error_does_not_invent_the_status_of_the_answer() -> None:
    # The transport returns the body of any 2xx without its status: a 201 is not "HTTP 200".
    from withdrawkit._response_reading import ALREADY_ACCEPTED, read_response
    from withdrawkit_generated.ripio import Withdrawal

    with pytest.raises(UnexpectedResponse) as raised:
        read_response({"id": "w-1"}, Withdrawal, operation="create_withdrawal", accepted=True)

    assert raised.value.http_status is None
    assert "HTTP" not in str(raised.value)
    assert ALREADY_ACCEPTED in str(raised.value)

    with pytest.raises(UnexpectedResponse) as known:
        read_response({"id": "w-1"}, Withdrawal, operation="create_withdrawal", http_status=201)

    assert known.value.http_status == 201
    assert "(HTTP 201)" in str(known.value)


def test_a_secret_answer_of_the_wrong_shape_keeps_only_its_shape() -> None:
    from withdrawkit._response_reading import read_response
    from withdrawkit_generated.ripio import TokenResponse

    with pytest.raises(UnexpectedResponse) as raised:
        read_response({"jwt": "opaque-s3cret"}, TokenResponse, operation="token", secret=True)

    assert "opaque-s3cret" not in str(raised.value)
    assert raised.value.body == "a JSON object with 'jwt' (str); values withheld"


def _every_subclass(cls: type[APIError]) -> list[type[APIError]]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in _every_subclass(child))]


@pytest.mark.parametrize("cls", _every_subclass(APIError), ids=lambda cls: cls.__name__)
def test_every_refusal_class_is_built_and_pickled_from_its_extra_fields(
    cls: type[APIError],
) -> None:
    # A class whose extra_fields the tables cannot fill, or that pickling loses, fails here.
    response = ErrorResponse.from_body(400, '{"errors": ["Something: went wrong"]}')
    built = build_error(Reading(exception=cls), response, provider="1Konto", body={})
    assert type(built) is cls
    restored = pickle.loads(pickle.dumps(built))  # noqa: S301 - our own object
    for name in ("provider", "http_status", "method", "path", *cls.extra_fields):
        assert getattr(restored, name) == getattr(built, name), name
