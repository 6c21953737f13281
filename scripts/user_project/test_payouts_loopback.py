"""The application's tests on fakes served on 127.0.0.1 (plain ``pip install withdrawkit``)."""

from __future__ import annotations

from decimal import Decimal

from payouts import pay_out_ether

import withdrawkit as wk
from withdrawkit.testing import FakeOneKonto, FakeRipio

ETH_ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"


def test_an_ether_payout_over_real_sockets(fake_ripio_server: FakeRipio) -> None:
    fake_ripio_server.deposit(fake_ripio_server.end_user, "1 ETH")
    with wk.RipioClient(
        fake_ripio_server.url,
        client_id=fake_ripio_server.client_id,
        client_secret=fake_ripio_server.client_secret,
    ) as client:
        made = pay_out_ether(client, fake_ripio_server.end_user, "0.1 ETH", ETH_ADDRESS, "p-1")
    assert made is not None
    assert made.status == "PENDING"


def test_a_fake_served_outside_pytest_fixtures() -> None:
    fake = FakeOneKonto()
    fake.deposit("1 BTC")
    with fake.serve() as base_url, fake.client() as client:
        assert base_url.startswith("http://127.0.0.1:")
        assert client.get_account().balances["BTC"].free == Decimal(1)
