"""A gzip or deflate body costs CPU time linear in its size, whatever it holds.

A deflate stream that never decodes to anything (empty stored blocks) was once kept whole and
joined again at every piece, and each gzip member's end copied the rest of the piece: both
quadratic. Each test decodes N and 2N MiB of a hostile body and of an ordinary one (a linear
control) in this process, and compares the growth of their CPU times: a ratio, not a clock.
"""

from __future__ import annotations

import gzip
import os
import time
import zlib
from collections.abc import Callable

import pytest

from tests.hostile_cases import deflate_never_decoding, empty_gzip_members
from withdrawkit import _body_framing
from withdrawkit._body_framing import decoding_for

MIB = 1024 * 1024
N = 8 * MIB
PIECE = 64 * 1024  # what one read of the body brings at most
# Linear growth is a ratio of 2 for both; quadratic, 4 for the hostile body against 2.
GROWTH_LIMIT = 1.5


def ordinary(size: int) -> bytes:
    """Compressed text that decodes to about as many bytes as it has: the linear control."""
    text = os.urandom(size // 2).hex().encode()[:size]
    return zlib.compress(text, 1)


def cpu_seconds(coding: str, body: bytes) -> float:
    """The least CPU time of three decodings of ``body``, fed a piece at a time (not finished:
    a body that never decodes has no end)."""
    times = []
    for _ in range(3):
        decoding = decoding_for(coding, limit=4 * N)
        assert decoding is not None
        started = time.process_time()
        for start in range(0, len(body), PIECE):
            decoding.decoded(body[start : start + PIECE])
        times.append(time.process_time() - started)
    return min(times)


def growth(coding: str, body_of: Callable[[int], bytes]) -> float:
    return cpu_seconds(coding, body_of(2 * N)) / cpu_seconds(coding, body_of(N))


def test_deflate_that_never_decodes_costs_linear_time() -> None:
    hostile = growth("deflate", deflate_never_decoding)
    control = growth("deflate", ordinary)

    assert hostile / control < GROWTH_LIMIT, (hostile, control)


def test_gzip_of_many_empty_members_costs_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # The members' limit lifted, to time the decoding of every member.
    monkeypatch.setattr(_body_framing, "MAX_GZIP_MEMBERS", 2**62)

    def one_piece(coding: str, body: bytes) -> float:
        decoding = decoding_for(coding, limit=4 * N)
        assert decoding is not None
        started = time.process_time()
        decoding.decoded(body)  # one piece: each member's end once copied all the rest
        return time.process_time() - started

    def least(coding: str, body: bytes) -> float:
        return min(one_piece(coding, body) for _ in range(3))

    small, large = N // 8, N // 4
    hostile = least("gzip", empty_gzip_members(large)) / least("gzip", empty_gzip_members(small))
    control = least("gzip", gzip.compress(ordinary(large))) / least(
        "gzip", gzip.compress(ordinary(small))
    )

    assert hostile / control < GROWTH_LIMIT, (hostile, control)
