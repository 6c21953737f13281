"""Bearer tokens shared by every thread that uses one client.

A ``TokenCache`` logs in once, however many threads ask at the same moment, keeps the token
until shortly before it expires, and forgets it when the server rejects it so that the next
caller logs in again. ``call_with_token`` is the one place a rejected token is renewed and the
request repeated, once; ``AuthorizedTransport`` applies it to every request of a client.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeVar

import attrs

from withdrawkit._exceptions import AuthenticationFailed
from withdrawkit._response_reading import unexpected
from withdrawkit._root_error import InvalidArgument
from withdrawkit._transport import Transport

__all__ = [
    "DEFAULT_RENEW_MARGIN",
    "MAX_TOKEN_LIFETIME",
    "AuthorizedTransport",
    "IssuedToken",
    "TokenCache",
    "bearer_header",
    "call_with_token",
    "checked_token",
]

T = TypeVar("T")

# Renew this many seconds before the issuer's expiry, so a request sent just before expiry does
# not arrive just after it (clock skew, slow networks, a queue in front of the API).
DEFAULT_RENEW_MARGIN: Final = 300.0

# RFC 6750's b64token: all that may follow "Bearer " in an Authorization header. Anything else
# (CR/LF, spaces, non-ASCII) would break or split the header of every later request.
_BEARER_TOKEN: Final = re.compile(r"[A-Za-z0-9\-._~+/]+=*")

# The longest a token is kept whatever the issuer says: an absurd or infinite expires_in must
# not pin one token forever (only a 401 would then replace it). Both vendors document less.
MAX_TOKEN_LIFETIME: Final = 24 * 60 * 60.0


def _bounded_lifetime(seconds: float) -> float:
    """The issuer's lifetime within [0, MAX_TOKEN_LIFETIME]; NaN counts as already expired."""
    seconds = float(seconds)
    return 0.0 if math.isnan(seconds) else min(max(seconds, 0.0), MAX_TOKEN_LIFETIME)


@attrs.frozen
class IssuedToken:
    """A token as the issuer handed it out: its text and how long it stays valid from receipt.

    The lifetime is bounded to ``MAX_TOKEN_LIFETIME`` (and to zero below).
    """

    value: str = attrs.field(repr=False)
    lifetime: float = attrs.field(converter=_bounded_lifetime)


@attrs.frozen
class _HeldToken:
    value: str = attrs.field(repr=False)
    renew_at: float


class TokenCache:
    """One bearer token per client, fetched under a lock and renewed before it expires.

    ``fetch`` logs in and returns an ``IssuedToken``. ``clock`` is a monotonic clock in seconds;
    lifetimes are measured from the moment the login request was sent, so a slow login never
    makes a token look younger than it is.
    """

    def __init__(
        self,
        fetch: Callable[[], IssuedToken],
        *,
        renew_margin: float = DEFAULT_RENEW_MARGIN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if renew_margin < 0:
            raise InvalidArgument(f"renew_margin must not be negative, got {renew_margin!r}")
        self._fetch = fetch
        self._renew_margin = renew_margin
        self._clock = clock
        self._lock = threading.Lock()
        # Replaced whole, never mutated: a reader outside the lock sees an old or a new token,
        # never half of one.
        self._held: _HeldToken | None = None

    def token(self) -> str:
        """The current token, logging in first if there is none or it is about to expire."""
        held = self._held
        if held is not None and self._clock() < held.renew_at:
            return held.value
        with self._lock:
            held = self._held
            if held is not None and self._clock() < held.renew_at:
                return held.value
            sent_at = self._clock()
            issued = self._fetch()
            held = _HeldToken(issued.value, sent_at + self._usable_for(issued.lifetime))
            self._held = held
            return held.value

    def invalidate(self, token: str) -> None:
        """Forget ``token`` because the server rejected it.

        Only when it is still the current one: threads that all saw the same token rejected
        then cause one login between them, not one each.
        """
        with self._lock:
            if self._held is not None and self._held.value == token:
                self._held = None

    def _usable_for(self, lifetime: float) -> float:
        # A lifetime shorter than twice the margin would leave the token no use at all; keep
        # it for half its life instead.
        return max(lifetime - self._renew_margin, lifetime / 2, 0.0)

    def __repr__(self) -> str:
        held = self._held
        if held is None:
            return "<TokenCache: no token>"
        remaining = held.renew_at - self._clock()
        if remaining <= 0:
            return "<TokenCache: token due for renewal>"
        return f"<TokenCache: token held, renews in {remaining:.0f}s>"


def checked_token(token: object, answer: Any, *, operation: str) -> str:
    """``token`` from a login answer (decoded body ``answer``), if it can be sent as a bearer token.

    An empty token or one with characters RFC 6750 does not allow raises ``UnexpectedResponse``
    at login, before it is cached; the exception shows neither the token nor the answer's values.
    """
    if not isinstance(token, str) or not _BEARER_TOKEN.fullmatch(token):
        raise unexpected(
            f"{operation}: the token is empty or has characters a bearer token cannot have "
            "(RFC 6750); it was not used",
            answer,
            secret=True,
        )
    return token


def bearer_header(token: str) -> dict[str, str]:
    """The ``Authorization`` header both providers expect."""
    return {"Authorization": f"Bearer {token}"}


def call_with_token(
    tokens: TokenCache,
    send: Callable[[str], T],
    *,
    renews_on: Callable[[AuthenticationFailed], bool],
) -> T:
    """``send(token)``; if the server rejects the token, log in again and repeat once.

    A rejected token means the server did not act on the request, so repeating it is safe even
    when it moves money. ``renews_on`` tells a rejected token (worth a new login) from other
    authentication failures (forbidden, bad credentials), which are raised as they are. A second
    rejection is raised to the caller.
    """
    token = tokens.token()
    try:
        return send(token)
    except AuthenticationFailed as rejection:
        if not renews_on(rejection):
            raise
        tokens.invalidate(token)
    return send(tokens.token())


class AuthorizedTransport:
    """Sends each request through ``transport`` with the current token of ``tokens``.

    ``renews_on`` tells which ``AuthenticationFailed`` means "this token is no good" for the
    provider; such a rejection renews the token and repeats the request once.
    """

    def __init__(
        self,
        transport: Transport,
        tokens: TokenCache,
        *,
        renews_on: Callable[[AuthenticationFailed], bool],
    ) -> None:
        self._transport = transport
        self._tokens = tokens
        self._renews_on = renews_on

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        json_body: object = None,
        moves_money: bool = False,
        reference: str | None = None,
    ) -> Any:
        """``Transport.request`` with ``Authorization: Bearer <token>`` added."""

        def send(token: str) -> Any:
            return self._transport.request(
                method,
                path,
                params=params,
                json_body=json_body,
                headers=bearer_header(token),
                moves_money=moves_money,
                reference=reference,
            )

        return call_with_token(self._tokens, send, renews_on=self._renews_on)
