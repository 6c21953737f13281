"""1Konto's wire format in ``FakeOneKonto``: reading withdrawal request bodies, rendering the
response bodies.

Shapes follow ``openapi/onekonto.yaml``. A reader records each field's problem under the field's
name as ``ValidationFailed`` spells it (``Amount``, ``Network``) and returns None, so one answer can
name every bad field. Route handlers call these as ``wire.<name>``, so a test can patch one here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Final

from withdrawkit._amount import Amount, AmountError
from withdrawkit._decimals import PLAIN_DECIMAL_PATTERN
from withdrawkit.testing._exchange import FakeRequest
from withdrawkit.testing._onekonto_errors import InvalidFieldsRefusal
from withdrawkit.testing._onekonto_state import (
    BankInstruction,
    OneKontoAccount,
    WithdrawRequestRecord,
)
from withdrawkit.testing._request_reading import json_object

__all__ = [
    "OK",
    "account_balances",
    "account_credit",
    "account_head",
    "bank_account_problem",
    "bank_instruction_body",
    "deposit_instructions",
    "instructions",
    "optional_text",
    "read_amount",
    "read_json_object",
    "wallet_problem",
    "withdraw_receipt",
    "withdraw_request_body",
]

_PLAIN_DECIMAL: Final = re.compile(PLAIN_DECIMAL_PATTERN)

# Every successful answer ends with these two fields.
OK: Final = {"status": "ok", "httpStatusCode": 200}

# -- reading requests -----------------------------------------------------------------------------


def _not_an_object(error: ValueError | None = None) -> InvalidFieldsRefusal:
    return InvalidFieldsRefusal({"Body": "must be a JSON object"})


def read_json_object(request: FakeRequest) -> dict[str, Any]:
    """The body as a JSON object; anything else (no body included) is ``Body: must be ...``."""
    return json_object(request, unparsable=_not_an_object, not_an_object=_not_an_object)


def read_amount(body: Mapping[str, Any], problems: dict[str, str]) -> Amount | None:
    value = body.get("amount")
    if value is None:
        problems["Amount"] = "required"
        return None
    if not isinstance(value, str):
        problems["Amount"] = "must be an amount such as '1 BTC'"
        return None
    bare = _bare_number(value)
    if bare is not None:
        # A number without its asset: the vendor page's own example refusal,
        # "ValidationFailed: Amount: must be positive. Asset: required", for "0".
        if bare <= 0:
            problems["Amount"] = "must be positive"
        problems["Asset"] = "required"
        return None
    try:
        amount = Amount.parse(value)
    except AmountError:
        problems["Amount"] = "must be an amount such as '1 BTC'"
        return None
    if amount.value <= 0:
        problems["Amount"] = "must be positive"
        return None
    return amount


def _bare_number(text: str) -> Decimal | None:
    if not _PLAIN_DECIMAL.fullmatch(text):
        return None
    return Decimal(text)


def optional_text(
    body: Mapping[str, Any], key: str, field: str, problems: dict[str, str]
) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        problems[field] = "must be a non-empty string"
        return None
    return value


def instructions(body: Mapping[str, Any], problems: dict[str, str]) -> tuple[str, ...]:
    value = body.get("instructions")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems["Instructions"] = "must be a list of strings"
        return ()
    return tuple(value)


def wallet_problem(
    matches: int,
    network: str | None,
    address: str | None,
    *,
    elsewhere: list[str] | None = None,
) -> dict[str, str]:
    """Why no single whitelisted wallet fits a blockchain withdrawal (``matches`` of them do;
    ``elsewhere``: the other networks the address is whitelisted on)."""
    on = f" on {network}" if network is not None else ""
    if address is not None:
        if matches == 0 and elsewhere:
            return {"Network": f"{address} is whitelisted on {', '.join(elsewhere)}, not {network}"}
        if matches == 0:
            return {"Address": f"{address} is not a whitelisted wallet of this account"}
        return {"Network": f"required: {address} is whitelisted on {matches} networks"}
    if matches == 0:
        return {"Address": f"required: the account has no whitelisted wallet{on}"}
    return {"Address": f"required: {matches} whitelisted wallets{on} match; name one"}


def bank_account_problem(matches: int, routing: str | None, number: str | None) -> str:
    """Why no single whitelisted bank account fits a fiat withdrawal."""
    if matches == 0:
        if routing is None and number is None:
            return "required: the account has no whitelisted bank account"
        return "is not a whitelisted bank account of this account"
    if routing is None and number is None:
        return f"required: {matches} whitelisted bank accounts match; name one"
    return f"required: {matches} whitelisted bank accounts match; give both numbers"


# -- rendering responses --------------------------------------------------------------------------


def account_head(account: OneKontoAccount) -> dict[str, Any]:
    return {"accountId": account.account_id, "type": account.type, "name": account.name}


def account_balances(account: OneKontoAccount) -> dict[str, Any]:
    """Get Account's body: every asset's free, locked, limit, pending and available amounts."""
    balances = {
        asset: {
            "free": balance.free,
            "locked": balance.locked,
            "limit": balance.limit,
            "pendingDeposit": balance.pending_deposit,
            "available": balance.available,
        }
        for asset, balance in account.balances.items()
    }
    return {"account": {**account_head(account), "balances": balances}, **OK}


def account_credit(account: OneKontoAccount) -> dict[str, Any]:
    """Get Account Credit's body: every asset's funds and credit."""
    balances = {
        asset: {
            "availableToTrade": balance.available,
            "totalFunds": balance.funds + balance.locked,
            "availableFunds": balance.funds,
            "lockedFunds": balance.locked,
            "totalCredit": balance.total_credit,
            "availableCredit": balance.total_credit - balance.used_credit,
            "usedCredit": balance.used_credit,
        }
        for asset, balance in account.balances.items()
    }
    return {"account": {**account_head(account), "balances": balances}, **OK}


def deposit_instructions(account: OneKontoAccount) -> list[dict[str, str]]:
    """The account's deposit addresses, then its bank instruction (if it has one)."""
    listed: list[dict[str, str]] = [
        {"asset": asset, "assetType": "blockchain", "networkType": network, "address": address}
        for (asset, network), address in account.deposit_addresses.items()
    ]
    if account.bank_instruction is not None:
        listed.append(bank_instruction_body(account.bank_instruction))
    return listed


def bank_instruction_body(bank: BankInstruction) -> dict[str, str]:
    return {
        "asset": bank.asset,
        "assetType": "fiat",
        "method": bank.method,
        "bankName": bank.bank_name,
        "bankAddress": bank.bank_address,
        "bankRoutingNumber": bank.bank_routing_number,
        "bankSwiftNumber": bank.bank_swift_number,
        "beneficiaryName": bank.beneficiary_name,
        "beneficiaryAddress": bank.beneficiary_address,
        "beneficiaryAccountNumber": bank.beneficiary_account_number,
        "specialInstructions": bank.special_instructions,
    }


def withdraw_receipt(record: WithdrawRequestRecord) -> dict[str, Any]:
    """The answer to an accepted withdraw request: its id and status."""
    return {
        "withdrawRequestId": record.withdraw_request_id,
        "requestStatus": record.status,
        **OK,
    }


def withdraw_request_body(record: WithdrawRequestRecord) -> dict[str, Any]:
    body: dict[str, Any] = {
        "withdrawRequestId": record.withdraw_request_id,
        "requestStatus": record.status,
        "amount": str(record.amount),
        "type": record.type,
    }
    optional = {
        "network": record.network,
        "address": record.address,
        "routingNumber": record.routing_number,
        "accountNumber": record.account_number,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    if record.instructions:
        body["instructions"] = list(record.instructions)
    return body
