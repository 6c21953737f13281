"""TokenCache and call_with_token: one login per expiry, shared by threads, renewed once on 401."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from tests.clocks import ManualClock
from withdrawkit._auth import (
    MAX_TOKEN_LIFETIME,
    IssuedToken,
    TokenCache,
    bearer_header,
    call_with_token,
)
from withdrawkit._exceptions import AuthenticationFailed, NotFound
from withdrawkit._secrets import Secret


class CountingLogin:
    """Hands out token-1, token-2, ... each valid for ``lifetime`` seconds."""

    def __init__(self, lifetime: float = 3600.0, *, delay: float = 0.0) -> None:
        self.lifetime = lifetime
        self.delay = delay
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self) -> IssuedToken:
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            self.calls += 1
            return IssuedToken(f"token-{self.calls}", self.lifetime)


def rejected(status: int = 401, code: int | None = None) -> AuthenticationFailed:
    return AuthenticationFailed(provider="test", http_status=status, code=code)


def test_first_call_logs_in_and_later_calls_reuse_the_token() -> None:
    login = CountingLogin()
    tokens = TokenCache(login, clock=ManualClock(1000.0))

    assert tokens.token().reveal() == "token-1"
    assert tokens.token().reveal() == "token-1"
    assert login.calls == 1


def test_token_is_renewed_margin_seconds_before_expiry() -> None:
    clock = ManualClock(1000.0)
    login = CountingLogin(lifetime=3600.0)
    tokens = TokenCache(login, renew_margin=300.0, clock=clock)
    tokens.token()

    clock.now += 3299.0
    assert tokens.token().reveal() == "token-1"
    clock.now += 1.0
    assert tokens.token().reveal() == "token-2"
    assert login.calls == 2


def test_lifetime_counts_from_when_the_login_was_sent() -> None:
    clock = ManualClock(1000.0)
    logins: list[float] = []

    def slow_login() -> IssuedToken:
        logins.append(clock.now)
        clock.now += 50.0  # the login itself takes 50 s
        return IssuedToken(f"token-{len(logins)}", 1000.0)

    tokens = TokenCache(slow_login, renew_margin=100.0, clock=clock)
    tokens.token()
    sent_at = logins[0]

    clock.now = sent_at + 899.0
    assert tokens.token().reveal() == "token-1"
    clock.now = sent_at + 900.0  # 1000 - 100 after sending, though only 850 after receipt
    assert tokens.token().reveal() == "token-2"


def test_short_lifetime_keeps_the_token_for_half_of_it_rather_than_not_at_all() -> None:
    clock = ManualClock(1000.0)
    login = CountingLogin(lifetime=60.0)
    tokens = TokenCache(login, renew_margin=300.0, clock=clock)
    tokens.token()

    clock.now += 29.0
    assert tokens.token().reveal() == "token-1"
    clock.now += 1.0
    assert tokens.token().reveal() == "token-2"


def test_sixteen_threads_sharing_one_cache_log_in_once() -> None:
    login = CountingLogin(delay=0.05)
    tokens = TokenCache(login)
    start = threading.Barrier(16)
    seen: list[str] = []

    def worker() -> None:
        start.wait()
        seen.append(tokens.token().reveal())

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert login.calls == 1
    assert seen == ["token-1"] * 16


def test_invalidating_the_current_token_makes_the_next_call_log_in() -> None:
    login = CountingLogin()
    tokens = TokenCache(login, clock=ManualClock(1000.0))
    tokens.token()

    tokens.invalidate(Secret("token-1"))

    assert tokens.token().reveal() == "token-2"
    assert login.calls == 2


def test_invalidating_a_token_that_was_already_replaced_keeps_the_new_one() -> None:
    login = CountingLogin()
    tokens = TokenCache(login, clock=ManualClock(1000.0))
    tokens.token()
    tokens.invalidate(Secret("token-1"))
    tokens.token()

    tokens.invalidate(Secret("token-1"))  # a late thread reporting the same rejection

    assert tokens.token().reveal() == "token-2"
    assert login.calls == 2


def test_threads_rejected_with_the_same_token_cause_a_single_login() -> None:
    login = CountingLogin(delay=0.01)
    tokens = TokenCache(login)
    stale = tokens.token()
    start = threading.Barrier(16)

    def worker() -> None:
        start.wait()
        tokens.invalidate(stale)
        tokens.token()

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert login.calls == 2


def test_a_failed_login_caches_nothing_and_the_next_call_tries_again() -> None:
    attempts: list[int] = []

    def flaky_login() -> IssuedToken:
        attempts.append(1)
        if len(attempts) == 1:
            raise rejected()
        return IssuedToken("good", 3600.0)

    tokens = TokenCache(flaky_login, clock=ManualClock(1000.0))
    with pytest.raises(AuthenticationFailed):
        tokens.token()
    assert tokens.token().reveal() == "good"
    assert len(attempts) == 2


def test_repr_never_shows_the_token() -> None:
    clock = ManualClock(1000.0)
    tokens = TokenCache(lambda: IssuedToken("s3cr3t-token", 3600.0), clock=clock)
    assert repr(tokens) == "<TokenCache: no token>"
    tokens.token()
    assert "s3cr3t-token" not in repr(tokens)
    assert "renews in 3300s" in repr(tokens)
    clock.now += 4000.0
    assert repr(tokens) == "<TokenCache: token due for renewal>"
    assert "s3cr3t-token" not in repr(IssuedToken("s3cr3t-token", 1.0))


def test_negative_margin_is_refused() -> None:
    with pytest.raises(ValueError, match="renew_margin"):
        TokenCache(CountingLogin(), renew_margin=-1.0)


def test_bearer_header() -> None:
    header = bearer_header(Secret("abc"))
    assert header == {"Authorization": Secret("Bearer abc")}
    assert repr(header) == "{'Authorization': Secret([REDACTED])}"


class RecordingSend:
    """Stands in for one HTTP call; raises the queued outcomes in order, then answers "ok"."""

    def __init__(self, *outcomes: Exception) -> None:
        self.outcomes = list(outcomes)
        self.tokens_used: list[str] = []

    def __call__(self, token: Secret) -> str:
        self.tokens_used.append(token.reveal())
        if self.outcomes:
            raise self.outcomes.pop(0)
        return "ok"


def always(_: AuthenticationFailed) -> bool:
    return True


def call(
    send: RecordingSend, login: CountingLogin, renews_on: Callable[[AuthenticationFailed], bool]
) -> str:
    return call_with_token(TokenCache(login, clock=ManualClock(1000.0)), send, renews_on=renews_on)


def test_call_with_token_sends_once_when_accepted() -> None:
    login, send = CountingLogin(), RecordingSend()
    assert call(send, login, always) == "ok"
    assert send.tokens_used == ["token-1"]
    assert login.calls == 1


def test_a_rejected_token_is_renewed_once_and_the_call_repeated_with_the_new_one() -> None:
    login, send = CountingLogin(), RecordingSend(rejected())
    assert call(send, login, always) == "ok"
    assert send.tokens_used == ["token-1", "token-2"]
    assert login.calls == 2


def test_a_second_rejection_is_raised_without_a_third_attempt() -> None:
    login, send = CountingLogin(), RecordingSend(rejected(), rejected())
    with pytest.raises(AuthenticationFailed):
        call(send, login, always)
    assert send.tokens_used == ["token-1", "token-2"]
    assert login.calls == 2


def test_an_authentication_failure_that_is_not_a_rejected_token_is_not_retried() -> None:
    login, send = CountingLogin(), RecordingSend(rejected(status=403))
    with pytest.raises(AuthenticationFailed):
        call(send, login, lambda failure: failure.http_status == 401)
    assert send.tokens_used == ["token-1"]
    assert login.calls == 1


def test_other_errors_pass_through_without_renewal() -> None:
    login, send = CountingLogin(), RecordingSend(NotFound(provider="test", http_status=404))
    with pytest.raises(NotFound):
        call(send, login, always)
    assert send.tokens_used == ["token-1"]
    assert login.calls == 1


@pytest.mark.parametrize(
    ("issued", "kept"),
    [
        (36000.0, 36000.0),
        (float("inf"), MAX_TOKEN_LIFETIME),
        (10.0**300, MAX_TOKEN_LIFETIME),
        (-5.0, 0.0),
        (float("nan"), 0.0),
    ],
)
def test_an_issuers_lifetime_is_bounded(issued: float, kept: float) -> None:
    assert IssuedToken("t", issued).lifetime == kept


def test_an_endless_token_is_still_renewed_within_a_day() -> None:
    now = [0.0]
    logins = []

    def log_in() -> IssuedToken:
        logins.append(now[0])
        return IssuedToken(f"token-{len(logins)}", float("inf"))

    cache = TokenCache(log_in, clock=lambda: now[0])
    assert cache.token().reveal() == "token-1"
    now[0] = MAX_TOKEN_LIFETIME
    assert cache.token().reveal() == "token-2"
