"""pytest fixtures for the fake providers; loaded automatically once withdrawkit is installed.

- ``fake_onekonto`` / ``fake_ripio``: a fresh fake mounted on ``responses`` for the test (needs
  the ``responses`` package, i.e. ``withdrawkit[testing]``); ``fake.client()`` gives a client
  already pointed at it, and any other HTTP request of the test fails instead of leaving the
  machine.
- ``fake_onekonto_server`` / ``fake_ripio_server``: a fresh fake served on 127.0.0.1 for the
  test (standard library only); ``fake.url`` is its address and ``fake.client()`` uses it.

Each yields the fake itself, so a test sets the scene and inspects the outcome on it::

    def test_payout(fake_onekonto):
        fake_onekonto.deposit("2 BTC")
        fake_onekonto.whitelist_wallet("bitcoin", "bc1qexample")
        receipt = fake_onekonto.client().request_withdraw_blockchain(
            "1.5 BTC", network="bitcoin", address="bc1qexample"
        )
        assert fake_onekonto.balance("BTC").locked == Decimal("1.5")

This module is imported by pytest for every project that has withdrawkit installed, so it
imports nothing optional until a fixture is used.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from withdrawkit.testing._onekonto_fake import FakeOneKonto
from withdrawkit.testing._ripio_fake import FakeRipio

__all__ = ["fake_onekonto", "fake_onekonto_server", "fake_ripio", "fake_ripio_server"]


@pytest.fixture
def fake_onekonto() -> Iterator[FakeOneKonto]:
    """A fresh ``FakeOneKonto`` answering in-process through ``responses``."""
    with FakeOneKonto().mock() as fake:
        yield fake


@pytest.fixture
def fake_ripio() -> Iterator[FakeRipio]:
    """A fresh ``FakeRipio`` answering in-process through ``responses``."""
    with FakeRipio().mock() as fake:
        yield fake


@pytest.fixture
def fake_onekonto_server() -> Iterator[FakeOneKonto]:
    """A fresh ``FakeOneKonto`` served on 127.0.0.1; ``fake.url`` is its base URL."""
    fake = FakeOneKonto()
    with fake.serve():
        yield fake


@pytest.fixture
def fake_ripio_server() -> Iterator[FakeRipio]:
    """A fresh ``FakeRipio`` served on 127.0.0.1; ``fake.url`` is its base URL."""
    fake = FakeRipio()
    with fake.serve():
        yield fake
