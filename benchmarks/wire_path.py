"""How much the typed, exact wire path costs next to the plain stdlib, measured in one run.

Each row times withdrawkit's path and a stdlib baseline on the same input, interleaved
(best of several repeats, to damp noise from the other core), and prints the ratio. Ratios,
not seconds, are what to compare between commits: both sides ran on the same machine, now.
"""

from __future__ import annotations

import json
import timeit
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from withdrawkit import _wire_json as wire_json
from withdrawkit._amount import Amount
from withdrawkit._conversion import structure, unstructure
from withdrawkit_generated.ripio import Withdrawal, WithdrawalPage, WithdrawalRequest

REPEATS = 7


def withdrawal_page_text(size: int) -> str:
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
    return json.dumps({"count": size, "next": None, "previous": None, "results": rows})


def best_seconds(work: Callable[[], Any], number: int) -> float:
    return min(timeit.repeat(work, number=number, repeat=REPEATS)) / number


def row(name: str, ours: Callable[[], Any], baseline: Callable[[], Any], number: int) -> None:
    ours_s, base_s = best_seconds(ours, number), best_seconds(baseline, number)
    print(f"{name:<46} {ours_s * 1e6:>10.1f} us {base_s * 1e6:>10.1f} us {ours_s / base_s:>7.1f}x")


def main() -> None:
    page = withdrawal_page_text(100)
    request = WithdrawalRequest(
        end_user="customer_10",
        currency="BTC",
        address="0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        network="BITCOIN_TESTNET",
        amount=Decimal("1.00206525633592975968892629"),
    )
    request_dict = {
        "end_user": "customer_10",
        "currency": "BTC",
        "address": "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        "network": "BITCOIN_TESTNET",
        "amount": "1.00206525633592975968892629",
    }
    if not isinstance(structure(wire_json.loads(page), WithdrawalPage).results[0], Withdrawal):
        raise SystemExit("the benchmark page no longer structures into Withdrawal rows")

    print(f"{'withdrawkit vs stdlib baseline':<46} {'ours':>13} {'baseline':>13} {'ratio':>8}")
    row(
        "100-row page: loads+structure vs json.loads",
        lambda: structure(wire_json.loads(page), WithdrawalPage),
        lambda: json.loads(page),
        number=20,
    )
    row(
        "100-row page: Decimal loads vs float json.loads",
        lambda: wire_json.loads(page),
        lambda: json.loads(page),
        number=50,
    )
    row(
        "request body: unstructure+dumps vs json.dumps",
        lambda: wire_json.dumps(unstructure(request)),
        lambda: json.dumps(request_dict),
        number=2000,
    )
    row(
        "Amount.parse vs Decimal(text)",
        lambda: Amount.parse("0.00206525633592975968892629 BTC"),
        lambda: Decimal("0.00206525633592975968892629"),
        number=20000,
    )


if __name__ == "__main__":
    main()
