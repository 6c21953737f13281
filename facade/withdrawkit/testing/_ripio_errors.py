"""The error bodies ``FakeRipio`` answers with.

Errors are Ripio's envelope ``{"code", "type", "detail": {"message", "code"}, "status"}`` with the
documented codes: 20000 validation (bad amount, unknown network, expired or mismatched fee), 20001
parse error, 20012 not enough balance, 40001 no credentials (HTTP 403, the documented body
verbatim). The token endpoint answers OAuth2-style ``{"error": "invalid_client"}`` (401). Where the
docs give no code the fake chooses one and says so: 40002 ``AuthenticationFailed`` (HTTP 401) for
an expired or unknown token, 40004 ``NotFound`` (HTTP 404) for an unknown resource or a page past
the end; clients map both by their HTTP status. Both codes are the fake's assumption, not Ripio's:
Ripio's pages document no code for a bad or expired token nor for an unknown resource.
``openapi/ripio.yaml`` declares these answers as its inferred ``Unauthorized`` and ``NotFound``
responses and says so. A real server may instead answer a rejected token like a missing one
(HTTP 403, 40001).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Final

from withdrawkit.testing._exchange import FakeResponse, json_response
from withdrawkit.testing._provider import Refusal

__all__ = [
    "NOT_AUTHENTICATED",
    "TOKEN_REJECTED",
    "envelope",
    "not_enough_balance",
    "not_found",
    "parse_error",
    "server_error_page",
    "validation_error",
]


def envelope(status: int, code: int, kind: str, message: str, detail_code: str) -> FakeResponse:
    body = {
        "code": code,
        "type": kind,
        "detail": {"message": message, "code": detail_code},
        "status": status,
    }
    return json_response(status, body)


def validation_error(message: str) -> Refusal:
    return Refusal(envelope(400, 20000, "ValidationError", message, "invalid"))


def parse_error(error: ValueError) -> Refusal:
    """A body that is not JSON at all (an empty one included)."""
    return Refusal(envelope(400, 20001, "ParseError", f"JSON parse error - {error}", "parse_error"))


def not_enough_balance(message: str) -> Refusal:
    return Refusal(envelope(400, 20012, "NotEnoughBalance", message, "not_enough_balance"))


def not_found(message: str = "Not found.") -> Refusal:
    return Refusal(envelope(404, 40004, "NotFound", message, "not_found"))


def server_error_page(status: int) -> FakeResponse:
    """No Ripio 5xx body is documented; what arrives is the load balancer's HTML page."""
    phrase = HTTPStatus(status).phrase
    page = f"<html><head><title>{status} {phrase}</title></head><body>{phrase}</body></html>"
    return FakeResponse(status, {"Content-Type": "text/html"}, page.encode())


NOT_AUTHENTICATED: Final = envelope(
    403,
    40001,
    "NotAuthenticated",
    "Authentication credentials were not provided.",
    "not_authenticated",
)
TOKEN_REJECTED: Final = envelope(
    401,
    40002,
    "AuthenticationFailed",
    "Invalid or expired access token.",
    "authentication_failed",
)
