"""Reading the expiry of a JWT without verifying it: only to know when to log in again."""

from __future__ import annotations

import base64
import binascii
import json
from decimal import Decimal
from typing import Final, TypeGuard

# Seconds since the epoch an ``exp`` may plausibly hold: after 1970, before the year 5138. Beyond
# that a claim is garbage (10**400 would not even fit a float) and the documented lifetime applies.
_LATEST_EXPIRY: Final = 10**11


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim (seconds since the epoch) of ``token``, or None if it has none.

    The signature is not checked: the server that issued the token checks it on every call,
    and withdrawkit only uses the claim to schedule the next login. Anything that is not a
    JWT with a plausible numeric ``exp`` (an opaque token, a malformed segment, an ``exp`` of
    zero or beyond ``_LATEST_EXPIRY``) yields None.
    """
    segments = token.split(".")
    if len(segments) != 3:
        return None
    payload = segments[1]
    try:
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(decoded, parse_float=Decimal)
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        return None
    expiry = claims.get("exp") if isinstance(claims, dict) else None
    return float(expiry) if _plausible_expiry(expiry) else None


def _plausible_expiry(value: object) -> TypeGuard[int | Decimal]:
    """A number (not a bool) strictly between 0 and ``_LATEST_EXPIRY``.

    Compared exactly, before ``float()`` could overflow or round it.
    """
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return False
    if isinstance(value, Decimal) and not value.is_finite():
        return False
    return 0 < value < _LATEST_EXPIRY
