"""The command line's exit codes: one per exception class, and a few of its own.

A script tells outcomes apart by the code alone: 22 is always ``InsufficientFunds``, 12 always
``OutcomeUnknown`` (the withdrawal may exist: look it up before trying again). An error is
mapped by its most specific class, so a subclass added later without a code of its own still
exits with its parent's. The README's table is this module, written out; a test keeps them equal.
"""

from __future__ import annotations

from typing import Final

from withdrawkit._exceptions import (
    APIError,
    AuthenticationFailed,
    CreditNotAvailable,
    InsufficientFunds,
    InvalidSignature,
    LimitExceeded,
    NotFound,
    OutcomeUnknown,
    QuoteAlreadyExecuted,
    QuoteExpired,
    RateLimited,
    ServerError,
    TransportError,
    UnexpectedResponse,
    ValidationFailed,
)
from withdrawkit._lifecycle_errors import AmbiguousOutcome, StillPending
from withdrawkit._root_error import InvalidArgument, WithdrawKitError

__all__ = [
    "CONFIGURATION",
    "CRASH",
    "DECLINED",
    "ENDED_UNSUCCESSFULLY",
    "EXCEPTION_CODES",
    "INTERRUPTED",
    "OK",
    "STILL_PENDING",
    "USAGE",
    "exit_code_for",
]

OK: Final = 0
CRASH: Final = 1  # a bug: an exception withdrawkit did not raise on purpose (traceback shown)
USAGE: Final = 2  # click's own code for an unknown option or a missing argument
DECLINED: Final = 3  # the confirmation was answered "no" (or not at all): nothing was sent
CONFIGURATION: Final = 4  # credentials or base URL missing, config file unsafe or malformed
ENDED_UNSUCCESSFULLY: Final = 5  # `wait` saw the withdrawal end, but not completed
INTERRUPTED: Final = 130  # Ctrl-C, as shells report SIGINT
STILL_PENDING: Final = 14  # `wait` ran out of time before a final state

# Most specific first is not needed: exit_code_for walks the class's MRO.
EXCEPTION_CODES: Final[dict[type[WithdrawKitError], int]] = {
    WithdrawKitError: 9,
    InvalidArgument: 10,  # AmountError included: a bad value, refused before anything was sent
    TransportError: 11,
    OutcomeUnknown: 12,
    UnexpectedResponse: 13,
    InvalidSignature: 15,  # webhooks only: the command line never verifies one
    StillPending: 16,  # a client's wait_* ran out of time (the CLI's own `wait` exits 14)
    AmbiguousOutcome: 17,  # reconcile found more than one candidate and did not guess
    APIError: 20,
    ValidationFailed: 21,
    InsufficientFunds: 22,
    CreditNotAvailable: 23,
    LimitExceeded: 24,
    QuoteExpired: 25,
    QuoteAlreadyExecuted: 26,
    AuthenticationFailed: 27,
    NotFound: 28,
    RateLimited: 29,
    ServerError: 30,
}


def exit_code_for(error: WithdrawKitError) -> int:
    """The code of the most specific class of ``error`` that has one."""
    for cls in type(error).__mro__:
        code = EXCEPTION_CODES.get(cls)
        if code is not None:
            return code
    return EXCEPTION_CODES[WithdrawKitError]
