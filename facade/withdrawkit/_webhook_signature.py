"""Checking the ECDSA signature of a Ripio webhook with the ``cryptography`` package.

Ripio's Crypto as a Service webhooks page: ECDSA over curve P-256 with SHA-256, over the raw,
unmodified body, the signature Base64-encoded in ``X-Signature-Ecdsa-Sha256``. The page does not
say how the signature itself is encoded before Base64. Two encodings exist for ECDSA: DER (what
OpenSSL, Java, Go and ``cryptography`` produce and expect) and the raw 64 bytes ``r || s``
(JOSE, some HSMs). Both carry the same two numbers, so both are accepted: DER first, then, for a
64-byte value that is not valid DER, ``r || s``. Accepting both lets no forgery through: either
way the numbers must verify against Ripio's key.
"""

from __future__ import annotations

import base64
import binascii
from typing import Final

from withdrawkit._exceptions import InvalidSignature
from withdrawkit._root_error import InvalidArgument
from withdrawkit._webhook_events import SIGNATURE_HEADER

try:
    from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
except ImportError as missing:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "withdrawkit.webhooks needs the cryptography package: pip install 'withdrawkit[webhooks]'"
    ) from missing

__all__ = ["load_public_key", "verify_signature"]

# A DER P-256 signature is at most 72 bytes (96 in Base64); anything much longer is not one, and
# is refused before it is decoded.
_MAX_HEADER_LENGTH: Final = 200
_RAW_SIGNATURE_LENGTH: Final = 64
_HALF: Final = _RAW_SIGNATURE_LENGTH // 2


def load_public_key(public_key_pem: str | bytes) -> ec.EllipticCurvePublicKey:
    """Ripio's public key from its PEM text; anything but a P-256 public key is refused."""
    if isinstance(public_key_pem, str):
        public_key_pem = public_key_pem.encode("ascii", "replace")
    if not isinstance(public_key_pem, bytes):
        raise TypeError(f"public_key_pem must be PEM text, got {type(public_key_pem).__name__}")
    try:
        key = serialization.load_pem_public_key(public_key_pem)
    except (ValueError, TypeError) as error:
        raise InvalidArgument(f"public_key_pem is not a PEM public key: {error}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise InvalidArgument("public_key_pem must be an ECDSA P-256 (secp256r1) public key")
    return key


def verify_signature(
    key: ec.EllipticCurvePublicKey, raw_body: bytes, signature_header: str | None
) -> None:
    """Return if ``signature_header`` signs ``raw_body`` with ``key``; else ``InvalidSignature``."""
    signature = _decoded(signature_header)
    if _verifies(key, raw_body, signature):
        return
    if len(signature) == _RAW_SIGNATURE_LENGTH:
        r = int.from_bytes(signature[:_HALF], "big")
        s = int.from_bytes(signature[_HALF:], "big")
        if _verifies(key, raw_body, encode_dss_signature(r, s)):
            return
    raise InvalidSignature("the webhook signature does not match the body and Ripio's key")


def _header_text(signature_header: object) -> str | None:
    """The header as text: a WSGI or ASGI framework may hand it over as bytes."""
    if signature_header is None or isinstance(signature_header, str):
        return signature_header
    if isinstance(signature_header, bytes):
        try:
            return signature_header.decode("ascii")
        except UnicodeDecodeError:
            raise InvalidSignature("the webhook signature is malformed: not ASCII") from None
    raise TypeError(
        f"the signature header must be str (or bytes), got {type(signature_header).__name__}"
    )


def _decoded(signature_header: str | bytes | None) -> bytes:
    signature_header = _header_text(signature_header)
    if signature_header is None or not signature_header.strip():
        raise InvalidSignature(f"the webhook has no signature (header {SIGNATURE_HEADER})")
    if len(signature_header) > _MAX_HEADER_LENGTH:
        raise InvalidSignature("the webhook signature is malformed: not a P-256 signature")
    try:
        decoded = base64.b64decode(signature_header.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidSignature("the webhook signature is malformed: not Base64") from None
    if not decoded:
        raise InvalidSignature("the webhook signature is malformed: empty")
    return decoded


def _verifies(key: ec.EllipticCurvePublicKey, raw_body: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, raw_body, ec.ECDSA(hashes.SHA256()))
    except _CryptoInvalidSignature:
        return False
    return True
