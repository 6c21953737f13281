"""Every public client method against arbitrary answers: only WithdrawKitError escapes.

The methods are read from the client classes, so a method added later is driven too, and
``test_every_public_method_has_a_call`` fails until it says how to call it. Logins, token
requests and the reads a method makes before the request under test (the beneficiary account
``create_fiat_withdrawal`` checks first) are answered normally; every other request gets what
hypothesis draws: a status and a
body that is empty, HTML, truncated, JSON of the wrong shape or types, huge or non-finite
numbers, deeply nested, not UTF-8, an error body on a 2xx or a success body on a 4xx, under any
content type. A money-moving call answered 2xx but unreadable must say the server accepted it.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, Final

import attrs
import responses
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import withdrawkit as wk
from tests.clocks import SimulatedTime
from tests.onekonto_support import ACCOUNT, RECEIPT
from tests.onekonto_support import BASE as ONEKONTO_BASE
from tests.ripio_support import BASE as RIPIO_BASE
from tests.ripio_support import beneficiary_account, withdrawal
from tests.test_ripio_fiat import FIAT_WITHDRAWAL
from withdrawkit._client import ClientShell
from withdrawkit._exceptions import ALREADY_ACCEPTED

Client = Any  # a OneKontoClient or a RipioClient


@attrs.frozen
class Call:
    """How the test calls one public method, and whether that call moves money."""

    run: Callable[[Client], object]
    moves_money: bool = False
    # Reads the method makes before its own request, answered normally: path -> JSON answer.
    reads_first: Mapping[str, object] = attrs.field(factory=dict)


def unknown_outcome(operation: str, **destination: str) -> wk.OutcomeUnknown:
    sent = wk.SentRequest(
        operation,
        wk.Amount.parse("1 BTC" if "withdraw_" in operation else "1 ETH"),
        destination,
        datetime(2026, 1, 1, tzinfo=timezone.utc),
    )
    return wk.OutcomeUnknown(
        "lost", method="POST", url="https://x.test/", reference="ref-1", sent=sent
    )


WAIT: Final = {"timeout": 30, "poll_interval": 5}
ONEKONTO_CALLS: Final = {
    "request_withdraw_blockchain": Call(
        lambda k: k.request_withdraw_blockchain("1 BTC", network="bitcoin", address="bc1q"),
        moves_money=True,
    ),
    "request_withdraw_fiat": Call(
        lambda k: k.request_withdraw_fiat("100 USD", type="fedwire"), moves_money=True
    ),
    "query_withdraw_requests": Call(lambda k: k.query_withdraw_requests(status="pending")),
    "get_withdraw_request": Call(lambda k: k.get_withdraw_request("oiJ8s7oh8EqFwwnkZViCGg")),
    "get_account": Call(lambda k: k.get_account()),
    "get_account_credit": Call(lambda k: k.get_account_credit()),
    "get_deposit_instructions": Call(lambda k: k.get_deposit_instructions()),
    "wait_for_withdraw_request": Call(lambda k: k.wait_for_withdraw_request("id-1", **WAIT)),
    "get_transactions": Call(lambda k: k.get_transactions(max=10)),
    "get_top_of_book": Call(lambda k: k.get_top_of_book(["USDT/USD", "USDC/USD"])),
    "get_order_book": Call(lambda k: k.get_order_book("USDT/USD", levels=2)),
    "request_indicative_price": Call(
        lambda k: k.request_indicative_price("50 USDT", destination="BTC", quote="USDT")
    ),
    "place_market_order": Call(
        lambda k: k.place_market_order("100 USDT", destination="BTC"), moves_money=True
    ),
    "place_limit_order": Call(
        lambda k: k.place_limit_order("1 BTC", destination="USD", limit="59000 BTC/USD"),
        moves_money=True,
    ),
    "request_quote": Call(lambda k: k.request_quote("100 USDT", asset_pair="USDT/USD")),
    "accept_quote": Call(lambda k: k.accept_quote("q-1", side="sell"), moves_money=True),
    "query_orders": Call(lambda k: k.query_orders(source="USDT")),
    "get_order": Call(lambda k: k.get_order("o-1")),
    "wait_for_order": Call(lambda k: k.wait_for_order("o-1", **WAIT)),
    "reconcile_order": Call(
        lambda k: k.reconcile_order(
            unknown_outcome("place_market_order", destination="BTC"), settle_time=10
        )
    ),
    "reconcile": Call(
        lambda k: k.reconcile(
            unknown_outcome("request_withdraw_blockchain", network="bitcoin"), settle_time=10
        )
    ),
}
RIPIO_CALLS: Final = {
    "create_withdrawal_fee": Call(lambda r: r.create_withdrawal_fee("0.002 ETH", network="eth")),
    "create_withdrawal": Call(
        lambda r: r.create_withdrawal(
            "1 ETH", end_user="customer_10", address="0xabc", network="ETHEREUM"
        ),
        moves_money=True,
    ),
    "get_withdrawal": Call(lambda r: r.get_withdrawal("w-1")),
    "list_withdrawals": Call(lambda r: list(r.list_withdrawals())),
    "create_fiat_withdrawal": Call(
        lambda r: r.create_fiat_withdrawal(
            "100 ARS", end_user="customer_10", beneficiary_fiat_account_id="b-1"
        ),
        moves_money=True,
        reads_first={
            "/api/v1/end-users/customer_10/beneficiary-fiat-accounts/": [
                beneficiary_account("b-1", currency="ARS")
            ]
        },
    ),
    "list_beneficiary_fiat_accounts": Call(
        lambda r: r.list_beneficiary_fiat_accounts("customer_10")
    ),
    "wait_for_withdrawal": Call(lambda r: r.wait_for_withdrawal("w-1", **WAIT)),
    "create_end_user": Call(lambda r: r.create_end_user("customer_11"), moves_money=True),
    "get_end_user": Call(lambda r: r.get_end_user("customer_10")),
    "list_end_user_addresses": Call(lambda r: r.list_end_user_addresses("customer_10")),
    "list_end_user_balances": Call(lambda r: r.list_end_user_balances("customer_10")),
    "list_end_user_limits": Call(lambda r: r.list_end_user_limits("customer_10")),
    "get_fiat_withdrawal": Call(lambda r: r.get_fiat_withdrawal("f-1")),
    "list_fiat_withdrawals": Call(lambda r: list(r.list_fiat_withdrawals())),
    "get_fiat_deposit": Call(lambda r: r.get_fiat_deposit("d-1")),
    "list_fiat_deposits": Call(lambda r: list(r.list_fiat_deposits())),
    "list_rates": Call(lambda r: r.list_rates()),
    "get_transaction": Call(lambda r: r.get_transaction("t-1")),
    "list_transactions": Call(lambda r: list(r.list_transactions())),
    "wait_for_fiat_withdrawal": Call(lambda r: r.wait_for_fiat_withdrawal("f-1", **WAIT)),
    "find_fiat_withdrawal": Call(
        lambda r: r.find_fiat_withdrawal(
            external_ref="ref-1", since=datetime(2026, 1, 1, tzinfo=timezone.utc)
        )
    ),
    "reconcile_fiat_withdrawal": Call(
        lambda r: r.reconcile_fiat_withdrawal(
            unknown_outcome("create_fiat_withdrawal", beneficiary_fiat_account_id="b-1"),
            settle_time=10,
        )
    ),
    "find_withdrawal": Call(
        lambda r: r.find_withdrawal(
            external_ref="ref-1", since=datetime(2026, 1, 1, tzinfo=timezone.utc)
        )
    ),
    "reconcile": Call(
        lambda r: r.reconcile(unknown_outcome("create_withdrawal", address="0xabc"), settle_time=10)
    ),
}
CALLS: Final = {wk.OneKontoClient: ONEKONTO_CALLS, wk.RipioClient: RIPIO_CALLS}


def public_methods(cls: type) -> set[str]:
    """The public methods a client adds to ``ClientShell`` (close and the context manager)."""
    shell = {name for name, _ in inspect.getmembers(ClientShell, inspect.isfunction)}
    return {
        name
        for name, _ in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_") and name not in shell
    }


def test_every_public_method_has_a_call() -> None:
    for cls, calls in CALLS.items():
        assert public_methods(cls) == set(calls), f"{cls.__name__}: add or drop an entry"


# -- the answers ----------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
SUCCESS_BODIES: Final[list[dict[str, Any]]] = [
    withdrawal(),
    {"count": 1, "next": None, "previous": None, "results": [withdrawal()]},
    FIAT_WITHDRAWAL,
    RECEIPT,
    {"withdrawRequests": [{"withdrawRequestId": "id-1", "requestStatus": "pending"}]},
    {"account": {"accountId": ACCOUNT, "balances": []}, "status": "ok"},
]
ERROR_BODIES: Final[list[dict[str, Any]]] = [
    {"code": 20000, "type": "ValidationError", "detail": {"message": "x", "code": "invalid"}},
    {"status": 400, "error": "Account ID Not Found"},
    {"errors": ["Insufficient Funds: Requested 2 BTC"], "status": "failedDependency"},
]
FIXED_BODIES: Final = [
    b"",
    b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
    b'{"amount": 1e999999, "count": 1e999999}',
    b'{"count": 99999999999999999999999999999999999999, "results": []}',
    b"9" * 5000,
    b'{"amount": NaN, "count": Infinity, "expires_in": -Infinity}',
    b"[" * 50_000 + b"]" * 50_000,
    b'{"a":' * 20_000 + b"1" + b"}" * 20_000,
    b'\xff\xfe{\x00"\x00a\x00"\x00}',
    '{"message": "caf\u00e9"}'.encode("latin-1"),
    b'{"token": "eyJhbGciOiJIUzI1NiJ9.e30.sig"',
]


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A documented success or error body with one field replaced by any JSON value."""
    body: dict[str, Any] = dict(draw(st.sampled_from([*SUCCESS_BODIES, *ERROR_BODIES])))
    replace_one: bool = draw(st.booleans())
    if body and replace_one:
        body[draw(st.sampled_from(sorted(body)))] = draw(json_values)
    return json.dumps(body).encode()


@st.composite
def truncated(draw: st.DrawFn) -> bytes:
    whole = json.dumps(draw(st.sampled_from(SUCCESS_BODIES))).encode()
    return whole[: draw(st.integers(0, len(whole) - 1))]


bodies = st.one_of(
    st.sampled_from(FIXED_BODIES),
    mutated(),
    truncated(),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=64),
)
statuses = st.sampled_from(
    [
        *(200, 201, 202, 204, 206, 299),
        *(301, 302, 304),
        *(400, 401, 403, 404, 409, 418, 422, 424, 429),
        *(500, 502, 503, 504, 599),
    ]
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=latin-1",
        "application/problem+json",
        "text/html",
        "text/plain",
        "application/octet-stream",
        "",
    ]
)
retry_afters = st.sampled_from([None, "1", "0", "-3", "1e9", "soon", "99999999999999999999"])


@attrs.frozen
class Answer:
    status: int
    body: bytes
    content_type: str
    retry_after: str | None


answers = st.builds(Answer, statuses, bodies, content_types, retry_afters)


# -- the calls ------------------------------------------------------------------------------------

TOKEN_PATHS: Final = ("/oauth2/token/", "/api/v1/identity/jwt")


def mount(
    mock: responses.RequestsMock,
    base: str,
    answer: Answer,
    reads_first: Mapping[str, object],
) -> None:
    headers = {"Content-Type": answer.content_type} if answer.content_type else {}
    if answer.retry_after is not None:
        headers["Retry-After"] = answer.retry_after
    token = {"access_token": "t", "expires_in": 36000, "token_type": "Bearer", "scope": "read"}
    mock.add(responses.POST, f"{base}/oauth2/token/", json=token)
    mock.add(responses.POST, f"{base}/api/v1/identity/jwt", json={"token": "t"})
    for path, read in reads_first.items():
        mock.add(responses.GET, f"{base}{path}", json=read)
    answered = "|".join(re.escape(path.lstrip("/")) for path in (*TOKEN_PATHS, *reads_first))
    others = re.compile(rf"^{re.escape(base)}/(?!{answered})")
    for method in ("GET", "POST"):
        mock.add_callback(
            method, others, callback=lambda _request: (answer.status, headers, answer.body)
        )


def client_of(cls: type, base: str) -> Client:
    if cls is wk.OneKontoClient:
        return wk.OneKontoClient(base, user="u@example.com", password="pw", account_id=ACCOUNT)
    return wk.RipioClient(base, client_id="id", client_secret="secret")


METHODS: Final = sorted((cls.__name__, name) for cls, calls in CALLS.items() for name in calls)


@settings(
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(method=st.sampled_from(METHODS), answer=answers)
@example(method=("RipioClient", "create_withdrawal"), answer=Answer(201, b"", "text/html", None))
@example(
    method=("OneKontoClient", "request_withdraw_fiat"),
    answer=Answer(200, b'{"status": 400, "error": "x"}', "application/json", None),
)
def test_no_answer_lets_anything_but_a_withdrawkit_error_escape(
    method: tuple[str, str], answer: Answer
) -> None:
    cls = wk.OneKontoClient if method[0] == "OneKontoClient" else wk.RipioClient
    base = ONEKONTO_BASE if cls is wk.OneKontoClient else RIPIO_BASE
    call = CALLS[cls][method[1]]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mount(mock, base, answer, call.reads_first)
        with SimulatedTime().install(client_of(cls, base)) as client:
            try:
                call.run(client)
            except wk.WithdrawKitError as error:
                if call.moves_money and 200 <= answer.status <= 299:
                    assert_says_look_it_up(error)


def assert_says_look_it_up(error: wk.WithdrawKitError) -> None:
    """A money-moving request answered 2xx was taken: the error must not read as a refusal.

    An answer whose body cannot even be read to its end (a 204 with a body, say) is an
    ``OutcomeUnknown`` instead: the transport saw the read fail, and says so.
    """
    if isinstance(error, wk.OutcomeUnknown):
        assert "Look the operation up" in str(error), str(error)
        return
    assert isinstance(error, wk.UnexpectedResponse), repr(error)
    assert ALREADY_ACCEPTED in str(error), str(error)
