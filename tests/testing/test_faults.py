"""Fault plans, the fake clock and the route table: the small parts the fakes stand on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest

import withdrawkit as wk
from tests.testing.wire import account_path, call, onekonto_login
from withdrawkit.testing import (
    ANY_OPERATION,
    DropConnection,
    FakeClock,
    FakeOneKonto,
    FakeRipio,
    FaultPlan,
)
from withdrawkit.testing._exchange import FakeRequest, LateResponse
from withdrawkit.testing._faults import Delay, Drop, ServerFailure
from withdrawkit.testing._routing import RouteTable


def test_faults_are_consumed_in_the_order_armed_one_per_request() -> None:
    plan = FaultPlan()
    plan.fail_next("getAccount", times=2)
    plan.drop_connection("getAccount", request_applied=True)
    taken = [plan.take("getAccount") for _ in range(4)]
    assert [type(fault) for fault in taken] == [ServerFailure, ServerFailure, Drop, type(None)]
    assert plan.pending() == 0


def test_an_operation_specific_fault_comes_before_one_for_any_operation() -> None:
    plan = FaultPlan()
    plan.delay(ANY_OPERATION, seconds=1.0)
    plan.fail_next("login")
    assert isinstance(plan.take("login"), ServerFailure)
    assert plan.take("login") == Delay(1.0)
    assert plan.take("getAccount") is None


def test_fault_arguments_are_checked_and_clear_disarms_everything() -> None:
    plan = FaultPlan()
    with pytest.raises(ValueError, match="at least 1"):
        plan.fail_next("login", times=0)
    with pytest.raises(ValueError, match="negative"):
        plan.delay("login", seconds=-1)
    plan.fail_next("login", times=3)
    assert plan.pending("login") == 3
    plan.clear()
    assert plan.take("login") is None


def test_faults_apply_to_the_named_operation_only() -> None:
    fake = FakeOneKonto()
    token = onekonto_login(fake)
    fake.faults.fail_next("getAccountCredit", status=500)
    assert call(fake, "GET", account_path(fake), token=token).status == 200
    failed = call(fake, "GET", account_path(fake, "/portfolio"), token=token)
    assert (failed.status, failed.json()) == (
        500,
        {"status": 500, "error": "Internal Server Error"},
    )


def test_the_handler_reports_drops_and_late_answers_for_the_faces_to_enact() -> None:
    fake = FakeOneKonto()
    token = onekonto_login(fake)
    request = FakeRequest.build(
        "GET", account_path(fake), headers={"Authorization": f"Bearer {token}"}
    )
    fake.faults.drop_connection("getAccount")
    fake.faults.delay("getAccount", seconds=2.5)
    assert fake.handle(request) == DropConnection(request_applied=False)
    late = fake.handle(request)
    assert isinstance(late, LateResponse)
    assert (late.seconds, late.response.status) == (2.5, 200)
    assert [seen.status for seen in fake.calls("getAccount")] == [None, 200]


def test_a_frozen_clock_moves_only_when_advanced() -> None:
    start = datetime(2025, 6, 17, 21, 4, 33, tzinfo=timezone.utc)
    clock = FakeClock(start)
    assert clock.now() == start
    clock.advance(seconds=5)
    clock.advance(by=timedelta(minutes=1))
    assert clock.now() == start + timedelta(seconds=65)
    with pytest.raises(ValueError, match="forward"):
        clock.advance(seconds=-1)
    with pytest.raises(ValueError, match="naive"):
        FakeClock(datetime(2025, 1, 1))


def test_the_route_table_matches_one_segment_per_placeholder() -> None:
    table: RouteTable[str] = RouteTable()
    table.add("getWithdrawal", "GET", "/api/v1/withdrawals/{withdrawal_id}/", "handler")
    found = table.match("get", "/api/v1/withdrawals/abc-123/")
    assert found is not None
    assert found.path_params == {"withdrawal_id": "abc-123"}
    assert table.match("GET", "/api/v1/withdrawals/a/b/") is None
    assert table.match("POST", "/api/v1/withdrawals/abc/") is None


@pytest.mark.parametrize(
    "arm",
    [
        lambda plan: plan.fail_next("createWithdrawl", status=503),
        lambda plan: plan.drop_connection("createWithdrawl", request_applied=True),
        lambda plan: plan.delay("createWithdrawl", seconds=1.0),
        lambda plan: plan.expire_tokens_before("createWithdrawl"),
        lambda plan: plan.pending("createWithdrawl"),
    ],
)
def test_a_fault_for_an_operation_the_fake_does_not_serve_is_refused_at_once(
    arm: Callable[[FaultPlan], object],
) -> None:
    fake = FakeRipio()
    with pytest.raises(wk.InvalidArgument) as refused:
        arm(fake.faults)
    text = str(refused.value)
    assert "FakeRipio has no operation 'createWithdrawl'" in text
    assert "Did you mean 'createWithdrawal'?" in text
    for operation in fake.operations:
        assert operation in text
    assert fake.faults.pending() == 0


def test_every_operation_the_fake_serves_and_any_operation_can_be_armed() -> None:
    for fake in (FakeOneKonto(), FakeRipio()):
        for operation in [*fake.operations, ANY_OPERATION]:
            fake.faults.fail_next(operation)
        assert fake.faults.pending() == len(fake.operations) + 1


def test_asking_for_the_calls_of_an_unknown_operation_is_refused() -> None:
    fake = FakeOneKonto()
    with pytest.raises(wk.InvalidArgument, match="Did you mean 'requestWithdrawBlockchain'"):
        fake.calls("requestWithdrawalBlockchain")
    with pytest.raises(wk.InvalidArgument, match="one operation name"):
        fake.calls(ANY_OPERATION)
    assert fake.calls("requestWithdrawBlockchain") == []
