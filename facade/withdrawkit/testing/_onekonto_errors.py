"""The error bodies ``FakeOneKonto`` answers with: 1Konto's two documented shapes.

Shape 1 ``{"status": 404, "error": "Account ID Not Found"}`` for HTTP-level errors (401, 403, 404,
5xx) and shape 2 ``{"errors": [...], "status": "failedDependency", "httpStatusCode": 424}`` for
business refusals, with the category as the message prefix (``Insufficient Funds: ...``,
``ValidationFailed: Amount: must be positive``). A refused withdrawal is a 400 ``badRequest``, as
the Request Withdraw - Blockchain page shows; a refused order a 424 ``failedDependency``, as the
Market Order page shows. Where the docs show no body (401) the fake uses shape 1.
Get Deposit Instructions answers an unknown account with its own documented 404 text
(``The deposit instructions with the provided ID were not found``), and so does an account whose
instructions a test removed: the spec reads that 404 as "no deposit instructions for the account".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Final

from withdrawkit.testing._exchange import FakeResponse, json_response
from withdrawkit.testing._onekonto_state import NotEnoughFunds
from withdrawkit.testing._provider import Refusal

__all__ = [
    "ACCOUNT_NOT_FOUND",
    "DEPOSIT_INSTRUCTIONS_NOT_FOUND",
    "FORBIDDEN",
    "NOT_FOUND",
    "ORDER_NOT_FOUND",
    "TOKEN_EXPIRED",
    "TOKEN_MISSING",
    "TOKEN_UNKNOWN",
    "InvalidFieldsRefusal",
    "business_error",
    "credit_not_available",
    "http_error",
    "insufficient_funds",
    "server_error",
    "validation_failed",
]

ACCOUNT_NOT_FOUND: Final = "Account ID Not Found"
DEPOSIT_INSTRUCTIONS_NOT_FOUND: Final = (
    "The deposit instructions with the provided ID were not found"
)


def http_error(status: int, message: str) -> FakeResponse:
    """Error shape 1: ``{"status": <int>, "error": <message>}``."""
    return json_response(status, {"status": status, "error": message})


def business_error(
    status: int, messages: Sequence[str], *, order_id: str | None = None
) -> FakeResponse:
    """Error shape 2: camelCase status, ``errors`` and ``httpStatusCode`` (and the ``orderId``
    an order's refusal carries)."""
    phrase = HTTPStatus(status).phrase.title().replace(" ", "").replace("-", "")
    camel = phrase[0].lower() + phrase[1:]
    body: dict[str, object] = {} if order_id is None else {"orderId": order_id}
    body.update({"errors": list(messages), "status": camel, "httpStatusCode": status})
    return json_response(status, body)


def validation_failed(field_errors: Mapping[str, str]) -> FakeResponse:
    described = ". ".join(f"{field}: {problem}" for field, problem in field_errors.items())
    return business_error(400, [f"ValidationFailed: {described}"])


def server_error(status: int) -> FakeResponse:
    """Shape 1 with the status's reason phrase (503: ``Service Unavailable``)."""
    return http_error(status, HTTPStatus(status).phrase)


def insufficient_funds(short: NotEnoughFunds, *, order_id: str | None = None) -> FakeResponse:
    """``Insufficient Funds: Requested X but only Y is available``: the 400 ``badRequest`` of the
    Request Withdraw - Blockchain page, or, for an order (``order_id``), the 424
    ``failedDependency`` of the Market Order page."""
    message = (
        f"Insufficient Funds: Requested {short.requested} but only {short.available} is available"
    )
    if order_id is None:
        return business_error(400, [message])
    return business_error(424, [message], order_id=order_id)


def credit_not_available(detail: str, *, order_id: str) -> FakeResponse:
    """The Market Order page's 424 ``Credit Not Available: ...`` of an order."""
    return business_error(424, [f"Credit Not Available: {detail}"], order_id=order_id)


ORDER_NOT_FOUND: Final = "Order ID Not Found"


TOKEN_MISSING: Final = http_error(401, "Unauthorized")
TOKEN_EXPIRED: Final = http_error(401, "Unauthorized: token expired")
TOKEN_UNKNOWN: Final = http_error(401, "Unauthorized: invalid token")
FORBIDDEN: Final = http_error(403, "Forbidden")
NOT_FOUND: Final = http_error(404, "Not Found")


class InvalidFieldsRefusal(Refusal):
    """``ValidationFailed: Field: problem. Other: problem`` in error shape 2 (HTTP 400)."""

    def __init__(self, field_errors: Mapping[str, str]) -> None:
        super().__init__(validation_failed(field_errors))
