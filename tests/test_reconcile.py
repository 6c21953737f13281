"""Finding a withdrawal again after OutcomeUnknown: what the exception keeps, reconcile and
find_withdrawal on both providers, the settle time, and never guessing between candidates."""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import responses

import withdrawkit as wk
from tests.clocks import SimulatedTime
from tests.ripio_support import BASE as RIPIO_BASE
from tests.ripio_support import SECRET, WITHDRAWALS_URL, add_token, withdrawal
from withdrawkit import _onekonto_lifecycle
from withdrawkit.testing import FakeClock, FakeOneKonto, FakeRipio

START = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"


def synchronized(fake: FakeRipio | FakeOneKonto) -> SimulatedTime:
    """Simulated client time that agrees with the fake's frozen clock."""
    return SimulatedTime(wall=fake.clock.now().timestamp())


@pytest.fixture
def ripio_fake() -> Iterator[FakeRipio]:
    fake = FakeRipio(clock=FakeClock(START), page_size=2)
    fake.deposit("customer_10", "100 ETH")
    with fake.mock():
        yield fake


@pytest.fixture
def konto_fake() -> Iterator[FakeOneKonto]:
    fake = FakeOneKonto(clock=FakeClock(START))
    fake.deposit("100 BTC")
    fake.deposit("100000 USD")
    fake.whitelist_wallet("bitcoin", "bc1qexample")
    fake.whitelist_bank_account("021000021", "9876543210")
    with fake.mock():
        yield fake


def send_eth(client: wk.RipioClient, amount: str = "1 ETH", **extra: Any) -> wk.Withdrawal:
    return client.create_withdrawal(
        amount, end_user="customer_10", address=ADDRESS, network="ETHEREUM", **extra
    )


def unknown_eth(client: wk.RipioClient, amount: str = "1 ETH", **extra: Any) -> wk.OutcomeUnknown:
    with pytest.raises(wk.OutcomeUnknown) as raised:
        send_eth(client, amount, **extra)
    return raised.value


def listed_pages(fake: FakeRipio) -> list[str | None]:
    return [seen.request.query_value("page") for seen in fake.calls("listWithdrawals")]


# -- what OutcomeUnknown keeps ------------------------------------------------------------------


def test_outcome_unknown_keeps_what_was_sent_its_reference_and_when(
    ripio_fake: FakeRipio,
) -> None:
    time = synchronized(ripio_fake)
    client = time.install(ripio_fake.client())
    ripio_fake.faults.drop_connection("createWithdrawal", request_applied=True)

    unknown = unknown_eth(client, "1.25 ETH")

    assert uuid.UUID(str(unknown.reference)).version == 4  # generated: none was given
    assert unknown.sent is not None
    assert unknown.sent.operation == "create_withdrawal"
    assert unknown.sent.amount == wk.Amount.parse("1.25 ETH")
    assert unknown.sent.destination == {
        "end_user": "customer_10",
        "network": "ETHEREUM",
        "address": ADDRESS,
    }
    assert unknown.sent.sent_at == START
    assert [w.external_ref for w in ripio_fake.withdrawals()] == [unknown.reference]
    pickled = pickle.dumps(unknown)
    assert b"withdrawkit._" not in pickled  # public names only: private modules may move
    copy = pickle.loads(pickled)  # noqa: S301 - our own object (Celery does this)
    assert (copy.reference, copy.sent) == (unknown.reference, unknown.sent)


def test_the_generated_reference_comes_back_on_the_withdrawal(ripio_fake: FakeRipio) -> None:
    client = ripio_fake.client()
    created = send_eth(client)
    assert created.external_ref is not None
    assert uuid.UUID(created.external_ref).version == 4
    assert send_eth(client, external_ref="payout-7").external_ref == "payout-7"


def test_secret_named_destination_fields_are_masked() -> None:
    sent = wk.SentRequest(
        "create_withdrawal",
        wk.Amount.parse("1 ETH"),
        {"address": ADDRESS, "api_token": "t0k3n", "memo": None},
        START,
    )
    assert sent.destination == {"address": ADDRESS, "api_token": "[REDACTED]"}
    assert "t0k3n" not in repr(sent)
    with pytest.raises(ValueError, match="timezone"):
        wk.SentRequest("x", wk.Amount.parse("1 ETH"), {}, START.replace(tzinfo=None))


def test_fiat_and_onekonto_unknown_outcomes_keep_what_was_sent(
    ripio_fake: FakeRipio, konto_fake: FakeOneKonto
) -> None:
    account = ripio_fake.add_beneficiary_account("customer_10")
    ripio_fake.deposit_fiat("customer_10", "50000 ARS")
    ripio_fake.faults.drop_connection("createFiatWithdrawal", request_applied=False)
    with pytest.raises(wk.OutcomeUnknown) as fiat:
        ripio_fake.client().create_fiat_withdrawal(
            "12345.67 ARS", end_user="customer_10", beneficiary_fiat_account_id=account
        )
    assert fiat.value.sent is not None
    assert fiat.value.sent.destination["beneficiary_fiat_account_id"] == account
    assert uuid.UUID(str(fiat.value.reference)).version == 4

    konto_fake.faults.drop_connection("requestWithdrawFiat", request_applied=False)
    with pytest.raises(wk.OutcomeUnknown) as konto:
        konto_fake.client().request_withdraw_fiat(
            "100 USD", type="fedwire", routing_number="021000021", instructions=["ref 7"]
        )
    assert konto.value.reference is None  # 1Konto withdrawals carry no reference of ours
    assert konto.value.sent is not None
    assert konto.value.sent.destination == {"type": "fedwire", "routing_number": "021000021"}
    assert konto.value.sent.instructions == ("ref 7",)


# -- Ripio ----------------------------------------------------------------------------------------


def test_ripio_reconcile_finds_a_withdrawal_the_server_applied(ripio_fake: FakeRipio) -> None:
    client = synchronized(ripio_fake).install(ripio_fake.client())
    ripio_fake.faults.drop_connection("createWithdrawal", request_applied=True)
    unknown = unknown_eth(client, external_ref="payout-7")

    found = client.reconcile(unknown)

    assert found is not None
    assert found.external_ref == "payout-7"
    assert found.id == ripio_fake.withdrawals()[0].id


def test_ripio_reconcile_says_none_only_after_the_settle_time(ripio_fake: FakeRipio) -> None:
    time = synchronized(ripio_fake)
    client = time.install(ripio_fake.client())
    ripio_fake.faults.drop_connection("createWithdrawal", request_applied=False)
    unknown = unknown_eth(client)
    time.sleep(5)  # the caller took 5 s to call reconcile

    assert client.reconcile(unknown, settle_time=60) is None

    assert time.sleeps[-1] == pytest.approx(55)  # until 60 s after sending, then a second look
    assert len(ripio_fake.calls("listWithdrawals")) == 2
    assert ripio_fake.withdrawals() == []


def test_ripio_reconcile_after_the_settle_time_looks_once(ripio_fake: FakeRipio) -> None:
    time = synchronized(ripio_fake)
    client = time.install(ripio_fake.client())
    ripio_fake.faults.drop_connection("createWithdrawal", request_applied=False)
    unknown = unknown_eth(client)
    time.sleep(120)

    assert client.reconcile(unknown, settle_time=60) is None
    assert len(ripio_fake.calls("listWithdrawals")) == 1


def test_ripio_reconcile_reads_newest_pages_and_stops_before_older_history(
    ripio_fake: FakeRipio,
) -> None:
    client = ripio_fake.client()
    for day in range(6):  # six withdrawals on six earlier days: three pages of two
        send_eth(client, f"0.{day + 1} ETH")
        ripio_fake.clock.advance(by=timedelta(days=1))
    time = synchronized(ripio_fake)
    late = time.install(ripio_fake.client())
    ripio_fake.faults.drop_connection("createWithdrawal", request_applied=True)
    unknown = unknown_eth(late, "2 ETH")

    found = late.reconcile(unknown)

    assert found is not None and found.amount == 2
    # The fake lists oldest first: page 1 (for the count and the order), then the last page,
    # then back until a page is wholly older than the send time; page 2 is never read.
    assert listed_pages(ripio_fake) == ["1", "4", "3"]


def newest_first_page(number: int, rows: list[dict[str, Any]], count: int, pages: int) -> Any:
    link = f"http://localhost/api/v1/withdrawals/?page={number + 1}" if number < pages else None
    return {"count": count, "next": link, "previous": None, "results": rows}


def test_ripio_find_walks_a_newest_first_list_forward_and_stops_at_the_send_time(
    rsps: responses.RequestsMock,
) -> None:
    add_token(rsps)
    stamps = [START - timedelta(days=day) for day in range(6)]  # newest first
    rows = [
        withdrawal(n + 1, created_at=stamp.isoformat(), external_ref=f"ref-{n}")
        for n, stamp in enumerate(stamps)
    ]
    for number in range(1, 4):
        rsps.add(
            responses.GET,
            WITHDRAWALS_URL,
            json=newest_first_page(number, rows[2 * number - 2 : 2 * number], 6, 3),
            match=[responses.matchers.query_param_matcher({"page": str(number)})],
        )
    client = wk.RipioClient(RIPIO_BASE, client_id="id", client_secret=SECRET)

    assert client.find_withdrawal(external_ref="ref-9", since=START) is None

    asked = [str(call.request.url).rsplit("=", 1)[-1] for call in rsps.calls[1:]]
    assert asked == ["1", "3", "2"]  # page 3 for the order; page 2 is older than START: stop
    found = client.find_withdrawal(external_ref="ref-5")  # no since: the whole list
    assert found is not None and found.id.endswith("6")


def test_ripio_two_withdrawals_with_one_reference_are_never_guessed_between(
    ripio_fake: FakeRipio,
) -> None:
    client = synchronized(ripio_fake).install(ripio_fake.client())
    send_eth(client, external_ref="payout-7")
    ripio_fake.faults.drop_connection("createWithdrawal", request_applied=True)
    unknown = unknown_eth(client, external_ref="payout-7")

    with pytest.raises(wk.AmbiguousOutcome) as raised:
        client.reconcile(unknown)

    assert len(raised.value.candidates) == 2
    assert isinstance(raised.value, wk.WithdrawKitError)
    pickled = pickle.dumps(raised.value)
    assert b"withdrawkit._" not in pickled
    copy = pickle.loads(pickled)  # noqa: S301 - our own object
    assert copy.candidates == raised.value.candidates


def test_ripio_a_reference_reused_for_another_amount_is_not_taken_for_the_request(
    ripio_fake: FakeRipio,
) -> None:
    client = synchronized(ripio_fake).install(ripio_fake.client())
    ripio_fake.faults.drop_connection("createWithdrawal", request_applied=False)
    unknown = unknown_eth(client, "3 ETH", external_ref="payout-7")
    send_eth(client, "1 ETH", external_ref="payout-7")  # someone reused the reference

    with pytest.raises(wk.AmbiguousOutcome, match="not what was sent"):
        client.reconcile(unknown)


def test_reconcile_refuses_an_outcome_another_client_raised(
    ripio_fake: FakeRipio, konto_fake: FakeOneKonto
) -> None:
    konto_fake.faults.drop_connection("requestWithdrawBlockchain")
    with pytest.raises(wk.OutcomeUnknown) as konto:
        konto_fake.client().request_withdraw_blockchain("1 BTC", network="bitcoin")
    ripio_fake.faults.drop_connection("createWithdrawal")
    ripio_unknown = unknown_eth(ripio_fake.client())

    with pytest.raises(wk.InvalidArgument, match="request_withdraw_blockchain"):
        ripio_fake.client().reconcile(konto.value)
    with pytest.raises(wk.InvalidArgument, match="create_withdrawal"):
        konto_fake.client().reconcile(ripio_unknown)
    bare = wk.OutcomeUnknown("by hand", method="POST", url="https://x.test/")
    with pytest.raises(wk.InvalidArgument, match="no client method"):
        ripio_fake.client().reconcile(bare)
    with pytest.raises(wk.InvalidArgument, match="settle_time"):
        ripio_fake.client().reconcile(ripio_unknown, settle_time=-1)


# -- Ripio fiat withdrawals ----------------------------------------------------------------------


def send_pesos(client: wk.RipioClient, account: str, amount: str, **extra: Any) -> object:
    return client.create_fiat_withdrawal(
        amount, end_user="customer_10", beneficiary_fiat_account_id=account, **extra
    )


@pytest.mark.parametrize("applied", [True, False])
def test_ripio_a_lost_fiat_withdrawal_is_reconciled(ripio_fake: FakeRipio, applied: bool) -> None:
    time = synchronized(ripio_fake)
    client = time.install(ripio_fake.client())
    account = ripio_fake.add_beneficiary_account("customer_10")
    ripio_fake.deposit_fiat("customer_10", "50000 ARS")
    send_pesos(client, account, "10 ARS")  # another one, listed too
    ripio_fake.faults.drop_connection("createFiatWithdrawal", request_applied=applied)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        send_pesos(client, account, "12345.67 ARS", external_ref="rent-3")
    assert raised.value.reference == "rent-3"

    found = client.reconcile_fiat_withdrawal(raised.value, settle_time=30)

    if applied:
        assert found is not None and found.external_ref == "rent-3"
        assert [f.id for f in ripio_fake.fiat_withdrawals() if f.external_ref == "rent-3"] == [
            found.id
        ]
    else:
        assert found is None
        assert time.sleeps[-1] == pytest.approx(30)
    assert client.find_fiat_withdrawal(external_ref="rent-3") == found


def test_ripio_a_fiat_reference_reused_for_another_amount_is_not_taken(
    ripio_fake: FakeRipio,
) -> None:
    client = synchronized(ripio_fake).install(ripio_fake.client())
    account = ripio_fake.add_beneficiary_account("customer_10")
    ripio_fake.deposit_fiat("customer_10", "50000 ARS")
    ripio_fake.faults.drop_connection("createFiatWithdrawal", request_applied=False)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        send_pesos(client, account, "300 ARS", external_ref="rent-3")
    send_pesos(client, account, "100 ARS", external_ref="rent-3")

    with pytest.raises(wk.AmbiguousOutcome, match="not what was sent"):
        client.reconcile_fiat_withdrawal(raised.value)
    with pytest.raises(wk.InvalidArgument, match="create_fiat_withdrawal"):
        client.reconcile(raised.value)


# -- 1Konto ---------------------------------------------------------------------------------------


def test_onekonto_reconcile_matches_what_was_sent(konto_fake: FakeOneKonto) -> None:
    client = synchronized(konto_fake).install(konto_fake.client())
    client.request_withdraw_blockchain("2 BTC", network="bitcoin", address="bc1qexample")
    konto_fake.faults.drop_connection("requestWithdrawBlockchain", request_applied=True)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.request_withdraw_blockchain("1 BTC", network="bitcoin", address="bc1qexample")

    found = client.reconcile(raised.value)

    assert found is not None
    assert found.amount == wk.Amount.parse("1 BTC")
    applied = [r for r in konto_fake.withdraw_requests() if r.amount.value == 1]
    assert [found.withdraw_request_id] == [r.withdraw_request_id for r in applied]


def test_onekonto_identical_requests_raise_until_the_known_ones_are_excluded(
    konto_fake: FakeOneKonto,
) -> None:
    client = synchronized(konto_fake).install(konto_fake.client())
    earlier = client.request_withdraw_blockchain("1 BTC", network="bitcoin")
    konto_fake.faults.drop_connection("requestWithdrawBlockchain", request_applied=True)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.request_withdraw_blockchain("1 BTC", network="bitcoin")

    with pytest.raises(wk.AmbiguousOutcome, match="2 withdraw requests") as ambiguous:
        client.reconcile(raised.value)
    assert len(ambiguous.value.candidates) == 2

    found = client.reconcile(raised.value, exclude=[earlier.withdraw_request_id])
    assert found is not None
    assert found.withdraw_request_id != earlier.withdraw_request_id


def test_onekonto_reconcile_matches_fiat_by_method_bank_numbers_and_instructions(
    konto_fake: FakeOneKonto,
) -> None:
    client = synchronized(konto_fake).install(konto_fake.client())
    client.request_withdraw_fiat("100 USD", type="fedwire", instructions=["invoice 6"])
    client.request_withdraw_fiat("100 USD", type="ach")
    konto_fake.faults.drop_connection("requestWithdrawFiat", request_applied=True)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.request_withdraw_fiat(
            "100 USD", type="fedwire", account_number="9876543210", instructions=["invoice 7"]
        )

    found = client.reconcile(raised.value)

    assert found is not None
    assert found.instructions == ["invoice 7"]


def test_onekonto_reconcile_says_none_after_the_settle_time(konto_fake: FakeOneKonto) -> None:
    time = synchronized(konto_fake)
    client = time.install(konto_fake.client())
    konto_fake.faults.drop_connection("requestWithdrawBlockchain", request_applied=False)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.request_withdraw_blockchain("1 BTC", network="bitcoin")

    assert client.reconcile(raised.value, settle_time=30) is None
    assert time.sleeps[-1] == pytest.approx(30)
    assert len(konto_fake.calls("queryWithdrawRequests")) == 2


def test_onekonto_a_list_cut_at_its_maximum_rules_nothing_out(
    konto_fake: FakeOneKonto, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_onekonto_lifecycle, "RECONCILE_MAX", 2)
    client = synchronized(konto_fake).install(konto_fake.client())
    for amount in ("0.1 BTC", "0.2 BTC"):
        client.request_withdraw_blockchain(amount, network="bitcoin")
    konto_fake.faults.drop_connection("requestWithdrawBlockchain", request_applied=False)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.request_withdraw_blockchain("1 BTC", network="bitcoin")

    with pytest.raises(wk.AmbiguousOutcome, match="its most") as ambiguous:
        client.reconcile(raised.value, settle_time=0)
    assert ambiguous.value.candidates == ()


# -- 1Konto orders --------------------------------------------------------------------------------


@pytest.fixture
def market_fake(konto_fake: FakeOneKonto) -> FakeOneKonto:
    konto_fake.set_book("BTC/USD", bids=[("59000", "50")], asks=[("59100", "50")])
    return konto_fake


def test_onekonto_a_lost_market_order_is_found_by_what_was_sent(
    market_fake: FakeOneKonto,
) -> None:
    client = synchronized(market_fake).install(market_fake.client())
    earlier = client.place_market_order("1 BTC", destination="USD")
    client.place_market_order("2 BTC", destination="USD")
    market_fake.faults.drop_connection("placeMarketOrder", request_applied=True)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.place_market_order("1 BTC", destination="USD")
    assert raised.value.reference is None  # no id exists before the answer
    assert raised.value.sent is not None
    assert raised.value.sent.amount == wk.Amount.parse("1 BTC")
    assert raised.value.sent.destination == {"destination": "USD"}

    with pytest.raises(wk.AmbiguousOutcome, match="2 orders"):
        client.reconcile_order(raised.value)  # the earlier 1 BTC order looks the same
    found = client.reconcile_order(raised.value, exclude=[earlier.order_id])

    placed = [o.order_id for o in market_fake.orders() if o.size.value == 1]
    assert found is not None and found.order_id in placed and found.order_id != earlier.order_id


def test_onekonto_an_order_that_never_arrived_reconciles_to_none(
    market_fake: FakeOneKonto,
) -> None:
    time = synchronized(market_fake)
    client = time.install(market_fake.client())
    market_fake.faults.drop_connection("placeLimitOrder", request_applied=False)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.place_limit_order("1 BTC", destination="USD", limit="60000 BTC/USD")

    assert client.reconcile_order(raised.value, settle_time=20) is None
    assert time.sleeps[-1] == pytest.approx(20)
    assert market_fake.calls("queryOrders")[0].request.query_value("submittedAtStart") is not None


@pytest.mark.parametrize("applied", [True, False])
def test_onekonto_a_lost_quote_acceptance_is_read_by_its_order_id(
    market_fake: FakeOneKonto, applied: bool
) -> None:
    client = synchronized(market_fake).install(market_fake.client())
    quote = client.request_quote("1 BTC", asset_pair="BTC/USD")
    market_fake.faults.drop_connection("acceptQuote", request_applied=applied)
    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.accept_quote(quote.order_id, side="sell")
    assert raised.value.reference == quote.order_id
    assert raised.value.sent is not None and raised.value.sent.amount is None

    found = client.reconcile_order(raised.value, settle_time=0)

    assert (found is not None) is applied
    if found is not None:
        assert found.order_id == quote.order_id


def orders_answer(*orders: dict[str, Any]) -> dict[str, Any]:
    return {"orders": list(orders), "status": "ok", "httpStatusCode": 200}


def listed_order(order_id: str, size: str) -> dict[str, Any]:
    return {
        "orderId": order_id,
        "size": size,
        "source": "BTC",
        "destination": "USD",
        "type": "market",
        "submittedAt": START.isoformat(),
    }


@pytest.mark.parametrize(
    ("listed", "expected"),
    [
        ([listed_order("o-1", "1 BTC"), listed_order("o-2", "2 BTC")], "o-1"),
        ([listed_order("o-1", "1 BTC"), listed_order("o-2", "1.0 BTC")], None),
    ],
)
def test_onekonto_listed_orders_are_matched_on_what_was_sent(
    rsps: responses.RequestsMock, listed: list[dict[str, Any]], expected: str | None
) -> None:
    base = "https://1konto.test"
    client = wk.OneKontoClient(base, user="u@example.com", password="pw", account_id="ACC")
    rsps.add(responses.POST, f"{base}/api/v1/identity/jwt", json={"token": "t"})
    rsps.add(responses.GET, f"{base}/api/v1/routing/order/account/ACC", json=orders_answer(*listed))
    sent = wk.SentRequest(
        "place_market_order", wk.Amount.parse("1 BTC"), {"destination": "USD"}, START
    )
    unknown = wk.OutcomeUnknown("lost", method="POST", url=base, sent=sent)

    if expected is None:
        with pytest.raises(wk.AmbiguousOutcome, match="2 orders"):
            client.reconcile_order(unknown, settle_time=0)
    else:
        found = client.reconcile_order(unknown, settle_time=0)
        assert found is not None and found.order_id == expected


def test_reconcile_and_reconcile_order_each_refuse_the_others_outcomes(
    market_fake: FakeOneKonto,
) -> None:
    client = market_fake.client()
    market_fake.faults.drop_connection("placeMarketOrder")
    with pytest.raises(wk.OutcomeUnknown) as order:
        client.place_market_order("1 BTC", destination="USD")
    market_fake.faults.drop_connection("requestWithdrawBlockchain")
    with pytest.raises(wk.OutcomeUnknown) as withdrawal:
        client.request_withdraw_blockchain("1 BTC", network="bitcoin")

    with pytest.raises(wk.InvalidArgument, match=r"OneKontoClient\.reconcile finds"):
        client.reconcile(order.value)
    with pytest.raises(wk.InvalidArgument, match=r"OneKontoClient\.reconcile_order finds"):
        client.reconcile_order(withdrawal.value)
