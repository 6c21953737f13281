"""``OneKontoClient``: every documented operation of 1Konto (1KPrime) v1.0.

This module holds the client itself, login and withdrawals; the account's reads (balances,
credit, deposit instructions, the ledger), market data, orders and the lifecycles (waiting,
reconciling) are the mixins of ``_onekonto_account``, ``_onekonto_market``, ``_onekonto_orders``,
``_onekonto_lifecycle`` and ``_onekonto_order_lifecycle``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import requests

from withdrawkit import _onekonto_models as models
from withdrawkit._arguments import (
    asset_amount,
    documented_value,
    path_segment,
    query,
    required_text,
    string_list,
    withdrawal_amount,
)
from withdrawkit._auth import IssuedToken
from withdrawkit._client import ClientShell, Provider
from withdrawkit._conversion import unstructure
from withdrawkit._error_mapping import ONEKONTO as PROVIDER
from withdrawkit._error_mapping import map_onekonto_error
from withdrawkit._exceptions import NotFound
from withdrawkit._jwt_claims import jwt_expiry
from withdrawkit._onekonto_account import AccountMethods
from withdrawkit._onekonto_lifecycle import OneKontoLifecycle
from withdrawkit._onekonto_market import MarketDataMethods
from withdrawkit._onekonto_order_lifecycle import OrderLifecycle
from withdrawkit._onekonto_orders import OrderMethods
from withdrawkit._response_reading import read_list, read_response, unexpected
from withdrawkit._root_error import InvalidArgument
from withdrawkit._secrets import Secret
from withdrawkit._sending import remembered
from withdrawkit._token_answers import read_token_answer
from withdrawkit._transport import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit_generated.onekonto import (
        WithdrawBlockchainRequest,
        WithdrawFiatRequest,
        WithdrawRequest,
        WithdrawRequestReceipt,
        WithdrawRequestStatus,
    )

__all__ = ["TOKEN_LIFETIME", "OneKontoClient", "password_digest"]


# The documented lifetime of a login token; the login response carries no expiry of its own.
TOKEN_LIFETIME: Final = 24 * 60 * 60.0

_SHA256_HEX: Final = re.compile(r"[0-9a-fA-F]{64}")
# How many requests get_withdraw_request asks for: one when the server applies the id filter;
# when it ignores it, this many of them are searched before the answer is called unreadable.
_SEARCHED_WITHDRAW_REQUESTS: Final = 1000


_PROVIDER: Final = Provider(
    name=PROVIDER,
    map_error=map_onekonto_error,
    # 1Konto's 401 is an expired or unknown token; a 403 is not worth a new login.
    renews_on=lambda failure: failure.http_status == 401,
)


class OneKontoClient(
    ClientShell,
    AccountMethods,
    MarketDataMethods,
    OrderMethods,
    OneKontoLifecycle,
    OrderLifecycle,
):
    """A synchronous client for one 1Konto account.

    Logs in by itself (``POST /api/v1/{login_service}/jwt``) on first use, shares the token between
    threads, logs in again shortly before the token's 24 hours run out and once more if the server
    answers 401 (then repeats the call once). The password crosses the wire only as its SHA-256
    hex digest; pass ``password_is_prehashed=True`` to give that digest instead of the plaintext.

    Withdrawals, market and limit orders and quote acceptances move money: each is sent again
    only when it certainly never reached the server, and otherwise raises ``OutcomeUnknown``.

    ``timeout`` is (connect, read) seconds; an answer must arrive whole within both added
    together. ``pool_maxsize`` is how many connections per host the client keeps for threads
    sharing it (default 32); it sizes the session the client makes, so it cannot be given with
    your own ``session`` (size that session's adapter instead).
    """

    __module__ = "withdrawkit"  # shown as withdrawkit.OneKontoClient, where users import it from

    _provider = _PROVIDER

    def __init__(
        self,
        base_url: str,
        *,
        user: str,
        password: str,
        account_id: str,
        password_is_prehashed: bool = False,
        login_service: str = "identity",
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        max_retries: int = 2,
        user_agent: str | None = None,
        pool_maxsize: int | None = None,
    ) -> None:
        """A client of account ``account_id``, logging in as ``user``; nothing is sent yet.

        Args:
            base_url: the API's scheme and host (``"https://api.1konto.example"``), with a path
                prefix if your deployment has one. Required: there is no default host.
            user: the login name (an email address) 1Konto gave you.
            password: the plaintext password; only its SHA-256 hex digest is ever sent, and it
                never appears in ``repr()``, logs or exception text.
            account_id: the account every call acts on (``account_id`` property).
            password_is_prehashed: ``True`` when ``password`` already is the 64-digit hex
                SHA-256 digest (a digest kept in a secrets store). Default ``False``.
            login_service: the service segment of the login path,
                ``POST /api/v1/{login_service}/jwt``. Default ``'identity'``.
            timeout: ``(connect_seconds, read_seconds)``, both finite and positive. The connect
                timeout bounds opening the connection; the read timeout bounds each wait for
                data, and their sum bounds the whole answer. Default ``(5.0, 30.0)``.
            session: your own ``requests.Session`` (proxies, certificates, adapters, headers);
                ``close()`` leaves it open. Its adapters' urllib3 retries are switched off for
                requests that move money. Default ``None``: the client makes and closes its own.
            max_retries: how many times a failed read, login or token request is sent again
                (connection error, timeout, 429, 502/503/504), with backoff; 0 to 10. A request
                that moves money is re-sent only when it certainly never reached the server.
                Default ``2``.
            user_agent: your application's product token (``"payouts/2.1"``), sent first in the
                User-Agent, before one set on your session and withdrawkit's own. Default
                ``None``.
            pool_maxsize: how many connections per host the client's own session keeps open,
                1 to 1024, enough for as many threads sharing the client; refused with
                ``session=`` (size your session's ``HTTPAdapter`` instead). Default ``None``:
                32.

        Raises ``InvalidArgument`` for a bad value (a ``base_url`` without a scheme, a blank
        credential, ``max_retries=-1``) and ``TypeError`` for a wrong type; nothing is sent until
        the first call.
        """
        self._user = required_text(user, name="user")
        self._password_digest = Secret(password_digest(password, prehashed=password_is_prehashed))
        self._account_id = required_text(account_id, name="account_id")
        self._login_path = f"/api/v1/{path_segment(login_service)}/jwt"
        super().__init__(
            base_url,
            timeout=timeout,
            session=session,
            max_retries=max_retries,
            user_agent=user_agent,
            pool_maxsize=pool_maxsize,
        )

    @property
    def account_id(self) -> str:
        """The 1Konto account every call of this client acts on."""
        return self._account_id

    @property
    def _withdraw_requests_path(self) -> str:
        return f"{self._account_path}/request/withdraw"

    # -- withdrawals ------------------------------------------------------------------------------

    def request_withdraw_blockchain(
        self,
        amount: Amount | str,
        *,
        network: str | None = None,
        address: str | None = None,
        instructions: Sequence[str] | None = None,
    ) -> WithdrawRequestReceipt:
        """Withdraw a digital asset (``"1 BTC"``) to a wallet whitelisted with 1Konto.

        ``network`` and ``address`` may be left out when the whitelist identifies the wallet.
        A zero or negative amount raises ``ValidationFailed`` before anything is sent.
        """
        body = models.WithdrawBlockchainRequest(
            amount=withdrawal_amount(amount, provider=PROVIDER),
            network=network,
            address=address,
            instructions=string_list(instructions, name="instructions"),
        )
        destination = {"network": network, "address": address}
        return self._request_withdraw("blockchain", body, destination)

    def request_withdraw_fiat(
        self,
        amount: Amount | str,
        *,
        type: str,
        routing_number: str | None = None,
        account_number: str | None = None,
        instructions: Sequence[str] | None = None,
    ) -> WithdrawRequestReceipt:
        """Withdraw fiat (``"100 USD"``) to a whitelisted bank account by method ``type``.

        ``type`` is sent as given: ``"fedwire"``, ``"ach"``, ``"rtp"``... (the documented list is
        known to be incomplete).

        A zero or negative amount raises ``ValidationFailed`` before anything is sent.
        """
        body = models.WithdrawFiatRequest(
            amount=withdrawal_amount(amount, provider=PROVIDER),
            type=required_text(type, name="type"),
            routing_number=routing_number,
            account_number=account_number,
            instructions=string_list(instructions, name="instructions"),
        )
        destination = {
            "type": type,
            "routing_number": routing_number,
            "account_number": account_number,
        }
        return self._request_withdraw("fiat", body, destination)

    def _request_withdraw(
        self,
        kind: str,
        body: WithdrawBlockchainRequest | WithdrawFiatRequest,
        destination: Mapping[str, str | None],
    ) -> WithdrawRequestReceipt:
        """Send a withdraw request once (``kind`` is the path's last segment), remembering what
        was sent so that an unknown outcome can be reconciled."""
        operation = f"request_withdraw_{kind}"
        with remembered(
            operation,
            body.amount,
            destination,
            wall=self._clocks.wall,
            instructions=body.instructions,
        ):
            answer = self._api.request(
                "POST",
                f"{self._account_path}/request/withdraw/{kind}",
                json_body=unstructure(body),
                moves_money=True,
            )
        return read_response(
            answer, models.WithdrawRequestReceipt, operation=operation, accepted=True
        )

    def query_withdraw_requests(
        self,
        *,
        status: WithdrawRequestStatus | str | None = None,
        max: int | None = None,
        withdraw_request_id: str | None = None,
        network: str | None = None,
        type: str | None = None,
        amount: Amount | str | None = None,
    ) -> list[WithdrawRequest]:
        """The account's withdraw requests, filtered by whichever arguments are given.

        ``status`` is one of the documented ``WithdrawRequestStatus`` values (``"pending"``,
        ``"completed"``, ``"canceled"``, ``"rejected"``, ``"invalid"``), exactly as written; any
        other raises ``InvalidArgument`` rather than list nothing. ``max`` caps the count (the
        server's default is 100); there is no paging beyond it.
        ``amount`` (``"1.5 BTC"``) is sent as its text; the page is cut before saying how the
        server matches it.
        """
        if max is not None and (isinstance(max, bool) or not isinstance(max, int) or max < 1):
            raise InvalidArgument(f"max must be a positive int, got {max!r}")
        params = query(
            {
                "status": documented_value(status, models.WithdrawRequestStatus, name="status"),
                "max": max,
                "withdrawRequestId": withdraw_request_id,
                "network": network,
                "type": type,
                "amount": None if amount is None else str(asset_amount(amount)),
            }
        )
        answer = self._api.request("GET", self._withdraw_requests_path, params=params)
        return read_list(
            answer,
            bare=list[models.WithdrawRequest],
            keyed=models.WithdrawRequestList,
            items=lambda listed: listed.withdraw_requests,
            key="withdrawRequests",
            operation="query_withdraw_requests",
        )

    def get_withdraw_request(self, withdraw_request_id: str) -> WithdrawRequest:
        """One withdraw request by its id; ``NotFound`` when the account has none with it.

        1Konto has no endpoint for one request: this queries by ``withdrawRequestId`` and keeps
        the request with exactly that id. ``NotFound`` only when the answer lists nothing; an
        answer listing only other requests means the server ignored the filter, and is
        ``UnexpectedResponse`` (the request may exist beyond what was listed).
        """
        wanted = required_text(withdraw_request_id, name="withdraw_request_id")
        listed = self.query_withdraw_requests(
            withdraw_request_id=wanted, max=_SEARCHED_WITHDRAW_REQUESTS
        )
        for found in listed:
            if found.withdraw_request_id == wanted:
                return found
        if listed:
            raise unexpected(
                f"get_withdraw_request: the server ignored the withdrawRequestId filter: asked "
                f"for {wanted!r}, it listed {len(listed)} other request(s) and not that one, "
                "which does not tell whether it exists",
                [unstructure(found) for found in listed],
            )
        path = self._withdraw_requests_path
        raise NotFound(
            provider=PROVIDER,
            # The transport returns the bodies of 2xx answers only, and 1Konto answers its
            # queries 200 (the envelope's httpStatusCode).
            http_status=200,
            method="GET",
            path=path,
            messages=[f"GET {path} listed no withdraw request {wanted!r}"],
        )

    # -- plumbing ---------------------------------------------------------------------------------

    def _issue_token(self) -> IssuedToken:
        body = unstructure(models.LoginRequest(user=self._user, password=""))
        # Put in as a Secret, which the transport reveals only while writing the body.
        body["password"] = self._password_digest
        answer = self._transport.request(
            "POST", self._login_path, json_body=body, secret_response=True
        )
        token, _ = read_token_answer(
            answer, models.LoginResponse, wire_name="token", operation="login"
        )
        return IssuedToken(token, _lifetime_of(token, now=self._clocks.wall()))

    def _secret_values(self) -> tuple[Secret, ...]:
        return (self._password_digest,)

    def _repr_fields(self) -> dict[str, Any]:
        return {"account_id": self._account_id}


def password_digest(password: str, *, prehashed: bool) -> str:
    """What 1Konto expects in the login body: the lowercase hex SHA-256 of the password.

    With ``prehashed`` the caller already hashed it; anything but 64 hex digits is refused so a
    plaintext passed by mistake is never sent. Messages never include the password.
    """
    if not isinstance(password, str) or not password:
        raise InvalidArgument("password must be a non-empty string")
    if prehashed:
        if not _SHA256_HEX.fullmatch(password):
            raise InvalidArgument(
                "password_is_prehashed=True but the password is not a 64-digit hex SHA-256 digest"
            )
        return password.lower()
    return hashlib.sha256(password.encode("utf-8")).hexdigest()


def _lifetime_of(token: Secret, *, now: float) -> float:
    """Seconds the token stays valid: its ``exp`` claim when it has a future one, else 24 h.

    ``now`` is the wall clock (seconds since the epoch) when the token arrived. An ``exp`` already
    past by this machine's clock means the clocks disagree rather than that the server issued a
    dead token; the documented 24 h then applies, and a 401 still renews it.
    """
    expiry = jwt_expiry(token.reveal())
    if expiry is None:
        return TOKEN_LIFETIME
    remaining = expiry - now
    return remaining if remaining > 0 else TOKEN_LIFETIME
