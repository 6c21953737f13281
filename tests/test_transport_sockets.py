"""The retry policy against real sockets on the loopback interface.

The mocks in test_transport_retry.py build requests' exceptions by hand; these tests let
requests and urllib3 raise them from real failures, so a change in how they wrap a refused
connection, a dropped one or a read timeout cannot silently turn "never sent" into "maybe sent"
(or worse, the other way round). They also pin what a caller's session cannot change: its
adapters' urllib3 retries never re-send a withdrawal, its stream=True never lets a requests
exception out, and a server trickling its answer cannot hold a call past the deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from tests.loopback import (
    Behaviour,
    KeepAliveServer,
    LoopbackServer,
    ScriptedServer,
    answer,
    free_port,
)
from tests.transport_support import EXACT, Sleeps
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import OutcomeUnknown, TransportError
from withdrawkit._transport import Transport

EXACT_BODY = b'{"amount":0.00206525633592975968892629,"currency":"BTC"}'
TIMEOUT = (2.0, 0.3)
# The deadline of a trickled answer (loopback.TRICKLE_SECONDS a byte, within the read
# timeout): 0.8 s, far short of the 5 s the whole ANSWER_BODY takes.
TRICKLE_TIMEOUT = (0.5, 0.3)


@pytest.fixture
def servers() -> Iterator[list[LoopbackServer]]:
    started: list[LoopbackServer] = []
    yield started
    for server in started:
        server.stop()


def serve(
    servers: list[LoopbackServer], behaviour: Behaviour | Sequence[Behaviour], port: int = 0
) -> LoopbackServer:
    server = LoopbackServer(behaviour, port)
    servers.append(server)
    return server


def transport_to(
    port: int,
    sleep: Callable[[float], None],
    *,
    session: requests.Session | None = None,
    max_retries: int = 2,
    timeout: tuple[float, float] = TIMEOUT,
) -> Transport:
    return Transport(
        f"http://127.0.0.1:{port}",
        provider="Ripio",
        map_error=map_ripio_error,
        timeout=timeout,
        sleep=sleep,
        session=session,
        max_retries=max_retries,
    )


def send_withdrawal(transport: Transport) -> object:
    body = {"amount": EXACT, "currency": "BTC"}
    return transport.request("POST", "/api/v1/withdrawals/", json_body=body, moves_money=True)


def test_the_exact_decimal_crosses_a_real_socket_both_ways(servers: list[LoopbackServer]) -> None:
    server = serve(servers, "answer")
    with transport_to(server.port, Sleeps()) as transport:
        answer = send_withdrawal(transport)

    assert answer == {"id": "w-1", "amount": EXACT}
    [request] = server.requests
    assert request.startswith(b"POST /api/v1/withdrawals/ HTTP/1.1\r\n")
    assert request.endswith(b"\r\n\r\n" + EXACT_BODY)


def test_refused_money_post_is_retried_and_then_succeeds(servers: list[LoopbackServer]) -> None:
    port = free_port()

    def start_server_while_waiting(seconds: float) -> None:
        sleeps.append(seconds)
        if not servers:
            serve(servers, "answer", port)

    sleeps = Sleeps()
    # The wait before the retry is when the server starts listening on the refused port.
    with transport_to(port, start_server_while_waiting) as transport:
        answer = send_withdrawal(transport)

    assert answer == {"id": "w-1", "amount": EXACT}
    assert len(sleeps) == 1
    assert len(servers[0].requests) == 1


def test_money_post_to_a_port_that_stays_closed_is_a_transport_error() -> None:
    sleeps = Sleeps()
    with transport_to(free_port(), sleeps) as transport, pytest.raises(TransportError) as raised:
        send_withdrawal(transport)

    assert type(raised.value) is TransportError  # certainly not applied: not OutcomeUnknown
    assert "could not connect" in str(raised.value)
    assert "never reached the server" in str(raised.value)
    assert len(sleeps) == 2


def test_connection_closed_without_an_answer_is_outcome_unknown_after_one_send(
    servers: list[LoopbackServer],
) -> None:
    server = serve(servers, "close")
    sleeps = Sleeps()
    with (
        transport_to(server.port, sleeps) as transport,
        pytest.raises(OutcomeUnknown, match="connection dropped"),
    ):
        send_withdrawal(transport)

    assert len(server.requests) == 1
    assert server.requests[0].endswith(EXACT_BODY)  # the server did receive the withdrawal
    assert sleeps == []


def test_answer_cut_off_mid_body_is_outcome_unknown(servers: list[LoopbackServer]) -> None:
    server = serve(servers, "truncate")
    with transport_to(server.port, Sleeps()) as transport, pytest.raises(OutcomeUnknown):
        send_withdrawal(transport)

    assert len(server.requests) == 1


def test_read_timeout_on_a_money_post_is_outcome_unknown_after_one_send(
    servers: list[LoopbackServer],
) -> None:
    server = serve(servers, "hang")
    sleeps = Sleeps()
    with (
        transport_to(server.port, sleeps) as transport,
        pytest.raises(OutcomeUnknown, match="read timed out"),
    ):
        send_withdrawal(transport)

    assert len(server.requests) == 1
    assert sleeps == []


@pytest.mark.parametrize("behaviour", ["hang", "close"], ids=["read-timeout", "dropped"])
def test_a_get_is_retried_after_a_read_timeout_or_a_dropped_connection(
    servers: list[LoopbackServer], behaviour: Behaviour
) -> None:
    server = serve(servers, behaviour)
    sleeps = Sleeps()
    with transport_to(server.port, sleeps) as transport, pytest.raises(TransportError) as raised:
        transport.request("GET", "/api/v1/withdrawals/")

    assert type(raised.value) is TransportError
    assert len(server.requests) == 3
    assert len(sleeps) == 2


# -- what the caller's session cannot change -------------------------------------------------------


def retrying_session() -> requests.Session:
    """A common "resilient session" recipe: urllib3 retries every method, POST included."""
    session = requests.Session()
    retry = Retry(total=3, allowed_methods=None, backoff_factor=0)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


@pytest.mark.parametrize(
    "make_session", [retrying_session, requests.Session], ids=["retry-all-methods", "default"]
)
def test_a_sessions_adapter_retries_never_resend_a_withdrawal(
    servers: list[LoopbackServer], make_session: Callable[[], requests.Session]
) -> None:
    # The first connection is dropped after the server read the withdrawal; a re-sent one
    # would be answered 201, and created twice.
    server = serve(servers, ["close", "answer"])
    sleeps = Sleeps()
    session = make_session()
    with (
        transport_to(server.port, sleeps, session=session) as transport,
        pytest.raises(OutcomeUnknown, match="connection dropped"),
    ):
        send_withdrawal(transport)

    assert len(server.requests) == 1
    assert sleeps == []
    session.close()


def test_a_sessions_adapter_retries_still_serve_its_reads(servers: list[LoopbackServer]) -> None:
    server = serve(servers, ["close", "close", "answer"])
    sleeps = Sleeps()
    session = retrying_session()
    with transport_to(server.port, sleeps, session=session) as transport:
        with pytest.raises(OutcomeUnknown):
            send_withdrawal(transport)
        # The withdrawal left the caller's adapter as it was: its urllib3 Retry re-sends the
        # dropped GET by itself, before withdrawkit's own retries are needed.
        answer = transport.request("GET", "/api/v1/withdrawals/w-1/")

    assert answer == {"id": "w-1", "amount": EXACT}
    assert len(server.requests) == 3
    assert sleeps == []
    session.close()


@pytest.mark.parametrize("moves_money", [True, False], ids=["money-post", "get"])
def test_a_streaming_session_never_lets_a_requests_exception_out(
    servers: list[LoopbackServer], moves_money: bool
) -> None:
    # With stream=True, requests reads the body only when asked: it must be read inside the
    # failure handling, or a ChunkedEncodingError escapes.
    server = serve(servers, "truncate")
    session = requests.Session()
    session.stream = True
    with (
        transport_to(server.port, Sleeps(), session=session, max_retries=0) as transport,
        pytest.raises(TransportError) as raised,
    ):
        if moves_money:
            send_withdrawal(transport)
        else:
            transport.request("GET", "/api/v1/withdrawals/")

    assert isinstance(raised.value, OutcomeUnknown) is moves_money
    assert "connection dropped while reading the response" in str(raised.value)
    assert len(server.requests) == 1
    session.close()


def test_a_trickled_answer_to_a_withdrawal_is_outcome_unknown_at_the_deadline(
    servers: list[LoopbackServer],
) -> None:
    server = serve(servers, "trickle")
    sleeps = Sleeps()
    started = time.monotonic()
    with (
        transport_to(server.port, sleeps, timeout=TRICKLE_TIMEOUT) as transport,
        pytest.raises(OutcomeUnknown, match="did not arrive whole") as raised,
    ):
        send_withdrawal(transport)

    elapsed = time.monotonic() - started
    deadline = sum(TRICKLE_TIMEOUT)
    assert deadline <= elapsed < deadline + 1.5  # not the 5 s of the trickle
    assert "not sent again" in str(raised.value)
    assert len(server.requests) == 1
    assert sleeps == []


def test_a_trickled_answer_to_a_read_is_a_transport_error(servers: list[LoopbackServer]) -> None:
    server = serve(servers, "trickle")
    started = time.monotonic()
    with (
        transport_to(server.port, Sleeps(), max_retries=0, timeout=TRICKLE_TIMEOUT) as transport,
        pytest.raises(TransportError, match="did not arrive whole") as raised,
    ):
        transport.request("GET", "/api/v1/withdrawals/")

    assert type(raised.value) is TransportError
    assert time.monotonic() - started < sum(TRICKLE_TIMEOUT) + 1.5
    assert len(server.requests) == 1


def test_a_connection_is_reused_for_reads_and_withdrawals(servers: list[LoopbackServer]) -> None:
    # Reading the body by hand must still hand the connection back to the pool, also when a
    # withdrawal went through the copy of the adapter that urllib3 does not retry from.
    connections: list[int] = []
    server = KeepAliveServer(connections)
    try:
        with transport_to(server.port, Sleeps()) as transport:
            for _ in range(3):
                transport.request("GET", "/api/v1/withdrawals/")
                send_withdrawal(transport)
    finally:
        server.stop()

    assert connections == [6]


def test_the_callers_pool_settings_apply_to_withdrawkits_requests_through_its_session() -> None:
    # A caller binding its connections to one source address (an egress IP the API allows),
    # by a call of its own rather than an adapter subclass.
    adapter = HTTPAdapter()
    adapter.init_poolmanager(10, 10, source_address=("127.0.0.2", 0))
    session = requests.Session()
    session.mount("http://", adapter)
    with ScriptedServer(lambda wire, request: wire.send(answer("200 OK", b"{}"))) as server:
        with Transport(
            server.url, provider="Ripio", map_error=map_ripio_error, session=session
        ) as transport:
            transport.request("GET", "/api/v1/withdrawals/w-1/")
            transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

        assert len(server.requests) == 2
        assert set(server.peers) == {"127.0.0.2"}
    assert adapter.poolmanager.connection_pool_kw["source_address"] == ("127.0.0.2", 0)
