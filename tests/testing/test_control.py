"""The control surface in process: every endpoint's effect on the fake, and each refusal."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from withdrawkit.testing import DropConnection, FakeOneKonto, FakeRequest, FakeResponse, FakeRipio
from withdrawkit.testing._control import ControlSurface
from withdrawkit.testing._control_scenes import onekonto_scene, ripio_scene
from withdrawkit.testing._faults import Delay, ExpireTokens


def control(
    surface: ControlSurface[Any], method: str, path: str, body: object = None
) -> tuple[int, Any]:
    raw = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    answer = surface.handle(FakeRequest.build(method, f"/_withdrawkit/{path}", body=raw))
    assert isinstance(answer, FakeResponse)
    return answer.status, answer.json()


@pytest.fixture
def ripio() -> ControlSurface[FakeRipio]:
    return ControlSurface(ripio_scene())


@pytest.fixture
def onekonto() -> ControlSurface[FakeOneKonto]:
    return ControlSurface(onekonto_scene())


def test_requests_outside_the_prefix_reach_the_fake(ripio: ControlSurface[FakeRipio]) -> None:
    answer = ripio.handle(FakeRequest.build("GET", "/api/v1/withdrawals/"))
    assert isinstance(answer, FakeResponse)
    assert answer.status == 403  # the fake's own answer: no token
    assert [seen.operation for seen in ripio.fake.received] == ["listWithdrawals"]
    lookalike = ripio.handle(FakeRequest.build("GET", "/_withdrawkitten"))
    assert isinstance(lookalike, FakeResponse) and lookalike.status == 404
    assert ripio.fake.received[-1].operation is None  # the fake's "no route", not the surface's


def test_each_kind_of_fault_is_armed_as_asked(ripio: ControlSurface[FakeRipio]) -> None:
    faults = ripio.fake.faults
    assert (
        control(
            ripio,
            "POST",
            "faults",
            {"operation": "getWithdrawal", "fault": "delay", "seconds": 0.25, "times": 2},
        )[0]
        == 200
    )
    assert faults.take("getWithdrawal") == Delay(0.25)
    assert control(ripio, "POST", "faults", {"operation": "*", "fault": "expire_tokens"})[0] == 200
    assert faults.take("listWithdrawals") == ExpireTokens()
    assert (
        control(
            ripio,
            "POST",
            "faults",
            {
                "operation": "createWithdrawal",
                "fault": "fail",
                "status": 429,
                "retry_after": 3,
                "body": "slow down",
                "content_type": "text/plain",
            },
        )[0]
        == 200
    )
    ripio.fake.faults.drop_connection("getEndUser")
    assert control(ripio, "DELETE", "faults") == (200, {"pending": 0})
    assert faults.pending() == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"operation": "getWithdrawal", "fault": "fail", "status": 99},
            "status must be 100 to 599",
        ),
        ({"operation": "getWithdrawal", "fault": "fail", "times": 0}, "times must be at least 1"),
        ({"operation": "getWithdrawal", "fault": "fail", "times": 1.5}, "times must be an integer"),
        (
            {"operation": "getWithdrawal", "fault": "drop", "request_applied": "yes"},
            "true or false",
        ),
        ({"operation": "getWithdrawal", "fault": "delay", "seconds": -1}, "number of seconds"),
        (
            {"operation": "getWithdrawal", "fault": "delay", "seconds": 1, "status": 500},
            "unknown fields",
        ),
        ({"fault": "fail"}, "operation must be a non-empty string"),
    ],
)
def test_a_fault_that_cannot_exist_is_refused(
    ripio: ControlSurface[FakeRipio], body: dict[str, Any], message: str
) -> None:
    status, answer = control(ripio, "POST", "faults", body)
    assert status == 400
    assert message in answer["error"]
    assert ripio.fake.faults.pending() == 0


def test_settings_and_the_clock(ripio: ControlSurface[FakeRipio]) -> None:
    assert control(ripio, "POST", "settings", {"pending_polls": 2}) == (200, {"pending_polls": 2})
    assert ripio.fake.pending_polls == 2
    assert control(ripio, "POST", "settings", {"pending_polls": None}) == (
        200,
        {"pending_polls": None},
    )
    assert control(ripio, "POST", "settings", {})[0] == 400
    before = ripio.fake.clock.now()
    status, answer = control(ripio, "POST", "clock/advance", {"seconds": 3600})
    assert status == 200
    assert datetime.fromisoformat(answer["now"]) - before >= timedelta(hours=1)
    assert control(ripio, "POST", "clock/advance", {"seconds": "soon"})[0] == 400


def test_bodies_that_are_not_json_objects_are_refused(ripio: ControlSurface[FakeRipio]) -> None:
    assert control(ripio, "POST", "deposit", b"{nope")[0] == 400
    status, answer = control(ripio, "POST", "deposit", [1, 2])
    assert (status, answer) == (400, {"error": "the body must be a JSON object"})
    assert control(ripio, "GET", "deposit")[0] == 404  # POST only


def test_the_ripio_scene(ripio: ControlSurface[FakeRipio]) -> None:
    fake = ripio.fake
    assert control(ripio, "POST", "end-users", {"external_ref": "customer_11"}) == (
        200,
        {"end_user": "customer_11"},
    )
    assert control(ripio, "POST", "end-users", {"external_ref": "customer_11"})[0] == 409
    assert control(ripio, "POST", "deposit", {"end_user": "customer_11", "amount": "0.5 BTC"})[
        1
    ] == {"end_user": "customer_11", "currency": "BTC", "balance": Decimal("0.5")}
    assert fake.balance("customer_11", "BTC") == Decimal("0.5")
    status, answer = control(ripio, "POST", "beneficiary-accounts", {"end_user": "customer_11"})
    assert status == 200
    (account,) = fake.state.end_users["customer_11"].beneficiary_accounts.values()
    assert account.beneficiary_fiat_account_id == answer["id"]
    assert account.currency == "ARS"


def test_the_onekonto_scene(onekonto: ControlSurface[FakeOneKonto]) -> None:
    fake = onekonto.fake
    assert (
        control(onekonto, "POST", "whitelist", {"routing_number": "021", "account_number": "9"})[0]
        == 200
    )
    assert ("021", "9") in fake.state.accounts[fake.account_id].bank_accounts
    assert control(onekonto, "POST", "whitelist", {"network": "bitcoin"})[0] == 400
    assert control(onekonto, "POST", "credit-limit", {"amount": "2000 USD"}) == (
        200,
        {"asset": "USD", "limit": Decimal(-2000)},
    )
    status, answer = control(onekonto, "POST", "deposit", {"amount": "1 BTC", "account_id": "nope"})
    assert (status, answer) == (404, {"error": "no account 'nope'"})
    assert control(onekonto, "POST", "deposit", {"amount": "1e3 BTC"})[0] == 400
    assert control(onekonto, "POST", "books", {"asset_pair": "BTC/USD", "bids": "many"})[0] == 400


def test_reset_keeps_the_credentials_and_drops_everything_else(
    ripio: ControlSurface[FakeRipio],
) -> None:
    ripio.url = "http://127.0.0.1:1"
    before = ripio.credentials()
    control(ripio, "POST", "deposit", {"end_user": "customer_10", "amount": "1 ETH"})
    ripio.fake.faults.drop_connection("getWithdrawal")
    old = ripio.fake
    assert control(ripio, "POST", "reset") == (200, {"reset": True})
    assert ripio.fake is not old
    assert ripio.fake.balance("customer_10", "ETH") == 0
    assert ripio.fake.faults.pending() == 0
    assert ripio.credentials() == before
    outcome = ripio.handle(FakeRequest.build("GET", "/api/v1/withdrawals/x/"))
    assert not isinstance(outcome, DropConnection)


@pytest.mark.parametrize("seconds", [1e300, 10**10 + 1, -1])
def test_a_clock_step_past_any_date_is_a_400(
    ripio: ControlSurface[FakeRipio], seconds: float
) -> None:
    before = ripio.fake.clock.now()
    status, answer = control(ripio, "POST", "clock/advance", {"seconds": seconds})
    assert status == 400
    assert "seconds" in answer["error"]
    assert ripio.fake.clock.now() - before < timedelta(hours=1)


@pytest.mark.parametrize(
    "level", [["NaN", "1"], ["Infinity", "1"], ["1", "sNaN"], ["1", "1e999999"], ["0", "1"]]
)
def test_an_impossible_book_level_is_a_400(
    onekonto: ControlSurface[FakeOneKonto], level: list[str]
) -> None:
    status, answer = control(onekonto, "POST", "books", {"asset_pair": "USDT/USD", "bids": [level]})
    assert status == 400, answer
    assert "book level 0" in answer["error"]


@pytest.mark.parametrize(
    ("path", "body"),
    [("deposit", {"amount": "1 XYZ"}), ("credit-limit", {"amount": "100 XYZ"})],
)
def test_an_unknown_onekonto_asset_is_a_404(
    onekonto: ControlSurface[FakeOneKonto], path: str, body: dict[str, str]
) -> None:
    status, answer = control(onekonto, "POST", path, body)
    assert status == 404, answer
    assert "XYZ" in answer["error"]
