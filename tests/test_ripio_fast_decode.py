"""RipioClient reads its answers' bytes straight into the models (withdrawkit._wire_decode),
never through JSON values, and a body that way refuses ends exactly as it does without it.

"The plain way" below is the client with ``decoder_for`` replaced by one that gives the
transport no ``decode``: every answer then goes through JSON values and the converter, as it
did before the clients took the fast way. Each unreadable or misshapen answer must raise the
same exception, with the same text, status and kept body, both ways.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import responses

import withdrawkit._outcomes
import withdrawkit._ripio_end_users
import withdrawkit._ripio_fiat
import withdrawkit._ripio_market
import withdrawkit._ripio_withdrawals
import withdrawkit._wire_decode
from tests import ripio_support
from tests.hostile_cases import SLOW_CASES
from tests.loopback import ScriptedServer
from tests.ripio_support import (
    BASE,
    FEES_URL,
    FIAT_URL,
    TOKEN_URL,
    WITHDRAWALS_URL,
    add_token,
    withdrawal,
)
from tests.transport_support import no_sleep
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import (
    ALREADY_ACCEPTED,
    OutcomeUnknown,
    TransportError,
    UnexpectedResponse,
)
from withdrawkit._response_body import Body, Received
from withdrawkit._ripio_client import RipioClient
from withdrawkit._transport import MAX_RESPONSE_BYTES, Transport
from withdrawkit_generated.ripio import (
    BeneficiaryFiatAccount,
    EndUser,
    EndUserAddress,
    EndUserBalance,
    EndUserLimit,
    FiatWithdrawal,
    Rate,
    Withdrawal,
    WithdrawalFee,
    WithdrawalPage,
)

clock = ripio_support.clock
client = ripio_support.client

FEE = {
    "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
    "expires_at": "2022-08-24T14:15:22Z",
    "amount": "0.002",
    "gas_price": "0.00001",
    "fee": "0.00001",
    "total_fee": "0.00002",
    "total_amount": "0.00202",
}
FIAT = {
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
ACCOUNT_ID = "123e4567-e89b-12d3-a456-4bedc4266abc"
ACCOUNT = {
    "beneficiary_fiat_account_id": ACCOUNT_ID,
    "created_at": "2019-08-24T14:15:22Z",
    "currency": "ARS",
    "account_fields": {"alias_or_cvu_destination": "0000465160000000013330"},
    "status": "ENABLED",
    "payment_method_type": "bank_transfer",
}
TOKEN_ANSWER = (
    '{"access_token": "tok-1", "expires_in": 36000, "token_type": "Bearer", "scope": "read write"}'
)
ACCOUNTS_URL = f"{BASE}/api/v1/end-users/customer_10/beneficiary-fiat-accounts/"
END_USER_URL = f"{BASE}/api/v1/end-users/customer_10/"
RATES = [
    {"pair": "ETH_USD", "last_buy_rate": "3297.445", "last_sell_rate": 3280},
    {"pair": "BTC_USD", "last_buy_rate": "64250.5", "last_sell_rate": "63990.25"},
]
LIMIT = {
    "type": "BUY",
    "currency": "ARS",
    "period": "MONTHLY",
    "allowed_frequency": "100",
    "allowed_amount": "5000000.00",
    "consumed_frequency": "3",
    "consumed_amount": "12345.67",
}


def one_page(number: int = 1) -> dict[str, Any]:
    return {"count": 1, "next": None, "previous": None, "results": [withdrawal(number)]}


# One row per operation: (method, URL, status, a good answer, the call, the model it reads,
# whether it moves money).
Call = Callable[[RipioClient], object]
OPERATIONS: dict[str, tuple[str, str, int, object, Call, object, bool]] = {
    "get_withdrawal": (
        responses.GET,
        f"{WITHDRAWALS_URL}w-1/",
        200,
        withdrawal(),
        lambda client: client.get_withdrawal("w-1"),
        Withdrawal,
        False,
    ),
    "list_withdrawals": (
        responses.GET,
        WITHDRAWALS_URL,
        200,
        one_page(),
        lambda client: list(client.list_withdrawals()),
        WithdrawalPage,
        False,
    ),
    "list_beneficiary_fiat_accounts": (
        responses.GET,
        ACCOUNTS_URL,
        200,
        [ACCOUNT],
        lambda client: client.list_beneficiary_fiat_accounts("customer_10"),
        list[BeneficiaryFiatAccount],
        False,
    ),
    "list_rates": (
        responses.GET,
        f"{BASE}/api/v1/rates/",
        200,
        RATES,
        lambda client: client.list_rates(),
        list[Rate],
        False,
    ),
    "get_end_user": (
        responses.GET,
        END_USER_URL,
        200,
        {"created_at": "2023-11-07T05:31:56Z", "external_ref": "customer_10"},
        lambda client: client.get_end_user("customer_10"),
        EndUser,
        False,
    ),
    "list_end_user_addresses": (
        responses.GET,
        f"{END_USER_URL}addresses/",
        200,
        [{"network": "ETHEREUM", "address": "0xabc", "end_user_id": "customer_10"}],
        lambda client: client.list_end_user_addresses("customer_10"),
        list[EndUserAddress],
        False,
    ),
    "list_end_user_balances": (
        responses.GET,
        f"{END_USER_URL}balances/",
        200,
        [{"currency": "BTC", "balance": "0.00206525633592975968892629"}],
        lambda client: client.list_end_user_balances("customer_10"),
        list[EndUserBalance],
        False,
    ),
    "list_end_user_limits": (
        responses.GET,
        f"{END_USER_URL}limits/",
        200,
        [LIMIT],
        lambda client: client.list_end_user_limits("customer_10"),
        list[EndUserLimit],
        False,
    ),
    "create_withdrawal_fee": (
        responses.POST,
        FEES_URL,
        201,
        FEE,
        lambda client: client.create_withdrawal_fee("0.002 ETH", network="ethereum"),
        WithdrawalFee,
        False,
    ),
    "create_withdrawal": (
        responses.POST,
        WITHDRAWALS_URL,
        201,
        withdrawal(),
        # A fixed external_ref: without one each call sends a fresh UUID, which the errors name.
        lambda client: client.create_withdrawal(
            "1.5 BTC",
            end_user="customer_10",
            address="bc1qexample",
            network="BITCOIN",
            external_ref="payout-1",
        ),
        Withdrawal,
        True,
    ),
    "create_fiat_withdrawal": (
        responses.POST,
        FIAT_URL,
        201,
        FIAT,
        lambda client: client.create_fiat_withdrawal(
            "12345.67 ARS",
            end_user="customer_10",
            beneficiary_fiat_account_id=ACCOUNT_ID,
            external_ref="rent-1",
        ),
        FiatWithdrawal,
        True,
    ),
}

# 2xx answers no model can be read from: not JSON at all, JSON of the wrong shape, and JSON
# the fast way itself doubts (text msgspec would read as a Decimal, an absurd exponent).
UNREADABLE: dict[str, tuple[bytes, str]] = {
    "HTML": (b"<html><body>Bad Gateway</body></html>", "text/html"),
    "empty": (b"", "application/json"),
    "truncated JSON": (b'{"id": "w-1", "amount": "1.', "application/json"),
    "NaN constant": (b'{"id": NaN}', "application/json"),
    "a JSON array": (b"[1, 2, 3]", "application/json"),
    "a JSON object of another shape": (b'{"detail": "ok", "count": "many"}', "application/json"),
    "nested too deeply": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
}
TEXT_CHANGES: dict[str, dict[str, Any]] = {
    "amount 'NaN'": {"amount": "NaN"},
    "amount with an absurd exponent": {"amount": "1e999999999"},
    "amount '+1.5'": {"amount": "+1.5"},
}
# Readable bodies with text the fast way leaves to the reference: the same model both ways.
DOUBTFUL: dict[str, dict[str, Any]] = {
    "an id sent as a number past 64 bits": {"id": 12345678901234567890123},
    "amount as a JSON number past 64 bits": {"amount": 10**30},
    "nanoseconds in a datetime": {"created_at": "2022-03-30T19:38:39.765190123Z"},
}


@pytest.fixture
def decoded_models(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The models the clients ask withdrawkit._wire_decode.decode for, in order."""
    asked: list[object] = []
    real = withdrawkit._wire_decode.decode

    def spy(content: bytes, model: Any) -> Any:
        assert isinstance(content, bytes)
        asked.append(model)
        return real(content, model)

    monkeypatch.setattr(withdrawkit._wire_decode, "decode", spy)
    return asked


@pytest.fixture
def bodies_decoded_to_json(monkeypatch: pytest.MonkeyPatch) -> list[Received]:
    """Every 2xx answer the transport decodes to JSON values (the plain way)."""
    decoded: list[Received] = []
    real = Received.body

    def spy(received: Received) -> Body:
        decoded.append(received)
        return real(received)

    monkeypatch.setattr(Received, "body", spy)
    return decoded


@pytest.fixture
def references_taken(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The models _wire_decode handed to the cattrs reference instead of msgspec."""
    taken: list[object] = []
    real = withdrawkit._wire_decode.decode_by_reference

    def spy(content: bytes, model: Any) -> Any:
        taken.append(model)
        return real(content, model)

    monkeypatch.setattr(withdrawkit._wire_decode, "decode_by_reference", spy)
    return taken


PLAIN_WAY_MODULES = (
    withdrawkit._ripio_withdrawals,
    withdrawkit._ripio_fiat,
    withdrawkit._ripio_market,
    withdrawkit._ripio_end_users,
)


def plain_way(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in PLAIN_WAY_MODULES:
        monkeypatch.setattr(module, "decoder_for", lambda model: None)


def add_reads_first(rsps: responses.RequestsMock, operation: str) -> list[object]:
    """The reads an operation makes before its own request (create_fiat_withdrawal checks the
    beneficiary account); the models they decode, in order."""
    if operation != "create_fiat_withdrawal":
        return []
    rsps.add(responses.GET, ACCOUNTS_URL, json=[{**ACCOUNT}])
    return [list[BeneficiaryFiatAccount]]


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_each_read_decodes_the_bytes_into_its_model_with_no_json_values(  # noqa: PLR0917
    rsps: responses.RequestsMock,
    client: RipioClient,
    operation: str,
    decoded_models: list[object],
    bodies_decoded_to_json: list[Received],
    references_taken: list[object],
) -> None:
    method, url, status, answer, call, model, _ = OPERATIONS[operation]
    rsps.add(responses.POST, TOKEN_URL, body=TOKEN_ANSWER, content_type="application/json")
    rsps.add(method, url, status=status, json=answer)
    read_first = add_reads_first(rsps, operation)

    result = call(client)

    assert decoded_models == [*read_first, model]
    assert references_taken == []  # msgspec read it: the body had nothing in doubt
    # Only the token answer (a secret one, read the plain way) became JSON values.
    assert [json.loads(received.content) for received in bodies_decoded_to_json] == [
        json.loads(TOKEN_ANSWER)
    ]
    assert result  # a model, or a non-empty list of them


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_each_read_gives_the_same_model_both_ways(
    rsps: responses.RequestsMock,
    client: RipioClient,
    operation: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    method, url, status, answer, call, _, _ = OPERATIONS[operation]
    add_token(rsps)
    rsps.add(method, url, status=status, json=answer)
    add_reads_first(rsps, operation)
    fast = call(client)
    plain_way(monkeypatch)

    assert call(client) == fast


@pytest.mark.parametrize("changes", list(DOUBTFUL.values()), ids=list(DOUBTFUL))
def test_a_body_in_doubt_is_read_by_the_reference_to_the_same_withdrawal(
    rsps: responses.RequestsMock,
    client: RipioClient,
    changes: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    references_taken: list[object],
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", json=withdrawal(**changes))

    fast = client.get_withdrawal("w-1")
    assert references_taken == [Withdrawal]
    plain_way(monkeypatch)

    assert client.get_withdrawal("w-1") == fast


def test_list_withdrawals_takes_the_fast_way_on_every_page(
    rsps: responses.RequestsMock, client: RipioClient, decoded_models: list[object]
) -> None:
    add_token(rsps)
    first = {
        "count": 2,
        "next": "http://localhost/api/v1/withdrawals/?page=2",
        "previous": None,
        "results": [withdrawal(1)],
    }
    second = {**one_page(2), "count": 2}
    rsps.add(responses.GET, WITHDRAWALS_URL, json=first, match=[page_is("1")])
    rsps.add(responses.GET, WITHDRAWALS_URL, json=second, match=[page_is("2")])

    ids = [row.id for row in client.list_withdrawals()]

    assert ids == [withdrawal(1)["id"], withdrawal(2)["id"]]
    assert decoded_models == [WithdrawalPage, WithdrawalPage]


def page_is(number: str) -> Callable[..., Any]:
    return responses.matchers.query_param_matcher({"page": number})


def failure_of(call: Call, client: RipioClient) -> tuple[type[BaseException], str, Any, Any]:
    with pytest.raises(Exception) as raised:
        call(client)
    error = raised.value
    return (
        type(error),
        str(error),
        getattr(error, "http_status", None),
        getattr(error, "body", None),
    )


def has_amount(answer: object) -> bool:
    return isinstance(answer, dict) and "amount" in answer


CASES = [
    (operation, name)
    for operation, row in sorted(OPERATIONS.items())
    for name in [*UNREADABLE, *(TEXT_CHANGES if has_amount(row[3]) else ())]
]


def body_named(operation: str, name: str) -> tuple[bytes, str]:
    if name in UNREADABLE:
        return UNREADABLE[name]
    answer = OPERATIONS[operation][3]
    assert isinstance(answer, dict)
    return json.dumps({**answer, **TEXT_CHANGES[name]}).encode(), "application/json"


@pytest.mark.parametrize(("operation", "name"), CASES, ids=[f"{o}-{n}" for o, n in CASES])
def test_an_unreadable_2xx_raises_the_same_exception_both_ways(  # noqa: PLR0917
    rsps: responses.RequestsMock,
    client: RipioClient,
    operation: str,
    name: str,
    monkeypatch: pytest.MonkeyPatch,
    decoded_models: list[object],
) -> None:
    method, url, status, _, call, model, moves_money = OPERATIONS[operation]
    content, content_type = body_named(operation, name)
    add_token(rsps)
    rsps.add(method, url, status=status, body=content, content_type=content_type)
    read_first = add_reads_first(rsps, operation)

    fast = failure_of(call, client)
    assert decoded_models == [*read_first, model]  # the fast way was tried first
    plain_way(monkeypatch)
    plain = failure_of(call, client)

    assert fast == plain
    assert fast[0] is UnexpectedResponse
    assert (ALREADY_ACCEPTED in fast[1]) is moves_money  # a money POST's: look it up first


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_an_error_answer_never_reaches_the_decoder(
    rsps: responses.RequestsMock,
    client: RipioClient,
    operation: str,
    monkeypatch: pytest.MonkeyPatch,
    decoded_models: list[object],
) -> None:
    method, url, _, _, call, _, moves_money = OPERATIONS[operation]
    add_token(rsps)
    read_first = add_reads_first(rsps, operation)
    refusals = [
        (400, b'{"detail": "Invalid amount", "code": 40000}'),
        (404, b'{"detail": "Not found."}'),
        (500, b"<html>Server Error</html>"),
    ]
    for status, content in refusals:
        rsps.upsert(method, url, status=status, body=content, content_type="application/json")
        fast = failure_of(call, client)
        with monkeypatch.context() as plain:
            for module in PLAIN_WAY_MODULES:
                plain.setattr(module, "decoder_for", lambda model: None)
            assert failure_of(call, client) == fast
        if status == 500 and moves_money:
            assert fast[0] is OutcomeUnknown
    # Only the account check create_fiat_withdrawal reads first (a 200) was decoded.
    assert [model for model in decoded_models if model not in read_first] == []


# -- the transport's limits hold for a decoded read ----------------------------------------------


@pytest.fixture
def transport() -> Iterator[Transport]:
    with Transport(
        BASE, provider="Ripio", map_error=map_ripio_error, sleep=no_sleep, max_retries=0
    ) as made:
        yield made


def test_an_answer_over_the_size_cap_is_refused_before_any_decode(
    rsps: responses.RequestsMock, transport: Transport
) -> None:
    decoded: list[bytes] = []
    rsps.get(f"{WITHDRAWALS_URL}w-1/", body=b" " * (MAX_RESPONSE_BYTES + 1))

    with pytest.raises(TransportError, match=f"larger than {MAX_RESPONSE_BYTES} bytes"):
        transport.request("GET", "/api/v1/withdrawals/w-1/", decode=decoded.append)

    assert decoded == []


def test_a_2xx_decode_refuses_is_read_as_without_decode(
    rsps: responses.RequestsMock, transport: Transport
) -> None:
    def refuse(content: bytes) -> object:
        raise ValueError("not for me")

    rsps.get(f"{WITHDRAWALS_URL}w-1/", json={"id": "w-1", "amount": "1.5"})

    assert transport.request("GET", "/api/v1/withdrawals/w-1/", decode=refuse) == {
        "id": "w-1",
        "amount": "1.5",
    }


def test_a_204_is_none_without_calling_decode(
    rsps: responses.RequestsMock, transport: Transport
) -> None:
    decoded: list[bytes] = []
    rsps.delete(f"{WITHDRAWALS_URL}w-1/", status=204)

    assert transport.request("DELETE", "/api/v1/withdrawals/w-1/", decode=decoded.append) is None
    assert decoded == []


def test_an_answer_past_the_deadline_is_refused_before_any_decode() -> None:
    decoded: list[bytes] = []
    with (
        ScriptedServer(SLOW_CASES["trickled header"]) as server,
        Transport(
            server.url,
            provider="Ripio",
            map_error=map_ripio_error,
            timeout=(0.5, 0.5),
            max_retries=0,
            sleep=no_sleep,
        ) as transport,
        pytest.raises(TransportError),
    ):
        transport.request("GET", "/api/v1/withdrawals/w-1/", decode=decoded.append)

    assert decoded == []
