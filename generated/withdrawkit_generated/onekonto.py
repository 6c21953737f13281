# Generated from openapi/onekonto.yaml by scripts/generate.py (datamodel-code-generator 0.89.0).
# Do not edit by hand: change the spec, then run `nox -s generate`.

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TypeAlias

import attrs

from withdrawkit._amount import Amount
from withdrawkit._open_enum import OpenEnum
from withdrawkit._price import Price


@attrs.frozen(kw_only=True)
class AcceptQuoteRequest:
    side: QuoteSide = attrs.field(metadata={"wire": "side"})


@attrs.frozen(kw_only=True)
class Account:
    account_id: str = attrs.field(metadata={"wire": "accountId"})
    balances: dict[str, AccountBalance] = attrs.field(metadata={"wire": "balances"})
    type: str | None = attrs.field(default=None, metadata={"wire": "type"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    sources: list[AccountSource] | None = attrs.field(default=None, metadata={"wire": "sources"})


@attrs.frozen(kw_only=True)
class AccountBalance:
    free: Decimal = attrs.field(metadata={"wire": "free"})
    locked: Decimal = attrs.field(metadata={"wire": "locked"})
    limit: Decimal = attrs.field(metadata={"wire": "limit"})
    pending_deposit: Decimal = attrs.field(metadata={"wire": "pendingDeposit"})
    available: Decimal = attrs.field(metadata={"wire": "available"})


@attrs.frozen(kw_only=True)
class AccountCreditResponse:
    account: CreditAccount = attrs.field(metadata={"wire": "account"})
    notational_asset: AssetCode | None = attrs.field(
        default=None, metadata={"wire": "notationalAsset"}
    )
    notional_totals: CreditFigures | None = attrs.field(
        default=None, metadata={"wire": "notionalTotals"}
    )
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


@attrs.frozen(kw_only=True)
class AccountResponse:
    account: Account = attrs.field(metadata={"wire": "account"})
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


@attrs.frozen(kw_only=True)
class AccountSource:
    entity_type: str | None = attrs.field(default=None, metadata={"wire": "entityType"})
    entity_id: str | None = attrs.field(default=None, metadata={"wire": "entityId"})


AssetCode: TypeAlias = str


AssetPair: TypeAlias = str


BookLevel: TypeAlias = list[Decimal]
"""
One book level `[price, size]`, two JSON numbers read as Decimal.
"""


@attrs.frozen(kw_only=True)
class BusinessError:
    errors: list[str] = attrs.field(metadata={"wire": "errors"})
    status: str = attrs.field(metadata={"wire": "status"})
    order_id: str | None = attrs.field(default=None, metadata={"wire": "orderId"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


ClientOrderId: TypeAlias = str


@attrs.frozen(kw_only=True)
class CreditAccount:
    account_id: str = attrs.field(metadata={"wire": "accountId"})
    balances: dict[str, CreditFigures] = attrs.field(metadata={"wire": "balances"})
    type: str | None = attrs.field(default=None, metadata={"wire": "type"})
    name: str | None = attrs.field(default=None, metadata={"wire": "name"})
    sources: list[AccountSource] | None = attrs.field(default=None, metadata={"wire": "sources"})


@attrs.frozen(kw_only=True)
class CreditFigures:
    available_to_trade: Decimal = attrs.field(metadata={"wire": "availableToTrade"})
    total_funds: Decimal = attrs.field(metadata={"wire": "totalFunds"})
    available_funds: Decimal = attrs.field(metadata={"wire": "availableFunds"})
    locked_funds: Decimal = attrs.field(metadata={"wire": "lockedFunds"})
    total_credit: Decimal = attrs.field(metadata={"wire": "totalCredit"})
    available_credit: Decimal = attrs.field(metadata={"wire": "availableCredit"})
    used_credit: Decimal = attrs.field(metadata={"wire": "usedCredit"})


class DepositAssetType(OpenEnum):
    BLOCKCHAIN = "blockchain"
    FIAT = "fiat"


@attrs.frozen(kw_only=True)
class DepositInstruction:
    asset: AssetCode = attrs.field(metadata={"wire": "asset"})
    asset_type: DepositAssetType = attrs.field(metadata={"wire": "assetType"})
    network_type: str | None = attrs.field(default=None, metadata={"wire": "networkType"})
    address: str | None = attrs.field(default=None, metadata={"wire": "address"})
    method: str | None = attrs.field(default=None, metadata={"wire": "method"})
    bank_name: str | None = attrs.field(default=None, metadata={"wire": "bankName"})
    bank_address: str | None = attrs.field(default=None, metadata={"wire": "bankAddress"})
    bank_routing_number: str | None = attrs.field(
        default=None, metadata={"wire": "bankRoutingNumber"}
    )
    bank_swift_number: str | None = attrs.field(default=None, metadata={"wire": "bankSwiftNumber"})
    beneficiary_name: str | None = attrs.field(default=None, metadata={"wire": "beneficiaryName"})
    beneficiary_address: str | None = attrs.field(
        default=None, metadata={"wire": "beneficiaryAddress"}
    )
    beneficiary_account_number: str | None = attrs.field(
        default=None, metadata={"wire": "beneficiaryAccountNumber"}
    )
    special_instructions: str | None = attrs.field(
        default=None, metadata={"wire": "specialInstructions"}
    )


@attrs.frozen(kw_only=True)
class DepositInstructionsResponse:
    instructions: list[DepositInstruction] = attrs.field(metadata={"wire": "instructions"})
    account_id: str | None = attrs.field(default=None, metadata={"wire": "accountId"})
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


EnvelopeStatus: TypeAlias = str


@attrs.frozen(kw_only=True)
class HttpError:
    status: int = attrs.field(metadata={"wire": "status"})
    error: str = attrs.field(metadata={"wire": "error"})


@attrs.frozen(kw_only=True)
class IndicativePrice:
    """The indicative price payload; the success envelope beside it is not part of it."""

    source: Amount = attrs.field(metadata={"wire": "source"})
    destination: Amount = attrs.field(metadata={"wire": "destination"})
    price: Price = attrs.field(metadata={"wire": "price"})


@attrs.frozen(kw_only=True)
class LimitOrderRequest:
    account_id: str = attrs.field(metadata={"wire": "accountId"})
    source: AssetCode = attrs.field(metadata={"wire": "source"})
    destination: AssetCode = attrs.field(metadata={"wire": "destination"})
    size: Amount = attrs.field(metadata={"wire": "size"})
    type: OrderType | None = attrs.field(default=None, metadata={"wire": "type"})
    limit: Price | None = attrs.field(default=None, metadata={"wire": "limit"})
    end_at: datetime | None = attrs.field(default=None, metadata={"wire": "endAt"})


@attrs.frozen(kw_only=True)
class LoginRequest:
    user: str = attrs.field(metadata={"wire": "user"})
    password: str = attrs.field(metadata={"wire": "password"}, repr=False)


@attrs.frozen(kw_only=True)
class LoginResponse:
    token: str = attrs.field(metadata={"wire": "token"}, repr=False)


@attrs.frozen(kw_only=True)
class MarketOrderRequest:
    source: AssetCode = attrs.field(metadata={"wire": "source"})
    destination: AssetCode = attrs.field(metadata={"wire": "destination"})
    size: Amount = attrs.field(metadata={"wire": "size"})
    type: OrderType | None = attrs.field(default=None, metadata={"wire": "type"})


@attrs.frozen(kw_only=True)
class Order:
    order_id: str = attrs.field(metadata={"wire": "orderId"})
    ordering: int | None = attrs.field(default=None, metadata={"wire": "ordering"})
    account_id: str | None = attrs.field(default=None, metadata={"wire": "accountId"})
    user_id: str | None = attrs.field(default=None, metadata={"wire": "userId"})
    email: str | None = attrs.field(default=None, metadata={"wire": "email"})
    size: Amount | None = attrs.field(default=None, metadata={"wire": "size"})
    source: AssetCode | None = attrs.field(default=None, metadata={"wire": "source"})
    destination: AssetCode | None = attrs.field(default=None, metadata={"wire": "destination"})
    type: OrderType | None = attrs.field(default=None, metadata={"wire": "type"})
    submitted_at: datetime | None = attrs.field(default=None, metadata={"wire": "submittedAt"})
    client_order_id: ClientOrderId | None = attrs.field(
        default=None, metadata={"wire": "clientOrderId"}
    )
    result: OrderResult | None = attrs.field(default=None, metadata={"wire": "result"})


@attrs.frozen(kw_only=True)
class OrderBook:
    """The order book payload; the success envelope beside it is not part of it."""

    asks: list[BookLevel] = attrs.field(metadata={"wire": "asks"})
    bids: list[BookLevel] = attrs.field(metadata={"wire": "bids"})
    nbbo: TopOfBook | None = attrs.field(default=None, metadata={"wire": "nbbo"})


@attrs.frozen(kw_only=True)
class OrderList:
    orders: list[Order] | None = attrs.field(default=None, metadata={"wire": "orders"})
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


@attrs.frozen(kw_only=True)
class OrderResponse:
    order: Order = attrs.field(metadata={"wire": "order"})
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


@attrs.frozen(kw_only=True)
class OrderResult:
    status: OrderStatus = attrs.field(metadata={"wire": "status"})
    price: Price | None = attrs.field(default=None, metadata={"wire": "price"})
    executed_at: datetime | None = attrs.field(default=None, metadata={"wire": "executedAt"})
    updated_at: datetime | None = attrs.field(default=None, metadata={"wire": "updatedAt"})
    total: Amount | None = attrs.field(default=None, metadata={"wire": "total"})


class OrderStatus(OpenEnum):
    FILLED = "filled"
    REJECTED = "rejected"
    CANCELED = "canceled"
    INVALID = "invalid"
    SUBMITTED = "submitted"
    PARTIALLY_FILLED = "partially-filled"


class OrderType(OpenEnum):
    MARKET = "market"
    LIMIT = "limit"
    RFQ = "rfq"


@attrs.frozen(kw_only=True)
class Quote:
    """The firm quote payload; the success envelope beside it is not part of it."""

    order_id: str = attrs.field(metadata={"wire": "orderId"})
    buy: QuoteLeg | None = attrs.field(default=None, metadata={"wire": "buy"})
    sell: QuoteLeg | None = attrs.field(default=None, metadata={"wire": "sell"})


@attrs.frozen(kw_only=True)
class QuoteLeg:
    price: Price = attrs.field(metadata={"wire": "price"})
    source: Amount = attrs.field(metadata={"wire": "source"})
    destination: Amount = attrs.field(metadata={"wire": "destination"})
    expires_at: datetime = attrs.field(metadata={"wire": "expiresAt"})


@attrs.frozen(kw_only=True)
class QuoteRequest:
    asset_pair: AssetPair = attrs.field(metadata={"wire": "assetPair"})
    size: Amount = attrs.field(metadata={"wire": "size"})
    client_order_id: ClientOrderId | None = attrs.field(
        default=None, metadata={"wire": "clientOrderId"}
    )


class QuoteSide(OpenEnum):
    BUY = "buy"
    SELL = "sell"


@attrs.frozen(kw_only=True)
class TopOfBook:
    spread: Decimal | None = attrs.field(default=None, metadata={"wire": "spread"})
    ask: BookLevel | None = attrs.field(default=None, metadata={"wire": "ask"})
    bid: BookLevel | None = attrs.field(default=None, metadata={"wire": "bid"})


@attrs.frozen(kw_only=True)
class TopOfBookResponse:
    top_of_books: dict[str, TopOfBook] = attrs.field(metadata={"wire": "topOfBooks"})
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


@attrs.frozen(kw_only=True)
class Transaction:
    transaction_id: str | None = attrs.field(default=None, metadata={"wire": "transactionId"})
    ordering: int | None = attrs.field(default=None, metadata={"wire": "ordering"})
    account_id: str | None = attrs.field(default=None, metadata={"wire": "accountId"})
    type: TransactionType | None = attrs.field(default=None, metadata={"wire": "type"})
    asset: AssetCode | None = attrs.field(default=None, metadata={"wire": "asset"})
    amount: Amount | None = attrs.field(default=None, metadata={"wire": "amount"})
    created_at: datetime | None = attrs.field(default=None, metadata={"wire": "createdAt"})


@attrs.frozen(kw_only=True)
class TransactionList:
    transactions: list[Transaction] | None = attrs.field(
        default=None, metadata={"wire": "transactions"}
    )
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


class TransactionType(OpenEnum):
    INVALID = "invalid"
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    TRANSFER_SENT = "transferSent"
    TRANSFER_RECEIVED = "transferReceived"
    TRADE = "trade"
    MANUAL = "manual"
    ORDER = "order"
    INITIAL_BALANCES = "initialBalances"


@attrs.frozen(kw_only=True)
class WithdrawBlockchainRequest:
    amount: Amount = attrs.field(metadata={"wire": "amount"})
    network: str | None = attrs.field(default=None, metadata={"wire": "network"})
    address: str | None = attrs.field(default=None, metadata={"wire": "address"})
    instructions: list[str] | None = attrs.field(default=None, metadata={"wire": "instructions"})


@attrs.frozen(kw_only=True)
class WithdrawFiatRequest:
    amount: Amount = attrs.field(metadata={"wire": "amount"})
    type: str = attrs.field(metadata={"wire": "type"})
    routing_number: str | None = attrs.field(default=None, metadata={"wire": "routingNumber"})
    account_number: str | None = attrs.field(default=None, metadata={"wire": "accountNumber"})
    instructions: list[str] | None = attrs.field(default=None, metadata={"wire": "instructions"})


@attrs.frozen(kw_only=True)
class WithdrawRequest:
    withdraw_request_id: str = attrs.field(metadata={"wire": "withdrawRequestId"})
    request_status: WithdrawRequestStatus | None = attrs.field(
        default=None, metadata={"wire": "requestStatus"}
    )
    amount: Amount | None = attrs.field(default=None, metadata={"wire": "amount"})
    type: str | None = attrs.field(default=None, metadata={"wire": "type"})
    network: str | None = attrs.field(default=None, metadata={"wire": "network"})
    address: str | None = attrs.field(default=None, metadata={"wire": "address"})
    routing_number: str | None = attrs.field(default=None, metadata={"wire": "routingNumber"})
    account_number: str | None = attrs.field(default=None, metadata={"wire": "accountNumber"})
    instructions: list[str] | None = attrs.field(default=None, metadata={"wire": "instructions"})


@attrs.frozen(kw_only=True)
class WithdrawRequestList:
    withdraw_requests: list[WithdrawRequest] | None = attrs.field(
        default=None, metadata={"wire": "withdrawRequests"}
    )
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


@attrs.frozen(kw_only=True)
class WithdrawRequestReceipt:
    withdraw_request_id: str = attrs.field(metadata={"wire": "withdrawRequestId"})
    request_status: WithdrawRequestStatus = attrs.field(metadata={"wire": "requestStatus"})
    status: EnvelopeStatus | None = attrs.field(default=None, metadata={"wire": "status"})
    http_status_code: int | None = attrs.field(default=None, metadata={"wire": "httpStatusCode"})


class WithdrawRequestStatus(OpenEnum):
    INVALID = "invalid"
    PENDING = "pending"
    COMPLETED = "completed"
    CANCELED = "canceled"
    REJECTED = "rejected"
