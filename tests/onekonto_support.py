"""What the OneKontoClient tests share: the mocked routes, the client fixture, a login answer.

Outside conftest.py, pytest finds a fixture only among a test module's own names, so each
module names the two fixtures it uses: ``client = onekonto_support.client`` and
``clock = onekonto_support.clock``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from tests.clocks import ManualClock, on_clocks
from withdrawkit._onekonto_client import OneKontoClient

BASE = "https://1konto.test"
ACCOUNT = "NNCV3kWoo0Se_bUUl_8yRg"
LOGIN_URL = f"{BASE}/api/v1/identity/jwt"
ACCOUNT_URL = f"{BASE}/api/v1/accounting/account/{ACCOUNT}"
BLOCKCHAIN_URL = f"{ACCOUNT_URL}/request/withdraw/blockchain"
FIAT_URL = f"{ACCOUNT_URL}/request/withdraw/fiat"
QUERY_URL = f"{ACCOUNT_URL}/request/withdraw"
PLAINTEXT = "correct horse battery staple"
WALL_NOW = 1_750_000_000.0  # the wall clock the client fixture compares exp claims with
RECEIPT = {"withdrawRequestId": "oiJ8s7oh8EqFwwnkZViCGg", "requestStatus": "pending"}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(5000.0)


@pytest.fixture
def client(clock: ManualClock) -> Iterator[OneKontoClient]:
    made = OneKontoClient(BASE, user="u@example.com", password=PLAINTEXT, account_id=ACCOUNT)
    with on_clocks(made, clock, lambda: WALL_NOW):
        yield made


def add_login(rsps: responses.RequestsMock, issued: str = "tok-1") -> None:
    rsps.add(responses.POST, LOGIN_URL, json={"token": issued})
