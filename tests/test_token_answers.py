"""Login and token answers: the token is taken out as a Secret before anything can fail, the
rest is read as the model, and a malformed answer keeps only its shape."""

from __future__ import annotations

import pickle
import traceback
from decimal import Decimal

import pytest

from withdrawkit._exceptions import UnexpectedResponse
from withdrawkit._secrets import Sealed, Secret
from withdrawkit._token_answers import read_token_answer
from withdrawkit_generated.onekonto import LoginResponse
from withdrawkit_generated.ripio import TokenResponse


def login_token(answer: object) -> Secret:
    token, _ = read_token_answer(
        Sealed(answer), LoginResponse, wire_name="token", operation="login"
    )
    return token


@pytest.mark.parametrize(
    "token",
    [
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln",
        "abcXYZ019-._~+/",
        "base64-padded==",
        "x",
    ],
)
def test_rfc6750_bearer_tokens_are_accepted(token: str) -> None:
    assert login_token({"token": token}) == Secret(token)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "s3cr3t\r\n",
        "s3cr3t\nX-Evil: 1",
        "s3cr3t tok",
        " s3cr3t",
        "s3cr3t\t",
        "s3cr3t\u00e9",
        "s3cr3t\u0663",
        "s3=cr3t",
        "=s3cr3t",
        "s3cr3t,more",
        None,
        123,
    ],
)
def test_tokens_that_cannot_follow_bearer_are_refused_without_showing_them(token: object) -> None:
    with pytest.raises(UnexpectedResponse, match="login: the token") as raised:
        login_token({"token": token, "other": "s3cr3t-other"})
    assert "s3cr3t" not in str(raised.value)
    assert "s3cr3t" not in raised.value.body
    assert "'token'" in raised.value.body


def test_the_model_is_read_with_a_placeholder_for_the_token_and_without_unknown_fields() -> None:
    answer = {
        "access_token": "tok-1",
        "token_type": "Bearer",
        "expires_in": 36000,
        "refresh_token": "r3fresh",
    }

    token, issued = read_token_answer(
        Sealed(answer), TokenResponse, wire_name="access_token", operation="get access token"
    )

    assert token == Secret("tok-1")
    assert issued.access_token == "[REDACTED]"
    assert (issued.token_type, issued.expires_in) == ("Bearer", Decimal(36000))


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (["tok-1"], "the response does not match LoginResponse"),
        ("tok-1", "the response does not match LoginResponse"),
        (None, "the response does not match LoginResponse"),  # a 204
        ({}, "the token is missing or is not text"),
    ],
)
def test_an_answer_without_token_text_is_refused_by_its_shape(answer: object, problem: str) -> None:
    with pytest.raises(UnexpectedResponse, match=f"login: {problem}") as raised:
        login_token(answer)
    assert "tok-1" not in str(raised.value)


def test_a_model_mismatch_chains_to_no_exception_that_saw_the_answer() -> None:
    answer = Sealed({"access_token": "tok-1", "token_type": "Bearer", "expires_in": "soon"})

    with pytest.raises(UnexpectedResponse, match="does not match TokenResponse") as raised:
        read_token_answer(answer, TokenResponse, wire_name="access_token", operation="token")

    assert raised.value.__cause__ is None
    assert raised.value.__context__ is None  # cattrs' frames held the answer (token masked)
    assert raised.value.body == (
        "a JSON object with 'access_token' (str), 'token_type' (str), 'expires_in' (str); "
        "values withheld"
    )
    shown = traceback.TracebackException.from_exception(raised.value, capture_locals=True)
    assert "tok-1" not in "".join(shown.format())


def test_a_sealed_answer_shows_only_its_type_and_is_not_pickled() -> None:
    sealed = Sealed({"token": "tok-1"})
    assert repr(sealed) == str(sealed) == "Sealed(dict, [REDACTED])"
    assert sealed.unsealed() == {"token": "tok-1"}
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(sealed)


@pytest.mark.parametrize(
    ("token_type", "told"),
    [("s3cr3t-echoed", "13 characters long"), ("", "empty"), ("mac", "3 characters long")],
)
def test_a_token_type_other_than_bearer_is_refused_by_its_length_only(
    token_type: str, told: str
) -> None:
    answer = Sealed({"access_token": "tok-1", "token_type": token_type})

    with pytest.raises(UnexpectedResponse) as raised:
        read_token_answer(
            answer,
            TokenResponse,
            wire_name="access_token",
            operation="token",
            type_name="token_type",
        )

    assert str(raised.value).startswith(
        f"token: the token's token_type is not Bearer (it is {told}, not shown); "
        "the token was not used"
    )
    formatted = traceback.TracebackException.from_exception(raised.value, capture_locals=True)
    # withdrawkit's frames only: this test's own hold the values as parameters.
    shown = [repr(frame.locals) for frame in formatted.stack if "/withdrawkit/" in frame.filename]
    assert shown  # the frames of read_token_answer were seen
    assert [text for text in shown if "tok-1" in text or (token_type and token_type in text)] == []
    assert not token_type or token_type not in str(raised.value)


@pytest.mark.parametrize("token_type", ["Bearer", "bearer", "BEARER"])
def test_a_bearer_token_type_is_accepted_in_any_case(token_type: str) -> None:
    answer = Sealed({"access_token": "tok-1", "token_type": token_type})
    token, issued = read_token_answer(
        answer, TokenResponse, wire_name="access_token", operation="token", type_name="token_type"
    )
    assert (token, issued.token_type) == (Secret("tok-1"), token_type)
