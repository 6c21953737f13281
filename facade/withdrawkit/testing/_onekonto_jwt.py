"""The HS256 JWTs ``FakeOneKonto``'s login hands out, signed with the fake's own random key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime

__all__ = ["signed_token"]


def signed_token(key: bytes, user: str, issued_at: datetime, expires_at: datetime) -> str:
    """An HS256 JWT for ``user`` with ``iat`` and ``exp`` claims."""
    claims = {
        "sub": user,
        "iat": int(issued_at.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": secrets.token_hex(8),
    }
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(key, f"{header}.{payload}".encode(), hashlib.sha256)
    return f"{header}.{payload}.{_b64(signature.digest())}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
