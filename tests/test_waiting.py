"""wait_for_withdrawal and wait_for_withdraw_request: completion, failure statuses, timeout,
rate limiting, server failures and statuses withdrawkit does not know, on simulated time."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterator
from typing import Any

import pytest
import responses

import withdrawkit as wk
import withdrawkit.testing as wk_testing
from tests.clocks import SimulatedTime
from tests.onekonto_support import ACCOUNT, QUERY_URL, add_login
from tests.onekonto_support import BASE as ONEKONTO_BASE
from tests.ripio_support import BASE as RIPIO_BASE
from tests.ripio_support import SECRET, WITHDRAWALS_URL, add_token, withdrawal
from tests.test_ripio_fiat import FIAT_WITHDRAWAL
from withdrawkit._waiting import MAX_INTERVAL

WITHDRAWAL_ID = "00000000-0000-4000-8000-000000000001"
WITHDRAWAL_URL = f"{WITHDRAWALS_URL}{WITHDRAWAL_ID}/"
REQUEST_ID = "oiJ8s7oh8EqFwwnkZViCGg"


@pytest.fixture
def time() -> SimulatedTime:
    return SimulatedTime()


@pytest.fixture
def ripio(time: SimulatedTime) -> Iterator[wk.RipioClient]:
    with time.install(wk.RipioClient(RIPIO_BASE, client_id="id", client_secret=SECRET)) as made:
        yield made


@pytest.fixture
def onekonto(time: SimulatedTime) -> Iterator[wk.OneKontoClient]:
    made = wk.OneKontoClient(ONEKONTO_BASE, user="u@example.com", password="pw", account_id=ACCOUNT)
    with time.install(made) as client:
        yield client


def answer_statuses(rsps: responses.RequestsMock, *statuses: str) -> None:
    """The withdrawal is read with these statuses, one per poll, the last one repeating."""
    add_token(rsps)
    for status in statuses:
        rsps.add(responses.GET, WITHDRAWAL_URL, json=withdrawal(status=status))


def request_row(status: str) -> dict[str, Any]:
    return {
        "withdrawRequestId": REQUEST_ID,
        "requestStatus": status,
        "amount": "1 BTC",
        "type": "blockchain",
        "network": "bitcoin",
        "address": "bc1qexample",
    }


def answer_request_statuses(rsps: responses.RequestsMock, *statuses: str) -> None:
    add_login(rsps)
    for status in statuses:
        rsps.add(responses.GET, QUERY_URL, json={"withdrawRequests": [request_row(status)]})


def polls(rsps: responses.RequestsMock, url: str) -> int:
    return sum(1 for call in rsps.calls if str(call.request.url).split("?")[0] == url)


# -- completion -----------------------------------------------------------------------------------


def test_a_withdrawal_is_followed_to_completion_reporting_each_change(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, time: SimulatedTime
) -> None:
    answer_statuses(rsps, "PENDING", "PENDING", "PENDING", "COMPLETED")
    seen: list[wk.WithdrawalStatus | None] = []

    done = ripio.wait_for_withdrawal(
        WITHDRAWAL_ID, timeout=600, poll_interval=4, on_update=lambda w: seen.append(w.status)
    )

    assert done.status == "COMPLETED"
    assert seen == ["PENDING", "COMPLETED"]  # a change is reported once, not every poll
    assert polls(rsps, WITHDRAWAL_URL) == 4
    # Backoff: each interval is half again the one before, less up to half of it as jitter.
    for number, slept in enumerate(time.sleeps):
        interval = 4 * 1.5**number
        assert interval / 2 <= slept <= interval


def test_a_withdraw_request_is_followed_to_completion(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient
) -> None:
    answer_request_statuses(rsps, "pending", "completed")
    seen: list[object] = []

    done = onekonto.wait_for_withdraw_request(REQUEST_ID, poll_interval=1, on_update=seen.append)

    assert done.request_status == "completed"
    assert [state.request_status for state in seen] == ["pending", "completed"]  # type: ignore[attr-defined]
    assert f"withdrawRequestId={REQUEST_ID}" in str(rsps.calls[1].request.url)


def test_intervals_grow_to_a_minute_and_no_further(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, time: SimulatedTime
) -> None:
    answer_statuses(rsps, *["PENDING"] * 12, "COMPLETED")

    ripio.wait_for_withdrawal(WITHDRAWAL_ID, timeout=3600, poll_interval=10)

    assert max(time.sleeps) <= MAX_INTERVAL
    assert time.sleeps[-1] >= MAX_INTERVAL / 2


# -- failure statuses are final too ---------------------------------------------------------------


def test_a_failed_withdrawal_is_returned_not_raised(
    rsps: responses.RequestsMock, ripio: wk.RipioClient
) -> None:
    answer_statuses(rsps, "PENDING", "ERROR")

    ended = ripio.wait_for_withdrawal(WITHDRAWAL_ID, poll_interval=1)

    assert ended.status == wk.WithdrawalStatus.ERROR


@pytest.mark.parametrize("final", ["canceled", "rejected", "invalid"])
def test_every_final_withdraw_request_status_ends_the_wait(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient, final: str
) -> None:
    answer_request_statuses(rsps, "pending", final)

    assert onekonto.wait_for_withdraw_request(REQUEST_ID, poll_interval=1).request_status == final


# -- timeout --------------------------------------------------------------------------------------


def test_timeout_raises_still_pending_with_the_last_state_after_a_poll_at_the_deadline(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, time: SimulatedTime
) -> None:
    answer_statuses(rsps, "PENDING")
    start = time.monotonic

    with pytest.raises(wk.StillPending, match="still PENDING after 30 s") as raised:
        ripio.wait_for_withdrawal(WITHDRAWAL_ID, timeout=30, poll_interval=5)

    assert time.monotonic - start == pytest.approx(30)
    assert isinstance(raised.value.last_state, wk.Withdrawal)
    assert raised.value.last_state.status == "PENDING"
    assert isinstance(raised.value, wk.WithdrawKitError)
    pickled = pickle.dumps(raised.value)
    assert b"withdrawkit._" not in pickled
    copy = pickle.loads(pickled)  # noqa: S301 - our own object
    assert copy.last_state == raised.value.last_state
    assert str(copy) == str(raised.value)


def test_a_zero_timeout_reads_once(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient, time: SimulatedTime
) -> None:
    answer_request_statuses(rsps, "pending")

    with pytest.raises(wk.StillPending):
        onekonto.wait_for_withdraw_request(REQUEST_ID, timeout=0)

    assert polls(rsps, QUERY_URL) == 1
    assert time.sleeps == []


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"timeout": -1}, wk.InvalidArgument),
        ({"timeout": float("inf")}, wk.InvalidArgument),
        ({"poll_interval": 0}, wk.InvalidArgument),
        ({"poll_interval": float("nan")}, wk.InvalidArgument),
        ({"timeout": "60"}, TypeError),
        ({"poll_interval": True}, TypeError),
    ],
)
def test_bad_timeouts_are_refused_before_any_request(
    rsps: responses.RequestsMock,
    ripio: wk.RipioClient,
    arguments: dict[str, Any],
    problem: type[Exception],
) -> None:
    with pytest.raises(problem):
        ripio.wait_for_withdrawal(WITHDRAWAL_ID, **arguments)
    assert len(rsps.calls) == 0


# -- rate limiting and failed polls ---------------------------------------------------------------


def test_a_long_retry_after_is_waited_out_in_full(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, time: SimulatedTime
) -> None:
    add_token(rsps)
    # Longer than the transport waits by itself: the RateLimited reaches the wait.
    rsps.add(responses.GET, WITHDRAWAL_URL, status=429, headers={"Retry-After": "40"}, json={})
    rsps.add(responses.GET, WITHDRAWAL_URL, json=withdrawal(status="COMPLETED"))

    done = ripio.wait_for_withdrawal(WITHDRAWAL_ID, poll_interval=2)

    assert done.status == "COMPLETED"
    assert time.sleeps == [40.0]


def test_rate_limiting_until_the_deadline_raises_still_pending_from_it(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, QUERY_URL, status=429, headers={"Retry-After": "50"}, json={})

    with pytest.raises(wk.StillPending, match="no poll succeeded") as raised:
        onekonto.wait_for_withdraw_request(REQUEST_ID, timeout=120)

    assert raised.value.last_state is None
    assert isinstance(raised.value.__cause__, wk.RateLimited)


def test_server_failures_and_dropped_connections_are_polled_through(
    rsps: responses.RequestsMock, ripio: wk.RipioClient
) -> None:
    add_token(rsps)
    for _ in range(3):  # the transport's three attempts: the wait sees a ServerError
        rsps.add(responses.GET, WITHDRAWAL_URL, status=503, json={})
    for _ in range(3):
        rsps.add(responses.GET, WITHDRAWAL_URL, body=ConnectionError("reset"))
    rsps.add(responses.GET, WITHDRAWAL_URL, json=withdrawal(status="COMPLETED"))

    assert ripio.wait_for_withdrawal(WITHDRAWAL_ID, poll_interval=1).status == "COMPLETED"


def test_on_pause_is_told_each_pause_and_the_failure_behind_it_in_order(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, time: SimulatedTime
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, WITHDRAWAL_URL, json=withdrawal(status="PENDING"))
    for _ in range(3):  # the transport's three attempts: the wait sees one ServerError
        rsps.add(responses.GET, WITHDRAWAL_URL, status=503, json={"detail": "unavailable"})
    rsps.add(responses.GET, WITHDRAWAL_URL, json=withdrawal(status="PENDING"))
    rsps.add(responses.GET, WITHDRAWAL_URL, json=withdrawal(status="COMPLETED"))
    told: list[tuple[float, wk.WithdrawKitError | None]] = []
    slept_by_then: list[int] = []

    def on_pause(seconds: float, failure: wk.WithdrawKitError | None) -> None:
        told.append((seconds, failure))
        slept_by_then.append(len(time.sleeps))

    done = ripio.wait_for_withdrawal(WITHDRAWAL_ID, poll_interval=2, on_pause=on_pause)

    assert done.status == "COMPLETED"
    failures = [failure for _, failure in told]
    assert failures[0] is None
    assert isinstance(failures[1], wk.ServerError)
    assert failures[1].http_status == 503
    assert failures[2] is None
    assert len(told) == 3  # one per pause between polls; none after the final state
    # Each is told just before its own pause: the next sleep is the one announced.
    assert [time.sleeps[index] for index in slept_by_then] == [seconds for seconds, _ in told]
    # The transport's own pauses before retrying the 503 are its business, not the wait's.
    assert len(time.sleeps) == 5


def test_a_withdrawal_that_does_not_exist_ends_the_wait_at_once(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, time: SimulatedTime
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, WITHDRAWAL_URL, status=404, json={"detail": "Not found."})

    with pytest.raises(wk.NotFound):
        ripio.wait_for_withdrawal(WITHDRAWAL_ID)
    assert time.sleeps == []


def test_a_withdraw_request_the_account_does_not_list_is_not_found(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, QUERY_URL, json={"withdrawRequests": []})

    with pytest.raises(wk.NotFound, match=REQUEST_ID):
        onekonto.wait_for_withdraw_request(REQUEST_ID)


# -- statuses withdrawkit does not know -----------------------------------------------------------


def test_an_unknown_status_keeps_the_wait_going_and_is_logged_once(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, caplog: pytest.LogCaptureFixture
) -> None:
    answer_statuses(rsps, "PENDING", "IN_REVIEW", "IN_REVIEW", "IN_REVIEW", "COMPLETED")
    seen: list[object] = []

    with caplog.at_level(logging.WARNING, logger="withdrawkit._waiting"):
        done = ripio.wait_for_withdrawal(WITHDRAWAL_ID, poll_interval=1, on_update=seen.append)

    assert done.status == "COMPLETED"
    assert [str(state.status) for state in seen] == ["PENDING", "IN_REVIEW", "COMPLETED"]  # type: ignore[attr-defined]
    unknown = [record for record in caplog.records if "IN_REVIEW" in record.getMessage()]
    assert len(unknown) == 1
    assert "does not know" in unknown[0].getMessage()


def test_a_withdrawal_read_without_a_status_is_waited_through(
    rsps: responses.RequestsMock, ripio: wk.RipioClient
) -> None:
    add_token(rsps)
    no_status = withdrawal()
    del no_status["status"]  # the old retrieve example has none
    rsps.add(responses.GET, WITHDRAWAL_URL, json=no_status)
    rsps.add(responses.GET, WITHDRAWAL_URL, json=withdrawal(status="COMPLETED"))

    assert ripio.wait_for_withdrawal(WITHDRAWAL_ID, poll_interval=1).status == "COMPLETED"


# -- Ripio fiat withdrawals ----------------------------------------------------------------------

FIAT_ID = FIAT_WITHDRAWAL["id"]
FIAT_WITHDRAWAL_URL = f"{RIPIO_BASE}/api/v1/fiat-withdrawals/{FIAT_ID}/"


@pytest.mark.parametrize("final", ["COMPLETED", "CANCELLED"])
def test_a_fiat_withdrawal_is_followed_to_its_end(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, final: str
) -> None:
    add_token(rsps)
    for status in ("PENDING", "PENDING", final):
        rsps.add(responses.GET, FIAT_WITHDRAWAL_URL, json={**FIAT_WITHDRAWAL, "status": status})
    seen: list[wk.FiatWithdrawal] = []

    done = ripio.wait_for_fiat_withdrawal(str(FIAT_ID), poll_interval=1, on_update=seen.append)

    assert done.status == final
    assert [state.status for state in seen] == ["PENDING", final]


def test_a_fiat_withdrawal_still_pending_at_the_deadline(
    rsps: responses.RequestsMock, ripio: wk.RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, FIAT_WITHDRAWAL_URL, json=FIAT_WITHDRAWAL)

    with pytest.raises(wk.StillPending, match="fiat withdrawal") as raised:
        ripio.wait_for_fiat_withdrawal(str(FIAT_ID), timeout=10, poll_interval=2)

    assert isinstance(raised.value.last_state, wk.FiatWithdrawal)


# -- 1Konto orders ---------------------------------------------------------------------------------

ORDER_ID = "BJvOSN4pfU2EjPg9cUafbw"
ORDER_URL = f"{ONEKONTO_BASE}/api/v1/routing/order/account/{ACCOUNT}/order/{ORDER_ID}"


def order_answer(status: str | None) -> dict[str, Any]:
    order: dict[str, Any] = {
        "orderId": ORDER_ID,
        "size": "1 BTC",
        "source": "BTC",
        "destination": "USD",
        "type": "limit",
        "submittedAt": "2025-10-16T14:15:36.1583930Z",
    }
    if status is not None:
        order["result"] = {"status": status, "updatedAt": "2025-10-16T14:15:38Z"}
    return {"order": order, "status": "ok", "httpStatusCode": 200}


def test_an_order_is_followed_through_partial_fills_to_filled(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient, caplog: pytest.LogCaptureFixture
) -> None:
    add_login(rsps)
    for status in (None, "submitted", "partially-filled", "partially-filled", "filled"):
        rsps.add(responses.GET, ORDER_URL, json=order_answer(status))
    seen: list[wk.Order] = []

    with caplog.at_level(logging.WARNING, logger="withdrawkit._waiting"):
        done = onekonto.wait_for_order(ORDER_ID, poll_interval=1, on_update=seen.append)

    assert done.result is not None and done.result.status == wk.OrderStatus.FILLED
    statuses = [None if o.result is None else o.result.status for o in seen]
    assert statuses == [None, "submitted", "partially-filled", "filled"]
    # An order read before it has a result is waited through, and said once.
    assert ["no status" in r.getMessage() for r in caplog.records] == [True]


@pytest.mark.parametrize("final", ["rejected", "canceled", "invalid"])
def test_every_final_order_status_ends_the_wait(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient, final: str
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, ORDER_URL, json=order_answer("submitted"))
    rsps.add(responses.GET, ORDER_URL, json=order_answer(final))

    done = onekonto.wait_for_order(ORDER_ID, poll_interval=1)

    assert done.result is not None and done.result.status == final


def test_an_order_still_working_at_the_deadline_is_still_pending(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient
) -> None:
    add_login(rsps)
    rsps.add(responses.GET, ORDER_URL, json=order_answer("partially-filled"))

    with pytest.raises(wk.StillPending, match="still partially-filled after 20 s") as raised:
        onekonto.wait_for_order(ORDER_ID, timeout=20, poll_interval=3)

    assert isinstance(raised.value.last_state, wk.Order)


# -- against the fakes ----------------------------------------------------------------------------


def test_waiting_on_the_fakes_until_they_complete_by_themselves(time: SimulatedTime) -> None:
    ripio_fake = wk_testing.FakeRipio(pending_polls=3)
    ripio_fake.deposit("customer_10", "1 BTC")
    konto_fake = wk_testing.FakeOneKonto(pending_polls=2)
    konto_fake.deposit("2 BTC")
    konto_fake.whitelist_wallet("bitcoin", "bc1qexample")
    with ripio_fake.mock(), konto_fake.mock():
        ripio = time.install(ripio_fake.client())
        created = ripio.create_withdrawal(
            "0.5 BTC", end_user="customer_10", address="bc1qexample", network="BITCOIN"
        )
        konto = time.install(konto_fake.client())
        receipt = konto.request_withdraw_blockchain("1 BTC", network="bitcoin")

        assert ripio.wait_for_withdrawal(created.id, poll_interval=1).status == "COMPLETED"
        account = ripio_fake.add_beneficiary_account("customer_10")
        ripio_fake.deposit_fiat("customer_10", "500 ARS")
        fiat = ripio.create_fiat_withdrawal(
            "100 ARS", end_user="customer_10", beneficiary_fiat_account_id=account
        )
        paid = ripio.wait_for_fiat_withdrawal(fiat.id, poll_interval=1)
        assert paid.status == "COMPLETED"
        done = konto.wait_for_withdraw_request(receipt.withdraw_request_id, poll_interval=1)
        assert done.request_status == "completed"
    assert ripio_fake.withdrawal(created.id).status == "COMPLETED"


def test_waiting_on_the_fake_for_a_resting_limit_order_to_fill(time: SimulatedTime) -> None:
    fake = wk_testing.FakeOneKonto()
    fake.deposit("2 BTC")
    fake.set_book("BTC/USD", bids=[("59000", "5")], asks=[("59100", "5")])
    with fake.mock():
        client = time.install(fake.client())
        order = client.place_limit_order("1 BTC", destination="USD", limit="60000 BTC/USD")

        def market_moves(state: wk.Order) -> None:
            if state.result is not None and state.result.status == "submitted":
                fake.set_book("BTC/USD", bids=[("60500", "5")], asks=[("60600", "5")])

        done = client.wait_for_order(order.order_id, poll_interval=1, on_update=market_moves)

    assert done.result is not None and done.result.status == "filled"
