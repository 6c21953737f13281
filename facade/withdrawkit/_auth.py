"""Bearer tokens shared by every thread that uses one client.

A ``TokenCache`` logs in once, however many threads ask at the same moment, keeps the token
until shortly before it expires, and forgets it when the server rejects it so that the next
caller logs in again. A login that fails is shared too: the threads that were already waiting
on it get the same failure (for up to ``FAILED_LOGIN_SHARED_FOR`` seconds) instead of each
logging in again in turn (under an outage, 32 threads would otherwise queue 32 logins one
after another); a call that starts after the failure tries again. Tokens are held as
``Secret``s, so no frame's locals show one. ``call_with_token`` is the one place a
rejected token is renewed and the request repeated, once; ``AuthorizedTransport`` applies
it to every request of a client.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple, TypeVar

from withdrawkit._exceptions import AuthenticationFailed
from withdrawkit._root_error import InvalidArgument, WithdrawKitError
from withdrawkit._secrets import Secret
from withdrawkit._transport import Transport

__all__ = [
    "DEFAULT_RENEW_MARGIN",
    "DEFAULT_TOKEN_LIFETIME",
    "FAILED_LOGIN_SHARED_FOR",
    "MAX_TOKEN_LIFETIME",
    "AuthorizedTransport",
    "IssuedToken",
    "TokenCache",
    "bearer_header",
    "call_with_token",
]

T = TypeVar("T")

# Renew this many seconds before the issuer's expiry, so a request sent just before expiry does
# not arrive just after it (clock skew, slow networks, a queue in front of the API).
DEFAULT_RENEW_MARGIN: Final = 300.0

# How long a token is kept when the issuer leaves out expires_in, which RFC 6749 §5.1 only
# RECOMMENDS. An hour: shorter than the lifetimes both vendors show (Ripio's example: 10 h), so a
# token is renewed early rather than sent after it expired.
DEFAULT_TOKEN_LIFETIME: Final = 3600.0

# The longest a token is kept whatever the issuer says: an absurd or infinite expires_in must
# not pin one token forever (only a 401 would then replace it). Both vendors document less.
MAX_TOKEN_LIFETIME: Final = 24 * 60 * 60.0

# How long a failed login answers for every caller: long enough for the threads queued behind
# it, short enough that the next call after an outage tries again.
FAILED_LOGIN_SHARED_FOR: Final = 1.0


def _bounded_lifetime(seconds: float) -> float:
    """The issuer's lifetime within [0, MAX_TOKEN_LIFETIME]; NaN counts as already expired."""
    seconds = float(seconds)
    return 0.0 if math.isnan(seconds) else min(max(seconds, 0.0), MAX_TOKEN_LIFETIME)


def _as_secret(value: str | Secret) -> Secret:
    return value if isinstance(value, Secret) else Secret(value)


class _IssuedTokenFields(NamedTuple):
    value: Secret
    lifetime: float


class IssuedToken(_IssuedTokenFields):
    """A token as the issuer handed it out: its text and how long it stays valid from receipt.

    The text is held as a ``Secret``; the lifetime is bounded to ``MAX_TOKEN_LIFETIME`` (and
    to zero below). A named tuple, not an attrs class: every client builds one, and
    constructing a client does not import attrs.
    """

    __slots__ = ()

    def __new__(cls, value: str | Secret, lifetime: float) -> IssuedToken:
        return super().__new__(cls, _as_secret(value), _bounded_lifetime(lifetime))


class _HeldToken(NamedTuple):
    value: Secret
    renew_at: float


class _FailedLogin(NamedTuple):
    error: WithdrawKitError
    until: float
    number: int

    def raised_again(self) -> WithdrawKitError:
        """A copy of the failure for another thread (an exception object is raised by one
        thread at a time: its traceback is its own), chained to the original."""
        try:
            again = copy.copy(self.error)
        except Exception:  # noqa: BLE001 - an exception that cannot be copied is shared
            return self.error
        again.__cause__ = self.error
        return again


class TokenCache:
    """One bearer token per client, fetched under a lock and renewed before it expires.

    ``fetch`` logs in and returns an ``IssuedToken``. ``clock`` is a monotonic clock in seconds;
    lifetimes are measured from the moment the login request was sent, so a slow login never
    makes a token look younger than it is. A login that fails with a ``WithdrawKitError`` is
    raised (as a copy) to the callers that were waiting for it, without logging in again, for
    ``failure_shared_for`` seconds.
    """

    def __init__(
        self,
        fetch: Callable[[], IssuedToken],
        *,
        renew_margin: float = DEFAULT_RENEW_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        failure_shared_for: float = FAILED_LOGIN_SHARED_FOR,
    ) -> None:
        if renew_margin < 0:
            raise InvalidArgument(f"renew_margin must not be negative, got {renew_margin!r}")
        self._fetch = fetch
        self._renew_margin = renew_margin
        self._clock = clock
        self._failure_shared_for = failure_shared_for
        self._failed: _FailedLogin | None = None
        self._failures = 0  # failed logins so far: tells a waiting caller from a later one
        self._lock = threading.Lock()
        # Replaced whole, never mutated: a reader outside the lock sees an old or a new token,
        # never half of one.
        self._held: _HeldToken | None = None

    def token(self) -> Secret:
        """The current token, logging in first if there is none or it is about to expire."""
        failures_seen = self._failures
        held = self._held
        if held is not None and self._clock() < held.renew_at:
            return held.value
        with self._lock:
            held = self._held
            if held is not None and self._clock() < held.renew_at:
                return held.value
            failed = self._failed
            if (
                failed is not None
                and failed.number > failures_seen
                and self._clock() < failed.until
            ):
                raise failed.raised_again()
            sent_at = self._clock()
            try:
                issued = self._fetch()
            except WithdrawKitError as error:
                self._failures += 1
                until = self._clock() + self._failure_shared_for
                self._failed = _FailedLogin(error, until, self._failures)
                raise
            self._failed = None
            held = _HeldToken(issued.value, sent_at + self._usable_for(issued.lifetime))
            self._held = held
            return held.value

    def current(self) -> Secret | None:
        """The token held now, if any (without logging in)."""
        held = self._held
        return None if held is None else held.value

    def invalidate(self, token: Secret) -> None:
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


def bearer_header(token: Secret) -> dict[str, str | Secret]:
    """The ``Authorization`` header both providers expect, its value still a ``Secret``."""
    return {"Authorization": Secret(f"Bearer {token.reveal()}")}


def call_with_token(
    tokens: TokenCache,
    send: Callable[[Secret], T],
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
        decode: Callable[[bytes], Any] | None = None,
    ) -> Any:
        """``Transport.request`` with ``Authorization: Bearer <token>`` added."""

        def send(token: Secret) -> Any:
            return self._transport.request(
                method,
                path,
                params=params,
                json_body=json_body,
                headers=bearer_header(token),
                moves_money=moves_money,
                reference=reference,
                decode=decode,
            )

        return call_with_token(self._tokens, send, renews_on=self._renews_on)
