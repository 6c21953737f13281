"""Identifiers shaped like each provider's, reproducible from a seed.

Tests that print or compare ids get the same ones on every run; two fakes with different seeds
never collide in practice.
"""

from __future__ import annotations

import base64
import random
import threading
import uuid

__all__ = ["IdSource"]


class IdSource:
    """Ids from a seeded generator: 1Konto's 22-character ids, Ripio's UUIDs, hex hashes."""

    def __init__(self, seed: int | str | None = 0) -> None:
        # Not for secrets: reproducible ids are the point. Tokens use ``secrets`` instead.
        self._random = random.Random(seed)  # noqa: S311
        self._lock = threading.Lock()

    def _bits(self, count: int) -> int:
        with self._lock:
            return self._random.getrandbits(count)

    def onekonto_id(self) -> str:
        """22 characters of unpadded URL-safe base64, like ``NNCV3kWoo0Se_bUUl_8yRg``."""
        raw = self._bits(128).to_bytes(16, "big")
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._bits(128), version=4))

    def tx_hash(self) -> str:
        """A 0x-prefixed 32-byte hex string, shaped like an EVM transaction hash."""
        return f"0x{self._bits(256):064x}"
