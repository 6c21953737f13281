"""Misbehaving servers, as scripts for ``tests.loopback.ScriptedServer``.

Each slow case keeps every single wait well within the read timeout (a byte every
``TRICKLE_EVERY`` seconds) but spreads the answer over ``TRICKLE_FOR`` seconds, then completes
it properly: a client that enforces one deadline for the whole answer gives up first (the
server sees it hang up); one that only bounds each wait reads a valid answer, late. Used by
the tests and by ``benchmarks/hostile.py`` (``nox -s hostile``).
"""

from __future__ import annotations

import gzip
from typing import Final

from tests.loopback import Script, Wire, answer

TRICKLE_EVERY: Final = 0.05
TRICKLE_FOR: Final = 4.0
PADDING: Final = b"a" * int(TRICKLE_FOR / TRICKLE_EVERY)
BODY: Final = b'{"id":"w-1","amount":0.00206525633592975968892629,"currency":"BTC"}'
JSON: Final = "Content-Type: application/json\r\n"


def trickled_header(wire: Wire, request: bytes) -> None:
    """The status line, then a header whose value arrives a byte at a time."""
    wire.send(b"HTTP/1.1 201 Created\r\nX-Pad: ")
    wire.trickle(PADDING, TRICKLE_EVERY)
    wire.send(
        b"\r\n"
        + JSON.encode()
        + b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(BODY), BODY)
    )


def endless_continue(wire: Wire, request: bytes) -> None:
    """``100 Continue`` after ``100 Continue``, each within the read timeout."""
    for _ in PADDING:
        wire.send(b"HTTP/1.1 100 Continue\r\n\r\n")
        wire.pause(TRICKLE_EVERY)
    wire.send(answer("201 Created", BODY, [("Content-Type", "application/json")]))


def trickled_chunk_size(wire: Wire, request: bytes) -> None:
    """A chunked body whose first size line (zeros, then the size) trickles."""
    wire.send(
        b"HTTP/1.1 201 Created\r\n" + JSON.encode() + b"Transfer-Encoding: chunked\r\n"
        b"Connection: close\r\n\r\n"
    )
    wire.trickle(b"0" * len(PADDING), TRICKLE_EVERY)
    wire.send(b"%x\r\n%s\r\n0\r\n\r\n" % (len(BODY), BODY))


def trickled_gzip_name(wire: Wire, request: bytes) -> None:
    """A gzip body whose header's file name field (FNAME) trickles."""
    compressed = gzip.compress(BODY, mtime=0)
    header = compressed[:3] + b"\x08" + compressed[4:10]  # FLG.FNAME set
    wire.send(
        b"HTTP/1.1 201 Created\r\n" + JSON.encode() + b"Content-Encoding: gzip\r\n"
        b"Connection: close\r\n\r\n" + header
    )
    wire.trickle(PADDING, TRICKLE_EVERY)
    wire.send(b"\x00" + compressed[10:])


SLOW_CASES: Final[dict[str, Script]] = {
    "trickled header": trickled_header,
    "endless 100 Continue": endless_continue,
    "trickled chunk size line": trickled_chunk_size,
    "trickled gzip file name": trickled_gzip_name,
}
