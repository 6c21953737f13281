"""Every answer of the fakes has the shape openapi/*.yaml gives its operation, errors included.

Each provider's script drives every route the fake serves through success and refusal; each
answer is validated against the response schema the spec declares for that operation and HTTP
status (or the operation's ``default``). The fakes' route tables must also agree with the specs'
paths, methods and operationIds, so a renamed path in a spec fails here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest

from tests.test_spec_examples import follow, load_spec, validator_for
from tests.testing.wire import account_path, call
from withdrawkit.testing import FakeOneKonto, FakeProvider, FakeResponse, FakeRipio


@attrs.frozen
class Observed:
    operation: str
    method: str
    path: str
    response: FakeResponse

    def __str__(self) -> str:
        return f"{self.operation} {self.response.status} ({self.method} {self.path})"


class Driver:
    """Sends requests through a fake's handler and keeps what each operation answered."""

    def __init__(self, fake: FakeProvider[Any]) -> None:
        self.fake = fake
        self.observed: list[Observed] = []

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        token: str | None = None,
        query: str = "",
        form: str | None = None,
    ) -> FakeResponse:
        body, headers = None, None
        if form is not None:
            body = form.encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
        response = call(
            self.fake, method, path, json=json, body=body, token=token, query=query, headers=headers
        )
        operation = self.fake.received[-1].operation
        assert operation is not None, f"{method} {path} matched no route"
        self.observed.append(Observed(operation, method, path, response))
        return response


def drive_onekonto() -> list[Observed]:
    fake = FakeOneKonto()
    fake.deposit("999 BTC")
    fake.deposit("100 USD")
    fake.set_credit_limit("2000 USD")
    fake.whitelist_wallet("bitcoin", "bc1qok")
    fake.whitelist_bank_account("012345678", "0123456789")
    drive = Driver(fake)
    digest = hashlib.sha256(fake.password.encode()).hexdigest()
    login = "/api/v1/identity/jwt"
    token = drive.send("POST", login, json={"user": fake.user, "password": digest}).json()["token"]
    drive.send("POST", login, json={"user": fake.user, "password": fake.password})
    drive.send("POST", login, json={"user": fake.user})

    drive.send("GET", account_path(fake), token=token)
    drive.send("GET", account_path(fake))
    drive.send("GET", "/api/v1/accounting/account/unknown", token=token)
    fake.faults.fail_next("getAccount", status=503)
    drive.send("GET", account_path(fake), token=token)
    drive.send("GET", account_path(fake, "/portfolio"), token=token)
    drive.send("GET", "/api/v1/accounting/account/unknown/portfolio", token=token)
    instructions = account_path(fake, "/request/deposit-instructions")
    drive.send("GET", instructions, token=token)
    drive.send("GET", instructions)
    drive.send(
        "GET", "/api/v1/accounting/account/unknown/request/deposit-instructions", token=token
    )
    fake.clear_deposit_instructions()
    drive.send("GET", instructions, token=token)
    fake.add_deposit_address("USDC", "tron", "my_tron_address")
    fake.set_bank_instruction(special_instructions="IBAN: My IBAN Account Number")
    drive.send("GET", instructions, token=token)

    blockchain = account_path(fake, "/request/withdraw/blockchain")
    done = drive.send(
        "POST",
        blockchain,
        json={"amount": "1 BTC", "network": "bitcoin", "address": "bc1qok"},
        token=token,
    ).json()["withdrawRequestId"]
    fake.complete(done)
    drive.send("POST", blockchain, json={"amount": "1100 BTC", "address": "bc1qok"}, token=token)
    drive.send("POST", blockchain, json={"amount": "0 BTC", "address": "elsewhere"}, token=token)
    fiat = account_path(fake, "/request/withdraw/fiat")
    bank = {"type": "fedwire", "routingNumber": "012345678", "accountNumber": "0123456789"}
    drive.send("POST", fiat, json={"amount": "50 USD", **bank, "instructions": ["x"]}, token=token)
    drive.send("POST", fiat, json={"amount": "500 USD", **bank}, token=token)
    drive.send("POST", fiat, json={"amount": "50 USD"}, token=token)

    query = account_path(fake, "/request/withdraw")
    drive.send("GET", query, token=token)
    drive.send("GET", query, token=token, query="status=completed&max=1")
    drive.send("GET", query, token=token, query="max=-1")
    drive_onekonto_market(fake, drive, token)
    return drive.observed


def drive_onekonto_market(fake: FakeOneKonto, drive: Driver, token: str) -> None:
    """Market data, orders, quotes and the ledger, through success and every refusal."""
    fake.deposit("20000 USDT")
    fake.set_fee("0.0005")
    fake.set_book("USDT/USD", bids=[("0.9995", "100000")], asks=[("1.0005", "100000")])
    fake.set_book("BTC/USDT", bids=[("24000", "2")], asks=[("24210", "2")])
    drive.send("GET", route(fake, "/topofbook"), token=token, query="assetPairs=USDT/USD,BTC/USDT")
    drive.send("GET", route(fake, "/topofbook"), token=token, query="assetPairs=XYZ/ABC")
    drive.send("GET", route(fake, "/topofbook"))
    drive.send("GET", route(fake, "/book"), token=token, query="assetPair=USDT/USD&levels=1")
    drive.send("GET", route(fake, "/book"), token=token, query="assetPair=USDT/USD&levels=0")
    estimate = route(fake, "/order/estimate")
    wanted = "source=USDT&destination=BTC&size=50&quote=USDT"
    drive.send("GET", estimate, token=token, query=wanted)
    drive.send("GET", estimate, token=token, query="source=USDT&destination=XYZ&size=5&quote=USDT")

    market = {"type": "market", "source": "USDT", "destination": "USD", "size": "1000 USDT"}
    drive.send("POST", route(fake, "/order"), json=market, token=token)
    drive.send("POST", route(fake, "/order"), json={**market, "size": "900000 USDT"}, token=token)
    fake.set_credit_conditions(business_hours=False)
    drive.send("POST", route(fake, "/order"), json={**market, "size": "900000 USDT"}, token=token)
    fake.set_credit_conditions()
    drive.send("POST", route(fake, "/order"), json={**market, "size": "0 USDT"}, token=token)
    limit = {
        "accountId": fake.account_id,
        "type": "limit",
        "source": "USDT",
        "destination": "BTC",
        "size": "1000 USDT",
        "limit": "0.00005 USDT/BTC",
        "endAt": "2999-08-24T14:15:22Z",
    }
    placed = drive.send("POST", route(fake, "/order/limit"), json=limit, token=token).json()
    drive.send("POST", route(fake, "/order/limit"), json={**limit, "accountId": "x"}, token=token)

    rfq = {"assetPair": "USDT/USD", "size": "100 USDT", "clientOrderId": "rfq-test-1"}
    quote = drive.send("POST", route(fake, "/order/rfq"), json=rfq, token=token).json()
    too_long = {**rfq, "clientOrderId": "x" * 1025}
    drive.send("POST", route(fake, "/order/rfq"), json=too_long, token=token)
    accept = route(fake, f"/order/rfq/{quote['orderId']}/accept")
    drive.send("POST", accept, json={"side": "sell"}, token=token)
    drive.send("POST", accept, json={"side": "sell"}, token=token)
    lapsing = drive.send("POST", route(fake, "/order/rfq"), json=rfq, token=token).json()
    fake.clock.advance(6)
    drive.send(
        "POST",
        route(fake, f"/order/rfq/{lapsing['orderId']}/accept"),
        json={"side": "buy"},
        token=token,
    )
    drive.send("POST", route(fake, "/order/rfq/missing/accept"), json={"side": "buy"}, token=token)

    orders = f"/api/v1/routing/order/account/{fake.account_id}"
    drive.send("GET", orders, token=token)
    drive.send("GET", orders, token=token, query="source=USDT&type=market&status=filled&asc=true")
    drive.send("GET", orders, token=token, query="status=done")
    drive.send("GET", f"{orders}/order/{placed['order']['orderId']}", token=token)
    drive.send("GET", f"{orders}/order/missing", token=token)
    ledger = f"/api/v1/accounting/ledger/{fake.account_id}"
    drive.send("GET", ledger, token=token, query="max=100")
    drive.send("GET", ledger, token=token, query="max=5&asset=USDT&type=trade")
    drive.send("GET", ledger, token=token)


def route(fake: FakeOneKonto, suffix: str) -> str:
    return f"/api/v1/routing/account/{fake.account_id}{suffix}"


def drive_ripio() -> list[Observed]:
    fake = FakeRipio(page_size=2)
    fake.deposit("customer_10", "3 ETH")
    fake.deposit_fiat("customer_10", "20000 ARS")
    bank = fake.add_beneficiary_account("customer_10")
    drive = Driver(fake)
    good = f"grant_type=client_credentials&client_id={fake.client_id}"
    token = drive.send(
        "POST", "/oauth2/token/", form=f"{good}&client_secret={fake.client_secret}"
    ).json()["access_token"]
    drive.send("POST", "/oauth2/token/", form=f"{good}&client_secret=wrong")
    drive.send("POST", "/oauth2/token/", form="grant_type=password")

    fees = "/api/v1/withdrawal-fees/"
    fee = {"currency": "ETH", "network": "ethereum", "amount": Decimal("0.002")}
    fee_id = drive.send("POST", fees, json=fee, token=token).json()["id"]
    drive.send("POST", fees, json={**fee, "network": "LIGHTNING"}, token=token)
    drive.send("POST", fees, json=fee)

    withdrawals = "/api/v1/withdrawals/"
    withdrawal = {
        "end_user": "customer_10",
        "currency": "ETH",
        "address": "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        "network": "ETHEREUM",
        "amount": Decimal("0.002"),
    }
    first = drive.send(
        "POST", withdrawals, json={**withdrawal, "withdrawal_fee_id": fee_id}, token=token
    ).json()["id"]
    second = drive.send(
        "POST", withdrawals, json={**withdrawal, "external_ref": "ref-2"}, token=token
    ).json()["id"]
    drive.send("POST", withdrawals, json={**withdrawal, "amount": "0.5"}, token=token)
    fake.complete(first)
    fake.fail(second)
    drive.send("POST", withdrawals, json={**withdrawal, "amount": Decimal(50)}, token=token)
    drive.send("POST", withdrawals, json={**withdrawal, "withdrawal_fee_id": fee_id}, token=token)
    drive.send("POST", withdrawals, json=withdrawal)
    drive.send("POST", withdrawals, json=withdrawal, token="not-issued")
    drive.send("GET", withdrawals, token=token)
    drive.send("GET", withdrawals, token=token, query="page=2")
    drive.send("GET", withdrawals, token=token, query="page=3")
    drive.send("GET", f"{withdrawals}{first}/", token=token)
    drive.send("GET", f"{withdrawals}{second}/", token=token)
    drive.send("GET", f"{withdrawals}missing/", token=token)
    drive.send("GET", f"{withdrawals}{first}/")

    fiat = {"end_user_id": "customer_10", "amount": Decimal("12345.67")}
    fiat_id = drive.send(
        "POST",
        "/api/v1/fiat-withdrawals/",
        json={**fiat, "beneficiary_fiat_account_id": bank, "external_ref": "fiat-1"},
        token=token,
    ).json()["id"]
    drive.send(
        "POST",
        "/api/v1/fiat-withdrawals/",
        json={**fiat, "beneficiary_fiat_account_id": "x"},
        token=token,
    )
    drive.send("POST", "/api/v1/fiat-withdrawals/", json=fiat)

    fiat_withdrawals = "/api/v1/fiat-withdrawals/"
    drive.send("GET", fiat_withdrawals, token=token)
    drive.send("GET", fiat_withdrawals, token=token, query="page=9")
    drive.send("GET", fiat_withdrawals)
    drive.send("GET", f"{fiat_withdrawals}{fiat_id}/", token=token)
    fake.complete(fiat_id)
    drive.send("GET", f"{fiat_withdrawals}{fiat_id}/", token=token)
    drive.send("GET", f"{fiat_withdrawals}missing/", token=token)

    deposits = "/api/v1/fiat-deposits/"
    deposit_id = fake.deposit_fiat("customer_10", "12345.67 ARS")
    fake.deposit_fiat("customer_10", "5 ARS", pending=True)
    fake.deposit_fiat("customer_10", "7 ARS")
    drive.send("GET", deposits, token=token)
    drive.send("GET", deposits, token=token, query="page=2")
    drive.send("GET", deposits, token=token, query="page=0")
    drive.send("GET", deposits)
    drive.send("GET", f"{deposits}{deposit_id}/", token=token)
    drive.send("GET", f"{deposits}missing/", token=token)

    end_users = "/api/v1/end-users/"
    drive.send("POST", end_users, json={"external_ref": "customer_11"}, token=token)
    drive.send("POST", end_users, json={"external_ref": "customer_11"}, token=token)
    drive.send("POST", end_users, json={"external_ref": "x" * 251}, token=token)
    drive.send("POST", end_users, json={}, token=token)
    drive.send("POST", end_users, json={"external_ref": "customer_12"})
    fake.set_limit(
        "customer_10",
        type="BUY",
        currency="ARS",
        period="DAILY",
        allowed_amount="5000000.00",
        allowed_frequency=10,
    )

    drive.send("GET", "/api/v1/rates/", token=token)
    drive.send("GET", "/api/v1/rates/")
    transactions = "/api/v1/transactions/"
    listed = drive.send("GET", transactions, token=token).json()["results"]
    drive.send("GET", transactions, token=token, query="page=2")
    drive.send("GET", transactions, token=token, query="page=99")
    drive.send("GET", transactions)
    drive.send("GET", f"{transactions}{listed[0]['id']}/", token=token)
    drive.send("GET", f"{transactions}missing/", token=token)

    for suffix in ("", "beneficiary-fiat-accounts/", "addresses/", "balances/", "limits/"):
        drive.send("GET", f"/api/v1/end-users/customer_10/{suffix}", token=token)
        drive.send("GET", f"/api/v1/end-users/nobody/{suffix}", token=token)
        drive.send("GET", f"/api/v1/end-users/customer_10/{suffix}")
    fake.expire_tokens()
    drive.send("GET", withdrawals, token=token)
    return drive.observed


SCRIPTS: dict[str, tuple[Callable[[], FakeProvider[Any]], Callable[[], list[Observed]]]] = {
    "onekonto": (FakeOneKonto, drive_onekonto),
    "ripio": (FakeRipio, drive_ripio),
}


def operations_of(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    for path, path_item in spec["paths"].items():
        for method, operation in path_item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                yield operation["operationId"], method.upper(), path, operation


def declared_schema(spec_name: str, observed: Observed) -> tuple[str, dict[str, Any]]:
    """The media type and schema the spec declares for this answer."""
    spec = load_spec(spec_name)
    operation = next(op for op_id, _, _, op in operations_of(spec) if op_id == observed.operation)
    responses = operation["responses"]
    status = observed.response.status
    declared = responses.get(str(status)) or responses.get("default")
    assert declared is not None, f"{observed}: the spec declares no {status} for it"
    content = follow(spec, declared)["content"]
    media_type = observed.response.headers.get("Content-Type", "")
    assert media_type in content, f"{observed}: {media_type!r} not among {sorted(content)}"
    return media_type, content[media_type]["schema"]


def cases() -> Iterator[Any]:
    for spec_name, (_, script) in SCRIPTS.items():
        for index, observed in enumerate(script()):
            yield pytest.param(spec_name, observed, id=f"{spec_name}-{index:02d}-{observed}")


@pytest.mark.parametrize(("spec_name", "observed"), list(cases()))
def test_each_answer_matches_the_spec(spec_name: str, observed: Observed) -> None:
    _, schema = declared_schema(spec_name, observed)
    body = observed.response.json()
    problems = [
        f"{error.message} at {list(error.absolute_path)}"
        for error in validator_for(spec_name, schema).iter_errors(body)
    ]
    assert problems == [], f"{observed}: {body}"


@pytest.mark.parametrize("spec_name", sorted(SCRIPTS))
def test_the_fakes_routes_are_the_specs_operations(spec_name: str) -> None:
    make_fake, _ = SCRIPTS[spec_name]
    spec_operations = {
        op_id: (method, path) for op_id, method, path, _ in operations_of(load_spec(spec_name))
    }
    for route in make_fake().routes:
        assert route.operation in spec_operations, f"{route.operation} is not in {spec_name}.yaml"
        assert spec_operations[route.operation] == (route.method, route.template)


def test_every_bearer_authenticated_ripio_operation_declares_the_401_of_a_rejected_token() -> None:
    spec = load_spec("ripio")
    for operation_id, _, _, operation in operations_of(spec):
        if operation.get("security", spec["security"]):
            declared = operation["responses"].get("401")
            assert declared == {"$ref": "#/components/responses/Unauthorized"}, operation_id
    unauthorized = spec["components"]["responses"]["Unauthorized"]
    schema = unauthorized["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/ErrorEnvelope"}


@pytest.mark.parametrize("spec_name", sorted(SCRIPTS))
def test_the_scripts_drive_every_route_to_success_and_refusal(spec_name: str) -> None:
    make_fake, script = SCRIPTS[spec_name]
    observed = script()
    for operation in make_fake().operations:
        statuses = {seen.response.status for seen in observed if seen.operation == operation}
        assert any(status < 300 for status in statuses), f"{operation} never succeeded"
        assert any(status >= 400 for status in statuses), f"{operation} never refused"
