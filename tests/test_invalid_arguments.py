"""Every bad argument value is an InvalidArgument (a WithdrawKitError and a ValueError), raised
before anything is sent; a wrong type stays a TypeError, as in Python."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import responses

import withdrawkit as wk

BASE = "https://api.example"


def onekonto(**overrides: Any) -> wk.OneKontoClient:
    arguments: dict[str, Any] = {"user": "u", "password": "p", "account_id": "ACC"}
    return wk.OneKontoClient(overrides.pop("base_url", BASE), **{**arguments, **overrides})


def ripio(**overrides: Any) -> wk.RipioClient:
    arguments: dict[str, Any] = {"client_id": "id", "client_secret": "secret"}
    return wk.RipioClient(overrides.pop("base_url", BASE), **{**arguments, **overrides})


BAD_VALUES: list[tuple[str, Callable[[], object]]] = [
    ("base_url without a scheme", lambda: ripio(base_url="api.example")),
    ("base_url with credentials", lambda: ripio(base_url="https://u:p@api.example")),
    ("base_url with a query", lambda: onekonto(base_url="https://api.example/?x=1")),
    ("negative max_retries", lambda: ripio(max_retries=-1)),
    ("zero timeout", lambda: onekonto(timeout=(0, 5))),
    ("blank client id", lambda: ripio(client_id=" ")),
    ("empty password", lambda: onekonto(password="")),
    ("prehashed password that is no digest", lambda: onekonto(password_is_prehashed=True)),
    ("empty account id", lambda: onekonto(account_id="")),
    ("empty withdrawal id", lambda: ripio().get_withdrawal("")),
    ("max of zero", lambda: onekonto().query_withdraw_requests(max=0)),
    ("amount text", lambda: ripio().create_withdrawal_fee("1,5 ETH", network="ethereum")),
]


@pytest.mark.parametrize(("case", "call"), BAD_VALUES, ids=[case for case, _ in BAD_VALUES])
def test_a_bad_value_is_an_invalid_argument(case: str, call: Callable[[], object]) -> None:
    with pytest.raises(wk.InvalidArgument) as raised:
        call()
    assert isinstance(raised.value, wk.WithdrawKitError)
    assert isinstance(raised.value, ValueError)


def test_an_amount_error_is_an_invalid_argument() -> None:
    assert issubclass(wk.AmountError, wk.InvalidArgument)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ripio(max_retries="2"),
        lambda: ripio(base_url=b"https://api.example"),
        lambda: ripio().create_withdrawal_fee(1.5, network="ethereum"),  # type: ignore[arg-type]
    ],
)
def test_a_wrong_type_stays_a_type_error(call: Callable[[], object]) -> None:
    with pytest.raises(TypeError):
        call()


# -- values the providers would answer wrongly rather than refuse ---------------------------------

LOWERCASE_ASSETS: list[tuple[str, Callable[[], object]]] = [
    (
        "1Konto blockchain withdrawal",
        lambda: onekonto().request_withdraw_blockchain("1.5 btc", network="bitcoin", address="a"),
    ),
    (
        "1Konto fiat withdrawal",
        lambda: onekonto().request_withdraw_fiat(wk.Amount.parse("100 Usd"), type="fedwire"),
    ),
    ("Ripio withdrawal fee", lambda: ripio().create_withdrawal_fee("1.5 eth", network="ETHEREUM")),
    (
        "Ripio withdrawal",
        lambda: ripio().create_withdrawal(
            "1.5 eth", end_user="customer_10", address="0xab", network="ETHEREUM"
        ),
    ),
    (
        "Ripio fiat withdrawal",
        lambda: ripio().create_fiat_withdrawal(
            "100 ars", end_user="customer_10", beneficiary_fiat_account_id="b-1"
        ),
    ),
]


@pytest.mark.parametrize(
    ("case", "call"), LOWERCASE_ASSETS, ids=[case for case, _ in LOWERCASE_ASSETS]
)
def test_a_lowercase_asset_code_is_refused_naming_the_one_to_write(
    case: str, call: Callable[[], object], rsps: responses.RequestsMock
) -> None:
    with pytest.raises(wk.AmountError, match="asset codes are upper case") as refused:
        call()
    assert re.search(r"write '[0-9.]+ [A-Z]+', not '[0-9.]+ [A-Za-z]+'", str(refused.value))
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("status", "hint"),
    [("PENDING", "Did you mean 'pending'?"), ("bogus", ""), ("pendng", "Did you mean 'pending'?")],
)
def test_a_1konto_status_filter_outside_the_documented_values_is_refused(
    status: str, hint: str, rsps: responses.RequestsMock
) -> None:
    with pytest.raises(wk.InvalidArgument) as refused:
        onekonto().query_withdraw_requests(status=status)
    text = str(refused.value)
    assert text.startswith(
        "status must be one of 'invalid', 'pending', 'completed', 'canceled', 'rejected'; "
        f"got {status!r}"
    )
    assert text.endswith(hint)
    assert len(rsps.calls) == 0


def test_a_ripio_status_filter_outside_the_documented_values_is_refused(
    rsps: responses.RequestsMock,
) -> None:
    with pytest.raises(wk.InvalidArgument, match="Did you mean 'ENABLED'"):
        ripio().list_beneficiary_fiat_accounts("customer_10", status="enabled")
    assert len(rsps.calls) == 0


def test_a_documented_status_is_sent_as_its_wire_value_whether_text_or_member(
    rsps: responses.RequestsMock,
) -> None:
    login = {"token": "tok", "status": "ok", "httpStatusCode": 200}
    rsps.add(responses.POST, f"{BASE}/api/v1/identity/jwt", json=login)
    listing = f"{BASE}/api/v1/accounting/account/ACC/request/withdraw"
    rsps.add(responses.GET, listing, json={"withdrawRequests": []})
    client = onekonto()
    for status in ("completed", wk.WithdrawRequestStatus.COMPLETED):
        assert client.query_withdraw_requests(status=status) == []
    sent = [call.request.url for call in rsps.calls if "withdraw" in str(call.request.url)]
    assert sent == [f"{listing}?status=completed"] * 2


LOWERCASE_CODES: list[tuple[str, Callable[[], object]]] = [
    ("market order destination", lambda: onekonto().place_market_order("1 BTC", destination="usd")),
    ("market order amount", lambda: onekonto().place_market_order("1 btc", destination="USD")),
    ("quote pair", lambda: onekonto().request_quote("1 USDT", asset_pair="usdt/USD")),
    ("ledger asset", lambda: onekonto().get_transactions(asset="btc")),
    ("order source", lambda: onekonto().query_orders(source="usdt")),
    ("top of book pair", lambda: onekonto().get_top_of_book(["USDT/usd"])),
]


@pytest.mark.parametrize(
    ("case", "call"), LOWERCASE_CODES, ids=[case for case, _ in LOWERCASE_CODES]
)
def test_1konto_trading_refuses_lowercase_asset_codes(
    case: str, call: Callable[[], object], rsps: responses.RequestsMock
) -> None:
    with pytest.raises(wk.InvalidArgument, match="upper case"):
        call()
    assert len(rsps.calls) == 0


@pytest.mark.parametrize(
    ("call", "valid"),
    [
        (lambda: onekonto().query_orders(status="FILLED"), "'filled', 'rejected'"),
        (lambda: onekonto().query_orders(type="Market"), "'market', 'limit', 'rfq'"),
        (lambda: onekonto().get_transactions(type="withdrawals"), "'deposit', 'withdrawal'"),
    ],
)
def test_1konto_order_and_ledger_filters_take_documented_values_only(
    call: Callable[[], object], valid: str, rsps: responses.RequestsMock
) -> None:
    with pytest.raises(wk.InvalidArgument, match="must be one of") as refused:
        call()
    assert valid in str(refused.value)
    assert "Did you mean" in str(refused.value)
    assert len(rsps.calls) == 0
