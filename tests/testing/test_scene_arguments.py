"""A scene set with a bad value is an InvalidArgument (a WithdrawKitError and a ValueError), as
the clients' bad arguments are: the README's promise covers withdrawkit.testing too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

import withdrawkit as wk
from withdrawkit.testing import FakeClock, FakeOneKonto, FakeRipio, FaultPlan


def _fail_with_an_undocumented_status() -> None:
    fake = FakeOneKonto()
    fake.deposit("1 BTC")
    fake.whitelist_wallet("bitcoin", "bc1qexample")
    with fake.mock(), fake.client() as client:
        receipt = client.request_withdraw_blockchain("1 BTC", network="bitcoin")
    fake.fail(receipt.withdraw_request_id, status="lost")


BAD_SCENES: list[tuple[str, Callable[[], object]]] = [
    ("page size of zero", lambda: FakeRipio(page_size=0)),
    ("negative pending polls", lambda: FakeOneKonto(pending_polls=-1)),
    ("naive clock start", lambda: FakeClock(datetime(2026, 1, 1))),
    ("clock moved back", lambda: FakeClock().advance(seconds=-1)),
    ("fee rate of one", lambda: FakeOneKonto().set_fee("1")),
    ("book pair without a slash", lambda: FakeOneKonto().set_book("USDTUSD", bids=[("1", "1")])),
    ("failure status", _fail_with_an_undocumented_status),
    ("fault armed zero times", lambda: FaultPlan().fail_next("login", times=0)),
    ("negative delay", lambda: FaultPlan().delay("login", seconds=-1)),
    ("unknown asset deposited", lambda: FakeOneKonto().deposit("1 DOGE")),
]


@pytest.mark.parametrize(("case", "call"), BAD_SCENES, ids=[case for case, _ in BAD_SCENES])
def test_a_bad_scene_value_is_an_invalid_argument(case: str, call: Callable[[], object]) -> None:
    with pytest.raises(wk.InvalidArgument) as raised:
        call()
    assert isinstance(raised.value, wk.WithdrawKitError)
    assert isinstance(raised.value, ValueError)
