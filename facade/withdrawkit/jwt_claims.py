"""Reading the expiry of a JWT without verifying it: only to know when to log in again."""

from __future__ import annotations

import base64
import binascii
import json
from decimal import Decimal


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim (seconds since the epoch) of ``token``, or None if it has none.

    The signature is not checked: the server that issued the token checks it on every call,
    and withdrawkit only uses the claim to schedule the next login. Anything that is not a
    JWT with a numeric ``exp`` (an opaque token, a malformed segment) yields None.
    """
    segments = token.split(".")
    if len(segments) != 3:
        return None
    payload = segments[1]
    try:
        decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(decoded, parse_float=Decimal)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(claims, dict):
        return None
    expiry = claims.get("exp")
    if isinstance(expiry, bool) or not isinstance(expiry, (int, Decimal)):
        return None
    if isinstance(expiry, Decimal) and not expiry.is_finite():
        return None
    return float(expiry)
