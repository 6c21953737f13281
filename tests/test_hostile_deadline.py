"""One deadline for the whole answer, against servers that trickle where urllib3 cannot see.

Each server (tests.hostile_cases) keeps every wait within the read timeout and completes a
valid answer after TRICKLE.spread_over seconds. Before the deadline covered the status line,
headers, 100 Continue lines and body framing, these calls returned that late answer (or waited
for it); now the transport gives up at connect + read timeout, well before the trickle would
end, and the server sees it hang up before its script completes. No test times the call: the
server's count of scripts cut short by the client's hang-up is what is asserted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.hostile_cases import Trickle, slow_cases
from tests.loopback import Script, ScriptedServer
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import OutcomeUnknown, TransportError
from withdrawkit._transport import Transport

# A deadline of 0.3 s, against answers spread over 1.2 s with a byte every 0.02 s: each wait
# is a tenth of the read timeout, so a loaded machine does not make a trickle a read timeout.
TIMEOUT = (0.1, 0.2)
TRICKLE = Trickle(every=0.02, spread_over=1.2)
SLOW_CASES = slow_cases(TRICKLE)


class RecordingAdapter(requests.adapters.HTTPAdapter):
    """A caller's own adapter subclass, as a session with custom TLS settings would mount."""

    sent = 0

    def send(self, request: requests.PreparedRequest, *args: object, **kwargs: object) -> object:  # type: ignore[override]
        type(self).sent += 1
        return super().send(request, *args, **kwargs)  # type: ignore[arg-type]


def callers_session() -> requests.Session:
    session = requests.Session()
    session.mount("http://", RecordingAdapter())
    return session


SESSIONS = {
    "withdrawkit's session": lambda: None,
    "the caller's session": callers_session,
}


@pytest.fixture(params=sorted(SLOW_CASES), ids=str)
def slow_server(request: pytest.FixtureRequest) -> Iterator[ScriptedServer]:
    script: Script = SLOW_CASES[request.param]
    with ScriptedServer(script) as server:
        yield server


@pytest.mark.parametrize("make_session", list(SESSIONS.values()), ids=list(SESSIONS))
def test_a_money_post_answered_too_slowly_is_outcome_unknown_at_the_deadline(
    slow_server: ScriptedServer, make_session: object
) -> None:
    session = make_session()  # type: ignore[operator]
    with (
        Transport(
            slow_server.url,
            provider="Ripio",
            map_error=map_ripio_error,
            timeout=TIMEOUT,
            session=session,
        ) as transport,
        pytest.raises(OutcomeUnknown) as raised,
    ):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert "within the connect and read timeouts added together" in str(raised.value)
    assert len(slow_server.requests) == 1  # never sent twice
    slow_server.stop()
    assert (slow_server.completed, slow_server.hung_up) == (0, 1)  # it gave up first
    if session is not None:
        assert RecordingAdapter.sent >= 1  # the caller's adapter class did the sending
        session.close()


def test_a_read_answered_too_slowly_is_retried_then_a_transport_error(
    slow_server: ScriptedServer,
) -> None:
    with (
        Transport(
            slow_server.url,
            provider="Ripio",
            map_error=map_ripio_error,
            timeout=TIMEOUT,
            max_retries=1,
            sleep=lambda seconds: None,
        ) as transport,
        pytest.raises(TransportError) as raised,
    ):
        transport.request("GET", "/api/v1/withdrawals/w-1/")

    assert type(raised.value) is TransportError
    assert "2 attempts made" in str(raised.value)
    slow_server.stop()
    assert (slow_server.completed, slow_server.hung_up) == (0, 2)


def test_a_callers_session_through_a_proxy_still_has_one_deadline(
    slow_server: ScriptedServer,
) -> None:
    # The slow server is the proxy: the status line and headers it trickles are the answer.
    session = requests.Session()
    session.proxies = {"http": slow_server.url}
    transport = Transport(
        "http://api.example.test",
        provider="Ripio",
        map_error=map_ripio_error,
        timeout=TIMEOUT,
        session=session,
    )
    with transport, pytest.raises(OutcomeUnknown) as raised:
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert "within the connect and read timeouts added together" in str(raised.value)
    assert [request.split(b" ")[1] for request in slow_server.requests] == [
        b"http://api.example.test/api/v1/withdrawals/"
    ]
    slow_server.stop()
    assert (slow_server.completed, slow_server.hung_up) == (0, 1)
    session.close()
