"""``scripts/soak.py``: a seeded run of 200 calls moves no money twice and loses none, and the
audit does count lost and doubled money when there is some."""

from __future__ import annotations

import importlib.util
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from withdrawkit.testing import FakeOneKonto, FakeRipio

SOAK = Path(__file__).resolve().parent.parent / "scripts" / "soak.py"


def load_soak() -> ModuleType:
    spec = importlib.util.spec_from_file_location("withdrawkit_soak", SOAK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


soak = load_soak()


def test_a_seeded_soak_of_200_calls_loses_and_doubles_nothing() -> None:
    report = soak.run(calls=200, seed=12, threads=32)

    assert report.money_problems() == dict.fromkeys(report.money_problems(), 0)
    assert sum(report.calls.values()) == 200
    assert set(report.calls) == {soak.RIPIO, soak.PESOS, soak.BLOCKCHAIN, soak.FIAT, soak.ORDER}
    assert 40 <= sum(report.faults.values()) <= 80  # about 30 %
    assert report.unknown > 0
    assert report.resolved_applied > 0 and report.resolved_not_applied > 0
    assert report.resolved_applied + report.resolved_not_applied == report.unknown
    assert report.outcomes["accepted"] > 100
    assert all(count >= 1 for count in report.logins.values())
    assert "  duplicates: 0" in report.lines(seed=12, threads=32)


@pytest.fixture
def scene() -> Iterator[object]:
    ripio_fake = FakeRipio()
    ripio_fake.deposit("customer_10", "10 ETH")
    konto_fake = FakeOneKonto()
    with ripio_fake.mock(), konto_fake.mock():
        account = ripio_fake.add_beneficiary_account("customer_10")
        clients = (ripio_fake.client(), konto_fake.client())
        yield soak.Scene(ripio_fake, konto_fake, *clients, account)


def planned(number: int, amount: str) -> object:
    return soak.Planned(number, soak.RIPIO, amount, None, False, None)


def create(scene: object, amount: str) -> str:
    created = scene.ripio.create_withdrawal(  # type: ignore[attr-defined]
        amount, end_user="customer_10", address=soak.ETH_ADDRESS, network="ETHEREUM"
    )
    return str(created.id)


def test_the_audit_counts_every_kind_of_lost_or_doubled_money(scene: object) -> None:
    twice = create(scene, "0.1 ETH")
    create(scene, "0.1 ETH")
    refused_but_there = create(scene, "0.3 ETH")
    create(scene, "0.4 ETH")  # in the ledger, sent by no planned call
    applied = create(scene, "0.5 ETH")
    results = [
        soak.Result(planned(1, "0.1 ETH"), "accepted", returned_id=twice),
        soak.Result(planned(2, "0.2 ETH"), "accepted", returned_id="never-created"),
        soak.Result(planned(3, "0.3 ETH"), "refused", error=RuntimeError(refused_but_there)),
        soak.Result(planned(5, "0.5 ETH"), "unknown", reconciled_id=None),  # it was applied
        soak.Result(planned(6, "0.6 ETH"), "other", error=KeyError("x")),
    ]
    report = soak.Report()

    soak.audit(scene, results, report)

    assert applied
    assert report.money_problems() == {
        "duplicates": 1,
        "reported success but absent": 1,
        "reported refused but present": 1,
        "in a ledger but never sent": 1,
        "unknown outcomes resolved wrongly": 1,
        "unknown outcomes not resolved": 0,
        "other exception types": 1,
    }


def test_the_soak_fails_when_money_was_lost(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    report = soak.Report()
    report.success_absent = 2
    monkeypatch.setattr(soak, "run", lambda **options: report)

    assert soak.main(["--calls", "1"]) == 1
    assert "FAILED: reported success but absent 2" in capsys.readouterr().err


class NoExtraReadFaults(random.Random):
    """The soak's dice for a reconcile, always saying "arm no read fault of your own"."""

    def random(self) -> float:
        return 1.0


def test_a_reconcile_whose_reads_fail_is_tried_again_and_counts_once_it_succeeds(
    scene: object,
) -> None:
    fakes: Any = scene
    fakes.ripio_fake.faults.drop_connection("createWithdrawal", request_applied=True)
    call = soak.Planned(1, soak.RIPIO, "0.7 ETH", None, False, None)
    sent = soak.send(scene, call)
    assert sent.outcome == "unknown"
    fakes.ripio_fake.faults.fail_next("listWithdrawals", status=503, times=3)
    retries = soak.reconcile(scene, sent, frozenset(), NoExtraReadFaults())

    assert retries == 1
    assert sent.reconcile_error is None
    assert sent.reconciled_id == fakes.ripio_fake.withdrawals()[0].id
