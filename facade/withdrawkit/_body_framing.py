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
- ``Inflater`` decodes a ``gzip`` or ``deflate`` body as urllib3 does (several gzip members,
  trailing garbage after the first ignored; deflate with or without its zlib wrapper), within
  a size cap, and tells at the end whether the stream was complete.
"""

from __future__ import annotations

import http.client
import zlib
from typing import Any, Final

__all__ = ["FramedResponse", "Inflater", "StreamCutShort", "inflater_for"]

_GZIP_WBITS: Final = 16 + zlib.MAX_WBITS
_RAW_DEFLATE_WBITS: Final = -zlib.MAX_WBITS


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


class Inflater:
    """Decodes one ``gzip`` or ``deflate`` body fed in pieces; ``zlib.error`` for one that is
    not, ``StreamCutShort`` from ``finish()`` for one that stopped before its end."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._gzip = coding == "gzip"
        self._inflater = zlib.decompressobj(_GZIP_WBITS if self._gzip else zlib.MAX_WBITS)
        self._fed = False
        # deflate: what was fed before any output, to read again as raw deflate (no zlib
        # wrapper) if the wrapper turns out to be missing; None once decided.
        self._first_input: bytes | None = None if self._gzip else b""
        self._later_member = False  # gzip: past the first member, where garbage is ignored
        self._swallowing = False

    def inflate(self, data: bytes, room: int) -> bytes:
        """``data`` decoded; once the output passes ``room`` bytes it stops (the caller's cap
        is then passed), so a small bomb never expands beyond the cap."""
        output = bytearray()
        while data and not self._swallowing:
            self._fed = True
            if self._first_input is not None:
                self._first_input += data
            try:
                output += self._inflater.decompress(data, room + 1 - len(output))
            except zlib.error:
                if self._first_input is not None:  # no zlib wrapper: raw deflate
                    data, self._first_input = self._first_input, None
                    self._inflater = zlib.decompressobj(_RAW_DEFLATE_WBITS)
                    continue
                if not self._later_member:
                    raise
                self._swallowing = True  # trailing garbage after a complete gzip member
                break
            if output:
                self._first_input = None
            if len(output) > room:
                break
            data = self._next_member_input()
        return bytes(output)

    def _next_member_input(self) -> bytes:
        if not (self._gzip and self._inflater.eof and self._inflater.unused_data):
            return b""
        rest = self._inflater.unused_data
        self._inflater = zlib.decompressobj(_GZIP_WBITS)
        self._later_member = True
        return rest

    def finish(self) -> None:
        """Raise ``StreamCutShort`` if bytes were fed and the stream they began did not end.
        An empty body stays empty, as urllib3 reads it."""
        if self._fed and not self._swallowing and not self._inflater.eof:
            raise StreamCutShort("the compressed body ended before its stream did")


def inflater_for(content_encoding: str) -> Inflater | None:
    """An ``Inflater`` for a body in one of the codings it reads (gzip, deflate); None for
    an unencoded body or any other coding (several, brotli, zstd), which urllib3 decodes."""
    coding = content_encoding.strip().lower()
    if coding in ("gzip", "x-gzip"):
        return Inflater("gzip")
    if coding == "deflate":
        return Inflater("deflate")
    return None
