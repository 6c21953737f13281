"""Every bad argument value is an InvalidArgument (a WithdrawKitError and a ValueError), raised
before anything is sent; a wrong type stays a TypeError, as in Python."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

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
