"""redaction: secrets are masked by name in headers, JSON, forms, URLs and free text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from withdrawkit._redaction import (
    REDACTED,
    is_secret_field,
    is_secret_header,
    redact_headers,
    redact_json,
    redact_text,
    redact_url,
    shape_of,
)

TOKEN = "gAgXJcRMnGP6TG9vFcepgP6OMtProD"
DIGEST = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "Password",
        "client_secret",
        "clientSecret",
        "access_token",
        "accessToken",
        "refresh_token",
        "token",
        "id_token",
        "secret",
        "api_key",
        "X-Api-Key",
        "private_key",
        "passphrase",
        "pin",
        "otp",
        "jwt",
        "accessJwt",
    ],
)
def test_secret_field_names(name: str) -> None:
    assert is_secret_field(name)


@pytest.mark.parametrize(
    "name",
    ["user", "amount", "address", "client_id", "grant_type", "network", "expires_in", "token_type"],
)
def test_ordinary_field_names(name: str) -> None:
    assert not is_secret_field(name)


@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "authorization",
        "Proxy-Authorization",
        "X-Api-Key",
        "X-Auth-Token",
        "X-Client-Secret",
        "Cookie",
        "Set-Cookie",
    ],
)
def test_secret_header_names(name: str) -> None:
    assert is_secret_header(name)


@pytest.mark.parametrize("name", ["Content-Type", "User-Agent", "Retry-After", "X-Request-Id"])
def test_ordinary_header_names(name: str) -> None:
    assert not is_secret_header(name)


def test_redact_headers_keeps_the_auth_scheme_only() -> None:
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Proxy-Authorization": "Basic aWQ6c2VjcmV0",
        "X-Api-Key": "k-123",
        "Content-Type": "application/json",
    }

    assert redact_headers(headers) == {
        "Authorization": f"Bearer {REDACTED}",
        "Proxy-Authorization": f"Basic {REDACTED}",
        "X-Api-Key": REDACTED,
        "Content-Type": "application/json",
    }
    assert headers["Authorization"] == f"Bearer {TOKEN}"  # the original is not modified


def test_redact_json_masks_secret_fields_at_any_depth() -> None:
    body = {
        "user": "u@example.com",
        "password": DIGEST,
        "nested": [{"client_secret": "s3cr3t", "amount": Decimal("1.5")}],
        "credentials": {"anything": "inside"},
        "access_token": TOKEN,
    }

    assert redact_json(body) == {
        "user": "u@example.com",
        "password": REDACTED,
        "nested": [{"client_secret": REDACTED, "amount": Decimal("1.5")}],
        "credentials": REDACTED,
        "access_token": REDACTED,
    }


def test_redact_url_masks_secret_query_parameters_and_userinfo() -> None:
    url = f"https://user:pw@api.example/api/v1/x/?page=2&access_token={TOKEN}&pair=USDT/USD"

    redacted = redact_url(url)

    assert TOKEN not in redacted
    assert "pw" not in redacted
    assert redacted.startswith("https://api.example/api/v1/x/?page=2&access_token=")
    assert "pair=USDT/USD" in redacted


def test_redact_url_leaves_an_ordinary_url_alone() -> None:
    url = "https://sandbox-b2b.ripio.com/api/v1/withdrawals/?page=2"

    assert redact_url(url) == url


def test_redact_text_masks_json_pairs_even_when_truncated() -> None:
    complete = f'{{"access_token": "{TOKEN}", "expires_in": 36000, "token_type": "Bearer"}}'
    truncated = f'{{"access_token": "{TOKEN[:12]}'

    assert TOKEN not in redact_text(complete)
    assert '"expires_in": 36000' in redact_text(complete)
    assert TOKEN[:12] not in redact_text(truncated)


def test_redact_text_masks_escaped_quotes_inside_a_secret() -> None:
    text = r'{"password": "a\"b-secret-part", "user": "u"}'

    assert "secret-part" not in redact_text(text)
    assert '"user": "u"' in redact_text(text)


def test_redact_text_masks_form_pairs_and_auth_credentials() -> None:
    form = "grant_type=client_credentials&client_id=id&client_secret=s3cr3t"
    header = f"Authorization: Bearer {TOKEN}"

    assert redact_text(form) == (
        f"grant_type=client_credentials&client_id=id&client_secret={REDACTED}"
    )
    assert redact_text(header) == f"Authorization: Bearer {REDACTED}"


def test_redact_text_leaves_prose_alone() -> None:
    text = "Basic authentication required; token expired. Amount: must be positive"

    assert redact_text(text) == text


JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJlc2VjcmV0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("X-Api-Key: k3y-abcdef", f"X-Api-Key: {REDACTED}"),
        ("password: hunter2", f"password: {REDACTED}"),
        ("client_secret: s3cr3t", f"client_secret: {REDACTED}"),
        ("Set-Cookie: sessionid=abc; Path=/", f"Set-Cookie: {REDACTED}"),
        ("Proxy-Authorization: Basic aWQ6c2VjcmV0", f"Proxy-Authorization: Basic {REDACTED}"),
        (
            "<pre>X-Api-Key: k3y-abcdef\nX-Password: hunter2</pre>",
            f"<pre>X-Api-Key: {REDACTED}\nX-Password: {REDACTED}</pre>",
        ),
        ("ValidationFailed: Password: hunter2", f"ValidationFailed: Password: {REDACTED}"),
        ('{"note": "token: abc", "n": 1}', f'{{"note": "token: {REDACTED}", "n": 1}}'),
        (
            "Content-Type: text/html\nX-Request-Id: r-1",
            "Content-Type: text/html\nX-Request-Id: r-1",
        ),
    ],
)
def test_redact_text_masks_header_style_lines(text: str, expected: str) -> None:
    assert redact_text(text) == expected


def test_redact_text_masks_single_quoted_pairs_as_a_python_repr_writes_them() -> None:
    assert redact_text("{'client_secret': 's3cr3t', 'client_id': 'id'}") == (
        f"{{'client_secret': '{REDACTED}', 'client_id': 'id'}}"
    )


def test_redact_text_masks_url_encoded_pairs() -> None:
    text = "next=https%3A%2F%2Fh%2Fcb%3Faccess_token%3Ds3cr3t%26page%3D2"

    assert redact_text(text) == (
        f"next=https%3A%2F%2Fh%2Fcb%3Faccess_token%3D{REDACTED}%26page%3D2"
    )


def test_redact_text_keeps_what_follows_a_cookie_value() -> None:
    assert redact_text("sessionid=abc; Path=/") == f"sessionid={REDACTED}; Path=/"


@pytest.mark.parametrize(
    "text",
    [
        JWT,
        f"token {JWT} is not valid",
        f'"{JWT}"',
        f"jwt={JWT}",
        "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1In0.",
    ],
)
def test_redact_text_masks_anything_shaped_like_a_jwt(text: str) -> None:
    redacted = redact_text(text)

    assert "eyJ" not in redacted
    assert REDACTED in redacted


def test_redaction_is_idempotent() -> None:
    text = (
        f'{{"password": "x"}} Authorization: Bearer {TOKEN}\n'
        f"client_secret=s&x=1 {JWT} 'token': 't' sessionid=abc; Path=/"
    )

    once = redact_text(text)
    assert redact_text(once) == once


def test_redact_url_masks_secret_parameters_in_the_fragment() -> None:
    url = "https://h/x?client_secret=abc&page=2#access_token=xyz&state=s1"

    assert redact_url(url) == (
        f"https://h/x?client_secret={REDACTED}&page=2#access_token={REDACTED}&state=s1"
    )
    assert redact_url("https://h/x#top") == "https://h/x#top"


def test_redact_json_masks_secrets_inside_ordinary_strings() -> None:
    body = {"error": f"token {JWT} is not valid", "detail": [f"Bearer {TOKEN}"], "n": 1}

    assert redact_json(body) == {
        "error": f"token {REDACTED} is not valid",
        "detail": [f"Bearer {REDACTED}"],
        "n": 1,
    }


def test_shape_of_names_keys_and_types_but_no_value() -> None:
    answer = {"jwt": JWT, "expires_in": 3600, "scope": None}

    shape = shape_of(answer)

    assert (
        shape
        == "a JSON object with 'jwt' (str), 'expires_in' (int), 'scope' (NoneType); values withheld"
    )
    assert redact_text(shape) == shape  # nothing in it looks like a pair to mask
    assert shape_of(JWT) == f"text of {len(JWT)} characters; withheld"
    assert shape_of([1, 2]) == "a JSON array of 2 items; values withheld"
    assert JWT not in shape_of(JWT)
