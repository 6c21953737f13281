"""``RipioClient``: Ripio B2B (White Label / Crypto as a Service) for one partner.

The operations live in one module per group (``_ripio_withdrawals``, ``_ripio_fiat``,
``_ripio_end_users``, ``_ripio_market``); this module joins them, holds the credentials and
gets the OAuth2 token.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Final

import requests

from withdrawkit import _ripio_models as models
from withdrawkit._arguments import required_text
from withdrawkit._auth import DEFAULT_TOKEN_LIFETIME, IssuedToken
from withdrawkit._client import ClientShell, Provider
from withdrawkit._conversion import unstructure
from withdrawkit._error_mapping import RIPIO as PROVIDER
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._exceptions import AuthenticationFailed
from withdrawkit._ripio_end_users import EndUsers
from withdrawkit._ripio_fiat import FiatMoney
from withdrawkit._ripio_fiat_lifecycle import FiatLifecycle
from withdrawkit._ripio_lifecycle import RipioLifecycle
from withdrawkit._ripio_market import MarketAndTransactions
from withdrawkit._ripio_withdrawals import CryptoWithdrawals
from withdrawkit._secrets import Secret
from withdrawkit._token_answers import read_token_answer
from withdrawkit._transport import DEFAULT_TIMEOUT

__all__ = ["NOT_AUTHENTICATED", "RipioClient"]


# Ripio's "not authenticated" error code; it arrives with HTTP 403, not 401.
NOT_AUTHENTICATED: Final = 40001

_LOGIN: Final = "get access token"


def _is_rejected_token(failure: AuthenticationFailed) -> bool:
    return failure.http_status == 401 or str(failure.code) == str(NOT_AUTHENTICATED)


_PROVIDER: Final = Provider(name=PROVIDER, map_error=map_ripio_error, renews_on=_is_rejected_token)


class RipioClient(
    CryptoWithdrawals,
    FiatMoney,
    EndUsers,
    MarketAndTransactions,
    RipioLifecycle,
    FiatLifecycle,
    ClientShell,
):
    """A synchronous client for one Ripio B2B partner (OAuth2 client credentials).

    Gets a token by itself (``POST /oauth2/token/``) on first use, shares it between threads,
    renews it shortly before ``expires_in`` runs out (after ``DEFAULT_TOKEN_LIFETIME``, an hour,
    when the server leaves ``expires_in`` out, as RFC 6749 allows) and once more if the server
    rejects it (401, or code 40001), then repeats the call once. Money comes back as ``Decimal``
    and is sent as exact JSON numbers. Every method names the end user ``end_user``.

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

    def _issue_token(self) -> IssuedToken:
        form = unstructure(
            models.TokenRequest(
                grant_type=models.GrantType("client_credentials"),
                client_id=self._client_id,
                client_secret="",
            )
        )
        # Put in as a Secret, which the transport reveals only while encoding the form.
        form["client_secret"] = self._client_secret
        answer = self._transport.request("POST", "/oauth2/token/", form=form, secret_response=True)
        token, issued = read_token_answer(
            answer,
            models.TokenResponse,
            wire_name="access_token",
            operation=_LOGIN,
            type_name="token_type",
        )
        return IssuedToken(token, _lifetime(issued.expires_in))

    def _secret_values(self) -> tuple[Secret, ...]:
        return (self._client_secret,)

    def _repr_fields(self) -> dict[str, Any]:
        return {"client_id": self._client_id}


def _lifetime(expires_in: Decimal | None) -> float:
    # RFC 6749 §5.1: expires_in is RECOMMENDED, not required; without it the documented default
    # applies (a rejected token is renewed once anyway).
    return DEFAULT_TOKEN_LIFETIME if expires_in is None else float(expires_in)
