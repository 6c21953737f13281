"""Misbehaving servers, as scripts for ``tests.loopback.ScriptedServer``.

Each cut case (``CUT_CASES``) sends the status line and headers whole, then a body the close
of the connection cuts inside its framing: a chunk-size line, a gzip header or stream. Each
compressed case (``BOMB_CASES``, ``NEVER_DECODING_CASES``) sends a body that decodes to more
than the size cap, or that is read and read without ever decoding to anything. Each
slow case keeps every single wait well within the read timeout (a byte every
``Trickle.every`` seconds) but spreads the answer over ``Trickle.spread_over`` seconds, then
completes it properly: a client that enforces one deadline for the whole answer gives up first (the
server sees it hang up); one that only bounds each wait reads a valid answer, late. Used by
the tests and by ``benchmarks/hostile.py`` (``nox -s hostile``).
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import zlib
from typing import Final

from tests.loopback import Script, Wire, answer

BODY: Final = b'{"id":"w-1","amount":0.00206525633592975968892629,"currency":"BTC"}'
JSON: Final = "Content-Type: application/json\r\n"


@dataclasses.dataclass(frozen=True)
class Trickle:
    """A byte every ``every`` seconds, for ``spread_over`` seconds in all."""

    every: float
    spread_over: float

    @property
    def padding(self) -> bytes:
        return b"a" * int(self.spread_over / self.every)


# The benchmark's pace (against timeout=(1, 2)); the tests trickle faster against smaller timeouts.
TRICKLE: Final = Trickle(every=0.05, spread_over=4.0)


def trickled_header(trickle: Trickle, wire: Wire, request: bytes) -> None:
    """The status line, then a header whose value arrives a byte at a time."""
    wire.send(b"HTTP/1.1 201 Created\r\nX-Pad: ")
    wire.trickle(trickle.padding, trickle.every)
    wire.send(
        b"\r\n"
        + JSON.encode()
        + b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(BODY), BODY)
    )


def endless_continue(trickle: Trickle, wire: Wire, request: bytes) -> None:
    """``100 Continue`` after ``100 Continue``, each within the read timeout."""
    for _ in trickle.padding:
        wire.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        wire.pause(trickle.every)
    wire.send(answer("201 Created", BODY, [("Content-Type", "application/json")]))


def trickled_chunk_size(trickle: Trickle, wire: Wire, request: bytes) -> None:
    """A chunked body whose first size line (zeros, then the size) trickles."""
    wire.send(
        b"HTTP/1.1 201 Created\r\n" + JSON.encode() + b"Transfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n"
    )
    wire.trickle(b"0" * len(trickle.padding), trickle.every)
    wire.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY))


def trickled_gzip_name(trickle: Trickle, wire: Wire, request: bytes) -> None:
    """A gzip body whose header's file name field (FNAME) trickles."""
    compressed = gzip.compress(BODY, mtime=0)
    header = compressed[:3] + b"\x08" + compressed[4:10]  # FLG.FNAME set
    wire.send(
        b"HTTP/1.1 201 Created\r\n" + JSON.encode() + b"Content-Encoding: gzip\r\n"
        b"Connection: close\r\n\r\n" + header
    )
    wire.trickle(trickle.padding, trickle.every)
    wire.send(b"\x00" + compressed[10:])


def slow_cases(trickle: Trickle) -> dict[str, Script]:
    """Each slow script at the pace of ``trickle``."""
    scripts = {
        "trickled header": trickled_header,
        "endless 100 Continue": endless_continue,
        "trickled chunk size line": trickled_chunk_size,
        "trickled gzip file name": trickled_gzip_name,
    }
    return {name: functools.partial(script, trickle) for name, script in scripts.items()}


SLOW_CASES: Final = slow_cases(TRICKLE)


def cut_after(head: bytes, body: bytes) -> Script:
    """A script sending a 201's status line, ``head`` (header lines) and ``body``, then closing."""

    def script(wire: Wire, request: bytes) -> None:
        wire.send(b"HTTP/1.1 201 Created\r\n" + JSON.encode() + head + b"\r\n" + body)

    return script


GZIPPED: Final = gzip.compress(BODY, mtime=0)
GZIP_WITH_NAME: Final = (
    GZIPPED[:3] + b"\x08" + GZIPPED[4:10] + b"withdrawal.json\x00" + GZIPPED[10:]
)
CHUNKED: Final = b"Transfer-Encoding: chunked\r\n"
GZIP: Final = b"Content-Encoding: gzip\r\n"
DEFLATE: Final = b"Content-Encoding: deflate\r\n"
CUT_CASES: Final[dict[str, Script]] = {
    "chunk size line 0 of 01a": cut_after(CHUNKED, b"0"),
    "chunk size line 000 of 0001a": cut_after(CHUNKED, b"000"),
    "chunk size line 1 of 1a": cut_after(CHUNKED, b"1"),
    "chunk size line after a chunk": cut_after(CHUNKED, b"%x\r\n%s\r\n0" % (10, BODY[:10])),
    "no chunk at all": cut_after(CHUNKED, b""),
    "gzip header": cut_after(GZIP, GZIPPED[:5]),
    "gzip header's file name": cut_after(GZIP, GZIP_WITH_NAME[:14]),
    "gzip stream": cut_after(GZIP, GZIPPED[:25]),
    "gzip trailer": cut_after(GZIP, GZIPPED[:-4]),
    "deflate stream": cut_after(DEFLATE, zlib.compress(BODY)[:20]),
    "gzip inside a chunked body": cut_after(CHUNKED + GZIP, b"5\r\n%s\r\n" % GZIPPED[:5]),
    "gzip, gzip stream": cut_after(
        b"Content-Encoding: gzip, gzip\r\n", gzip.compress(GZIPPED, mtime=0)[:30]
    ),
    "identity, deflate stream": cut_after(
        b"Content-Encoding: identity, deflate\r\n", zlib.compress(BODY)[:20]
    ),
}


CAP: Final = 10 * 1024 * 1024  # withdrawkit's MAX_RESPONSE_BYTES, restated: tests pin it
EMPTY_STORED_BLOCK: Final = b"\x00\x00\x00\xff\xff"  # a deflate block of no bytes, not the last
EMPTY_GZIP_MEMBER: Final = gzip.compress(b"", mtime=0)


def compressed_answer(coding: str, *pieces: bytes) -> Script:
    """A 200 whose body, declared in ``coding``, is ``pieces`` sent one after another (the
    client may hang up before the last: it stops reading at the cap)."""

    def script(wire: Wire, request: bytes) -> None:
        wire.send(
            b"HTTP/1.1 200 OK\r\n" + JSON.encode() + b"Content-Encoding: %s\r\n"
            b"Connection: close\r\n\r\n" % coding.encode()
        )
        for piece in pieces:
            wire.send(piece)

    return script


def deflate_bomb() -> bytes:
    return zlib.compress(b"0" * (4 * CAP), 9)


def gzip_member_bomb() -> bytes:
    """Members of 1 MiB of zeros each, more than the cap in all: each member alone is small."""
    return gzip.compress(b"0" * (1024 * 1024), 9, mtime=0) * 12


def deflate_never_decoding(size: int) -> bytes:
    """A zlib header, then ``size`` bytes of empty stored blocks: a valid stream that decodes
    to nothing, for ever."""
    return b"\x78\x9c" + EMPTY_STORED_BLOCK * (size // len(EMPTY_STORED_BLOCK))


def empty_gzip_members(size: int) -> bytes:
    return EMPTY_GZIP_MEMBER * (size // len(EMPTY_GZIP_MEMBER))


BOMB_CASES: Final[dict[str, Script]] = {
    "deflate bomb": compressed_answer("deflate", deflate_bomb()),
    "gzip bomb of many members": compressed_answer("gzip", gzip_member_bomb()),
    "gzip bomb in gzip": compressed_answer("gzip, gzip", gzip.compress(gzip_member_bomb())),
}
# More than the cap on the wire, decoding to nothing: deflate ends at the cap, gzip at its
# members' limit.
NEVER_DECODING_CASES: Final[dict[str, tuple[Script, str]]] = {
    "deflate of empty blocks": (
        compressed_answer("deflate", deflate_never_decoding(CAP + 1024 * 1024)),
        "larger than",
    ),
    "deflate of empty blocks, gzipped": (
        compressed_answer(
            "deflate, gzip", gzip.compress(deflate_never_decoding(CAP + 1024 * 1024))
        ),
        "larger than",
    ),
    "empty gzip members": (
        compressed_answer("gzip", empty_gzip_members(CAP + 1024 * 1024)),
        "could not be decoded",
    ),
}
