"""RipioClient over a mocked HTTP layer (``responses``): bodies, tokens, pages, amounts."""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

import pytest
import requests
import responses
from responses import matchers

import withdrawkit as wk
from tests.clocks import ManualClock, on_clocks
from withdrawkit._auth import DEFAULT_RENEW_MARGIN
from withdrawkit._conversion import WireShapeError
from withdrawkit._error_mapping import RIPIO
from withdrawkit._pagination import Page, iterate_pages, page_number_in
from withdrawkit._ripio_client import RipioClient

BASE = "https://ripio.test"
TOKEN_URL = f"{BASE}/oauth2/token/"
FEES_URL = f"{BASE}/api/v1/withdrawal-fees/"
WITHDRAWALS_URL = f"{BASE}/api/v1/withdrawals/"
FIAT_URL = f"{BASE}/api/v1/fiat-withdrawals/"
SECRET = "cl1ent-s3cret"
EXACT = "0.00206525633592975968892629"
NOT_AUTHENTICATED = {
    "code": 40001,
    "type": "NotAuthenticated",
    "detail": {
        "message": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    },
    "status": 403,
}


def withdrawal(number: int = 1, **changes: Any) -> dict[str, Any]:
    """A withdrawal as the DOC-new pages show it (money as strings, null hashes while pending)."""
    return {
        "id": f"00000000-0000-4000-8000-{number:012d}",
        "created_at": "2022-03-30T19:38:39.765190Z",
        "confirmation_date": None,
        "txn_hash": None,
        "end_user_id": "customer_10",
        "currency": "BTC",
        "amount": "1.5",
        "address": "bc1qexample",
        "network_name": "BITCOIN",
        "status": "PENDING",
        "transaction_id": "8df65b81-8227-4d03-950d-0d8d5fef9402",
        "provisory_transaction_hash": None,
        "risk_score": None,
        "is_blocked": False,
        "reason": "",
        "external_ref": None,
        "debited_amount": "1.5005",
        **changes,
    }


FIAT_WITHDRAWAL = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
    "transaction_id": "0fec1e58-b197-4052-99cf-2218496c5482",
    "created_at": "2019-08-24T14:15:22Z",
    "updated_at": "2019-08-24T14:15:22Z",
    "end_user_id": "customer_10",
    "amount": "12345.67",
    "currency_code": "ARS",
    "status": "PENDING",
    "external_ref": None,
    "beneficiary_fiat_account_id": "4123e456-e89b-12d3-a456-4bedc4266abc",
    "is_fiat_deposit_refund": False,
    "refunded_fiat_deposit": None,
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(100.0)


@pytest.fixture
def client(clock: ManualClock) -> Iterator[RipioClient]:
    with on_clocks(RipioClient(BASE, client_id="id-1", client_secret=SECRET), clock) as made:
        yield made


def add_token(rsps: responses.RequestsMock, issued: str = "tok-1", expires_in: int = 36000) -> None:
    rsps.add(
        responses.POST,
        TOKEN_URL,
        json={
            "access_token": issued,
            "expires_in": expires_in,
            "token_type": "Bearer",
            "scope": "read write",
        },
    )


def body_of(call: Any) -> Any:
    return json.loads(call.request.body, parse_float=Decimal)


def urls(rsps: responses.RequestsMock) -> list[str]:
    return [str(call.request.url) for call in rsps.calls]


# -- token --------------------------------------------------------------------------------------


def test_the_token_is_requested_with_form_encoded_client_credentials(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())

    client.get_withdrawal("w-1")

    token_request = rsps.calls[0].request
    assert token_request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert isinstance(token_request.body, str)
    assert parse_qs(token_request.body) == {
        "grant_type": ["client_credentials"],
        "client_id": ["id-1"],
        "client_secret": [SECRET],
    }
    assert rsps.calls[1].request.headers["Authorization"] == "Bearer tok-1"


def test_the_token_is_kept_until_expires_in_minus_the_margin(
    rsps: responses.RequestsMock, client: RipioClient, clock: ManualClock
) -> None:
    add_token(rsps, "tok-1", expires_in=36000)
    add_token(rsps, "tok-2")
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())

    client.get_withdrawal("w-1")
    clock.now += 36000 - DEFAULT_RENEW_MARGIN - 1
    client.get_withdrawal("w-1")
    clock.now += 2
    client.get_withdrawal("w-1")

    assert urls(rsps).count(TOKEN_URL) == 2
    used = [
        call.request.headers["Authorization"]
        for call in rsps.calls
        if call.request.url != TOKEN_URL
    ]
    assert used == ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]


def test_bad_client_credentials_raise_authentication_failed_after_one_token_request(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    rsps.add(responses.POST, TOKEN_URL, status=401, json={"error": "invalid_client"})

    with pytest.raises(wk.AuthenticationFailed):
        client.get_withdrawal("w-1")
    assert urls(rsps) == [TOKEN_URL]


def test_a_malformed_token_answer_is_unexpected_and_never_shows_the_token(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    rsps.add(responses.POST, TOKEN_URL, json={"access_token": "tok-s3cret", "token_type": "Bearer"})

    with pytest.raises(wk.UnexpectedResponse) as raised:
        client.get_withdrawal("w-1")
    assert "tok-s3cret" not in str(raised.value)
    assert "tok-s3cret" not in raised.value.body


def test_the_token_answer_is_never_logged_or_kept_beyond_its_shape(
    rsps: responses.RequestsMock, client: RipioClient, caplog: pytest.LogCaptureFixture
) -> None:
    answer = {
        "access_token": "tok-1",
        "expires_in": 36000,
        "token_type": "Bearer",
        "scope": "read write",
        "id_token": "s3cr3t-id",
    }
    rsps.add(responses.POST, TOKEN_URL, json=answer)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())
    with caplog.at_level(logging.DEBUG, logger="withdrawkit"):
        client.get_withdrawal("w-1")
    assert "'id_token'" in caplog.text
    assert "s3cr3t" not in caplog.text

    rsps.replace(responses.POST, TOKEN_URL, body="<p>access_token s3cr3t-tok</p>")
    with (
        RipioClient(BASE, client_id="id-1", client_secret=SECRET) as fresh,
        pytest.raises(wk.UnexpectedResponse) as raised,
    ):
        fresh.get_withdrawal("w-1")
    assert "s3cr3t" not in str(raised.value)
    assert "s3cr3t" not in raised.value.body


@pytest.mark.parametrize(
    "issued",
    ["s3cr3t-tok\r\n", "s3cr3t tok\nX-Evil: 1", " s3cr3t", "s3cr3t\u00e9", "s3c=r3t", ""],
    ids=["crlf", "header-injection", "leading-space", "non-ascii", "inner-padding", "empty"],
)
def test_a_token_that_cannot_be_a_bearer_token_is_refused_and_never_shown(
    rsps: responses.RequestsMock, client: RipioClient, issued: str
) -> None:
    add_token(rsps, issued)
    add_token(rsps, "tok-2")
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())

    with pytest.raises(wk.UnexpectedResponse, match="get access token: the token") as raised:
        client.get_withdrawal("w-1")
    assert "s3cr3t" not in str(raised.value)
    assert "s3cr3t" not in raised.value.body
    assert urls(rsps) == [TOKEN_URL]
    client.get_withdrawal("w-1")  # nothing was cached: a new token is fetched
    assert rsps.calls[-1].request.headers["Authorization"] == "Bearer tok-2"


@pytest.mark.parametrize(
    ("status", "body"),
    [(401, {"detail": "Invalid token."}), (403, NOT_AUTHENTICATED)],
    ids=["401", "403-code-40001"],
)
def test_a_rejected_token_is_renewed_once_and_the_call_repeated_once(
    rsps: responses.RequestsMock, client: RipioClient, status: int, body: dict[str, Any]
) -> None:
    add_token(rsps, "tok-1")
    add_token(rsps, "tok-2")
    rsps.add(responses.POST, WITHDRAWALS_URL, status=status, json=body)
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json=withdrawal())

    created = client.create_withdrawal(
        "1.5 BTC", end_user="customer_10", address="bc1qexample", network="BITCOIN_TESTNET"
    )

    assert created.amount == Decimal("1.5")
    assert urls(rsps) == [TOKEN_URL, WITHDRAWALS_URL, TOKEN_URL, WITHDRAWALS_URL]
    assert rsps.calls[3].request.headers["Authorization"] == "Bearer tok-2"
    assert body_of(rsps.calls[3]) == body_of(rsps.calls[1])


def test_a_second_rejection_raises_authentication_failed(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps, "tok-1")
    add_token(rsps, "tok-2")
    rsps.add(responses.POST, WITHDRAWALS_URL, status=403, json=NOT_AUTHENTICATED)
    rsps.add(responses.POST, WITHDRAWALS_URL, status=401, json={"detail": "Invalid token."})
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json=withdrawal())  # never reached

    with pytest.raises(wk.AuthenticationFailed):
        client.create_withdrawal("1.5 BTC", end_user="customer_10", address="a", network="BITCOIN")
    assert urls(rsps).count(WITHDRAWALS_URL) == 2
    assert urls(rsps).count(TOKEN_URL) == 2


def test_a_403_that_is_not_40001_is_not_a_token_problem_and_is_not_retried(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps, "tok-1")
    rsps.add(
        responses.POST,
        WITHDRAWALS_URL,
        status=403,
        json={
            "code": 40003,
            "type": "PermissionDenied",
            "detail": {"message": "no"},
            "status": 403,
        },
    )

    with pytest.raises(wk.APIError) as raised:
        client.create_withdrawal("1.5 BTC", end_user="customer_10", address="a", network="BITCOIN")
    assert raised.value.http_status == 403
    assert urls(rsps) == [TOKEN_URL, WITHDRAWALS_URL]


def test_sixteen_threads_sharing_one_client_get_one_token(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    def slow_token(_: Any) -> tuple[int, dict[str, str], str]:
        time.sleep(0.05)  # keep the first token request in flight while the others arrive
        answer = {
            "access_token": "tok-shared",
            "expires_in": 36000,
            "token_type": "Bearer",
            "scope": "s",
        }
        return 200, {}, json.dumps(answer)

    rsps.add_callback(responses.POST, TOKEN_URL, callback=slow_token)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())
    start = threading.Barrier(16)
    failures: list[BaseException] = []

    def worker() -> None:
        start.wait()
        try:
            client.get_withdrawal("w-1")
        except BaseException as error:  # noqa: BLE001 - reported through the assertion below
            failures.append(error)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert urls(rsps).count(TOKEN_URL) == 1
    assert urls(rsps).count(f"{WITHDRAWALS_URL}w-1/") == 16


# -- crypto withdrawals -------------------------------------------------------------------------


def test_create_withdrawal_sends_every_digit_and_omits_unset_optionals(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json=withdrawal(amount=EXACT))

    created = client.create_withdrawal(
        f"{EXACT} BTC",
        end_user="customer_10",
        address="bc1qexample",
        network="BITCOIN_TESTNET",
        external_ref=None,
    )

    sent = rsps.calls[1].request.body
    assert isinstance(sent, bytes)
    assert f'"amount":{EXACT}'.encode() in sent  # a JSON number, not a string, not a float
    assert body_of(rsps.calls[1]) == {
        "end_user": "customer_10",
        "currency": "BTC",
        "address": "bc1qexample",
        "network": "BITCOIN_TESTNET",
        "amount": Decimal(EXACT),
    }
    assert created.amount == Decimal(EXACT)


def test_the_contract_example_fee_then_withdrawal(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.POST,
        FEES_URL,
        status=201,
        body='{"id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "expires_at": "2022-08-24T14:15:22Z",'
        ' "amount": 0.002, "gas_price": 0.00001, "fee": 0.00001, "total_fee": 0.00002,'
        ' "total_amount": 0.00202}',
        content_type="application/json",
    )
    rsps.add(
        responses.POST,
        WITHDRAWALS_URL,
        status=201,
        json=withdrawal(currency="ETH", amount="0.002", external_ref="ref-1", rewards_tier="gold"),
    )

    fee = client.create_withdrawal_fee("0.002 ETH", network="ethereum", external_ref="fee-1")
    created = client.create_withdrawal(
        "0.002 ETH",
        end_user="customer_10",
        address="0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        network="ETHEREUM",
        external_ref="ref-1",
        withdrawal_fee_id=fee.id,
    )

    assert body_of(rsps.calls[1]) == {
        "currency": "ETH",
        "network": "ethereum",
        "amount": Decimal("0.002"),
        "external_ref": "fee-1",
    }
    assert fee.total_amount == Decimal("0.00202")
    assert fee.expires_at.tzinfo is not None
    assert body_of(rsps.calls[2])["withdrawal_fee_id"] == "497f6eca-6276-4993-bfeb-53cbbbba6f08"
    assert body_of(rsps.calls[2])["external_ref"] == "ref-1"
    assert created.amount == Decimal("0.002")
    assert created.created_at.tzinfo is not None
    assert created.status == "PENDING"


def test_get_withdrawal_reads_numbers_strings_and_exponents_exactly(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{WITHDRAWALS_URL}ac243840/",
        body=json.dumps(withdrawal(status="COMPLETED"))
        .replace('"amount": "1.5"', '"amount": 1.0000016378e-8')
        .replace('"debited_amount": "1.5005"', '"debited_amount": "1.0000016379E-8"'),
        content_type="application/json",
    )

    found = client.get_withdrawal("ac243840")

    assert found.amount == Decimal("1.0000016378e-8")
    assert found.debited_amount == Decimal("1.0000016379E-8")
    assert found.status == "COMPLETED"


def test_unknown_fields_and_enum_values_are_tolerated(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{WITHDRAWALS_URL}w-9/",
        json=withdrawal(9, status="UNDER_REVIEW", network_name="SOLANA", travel_rule={"ok": True}),
    )

    found = client.get_withdrawal("w-9")

    assert found.status == "UNDER_REVIEW"
    assert found.status is not None and not found.status.is_known
    assert found.network_name == "SOLANA"


def test_the_withdrawal_id_cannot_change_the_path(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}..%2F..%2Foauth2%2F/", json=withdrawal())

    client.get_withdrawal("../../oauth2/")
    assert urls(rsps)[1] == f"{WITHDRAWALS_URL}..%2F..%2Foauth2%2F/"


def test_a_withdrawal_is_never_repeated_after_an_unknown_outcome(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, WITHDRAWALS_URL, body=requests.exceptions.ReadTimeout("timed out"))
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json=withdrawal())  # never reached

    with pytest.raises(wk.OutcomeUnknown):
        client.create_withdrawal("1.5 BTC", end_user="customer_10", address="a", network="BITCOIN")
    assert urls(rsps).count(WITHDRAWALS_URL) == 1


def test_a_created_withdrawal_of_the_wrong_shape_is_unexpected_and_says_it_was_accepted(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, WITHDRAWALS_URL, status=201, json={"id": "w-1", "amount": "1.5"})

    with pytest.raises(wk.UnexpectedResponse, match="accepted the request") as raised:
        client.create_withdrawal("1.5 BTC", end_user="customer_10", address="a", network="BITCOIN")
    assert isinstance(raised.value.__cause__, WireShapeError)


def test_an_html_page_with_status_200_is_an_unexpected_response(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{WITHDRAWALS_URL}w-1/",
        body="<!DOCTYPE html><html><body>Sandbox under maintenance</body></html>",
        content_type="text/html",
    )

    with pytest.raises(wk.UnexpectedResponse):
        client.get_withdrawal("w-1")


@pytest.mark.parametrize(
    "missing", ["end_user", "address", "network"], ids=lambda name: f"blank-{name}"
)
def test_blank_required_arguments_are_refused_before_any_request(
    rsps: responses.RequestsMock, client: RipioClient, missing: str
) -> None:
    arguments = {"end_user": "customer_10", "address": "a", "network": "BITCOIN", missing: " "}
    with pytest.raises(ValueError, match=missing):
        client.create_withdrawal("1 BTC", **arguments)
    assert len(rsps.calls) == 0


# -- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["0 BTC", "0.0 BTC", "-1.5 BTC"])
def test_zero_or_negative_amounts_raise_validation_failed_before_any_request(
    rsps: responses.RequestsMock, client: RipioClient, amount: str
) -> None:
    with pytest.raises(wk.ValidationFailed) as refused:
        client.create_withdrawal(amount, end_user="customer_10", address="a", network="BITCOIN")
    with pytest.raises(wk.ValidationFailed):
        client.create_withdrawal_fee(amount, network="bitcoin")
    with pytest.raises(wk.ValidationFailed):
        client.create_fiat_withdrawal(
            amount.replace("BTC", "ARS"), end_user_id="customer_10", beneficiary_fiat_account_id="b"
        )

    assert len(rsps.calls) == 0
    assert refused.value.provider == RIPIO
    assert refused.value.http_status is None
    assert set(refused.value.field_errors) == {"amount"}


@pytest.mark.parametrize("amount", ["1e3 BTC", "1,5 BTC", "1.5", "NaN BTC", "1.5  BTC"])
def test_bad_amount_text_raises_amount_error_before_any_request(
    rsps: responses.RequestsMock, client: RipioClient, amount: str
) -> None:
    with pytest.raises(wk.AmountError):
        client.create_withdrawal(amount, end_user="customer_10", address="a", network="BITCOIN")
    assert len(rsps.calls) == 0


def test_float_amounts_are_refused_before_any_request(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    with pytest.raises(TypeError, match="float"):
        client.create_withdrawal(1.5, end_user="c", address="a", network="B")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="float"):
        client.create_withdrawal_fee(0.002, network="ethereum")  # type: ignore[arg-type]
    assert len(rsps.calls) == 0


# -- list_withdrawals ---------------------------------------------------------------------------


def page(numbers: list[int], next_page: int | None, count: int = 7) -> dict[str, Any]:
    return {
        "count": count,
        "next": None
        if next_page is None
        else f"http://localhost/api/v1/withdrawals/?page={next_page}",
        "previous": None,
        "results": [withdrawal(number) for number in numbers],
    }


def add_page(rsps: responses.RequestsMock, number: int, body: dict[str, Any]) -> None:
    rsps.add(
        responses.GET,
        WITHDRAWALS_URL,
        json=body,
        match=[matchers.query_param_matcher({"page": str(number)})],
    )


def test_list_withdrawals_walks_every_page_from_the_base_url_not_the_next_link(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1, 2, 3], next_page=2))
    add_page(rsps, 2, page([4, 5, 6], next_page=3))
    add_page(rsps, 3, page([7], next_page=None))

    found = list(client.list_withdrawals())

    assert [item.id[-1] for item in found] == list("1234567")
    assert urls(rsps)[1:] == [
        f"{WITHDRAWALS_URL}?page=1",
        f"{WITHDRAWALS_URL}?page=2",
        f"{WITHDRAWALS_URL}?page=3",
    ]
    assert all(call.request.headers["Authorization"] == "Bearer tok-1" for call in rsps.calls[1:])


def test_list_withdrawals_is_lazy(rsps: responses.RequestsMock, client: RipioClient) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1, 2], next_page=2))

    walk = client.list_withdrawals()
    assert len(rsps.calls) == 0
    assert next(walk).id.endswith("1")
    assert urls(rsps) == [TOKEN_URL, f"{WITHDRAWALS_URL}?page=1"]


def test_an_empty_first_page_without_next_is_an_empty_list(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([], next_page=None, count=0))

    assert list(client.list_withdrawals()) == []


def test_list_withdrawals_refuses_an_empty_page_that_announces_a_next_one(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1], next_page=2))
    add_page(rsps, 2, page([], next_page=3))
    add_page(rsps, 3, page([3], next_page=None))  # never requested

    walk = client.list_withdrawals()
    assert next(walk).id.endswith("1")
    with pytest.raises(wk.UnexpectedResponse, match="page 2 is empty but links to a next page"):
        next(walk)
    assert urls(rsps).count(f"{WITHDRAWALS_URL}?page=3") == 0


def test_list_withdrawals_refuses_a_server_that_ignores_the_page_parameter(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, WITHDRAWALS_URL, json=page([1, 2], next_page=2))  # whatever the page

    walk = client.list_withdrawals()
    with pytest.raises(wk.UnexpectedResponse, match=r"page 2 lists '00000000-0000-4000-8000-0+1'"):
        list(walk)
    assert len(rsps.calls) == 3


def test_a_list_that_shifts_under_the_walk_is_refused_before_a_row_is_yielded_twice(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    # Newest first, and a new withdrawal (4) arrives between the two requests: page 2 then starts
    # with the row page 1 ended on. What the reviewers' probe saw loop forever.
    add_token(rsps)
    add_page(rsps, 1, page([3, 2], next_page=2, count=3))
    add_page(rsps, 2, page([2, 1], next_page=3, count=4))

    yielded: list[str] = []
    with pytest.raises(wk.UnexpectedResponse, match="list again"):
        yielded.extend(item.id[-1] for item in client.list_withdrawals())
    assert yielded == ["3", "2"]


def test_a_server_that_ignores_page_while_rows_shift_is_stopped_at_once() -> None:
    # The reviewers' probe (p9_pages.py): every answer is the newest three ids, shifted by one.
    served = itertools.count()

    def fetch(number: int) -> Page[str]:
        n = next(served)
        link = f"http://localhost/api/v1/withdrawals/?page={number + 1}"
        return Page([f"w-{n + 2}", f"w-{n + 1}", f"w-{n}"], link, 1000)

    yielded: list[str] = []
    with pytest.raises(wk.UnexpectedResponse, match="lists 'w-2' again"):
        yielded.extend(itertools.islice(iterate_pages(fetch, key=str), 3000))
    assert yielded == ["w-2", "w-1", "w-0"]
    assert next(served) == 2


@pytest.mark.parametrize("announced", [1, 2, 4])
def test_list_withdrawals_refuses_a_next_link_to_any_page_but_the_following_one(
    rsps: responses.RequestsMock, client: RipioClient, announced: int
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1], next_page=2))
    add_page(rsps, 2, page([2], next_page=announced))

    with pytest.raises(wk.UnexpectedResponse, match=f"page 2 links to page {announced}"):
        list(client.list_withdrawals())
    assert len(rsps.calls) == 3


@pytest.mark.parametrize("number", ["\u00b2", "x", "2.0", "", "99999999999999999999999"])
def test_a_next_link_without_a_readable_page_number_is_refused(
    rsps: responses.RequestsMock, client: RipioClient, number: str
) -> None:
    add_token(rsps)
    body = page([1], next_page=None)
    body["next"] = f"http://localhost/api/v1/withdrawals/?page={number}"
    add_page(rsps, 1, body)

    with pytest.raises(wk.UnexpectedResponse, match="page 1 links to no page number"):
        list(client.list_withdrawals())


def test_page_number_in_reads_ascii_digits_only() -> None:
    assert page_number_in("http://localhost/api/v1/withdrawals/?page=12") == 12
    assert page_number_in("http://localhost/api/v1/withdrawals/?page=\u00b2") is None
    assert page_number_in("http://localhost/api/v1/withdrawals/?page=\u0663") is None
    assert page_number_in("http://localhost/api/v1/withdrawals/?page=0") is None
    assert page_number_in("http://localhost/api/v1/withdrawals/") is None


def test_more_rows_than_count_are_refused(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1, 2], next_page=2, count=3))
    add_page(rsps, 2, page([3, 4], next_page=None, count=3))

    yielded: list[str] = []
    with pytest.raises(wk.UnexpectedResponse, match="4 items were listed by page 2"):
        yielded.extend(item.id[-1] for item in client.list_withdrawals())
    assert yielded == ["1", "2"]


def test_fewer_rows_than_count_are_refused_at_the_end(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1, 2], next_page=2, count=5))
    add_page(rsps, 2, page([3], next_page=None, count=5))

    with pytest.raises(wk.UnexpectedResponse, match="held 3 items of the 5"):
        list(client.list_withdrawals())


def test_the_walk_is_bounded_by_count_and_the_first_page_size(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    # A count that keeps growing lets every page pass the row check; the page bound, fixed by
    # the first page (count 4 in pages of 2: at most 2 + 1 pages), still ends the walk.
    add_token(rsps)
    for number in range(1, 6):
        body = page([2 * number - 1, 2 * number], next_page=number + 1, count=4 * number)
        add_page(rsps, number, body)

    with pytest.raises(wk.UnexpectedResponse, match="beyond the 3 pages"):
        list(client.list_withdrawals())
    assert urls(rsps).count(f"{WITHDRAWALS_URL}?page=4") == 0


# -- fiat withdrawals ---------------------------------------------------------------------------


def test_create_fiat_withdrawal_sends_the_exact_body(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)

    created = client.create_fiat_withdrawal(
        "12345.67 ARS",
        end_user_id="customer_10",
        beneficiary_fiat_account_id="4123e456-e89b-12d3-a456-4bedc4266abc",
    )

    sent = rsps.calls[1].request.body
    assert isinstance(sent, bytes)
    assert b'"amount":12345.67' in sent
    assert body_of(rsps.calls[1]) == {
        "end_user_id": "customer_10",
        "amount": Decimal("12345.67"),
        "beneficiary_fiat_account_id": "4123e456-e89b-12d3-a456-4bedc4266abc",
    }
    assert created.amount == Decimal("12345.67")
    assert created.status == "PENDING"
    assert created.updated_at.tzinfo is not None


def test_a_fiat_withdrawal_created_in_another_currency_is_logged(
    rsps: responses.RequestsMock, client: RipioClient, caplog: pytest.LogCaptureFixture
) -> None:
    add_token(rsps)
    rsps.add(responses.POST, FIAT_URL, status=201, json=FIAT_WITHDRAWAL)

    with caplog.at_level(logging.WARNING, logger="withdrawkit._ripio_client"):
        client.create_fiat_withdrawal("100 USD", end_user_id="c", beneficiary_fiat_account_id="b")

    assert "created in ARS" in caplog.text
    assert "100 USD" in caplog.text


def test_list_beneficiary_fiat_accounts_filters_and_reads_a_bare_array(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(
        responses.GET,
        f"{BASE}/api/v1/end-users/customer%2010/beneficiary-fiat-accounts/",
        match=[matchers.query_param_matcher({"status": "ENABLED"})],
        json=[
            {
                "beneficiary_fiat_account_id": "123e4567-e89b-12d3-a456-4bedc4266abc",
                "created_at": "2019-08-24T14:15:22Z",
                "currency": "ARS",
                "account_fields": {"alias_or_cvu_destination": "0000465160000000013330"},
                "status": "ENABLED",
                "payment_method_type": "bank_transfer",
            }
        ],
    )

    (account,) = client.list_beneficiary_fiat_accounts("customer 10", status="ENABLED")

    assert account.currency == "ARS"
    assert account.account_fields["alias_or_cvu_destination"] == "0000465160000000013330"
    assert account.created_at.tzinfo is not None


# -- repr ---------------------------------------------------------------------------------------


def test_repr_never_shows_the_secret_or_the_token(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps, "tok-s3cret")
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal())
    client.get_withdrawal("w-1")

    shown = repr(client)

    assert shown == f"RipioClient(base_url={BASE!r}, client_id='id-1')"
    assert SECRET not in shown
    assert "tok-s3cret" not in shown
