"""FakeRipio's webhooks end to end: the fake signs and POSTs an event on every change of status,
and a real handler on loopback verifies each one with withdrawkit.webhooks; tampered bodies,
other keys' signatures and truncated headers are refused by that handler."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from decimal import Decimal
from urllib.parse import urlsplit

import pytest

import withdrawkit as wk
from tests.test_spec_examples import validator_for
from tests.testing.webhook_receiver import Received, webhook_endpoint
from withdrawkit import _wire_json as wire_json
from withdrawkit._ripio_client import RipioClient
from withdrawkit.testing import FakeRipio
from withdrawkit.webhooks import SIGNATURE_HEADER, RipioWebhookEvent

ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
FAST = (2.0, 2.0)


@pytest.fixture
def fake() -> Iterator[FakeRipio]:
    fake = FakeRipio()
    fake.deposit("customer_10", "2 ETH")
    fake.deposit_fiat("customer_10", "1000 ARS")
    with fake.serve():
        yield fake


@pytest.fixture
def client(fake: FakeRipio) -> Iterator[RipioClient]:
    with fake.client(timeout=FAST) as client:
        yield client


@pytest.fixture
def endpoint(fake: FakeRipio) -> Iterator[Received]:
    with webhook_endpoint(fake.webhook_public_key_pem) as received:
        fake.deliver_webhooks_to(received.url)
        yield received


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    try:
        connection.request("POST", parts.path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def withdraw(client: RipioClient) -> wk.Withdrawal:
    return client.create_withdrawal(
        "0.1 ETH", end_user="customer_10", address=ADDRESS, network="ETHEREUM"
    )


def test_every_change_of_status_arrives_signed_and_verified(
    fake: FakeRipio, client: RipioClient, endpoint: Received
) -> None:
    done = withdraw(client)
    failed = withdraw(client)
    fake.complete(done.id)
    fake.fail(failed.id)
    account = fake.add_beneficiary_account("customer_10")
    paid = client.create_fiat_withdrawal(
        "100 ARS", end_user="customer_10", beneficiary_fiat_account_id=account
    )
    fake.complete(paid.id)
    deposit = fake.deposit_fiat("customer_10", "12345.67 ARS")

    assert [event.event_type for event in endpoint.events] == [
        "WITHDRAWAL.PENDING",
        "WITHDRAWAL.PENDING",
        "WITHDRAWAL.COMPLETED",
        "WITHDRAWAL.ERROR",
        "FIAT_WITHDRAWAL.PENDING",
        "FIAT_WITHDRAWAL.COMPLETED",
        "FIAT_DEPOSIT.COMPLETED",
    ]
    assert endpoint.refused == []
    assert all(delivery.delivered for delivery in fake.webhook_deliveries)
    assert all(event.typed for event in endpoint.events)
    completed = endpoint.events[2].payload
    assert isinstance(completed, wk.Withdrawal)
    assert (completed.id, completed.status) == (done.id, "COMPLETED")
    assert completed.txn_hash is not None
    deposited = endpoint.events[-1].payload
    assert isinstance(deposited, wk.FiatDeposit)
    assert (deposited.id, deposited.amount) == (deposit, Decimal("12345.67"))


def test_a_withdrawal_completed_by_polling_is_announced(
    fake: FakeRipio, client: RipioClient, endpoint: Received
) -> None:
    fake.pending_polls = 0
    created = withdraw(client)
    assert client.get_withdrawal(created.id).status == "COMPLETED"
    fake.wait_for_webhooks()
    assert [event.event_type for event in endpoint.events] == [
        "WITHDRAWAL.PENDING",
        "WITHDRAWAL.COMPLETED",
    ]


def test_the_handler_refuses_tampered_foreign_and_truncated_deliveries(
    fake: FakeRipio, client: RipioClient, endpoint: Received
) -> None:
    withdraw(client)
    fake.wait_for_webhooks()
    (delivery,) = fake.webhook_deliveries
    other = FakeRipio()
    headers = {"Content-Type": "application/json"}
    tampered = delivery.body.replace(b'"0.1"', b'"9.1"')
    assert tampered != delivery.body

    answers = [
        post(endpoint.url, tampered, {**headers, SIGNATURE_HEADER: delivery.signature}),
        post(
            endpoint.url,
            delivery.body,
            {**headers, SIGNATURE_HEADER: other.sign_webhook(delivery.body)},
        ),
        post(endpoint.url, delivery.body, {**headers, SIGNATURE_HEADER: delivery.signature[:-8]}),
        post(endpoint.url, delivery.body, headers),
        post(endpoint.url, delivery.body, {**headers, SIGNATURE_HEADER: delivery.signature}),
    ]

    assert answers == [400, 400, 400, 400, 200]
    assert len(endpoint.refused) == 4
    assert "no signature" in endpoint.refused[-1]
    assert [event.event_type for event in endpoint.events] == ["WITHDRAWAL.PENDING"] * 2


def test_a_handler_may_call_back_into_the_fake_while_it_is_delivering(fake: FakeRipio) -> None:
    looked_up: list[str] = []
    with fake.client(timeout=FAST) as client:

        def look_up(event: RipioWebhookEvent) -> None:
            assert isinstance(event.payload, wk.Withdrawal)
            looked_up.append(str(client.get_withdrawal(event.payload.id).status))

        with webhook_endpoint(fake.webhook_public_key_pem, on_event=look_up) as received:
            fake.deliver_webhooks_to(received.url)
            created = withdraw(client)
            fake.wait_for_webhooks()  # PENDING is looked up before complete() changes it
            fake.complete(created.id)

    assert looked_up == ["PENDING", "COMPLETED"]
    assert [d.status for d in fake.webhook_deliveries] == [200, 200]


def test_the_mocked_fake_delivers_to_a_real_endpoint_too() -> None:
    fake = FakeRipio()
    fake.deposit("customer_10", "1 ETH")
    with webhook_endpoint(fake.webhook_public_key_pem) as received, fake.mock():
        fake.deliver_webhooks_to(received.url)
        withdraw(fake.client())
    assert [event.event_type for event in received.events] == ["WITHDRAWAL.PENDING"]


def test_an_unreachable_endpoint_is_recorded_and_the_api_call_still_answers(
    fake: FakeRipio, client: RipioClient
) -> None:
    with webhook_endpoint(fake.webhook_public_key_pem) as received:
        url = received.url
    fake.deliver_webhooks_to(url)  # nothing listens there any more

    created = withdraw(client)
    fake.wait_for_webhooks()

    (delivery,) = fake.webhook_deliveries
    assert (delivery.event_type, delivery.status, delivery.delivered) == (
        "WITHDRAWAL.PENDING",
        None,
        False,
    )
    assert delivery.error is not None
    assert client.get_withdrawal(created.id).id == created.id


def test_no_endpoint_no_delivery_and_stopping_stops(fake: FakeRipio, client: RipioClient) -> None:
    withdraw(client)
    fake.wait_for_webhooks()
    assert fake.webhook_deliveries == []
    with webhook_endpoint(fake.webhook_public_key_pem) as received:
        fake.deliver_webhooks_to(received.url)
        withdraw(client)
        fake.deliver_webhooks_to(None)
        withdraw(client)
        fake.wait_for_webhooks()
    assert len(received.events) == 1


@pytest.mark.parametrize(
    "url",
    ["http://example.com/hook", "https://127.0.0.1/hook", "http://10.0.0.1/hook", "ftp://x/"],
)
def test_webhooks_go_only_to_loopback_http(url: str) -> None:
    with pytest.raises(ValueError, match="webhooks go to"):
        FakeRipio().deliver_webhooks_to(url)


def test_each_fake_has_its_own_key() -> None:
    first, second = FakeRipio(), FakeRipio()
    assert first.webhook_public_key_pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert first.webhook_public_key_pem != second.webhook_public_key_pem
    assert first.webhook_public_key_pem == first.webhook_public_key_pem


PAYLOAD_SCHEMAS = {
    "WITHDRAWAL": "Withdrawal",
    "FIAT_WITHDRAWAL": "FiatWithdrawal",
    "FIAT_DEPOSIT": "FiatDeposit",
}


def test_every_webhook_the_fake_sends_matches_the_specs_envelope_and_payload(
    fake: FakeRipio, client: RipioClient, endpoint: Received
) -> None:
    created = withdraw(client)
    fake.complete(created.id)
    account = fake.add_beneficiary_account("customer_10")
    paid = client.create_fiat_withdrawal(
        "1 ARS", end_user="customer_10", beneficiary_fiat_account_id=account
    )
    fake.fail(paid.id)
    fake.deposit_fiat("customer_10", "2 ARS")

    deliveries = fake.webhook_deliveries
    assert len(deliveries) == 5
    for delivery in deliveries:
        sent = wire_json.loads(delivery.body)
        assert delivery.body == wire_json.dumps(sent).encode()  # compact, as Ripio serialises
        envelope = {"$ref": "#/components/schemas/WebhookEvent"}
        assert list(validator_for("ripio", envelope).iter_errors(sent)) == [], delivery
        payload = {
            "$ref": f"#/components/schemas/{PAYLOAD_SCHEMAS[delivery.event_type.split('.')[0]]}"
        }
        assert list(validator_for("ripio", payload).iter_errors(sent["payload"])) == [], delivery
