"""``FakeRipio``: a stateful fake of Ripio B2B's token, withdrawal-fee, withdrawal, fiat-withdrawal
and end-user API.

Wire shapes follow ``openapi/ripio.yaml``. Errors are Ripio's envelope
``{"code", "type", "detail": {"message", "code"}, "status"}`` with the documented codes: 20000
validation (bad amount, unknown network, expired or mismatched fee), 20001 parse error, 20012 not
enough balance, 40001 no credentials (HTTP 403, the documented body verbatim). The token endpoint
answers OAuth2-style ``{"error": "invalid_client"}`` (401). Where the docs give no code the fake
chooses one and says so: 40002 ``AuthenticationFailed`` (HTTP 401) for an expired or unknown token,
40004 ``NotFound`` (HTTP 404) for an unknown resource or a page past the end; clients map both by
their HTTP status. Both codes are the fake's assumption, not Ripio's: Ripio's pages document no code
for a bad or expired token nor for an unknown resource. ``openapi/ripio.yaml``
declares these answers as its inferred ``Unauthorized`` and ``NotFound`` responses and says so. A
real server may instead answer a rejected token like a missing one (HTTP 403, 40001).
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
import string
from collections.abc import Callable, Mapping
from datetime import timedelta
from decimal import Decimal
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs

import attrs

from withdrawkit import _wire_json as wire_json
from withdrawkit._amount import Amount
from withdrawkit._conversion import format_wire_datetime
from withdrawkit._decimals import decimal_from_wire, plain_text
from withdrawkit.testing._clock import FakeClock
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._money import tidy
from withdrawkit.testing._provider import FakeProvider, Refusal, RouteHandler
from withdrawkit.testing._ripio_state import (
    ENABLED,
    BeneficiaryAccount,
    EndUserRecord,
    FiatWithdrawalRecord,
    HeldFee,
    Invalid,
    Network,
    NotEnoughBalance,
    RipioState,
    WithdrawalRecord,
)
from withdrawkit.testing._routing import RouteTable
from withdrawkit.testing._tokens import TokenCheck, bearer_token

if TYPE_CHECKING:
    from withdrawkit._ripio_client import RipioClient

__all__ = ["FakeRipio"]

DEFAULT_BASE_URL: Final = "https://ripio.fake"
DEFAULT_CLIENT_ID: Final = "test-client-id"
DEFAULT_CLIENT_SECRET: Final = "test-client-secret"  # noqa: S105 - a fake's test credentials
DEFAULT_END_USER: Final = "customer_10"
TOKEN_LIFETIME: Final = timedelta(seconds=36000)
DEFAULT_FEE_LIFETIME: Final = timedelta(seconds=15)
DEFAULT_PAGE_SIZE: Final = 10
# The docs' list example links to localhost whatever the host; the fake does the same on purpose.
LINK_HOST: Final = "http://localhost"
MAX_ADDRESS_LENGTH: Final = 128

_TOKEN_ALPHABET: Final = string.ascii_letters + string.digits
# A page number: ASCII digits only (str.isdigit() accepts "²", which int() refuses), not too many.
_PAGE_DIGITS: Final = re.compile(r"[0-9]{1,9}")
_WITHDRAWALS: Final = "/api/v1/withdrawals/"
_END_USER: Final = "/api/v1/end-users/{end_user_id}/"

# (currency, request name, response network_name, gas price, fee rate)
_DEFAULT_NETWORKS: Final = (
    ("BTC", "BITCOIN", "BITCOIN", "0.00001", "0.0005"),
    ("BTC", "BITCOIN_TESTNET", "BITCOIN", "0.00001", "0.0005"),
    ("ETH", "ETHEREUM", "ETHEREUM", "0.00001", "0.005"),
    ("ETH", "ETHEREUM_SEPOLIA", "ETHEREUM_SEPOLIA", "0.00001", "0.005"),
    ("USDT", "POLYGON", "POLYGON", "0.01", "0.001"),
)


def _envelope(status: int, code: int, kind: str, message: str, detail_code: str) -> FakeResponse:
    body = {
        "code": code,
        "type": kind,
        "detail": {"message": message, "code": detail_code},
        "status": status,
    }
    return json_response(status, body)


def _validation_error(message: str) -> Refusal:
    return Refusal(_envelope(400, 20000, "ValidationError", message, "invalid"))


def _not_found(message: str = "Not found.") -> Refusal:
    return Refusal(_envelope(404, 40004, "NotFound", message, "not_found"))


NOT_AUTHENTICATED: Final = _envelope(
    403,
    40001,
    "NotAuthenticated",
    "Authentication credentials were not provided.",
    "not_authenticated",
)
TOKEN_REJECTED: Final = _envelope(
    401,
    40002,
    "AuthenticationFailed",
    "Invalid or expired access token.",
    "authentication_failed",
)


class FakeRipio(FakeProvider["RipioClient"]):
    """A fake Ripio B2B with one API client and one end user (``customer_10``) ready to use.

    Networks for BTC, ETH and USDT are configured (``add_network`` for more); balances start
    empty: ``deposit("customer_10", "2 BTC")``. Withdrawals start ``PENDING`` and complete when
    the test calls ``complete(id)``, or by themselves once clients have seen them
    ``pending_polls`` times. ``page_size`` sets how many withdrawals a list page holds.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        pending_polls: int | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        fee_lifetime: timedelta = DEFAULT_FEE_LIFETIME,
        clock: FakeClock | None = None,
        seed: int | str | None = 0,
    ) -> None:
        self.state = RipioState()
        super().__init__(base_url=base_url, clock=clock, seed=seed, pending_polls=pending_polls)
        self.page_size = page_size
        self.fee_lifetime = fee_lifetime
        for currency, network, network_name, gas_price, fee_rate in _DEFAULT_NETWORKS:
            self.add_network(
                currency,
                network,
                network_name=network_name,
                gas_price=gas_price,
                fee_rate=fee_rate,
            )
        self.client_id = DEFAULT_CLIENT_ID
        self.client_secret = DEFAULT_CLIENT_SECRET
        self.end_user = DEFAULT_END_USER
        self.add_client(self.client_id, self.client_secret)
        self.add_end_user(self.end_user)

    # -- setting the scene ------------------------------------------------------------------------

    @property
    def page_size(self) -> int:
        return self._page_size

    @page_size.setter
    def page_size(self, value: int) -> None:
        if value < 1:
            raise ValueError(f"page_size must be at least 1, got {value!r}")
        self._page_size = value

    def add_client(self, client_id: str, client_secret: str) -> None:
        """API credentials that getAccessToken accepts."""
        with self._lock:
            self.state.clients[client_id] = client_secret

    def add_end_user(self, external_ref: str) -> None:
        """An end user with a deposit address on every configured network."""
        with self._lock:
            end_user = EndUserRecord(external_ref, self.clock.now())
            for network in self.state.networks:
                end_user.addresses.setdefault(network.network_name, self.ids.tx_hash()[:42])
            self.state.end_users[external_ref] = end_user

    def add_network(
        self,
        currency: str,
        network: str,
        *,
        network_name: str | None = None,
        gas_price: Decimal | str = "0",
        fee_rate: Decimal | str = "0",
    ) -> None:
        """Let ``currency`` be withdrawn on ``network``: fee = ``gas_price + fee_rate * amount``."""
        with self._lock:
            self.state.networks.append(
                Network(
                    currency,
                    network,
                    network_name or network.upper(),
                    Decimal(gas_price),
                    Decimal(fee_rate),
                )
            )

    def deposit(self, end_user: str, amount: Amount | str) -> None:
        """Credit ``amount`` (``"2 BTC"``) to ``end_user``'s balance."""
        parsed = Amount.coerce(amount)
        with self._lock:
            record = self.state.end_users[end_user]
            record.balances[parsed.asset] = record.balance(parsed.asset) + parsed.value

    def add_beneficiary_account(
        self,
        end_user: str,
        *,
        currency: str = "ARS",
        alias_or_cvu_destination: str | None = None,
        status: str = ENABLED,
    ) -> str:
        """A bank account ``end_user`` can receive fiat withdrawals on; returns its id."""
        with self._lock:
            account_id = self.ids.uuid()
            cvu = alias_or_cvu_destination or f"{self.ids.tx_hash()[2:24]}"
            self.state.end_users[end_user].beneficiary_accounts[account_id] = BeneficiaryAccount(
                account_id,
                self.clock.now(),
                currency,
                {"alias_or_cvu_destination": cvu},
                status,
            )
            return account_id

    # -- inspecting and driving -------------------------------------------------------------------

    def balance(self, end_user: str, currency: str) -> Decimal:
        with self._lock:
            return self.state.end_users[end_user].balance(currency)

    def withdrawals(self) -> list[WithdrawalRecord]:
        """Copies of every crypto withdrawal, oldest first."""
        with self._lock:
            return [attrs.evolve(record) for record in self.state.withdrawals.values()]

    def withdrawal(self, withdrawal_id: str) -> WithdrawalRecord:
        with self._lock:
            return attrs.evolve(self.state.withdrawals[withdrawal_id])

    def fiat_withdrawals(self) -> list[FiatWithdrawalRecord]:
        with self._lock:
            return [attrs.evolve(record) for record in self.state.fiat_withdrawals.values()]

    def held_fees(self) -> list[HeldFee]:
        with self._lock:
            return [attrs.evolve(fee) for fee in self.state.fees.values()]

    def complete(self, withdrawal_id: str) -> None:
        """A crypto withdrawal is confirmed on chain (or a fiat one paid out): ``COMPLETED``."""
        with self._lock:
            if withdrawal_id in self.state.fiat_withdrawals:
                self.state.complete_fiat(withdrawal_id, self.clock.now())
            else:
                self.state.complete(withdrawal_id, self.clock.now(), self.ids.tx_hash())

    def fail(self, withdrawal_id: str, *, reason: str = "rejected by the network") -> None:
        """A crypto withdrawal ends in ``ERROR`` (a fiat one ``CANCELLED``); refunded in full."""
        with self._lock:
            if withdrawal_id in self.state.fiat_withdrawals:
                self.state.cancel_fiat(withdrawal_id, self.clock.now())
            else:
                self.state.fail(withdrawal_id, reason)

    # -- provider plumbing ------------------------------------------------------------------------

    def _client_type(self) -> Callable[..., RipioClient]:
        from withdrawkit._ripio_client import RipioClient  # noqa: PLC0415

        return RipioClient

    def _client_arguments(self) -> dict[str, Any]:
        """``client()`` uses the ready-made API credentials."""
        return {"client_id": self.client_id, "client_secret": self.client_secret}

    def _add_routes(self, routes: RouteTable[RouteHandler]) -> None:
        routes.add("getAccessToken", "POST", "/oauth2/token/", self._get_access_token)
        routes.add("createWithdrawalFee", "POST", "/api/v1/withdrawal-fees/", self._create_fee)
        routes.add("createWithdrawal", "POST", _WITHDRAWALS, self._create_withdrawal)
        routes.add("listWithdrawals", "GET", _WITHDRAWALS, self._list_withdrawals)
        routes.add(
            "getWithdrawal", "GET", f"{_WITHDRAWALS}{{withdrawal_id}}/", self._get_withdrawal
        )
        routes.add("createFiatWithdrawal", "POST", "/api/v1/fiat-withdrawals/", self._create_fiat)
        routes.add(
            "listBeneficiaryFiatAccounts",
            "GET",
            f"{_END_USER}beneficiary-fiat-accounts/",
            self._list_beneficiaries,
        )
        routes.add("getEndUser", "GET", _END_USER, self._get_end_user)
        routes.add("listEndUserAddresses", "GET", f"{_END_USER}addresses/", self._list_addresses)
        routes.add("listEndUserBalances", "GET", f"{_END_USER}balances/", self._list_balances)

    def _server_error(self, status: int) -> FakeResponse:
        # No Ripio 5xx body is documented; what arrives is the load balancer's page.
        phrase = HTTPStatus(status).phrase
        page = f"<html><head><title>{status} {phrase}</title></head><body>{phrase}</body></html>"
        return FakeResponse(status, {"Content-Type": "text/html"}, page.encode())

    def _no_route(self, request: FakeRequest) -> FakeResponse:
        return _not_found().response

    # -- handlers ---------------------------------------------------------------------------------

    def _get_access_token(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        form = _form_fields(request)
        client_id, client_secret = _basic_credentials(request.header("Authorization"))
        client_id = client_id or form.get("client_id")
        client_secret = client_secret or form.get("client_secret")
        grant_type = form.get("grant_type")
        if grant_type is None:
            return json_response(
                400, {"error": "invalid_request", "error_description": "Missing grant type."}
            )
        if grant_type != "client_credentials":
            return json_response(400, {"error": "unsupported_grant_type"})
        known_secret = self.state.clients.get(client_id or "")
        if known_secret is None or not secrets.compare_digest(known_secret, client_secret or ""):
            return json_response(401, {"error": "invalid_client"})
        token = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(30))
        self._tokens.issue(token, str(client_id), TOKEN_LIFETIME)
        body = {
            "access_token": token,
            "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "token_type": "Bearer",
            "scope": "read write",
        }
        return json_response(200, body)

    def _create_fee(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = _json_object(request)
        currency = _text(body, "currency")
        network = self._network(currency, _text(body, "network"))
        amount = _positive_money(body, "amount")
        held = HeldFee(
            self.ids.uuid(),
            currency,
            network,
            amount,
            network.gas_price,
            network.fee_for(amount),
            self.clock.now() + self.fee_lifetime,
            _optional_text(body, "external_ref"),
        )
        self.state.fees[held.id] = held
        return json_response(
            201,
            {
                "id": held.id,
                "expires_at": format_wire_datetime(held.expires_at),
                "amount": held.amount,
                "gas_price": held.gas_price,
                "fee": held.fee,
                "total_fee": held.total_fee,
                "total_amount": held.total_amount,
            },
        )

    def _create_withdrawal(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = _json_object(request)
        end_user_ref = _text(body, "end_user")
        currency = _text(body, "currency")
        address = _text(body, "address")
        network_text = _text(body, "network")
        amount = _positive_money(body, "amount")
        external_ref = _optional_text(body, "external_ref")
        fee_id = _optional_text(body, "withdrawal_fee_id")
        if len(address) > MAX_ADDRESS_LENGTH:
            raise _validation_error(f"address: at most {MAX_ADDRESS_LENGTH} characters")
        try:
            end_user = self.state.end_user(end_user_ref)
            network = self.state.network(currency, network_text)
            now = self.clock.now()
            total_fee, held = self.state.fee_to_apply(fee_id, currency, network, amount, now)
            self.state.debit(end_user, currency, amount + total_fee)
        except Invalid as invalid:
            raise _validation_error(invalid.message) from invalid
        except NotEnoughBalance as short:
            raise Refusal(
                _envelope(400, 20012, "NotEnoughBalance", short.message, "not_enough_balance")
            ) from short
        record = WithdrawalRecord(
            self.ids.uuid(),
            now,
            end_user.external_ref,
            currency,
            amount,
            address,
            network.network_name,
            self.ids.uuid(),
            tidy(amount + total_fee),
            external_ref,
        )
        self.state.withdrawals[record.id] = record
        if held is not None:
            held.used_by = record.id
        return json_response(201, _withdrawal_body(record))

    def _list_withdrawals(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        page_text = request.query_value("page") or "1"
        if not _PAGE_DIGITS.fullmatch(page_text) or int(page_text) < 1:
            raise _not_found("Invalid page.")
        page = int(page_text)
        records = list(self.state.withdrawals.values())
        start = (page - 1) * self.page_size
        if start >= len(records) and page != 1:
            raise _not_found("Invalid page.")
        shown = records[start : start + self.page_size]
        for record in shown:
            self._polled(record)
        has_next = start + self.page_size < len(records)
        body = {
            "count": len(records),
            "next": _page_link(page + 1) if has_next else None,
            "previous": _page_link(page - 1) if page > 1 else None,
            "results": [_withdrawal_body(record) for record in shown],
        }
        return json_response(200, body)

    def _get_withdrawal(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        record = self.state.withdrawals.get(params["withdrawal_id"])
        if record is None:
            raise _not_found()
        self._polled(record)
        return json_response(200, _withdrawal_body(record))

    def _create_fiat(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = _json_object(request)
        end_user_ref = _text(body, "end_user_id")
        amount = _positive_money(body, "amount")
        account_id = _text(body, "beneficiary_fiat_account_id")
        external_ref = _optional_text(body, "external_ref")
        try:
            end_user = self.state.end_user(end_user_ref)
            account = end_user.beneficiary_accounts.get(account_id)
            if account is None:
                raise Invalid(
                    f"beneficiary fiat account {account_id} is not an account of {end_user_ref}"
                )
            if account.status != ENABLED:
                raise Invalid(f"beneficiary fiat account {account_id} is {account.status}")
            self.state.debit(end_user, account.currency, amount)
        except Invalid as invalid:
            raise _validation_error(invalid.message) from invalid
        except NotEnoughBalance as short:
            raise Refusal(
                _envelope(400, 20012, "NotEnoughBalance", short.message, "not_enough_balance")
            ) from short
        now = self.clock.now()
        record = FiatWithdrawalRecord(
            self.ids.uuid(),
            self.ids.uuid(),
            now,
            now,
            end_user_ref,
            amount,
            account.currency,
            account_id,
            external_ref,
        )
        self.state.fiat_withdrawals[record.id] = record
        return json_response(201, _fiat_withdrawal_body(record))

    def _list_beneficiaries(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        wanted_status = request.query_value("status")
        wanted_method = request.query_value("payment_method_type")
        listed = [
            {
                "beneficiary_fiat_account_id": account.beneficiary_fiat_account_id,
                "created_at": format_wire_datetime(account.created_at),
                "currency": account.currency,
                "account_fields": dict(account.account_fields),
                "status": account.status,
                "payment_method_type": account.payment_method_type,
            }
            for account in end_user.beneficiary_accounts.values()
            # The enum is upper case but the docs' example filters on "processing": accept both.
            if (wanted_status is None or account.status.lower() == wanted_status.lower())
            and (wanted_method is None or account.payment_method_type == wanted_method)
        ]
        return json_response(200, listed)

    def _get_end_user(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        body = {
            "external_ref": end_user.external_ref,
            "created_at": format_wire_datetime(end_user.created_at),
        }
        return json_response(200, body)

    def _list_addresses(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        listed = [
            {
                "network": network_name,
                "end_user_id": end_user.external_ref,
                "address": address,
                "xpub": None,
                "derivation_path": None,
            }
            for network_name, address in end_user.addresses.items()
        ]
        return json_response(200, listed)

    def _list_balances(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        listed = [
            {"currency": currency, "balance": plain_text(balance)}
            for currency, balance in end_user.balances.items()
        ]
        return json_response(200, listed)

    # -- helpers ----------------------------------------------------------------------------------

    def _authorize(self, request: FakeRequest) -> str:
        check, client_id = self._tokens.check(bearer_token(request.header("Authorization")))
        if check is TokenCheck.MISSING:
            raise Refusal(NOT_AUTHENTICATED)
        if check is not TokenCheck.VALID or client_id is None:
            raise Refusal(TOKEN_REJECTED)
        return client_id

    def _network(self, currency: str, name: str) -> Network:
        try:
            return self.state.network(currency, name)
        except Invalid as invalid:
            raise _validation_error(invalid.message) from invalid

    def _existing_end_user(self, external_ref: str) -> EndUserRecord:
        end_user = self.state.end_users.get(external_ref)
        if end_user is None:
            raise _not_found()
        return end_user

    def _polled(self, record: WithdrawalRecord) -> None:
        if self.state.polled(record, self.pending_polls):
            self.state.complete(record.id, self.clock.now(), self.ids.tx_hash())


def _page_link(page: int) -> str:
    # Django REST Framework drops ?page=1 from the link to the first page.
    return f"{LINK_HOST}{_WITHDRAWALS}" if page == 1 else f"{LINK_HOST}{_WITHDRAWALS}?page={page}"


def _withdrawal_body(record: WithdrawalRecord) -> dict[str, Any]:
    """The DOC-new Withdrawal shape: money as strings, null hashes while pending."""
    return {
        "id": record.id,
        "created_at": format_wire_datetime(record.created_at),
        "confirmation_date": (
            format_wire_datetime(record.confirmation_date) if record.confirmation_date else None
        ),
        "txn_hash": record.txn_hash,
        "end_user_id": record.end_user_id,
        "currency": record.currency,
        "amount": plain_text(record.amount),
        "address": record.address,
        "network_name": record.network_name,
        "status": record.status,
        "transaction_id": record.transaction_id,
        "provisory_transaction_hash": record.provisory_transaction_hash,
        "risk_score": None,
        "is_blocked": False,
        "reason": record.reason,
        "external_ref": record.external_ref,
        "debited_amount": plain_text(record.debited_amount),
    }


def _fiat_withdrawal_body(record: FiatWithdrawalRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "transaction_id": record.transaction_id,
        "created_at": format_wire_datetime(record.created_at),
        "updated_at": format_wire_datetime(record.updated_at),
        "end_user_id": record.end_user_id,
        "amount": plain_text(record.amount),
        "currency_code": record.currency_code,
        "status": record.status,
        "external_ref": record.external_ref,
        "beneficiary_fiat_account_id": record.beneficiary_fiat_account_id,
        "is_fiat_deposit_refund": False,
        "refunded_fiat_deposit": None,
    }


def _json_object(request: FakeRequest) -> dict[str, Any]:
    try:
        body = wire_json.loads(request.body or b"")
    except ValueError as error:
        raise Refusal(
            _envelope(400, 20001, "ParseError", f"JSON parse error - {error}", "parse_error")
        ) from error
    if not isinstance(body, dict):
        raise _validation_error("Invalid data. Expected a dictionary.")
    return body


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        raise _validation_error(f"{name}: This field is required.")
    if not isinstance(value, str) or not value.strip():
        raise _validation_error(f"{name}: Not a valid string.")
    return value


def _optional_text(body: Mapping[str, Any], name: str) -> str | None:
    return None if body.get(name) is None else _text(body, name)


def _positive_money(body: Mapping[str, Any], name: str) -> Decimal:
    value = body.get(name)
    if value is None:
        raise _validation_error(f"{name}: This field is required.")
    try:
        amount = decimal_from_wire(value)
    except (TypeError, ValueError) as error:
        raise _validation_error(f"{name}: A valid number is required.") from error
    if amount <= 0:
        raise _validation_error(f"{name}: Ensure this value is greater than 0.")
    return amount


def _form_fields(request: FakeRequest) -> dict[str, str]:
    """The token request's form: urlencoded (as clients send it) or multipart (as the page says)."""
    content_type = request.header("Content-Type") or ""
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + request.body)
        fields: dict[str, str] = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            if isinstance(name, str) and isinstance(payload, bytes):
                fields[name] = payload.decode("utf-8")
        return fields
    if content_type.startswith("application/x-www-form-urlencoded"):
        parsed = parse_qs(request.body.decode("utf-8"), keep_blank_values=True)
        return {name: values[-1] for name, values in parsed.items()}
    return {}


def _basic_credentials(authorization: str | None) -> tuple[str | None, str | None]:
    if not authorization:
        return None, None
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, separator, client_secret = decoded.partition(":")
    return (client_id, client_secret) if separator else (None, None)
