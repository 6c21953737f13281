"""Rows in one process: decoding a page, encoding a request body."""

from __future__ import annotations

import importlib
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

import msgspec
from timing import Timing, interleaved

from withdrawkit import _wire_json as wire_json
from withdrawkit._conversion import unstructure
from withdrawkit._wire_decode import decode, decode_by_reference
from withdrawkit_generated.ripio import Withdrawal, WithdrawalPage, WithdrawalRequest


def withdrawal_page(size: int) -> bytes:
    rows = [
        {
            "id": f"ac243840-ac04-4b3a-9efb-{index:012d}",
            "created_at": "2022-03-30T19:38:39.765190Z",
            "confirmation_date": None,
            "txn_hash": None,
            "end_user_id": f"customer_{index}",
            "currency": "ETH",
            "amount": f"{index}.00206525633592975968892629",
            "address": "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
            "network_name": "ETHEREUM",
            "status": "PENDING",
            "transaction_id": "8df65b81-8227-4d03-950d-0d8d5fef9402",
            "provisory_transaction_hash": None,
            "risk_score": None,
            "is_blocked": False,
            "reason": "",
            "external_ref": "8df65b81-8227-4d03-950d-0d8d5fef9402",
            "debited_amount": f"{index}.0025",
        }
        for index in range(size)
    ]
    body = {"count": size, "next": None, "previous": None, "results": rows}
    return json.dumps(body).encode()


def pydantic_page_model() -> Any:
    """A pydantic v2 model of the same page: Decimal, aware-or-naive datetimes, text."""
    pydantic: Any = importlib.import_module("pydantic")
    optional_text = (str | None, None)
    row = pydantic.create_model(
        "PydanticWithdrawal",
        id=(str, ...),
        created_at=(datetime, ...),
        confirmation_date=(datetime | None, ...),
        txn_hash=(str | None, ...),
        end_user_id=(str, ...),
        currency=(str, ...),
        amount=(Decimal, ...),
        address=(str, ...),
        network_name=(str, ...),
        charged_fee=(Decimal | None, None),
        status=optional_text,
        transaction_id=optional_text,
        provisory_transaction_hash=optional_text,
        risk_score=optional_text,
        is_blocked=(bool | None, None),
        reason=optional_text,
        external_ref=optional_text,
        debited_amount=(Decimal | None, None),
    )
    return pydantic.create_model(
        "PydanticPage",
        count=(int, ...),
        next=(str | None, ...),
        previous=(str | None, ...),
        results=(list[row], ...),  # type: ignore[valid-type]
    )


def check_decode(page: bytes) -> None:
    decoded = decode(page, WithdrawalPage)
    if decoded != decode_by_reference(page, WithdrawalPage):
        raise SystemExit("the fast decode and the reference disagree on the benchmark page")
    if not isinstance(decoded.results[0], Withdrawal):
        raise SystemExit("the benchmark page no longer decodes into Withdrawal rows")


def decode_row(page: bytes, *, repeats: int) -> dict[str, tuple[Timing, Timing]]:
    """``decode`` against each baseline, every pair interleaved."""
    check_decode(page)
    pydantic_model = pydantic_page_model()
    ours = lambda: decode(page, WithdrawalPage)  # noqa: E731
    return {
        "pydantic v2 model_validate_json": interleaved(
            ours, lambda: pydantic_model.model_validate_json(page), number=1, repeats=repeats
        ),
        "json.loads (dicts, float)": interleaved(
            ours, lambda: json.loads(page), number=1, repeats=repeats
        ),
        "msgspec into the attrs models, unchecked": interleaved(
            ours, lambda: msgspec.json.decode(page, type=WithdrawalPage), number=1, repeats=repeats
        ),
        "the reference (wire_json + cattrs)": interleaved(
            ours, lambda: decode_by_reference(page, WithdrawalPage), number=1, repeats=repeats
        ),
    }


def request_body_row(*, number: int, repeats: int) -> tuple[Timing, Timing]:
    """Build a ``WithdrawalRequest``, unstructure it and write exact JSON, against
    ``json.dumps`` of the same dict."""
    as_dict = {
        "end_user": "customer_10",
        "currency": "BTC",
        "address": "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        "network": "BITCOIN_TESTNET",
        "amount": "1.00206525633592975968892629",
    }

    def ours() -> str:
        body = WithdrawalRequest(
            end_user="customer_10",
            currency="BTC",
            address="0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
            network="BITCOIN_TESTNET",
            amount=Decimal("1.00206525633592975968892629"),
        )
        return wire_json.dumps(unstructure(body))

    if wire_json.loads(ours()) != {**as_dict, "amount": Decimal(as_dict["amount"])}:
        raise SystemExit("the request body is not the expected JSON")
    return interleaved(ours, lambda: json.dumps(as_dict), number=number, repeats=repeats)
