"""``FakeOneKonto``: a stateful fake of 1Konto (1KPrime) v1.0's login, account, deposit-instruction
and withdrawal API.

Wire shapes follow ``openapi/onekonto.yaml``. Error bodies are the two documented shapes: shape 1
``{"status": 404, "error": "Account ID Not Found"}`` for HTTP-level errors (401, 403, 404, 5xx)
and shape 2 ``{"errors": [...], "status": "failedDependency", "httpStatusCode": 424}`` for
business refusals, with the category as the message prefix (``Insufficient Funds: ...``,
``ValidationFailed: Amount: must be positive``). Where the docs show no body (401, 400) the fake
uses the shape that fits: shape 1 for authentication, shape 2 with ``badRequest`` for validation.
Get Deposit Instructions answers an unknown account with its own documented 404 text
(``The deposit instructions with the provided ID were not found``), and so does an account whose
instructions a test removed: the spec reads that 404 as "no deposit instructions for the account".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, Final

import attrs

from withdrawkit import _wire_json as wire_json
from withdrawkit._amount import Amount, AmountError
from withdrawkit.testing._clock import FakeClock
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._money import tidy
from withdrawkit.testing._onekonto_state import (
    BLOCKCHAIN,
    AssetBalance,
    BankInstruction,
    NotEnoughFunds,
    OneKontoAccount,
    OneKontoState,
    OneKontoUser,
    WithdrawRequestRecord,
)
from withdrawkit.testing._provider import FakeProvider, Refusal, RouteHandler
from withdrawkit.testing._routing import RouteTable
from withdrawkit.testing._tokens import TokenCheck, bearer_token

if TYPE_CHECKING:
    from withdrawkit._onekonto_client import OneKontoClient

__all__ = ["FakeOneKonto"]

DEFAULT_BASE_URL: Final = "https://onekonto.fake"
DEFAULT_USER: Final = "trader@example.com"
DEFAULT_PASSWORD: Final = "correct horse battery staple"  # noqa: S105 - a fake's test user
TOKEN_LIFETIME: Final = timedelta(hours=24)
LOGIN_SERVICES: Final = frozenset({"identity", "routing", "accounting"})
DEFAULT_MAX: Final = 100
# At most this many digits in ``max``: ASCII only (str.isdigit() accepts "²"), never a huge int.
_MAX_DIGITS: Final = re.compile(r"[0-9]{1,9}")

_ACCOUNT: Final = "/api/v1/accounting/account/{accountId}"
_OK: Final = {"status": "ok", "httpStatusCode": 200}
ACCOUNT_NOT_FOUND: Final = "Account ID Not Found"
DEPOSIT_INSTRUCTIONS_NOT_FOUND: Final = (
    "The deposit instructions with the provided ID were not found"
)
# Every new account can receive these (asset, network) deposits; the addresses derive from its id.
DEFAULT_DEPOSIT_NETWORKS: Final = (("BTC", "bitcoin"), ("USDC", "trc20"))
_BECH32: Final = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BASE58: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _http_error(status: int, message: str) -> FakeResponse:
    """Error shape 1: ``{"status": <int>, "error": <message>}``."""
    return json_response(status, {"status": status, "error": message})


def _business_error(status: int, messages: Sequence[str]) -> FakeResponse:
    """Error shape 2: camelCase status, ``errors`` and ``httpStatusCode``."""
    phrase = HTTPStatus(status).phrase.title().replace(" ", "").replace("-", "")
    camel = phrase[0].lower() + phrase[1:]
    body = {"errors": list(messages), "status": camel, "httpStatusCode": status}
    return json_response(status, body)


def _validation_failed(field_errors: Mapping[str, str]) -> FakeResponse:
    described = ". ".join(f"{field}: {problem}" for field, problem in field_errors.items())
    return _business_error(400, [f"ValidationFailed: {described}"])


class FakeOneKonto(FakeProvider["OneKontoClient"]):
    """A fake 1Konto with one user and one account ready to use.

    ``user``/``password``/``account_id`` are the ready-made credentials (``client()`` uses them);
    balances start empty: ``deposit("2 BTC")``, ``whitelist_wallet("bitcoin", "bc1q...")``.
    Each account has deposit instructions from the start: a BTC address on ``bitcoin``, a USDC
    address on ``trc20`` and a USD FedWire bank instruction (``add_deposit_address``,
    ``set_bank_instruction`` and ``clear_deposit_instructions`` change them).
    A withdrawal may leave out its network and address (a fiat one its bank numbers) when exactly
    one whitelisted wallet (bank account) fits what it gives; none or several are refused with
    ``ValidationFailed`` saying which.
    Withdrawals start ``pending`` and complete when the test calls ``complete(id)``, or by
    themselves once clients have polled them ``pending_polls`` times.
    """

    def __init__(
        self,
        *,
        base_url: str = DEFAULT_BASE_URL,
        pending_polls: int | None = None,
        clock: FakeClock | None = None,
        seed: int | str | None = 0,
    ) -> None:
        self.state = OneKontoState()
        self._signing_key = secrets.token_bytes(32)
        super().__init__(base_url=base_url, clock=clock, seed=seed, pending_polls=pending_polls)
        self.user = DEFAULT_USER
        self.password = DEFAULT_PASSWORD
        self.account_id = self.ids.onekonto_id()
        self.add_user(self.user, self.password)
        self.add_account(self.account_id, owner=self.user)

    # -- setting the scene ------------------------------------------------------------------------

    def add_user(self, user: str, password: str) -> None:
        """A user who logs in with ``password`` (the fake stores only its SHA-256)."""
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
        with self._lock:
            self.state.users[user] = OneKontoUser(user, digest)

    def add_account(
        self, account_id: str | None = None, *, owner: str, name: str = "test-client-account"
    ) -> str:
        """A new account of user ``owner``; returns its id (generated when not given)."""
        with self._lock:
            new_id = account_id or self.ids.onekonto_id()
            account = OneKontoAccount(new_id, name)
            for asset, network in DEFAULT_DEPOSIT_NETWORKS:
                account.deposit_addresses[asset, network] = _derived_address(new_id, network)
            account.bank_instruction = _default_bank_instruction(new_id)
            self.state.accounts[new_id] = account
            self.state.users[owner].account_ids.add(new_id)
            return new_id

    def deposit(self, amount: Amount | str, *, account_id: str | None = None) -> None:
        """Credit ``amount`` (``"2 BTC"``) to the account's free balance."""
        parsed = Amount.coerce(amount)
        with self._lock:
            balance = self._account(account_id).balance(parsed.asset)
            balance.free = tidy(balance.free + parsed.value)

    def set_credit_limit(self, amount: Amount | str, *, account_id: str | None = None) -> None:
        """A credit line of ``amount`` (``"2000 USD"``), shown as ``limit: -2000``."""
        parsed = Amount.coerce(amount)
        with self._lock:
            self._account(account_id).balance(parsed.asset).limit = -abs(parsed.value)

    def whitelist_wallet(
        self, network: str, address: str, *, account_id: str | None = None
    ) -> None:
        """Allow blockchain withdrawals to ``address`` on ``network``."""
        with self._lock:
            self._account(account_id).wallets.add((network, address))

    def whitelist_bank_account(
        self, routing_number: str, account_number: str, *, account_id: str | None = None
    ) -> None:
        """Allow fiat withdrawals to this bank account."""
        with self._lock:
            self._account(account_id).bank_accounts.add((routing_number, account_number))

    def add_deposit_address(
        self, asset: str, network: str, address: str, *, account_id: str | None = None
    ) -> None:
        """Deposits of ``asset`` on ``network`` go to ``address`` (Get Deposit Instructions).

        One address per asset and network: adding the same pair again replaces its address.
        """
        with self._lock:
            self._account(account_id).deposit_addresses[asset, network] = address

    def set_bank_instruction(
        self,
        *,
        account_id: str | None = None,
        asset: str | None = None,
        method: str | None = None,
        bank_name: str | None = None,
        bank_address: str | None = None,
        bank_routing_number: str | None = None,
        bank_swift_number: str | None = None,
        beneficiary_name: str | None = None,
        beneficiary_address: str | None = None,
        beneficiary_account_number: str | None = None,
        special_instructions: str | None = None,
    ) -> None:
        """The account's fiat deposit instruction, replacing the one it had (one per account).

        Fields left ``None`` take the fake's defaults: USD by ``FedWire`` to the fake's bank, with
        ``special_instructions`` ``"Reference: <accountId>"``.
        """
        given = {
            "asset": asset,
            "method": method,
            "bank_name": bank_name,
            "bank_address": bank_address,
            "bank_routing_number": bank_routing_number,
            "bank_swift_number": bank_swift_number,
            "beneficiary_name": beneficiary_name,
            "beneficiary_address": beneficiary_address,
            "beneficiary_account_number": beneficiary_account_number,
            "special_instructions": special_instructions,
        }
        with self._lock:
            account = self._account(account_id)
            fields = attrs.asdict(_default_bank_instruction(account.account_id))
            fields.update({name: value for name, value in given.items() if value is not None})
            account.bank_instruction = BankInstruction(**fields)

    def clear_deposit_instructions(self, *, account_id: str | None = None) -> None:
        """No deposit addresses and no bank instruction: Get Deposit Instructions answers 404."""
        with self._lock:
            account = self._account(account_id)
            account.deposit_addresses.clear()
            account.bank_instruction = None

    # -- inspecting and driving -------------------------------------------------------------------

    def balance(self, asset: str, *, account_id: str | None = None) -> AssetBalance:
        """A copy of the account's balance of ``asset``."""
        with self._lock:
            return attrs.evolve(self._account(account_id).balances.get(asset, AssetBalance()))

    def withdraw_requests(self, *, account_id: str | None = None) -> list[WithdrawRequestRecord]:
        """Copies of the account's withdraw requests, oldest first."""
        with self._lock:
            wanted = account_id or self.account_id
            return [
                _copy(record)
                for record in self.state.withdraw_requests.values()
                if record.account_id == wanted
            ]

    def withdraw_request(self, withdraw_request_id: str) -> WithdrawRequestRecord:
        with self._lock:
            return _copy(self.state.withdraw_requests[withdraw_request_id])

    def complete(self, withdraw_request_id: str) -> None:
        """The withdrawal was paid out: ``completed``, and the amount leaves the account."""
        with self._lock:
            self.state.complete(withdraw_request_id)

    def fail(self, withdraw_request_id: str, *, status: str = "rejected") -> None:
        """The withdrawal did not happen (``rejected``, ``canceled`` or ``invalid``); refunded."""
        with self._lock:
            self.state.fail(withdraw_request_id, status)

    # -- provider plumbing ------------------------------------------------------------------------

    def _client_type(self) -> Callable[..., OneKontoClient]:
        from withdrawkit._onekonto_client import OneKontoClient  # noqa: PLC0415

        return OneKontoClient

    def _client_arguments(self) -> dict[str, Any]:
        """``client()`` logs in as the ready-made user, on the ready-made account."""
        return {"user": self.user, "password": self.password, "account_id": self.account_id}

    def _add_routes(self, routes: RouteTable[RouteHandler]) -> None:
        routes.add("login", "POST", "/api/v1/{service}/jwt", self._login)
        routes.add("getAccount", "GET", _ACCOUNT, self._get_account)
        routes.add("getAccountCredit", "GET", f"{_ACCOUNT}/portfolio", self._get_account_credit)
        routes.add(
            "getDepositInstructions",
            "GET",
            f"{_ACCOUNT}/request/deposit-instructions",
            self._get_deposit_instructions,
        )
        routes.add(
            "requestWithdrawFiat", "POST", f"{_ACCOUNT}/request/withdraw/fiat", self._withdraw_fiat
        )
        routes.add(
            "requestWithdrawBlockchain",
            "POST",
            f"{_ACCOUNT}/request/withdraw/blockchain",
            self._withdraw_blockchain,
        )
        routes.add(
            "queryWithdrawRequests", "GET", f"{_ACCOUNT}/request/withdraw", self._query_withdraws
        )

    def _server_error(self, status: int) -> FakeResponse:
        return _http_error(status, HTTPStatus(status).phrase)

    def _no_route(self, request: FakeRequest) -> FakeResponse:
        return _http_error(404, "Not Found")

    def _account(self, account_id: str | None) -> OneKontoAccount:
        return self.state.accounts[account_id or self.account_id]

    # -- handlers ---------------------------------------------------------------------------------

    def _login(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        if params["service"] not in LOGIN_SERVICES:
            return _http_error(404, "Not Found")
        body = _json_object(request)
        user, password = body.get("user"), body.get("password")
        missing = {
            name: "required"
            for name, value in (("User", user), ("Password", password))
            if not isinstance(value, str) or not value
        }
        if missing:
            raise InvalidFieldsRefusal(missing)
        known = self.state.users.get(str(user))
        # The page says the password crosses the wire as its SHA-256 hex: a plaintext is refused.
        if known is None or not hmac.compare_digest(str(password).lower(), known.password_sha256):
            return _http_error(401, "Invalid user or password")
        issued_at = self.clock.now()
        token = self._signed_token(known.user, issued_at, issued_at + TOKEN_LIFETIME)
        self._tokens.issue(token, known.user, TOKEN_LIFETIME, now=issued_at)
        return json_response(200, {"token": token})

    def _get_account(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        balances = {
            asset: {
                "free": balance.free,
                "locked": balance.locked,
                "limit": balance.limit,
                "pendingDeposit": balance.pending_deposit,
                "available": balance.available,
            }
            for asset, balance in account.balances.items()
        }
        return json_response(
            200, {"account": {**_account_head(account), "balances": balances}, **_OK}
        )

    def _get_account_credit(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        balances = {
            asset: {
                "availableToTrade": balance.available,
                "totalFunds": balance.funds + balance.locked,
                "availableFunds": balance.funds,
                "lockedFunds": balance.locked,
                "totalCredit": balance.total_credit,
                "availableCredit": balance.total_credit - balance.used_credit,
                "usedCredit": balance.used_credit,
            }
            for asset, balance in account.balances.items()
        }
        return json_response(
            200, {"account": {**_account_head(account), "balances": balances}, **_OK}
        )

    def _get_deposit_instructions(
        self, request: FakeRequest, params: Mapping[str, str]
    ) -> FakeResponse:
        account = self._authorize(
            request, params["accountId"], not_found=DEPOSIT_INSTRUCTIONS_NOT_FOUND
        )
        instructions: list[dict[str, str]] = [
            {"asset": asset, "assetType": "blockchain", "networkType": network, "address": address}
            for (asset, network), address in account.deposit_addresses.items()
        ]
        if account.bank_instruction is not None:
            instructions.append(_bank_instruction_body(account.bank_instruction))
        if not instructions:
            return _http_error(404, DEPOSIT_INSTRUCTIONS_NOT_FOUND)
        body = {"accountId": account.account_id, "instructions": instructions, **_OK}
        return json_response(200, body)

    def _withdraw_blockchain(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        body = _json_object(request)
        problems: dict[str, str] = {}
        amount = _read_amount(body, problems)
        network = _optional_text(body, "network", "Network", problems)
        address = _optional_text(body, "address", "Address", problems)
        instructions = _instructions(body, problems)
        if not {"Network", "Address"} & problems.keys():
            # Network and address may be left out when the whitelist identifies the wallet.
            matching = self.state.whitelisted_wallets(account, network, address)
            if len(matching) == 1:
                ((known_network, address),) = matching
                network = network or known_network
            else:
                problems.update(_wallet_problem(len(matching), network, address))
        if problems or amount is None:
            raise InvalidFieldsRefusal(problems)
        record = WithdrawRequestRecord(
            self.ids.onekonto_id(),
            account.account_id,
            amount,
            BLOCKCHAIN,
            self.clock.now(),
            network=network,
            address=address,
            instructions=instructions,
        )
        return self._accept(record)

    def _withdraw_fiat(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        body = _json_object(request)
        problems: dict[str, str] = {}
        amount = _read_amount(body, problems)
        method = _optional_text(body, "type", "Type", problems)
        routing = _optional_text(body, "routingNumber", "RoutingNumber", problems)
        number = _optional_text(body, "accountNumber", "AccountNumber", problems)
        instructions = _instructions(body, problems)
        if method is None and "Type" not in problems:
            problems["Type"] = "required"
        if not {"RoutingNumber", "AccountNumber"} & problems.keys():
            # The bank numbers may be left out when the whitelist identifies the bank account.
            matching = self.state.whitelisted_bank_accounts(account, routing, number)
            if len(matching) == 1:
                ((routing, number),) = matching
            else:
                problems["AccountNumber"] = _bank_account_problem(len(matching), routing, number)
        if problems or amount is None or method is None:
            raise InvalidFieldsRefusal(problems)
        record = WithdrawRequestRecord(
            self.ids.onekonto_id(),
            account.account_id,
            amount,
            method,
            self.clock.now(),
            routing_number=routing,
            account_number=number,
            instructions=instructions,
        )
        return self._accept(record)

    def _accept(self, record: WithdrawRequestRecord) -> FakeResponse:
        try:
            self.state.accept(record)
        except NotEnoughFunds as short:
            message = (
                f"Insufficient Funds: Requested {short.requested} "
                f"but only {short.available} is available"
            )
            return _business_error(424, [message])
        return json_response(
            200,
            {
                "withdrawRequestId": record.withdraw_request_id,
                "requestStatus": record.status,
                **_OK,
            },
        )

    def _query_withdraws(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        account = self._authorize(request, params["accountId"])
        max_text = request.query_value("max")
        limit = DEFAULT_MAX
        if max_text is not None:
            if not _MAX_DIGITS.fullmatch(max_text) or int(max_text) < 1:
                raise InvalidFieldsRefusal({"Max": "must be a positive integer"})
            limit = int(max_text)
        filters = {
            "status": request.query_value("status"),
            "withdraw_request_id": request.query_value("withdrawRequestId"),
            "network": request.query_value("network"),
            "type": request.query_value("type"),
            "amount": request.query_value("amount"),
        }
        newest_first = reversed(list(self.state.withdraw_requests.values()))
        chosen = [
            record
            for record in newest_first
            if record.account_id == account.account_id and _matches(record, filters)
        ][:limit]
        for record in chosen:
            self.state.observe(record, self.pending_polls)
        listed = [_withdraw_request_body(record) for record in chosen]
        return json_response(200, {"withdrawRequests": listed, **_OK})

    # -- authentication ---------------------------------------------------------------------------

    def _signed_token(self, user: str, issued_at: datetime, expires_at: datetime) -> str:
        """An HS256 JWT for ``user`` with ``iat`` and ``exp`` claims."""
        claims = {
            "sub": user,
            "iat": int(issued_at.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": secrets.token_hex(8),
        }
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        signature = hmac.new(self._signing_key, f"{header}.{payload}".encode(), hashlib.sha256)
        return f"{header}.{payload}.{_b64(signature.digest())}"

    def _authorize(
        self, request: FakeRequest, account_id: str, *, not_found: str = ACCOUNT_NOT_FOUND
    ) -> OneKontoAccount:
        """The account the token's user may use; ``not_found`` is the 404 text of the operation."""
        check, user = self._tokens.check(bearer_token(request.header("Authorization")))
        if check is TokenCheck.MISSING:
            raise Refusal(_http_error(401, "Unauthorized"))
        if check is TokenCheck.EXPIRED:
            raise Refusal(_http_error(401, "Unauthorized: token expired"))
        if check is TokenCheck.UNKNOWN or user is None:
            raise Refusal(_http_error(401, "Unauthorized: invalid token"))
        account = self.state.accounts.get(account_id)
        if account is None:
            raise Refusal(_http_error(404, not_found))
        if account_id not in self.state.users[user].account_ids:
            raise Refusal(_http_error(403, "Forbidden"))
        return account


def _wallet_problem(matches: int, network: str | None, address: str | None) -> dict[str, str]:
    """Why no single whitelisted wallet fits a blockchain withdrawal (``matches`` of them do)."""
    on = f" on {network}" if network is not None else ""
    if address is not None:
        if matches == 0:
            return {"Address": f"{address} is not a whitelisted wallet of this account"}
        return {"Network": f"required: {address} is whitelisted on {matches} networks"}
    if matches == 0:
        return {"Address": f"required: the account has no whitelisted wallet{on}"}
    return {"Address": f"required: {matches} whitelisted wallets{on} match; name one"}


def _bank_account_problem(matches: int, routing: str | None, number: str | None) -> str:
    """Why no single whitelisted bank account fits a fiat withdrawal."""
    if matches == 0:
        if routing is None and number is None:
            return "required: the account has no whitelisted bank account"
        return "is not a whitelisted bank account of this account"
    if routing is None and number is None:
        return f"required: {matches} whitelisted bank accounts match; name one"
    return f"required: {matches} whitelisted bank accounts match; give both numbers"


class InvalidFieldsRefusal(Refusal):
    """``ValidationFailed: Field: problem. Other: problem`` in error shape 2 (HTTP 400)."""

    def __init__(self, field_errors: Mapping[str, str]) -> None:
        super().__init__(_validation_failed(field_errors))


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _json_object(request: FakeRequest) -> dict[str, Any]:
    try:
        body = wire_json.loads(request.body or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise InvalidFieldsRefusal({"Body": "must be a JSON object"})
    return body


def _read_amount(body: Mapping[str, Any], problems: dict[str, str]) -> Amount | None:
    value = body.get("amount")
    if value is None:
        problems["Amount"] = "required"
        return None
    if not isinstance(value, str):
        problems["Amount"] = "must be an amount such as '1 BTC'"
        return None
    try:
        amount = Amount.parse(value)
    except AmountError:
        problems["Amount"] = "must be an amount such as '1 BTC'"
        return None
    if amount.value <= 0:
        problems["Amount"] = "must be positive"
        return None
    return amount


def _optional_text(
    body: Mapping[str, Any], key: str, field: str, problems: dict[str, str]
) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        problems[field] = "must be a non-empty string"
        return None
    return value


def _instructions(body: Mapping[str, Any], problems: dict[str, str]) -> tuple[str, ...]:
    value = body.get("instructions")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems["Instructions"] = "must be a list of strings"
        return ()
    return tuple(value)


def _matches(record: WithdrawRequestRecord, filters: Mapping[str, str | None]) -> bool:
    wanted_amount = filters["amount"]
    return (
        (filters["status"] is None or record.status == filters["status"])
        and (
            filters["withdraw_request_id"] is None
            or record.withdraw_request_id == filters["withdraw_request_id"]
        )
        and (
            filters["network"] is None
            or (record.network or "").lower() == (filters["network"] or "").lower()
        )
        and (filters["type"] is None or record.type == filters["type"])
        and (wanted_amount is None or str(record.amount) == wanted_amount)
    )


def _account_head(account: OneKontoAccount) -> dict[str, Any]:
    return {"accountId": account.account_id, "type": account.type, "name": account.name}


def _withdraw_request_body(record: WithdrawRequestRecord) -> dict[str, Any]:
    body: dict[str, Any] = {
        "withdrawRequestId": record.withdraw_request_id,
        "requestStatus": record.status,
        "amount": str(record.amount),
        "type": record.type,
    }
    optional = {
        "network": record.network,
        "address": record.address,
        "routingNumber": record.routing_number,
        "accountNumber": record.account_number,
    }
    body.update({key: value for key, value in optional.items() if value is not None})
    if record.instructions:
        body["instructions"] = list(record.instructions)
    return body


def _bank_instruction_body(bank: BankInstruction) -> dict[str, str]:
    return {
        "asset": bank.asset,
        "assetType": "fiat",
        "method": bank.method,
        "bankName": bank.bank_name,
        "bankAddress": bank.bank_address,
        "bankRoutingNumber": bank.bank_routing_number,
        "bankSwiftNumber": bank.bank_swift_number,
        "beneficiaryName": bank.beneficiary_name,
        "beneficiaryAddress": bank.beneficiary_address,
        "beneficiaryAccountNumber": bank.beneficiary_account_number,
        "specialInstructions": bank.special_instructions,
    }


def _default_bank_instruction(account_id: str) -> BankInstruction:
    # The page's example asks the sender to quote the accountId as the payment reference.
    return BankInstruction(special_instructions=f"Reference: {account_id}")


def _derived_address(account_id: str, network: str) -> str:
    """A fixed, address-shaped string per account and network (not a valid address)."""
    digest = hashlib.sha512(f"{account_id}/{network}".encode()).digest()
    if network == "bitcoin":
        return "bc1q" + "".join(_BECH32[byte % len(_BECH32)] for byte in digest[:38])
    if network in {"trc20", "tron"}:
        return "T" + "".join(_BASE58[byte % len(_BASE58)] for byte in digest[:33])
    return f"0x{digest[:20].hex()}"


def _copy(record: WithdrawRequestRecord) -> WithdrawRequestRecord:
    return attrs.evolve(record)
