"""Each provider's part of the control surface: its scene endpoints and ready-made credentials.

1Konto (ids are withdraw request ids)::

    POST /_withdrawkit/deposit                  {"amount": "2 BTC", "account_id": optional}
    POST /_withdrawkit/whitelist                {"network": "bitcoin", "address": "bc1q..."}, or
                                                {"routing_number": "1", "account_number": "2"}
    POST /_withdrawkit/credit-limit             {"amount": "2000 USD"}
    POST /_withdrawkit/books                    {"asset_pair": "USDT/USD", "bids": [["0.9995",
                                                "100000"]], "asks": [["1.0005", "100000"]]}
    POST /_withdrawkit/withdrawals/{id}/complete
    POST /_withdrawkit/withdrawals/{id}/fail    {"status": "rejected" | "canceled" | "invalid"}

Ripio (ids are withdrawal or fiat withdrawal ids; ``complete`` takes a pending fiat deposit's too)::

    POST /_withdrawkit/deposit                  {"end_user": "customer_10", "amount": "1 ETH"}
    POST /_withdrawkit/end-users                {"external_ref": "customer_11"}
    POST /_withdrawkit/beneficiary-accounts     {"end_user": "customer_10", "currency": "ARS"}
    POST /_withdrawkit/withdrawals/{id}/complete
    POST /_withdrawkit/withdrawals/{id}/fail    {"reason": "rejected by the network"}

The environment variable names of the credentials are the command line's own, so
``withdrawkit fake serve`` prints lines a shell can paste.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from withdrawkit.testing._control import (
    Body,
    ControlError,
    ControlRoute,
    Scene,
    amount_field,
    only_fields,
    optional_text,
    text_field,
)
from withdrawkit.testing._onekonto_fake import FakeOneKonto
from withdrawkit.testing._onekonto_state import FINAL_FAILURES
from withdrawkit.testing._ripio_fake import FakeRipio

__all__ = ["PROVIDERS", "onekonto_scene", "ripio_scene"]


def onekonto_scene(*, seed: int | str | None = 0, pending_polls: int | None = None) -> Scene[Any]:
    def make_fake() -> FakeOneKonto:
        return FakeOneKonto(seed=seed, pending_polls=pending_polls)

    return Scene(
        provider="onekonto",
        make_fake=make_fake,
        credentials=_onekonto_credentials,
        routes=_ONEKONTO_ROUTES,
    )


def ripio_scene(*, seed: int | str | None = 0, pending_polls: int | None = None) -> Scene[Any]:
    def make_fake() -> FakeRipio:
        return FakeRipio(seed=seed, pending_polls=pending_polls)

    return Scene(
        provider="ripio",
        make_fake=make_fake,
        credentials=_ripio_credentials,
        routes=_RIPIO_ROUTES,
    )


def _onekonto_credentials(fake: FakeOneKonto, url: str) -> dict[str, str]:
    return {
        "WITHDRAWKIT_ONEKONTO_BASE_URL": url,
        "WITHDRAWKIT_ONEKONTO_USER": fake.user,
        "WITHDRAWKIT_ONEKONTO_PASSWORD": fake.password,
        "WITHDRAWKIT_ONEKONTO_ACCOUNT_ID": fake.account_id,
    }


def _ripio_credentials(fake: FakeRipio, url: str) -> dict[str, str]:
    return {
        "WITHDRAWKIT_RIPIO_BASE_URL": url,
        "WITHDRAWKIT_RIPIO_CLIENT_ID": fake.client_id,
        "WITHDRAWKIT_RIPIO_CLIENT_SECRET": fake.client_secret,
    }


# -- 1Konto -----------------------------------------------------------------------------------


def _account_id(fake: FakeOneKonto, body: Body) -> str | None:
    account_id = optional_text(body, "account_id")
    if account_id is not None and account_id not in fake.state.accounts:
        raise ControlError(404, f"no account {account_id!r}")
    return account_id


def _onekonto_deposit(fake: FakeOneKonto, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "amount", "account_id")
    amount = amount_field(body)
    account_id = _account_id(fake, body)
    fake.deposit(amount, account_id=account_id)
    balance = fake.balance(amount.asset, account_id=account_id)
    return {"asset": amount.asset, "free": balance.free}


def _onekonto_whitelist(fake: FakeOneKonto, body: Body, params: Mapping[str, str]) -> Any:
    account_id = _account_id(fake, body)
    if "network" in body or "address" in body:
        only_fields(body, "network", "address", "account_id")
        network, address = text_field(body, "network"), text_field(body, "address")
        fake.whitelist_wallet(network, address, account_id=account_id)
        return {"wallet": {"network": network, "address": address}}
    only_fields(body, "routing_number", "account_number", "account_id")
    routing, account = text_field(body, "routing_number"), text_field(body, "account_number")
    fake.whitelist_bank_account(routing, account, account_id=account_id)
    return {"bank_account": {"routing_number": routing, "account_number": account}}


def _onekonto_credit_limit(fake: FakeOneKonto, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "amount", "account_id")
    amount = amount_field(body)
    account_id = _account_id(fake, body)
    fake.set_credit_limit(amount, account_id=account_id)
    return {"asset": amount.asset, "limit": fake.balance(amount.asset, account_id=account_id).limit}


def _onekonto_book(fake: FakeOneKonto, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "asset_pair", "bids", "asks")
    pair = text_field(body, "asset_pair")
    sides = {side: _levels(body, side) for side in ("bids", "asks")}
    fake.set_book(pair, bids=sides["bids"], asks=sides["asks"])
    return {"asset_pair": pair, **{side: len(levels) for side, levels in sides.items()}}


def _levels(body: Body, side: str) -> list[tuple[str, str]]:
    """``[[price, size], ...]``, each a decimal string (a JSON number would lose nothing, but a
    float-minded client could have rounded it already)."""
    levels = body.get(side, [])
    if not isinstance(levels, list) or not all(
        isinstance(level, list)
        and len(level) == 2
        and all(isinstance(part, str) and part for part in level)
        for level in levels
    ):
        raise ControlError(400, f'{side} must be a list of ["price", "size"] decimal strings')
    return [(price, size) for price, size in levels]


def _onekonto_complete(fake: FakeOneKonto, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body)
    fake.complete(params["id"])
    return {"id": params["id"], "status": str(fake.withdraw_request(params["id"]).status)}


def _onekonto_fail(fake: FakeOneKonto, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "status")
    status = optional_text(body, "status") or "rejected"
    if status not in FINAL_FAILURES:
        raise ControlError(400, f"status must be one of {sorted(FINAL_FAILURES)}, not {status!r}")
    fake.fail(params["id"], status=status)
    return {"id": params["id"], "status": str(fake.withdraw_request(params["id"]).status)}


_ONEKONTO_ROUTES: Final[tuple[ControlRoute[Any], ...]] = (
    ControlRoute("POST", "deposit", "credit an asset to the account", _onekonto_deposit),
    ControlRoute("POST", "whitelist", "allow a wallet or bank account", _onekonto_whitelist),
    ControlRoute("POST", "credit-limit", "give the account a credit line", _onekonto_credit_limit),
    ControlRoute("POST", "books", "set a pair's order book", _onekonto_book),
    ControlRoute("POST", "withdrawals/{id}/complete", "paid out", _onekonto_complete),
    ControlRoute("POST", "withdrawals/{id}/fail", "rejected, refunded", _onekonto_fail),
)


# -- Ripio ------------------------------------------------------------------------------------


def _end_user(fake: FakeRipio, body: Body) -> str:
    end_user = text_field(body, "end_user")
    if end_user not in fake.state.end_users:
        raise ControlError(404, f"no end user {end_user!r}; POST end-users creates one")
    return end_user


def _ripio_deposit(fake: FakeRipio, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "end_user", "amount")
    end_user, amount = _end_user(fake, body), amount_field(body)
    fake.deposit(end_user, amount)
    return {
        "end_user": end_user,
        "currency": amount.asset,
        "balance": fake.balance(end_user, amount.asset),
    }


def _ripio_add_end_user(fake: FakeRipio, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "external_ref")
    external_ref = text_field(body, "external_ref")
    if external_ref in fake.state.end_users:
        raise ControlError(409, f"end user {external_ref!r} exists already")
    fake.add_end_user(external_ref)
    return {"end_user": external_ref}


def _ripio_add_beneficiary(fake: FakeRipio, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "end_user", "currency")
    end_user = _end_user(fake, body)
    currency = optional_text(body, "currency") or "ARS"
    return {"id": fake.add_beneficiary_account(end_user, currency=currency)}


def _ripio_complete(fake: FakeRipio, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body)
    fake.complete(params["id"])
    return {"id": params["id"], "status": _ripio_status(fake, params["id"])}


def _ripio_fail(fake: FakeRipio, body: Body, params: Mapping[str, str]) -> Any:
    only_fields(body, "reason")
    reason = optional_text(body, "reason")
    if reason is None:
        fake.fail(params["id"])
    else:
        fake.fail(params["id"], reason=reason)
    return {"id": params["id"], "status": _ripio_status(fake, params["id"])}


def _ripio_status(fake: FakeRipio, withdrawal_id: str) -> str:
    if withdrawal_id in fake.state.fiat_withdrawals:
        return str(fake.state.fiat_withdrawals[withdrawal_id].status)
    if withdrawal_id in fake.state.fiat_deposits:
        return str(fake.state.fiat_deposits[withdrawal_id].status)
    return str(fake.withdrawal(withdrawal_id).status)


_RIPIO_ROUTES: Final[tuple[ControlRoute[Any], ...]] = (
    ControlRoute("POST", "deposit", "credit an end user", _ripio_deposit),
    ControlRoute("POST", "end-users", "add an end user", _ripio_add_end_user),
    ControlRoute("POST", "beneficiary-accounts", "add a fiat account", _ripio_add_beneficiary),
    ControlRoute("POST", "withdrawals/{id}/complete", "confirmed (or paid out)", _ripio_complete),
    ControlRoute("POST", "withdrawals/{id}/fail", "ERROR (or CANCELLED), refunded", _ripio_fail),
)

PROVIDERS: Final = {"onekonto": onekonto_scene, "ripio": ripio_scene}
