"""What the RipioClient tests share: the mocked routes, a withdrawal as the API shows it, the
client fixture, a token answer and the list of URLs called.

Outside conftest.py, pytest finds a fixture only among a test module's own names, so each
module names the two fixtures it uses: ``client = ripio_support.client`` and
``clock = ripio_support.clock``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import responses

from tests.clocks import ManualClock, on_clocks
from withdrawkit._ripio_client import RipioClient

BASE = "https://ripio.test"
TOKEN_URL = f"{BASE}/oauth2/token/"
FEES_URL = f"{BASE}/api/v1/withdrawal-fees/"
WITHDRAWALS_URL = f"{BASE}/api/v1/withdrawals/"
FIAT_URL = f"{BASE}/api/v1/fiat-withdrawals/"
SECRET = "cl1ent-s3cret"


def withdrawal(number: int = 1, **changes: Any) -> dict[str, Any]:
    """A withdrawal as the DOC-new pages show it (money as strings, null hashes while pending)."""
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "created_at": "2022-03-30T19:38:39.765190Z",
        "confirmation_date": None,
        "txn_hash": None,
        "end_user_id": "customer_10",
        "currency": "BTC",
        "amount": "1.5",
        "address": "bc1qexample",
        "network_name": "BITCOIN",
        "status": "PENDING",
        "transaction_id": "8df65b81-8227-4d03-950d-0d8d5fef9402",
        "provisory_transaction_hash": None,
        "risk_score": None,
        "is_blocked": False,
        "reason": "",
        "external_ref": None,
        "debited_amount": "1.5005",
        **changes,
    }


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(100.0)


@pytest.fixture
def client(clock: ManualClock) -> Iterator[RipioClient]:
    with on_clocks(RipioClient(BASE, client_id="id-1", client_secret=SECRET), clock) as made:
        yield made


def add_token(rsps: responses.RequestsMock, issued: str = "tok-1", expires_in: int = 36000) -> None:
    rsps.add(
        responses.POST,
        TOKEN_URL,
        json={
            "access_token": issued,
            "expires_in": expires_in,
            "token_type": "Bearer",
            "scope": "read write",
        },
    )


def beneficiary_account(
    account_id: str, *, currency: str = "ARS", status: str = "ENABLED"
) -> dict[str, Any]:
    """A beneficiary fiat account as listBeneficiaryFiatAccounts shows it."""
    return {
        "beneficiary_fiat_account_id": account_id,
        "created_at": "2019-08-24T14:15:22Z",
        "currency": currency,
        "account_fields": {"alias_or_cvu_destination": "0000465160000000013330"},
        "status": status,
        "payment_method_type": "bank_transfer",
    }


def add_beneficiary_accounts(
    rsps: responses.RequestsMock, end_user: str, *accounts: dict[str, Any]
) -> None:
    """The end user's beneficiary accounts, which create_fiat_withdrawal reads before posting."""
    rsps.add(
        responses.GET,
        f"{BASE}/api/v1/end-users/{end_user}/beneficiary-fiat-accounts/",
        json=list(accounts),
    )


def urls(rsps: responses.RequestsMock) -> list[str]:
    return [str(call.request.url) for call in rsps.calls]
