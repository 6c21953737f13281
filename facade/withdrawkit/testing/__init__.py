"""Stateful fake providers for testing withdrawal code without reaching 1Konto or Ripio.

``FakeOneKonto`` and ``FakeRipio`` keep users, balances, whitelists, fees and withdrawals (and
1Konto's order books, orders, quotes and ledger), answer with the documented bodies (errors
included), and can be reached two ways over the same state:

- in-process, mounted on ``responses`` (``with fake.mock(): ...``; needs
  ``pip install 'withdrawkit[testing]'``)::

      fake = FakeOneKonto()
      fake.deposit("2 BTC")
      fake.whitelist_wallet("bitcoin", "bc1q...")
      with fake.mock():
          receipt = fake.client().request_withdraw_blockchain("1 BTC", network="bitcoin",
                                                              address="bc1q...")
      fake.complete(receipt.withdraw_request_id)

- over real sockets on 127.0.0.1 (standard library only)::

      with fake.serve() as base_url:
          client = wk.OneKontoClient(base_url, user=fake.user, password=fake.password,
                                     account_id=fake.account_id)

``fake.faults`` injects 503s, dropped connections, slow answers and expired tokens. The pytest
plugin (``withdrawkit.testing.pytest_plugin``) provides the fixtures ``fake_onekonto``,
``fake_ripio``, ``fake_onekonto_server`` and ``fake_ripio_server``.
"""

from withdrawkit.testing._clock import FakeClock
from withdrawkit.testing._exchange import (
    DropConnection,
    FakeRequest,
    FakeResponse,
    LateResponse,
    Outcome,
)
from withdrawkit.testing._faults import ANY_OPERATION, FaultPlan
from withdrawkit.testing._onekonto_fake import FakeOneKonto
from withdrawkit.testing._provider import FakeProvider, ReceivedRequest
from withdrawkit.testing._ripio_fake import FakeRipio
from withdrawkit.testing._ripio_webhooks import WebhookDelivery

__all__ = [
    "ANY_OPERATION",
    "DropConnection",
    "FakeClock",
    "FakeOneKonto",
    "FakeProvider",
    "FakeRequest",
    "FakeResponse",
    "FakeRipio",
    "FaultPlan",
    "LateResponse",
    "Outcome",
    "ReceivedRequest",
    "WebhookDelivery",
]
