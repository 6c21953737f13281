"""The settings a request takes from the environment (proxies, CA bundle), read once per change.

``requests.Session.request`` calls ``merge_environment_settings`` for every request, and so did
withdrawkit: it walks the whole process environment twice and sets and restores ``no_proxy``
(some 90 us a request with 35 variables, a fifth of a loopback call). An ``EnvironmentSettings``
gives the same answer and computes it again only when something it depends on changed: the
variables requests and urllib read for an ``http``/``https`` URL (``http_proxy``,
``https_proxy``, ``all_proxy`` and ``no_proxy`` in lower or upper case, ``REQUEST_METHOD``,
``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``), the session's ``trust_env``, ``proxies``,
``verify``, ``cert`` and ``stream``, and the URL's origin.

What it does not watch, and so sees only at the first request of an origin: a proxy variable
spelled in mixed case (``Https_Proxy``) and the system proxy settings that urllib reads on macOS
and Windows when no variable names a proxy. A session whose class or instance
replaces ``merge_environment_settings`` (``mock.patch.object`` included) is asked every time:
its answer may depend on anything. An answer is kept only when the watched state read after
it is the state read before it; a variable changed and put back while requests reads the
environment (microseconds) goes unseen, as it would by requests itself at that moment.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Final
from urllib.parse import urlsplit

import requests

__all__ = ["EnvironmentSettings"]

_WATCHED_VARIABLES: Final = (
    *("http_proxy", "https_proxy", "all_proxy", "no_proxy"),
    *("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"),
    *("REQUEST_METHOD", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"),
)


class EnvironmentSettings:
    """``session.merge_environment_settings(url, {}, None, None, None)``, remembered per origin
    until a watched variable or session setting changes. Safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[tuple[Any, ...], dict[str, Any]] = {}

    def of(self, session: requests.Session, url: str) -> dict[str, Any]:
        """The settings for a request to ``url``, a new dict the caller may change."""
        if not _is_stock_merge(session):
            return _merged(session, url)
        key = _key(session, url)
        with self._lock:
            known = self._known.get(key)
        if known is None:
            known = _merged(session, url)
            # The environment may have changed while it was read (another thread setting a
            # proxy and putting it back): stored under ``key``, that answer would outlive it.
            if _key(session, url) != key:
                return known
            with self._lock:
                # One origin, one environment at a time: nothing older is worth keeping.
                self._known = {key: known}
        return {**known, "proxies": dict(known["proxies"])}


_STOCK_MERGE: Final = requests.Session.merge_environment_settings


def _is_stock_merge(session: requests.Session) -> bool:
    """Whether ``session.merge_environment_settings`` is requests' own: neither its class nor
    the instance (an assignment, ``mock.patch.object``) replaced it."""
    bound = session.merge_environment_settings
    return getattr(bound, "__func__", None) is _STOCK_MERGE


def _merged(session: requests.Session, url: str) -> dict[str, Any]:
    return dict(session.merge_environment_settings(url, {}, None, None, None))


def _key(session: requests.Session, url: str) -> tuple[Any, ...]:
    parts = urlsplit(url)
    environ = os.environ
    return (
        parts.scheme,
        parts.netloc,
        session.trust_env,
        tuple(sorted(session.proxies.items())),
        _hashable(session.verify),
        _hashable(session.cert),
        session.stream,
        *(environ.get(name) for name in _WATCHED_VARIABLES),
    )


def _hashable(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value
