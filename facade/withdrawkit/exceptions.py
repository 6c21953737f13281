"""The exception tree every withdrawkit call raises from; see design.md for who raises what.

WithdrawKitError
├── AmountError (also ValueError)
├── TransportError
│   └── OutcomeUnknown
├── UnexpectedResponse
└── APIError
    ├── ValidationFailed
    ├── InsufficientFunds
    ├── CreditNotAvailable
    ├── AuthenticationFailed
    ├── NotFound
    ├── RateLimited
    └── ServerError
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from withdrawkit.amount import Amount, AmountError
from withdrawkit.root_error import WithdrawKitError

__all__ = [
    "APIError",
    "AmountError",
    "AuthenticationFailed",
    "CreditNotAvailable",
    "InsufficientFunds",
    "NotFound",
    "OutcomeUnknown",
    "RateLimited",
    "ServerError",
    "TransportError",
    "UnexpectedResponse",
    "ValidationFailed",
    "WithdrawKitError",
]

# How much of an unparseable body an exception keeps for its message.
_BODY_EXCERPT = 200


class TransportError(WithdrawKitError):
    """The request did not complete: connection refused, TLS failure, timeout."""

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.method = method
        self.url = url


class OutcomeUnknown(TransportError):
    """A request that moves money may or may not have been applied; it was not re-sent.

    Look the withdrawal up (by your ``external_ref`` or by listing) before trying again.
    """


class UnexpectedResponse(WithdrawKitError):
    """The server answered something withdrawkit cannot read (HTML, empty or broken JSON)."""

    def __init__(self, message: str, *, http_status: int, body: str) -> None:
        excerpt = body[:_BODY_EXCERPT] + ("..." if len(body) > _BODY_EXCERPT else "")
        super().__init__(f"{message} (HTTP {http_status}): {excerpt!r}")
        self.http_status = http_status
        self.body = body


class APIError(WithdrawKitError):
    """The server refused the request; the fields carry what it said."""

    def __init__(
        self,
        *,
        provider: str,
        http_status: int,
        code: str | int | None = None,
        messages: Sequence[str] = (),
        body: object = None,
    ) -> None:
        self.provider = provider
        self.http_status = http_status
        self.code = code
        self.messages: tuple[str, ...] = tuple(messages)
        self.body = body
        super().__init__(self._describe())

    def _describe(self) -> str:
        said = "; ".join(self.messages) if self.messages else "no message"
        code = f" code {self.code}" if self.code is not None else ""
        return f"{self.provider} refused the request (HTTP {self.http_status}{code}): {said}"


class ValidationFailed(APIError):
    """The request was invalid; ``field_errors`` maps each field named to what was wrong."""

    def __init__(self, *, field_errors: Mapping[str, str] | None = None, **fields: object) -> None:
        self.field_errors: dict[str, str] = dict(field_errors or {})
        super().__init__(**fields)  # type: ignore[arg-type]


class InsufficientFunds(APIError):
    """The balance (or credit) cannot cover the request.

    ``requested`` and ``available`` are read from the server's message when it names them.
    """

    def __init__(
        self,
        *,
        requested: Amount | None = None,
        available: Amount | None = None,
        **fields: object,
    ) -> None:
        self.requested = requested
        self.available = available
        super().__init__(**fields)  # type: ignore[arg-type]


class CreditNotAvailable(APIError):
    """1Konto extends no credit now (outside business hours, or none for this asset)."""


class AuthenticationFailed(APIError):
    """Bad or missing credentials or token (401, Ripio's 40001 which arrives as 403)."""


class NotFound(APIError):
    """The account, withdrawal or other resource does not exist."""


class RateLimited(APIError):
    """Too many requests; ``retry_after`` is the server's wait in seconds, when it gave one."""

    def __init__(self, *, retry_after: Decimal | None = None, **fields: object) -> None:
        self.retry_after = retry_after
        super().__init__(**fields)  # type: ignore[arg-type]


class ServerError(APIError):
    """The server failed (5xx)."""
