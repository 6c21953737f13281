"""The soak: money-moving calls (crypto and fiat withdrawals on both providers, 1Konto market
orders) under injected faults, then every unknown outcome reconciled and every answer checked
against the fakes' own ledgers.

Both fakes are served on 127.0.0.1; one ``RipioClient`` and one ``OneKontoClient`` are shared by
every thread. About ``--fault-rate`` of the calls have a fault armed for them: an answer slower
than the read timeout, the connection dropped before or after the fake applied the request, a
500/502/503/429, every token expired. (Faults are queued per operation, so under threads a fault
may land on a neighbouring call; the counts are what matter.) A few calls are refused on purpose
(an amount beyond the balance, a wallet off the whitelist). Each call moves a distinct amount,
which is how the audit finds it in a ledger whatever the client said.

An expired token is renewed once and the call repeated once; with 32 threads in flight, an expiry
often catches a repeat that renewed after the previous one, so some calls end in
``AuthenticationFailed``: refused, and the audit checks that they were not applied.

Exit status 1 when any count that means lost or doubled money is not zero, or an unknown outcome
was not resolved correctly. ``nox -s soak`` runs it; ``tests/test_soak.py`` runs a seeded,
smaller one.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

import withdrawkit as wk
from withdrawkit.testing import FakeOneKonto, FakeRipio

RIPIO: Final = "Ripio create_withdrawal"
PESOS: Final = "Ripio create_fiat_withdrawal"
BLOCKCHAIN: Final = "1Konto request_withdraw_blockchain"
FIAT: Final = "1Konto request_withdraw_fiat"
ORDER: Final = "1Konto place_market_order"
OPERATIONS: Final = {
    RIPIO: "createWithdrawal",
    PESOS: "createFiatWithdrawal",
    BLOCKCHAIN: "requestWithdrawBlockchain",
    FIAT: "requestWithdrawFiat",
    ORDER: "placeMarketOrder",
}
READS: Final = {
    RIPIO: "listWithdrawals",
    PESOS: "listFiatWithdrawals",
    BLOCKCHAIN: "queryWithdrawRequests",
    FIAT: "queryWithdrawRequests",
    ORDER: "queryOrders",
}
FAULTS: Final = {  # kind -> weight among the faulted calls
    "slow": 20,
    "dropped before applying": 15,
    "dropped after applying": 15,
    "500": 10,
    "502": 10,
    "503": 10,
    "429": 10,
    "tokens expired": 10,
}
READ_TIMEOUT: Final = 0.25
SLOW_ANSWER: Final = 0.6  # seconds: past the read timeout
SETTLE_TIME: Final = 2.0  # longer than any request stays in flight here
RECONCILE_ATTEMPTS: Final = 5
WALLET: Final = ("bitcoin", "bc1qsoakwallet")
BANK: Final = ("021000021", "9876543210")
ETH_ADDRESS: Final = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"


@dataclass(frozen=True)
class Planned:
    """One money-moving call: its operation, the distinct amount it moves, its fault."""

    number: int
    operation: str
    amount: str
    fault: str | None
    refused_on_purpose: bool
    external_ref: str | None


@dataclass
class Result:
    planned: Planned
    outcome: str  # accepted, refused, unknown, not sent, other
    returned_id: str | None = None
    error: BaseException | None = None
    reconciled_id: str | None = None
    reconcile_error: BaseException | None = None


@dataclass
class Report:
    calls: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    other_errors: Counter[str] = field(default_factory=Counter)
    duplicates: int = 0
    success_absent: int = 0
    refused_present: int = 0
    never_sent_present: int = 0
    unknown: int = 0
    resolved_applied: int = 0
    resolved_not_applied: int = 0
    resolved_wrongly: int = 0
    unresolved: int = 0
    reconcile_retries: int = 0
    logins: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def money_problems(self) -> dict[str, int]:
        """Every count that must be zero: lost or doubled money, or an unknown left unknown."""
        return {
            "duplicates": self.duplicates,
            "reported success but absent": self.success_absent,
            "reported refused but present": self.refused_present,
            "in a ledger but never sent": self.never_sent_present,
            "unknown outcomes resolved wrongly": self.resolved_wrongly,
            "unknown outcomes not resolved": self.unresolved,
            "other exception types": sum(self.other_errors.values()),
        }

    def lines(self, *, seed: int, threads: int) -> list[str]:
        resolved = self.resolved_applied + self.resolved_not_applied
        problems = self.money_problems()
        return [
            f"soak: {sum(self.calls.values())} money-moving calls, {threads} threads, seed {seed},"
            f" {self.seconds:.1f} s",
            f"  calls: {_listed(self.calls)}",
            f"  faults armed: {sum(self.faults.values())} ({_listed(self.faults)})",
            f"  outcomes: {_listed(self.outcomes)}",
            f"  refusals: {_listed(self.refusals)}",
            f"  duplicates: {problems['duplicates']}",
            f"  reported success but absent: {problems['reported success but absent']}",
            f"  reported refused but present: {problems['reported refused but present']}",
            f"  in a ledger but never sent: {problems['in a ledger but never sent']}",
            f"  unknown outcomes: {self.unknown}; reconcile resolved {resolved} correctly "
            f"({self.resolved_applied} applied, {self.resolved_not_applied} not applied), "
            f"{self.resolved_wrongly} wrongly, {self.unresolved} not at all "
            f"({self.reconcile_retries} reconcile calls retried after a failed read)",
            f"  other exception types: {_listed(self.other_errors) or 'none'}",
            f"  logins per client: {_listed(Counter(self.logins))}",
        ]


def _listed(counts: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))


# -- the plan -------------------------------------------------------------------------------------


def plan(calls: int, *, seed: int, fault_rate: float) -> list[Planned]:
    """``calls`` calls spread over the three operations, each with a distinct amount."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible plan, not a secret
    kinds, weights = list(FAULTS), list(FAULTS.values())
    planned = []
    for number in range(calls):
        operation = rng.choice([RIPIO, PESOS, BLOCKCHAIN, FIAT, ORDER])
        fault = rng.choices(kinds, weights)[0] if rng.random() < fault_rate else None
        refused = operation != ORDER and rng.random() < 0.04
        reference = f"soak-{seed}-{number}" if rng.random() < 0.5 else None
        planned.append(
            Planned(
                number, operation, _amount(operation, number, refused), fault, refused, reference
            )
        )
    return planned


def _amount(operation: str, number: int, refused: bool) -> str:
    unique = Decimal(number + 1).scaleb(-8)
    if operation == RIPIO:
        return f"{(Decimal(10**7) if refused else Decimal('0.001')) + unique} ETH"
    if operation == BLOCKCHAIN:
        return f"{Decimal('0.001') + unique} BTC"
    if operation == ORDER:
        return f"{Decimal('0.5') + unique} BTC"
    if operation == PESOS:
        return (
            f"{(Decimal(10**9) if refused else Decimal(1000)) + Decimal(number + 1).scaleb(-2)} ARS"
        )
    return f"{Decimal(100) + Decimal(number + 1).scaleb(-2)} USD"


def arm(fake: FakeRipio | FakeOneKonto, operation: str, fault: str | None) -> None:
    faults = fake.faults
    if fault is None:
        return
    if fault == "slow":
        faults.delay(operation, seconds=SLOW_ANSWER)
    elif fault.startswith("dropped"):
        faults.drop_connection(operation, request_applied=fault.endswith("after applying"))
    elif fault == "tokens expired":
        faults.expire_tokens_before(operation)
    else:
        faults.fail_next(operation, status=int(fault), retry_after=1 if fault == "429" else None)


# -- sending --------------------------------------------------------------------------------------


@dataclass
class Scene:
    ripio_fake: FakeRipio
    konto_fake: FakeOneKonto
    ripio: wk.RipioClient
    konto: wk.OneKontoClient
    beneficiary_account: str

    def fake_for(self, operation: str) -> FakeRipio | FakeOneKonto:
        return self.ripio_fake if operation in (RIPIO, PESOS) else self.konto_fake


def send(scene: Scene, planned: Planned) -> Result:
    arm(scene.fake_for(planned.operation), OPERATIONS[planned.operation], planned.fault)
    try:
        returned = _call(scene, planned)
    except wk.OutcomeUnknown as unknown:
        return Result(planned, "unknown", error=unknown)
    except wk.APIError as refused:
        return Result(planned, "refused", error=refused)
    except wk.TransportError as failed:
        return Result(planned, "not sent", error=failed)
    except Exception as other:  # noqa: BLE001 - the soak counts whatever escapes
        return Result(planned, "other", error=other)
    return Result(planned, "accepted", returned_id=returned)


def _call(scene: Scene, planned: Planned) -> str:
    if planned.operation == RIPIO:
        created = scene.ripio.create_withdrawal(
            planned.amount,
            end_user="customer_10",
            address=ETH_ADDRESS,
            network="ETHEREUM",
            external_ref=planned.external_ref,
        )
        return created.id
    if planned.operation == PESOS:
        return scene.ripio.create_fiat_withdrawal(
            planned.amount,
            end_user="customer_10",
            beneficiary_fiat_account_id=scene.beneficiary_account,
            external_ref=planned.external_ref,
        ).id
    if planned.operation == ORDER:
        return scene.konto.place_market_order(planned.amount, destination="USD").order_id
    if planned.operation == BLOCKCHAIN:
        address = "bc1qnotwhitelisted" if planned.refused_on_purpose else WALLET[1]
        receipt = scene.konto.request_withdraw_blockchain(
            planned.amount, network=WALLET[0], address=address
        )
    else:
        account = "0000000000" if planned.refused_on_purpose else BANK[1]
        receipt = scene.konto.request_withdraw_fiat(
            planned.amount, type="fedwire", routing_number=BANK[0], account_number=account
        )
    return receipt.withdraw_request_id


# -- reconciling ----------------------------------------------------------------------------------


def reconcile(scene: Scene, result: Result, known: frozenset[str], rng: random.Random) -> int:
    """Reconcile ``result``'s OutcomeUnknown, retrying a failed read; returns the retries."""
    if not isinstance(result.error, wk.OutcomeUnknown):
        raise TypeError(f"only an OutcomeUnknown is reconciled, not {result.error!r}")
    operation = result.planned.operation
    if rng.random() < 0.1:  # the reads fail too, past the transport's own retries
        scene.fake_for(operation).faults.fail_next(READS[operation], status=503, times=3)
    for attempt in range(RECONCILE_ATTEMPTS):
        try:
            result.reconciled_id = _reconciled_id(scene, operation, result.error, known)
        except (wk.ServerError, wk.TransportError, wk.RateLimited) as failed:
            result.reconcile_error = failed  # a read failed: the app would try again
            continue
        except wk.WithdrawKitError as failed:
            result.reconcile_error = failed
            return attempt
        result.reconcile_error = None
        return attempt
    return RECONCILE_ATTEMPTS


def _reconciled_id(
    scene: Scene, operation: str, unknown: wk.OutcomeUnknown, known: frozenset[str]
) -> str | None:
    """The id reconcile finds for ``unknown``, or None when it says the call was not applied."""
    if operation == RIPIO:
        withdrawal = scene.ripio.reconcile(unknown, settle_time=SETTLE_TIME)
        return None if withdrawal is None else withdrawal.id
    if operation == PESOS:
        paid = scene.ripio.reconcile_fiat_withdrawal(unknown, settle_time=SETTLE_TIME)
        return None if paid is None else paid.id
    if operation == ORDER:
        order = scene.konto.reconcile_order(unknown, settle_time=SETTLE_TIME, exclude=known)
        return None if order is None else order.order_id
    request = scene.konto.reconcile(unknown, settle_time=SETTLE_TIME, exclude=known)
    return None if request is None else request.withdraw_request_id


# -- the audit ------------------------------------------------------------------------------------


def ledger(scene: Scene) -> dict[tuple[str, Decimal], list[str]]:
    """The ids the fakes' own books (withdrawals, withdraw requests, orders) hold for each
    (asset, amount)."""
    books: dict[tuple[str, Decimal], list[str]] = {}
    for record in scene.ripio_fake.withdrawals():
        books.setdefault((record.currency, record.amount), []).append(record.id)
    for fiat in scene.ripio_fake.fiat_withdrawals():
        books.setdefault((fiat.currency_code, fiat.amount), []).append(fiat.id)
    for request in scene.konto_fake.withdraw_requests():
        key = (request.amount.asset, request.amount.value)
        books.setdefault(key, []).append(request.withdraw_request_id)
    for placed in scene.konto_fake.orders():
        books.setdefault((placed.size.asset, placed.size.value), []).append(placed.order_id)
    return books


def audit(scene: Scene, results: Sequence[Result], report: Report) -> None:
    books = ledger(scene)
    report.duplicates = sum(len(ids) - 1 for ids in books.values())
    sent_keys = set()
    for result in results:
        amount = wk.Amount.parse(result.planned.amount)
        key = (amount.asset, amount.value)
        sent_keys.add(key)
        present = key in books
        report.calls[result.planned.operation] += 1
        report.outcomes[result.outcome] += 1
        if result.planned.fault is not None:
            report.faults[result.planned.fault] += 1
        if result.outcome == "accepted" and result.returned_id not in books.get(key, []):
            report.success_absent += 1
        elif result.outcome in ("refused", "not sent") and present:
            report.refused_present += 1
        if result.outcome == "refused":
            report.refusals[type(result.error).__name__] += 1
        elif result.outcome == "other":
            report.other_errors[type(result.error).__name__] += 1
        elif result.outcome == "unknown":
            _audit_unknown(result, books.get(key, []), report)
    report.never_sent_present = sum(1 for key in books if key not in sent_keys)


def _audit_unknown(result: Result, in_ledger: list[str], report: Report) -> None:
    report.unknown += 1
    found = result.reconciled_id
    right = found in in_ledger if found is not None else not in_ledger
    if result.reconcile_error is not None:
        report.unresolved += 1
    elif not right:
        report.resolved_wrongly += 1
    elif found is None:
        report.resolved_not_applied += 1
    else:
        report.resolved_applied += 1


# -- the run --------------------------------------------------------------------------------------


@contextmanager
def scene_served() -> Iterator[Scene]:
    ripio_fake = FakeRipio(page_size=25)
    ripio_fake.deposit("customer_10", "1000 ETH")
    ripio_fake.deposit_fiat("customer_10", "10000000 ARS")
    account = ripio_fake.add_beneficiary_account("customer_10")
    konto_fake = FakeOneKonto()
    konto_fake.deposit("1000 BTC")
    konto_fake.deposit("10000000 USD")
    konto_fake.whitelist_wallet(*WALLET)
    konto_fake.whitelist_bank_account(*BANK)
    konto_fake.set_book("BTC/USD", bids=[("59000", "1000000")], asks=[("59100", "1000000")])
    timeout = (2.0, READ_TIMEOUT)
    with ExitStack() as stack:
        stack.enter_context(ripio_fake.serve())
        stack.enter_context(konto_fake.serve())
        ripio = stack.enter_context(ripio_fake.client(timeout=timeout))
        konto = stack.enter_context(konto_fake.client(timeout=timeout))
        yield Scene(ripio_fake, konto_fake, ripio, konto, account)


def run(*, calls: int, seed: int, threads: int, fault_rate: float = 0.3) -> Report:
    """Send ``calls`` planned calls on ``threads`` threads, reconcile, audit; the figures."""
    started = time.monotonic()
    report = Report()
    with scene_served() as scene, ThreadPoolExecutor(threads) as pool:
        results = list(
            pool.map(lambda p: send(scene, p), plan(calls, seed=seed, fault_rate=fault_rate))
        )
        for fake in (scene.ripio_fake, scene.konto_fake):
            fake.faults.clear()  # a fault a neighbour's renewed request did not take
        known = frozenset(r.returned_id for r in results if r.returned_id is not None)
        unknown = [result for result in results if result.outcome == "unknown"]
        rngs = [random.Random(seed * 100_003 + n) for n in range(len(unknown))]  # noqa: S311
        retried = pool.map(
            lambda pair: reconcile(scene, pair[0], known, pair[1]), zip(unknown, rngs, strict=True)
        )
        report.reconcile_retries = sum(retried)
        audit(scene, results, report)
        report.logins = {
            "RipioClient": len(scene.ripio_fake.calls("getAccessToken")),
            "OneKontoClient": len(scene.konto_fake.calls("login")),
        }
    report.seconds = time.monotonic() - started
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--fault-rate", type=float, default=0.3)
    options = parser.parse_args(argv)
    report = run(
        calls=options.calls,
        seed=options.seed,
        threads=options.threads,
        fault_rate=options.fault_rate,
    )
    print("\n".join(report.lines(seed=options.seed, threads=options.threads)))
    failing = {name: count for name, count in report.money_problems().items() if count}
    if failing:
        print(f"FAILED: {_listed(Counter(failing))}", file=sys.stderr)
        return 1
    print("OK: no money lost or moved twice")
    return 0


if __name__ == "__main__":
    sys.exit(main())
