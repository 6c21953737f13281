"""Bearer tokens a fake has issued, each with its subject and expiry."""

from __future__ import annotations

import enum
from datetime import datetime, timedelta

import attrs

from withdrawkit.testing._clock import FakeClock

__all__ = ["TokenCheck", "TokenStore", "bearer_token"]


class TokenCheck(enum.Enum):
    MISSING = "missing"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    VALID = "valid"


@attrs.define
class _Issued:
    subject: str
    expires_at: datetime


class TokenStore:
    """Issued tokens; not locked itself, the owning fake holds its lock around every call."""

    def __init__(self, clock: FakeClock) -> None:
        self._clock = clock
        self._issued: dict[str, _Issued] = {}

    def issue(
        self, token: str, subject: str, lifetime: timedelta, *, now: datetime | None = None
    ) -> datetime:
        """Record ``token`` for ``subject``, valid for ``lifetime`` from ``now`` (the clock's
        present if not given: pass the time the token's own claims were computed from)."""
        expires_at = (now if now is not None else self._clock.now()) + lifetime
        self._issued[token] = _Issued(subject, expires_at)
        return expires_at

    def check(self, token: str | None) -> tuple[TokenCheck, str | None]:
        """Whether ``token`` is usable now, and whose it is."""
        if not token:
            return TokenCheck.MISSING, None
        issued = self._issued.get(token)
        if issued is None:
            return TokenCheck.UNKNOWN, None
        if self._clock.now() >= issued.expires_at:
            return TokenCheck.EXPIRED, issued.subject
        return TokenCheck.VALID, issued.subject

    def expire_all(self) -> None:
        now = self._clock.now()
        for issued in self._issued.values():
            issued.expires_at = min(issued.expires_at, now)

    def __len__(self) -> int:
        return len(self._issued)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, else None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()
