"""``ClientShell``: what every provider's client is built on.

A provider is described by a ``Provider`` row (its name, its error table, which authentication
failure means "log in again") and a token function, ``_issue_token``. The shell wires the one
``Transport`` of the client to a thread-safe ``TokenCache`` through an ``AuthorizedTransport``
and owns the client's life: ``base_url``, ``close()`` and the context manager. While a
request runs, the client's secrets (``_secret_values`` and the current token) are masked in
whatever the server's answer puts into exceptions and logs.
"""

from __future__ import annotations

import abc
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, NamedTuple, TypeVar

import requests

from withdrawkit._auth import AuthorizedTransport, IssuedToken, TokenCache
from withdrawkit._error_mapping import ErrorResponse
from withdrawkit._exceptions import APIError, AuthenticationFailed
from withdrawkit._secrets import Secret
from withdrawkit._transport import DEFAULT_TIMEOUT, Transport

__all__ = ["SYSTEM_CLOCKS", "ClientShell", "Clocks", "Provider"]

Self = TypeVar("Self", bound="ClientShell")


class Clocks(NamedTuple):
    """The time sources of a client: token lifetimes, a JWT's ``exp``, and waits.

    Every client uses ``SYSTEM_CLOCKS``; a test that must move time by hand replaces a client's
    ``_clocks`` attribute (``client._clocks._replace(sleep=...)``), so the public constructors
    carry no test hooks. The shell's private rows are named tuples rather than attrs classes:
    constructing a client then never imports attrs (``nox -s bench`` measures the import).
    """

    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep


SYSTEM_CLOCKS = Clocks()


class Provider(NamedTuple):
    """What tells one provider's API from another's, as far as the shell is concerned."""

    name: str
    map_error: Callable[[ErrorResponse], APIError]
    renews_on: Callable[[AuthenticationFailed], bool]


class ClientShell(abc.ABC):
    """A client of one provider account: a transport, a shared token, a context manager.

    Subclasses set ``_provider``, implement ``_issue_token`` (log in, return the token and its
    lifetime) and call the provider's operations through ``self._api`` (requests with the
    bearer token) or ``self._transport`` (requests without one, such as the login itself).
    Subclasses hold their credentials as ``Secret``s and name them in ``_secret_values``.
    """

    _provider: Provider
    _clocks: Clocks = SYSTEM_CLOCKS

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not isinstance(getattr(cls, "_provider", None), Provider):
            raise TypeError(f"{cls.__name__} must set _provider to a Provider")

    def __init__(
        self,
        base_url: str,
        *,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        max_retries: int = 2,
        user_agent: str | None = None,
        pool_maxsize: int | None = None,
    ) -> None:
        self._tokens = TokenCache(self._issue_token, clock=self._monotonic)
        self._transport = Transport(
            base_url,
            provider=self._provider.name,
            map_error=self._provider.map_error,
            timeout=timeout,
            session=session,
            max_retries=max_retries,
            user_agent=user_agent,
            sleep=self._sleep,
            pool_maxsize=pool_maxsize,
            known_secrets=self._known_secrets,
        )
        self._api = AuthorizedTransport(
            self._transport, self._tokens, renews_on=self._provider.renews_on
        )

    @property
    def base_url(self) -> str:
        """The base URL every request goes to, without a trailing slash."""
        return self._transport.base_url

    @abc.abstractmethod
    def _issue_token(self) -> IssuedToken:
        """Log in and return the bearer token with its lifetime."""

    def _secret_values(self) -> tuple[Secret, ...]:
        """The credentials the client was given, as sent (a password digest, a client secret)."""
        return ()

    def _known_secrets(self) -> Iterator[Secret]:
        yield from self._secret_values()
        token = self._tokens.current()
        if token is not None:
            yield token

    def _repr_fields(self) -> dict[str, Any]:
        """What ``repr()`` shows beyond the base URL; never a secret."""
        return {}

    # Read through the instance at call time, so that replacing ``_clocks`` takes effect.
    def _monotonic(self) -> float:
        return self._clocks.monotonic()

    def _sleep(self, seconds: float) -> None:
        self._clocks.sleep(seconds)

    def close(self) -> None:
        """Close the HTTP session the client created; a ``session`` you passed in stays open."""
        self._transport.close()

    def __enter__(self: Self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        fields = {"base_url": self.base_url, **self._repr_fields()}
        shown = ", ".join(f"{name}={value!r}" for name, value in fields.items())
        return f"{type(self).__name__}({shown})"
