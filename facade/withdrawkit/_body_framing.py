"""A body cut short inside its framing is truncated, not complete (and not empty).

urllib3 and http.client take the end of the connection as the end of the body in two places
where it is not: inside a chunk-size line (``0`` then the close reads as the last chunk, though
it may have been the start of ``01a``), and inside a gzip or deflate stream (a body cut in
its gzip header decodes to nothing at all). Both are read here as what they are, the same
truncation a short ``Content-Length`` body is: ``http.client.IncompleteRead``.

- ``FramedResponse`` is the ``http.client`` response class of the connections withdrawkit's
  pools make (``withdrawkit._watched_pools``): in a chunked body, a framing line (a chunk
  size, a trailer) that the end of the connection cuts off is an ``IncompleteRead``, and so is
  the end of the connection where a chunk-size line should start. After the last chunk, a
  connection closed where a trailer line would start is the end of the body, as http.client
  reads it on purpose (some servers never send the final empty line).
- ``decoding_for`` reads a ``Content-Encoding`` into a ``Decoding``: the body's ``gzip`` and
  ``deflate`` codings undone in the reverse of the order they were applied (``identity``
  dropped, names in any case, ``x-gzip`` as ``gzip``), each within the size cap, and at the
  end each stream complete, or ``StreamCutShort``. A list naming any other coding is
  ``UndecodableBody``; one coding other than these (``br``, ``zstd``) is left to urllib3.

  gzip: several members are read one after another. After a complete member, bytes that do
  not start with gzip's magic ``\x1f\x8b`` are ignored, as urllib3 ignores them. Bytes that do,
  or a lone ``\x1f`` at the end, are a next member: the body ending inside it is a truncation
  (urllib3 would ignore a stray ``\x1f``), and one zlib refuses is ``UndecodableBody`` (urllib3
  would answer with the members before it). At most ``MAX_GZIP_MEMBERS`` members, else
  ``UndecodableBody``.
  deflate: the first two bytes decide, once, whether the stream has its zlib wrapper (a valid
  RFC 1950 header) or is raw deflate, as some servers send it; bytes after the stream's end
  are ignored, as urllib3 ignores them.

  The work is linear in the bytes read: each stage reads at most the cap of input (so a
  stream that decodes to nothing, empty stored blocks or empty members, ends at the cap too)
  and gives at most the cap of output, and zlib is fed ``_FEED_BYTES`` at a time, since at
  the end of each gzip member it copies what it was fed and has not used.
"""

from __future__ import annotations

import http.client
import zlib
from typing import Any, Final

__all__ = [
    "MAX_GZIP_MEMBERS",
    "BodyTooLarge",
    "Decoding",
    "FramedResponse",
    "StreamCutShort",
    "UndecodableBody",
    "decoding_for",
]

_GZIP_WBITS: Final = 16 + zlib.MAX_WBITS
_RAW_DEFLATE_WBITS: Final = -zlib.MAX_WBITS
_FEED_BYTES: Final = 4 * 1024
_GZIP_MAGIC: Final = b"\x1f\x8b"
MAX_GZIP_MEMBERS: Final = 1000
_CODINGS: Final = {"gzip": "gzip", "x-gzip": "gzip", "deflate": "deflate"}


class _FramingLines:
    """A chunked body's reader whose ``readline`` refuses a line the end of the stream cut off,
    and the end of the stream where a chunk-size line should start. Only in the trailer (after
    the last chunk, size 0) is the end of the stream where a line starts the end of the body,
    as http.client reads it."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader
        self._in_trailer = False

    def readline(self, limit: int = -1) -> bytes:
        line: bytes = self._reader.readline(limit)
        if len(line) == limit:  # too long: http.client raises LineTooLong for it
            return line
        if not line.endswith(b"\n") and (line or not self._in_trailer):
            raise http.client.IncompleteRead(line)
        self._in_trailer = self._in_trailer or _is_last_chunk(line)
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


def _is_last_chunk(size_line: bytes) -> bool:
    try:
        return int(size_line.split(b";", 1)[0], 16) == 0  # as http.client reads the size
    except ValueError:
        return False


class FramedResponse(http.client.HTTPResponse):
    """``http.client.HTTPResponse`` reading the body's framing lines only when whole."""

    def begin(self) -> None:
        super().begin()
        if self.chunked and self.fp is not None:  # fp None: a body-less answer, closed
            self.fp = _FramingLines(self.fp)  # type: ignore[assignment]


class StreamCutShort(Exception):
    """The compressed body ended before its stream did."""


class UndecodableBody(Exception):
    """The body is not in the coding it declares, or in a list of codings one is unknown."""


class BodyTooLarge(Exception):
    """A stage of the decoding read or gave more than the size cap."""


class _Inflater:
    """Undoes one ``gzip`` or ``deflate`` coding of a body fed in pieces, reading and giving
    at most ``limit`` bytes each (``BodyTooLarge``)."""

    def __init__(self, coding: str, limit: int) -> None:
        self.coding = coding
        self._limit = limit
        self._read = 0
        self._given = 0
        self._members = 1
        self._member_head = b""  # the first two bytes of the current member, once fed
        # deflate: None until the first two bytes (kept in _head) tell which stream it is.
        self._stream = zlib.decompressobj(_GZIP_WBITS) if coding == "gzip" else None
        self._head = b""
        self._ignoring = False  # past the end of the stream: the rest is ignored

    def inflate(self, data: bytes) -> bytes:
        self._read += len(data)
        if self._read > self._limit:
            raise BodyTooLarge
        if self._stream is None:
            data = self._head + data
            if len(data) < 2:
                self._head = data
                return b""
            self._head = b""
            wbits = zlib.MAX_WBITS if _has_zlib_header(data) else _RAW_DEFLATE_WBITS
            self._stream = zlib.decompressobj(wbits)
        output = bytearray()
        view = memoryview(data)
        for start in range(0, len(view), _FEED_BYTES):
            self._feed(self._stream, view[start : start + _FEED_BYTES], output)
        return bytes(output)

    def _feed(self, stream: Any, piece: memoryview | bytes, output: bytearray) -> None:
        while piece and not self._ignoring:
            if stream.eof:
                stream = self._next_stream(piece)
                if stream is None:
                    return
            if len(self._member_head) < 2:  # a member's magic split between two pieces
                self._member_head += bytes(piece[: 2 - len(self._member_head)])
            try:
                decoded = stream.decompress(piece, self._limit + 1 - self._given)
            except zlib.error as error:
                if self._members == 1 or self._member_head == _GZIP_MAGIC:
                    raise UndecodableBody(
                        f"the body is not valid {self.coding} ({error})"
                    ) from None
                self._ignoring = True  # not a gzip member after all: garbage after the last
                return
            self._given += len(decoded)
            if self._given > self._limit:
                raise BodyTooLarge
            output += decoded
            piece = stream.unused_data  # what follows the end of the stream, if it ended

    def _next_stream(self, piece: memoryview | bytes) -> Any:
        """The stream to read what follows the end of the last one; None if it is ignored."""
        if self.coding != "gzip" or piece[0] != _GZIP_MAGIC[0]:
            self._ignoring = True
            return None
        self._members += 1
        if self._members > MAX_GZIP_MEMBERS:
            raise UndecodableBody(f"the body has more than {MAX_GZIP_MEMBERS} gzip members")
        self._stream = zlib.decompressobj(_GZIP_WBITS)
        self._member_head = b""
        return self._stream

    def finish(self) -> None:
        if self._ignoring or not self._read:  # an empty body stays empty, as urllib3 reads it
            return
        if self._stream is None or not self._stream.eof:
            raise StreamCutShort(f"the {self.coding} body ended before its stream did")


def _has_zlib_header(data: bytes) -> bool:
    """Whether ``data`` starts with an RFC 1950 header: deflate, a window of at most 32 KiB,
    and the check bits."""
    method_and_window, flags = data[0], data[1]
    return (
        method_and_window & 0x0F == 8
        and method_and_window >> 4 <= 7
        and (method_and_window << 8 | flags) % 31 == 0
    )


class Decoding:
    """A body's codings undone, last applied first, each stream finished at the end: ``decoded``
    a piece at a time (``UndecodableBody``, ``BodyTooLarge``), then ``finish()``
    (``StreamCutShort``)."""

    def __init__(self, codings: list[str], limit: int) -> None:
        self.codings = ", ".join(codings)
        self._stages = [_Inflater(coding, limit) for coding in reversed(codings)]

    def decoded(self, piece: bytes) -> bytes:
        for stage in self._stages:
            if not piece:
                break
            piece = stage.inflate(piece)
        return piece

    def finish(self) -> None:
        for stage in self._stages:
            stage.finish()


def decoding_for(content_encoding: str, *, limit: int) -> Decoding | None:
    """A ``Decoding`` for a body in gzip and deflate codings; None for an unencoded body or
    one other single coding (brotli, zstd), which urllib3 decodes. ``UndecodableBody`` for a
    list of codings naming any other."""
    names = [name.strip().lower() for name in content_encoding.split(",")]
    names = [name for name in names if name]
    if len(names) == 1 and names[0] not in _CODINGS:
        return None
    unknown = [name for name in names if name not in _CODINGS and name != "identity"]
    if unknown:
        raise UndecodableBody(
            "the body is in a list of codings with one withdrawkit does not decode"
        )
    codings = [_CODINGS[name] for name in names if name != "identity"]
    return Decoding(codings, limit) if codings else None
