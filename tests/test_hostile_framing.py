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

from tests.hostile_cases import (
    BODY,
    BOMB_CASES,
    CAP,
    CHUNKED,
    CUT_CASES,
    GZIP_WITH_NAME,
    GZIPPED,
    NEVER_DECODING_CASES,
    compressed_answer,
    cut_after,
)
from tests.loopback import Script, ScriptedServer, Wire, answer
from withdrawkit._body_framing import StreamCutShort, UndecodableBody, decoding_for
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import OutcomeUnknown, TransportError, UnexpectedResponse
from withdrawkit._exchange_once import MAX_RESPONSE_BYTES
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


# Content-Encoding as servers spell it, and the body in that coding: every spelling is decoded
# by withdrawkit, where a cut is seen, not by urllib3.
SPELLINGS: dict[str, bytes] = {
    "gzip": GZIPPED,
    "GZIP": GZIPPED,
    "x-gzip": GZIPPED,
    " gzip ": GZIPPED,
    "deflate": zlib.compress(BODY),
    "Deflate": zlib.compress(BODY),
}
# Several codings, applied in the order listed: undone last first.
STACKED: dict[str, bytes] = {
    "gzip, gzip": gzip.compress(GZIPPED),
    "identity, gzip": GZIPPED,
    "gzip,identity": GZIPPED,
    "deflate, deflate": zlib.compress(zlib.compress(BODY)),
    "gzip, deflate": zlib.compress(GZIPPED),
    "deflate, x-gzip": gzip.compress(zlib.compress(BODY)),
}
ENCODED = SPELLINGS | STACKED


def cuts_of(encoded: bytes) -> dict[str, bytes]:
    return {"after 1 byte": encoded[:1], "halfway": encoded[: len(encoded) // 2]} | {
        "4 bytes short": encoded[:-4]
    }


CUT_ENCODED = {
    f"{coding!r} cut {where}": (coding, cut)
    for coding, encoded in ENCODED.items()
    for where, cut in cuts_of(encoded).items()
}


def answer_in(coding: str, body: bytes) -> Script:
    def script(wire: Wire, request: bytes) -> None:
        headers = [("Content-Type", "application/json"), ("Content-Encoding", coding)]
        wire.send(answer("200 OK", body, headers))

    return script


@pytest.mark.parametrize(("coding", "body"), ENCODED.items(), ids=list(ENCODED))
def test_every_spelling_and_stack_of_gzip_and_deflate_is_read_whole(
    coding: str, body: bytes
) -> None:
    with ScriptedServer(answer_in(coding, body)) as server, transport_to(server) as transport:
        assert transport.request("GET", "/api/v1/withdrawals/w-1/")["id"] == "w-1"


@pytest.mark.parametrize(("coding", "cut"), CUT_ENCODED.values(), ids=list(CUT_ENCODED))
def test_a_money_post_cut_inside_any_spelling_or_stack_of_codings_is_outcome_unknown(
    coding: str, cut: bytes
) -> None:
    script = cut_after(b"Content-Encoding: %s\r\n" % coding.encode(), cut)
    with (
        ScriptedServer(script) as server,
        transport_to(server) as transport,
        pytest.raises(OutcomeUnknown) as raised,
    ):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert TRUNCATED in str(raised.value)
    assert "accepted" not in str(raised.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize("coding", STACKED, ids=list(STACKED))
def test_a_read_cut_inside_stacked_codings_is_truncated(coding: str) -> None:
    cut = STACKED[coding][: len(STACKED[coding]) // 2]
    script = cut_after(b"Content-Encoding: %s\r\n" % coding.encode(), cut)
    with (
        ScriptedServer(script) as server,
        transport_to(server) as transport,
        pytest.raises(TransportError) as raised,
    ):
        transport.request("GET", "/api/v1/withdrawals/w-1/")

    assert type(raised.value) is TransportError
    assert TRUNCATED in str(raised.value)


UNKNOWN_IN_A_LIST = ["gzip, br-x", "identity, compress", "zstd, gzip"]


@pytest.mark.parametrize("coding", UNKNOWN_IN_A_LIST)
def test_a_money_post_answered_in_a_list_with_an_unknown_coding_is_outcome_unknown(
    coding: str,
) -> None:
    with (
        ScriptedServer(answer_in(coding, GZIPPED)) as server,
        transport_to(server) as transport,
        pytest.raises(OutcomeUnknown, match="the response could not be decoded") as raised,
    ):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert "accepted" not in str(raised.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize("coding", UNKNOWN_IN_A_LIST)
def test_a_read_answered_in_a_list_with_an_unknown_coding_is_undecodable(coding: str) -> None:
    with (
        ScriptedServer(answer_in(coding, GZIPPED)) as server,
        transport_to(server) as transport,
        pytest.raises(TransportError, match="the response could not be decoded"),
    ):
        transport.request("GET", "/api/v1/withdrawals/w-1/")


@pytest.mark.parametrize("script", BOMB_CASES.values(), ids=list(BOMB_CASES))
def test_a_compressed_body_decoding_past_the_cap_is_too_large(script: Script) -> None:
    with (
        ScriptedServer(script) as server,
        transport_to(server) as transport,
        pytest.raises(OutcomeUnknown, match=f"larger than {MAX_RESPONSE_BYTES} bytes"),
    ):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)


@pytest.mark.parametrize("case", NEVER_DECODING_CASES.values(), ids=list(NEVER_DECODING_CASES))
def test_a_compressed_body_that_never_decodes_to_anything_ends_at_a_limit(
    case: tuple[Script, str],
) -> None:
    script, says = case
    with (
        ScriptedServer(script) as server,
        transport_to(server) as transport,
        pytest.raises(OutcomeUnknown, match=says),
    ):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)

    assert len(server.requests) == 1


def test_the_cap_restated_by_the_hostile_cases_is_the_transports() -> None:
    assert CAP == MAX_RESPONSE_BYTES


def test_a_second_gzip_member_corrupt_after_it_decoded_some_is_undecodable() -> None:
    second = gzip.compress(BODY, mtime=0)
    corrupt = second[:-8] + bytes(byte ^ 0xFF for byte in second[-8:])  # its checksum broken
    with (
        ScriptedServer(compressed_answer("gzip", GZIPPED + corrupt)) as server,
        transport_to(server) as transport,
        pytest.raises(OutcomeUnknown, match="the response could not be decoded"),
    ):
        transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)


@pytest.mark.parametrize(
    ("after", "read_whole"),
    [
        (b"garbage", True),
        (b"\x00", True),
        (b"\x1fgarbage", True),
        (b"\x1f", False),
        (b"\x1f\x8b", False),
        (GZIPPED[:12], False),
    ],
    ids=["garbage", "a zero byte", "1f then garbage", "a stray 1f", "a gzip magic", "a header"],
)
def test_what_follows_a_whole_gzip_member_is_ignored_unless_it_starts_another(
    after: bytes, read_whole: bool
) -> None:
    with (
        ScriptedServer(compressed_answer("gzip", GZIPPED + after)) as server,
        transport_to(server) as transport,
    ):
        if read_whole:
            assert transport.request("GET", "/api/v1/withdrawals/w-1/")["id"] == "w-1"
        else:
            with pytest.raises(TransportError, match=r"\(IncompleteRead\)"):
                transport.request("GET", "/api/v1/withdrawals/w-1/")


@pytest.mark.parametrize(
    ("pieces", "ends"),
    [
        ([GZIPPED + b"\x1f", b"\x8b\x08garbage!"], "undecodable"),
        ([GZIPPED + b"\x1f", b"garbage"], "ignored"),
        ([GZIPPED, b"\x1f", b"\x8b"], "cut"),
    ],
    ids=["magic split, then refused", "1f, then garbage", "magic byte by byte"],
)
def test_a_next_members_magic_split_between_pieces_is_read_as_one(
    pieces: list[bytes], ends: str
) -> None:
    decoding = decoding_for("gzip", limit=MAX_RESPONSE_BYTES)
    assert decoding is not None
    try:
        decoded = b"".join(decoding.decoded(piece) for piece in pieces)
        decoding.finish()
    except UndecodableBody:
        assert ends == "undecodable"
    except StreamCutShort:
        assert ends == "cut"
    else:
        assert (ends, decoded) == ("ignored", BODY)
