"""Transport and the caller's session: which session is closed, and how a money-moving request
goes through the caller's adapters with urllib3's own retries off.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
import responses
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from tests.transport_support import BASE
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._transport import Transport

# -- sessions --------------------------------------------------------------------------------------


class SpySession(requests.Session):
    closed = False

    def close(self) -> None:
        self.closed = True
        super().close()


def test_close_closes_the_session_the_transport_made(monkeypatch: pytest.MonkeyPatch) -> None:
    made_sessions: list[SpySession] = []

    def make() -> SpySession:
        made_sessions.append(SpySession())
        return made_sessions[-1]

    monkeypatch.setattr("withdrawkit._transport.requests.Session", make)
    Transport(BASE, provider="Ripio", map_error=map_ripio_error).close()

    assert [session.closed for session in made_sessions] == [True]


def test_a_session_the_caller_passed_is_used_and_left_open(mock: responses.RequestsMock) -> None:
    session = SpySession()
    session.headers["X-Team"] = "payments"
    mock.get(f"{BASE}/api/v1/x", json={})

    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made:
        made.request("GET", "/api/v1/x")

    assert mock.calls[0].request.headers["X-Team"] == "payments"
    assert not session.closed
    session.close()


# -- the caller's adapters -------------------------------------------------------------------------


class RecordingAdapter(HTTPAdapter):
    """A caller's adapter subclass: records which Retry each request was sent with."""

    def __init__(self, sent: list[tuple[str, Retry]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sent = sent

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self.sent.append((request.method or "", self.max_retries))
        return super().send(request, *args, **kwargs)


def test_money_posts_go_through_the_callers_adapter_with_urllib3_retries_off(
    mock: responses.RequestsMock,
) -> None:
    sent: list[tuple[str, Retry]] = []
    retry = Retry(total=3, allowed_methods=None, status_forcelist=[502, 503])
    adapter = RecordingAdapter(sent, max_retries=retry)
    session = requests.Session()
    session.mount("https://", adapter)
    mock.get(f"{BASE}/api/v1/x", json={})
    mock.post(f"{BASE}/oauth2/token/", json={})
    mock.post(f"{BASE}/api/v1/withdrawals/", status=201, json={"id": "w-1"})

    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made:
        made.request("GET", "/api/v1/x")
        made.request("POST", "/oauth2/token/", form={"grant_type": "client_credentials"})
        made.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    (get, get_retry), (login, login_retry), (money, money_retry) = sent
    assert (get, login, money) == ("GET", "POST", "POST")
    assert get_retry is retry  # reads keep the caller's retries
    assert login_retry is retry
    # The money POST went through a copy of the caller's adapter (its overridden send ran)
    # with requests' default Retry, which re-sends nothing.
    assert money_retry.total == 0
    assert money_retry.read is False
    assert not money_retry.is_retry("POST", 503, has_retry_after=True)
    # The caller's session and adapter are left as they were.
    assert session.adapters["https://"] is adapter
    assert adapter.max_retries is retry
    session.close()


def test_a_session_subclass_and_its_cookies_still_apply_to_money_posts(
    mock: responses.RequestsMock,
) -> None:
    class SigningSession(requests.Session):
        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
            request.headers["X-Signed"] = "yes"
            return super().send(request, **kwargs)

    session = SigningSession()
    mock.post(
        f"{BASE}/api/v1/withdrawals/",
        status=201,
        json={"id": "w-1"},
        headers={"Set-Cookie": "route=b2; Path=/"},
    )

    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made:
        made.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert mock.calls[0].request.headers["X-Signed"] == "yes"
    assert session.cookies.get("route") == "b2"  # the caller's cookie jar got it


def test_a_session_hook_that_reads_the_body_first_does_not_hide_it(
    mock: responses.RequestsMock,
) -> None:
    seen: list[bytes] = []

    def hook(response: requests.Response, *args: object, **kwargs: object) -> None:
        seen.append(response.content)

    session = requests.Session()
    session.hooks["response"].append(hook)
    mock.get(f"{BASE}/api/v1/x", json={"ok": True})

    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made:
        assert made.request("GET", "/api/v1/x") == {"ok": True}

    assert seen == [b'{"ok": true}']
