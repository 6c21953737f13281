"""Both fakes, served on loopback, fuzzed from their specs by schemathesis.

For every operation a fake serves, schemathesis sends the spec's examples, requests built to
cover each schema's edges (missing fields, wrong types, bad enum values, other HTTP methods)
and random valid and invalid requests. Path parameters are half the time an id the fake knows
(its account, end user, withdrawal), so the fuzzing reaches past "not found". Every answer must
have a status the spec documents for its operation, a documented content type and a body that
validates against the declared schema, and a fake never crashes (a 500 is a bug of the fake).

The suite runs a short seeded run (SPEC_FUZZ_EXAMPLES generated requests per operation, 10
by default; seed SPEC_FUZZ_SEED); `nox -s spec_fuzz` runs a longer one with a new seed. A
failure prints the request that broke the rule as a curl command. A mismatch is fixed in the
fake or, where the fake is right and the spec wrong, in the spec, with its reason.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import pytest
import requests

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is a nox-installed tool")

# These need schemathesis installed (hypothesis comes with it).
import hypothesis  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi import checks  # noqa: E402

from withdrawkit.testing import FakeOneKonto, FakeRipio  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = int(os.environ.get("SPEC_FUZZ_EXAMPLES", "10"))
_SEED = os.environ.get("SPEC_FUZZ_SEED", "20261201")
SEED = None if _SEED == "random" else int(_SEED)

# What the issue asks of every answer. schemathesis's other checks judge how strictly a server
# validates its input (that it refuses every request the schema would refuse), which a fake
# mirroring a lenient vendor need not do.
CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no example database: every run is the seeded one, nothing carried over
    suppress_health_check=list(hypothesis.HealthCheck),
)


Test = Callable[..., None]


def fuzzed(schema: Any) -> Callable[[Test], Test]:
    """One test per operation of ``schema``, each a bounded (and unless told, seeded) run."""

    def decorate(test: Test) -> Test:
        parametrized = cast("Test", schema.parametrize()(SETTINGS(test)))
        return hypothesis.seed(SEED)(parametrized) if SEED is not None else parametrized

    return decorate


# The fakes the schemas are fuzzed against, one of each for the whole module. The spec's own
# examples (the account id, the withdrawal bodies) name things the fake then knows, so the
# examples schemathesis sends first are answered as successes.
ONEKONTO = FakeOneKonto()
ONEKONTO.account_id = ONEKONTO.add_account("NNCV3kWoo0Se_bUUl_8yRg", owner=ONEKONTO.user)
RIPIO = FakeRipio(page_size=2)
# Path parameter -> a value the served fake knows; filled in as each fake is served.
KNOWN: dict[str, str] = {"service": "identity", "accountId": ONEKONTO.account_id}


def spec(name: str, fake: FakeOneKonto | FakeRipio) -> Any:
    """The spec's operations that ``fake`` serves, with known ids mixed into path parameters."""
    schema = schemathesis.openapi.from_path(ROOT / "openapi" / f"{name}.yaml")
    schema = schema.include(operation_id=sorted(set(fake.operations)))

    def known_or_generated(context: Any, path_parameters: dict[str, Any] | None) -> Any:
        known = {name: KNOWN[name] for name in path_parameters or {} if name in KNOWN}
        if not path_parameters or not known:
            return st.just(path_parameters)
        return st.sampled_from([{**path_parameters, **known}, path_parameters])

    schema.hook("flatmap_path_parameters")(known_or_generated)
    return schema


ONEKONTO_SPEC = spec("onekonto", ONEKONTO)
RIPIO_SPEC = spec("ripio", RIPIO)


class Served:
    """A served fake's base URL and a valid token for its bearer routes."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url
        self.headers = {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def ripio(request: pytest.FixtureRequest) -> Iterator[Served]:
    RIPIO.deposit("customer_10", "3 ETH")
    RIPIO.deposit("customer_10", "20000 ARS")
    RIPIO.add_beneficiary_account("customer_10")
    KNOWN["end_user_id"] = "customer_10"
    with RIPIO.serve() as base_url:
        form = {"grant_type": "client_credentials", "client_id": RIPIO.client_id}
        answer = requests.post(
            f"{base_url}/oauth2/token/",
            data={**form, "client_secret": RIPIO.client_secret},
            timeout=5,
        )
        served = Served(base_url, answer.json()["access_token"])
        withdrawal = requests.post(
            f"{base_url}/api/v1/withdrawals/",
            json={
                "end_user": "customer_10",
                "currency": "ETH",
                "address": "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
                "network": "ETHEREUM",
                "amount": float(Decimal("0.002")),
            },
            headers=served.headers,
            timeout=5,
        )
        KNOWN["withdrawal_id"] = withdrawal.json()["id"]
        yield served
    report(request, RIPIO)


@pytest.fixture(scope="module")
def onekonto(request: pytest.FixtureRequest) -> Iterator[Served]:
    ONEKONTO.deposit("999 BTC")
    ONEKONTO.deposit("100 USD")
    ONEKONTO.set_credit_limit("2000 USD")
    ONEKONTO.whitelist_wallet("bitcoin", "myWalletAddress")
    ONEKONTO.whitelist_bank_account("012345678", "0123456789")
    ONEKONTO.whitelist_bank_account("01234567890123", "012345")
    # Markets for the pairs of the spec's order and quote examples, so they reach a fill.
    ONEKONTO.deposit("50000 USDT")
    ONEKONTO.set_book("USDT/USD", bids=[("0.9995", "1000000")], asks=[("1.0005", "1000000")])
    ONEKONTO.set_book("BTC/USDT", bids=[("24000", "10")], asks=[("24210", "10")])
    ONEKONTO.set_book("USD/USDC", bids=[("0.9985", "1000000")], asks=[("1.0015", "1000000")])
    with ONEKONTO.serve() as base_url:
        digest = hashlib.sha256(ONEKONTO.password.encode()).hexdigest()
        answer = requests.post(
            f"{base_url}/api/v1/identity/jwt",
            json={"user": ONEKONTO.user, "password": digest},
            timeout=5,
        )
        yield Served(base_url, answer.json()["token"])
    report(request, ONEKONTO)


def report(request: pytest.FixtureRequest, fake: FakeOneKonto | FakeRipio) -> None:
    """After the last case: how many requests the run sent and what the fake answered."""
    received = fake.received
    statuses = Counter(str(seen.status) for seen in received)
    operations = Counter(seen.operation or "(no route)" for seen in received)
    line = (
        f"{type(fake).__name__}: {len(received)} requests (seed"
        f" {SEED if SEED is not None else 'random'}, {EXAMPLES} examples per operation);"
        f" statuses {dict(sorted(statuses.items()))};"
        f" per operation {dict(sorted(operations.items()))}"
    )
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if capture is not None and reporter is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\n{line}")


@fuzzed(RIPIO_SPEC)
def test_the_ripio_fake_answers_as_its_spec_says(case: Any, ripio: Served) -> None:
    response = case.call(base_url=ripio.base_url, headers=ripio.headers, timeout=10)
    case.validate_response(response, checks=CHECKS)


@fuzzed(ONEKONTO_SPEC)
def test_the_onekonto_fake_answers_as_its_spec_says(case: Any, onekonto: Served) -> None:
    response = case.call(base_url=onekonto.base_url, headers=onekonto.headers, timeout=10)
    case.validate_response(response, checks=CHECKS)
