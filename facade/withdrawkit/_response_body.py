"""A response body read whole under a deadline and a size cap, then decoded once.

The body is read by withdrawkit, a piece at a time, so the deadline can be checked between
pieces: each piece waits at most the read timeout, and reading stops with
``ResponseDeadlineExceeded`` once the deadline has passed, or with ``ResponseTooLarge`` once
the decoded body (or its declared Content-Length, or the compressed bytes of a gzip or deflate
body) passes the cap. The bytes read are decoded into a ``Body``: its text by the declared
charset, and its JSON with exact Decimals, or the reason it is not JSON.
"""

from __future__ import annotations

import http.client
import re
import time
from typing import Final

import requests
import urllib3.exceptions
import urllib3.response

from withdrawkit import _wire_json as wire_json
from withdrawkit._body_framing import (
    BodyTooLarge,
    Decoding,
    StreamCutShort,
    UndecodableBody,
    decoding_for,
)
from withdrawkit._records import Record
from withdrawkit._text import ascii_int

__all__ = [
    "Body",
    "Received",
    "ResponseDeadlineExceeded",
    "ResponseTooLarge",
    "body_of",
    "read_content",
]

# read1 (urllib3 >= 2.3) returns what one socket read brings, up to this much; an older
# urllib3 has only read(), which waits for the whole piece, so its pieces are small.
_READ_CHUNK_BYTES: Final = 64 * 1024
_FALLBACK_READ_CHUNK_BYTES: Final = 1024
_CHARSET: Final = re.compile(r"charset\s*=\s*\"?(?P<charset>[\w.:-]+)", re.IGNORECASE | re.ASCII)


class ResponseDeadlineExceeded(Exception):
    """The response did not arrive whole within the transport's overall deadline."""


class ResponseTooLarge(Exception):
    """The response body is larger than the transport reads."""


class Body(Record):
    """A response body read once, for the caller, the error table and the log alike.

    ``problem`` says why it is not JSON; it is None when ``json`` holds the decoded body. Its
    repr shows only the length and the problem: the text is the server's, unmasked, and a
    traceback formatted with its frames' locals would show it. (A ``Record``, not a tuple nor
    attrs: the transport is built with every client, and constructing a client does not import
    attrs.)
    """

    __slots__ = ("json", "problem", "text")
    text: str
    json: object
    problem: str | None

    def __init__(self, text: str, json: object = None, problem: str | None = None) -> None:
        self._init(text=text, json=json, problem=problem)

    def __repr__(self) -> str:
        return f"Body(text=<{len(self.text)} characters>, problem={self.problem!r})"


class Received(Record):
    """The bytes of an answer as read, and its Content-Type, not decoded yet: a 2xx answer
    read straight into a model is never decoded to JSON values as well. Its repr shows only the
    length, as ``Body``'s does."""

    __slots__ = ("content", "content_type")
    content: bytes
    content_type: str

    def __init__(self, content: bytes, content_type: str) -> None:
        self._init(content=content, content_type=content_type)

    def __repr__(self) -> str:
        return f"Received(content=<{len(self.content)} bytes>, content_type={self.content_type!r})"

    def body(self) -> Body:
        return body_of(self.content, self.content_type)


def read_content(response: requests.Response, *, deadline: float, limit: int) -> bytes:
    """The whole decoded body, read before ``deadline`` (a ``time.monotonic()`` value) and no
    larger than ``limit`` bytes; else ``ResponseDeadlineExceeded`` or ``ResponseTooLarge``."""
    if getattr(response, "_content_consumed", False) or response.raw is None:
        # Read already (by a response hook of the session), or from an adapter without a raw
        # stream: only the size can still be checked.
        content = response.content or b""
        if len(content) > limit:
            raise _too_large(limit)
        return content
    if _declares_more_than(response.headers.get("Content-Length", "").strip(), limit):
        raise _too_large(limit)
    # gzip and deflate are decoded here, where a stream cut short is seen (_body_framing);
    # their failures are raised as urllib3's own decoding raises them.
    try:
        decoding = decoding_for(response.headers.get("Content-Encoding", ""), limit=limit)
        return _read_decoded(response.raw, decoding, deadline=deadline, limit=limit)
    except StreamCutShort as error:
        cut = urllib3.exceptions.ProtocolError(str(error), http.client.IncompleteRead(b""))
        raise requests.exceptions.ChunkedEncodingError(cut) from None
    except UndecodableBody as error:
        raise requests.exceptions.ContentDecodingError(
            urllib3.exceptions.DecodeError(str(error))
        ) from None
    except BodyTooLarge:
        pass
    raise _too_large(limit)  # outside the except block: chained to nothing


def _read_decoded(
    raw: urllib3.response.HTTPResponse, decoding: Decoding | None, *, deadline: float, limit: int
) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise ResponseDeadlineExceeded(
                "the response did not arrive whole within the connect and read timeouts "
                "added together"
            )
        chunk = _read_piece(raw, decode=decoding is None)
        if not chunk:
            if decoding is not None:
                decoding.finish()  # raises if a stream stopped short
            return b"".join(chunks)
        if decoding is not None:
            chunk = decoding.decoded(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)


def _read_piece(raw: urllib3.response.HTTPResponse, *, decode: bool) -> bytes:
    """The next piece of the body (b"" at its end), decoded if ``decode``, after at most one
    wait of the read timeout; urllib3's errors are raised as the requests exceptions
    ``iter_content`` raises."""
    try:
        read1 = getattr(raw, "read1", None)
        if read1 is not None:
            piece: bytes = read1(_READ_CHUNK_BYTES, decode_content=decode)
            return piece
        return raw.read(_FALLBACK_READ_CHUNK_BYTES, decode_content=decode)  # urllib3 < 2.3
    except urllib3.exceptions.ProtocolError as error:
        raise requests.exceptions.ChunkedEncodingError(error) from error
    except urllib3.exceptions.DecodeError as error:
        raise requests.exceptions.ContentDecodingError(error) from error
    except urllib3.exceptions.ReadTimeoutError as error:
        raise requests.exceptions.ConnectionError(error) from error
    except urllib3.exceptions.SSLError as error:
        raise requests.exceptions.SSLError(error) from error


def _declares_more_than(declared: str, limit: int) -> bool:
    """Whether a Content-Length of ASCII digits announces more than ``limit`` bytes; one with
    more digits than any count has (``ascii_int`` refuses it) announces more than any limit."""
    if not (declared.isascii() and declared.isdigit()):
        return False
    size = ascii_int(declared.lstrip("0") or "0")
    return size is None or size > limit


def _too_large(limit: int) -> ResponseTooLarge:
    return ResponseTooLarge(f"the response is larger than {limit} bytes")


def body_of(content: bytes, content_type: str) -> Body:
    """``content`` decoded: as text by ``content_type``'s charset, and as JSON if it is JSON."""
    text = _decoded_text(content, content_type)
    if not text.strip():
        return Body(text, problem="the body is empty")
    try:
        # From bytes: JSON is UTF-8 (RFC 8259) whatever text/* charset a server defaults to.
        return Body(text, json=wire_json.loads(content))
    except RecursionError:
        return Body(text, problem="the JSON is nested too deeply")
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, NaN refused
        return Body(text, problem=f"the body is not JSON ({_first_line(str(error))})")


def _decoded_text(content: bytes, content_type: str) -> str:
    declared = _CHARSET.search(content_type)
    try:
        return content.decode(declared["charset"] if declared else "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return content.decode("utf-8", errors="replace")


def _first_line(text: str) -> str:
    return text.splitlines()[0] if text else text
