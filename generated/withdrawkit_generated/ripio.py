# Generated from openapi/ripio.yaml by scripts/generate.py (datamodel-code-generator 0.89.0).
# Do not edit by hand: change the spec, then run `nox -s generate`.

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from withdrawkit._open_enum import OpenEnum


@attrs.frozen(kw_only=True)
class BeneficiaryFiatAccount:
    beneficiary_fiat_account_id: str = attrs.field(metadata={"wire": "beneficiary_fiat_account_id"})
    created_at: datetime = attrs.field(metadata={"wire": "created_at"})
    currency: str = attrs.field(metadata={"wire": "currency"})
    account_fields: dict[str, str] = attrs.field(metadata={"wire": "account_fields"})
    status: BeneficiaryFiatAccountStatus = attrs.field(metadata={"wire": "status"})
    payment_method_type: str = attrs.field(metadata={"wire": "payment_method_type"})


class BeneficiaryFiatAccountStatus(OpenEnum):
    DISABLED = "DISABLED"
    PROCESSING = "PROCESSING"
    ENABLED = "ENABLED"
    SUSPENDED = "SUSPENDED"


@attrs.frozen(kw_only=True)
class EndUser:
    external_ref: str = attrs.field(metadata={"wire": "external_ref"})
    created_at: datetime | None = attrs.field(default=None, metadata={"wire": "created_at"})


@attrs.frozen(kw_only=True)
class EndUserAddress:
    network: NetworkName = attrs.field(metadata={"wire": "network"})
    address: str = attrs.field(metadata={"wire": "address"})
    end_user_id: str | None = attrs.field(default=None, metadata={"wire": "end_user_id"})
    xpub: str | None = attrs.field(default=None, metadata={"wire": "xpub"})
    derivation_path: str | None = attrs.field(default=None, metadata={"wire": "derivation_path"})


@attrs.frozen(kw_only=True)
class EndUserBalance:
    currency: str = attrs.field(metadata={"wire": "currency"})
    balance: Decimal = attrs.field(metadata={"wire": "balance"})


@attrs.frozen(kw_only=True)
class EndUserLimit:
    """One periodic limit (see listEndUserLimits); its numbers arrive as strings."""

    type: LimitType = attrs.field(metadata={"wire": "type"})
    currency: str = attrs.field(metadata={"wire": "currency"})
    period: LimitPeriod = attrs.field(metadata={"wire": "period"})
    allowed_frequency: Decimal | None = attrs.field(
        default=None, metadata={"wire": "allowed_frequency"}
    )
    allowed_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "allowed_amount"})
    consumed_frequency: Decimal | None = attrs.field(
        default=None, metadata={"wire": "consumed_frequency"}
    )
    consumed_amount: Decimal | None = attrs.field(
        default=None, metadata={"wire": "consumed_amount"}
    )


@attrs.frozen(kw_only=True)
class EndUserRequest:
    """Body of createEndUser - INFERRED (see there)."""

    external_ref: str = attrs.field(metadata={"wire": "external_ref"})


@attrs.frozen(kw_only=True)
class ErrorDetail:
    message: str | None = attrs.field(default=None, metadata={"wire": "message"})
    code: str | None = attrs.field(default=None, metadata={"wire": "code"})


@attrs.frozen(kw_only=True)
class ErrorEnvelope:
    code: int = attrs.field(metadata={"wire": "code"})
    type: str | None = attrs.field(default=None, metadata={"wire": "type"})
    detail: ErrorDetail | None = attrs.field(default=None, metadata={"wire": "detail"})
    status: int | None = attrs.field(default=None, metadata={"wire": "status"})


@attrs.frozen(kw_only=True)
class FiatDeposit:
    """A fiat deposit; its fields are the IPN example's payload (see getFiatDeposit)."""

    id: str = attrs.field(metadata={"wire": "id"})
    created_at: datetime = attrs.field(metadata={"wire": "created_at"})
    currency_code: str = attrs.field(metadata={"wire": "currency_code"})
    end_user_id: str = attrs.field(metadata={"wire": "end_user_id"})
    amount: Decimal = attrs.field(metadata={"wire": "amount"})
    status: FiatDepositStatus = attrs.field(metadata={"wire": "status"})
    updated_at: datetime | None = attrs.field(default=None, metadata={"wire": "updated_at"})
    refunded: bool | None = attrs.field(default=None, metadata={"wire": "refunded"})
    refund_fiat_withdrawal_id: str | None = attrs.field(
        default=None, metadata={"wire": "refund_fiat_withdrawal_id"}
    )
    origin_account_identifier: str | None = attrs.field(
        default=None, metadata={"wire": "origin_account_identifier"}
    )
    origin_account_holder_id: str | None = attrs.field(
        default=None, metadata={"wire": "origin_account_holder_id"}
    )
    origin_account_holder_name: str | None = attrs.field(
        default=None, metadata={"wire": "origin_account_holder_name"}
    )


@attrs.frozen(kw_only=True)
class FiatDepositPage:
    count: int = attrs.field(metadata={"wire": "count"})
    next: str | None = attrs.field(metadata={"wire": "next"})
    previous: str | None = attrs.field(metadata={"wire": "previous"})
    results: list[FiatDeposit] = attrs.field(metadata={"wire": "results"})


class FiatDepositStatus(OpenEnum):
    """Seen: PENDING and COMPLETED; a partial list, unknown values are kept."""

    PENDING = "PENDING"
    COMPLETED = "COMPLETED"


@attrs.frozen(kw_only=True)
class FiatWithdrawal:
    id: str = attrs.field(metadata={"wire": "id"})
    transaction_id: str = attrs.field(metadata={"wire": "transaction_id"})
    created_at: datetime = attrs.field(metadata={"wire": "created_at"})
    updated_at: datetime = attrs.field(metadata={"wire": "updated_at"})
    end_user_id: str = attrs.field(metadata={"wire": "end_user_id"})
    amount: Decimal = attrs.field(metadata={"wire": "amount"})
    currency_code: str = attrs.field(metadata={"wire": "currency_code"})
    status: FiatWithdrawalStatus = attrs.field(metadata={"wire": "status"})
    beneficiary_fiat_account_id: str = attrs.field(metadata={"wire": "beneficiary_fiat_account_id"})
    is_fiat_deposit_refund: bool = attrs.field(metadata={"wire": "is_fiat_deposit_refund"})
    refunded_fiat_deposit: str | None = attrs.field(metadata={"wire": "refunded_fiat_deposit"})
    external_ref: str | None = attrs.field(default=None, metadata={"wire": "external_ref"})


@attrs.frozen(kw_only=True)
class FiatWithdrawalPage:
    """A Django REST Framework page of fiat withdrawals - INFERRED (see listFiatWithdrawals)."""

    count: int = attrs.field(metadata={"wire": "count"})
    next: str | None = attrs.field(metadata={"wire": "next"})
    previous: str | None = attrs.field(metadata={"wire": "previous"})
    results: list[FiatWithdrawal] = attrs.field(metadata={"wire": "results"})


@attrs.frozen(kw_only=True)
class FiatWithdrawalRequest:
    end_user_id: str = attrs.field(metadata={"wire": "end_user_id"})
    amount: Decimal = attrs.field(metadata={"wire": "amount"})
    beneficiary_fiat_account_id: str = attrs.field(metadata={"wire": "beneficiary_fiat_account_id"})
    external_ref: str | None = attrs.field(default=None, metadata={"wire": "external_ref"})


class FiatWithdrawalStatus(OpenEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class GrantType(OpenEnum):
    CLIENT_CREDENTIALS = "client_credentials"


class LimitPeriod(OpenEnum):
    """Seen values; unknown ones are kept."""

    YEARLY = "YEARLY"
    MONTHLY = "MONTHLY"
    DAILY = "DAILY"


class LimitType(OpenEnum):
    """BUY and SELL seen; SWAP only in the page title. Unknown values are kept."""

    BUY = "BUY"
    SELL = "SELL"
    SWAP = "SWAP"


class NetworkName(OpenEnum):
    """Network names as responses spell them; a partial list (see Withdrawal.network_name)."""

    BITCOIN = "BITCOIN"
    ETHEREUM = "ETHEREUM"
    ETHEREUM_SEPOLIA = "ETHEREUM_SEPOLIA"
    POLYGON = "POLYGON"
    POLYGON_MUMBAI = "POLYGON_MUMBAI"


@attrs.frozen(kw_only=True)
class OAuthError:
    error: str = attrs.field(metadata={"wire": "error"})
    error_description: str | None = attrs.field(
        default=None, metadata={"wire": "error_description"}
    )


@attrs.frozen(kw_only=True)
class Rate:
    """The last market rates of one pair (Get Last Market Rates, DOC-old)."""

    pair: str = attrs.field(metadata={"wire": "pair"})
    last_buy_rate: Decimal = attrs.field(metadata={"wire": "last_buy_rate"})
    last_sell_rate: Decimal = attrs.field(metadata={"wire": "last_sell_rate"})


@attrs.frozen(kw_only=True)
class TokenRequest:
    grant_type: GrantType = attrs.field(metadata={"wire": "grant_type"})
    client_id: str = attrs.field(metadata={"wire": "client_id"})
    client_secret: str = attrs.field(metadata={"wire": "client_secret"}, repr=False)


@attrs.frozen(kw_only=True)
class TokenResponse:
    """The token answer (RFC 6749 §5.1); see getAccessToken for its required fields."""

    access_token: str = attrs.field(metadata={"wire": "access_token"}, repr=False)
    token_type: str = attrs.field(metadata={"wire": "token_type"})
    expires_in: Decimal | None = attrs.field(default=None, metadata={"wire": "expires_in"})
    scope: str | None = attrs.field(default=None, metadata={"wire": "scope"})


@attrs.frozen(kw_only=True)
class TransactionPage:
    """A Django REST Framework page of transactions - envelope INFERRED."""

    count: int = attrs.field(metadata={"wire": "count"})
    next: str | None = attrs.field(metadata={"wire": "next"})
    previous: str | None = attrs.field(metadata={"wire": "previous"})
    results: list[dict[str, Any]] = attrs.field(metadata={"wire": "results"})


@attrs.frozen(kw_only=True)
class WebhookEvent:
    """The envelope of Ripio's webhook (IPN) POSTs; see withdrawkit.webhooks."""

    event_type: str = attrs.field(metadata={"wire": "event_type"})
    issued_datetime: datetime = attrs.field(metadata={"wire": "issued_datetime"})
    payload: dict[str, Any] = attrs.field(metadata={"wire": "payload"})


@attrs.frozen(kw_only=True)
class Withdrawal:
    id: str = attrs.field(metadata={"wire": "id"})
    created_at: datetime = attrs.field(metadata={"wire": "created_at"})
    confirmation_date: datetime | None = attrs.field(metadata={"wire": "confirmation_date"})
    txn_hash: str | None = attrs.field(metadata={"wire": "txn_hash"})
    end_user_id: str = attrs.field(metadata={"wire": "end_user_id"})
    currency: str = attrs.field(metadata={"wire": "currency"})
    amount: Decimal = attrs.field(metadata={"wire": "amount"})
    address: str = attrs.field(metadata={"wire": "address"})
    network_name: NetworkName = attrs.field(metadata={"wire": "network_name"})
    charged_fee: Decimal | None = attrs.field(default=None, metadata={"wire": "charged_fee"})
    status: WithdrawalStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    transaction_id: str | None = attrs.field(default=None, metadata={"wire": "transaction_id"})
    provisory_transaction_hash: str | None = attrs.field(
        default=None, metadata={"wire": "provisory_transaction_hash"}
    )
    risk_score: str | None = attrs.field(default=None, metadata={"wire": "risk_score"})
    is_blocked: bool | None = attrs.field(default=None, metadata={"wire": "is_blocked"})
    reason: str | None = attrs.field(default=None, metadata={"wire": "reason"})
    external_ref: str | None = attrs.field(default=None, metadata={"wire": "external_ref"})
    debited_amount: Decimal | None = attrs.field(default=None, metadata={"wire": "debited_amount"})


@attrs.frozen(kw_only=True)
class WithdrawalFee:
    id: str = attrs.field(metadata={"wire": "id"})
    expires_at: datetime = attrs.field(metadata={"wire": "expires_at"})
    amount: Decimal = attrs.field(metadata={"wire": "amount"})
    gas_price: Decimal = attrs.field(metadata={"wire": "gas_price"})
    fee: Decimal = attrs.field(metadata={"wire": "fee"})
    total_fee: Decimal = attrs.field(metadata={"wire": "total_fee"})
    total_amount: Decimal = attrs.field(metadata={"wire": "total_amount"})


@attrs.frozen(kw_only=True)
class WithdrawalFeeRequest:
    currency: str = attrs.field(metadata={"wire": "currency"})
    network: str = attrs.field(metadata={"wire": "network"})
    amount: Decimal = attrs.field(metadata={"wire": "amount"})
    external_ref: str | None = attrs.field(default=None, metadata={"wire": "external_ref"})


@attrs.frozen(kw_only=True)
class WithdrawalPage:
    count: int = attrs.field(metadata={"wire": "count"})
    next: str | None = attrs.field(metadata={"wire": "next"})
    previous: str | None = attrs.field(metadata={"wire": "previous"})
    results: list[Withdrawal] = attrs.field(metadata={"wire": "results"})


@attrs.frozen(kw_only=True)
class WithdrawalRequest:
    end_user: str = attrs.field(metadata={"wire": "end_user"})
    currency: str = attrs.field(metadata={"wire": "currency"})
    address: str = attrs.field(metadata={"wire": "address"})
    network: str = attrs.field(metadata={"wire": "network"})
    amount: Decimal = attrs.field(metadata={"wire": "amount"})
    external_ref: str | None = attrs.field(default=None, metadata={"wire": "external_ref"})
    withdrawal_fee_id: str | None = attrs.field(
        default=None, metadata={"wire": "withdrawal_fee_id"}
    )


class WithdrawalStatus(OpenEnum):
    PENDING = "PENDING"
    COMPLETED = "COMPLETED"
    ERROR = "ERROR"
