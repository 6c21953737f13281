"""What a client says about itself and about what it called: the User-Agent it sends, and the
method and path an APIError names."""

from __future__ import annotations

import pickle

import pytest
import requests
import responses

import withdrawkit as wk
from withdrawkit._request_building import USER_AGENT

BASE = "https://sandbox-b2b.ripio.com"
TOKEN_URL = f"{BASE}/oauth2/token/"
WITHDRAWAL_URL = f"{BASE}/api/v1/withdrawals/w-1/"


def add_token(mock: responses.RequestsMock) -> None:
    mock.add(
        responses.POST,
        TOKEN_URL,
        json={"access_token": "tok", "expires_in": 36000, "token_type": "Bearer", "scope": "x"},
    )


def sent_user_agents(mock: responses.RequestsMock) -> set[str]:
    return {str(call.request.headers["User-Agent"]) for call in mock.calls}


def test_without_app_info_the_user_agent_is_withdrawkits(mock: responses.RequestsMock) -> None:
    add_token(mock)
    mock.add(responses.GET, WITHDRAWAL_URL, status=404, json={"detail": "Not found."})
    client = wk.RipioClient(BASE, client_id="id", client_secret="s")
    with client, pytest.raises(wk.NotFound):
        client.get_withdrawal("w-1")
    assert sent_user_agents(mock) == {USER_AGENT}


def test_user_agent_argument_comes_first(mock: responses.RequestsMock) -> None:
    add_token(mock)
    mock.add(responses.GET, WITHDRAWAL_URL, status=404, json={"detail": "Not found."})
    client = wk.RipioClient(BASE, client_id="id", client_secret="s", user_agent="payouts/2.1")
    with client, pytest.raises(wk.NotFound):
        client.get_withdrawal("w-1")
    assert sent_user_agents(mock) == {f"payouts/2.1 {USER_AGENT}"}


def test_a_user_agent_on_the_callers_session_is_kept(mock: responses.RequestsMock) -> None:
    add_token(mock)
    mock.add(responses.GET, WITHDRAWAL_URL, status=404, json={"detail": "Not found."})
    session = requests.Session()
    session.headers["User-Agent"] = "acme-django/4.2"
    client = wk.RipioClient(
        BASE, client_id="id", client_secret="s", session=session, user_agent="payouts/2.1"
    )
    with client, pytest.raises(wk.NotFound):
        client.get_withdrawal("w-1")
    assert sent_user_agents(mock) == {f"payouts/2.1 acme-django/4.2 {USER_AGENT}"}
    assert session.headers["User-Agent"] == "acme-django/4.2"  # the caller's session is unchanged


@pytest.mark.parametrize("bad", ["", "  ", "a\r\nX-Injected: 1", "caf\u00e9/1"])
def test_a_user_agent_that_cannot_be_a_header_is_refused(bad: str) -> None:
    with pytest.raises(wk.InvalidArgument):
        wk.RipioClient(BASE, client_id="id", client_secret="s", user_agent=bad)


def test_a_refusal_names_the_method_and_path_but_not_the_query(
    mock: responses.RequestsMock,
) -> None:
    mock.add(
        responses.POST,
        f"{BASE}/oauth2/token/",
        json={"access_token": "tok", "expires_in": 36000, "token_type": "Bearer", "scope": "x"},
    )
    mock.add(
        responses.GET,
        f"{BASE}/api/v1/end-users/c-1/beneficiary-fiat-accounts/",
        status=400,
        json={
            "code": 20000,
            "type": "ValidationError",
            "detail": {"payment_method_type": ["bad choice"]},
        },
    )
    client = wk.RipioClient(BASE, client_id="id", client_secret="s")
    with client, pytest.raises(wk.ValidationFailed) as refused:
        client.list_beneficiary_fiat_accounts("c-1", payment_method_type="s3cr3t-looking-value")
    error = refused.value
    assert error.method == "GET"
    assert error.path == "/api/v1/end-users/c-1/beneficiary-fiat-accounts/"
    assert str(error).startswith(
        "Ripio refused GET /api/v1/end-users/c-1/beneficiary-fiat-accounts/ (HTTP 400, code 20000)"
    )
    assert "s3cr3t" not in str(error)
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert (restored.method, restored.path, str(restored)) == (error.method, error.path, str(error))
