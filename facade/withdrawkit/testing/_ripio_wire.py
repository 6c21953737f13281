"""Ripio's wire format in ``FakeRipio``: reading request bodies (JSON, and the token request's
form and Basic credentials), rendering the response bodies.

Shapes follow ``openapi/ripio.yaml``: money crosses as strings, times as ISO 8601. A reader
refuses the first bad field with Ripio's validation envelope (code 20000).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from decimal import Decimal
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs

from withdrawkit._conversion import format_wire_datetime
from withdrawkit._decimals import decimal_from_wire, plain_text
from withdrawkit.testing._exchange import FakeRequest
from withdrawkit.testing._provider import Refusal
from withdrawkit.testing._request_reading import json_object
from withdrawkit.testing._ripio_errors import parse_error, validation_error
from withdrawkit.testing._ripio_state import (
    BeneficiaryAccount,
    EndUserRecord,
    FiatDepositRecord,
    FiatWithdrawalRecord,
    HeldFee,
    LimitRecord,
    WithdrawalRecord,
)

__all__ = [
    "address_bodies",
    "balance_bodies",
    "basic_credentials",
    "beneficiary_body",
    "end_user_body",
    "fee_body",
    "fiat_deposit_body",
    "fiat_withdrawal_body",
    "form_fields",
    "limit_body",
    "optional_text",
    "positive_money",
    "rate_body",
    "read_json_object",
    "text",
    "transaction_body",
    "withdrawal_body",
]

# -- reading requests -----------------------------------------------------------------------------


def _not_an_object() -> Refusal:
    return validation_error("Invalid data. Expected a dictionary.")


def read_json_object(request: FakeRequest) -> dict[str, Any]:
    """The body as a JSON object: 20001 if it is not JSON at all, 20000 if not an object."""
    return json_object(request, unparsable=parse_error, not_an_object=_not_an_object)


def text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        raise validation_error(f"{name}: This field is required.")
    if not isinstance(value, str) or not value.strip():
        raise validation_error(f"{name}: Not a valid string.")
    return value


def optional_text(body: Mapping[str, Any], name: str) -> str | None:
    return None if body.get(name) is None else text(body, name)


def positive_money(body: Mapping[str, Any], name: str) -> Decimal:
    value = body.get(name)
    if value is None:
        raise validation_error(f"{name}: This field is required.")
    try:
        amount = decimal_from_wire(value)
    except (TypeError, ValueError) as error:
        raise validation_error(f"{name}: A valid number is required.") from error
    if amount <= 0:
        raise validation_error(f"{name}: Ensure this value is greater than 0.")
    return amount


def form_fields(request: FakeRequest) -> dict[str, str]:
    """The token request's form: urlencoded (as clients send it) or multipart (as the page says)."""
    content_type = request.header("Content-Type") or ""
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + request.body)
        fields: dict[str, str] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                fields[name] = payload.decode("utf-8")
        return fields
    if content_type.startswith("application/x-www-form-urlencoded"):
        parsed = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
        return {name: values[-1] for name, values in parsed.items()}
    return {}


def basic_credentials(authorization: str | None) -> tuple[str | None, str | None]:
    """The client id and secret of an ``Authorization: Basic`` header, else ``(None, None)``."""
    if not authorization:
        return None, None
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, separator, client_secret = decoded.partition(":")
    return (client_id, client_secret) if separator else (None, None)


# -- rendering responses --------------------------------------------------------------------------


def fee_body(held: HeldFee) -> dict[str, Any]:
    """A held withdrawal fee: what it costs and until when it holds."""
    return {
        "id": held.id,
        "expires_at": format_wire_datetime(held.expires_at),
        "amount": held.amount,
        "gas_price": held.gas_price,
        "fee": held.fee,
        "total_fee": held.total_fee,
        "total_amount": held.total_amount,
    }


def withdrawal_body(record: WithdrawalRecord) -> dict[str, Any]:
    """The Withdrawal shape of the current docs (``/crypto-as-a-service/...``): money as strings,
    null hashes while pending."""
    return {
        "id": record.id,
        "created_at": format_wire_datetime(record.created_at),
        "confirmation_date": (
            format_wire_datetime(record.confirmation_date) if record.confirmation_date else None
        ),
        "txn_hash": record.txn_hash,
        "end_user_id": record.end_user_id,
        "currency": record.currency,
        "amount": plain_text(record.amount),
        "address": record.address,
        "network_name": record.network_name,
        "status": record.status,
        "transaction_id": record.transaction_id,
        "provisory_transaction_hash": record.provisory_transaction_hash,
        "risk_score": None,
        "is_blocked": False,
        "reason": record.reason,
        "external_ref": record.external_ref,
        "debited_amount": plain_text(record.debited_amount),
    }


def fiat_withdrawal_body(record: FiatWithdrawalRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "transaction_id": record.transaction_id,
        "created_at": format_wire_datetime(record.created_at),
        "updated_at": format_wire_datetime(record.updated_at),
        "end_user_id": record.end_user_id,
        "amount": plain_text(record.amount),
        "currency_code": record.currency_code,
        "status": record.status,
        "external_ref": record.external_ref,
        "beneficiary_fiat_account_id": record.beneficiary_fiat_account_id,
        "is_fiat_deposit_refund": False,
        "refunded_fiat_deposit": None,
    }


def beneficiary_body(account: BeneficiaryAccount) -> dict[str, Any]:
    return {
        "beneficiary_fiat_account_id": account.beneficiary_fiat_account_id,
        "created_at": format_wire_datetime(account.created_at),
        "currency": account.currency,
        "account_fields": dict(account.account_fields),
        "status": account.status,
        "payment_method_type": account.payment_method_type,
    }


def end_user_body(end_user: EndUserRecord) -> dict[str, Any]:
    return {
        "external_ref": end_user.external_ref,
        "created_at": format_wire_datetime(end_user.created_at),
    }


def address_bodies(end_user: EndUserRecord) -> list[dict[str, Any]]:
    """The end user's deposit address on every network it has one."""
    return [
        {
            "network": network_name,
            "end_user_id": end_user.external_ref,
            "address": address,
            "xpub": None,
            "derivation_path": None,
        }
        for network_name, address in end_user.addresses.items()
    ]


def balance_bodies(end_user: EndUserRecord) -> list[dict[str, Any]]:
    return [
        {"currency": currency, "balance": plain_text(balance)}
        for currency, balance in end_user.balances.items()
    ]


def fiat_deposit_body(record: FiatDepositRecord) -> dict[str, Any]:
    """The fiat deposit as the IPN example's payload shows it."""
    return {
        "id": record.id,
        "created_at": format_wire_datetime(record.created_at),
        "updated_at": format_wire_datetime(record.updated_at),
        "currency_code": record.currency_code,
        "end_user_id": record.end_user_id,
        "amount": plain_text(record.amount),
        "status": record.status,
        "refunded": False,
        "refund_fiat_withdrawal_id": None,
        "origin_account_identifier": record.origin_account_identifier,
        "origin_account_holder_id": record.origin_account_holder_id,
        "origin_account_holder_name": record.origin_account_holder_name,
    }


def limit_body(limit: LimitRecord) -> dict[str, Any]:
    """A periodic limit; every number a string, as on Ripio's limits page."""
    return {
        "type": limit.type,
        "currency": limit.currency,
        "period": limit.period,
        "allowed_frequency": plain_text(limit.allowed_frequency),
        "allowed_amount": plain_text(limit.allowed_amount),
        "consumed_frequency": plain_text(limit.consumed_frequency),
        "consumed_amount": plain_text(limit.consumed_amount),
    }


def rate_body(pair: str, buy: Decimal, sell: Decimal) -> dict[str, Any]:
    """A pair's last rates as JSON numbers, as on Ripio's rates page."""
    return {"pair": pair, "last_buy_rate": buy, "last_sell_rate": sell}


# -- transactions: the fake's own minimal shape (Ripio's schema was never visible) ----------------


def transaction_body(
    record: WithdrawalRecord | FiatWithdrawalRecord | FiatDepositRecord,
) -> dict[str, Any]:
    """The transaction behind a withdrawal, fiat withdrawal or fiat deposit; a crypto
    withdrawal's transaction moves what it debited (amount and fee)."""
    if isinstance(record, WithdrawalRecord):
        kind, currency, amount = "WITHDRAWAL", record.currency, record.debited_amount
    elif isinstance(record, FiatWithdrawalRecord):
        kind, currency, amount = "FIAT_WITHDRAWAL", record.currency_code, record.amount
    else:
        kind, currency, amount = "FIAT_DEPOSIT", record.currency_code, record.amount
    return {
        "id": record.transaction_id,
        "type": kind,
        "end_user_id": record.end_user_id,
        "currency": currency,
        "amount": plain_text(amount),
        "status": record.status,
        "created_at": format_wire_datetime(record.created_at),
    }
