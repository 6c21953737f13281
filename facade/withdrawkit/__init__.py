"""withdrawkit: typed, synchronous bindings for the withdrawal APIs of 1Konto and Ripio B2B."""

from withdrawkit._version import __version__
from withdrawkit.amount import Amount, AmountError
from withdrawkit.exceptions import (
    APIError,
    AuthenticationFailed,
    CreditNotAvailable,
    InsufficientFunds,
    NotFound,
    OutcomeUnknown,
    RateLimited,
    ServerError,
    TransportError,
    UnexpectedResponse,
    ValidationFailed,
    WithdrawKitError,
)

__all__ = [
    "APIError",
    "Amount",
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
    "__version__",
]
