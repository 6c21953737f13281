"""The FakeOneKonto the handler tests share: funded, with one whitelisted wallet and bank account.

Outside conftest.py, pytest finds a fixture only among a test module's own names, so each
module names it: ``fake = fake_onekonto_support.fake``.
"""

from __future__ import annotations

import pytest

from withdrawkit.testing import FakeOneKonto


@pytest.fixture
def fake() -> FakeOneKonto:
    fake = FakeOneKonto()
    fake.deposit("999 BTC")
    fake.whitelist_wallet("bitcoin", "bc1qwhitelisted")
    fake.whitelist_bank_account("012345678", "0123456789")
    return fake
