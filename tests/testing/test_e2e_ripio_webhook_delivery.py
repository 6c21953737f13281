"""When FakeRipio's webhooks go out: after the API answer for a request over loopback (so a slow
endpoint never times the client out), before the return of a scene call, and never past one
total deadline per delivery however slowly the endpoint answers."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

import withdrawkit as wk
from tests.testing.webhook_receiver import webhook_endpoint
from withdrawkit.testing import FakeRipio, _ripio_webhooks
from withdrawkit.webhooks import RipioWebhookEvent

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
FAST = (2.0, 2.0)
GATE_LIMIT = 10.0  # a blocked test endpoint gives up after this, so a failing test cannot hang


def withdraw(client: wk.RipioClient) -> wk.Withdrawal:
    return client.create_withdrawal(
        "0.1 ETH", end_user="customer_10", address=ADDRESS, network="ETHEREUM"
    )


@pytest.fixture
def fake() -> FakeRipio:
    fake = FakeRipio()
    fake.deposit("customer_10", "2 ETH")
    return fake


def test_a_slow_endpoint_does_not_delay_the_answer_of_the_request_that_caused_it(
    fake: FakeRipio,
) -> None:
    released = threading.Event()

    def held_until_released(event: RipioWebhookEvent) -> None:
        released.wait(GATE_LIMIT)

    with (
        fake.serve(),
        fake.client(timeout=FAST) as client,
        webhook_endpoint(fake.webhook_public_key_pem, on_event=held_until_released) as received,
    ):
        fake.deliver_webhooks_to(received.url)
        try:
            created = withdraw(client)  # answered while the endpoint still holds the event
            assert received.events == []
        finally:
            released.set()
        fake.wait_for_webhooks()

    (event,) = received.events
    assert isinstance(event.payload, wk.Withdrawal)
    assert (event.event_type, event.payload.id) == ("WITHDRAWAL.PENDING", created.id)
    assert [delivery.status for delivery in fake.webhook_deliveries] == [200]


def test_a_scene_call_returns_after_its_event_even_while_another_thread_delivers(
    fake: FakeRipio,
) -> None:
    with fake.serve(), fake.client(timeout=FAST) as client:
        first, second = withdraw(client), withdraw(client)
    entered, released = threading.Event(), threading.Event()

    def hold_the_first(event: RipioWebhookEvent) -> None:
        assert isinstance(event.payload, wk.Withdrawal)
        if event.payload.id == first.id:
            entered.set()
            released.wait(GATE_LIMIT)

    with webhook_endpoint(fake.webhook_public_key_pem, on_event=hold_the_first) as received:
        fake.deliver_webhooks_to(received.url)
        other = threading.Thread(target=fake.complete, args=(first.id,))
        other.start()
        assert entered.wait(GATE_LIMIT)
        threading.Timer(0.2, released.set).start()
        fake.complete(second.id)  # waits for the first delivery, then makes its own
        seen = [
            event.payload.id
            for event in received.events
            if isinstance(event.payload, wk.Withdrawal)
        ]
        other.join(GATE_LIMIT)

    assert seen == [first.id, second.id]


@contextmanager
def trickling_endpoint(seconds_per_byte: float) -> Iterator[str]:
    """An endpoint that answers one byte at a time, each well within any per-read timeout."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def trickle() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n":
                if stop.wait(seconds_per_byte):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/hooks/ripio"
    finally:
        stop.set()
        thread.join(GATE_LIMIT)
        listener.close()


def test_a_trickling_endpoint_is_given_up_on_at_the_deliverys_deadline(
    fake: FakeRipio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_ripio_webhooks, "DELIVERY_TIMEOUT", 0.5)
    with fake.serve(), fake.client(timeout=FAST) as client:
        created = withdraw(client)
    # 17 bytes of status line at 0.2 s each: the answer would take 3.4 s, each byte only 0.2 s.
    with trickling_endpoint(seconds_per_byte=0.2) as url:
        fake.deliver_webhooks_to(url)
        fake.complete(created.id)
        (delivery,) = fake.webhook_deliveries

    assert (delivery.event_type, delivery.status, delivery.delivered) == (
        "WITHDRAWAL.COMPLETED",
        None,
        False,
    )
    assert delivery.error is not None
    assert delivery.error.startswith("TimeoutError")


def sender_threads() -> list[str]:
    return [
        thread.name
        for thread in threading.enumerate()
        if thread.name.startswith("withdrawkit-fake-webhooks-")
    ]


def test_leaving_serve_stops_the_sender_even_mid_delivery(
    fake: FakeRipio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_ripio_webhooks, "DELIVERY_TIMEOUT", 0.5)
    with trickling_endpoint(seconds_per_byte=0.2) as url:
        fake.deliver_webhooks_to(url)
        with fake.serve(), fake.client(timeout=FAST) as client:
            assert len(sender_threads()) == 1
            withdraw(client)
        assert sender_threads() == []
    with fake.serve():  # a fake served again gets a sender again
        assert len(sender_threads()) == 1


def test_wait_for_webhooks_times_out_while_the_endpoint_holds_an_event(fake: FakeRipio) -> None:
    released = threading.Event()

    def held_until_released(event: RipioWebhookEvent) -> None:
        released.wait(GATE_LIMIT)

    with (
        fake.serve(),
        fake.client(timeout=FAST) as client,
        webhook_endpoint(fake.webhook_public_key_pem, on_event=held_until_released) as received,
    ):
        fake.deliver_webhooks_to(received.url)
        withdraw(client)
        try:
            with pytest.raises(TimeoutError, match="1 webhook"):
                fake.wait_for_webhooks(timeout=0.1)
        finally:
            released.set()
        fake.wait_for_webhooks()
        assert len(received.events) == 1
    with pytest.raises(TypeError, match="timeout"):
        fake.wait_for_webhooks(timeout="1")  # type: ignore[arg-type]
