"""withdrawkit: typed, synchronous bindings for the withdrawal APIs of 1Konto and Ripio B2B.

Everything a caller needs is importable from here (``import withdrawkit as wk``). Modules whose
names start with an underscore are private and change without notice; the generated models are
reached through these re-exports, so regenerating them never changes a caller's imports.

Names are loaded on first use (PEP 562): ``import withdrawkit`` costs almost nothing until a
client is touched, and the generated models can import the value types below without pulling in
requests or the clients.
"""

import importlib as _importlib
import logging as _logging
import typing as _typing

from withdrawkit._version import __version__

if _typing.TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit._amount_rules import AmountError
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
    from withdrawkit._onekonto_client import OneKontoClient
    from withdrawkit._price import Price
    from withdrawkit._ripio_client import RipioClient
    from withdrawkit._root_error import InvalidArgument, WithdrawKitError
    from withdrawkit._sent_request import SentRequest
    from withdrawkit_generated.onekonto import (
        Account,
        AccountBalance,
        AccountCreditResponse,
        CreditAccount,
        CreditFigures,
        DepositInstruction,
        IndicativePrice,
        Order,
        OrderBook,
        OrderResult,
        OrderStatus,
        OrderType,
        Quote,
        QuoteLeg,
        QuoteSide,
        TopOfBook,
        Transaction,
        TransactionType,
        WithdrawRequest,
        WithdrawRequestReceipt,
        WithdrawRequestStatus,
    )
    from withdrawkit_generated.ripio import (
        BeneficiaryFiatAccount,
        BeneficiaryFiatAccountStatus,
        EndUser,
        EndUserAddress,
        EndUserBalance,
        EndUserLimit,
        FiatDeposit,
        FiatDepositStatus,
        FiatWithdrawal,
        FiatWithdrawalStatus,
        LimitPeriod,
        LimitType,
        NetworkName,
        Rate,
        Withdrawal,
        WithdrawalFee,
        WithdrawalStatus,
    )

# A library leaves handlers to the application: without one configured, nothing is printed.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())

# Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "Amount": "withdrawkit._amount",
    "AmountError": "withdrawkit._amount_rules",
    **dict.fromkeys(("InvalidArgument", "WithdrawKitError"), "withdrawkit._root_error"),
    **dict.fromkeys(
        (
            "APIError",
            "AuthenticationFailed",
            "CreditNotAvailable",
            "InsufficientFunds",
            "InvalidSignature",
            "LimitExceeded",
            "NotFound",
            "OutcomeUnknown",
            "QuoteAlreadyExecuted",
            "QuoteExpired",
            "RateLimited",
            "ServerError",
            "TransportError",
            "UnexpectedResponse",
            "ValidationFailed",
        ),
        "withdrawkit._exceptions",
    ),
    **dict.fromkeys(("AmbiguousOutcome", "StillPending"), "withdrawkit._lifecycle_errors"),
    "SentRequest": "withdrawkit._sent_request",
    "OneKontoClient": "withdrawkit._onekonto_client",
    "Price": "withdrawkit._price",
    "RipioClient": "withdrawkit._ripio_client",
    **dict.fromkeys(
        (
            "Account",
            "AccountBalance",
            "AccountCreditResponse",
            "CreditAccount",
            "CreditFigures",
            "DepositInstruction",
            "IndicativePrice",
            "Order",
            "OrderBook",
            "OrderResult",
            "OrderStatus",
            "OrderType",
            "Quote",
            "QuoteLeg",
            "QuoteSide",
            "TopOfBook",
            "Transaction",
            "TransactionType",
            "WithdrawRequest",
            "WithdrawRequestReceipt",
            "WithdrawRequestStatus",
        ),
        "withdrawkit_generated.onekonto",
    ),
    **dict.fromkeys(
        (
            "BeneficiaryFiatAccount",
            "BeneficiaryFiatAccountStatus",
            "EndUser",
            "EndUserAddress",
            "EndUserBalance",
            "EndUserLimit",
            "FiatDeposit",
            "FiatDepositStatus",
            "FiatWithdrawal",
            "FiatWithdrawalStatus",
            "LimitPeriod",
            "LimitType",
            "NetworkName",
            "Rate",
            "Withdrawal",
            "WithdrawalFee",
            "WithdrawalStatus",
        ),
        "withdrawkit_generated.ripio",
    ),
}

__all__ = [
    "APIError",
    "Account",
    "AccountBalance",
    "AccountCreditResponse",
    "AmbiguousOutcome",
    "Amount",
    "AmountError",
    "AuthenticationFailed",
    "BeneficiaryFiatAccount",
    "BeneficiaryFiatAccountStatus",
    "CreditAccount",
    "CreditFigures",
    "CreditNotAvailable",
    "DepositInstruction",
    "EndUser",
    "EndUserAddress",
    "EndUserBalance",
    "EndUserLimit",
    "FiatDeposit",
    "FiatDepositStatus",
    "FiatWithdrawal",
    "FiatWithdrawalStatus",
    "IndicativePrice",
    "InsufficientFunds",
    "InvalidArgument",
    "InvalidSignature",
    "LimitExceeded",
    "LimitPeriod",
    "LimitType",
    "NetworkName",
    "NotFound",
    "OneKontoClient",
    "Order",
    "OrderBook",
    "OrderResult",
    "OrderStatus",
    "OrderType",
    "OutcomeUnknown",
    "Price",
    "Quote",
    "QuoteAlreadyExecuted",
    "QuoteExpired",
    "QuoteLeg",
    "QuoteSide",
    "Rate",
    "RateLimited",
    "RipioClient",
    "SentRequest",
    "ServerError",
    "StillPending",
    "TopOfBook",
    "Transaction",
    "TransactionType",
    "TransportError",
    "UnexpectedResponse",
    "ValidationFailed",
    "WithdrawKitError",
    "WithdrawRequest",
    "WithdrawRequestReceipt",
    "WithdrawRequestStatus",
    "Withdrawal",
    "WithdrawalFee",
    "WithdrawalStatus",
    "__version__",
]


if not _typing.TYPE_CHECKING:  # type checkers see the imports above, and no catch-all

    def __getattr__(name: str) -> object:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'withdrawkit' has no attribute {name!r}")
        value = getattr(_importlib.import_module(module), name)
        globals()[name] = value  # later lookups skip this function
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})
