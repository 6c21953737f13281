"""Raw calls to a fake's pure request handler: the wire as a client would write it."""

from __future__ import annotations

import hashlib
from typing import Any

from withdrawkit import _wire_json as wire_json
from withdrawkit.testing import FakeOneKonto, FakeProvider, FakeRequest, FakeResponse, FakeRipio


def call(
    fake: FakeProvider[Any],
    method: str,
    path: str,
    *,
    json: Any = None,
    body: bytes | None = None,
    token: str | None = None,
    query: str = "",
    headers: dict[str, str] | None = None,
) -> FakeResponse:
    """One request through ``fake.handle``; fails the test if the fake did not answer."""
    all_headers = dict(headers or {})
    if token is not None:
        all_headers["Authorization"] = f"Bearer {token}"
    if json is not None:
        body = wire_json.dumps(json).encode()
        all_headers["Content-Type"] = "application/json"
    request = FakeRequest.build(
        method, path, query_string=query, headers=all_headers, body=body or b""
    )
    outcome = fake.handle(request)
    assert isinstance(outcome, FakeResponse), f"expected an answer, got {outcome!r}"
    return outcome


def onekonto_login(fake: FakeOneKonto) -> str:
    digest = hashlib.sha256(fake.password.encode()).hexdigest()
    response = call(
        fake, "POST", "/api/v1/identity/jwt", json={"user": fake.user, "password": digest}
    )
    assert response.status == 200, response.body
    token = response.json()["token"]
    assert isinstance(token, str)
    return token


def ripio_token(fake: FakeRipio) -> str:
    form = (
        f"grant_type=client_credentials&client_id={fake.client_id}"
        f"&client_secret={fake.client_secret}"
    )
    response = call(
        fake,
        "POST",
        "/oauth2/token/",
        body=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 200, response.body
    token = response.json()["access_token"]
    assert isinstance(token, str)
    return token


def account_path(fake: FakeOneKonto, suffix: str = "") -> str:
    return f"/api/v1/accounting/account/{fake.account_id}{suffix}"
