"""The control surface of ``withdrawkit fake serve`` answers first, as the fake's own loopback
face does: the webhooks a control request or an API request causes follow from the fake's
background sender, so a slow receiver never delays the answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

import pytest
import requests

import withdrawkit as wk
from tests.testing.webhook_receiver import Received, webhook_endpoint
from withdrawkit.testing import FakeRequest, FakeResponse, FakeRipio
from withdrawkit.testing import _ripio_webhooks as ripio_webhooks
from withdrawkit.testing._control import ControlSurface, serve_scene
from withdrawkit.testing._control import _stop_each as stop_each
from withdrawkit.testing._control_scenes import ripio_scene
from withdrawkit.webhooks import RipioWebhookEvent

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
ANSWER_WITHIN = 3.0  # seconds; the receiver holds each event far longer unless released
GATE_LIMIT = 15.0  # a held receiver gives up after this, so a failing test cannot hang


@pytest.fixture
def surface() -> Iterator[ControlSurface[FakeRipio]]:
    with serve_scene(ripio_scene()) as served:
        yield served


@pytest.fixture
def released() -> Iterator[threading.Event]:
    gate = threading.Event()
    yield gate
    gate.set()


@pytest.fixture
def held_receiver(
    surface: ControlSurface[FakeRipio], released: threading.Event
) -> Iterator[Received]:
    def held_until_released(event: RipioWebhookEvent) -> None:
        released.wait(GATE_LIMIT)

    """A receiver that holds each event until ``released`` (the test sends webhooks to it)."""
    key = surface.fake.webhook_public_key_pem
    with webhook_endpoint(key, on_event=held_until_released) as received:
        yield received
        released.set()


def control(surface: ControlSurface[FakeRipio], path: str, body: object = None) -> Any:
    answer = requests.post(f"{surface.url}/_withdrawkit/{path}", json=body, timeout=ANSWER_WITHIN)
    assert answer.status_code == 200, answer.text
    return answer.json()


def withdraw(surface: ControlSurface[FakeRipio]) -> wk.Withdrawal:
    fake = surface.fake
    fake.deposit("customer_10", "1 ETH")
    with fake.client(base_url=surface.url, timeout=(ANSWER_WITHIN, ANSWER_WITHIN)) as client:
        return client.create_withdrawal(
            "0.1 ETH", end_user="customer_10", address=ADDRESS, network="ETHEREUM"
        )


def test_a_slow_receiver_does_not_delay_a_control_answer(
    surface: ControlSurface[FakeRipio], held_receiver: Received, released: threading.Event
) -> None:
    created = withdraw(surface)  # before any webhook URL: this request announces nothing
    fake = surface.fake
    fake.deliver_webhooks_to(held_receiver.url)

    answer = control(surface, f"withdrawals/{created.id}/complete")
    assert answer == {"id": created.id, "status": "COMPLETED"}
    assert held_receiver.events == []  # answered while the receiver still held the event

    released.set()
    fake.wait_for_webhooks()
    (event,) = held_receiver.events
    assert isinstance(event.payload, wk.Withdrawal)
    assert (event.event_type, event.payload.id) == ("WITHDRAWAL.COMPLETED", created.id)
    assert [delivery.status for delivery in fake.webhook_deliveries] == [200]


def test_a_slow_receiver_does_not_delay_an_api_answer_through_the_surface(
    surface: ControlSurface[FakeRipio], held_receiver: Received, released: threading.Event
) -> None:
    surface.fake.deliver_webhooks_to(held_receiver.url)
    created = withdraw(surface)  # its WITHDRAWAL.PENDING is held by the receiver meanwhile
    assert held_receiver.events == []

    released.set()
    surface.fake.wait_for_webhooks()
    (event,) = held_receiver.events
    assert isinstance(event.payload, wk.Withdrawal)
    assert (event.event_type, event.payload.id) == ("WITHDRAWAL.PENDING", created.id)


def test_a_reset_is_answered_at_once_and_the_old_fake_still_delivers(
    surface: ControlSurface[FakeRipio], held_receiver: Received, released: threading.Event
) -> None:
    old = surface.fake
    created = withdraw(surface)
    old.deliver_webhooks_to(held_receiver.url)
    control(surface, f"withdrawals/{created.id}/fail", {"reason": "gas too low"})
    assert control(surface, "reset") == {"reset": True}
    assert surface.fake is not old

    released.set()
    old.wait_for_webhooks()
    assert [event.event_type for event in held_receiver.events] == ["WITHDRAWAL.ERROR"]


def test_without_serving_a_scene_endpoint_delivers_before_it_answers() -> None:
    surface = ControlSurface(ripio_scene())  # handled in-process: no sender to leave it to
    fake = surface.fake
    with webhook_endpoint(fake.webhook_public_key_pem) as received:
        fake.deliver_webhooks_to(received.url)
        deposit_id = fake.deposit_fiat("customer_10", "10 ARS", pending=True)
        assert received.events == []
        outcome = surface.handle(
            FakeRequest.build("POST", f"/_withdrawkit/withdrawals/{deposit_id}/complete", body=b"")
        )
        assert isinstance(outcome, FakeResponse)
        assert outcome.status == 200
        assert [event.event_type for event in received.events] == ["FIAT_DEPOSIT.COMPLETED"]


def wait_for_events(received: Received, count: int, within: float = 10.0) -> None:
    """Poll the receiver, without calling into the fake (``wait_for_webhooks`` would flush)."""
    deadline = time.monotonic() + within
    while len(received.events) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_scene_call_running_over_a_reset_still_delivers_its_webhook(
    surface: ControlSurface[FakeRipio], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = surface.fake
    created = withdraw(surface)
    entered, go_on = threading.Event(), threading.Event()
    really_complete = old.complete

    def complete_after_the_reset(withdrawal_id: str) -> None:
        entered.set()
        go_on.wait(GATE_LIMIT)
        really_complete(withdrawal_id)

    monkeypatch.setattr(old, "complete", complete_after_the_reset)
    with webhook_endpoint(old.webhook_public_key_pem) as received:
        old.deliver_webhooks_to(received.url)
        answers: list[Any] = []
        completing = threading.Thread(
            target=lambda: answers.append(control(surface, f"withdrawals/{created.id}/complete"))
        )
        completing.start()
        assert entered.wait(GATE_LIMIT)
        assert control(surface, "reset") == {"reset": True}  # old is retired meanwhile
        go_on.set()
        completing.join(GATE_LIMIT)
        assert answers == [{"id": created.id, "status": "COMPLETED"}]

        wait_for_events(received, 1)
        assert [event.event_type for event in received.events] == ["WITHDRAWAL.COMPLETED"]


def slow_backlog(monkeypatch: pytest.MonkeyPatch, fake: FakeRipio, url: str) -> None:
    """Five WITHDRAWAL.PENDING events for a receiver that takes 0.6 s over each, with deliveries
    cut at 1 s: the backlog outlasts what stopping waits for one delivery."""
    monkeypatch.setattr(ripio_webhooks, "DELIVERY_TIMEOUT", 1.0)
    fake.deposit("customer_10", "1 ETH")
    with fake.client(base_url=url, timeout=(ANSWER_WITHIN, ANSWER_WITHIN)) as client:
        for _ in range(5):
            client.create_withdrawal(
                "0.01 ETH", end_user="customer_10", address=ADDRESS, network="ETHEREUM"
            )


def test_leaving_serve_with_a_slow_backlog_delivers_it_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeRipio()
    with webhook_endpoint(fake.webhook_public_key_pem, on_event=lambda e: time.sleep(0.6)) as rec:
        fake.deliver_webhooks_to(rec.url)
        with fake.serve() as url:
            slow_backlog(monkeypatch, fake, url)
        # no RuntimeError: what the sender had not sent was delivered on the way out
        assert [d.status for d in fake.webhook_deliveries] == [200] * 5
        assert len(rec.events) == 5


def test_leaving_fake_serve_delivers_the_current_fakes_backlog(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with ExitStack() as outlives_the_serve:
        with serve_scene(ripio_scene()) as served:
            fake = served.fake
            slow = webhook_endpoint(fake.webhook_public_key_pem, on_event=lambda e: time.sleep(0.6))
            fake.deliver_webhooks_to(outlives_the_serve.enter_context(slow).url)
            slow_backlog(monkeypatch, fake, served.url)
        assert [d.status for d in fake.webhook_deliveries] == [200] * 5


def test_one_fake_failing_to_stop_does_not_strand_the_next() -> None:
    broken, next_one = FakeRipio(), FakeRipio()
    failing = ExitStack()
    failing.callback(lambda: 1 / 0)
    with webhook_endpoint(next_one.webhook_public_key_pem) as received:
        next_one.deliver_webhooks_to(received.url)
        with next_one.webhooks.deferred():  # queued, as a served request leaves it
            next_one.deposit_fiat("customer_10", "10 ARS")
        assert received.events == []
        stop_each([(broken, failing), (next_one, ExitStack())])
        assert [event.event_type for event in received.events] == ["FIAT_DEPOSIT.COMPLETED"]
