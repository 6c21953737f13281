"""redaction: secrets are masked by name in headers, JSON, forms, URLs and free text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from withdrawkit.redaction import (
    REDACTED,
    is_secret_field,
    is_secret_header,
    redact_headers,
    redact_json,
    redact_text,
    redact_url,
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
