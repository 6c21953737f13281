"""A body cut short inside its framing is a truncated body, whatever the framing.

The server sends the status line and headers whole, then a body that the close of the
connection cuts inside a chunk-size line (``0`` may be the start of ``01a``), inside a gzip
header, or inside the compressed stream. urllib3 reads the first two as an empty body and the
third as JSON cut off; they are truncations like a short ``Content-Length`` body: a money POST
is ``OutcomeUnknown`` (look it up), a read a ``TransportError`` after its retries.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable

import pytest
import requests

from tests.hostile_cases import BODY, CHUNKED, CUT_CASES, GZIP_WITH_NAME, GZIPPED, cut_after
from tests.loopback import Script, ScriptedServer, Wire, answer
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import OutcomeUnknown, TransportError, UnexpectedResponse
from withdrawkit._transport import Transport

TRUNCATED = "connection dropped while reading the response (IncompleteRead)"


def transport_to(server: ScriptedServer, session: requests.Session | None = None) -> Transport:
    return Transport(
        server.url,
        provider="Ripio",
        map_error=map_ripio_error,
        timeout=(1.0, 1.0),
        max_retries=1,
        sleep=lambda seconds: None,
        session=session,
    )


@pytest.mark.parametrize("script", CUT_CASES.values(), ids=CUT_CASES)
def test_a_money_post_whose_answer_is_cut_inside_its_framing_is_outcome_unknown(
    script: Script,
) -> None:
    with (
        ScriptedServer(script) as server,
        transport_to(server) as transport,
        pytest.raises(OutcomeUnknown) as raised,
    ):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert TRUNCATED in str(raised.value)
    assert "Look the operation up" in str(raised.value)
    assert len(server.requests) == 1  # never sent twice


@pytest.mark.parametrize("script", CUT_CASES.values(), ids=CUT_CASES)
def test_a_read_whose_answer_is_cut_inside_its_framing_is_retried_then_truncated(
    script: Script,
) -> None:
    with (
        ScriptedServer(script) as server,
        transport_to(server) as transport,
        pytest.raises(TransportError) as raised,
    ):
        transport.request("GET", "/api/v1/withdrawals/w-1/")

    assert type(raised.value) is TransportError
    assert TRUNCATED in str(raised.value)
    assert len(server.requests) == 2


def test_a_chunk_size_line_cut_through_a_callers_session_is_truncated() -> None:
    with (
        ScriptedServer(cut_after(CHUNKED, b"0")) as server,
        requests.Session() as session,
        transport_to(server, session) as transport,
        pytest.raises(OutcomeUnknown, match=r"connection dropped .*\(IncompleteRead\)"),
    ):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)


COMPLETE_ANSWERS: dict[str, Callable[[], bytes]] = {
    "chunked, trailer left out": lambda: b"%x\r\n%s\r\n0\r\n" % (len(BODY), BODY),
    "chunked with a trailer": lambda: b"%x\r\n%s\r\n0\r\nX-Sum: 1\r\n\r\n" % (len(BODY), BODY),
}


@pytest.mark.parametrize("body", COMPLETE_ANSWERS.values(), ids=COMPLETE_ANSWERS)
def test_whole_chunked_answers_are_still_read(body: Callable[[], bytes]) -> None:
    with ScriptedServer(cut_after(CHUNKED, body())) as server, transport_to(server) as transport:
        assert transport.request("GET", "/api/v1/withdrawals/w-1/")["id"] == "w-1"


@pytest.mark.parametrize(
    ("coding", "body"),
    [
        ("gzip", GZIPPED),
        ("gzip", GZIP_WITH_NAME),
        ("gzip", gzip.compress(BODY[:20]) + gzip.compress(BODY[20:])),  # two members
        ("gzip", GZIPPED + b"\x00" * 8),  # padding after the member is ignored, as urllib3 does
        ("deflate", zlib.compress(BODY)),
        ("deflate", zlib.compress(BODY)[2:-4]),  # raw deflate, without the zlib wrapper
    ],
    ids=["gzip", "gzip with a name", "two members", "padded", "deflate", "raw deflate"],
)
def test_whole_compressed_answers_are_still_read(coding: str, body: bytes) -> None:
    def script(wire: Wire, request: bytes) -> None:
        headers = [("Content-Type", "application/json"), ("Content-Encoding", coding)]
        wire.send(answer("200 OK", body, headers))

    with ScriptedServer(script) as server, transport_to(server) as transport:
        assert transport.request("GET", "/api/v1/withdrawals/w-1/")["id"] == "w-1"


def test_an_empty_body_declared_gzip_is_empty_not_truncated() -> None:
    def script(wire: Wire, request: bytes) -> None:
        wire.send(answer("200 OK", b"", [("Content-Encoding", "gzip")]))

    with (
        ScriptedServer(script) as server,
        transport_to(server) as transport,
        pytest.raises(UnexpectedResponse, match="the body is empty"),
    ):
        transport.request("GET", "/api/v1/withdrawals/w-1/")


def test_a_body_that_is_not_gzip_is_still_undecodable() -> None:
    def script(wire: Wire, request: bytes) -> None:
        wire.send(answer("200 OK", b"not gzip at all", [("Content-Encoding", "gzip")]))

    with (
        ScriptedServer(script) as server,
        transport_to(server) as transport,
        pytest.raises(TransportError, match="the response could not be decoded"),
    ):
        transport.request("GET", "/api/v1/withdrawals/w-1/")
