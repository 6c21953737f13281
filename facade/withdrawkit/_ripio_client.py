"""``RipioClient``: crypto and fiat withdrawals on Ripio B2B (White Label / Crypto as a Service)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, Final

import requests

from withdrawkit._amount import Amount
from withdrawkit._arguments import (
    documented_value,
    path_segment,
    query,
    required_text,
    withdrawal_amount,
)
from withdrawkit._auth import IssuedToken, checked_token
from withdrawkit._client import ClientShell, Provider
from withdrawkit._conversion import unstructure
from withdrawkit._error_mapping import RIPIO as PROVIDER
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import AuthenticationFailed
from withdrawkit._pagination import Page, iterate_pages
from withdrawkit._response_reading import read_response
from withdrawkit._secrets import Secret
from withdrawkit._transport import DEFAULT_TIMEOUT
from withdrawkit_generated.ripio import (
    BeneficiaryFiatAccount,
    BeneficiaryFiatAccountStatus,
    FiatWithdrawal,
    FiatWithdrawalRequest,
    GrantType,
    TokenRequest,
    TokenResponse,
    Withdrawal,
    WithdrawalFee,
    WithdrawalFeeRequest,
    WithdrawalPage,
    WithdrawalRequest,
)

__all__ = ["NOT_AUTHENTICATED", "RipioClient"]


# Ripio's "not authenticated" error code; it arrives with HTTP 403, not 401.
NOT_AUTHENTICATED: Final = 40001

_log = logging.getLogger(__name__)


def _is_rejected_token(failure: AuthenticationFailed) -> bool:
    return failure.http_status == 401 or str(failure.code) == str(NOT_AUTHENTICATED)


_PROVIDER: Final = Provider(name=PROVIDER, map_error=map_ripio_error, renews_on=_is_rejected_token)


class RipioClient(ClientShell):
    """A synchronous client for one Ripio B2B partner (OAuth2 client credentials).

    Gets a token by itself (``POST /oauth2/token/``) on first use, shares it between threads,
    renews it shortly before ``expires_in`` runs out and once more if the server rejects it (401,
    or code 40001), then repeats the call once. Money comes back as ``Decimal`` and is sent as exact
    JSON numbers.

    ``timeout`` is (connect, read) seconds; an answer must arrive whole within both added
    together. ``pool_maxsize`` is how many connections per host the client keeps for threads
    sharing it (default 32); it sizes the session the client makes, so it cannot be given with
    your own ``session`` (size that session's adapter instead).
    """

    __module__ = "withdrawkit"  # shown as withdrawkit.RipioClient, where users import it from

    _provider = _PROVIDER

    def __init__(
        self,
        base_url: str,
        *,
        client_id: str,
        client_secret: str,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        max_retries: int = 2,
        user_agent: str | None = None,
        pool_maxsize: int | None = None,
    ) -> None:
        """A client of the Ripio B2B partner ``client_id``; nothing is sent yet.

        Args:
            base_url: the API's scheme and host: ``"https://sandbox-b2b.ripio.com"`` for the
                sandbox, the production host Ripio gives you otherwise. Required: there is no
                default host.
            client_id: the API key's client id (OAuth2 client credentials); shown by
                ``client_id`` and ``repr()``.
            client_secret: the API key's secret; it never appears in ``repr()``, logs or
                exception text.
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
        self._client_id = required_text(client_id, name="client_id")
        self._client_secret = Secret(required_text(client_secret, name="client_secret"))
        super().__init__(
            base_url,
            timeout=timeout,
            session=session,
            max_retries=max_retries,
            user_agent=user_agent,
            pool_maxsize=pool_maxsize,
        )

    @property
    def client_id(self) -> str:
        """The OAuth2 client id this client gets its tokens with."""
        return self._client_id

    # -- crypto withdrawals -----------------------------------------------------------------------

    def create_withdrawal_fee(
        self, amount: Amount | str, *, network: str, external_ref: str | None = None
    ) -> WithdrawalFee:
        """Hold the fee for withdrawing ``amount`` on ``network``, for create_withdrawal to use.

        The currency is the amount's asset. Holding a fee moves no money.
        """
        parsed = withdrawal_amount(amount, provider=PROVIDER)
        body = WithdrawalFeeRequest(
            currency=parsed.asset,
            network=required_text(network, name="network"),
            amount=parsed.value,
            external_ref=external_ref,
        )
        answer = self._api.request("POST", "/api/v1/withdrawal-fees/", json_body=unstructure(body))
        return read_response(answer, WithdrawalFee, operation="create_withdrawal_fee")

    def create_withdrawal(
        self,
        amount: Amount | str,
        *,
        end_user: str,
        address: str,
        network: str,
        external_ref: str | None = None,
        withdrawal_fee_id: str | None = None,
    ) -> Withdrawal:
        """Send ``amount`` (what the address receives; the fee is debited on top) to ``address``.

        The currency is the amount's asset; ``end_user`` is the end user's external_ref. If the
        request may or may not have reached Ripio, ``OutcomeUnknown`` is raised and nothing is
        re-sent: look the withdrawal up (by your ``external_ref``) before trying again.
        """
        parsed = withdrawal_amount(amount, provider=PROVIDER)
        body = WithdrawalRequest(
            end_user=required_text(end_user, name="end_user"),
            currency=parsed.asset,
            address=required_text(address, name="address"),
            network=required_text(network, name="network"),
            amount=parsed.value,
            external_ref=external_ref,
            withdrawal_fee_id=withdrawal_fee_id,
        )
        answer = self._api.request(
            "POST", "/api/v1/withdrawals/", json_body=unstructure(body), moves_money=True
        )
        return read_response(answer, Withdrawal, operation="create_withdrawal", accepted=True)

    def get_withdrawal(self, withdrawal_id: str) -> Withdrawal:
        """One crypto withdrawal by its ``id``."""
        path = f"/api/v1/withdrawals/{path_segment(withdrawal_id)}/"
        return read_response(self._api.request("GET", path), Withdrawal, operation="get_withdrawal")

    def list_withdrawals(self) -> Iterator[Withdrawal]:
        """Every withdrawal of the partner, page after page, fetched lazily as you iterate.

        Each page is requested from this client's base URL with ``page=N``; the server's ``next``
        link only says whether another page exists (its host has been ``http://localhost``).

        The walk is checked, so that not finding a withdrawal in it means it is not there: a
        withdrawal listed twice, a skipped or empty page, or more or fewer withdrawals than the
        server's ``count`` raise ``UnexpectedResponse`` (list again; rows may have shifted).
        """
        return iterate_pages(self._withdrawal_page, key=_withdrawal_id)

    def _withdrawal_page(self, number: int) -> Page[Withdrawal]:
        answer = self._api.request("GET", "/api/v1/withdrawals/", params={"page": str(number)})
        page = read_response(answer, WithdrawalPage, operation="list_withdrawals")
        return Page(page.results, page.next, page.count)

    # -- fiat withdrawals -------------------------------------------------------------------------

    def create_fiat_withdrawal(
        self,
        amount: Amount | str,
        *,
        end_user_id: str,
        beneficiary_fiat_account_id: str,
        external_ref: str | None = None,
    ) -> FiatWithdrawal:
        """Pay ``amount`` out to one of the end user's beneficiary fiat accounts.

        Ripio's request has no currency field: the beneficiary account's currency applies, so the
        amount's asset is not sent. Check it against ``list_beneficiary_fiat_accounts`` first; a
        withdrawal that comes back in another currency is logged as a warning.
        """
        parsed = withdrawal_amount(amount, provider=PROVIDER)
        body = FiatWithdrawalRequest(
            end_user_id=required_text(end_user_id, name="end_user_id"),
            amount=parsed.value,
            beneficiary_fiat_account_id=required_text(
                beneficiary_fiat_account_id, name="beneficiary_fiat_account_id"
            ),
            external_ref=external_ref,
        )
        answer = self._api.request(
            "POST", "/api/v1/fiat-withdrawals/", json_body=unstructure(body), moves_money=True
        )
        created = read_response(
            answer, FiatWithdrawal, operation="create_fiat_withdrawal", accepted=True
        )
        if created.currency_code != parsed.asset:
            _log.warning(
                "fiat withdrawal %s was created in %s, but the amount asked for was %s",
                created.id,
                created.currency_code,
                parsed,
            )
        return created

    def list_beneficiary_fiat_accounts(
        self,
        end_user_id: str,
        *,
        status: BeneficiaryFiatAccountStatus | str | None = None,
        payment_method_type: str | None = None,
    ) -> list[BeneficiaryFiatAccount]:
        """The end user's fiat accounts that fiat withdrawals can pay out to.

        ``status`` is one of the documented ``BeneficiaryFiatAccountStatus`` values
        (``"ENABLED"``, ``"PROCESSING"``, ``"DISABLED"``, ``"SUSPENDED"``), exactly as written;
        any other raises ``InvalidArgument`` rather than list nothing.
        """
        path = f"/api/v1/end-users/{path_segment(end_user_id)}/beneficiary-fiat-accounts/"
        params = query(
            {
                "status": documented_value(status, BeneficiaryFiatAccountStatus, name="status"),
                "payment_method_type": payment_method_type,
            }
        )
        answer = self._api.request("GET", path, params=params)
        return read_response(
            answer, list[BeneficiaryFiatAccount], operation="list_beneficiary_fiat_accounts"
        )

    # -- plumbing ---------------------------------------------------------------------------------

    def _issue_token(self) -> IssuedToken:
        form = unstructure(
            TokenRequest(
                grant_type=GrantType("client_credentials"),
                client_id=self._client_id,
                client_secret="",
            )
        )
        # Put in as a Secret, which the transport reveals only while encoding the form.
        form["client_secret"] = self._client_secret
        answer = self._transport.request("POST", "/oauth2/token/", form=form, secret_response=True)
        issued = read_response(answer, TokenResponse, operation="get access token", secret=True)
        token = checked_token(issued.access_token, answer, operation="get access token")
        return IssuedToken(token, float(issued.expires_in))

    def _secret_values(self) -> tuple[Secret, ...]:
        return (self._client_secret,)

    def _repr_fields(self) -> dict[str, Any]:
        return {"client_id": self._client_id}


def _withdrawal_id(withdrawal: Withdrawal) -> str:
    return withdrawal.id
