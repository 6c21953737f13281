# Generated from openapi/ripio.yaml by scripts/generate.py (datamodel-code-generator 0.89.0).
# Do not edit by hand: change the spec, then run `nox -s generate`.

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

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


class NetworkName(OpenEnum):
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
class TokenRequest:
    grant_type: GrantType = attrs.field(metadata={"wire": "grant_type"})
    client_id: str = attrs.field(metadata={"wire": "client_id"})
    client_secret: str = attrs.field(metadata={"wire": "client_secret"}, repr=False)


@attrs.frozen(kw_only=True)
class TokenResponse:
    access_token: str = attrs.field(metadata={"wire": "access_token"}, repr=False)
    expires_in: Decimal = attrs.field(metadata={"wire": "expires_in"})
    token_type: str = attrs.field(metadata={"wire": "token_type"})
    scope: str = attrs.field(metadata={"wire": "scope"})


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
