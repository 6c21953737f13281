"""RipioClient's end users over a mocked HTTP layer: creating one, reading it, its deposit
addresses, balances and limits; one ``end_user`` argument, percent-encoded into the path.

Each answer is what Ripio's page shows: the Retrieve End User example verbatim, and for the
other reads the fields and values the pages list (no verbatim example was archived for them).
"""

from __future__ import annotations

import json
import pickle
from decimal import Decimal

import pytest
import responses

import withdrawkit as wk
from tests import ripio_support
from tests.loopback import ScriptedServer, Wire, answer, request_target
from tests.mock_calls import body_of
from tests.ripio_support import BASE, SECRET, TOKEN_URL, add_token, urls
from withdrawkit._ripio_client import RipioClient

clock = ripio_support.clock
client = ripio_support.client

END_USERS_URL = f"{BASE}/api/v1/end-users/"
NOT_FOUND = {
    "code": 40004,
    "type": "NotFound",
    "detail": {"message": "Not found.", "code": "not_found"},
    "status": 404,
}


def test_create_end_user_posts_its_external_ref(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.POST,
        END_USERS_URL,
        status=201,
        json={"created_at": "2023-11-07T05:31:56Z", "external_ref": "customer_11"},
    )

    created = client.create_end_user("customer_11")

    assert body_of(rsps.calls[1]) == {"external_ref": "customer_11"}
    assert created.external_ref == "customer_11"
    assert created.created_at is not None
    assert created.created_at.tzinfo is not None


@pytest.mark.parametrize("bad", ["", "   ", "x" * 251], ids=["empty", "blank", "too-long"])
def test_create_end_user_refuses_a_bad_id_before_sending(
    rsps: responses.RequestsMock, client: RipioClient, bad: str
) -> None:
    with pytest.raises(wk.InvalidArgument):
        client.create_end_user(bad)
    assert urls(rsps) == []


def test_get_end_user_reads_the_vendor_example(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{END_USERS_URL}customer_10/",
        json={"created_at": "2023-11-07T05:31:56Z", "external_ref": "<string>"},
    )

    found = client.get_end_user("customer_10")

    assert found.external_ref == "<string>"
    assert found.created_at is not None
    assert found.created_at.isoformat() == "2023-11-07T05:31:56+00:00"


def test_an_unknown_end_user_is_not_found(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, f"{END_USERS_URL}nobody/", status=404, json=NOT_FOUND)

    with pytest.raises(wk.NotFound) as raised:
        client.get_end_user("nobody")
    assert (raised.value.http_status, raised.value.code) == (404, 40004)


def test_an_end_user_id_cannot_change_the_path(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, f"{END_USERS_URL}..%2Fwithdrawals/balances/", json=[])

    assert client.list_end_user_balances("../withdrawals") == []
    assert urls(rsps) == [TOKEN_URL, f"{END_USERS_URL}..%2Fwithdrawals/balances/"]


def test_list_end_user_addresses_reads_every_network_seen_and_filters_by_token(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rows = [
        {
            "network": network,
            "end_user_id": "customer_10",
            "address": f"addr-{network}",
            "xpub": None,
            "derivation_path": None,
        }
        for network in ("BITCOIN", "ETHEREUM_SEPOLIA", "ETHEREUM", "POLYGON", "POLYGON_MUMBAI")
    ]
    rows.append({"network": "SOLANA", "address": "addr-new"})  # a network added later is kept
    rsps.add(
        responses.GET,
        f"{END_USERS_URL}customer_10/addresses/",
        json=rows,
        match=[responses.matchers.query_param_matcher({"token": "USDT"})],
    )

    listed = client.list_end_user_addresses("customer_10", token="USDT")

    assert [address.network for address in listed] == [
        wk.NetworkName.BITCOIN,
        wk.NetworkName.ETHEREUM_SEPOLIA,
        wk.NetworkName.ETHEREUM,
        wk.NetworkName.POLYGON,
        wk.NetworkName.POLYGON_MUMBAI,
        "SOLANA",
    ]
    assert listed[-1].end_user_id is None


def test_list_end_user_balances_reads_string_balances_exactly(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{END_USERS_URL}customer_10/balances/",
        json=[
            {"currency": "BTC", "balance": "0.00206525633592975968892629"},
            {"currency": "ARS", "balance": 12345.67},
        ],
    )

    balances = client.list_end_user_balances("customer_10")

    assert [(b.currency, b.balance) for b in balances] == [
        ("BTC", Decimal("0.00206525633592975968892629")),
        ("ARS", Decimal("12345.67")),
    ]


def test_list_end_user_limits_reads_the_pages_fields_as_decimals(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{END_USERS_URL}customer_10/limits/",
        json=[
            {
                "type": "BUY",
                "currency": "ARS",
                "period": "MONTHLY",
                "allowed_frequency": "100",
                "allowed_amount": "5000000.00",
                "consumed_frequency": "3",
                "consumed_amount": "12345.67",
            },
            {"type": "SWAP", "currency": "BTC", "period": "YEARLY"},
        ],
    )

    buy, swap = client.list_end_user_limits("customer_10")

    assert (buy.type, buy.period) == (wk.LimitType.BUY, wk.LimitPeriod.MONTHLY)
    assert buy.allowed_amount == Decimal("5000000.00")
    assert (buy.allowed_frequency, buy.consumed_frequency) == (Decimal(100), Decimal(3))
    assert buy.consumed_amount == Decimal("12345.67")
    assert swap.type == "SWAP"
    assert swap.allowed_amount is None


def test_a_limits_answer_that_is_not_a_list_is_unexpected(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, f"{END_USERS_URL}customer_10/limits/", json={"data": []})

    with pytest.raises(wk.UnexpectedResponse, match="list_end_user_limits"):
        client.list_end_user_limits("customer_10")


# -- creating an end user changes state: never sent twice -----------------------------------------


def test_create_end_user_dropped_after_the_request_arrived_is_outcome_unknown_sent_once() -> None:
    token = json.dumps({"access_token": "t", "expires_in": 3600, "token_type": "Bearer"})

    def token_then_hang_up(wire: Wire, request: bytes) -> None:
        if request_target(request) == ("POST", "/oauth2/token/"):
            wire.send(answer("200 OK", token.encode(), [("Content-Type", "application/json")]))
        # Anything else: the request was read whole, and the connection closes unanswered.

    with (
        ScriptedServer(token_then_hang_up) as server,
        RipioClient(server.url, client_id="id-1", client_secret=SECRET, max_retries=2) as client,
        pytest.raises(wk.OutcomeUnknown) as raised,
    ):
        client.create_end_user("customer_11")

    creations = [
        request for request in server.requests if request.startswith(b"POST /api/v1/end-users/ ")
    ]
    assert len(creations) == 1  # not re-sent: the first may have created it
    assert creations[0].endswith(b'{"external_ref":"customer_11"}')
    unknown = raised.value
    assert unknown.reference == "customer_11"
    assert unknown.sent is not None
    assert (unknown.sent.operation, unknown.sent.amount) == ("create_end_user", None)
    assert dict(unknown.sent.destination) == {"end_user": "customer_11"}
    assert "get_end_user('customer_11') tells whether it was created" in str(unknown)
    restored = pickle.loads(pickle.dumps(unknown))  # noqa: S301 - our own bytes
    assert "get_end_user('customer_11')" in str(restored)


def test_create_end_user_answered_503_is_outcome_unknown_and_not_retried(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, END_USERS_URL, status=503, body=b"<html>Service Unavailable</html>")

    with pytest.raises(wk.OutcomeUnknown) as raised:
        client.create_end_user("customer_11")

    assert raised.value.http_status == 503
    assert isinstance(raised.value.__cause__, wk.ServerError)
    assert urls(rsps) == [TOKEN_URL, END_USERS_URL]
