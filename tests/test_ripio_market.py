"""RipioClient's rates and transactions over a mocked HTTP layer: rates read exactly (float
artefacts included), transactions kept whole because their schema was never seen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import responses
from responses import matchers

import withdrawkit as wk
from tests import ripio_support
from tests.ripio_support import BASE, add_token
from withdrawkit import _wire_json as wire_json
from withdrawkit._ripio_client import RipioClient

clock = ripio_support.clock
client = ripio_support.client

RATES_URL = f"{BASE}/api/v1/rates/"
TRANSACTIONS_URL = f"{BASE}/api/v1/transactions/"


def test_list_rates_keeps_every_digit_of_the_pages_float_artefact(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        RATES_URL,
        body=(
            '[{"pair": "ETH_USD", "last_buy_rate": 3297.4449999999997, "last_sell_rate": 3280},'
            ' {"pair": "BTC_USD", "last_buy_rate": "64250.5", "last_sell_rate": 6.399025e4}]'
        ),
        content_type="application/json",
    )

    eth, btc = client.list_rates()

    assert (eth.pair, eth.last_buy_rate, eth.last_sell_rate) == (
        "ETH_USD",
        Decimal("3297.4449999999997"),
        Decimal(3280),
    )
    assert (btc.last_buy_rate, btc.last_sell_rate) == (Decimal("64250.5"), Decimal("63990.25"))


def transaction(number: int, **extra: Any) -> dict[str, Any]:
    return {"id": f"tx-{number}", "amount": "1.5", **extra}


def test_list_transactions_walks_the_pages_and_keeps_each_object_whole(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    first = {
        "count": 3,
        "next": "http://localhost/api/v1/transactions/?page=2",
        "previous": None,
        "results": [transaction(1, fee=Decimal("0.0005"), nested={"k": [1, 2]}), transaction(2)],
    }
    second = {"count": 3, "next": None, "previous": None, "results": [transaction(3)]}
    for number, body in ((1, first), (2, second)):
        rsps.add(
            responses.GET,
            TRANSACTIONS_URL,
            body=wire_json.dumps(body),
            content_type="application/json",
            match=[matchers.query_param_matcher({"page": str(number)})],
        )

    listed = list(client.list_transactions())

    assert [item["id"] for item in listed] == ["tx-1", "tx-2", "tx-3"]
    assert listed[0]["fee"] == Decimal("0.0005")
    assert isinstance(listed[0]["fee"], Decimal)
    assert listed[0]["nested"] == {"k": [1, 2]}


def test_a_transaction_listed_twice_is_refused(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    body = {"count": 2, "next": None, "previous": None, "results": [transaction(1)] * 2}
    rsps.add(responses.GET, TRANSACTIONS_URL, json=body)

    with pytest.raises(wk.UnexpectedResponse, match="lists 'tx-1' again"):
        list(client.list_transactions())


def test_transactions_without_an_id_are_told_apart_by_their_whole_content(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rows = [{"amount": "1"}, {"amount": "2"}]
    page = {"count": 2, "next": None, "previous": None, "results": rows}
    rsps.add(responses.GET, TRANSACTIONS_URL, json=page)
    assert list(client.list_transactions()) == rows

    repeated = {**page, "count": 3, "results": [*rows, {"amount": "1"}]}
    rsps.replace(responses.GET, TRANSACTIONS_URL, json=repeated)
    with pytest.raises(wk.UnexpectedResponse, match="again"):
        list(client.list_transactions())


def test_a_transaction_row_that_is_not_an_object_is_unexpected(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    body = {"count": 1, "next": None, "previous": None, "results": ["tx-1"]}
    rsps.add(responses.GET, TRANSACTIONS_URL, json=body)

    with pytest.raises(wk.UnexpectedResponse, match="list_transactions"):
        list(client.list_transactions())


def test_get_transaction_returns_the_object_as_sent(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{TRANSACTIONS_URL}8df65b81-8227-4d03-950d-0d8d5fef9402/",
        body='{"id": "8df65b81-8227-4d03-950d-0d8d5fef9402", "amount": 1.0000016378e-8}',
        content_type="application/json",
    )

    found = client.get_transaction("8df65b81-8227-4d03-950d-0d8d5fef9402")

    assert found == {
        "id": "8df65b81-8227-4d03-950d-0d8d5fef9402",
        "amount": Decimal("1.0000016378e-8"),
    }


def test_an_unknown_transaction_is_not_found(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{TRANSACTIONS_URL}missing/",
        status=404,
        json={
            "code": 40004,
            "type": "NotFound",
            "detail": {"message": "Not found."},
            "status": 404,
        },
    )

    with pytest.raises(wk.NotFound):
        client.get_transaction("missing")
