"""Connection pools whose sockets the exchange's deadline watch can shut down.

``WatchedAdapter`` is the ``HTTPAdapter`` a transport mounts on the session it makes: its
pools make connections that hand every socket they open or reuse to the running exchange's
``DeadlineWatch`` (``withdrawkit._deadline``), and it holds ``pool_maxsize`` connections per
host. ``SessionView`` does the same for a session the caller passed: reads and writes go through
copies of the caller's ``HTTPAdapter``s (their class, ``max_retries``, TLS and pool settings,
any method a subclass overrides) whose pools are watched; the caller's session and adapters
are left as they are. Only the pools differ: withdrawkit's requests keep their own connections
to the API. Adapters that are not ``HTTPAdapter``s, and pool classes a caller's adapter chose
itself, are used as they are; their answers are still cut off at the deadline between pieces
of the body, but not while the status line and headers arrive.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from typing import Any, Final

import requests
import requests.adapters
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.response import HTTPResponse

from withdrawkit._adapter_retries import shallow_copy
from withdrawkit._body_framing import FramedResponse
from withdrawkit._deadline import adopt_socket, release_socket

__all__ = ["SessionView", "WatchedAdapter", "watched_session"]


class _WatchedHTTPConnection(HTTPConnection):
    response_class = FramedResponse  # a body cut inside its framing is truncated

    def _new_conn(self) -> Any:
        sock = super()._new_conn()
        adopt_socket(sock)  # the TCP (and TLS) handshake and the request itself
        return sock

    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        adopt_socket(self.sock)  # a reused connection, or the socket TLS wrapped
        return super().getresponse()


class _WatchedHTTPSConnection(HTTPSConnection):
    response_class = FramedResponse

    def _new_conn(self) -> Any:
        sock = super()._new_conn()
        adopt_socket(sock)
        return sock

    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        adopt_socket(self.sock)
        return super().getresponse()


def _released(conn: HTTPConnection | None) -> None:
    if conn is not None:
        release_socket(conn.sock)


class _WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection

    def _put_conn(self, conn: Any) -> None:
        _released(conn)  # before another thread can take it from the pool
        super()._put_conn(conn)


class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection

    def _put_conn(self, conn: Any) -> None:
        _released(conn)
        super()._put_conn(conn)


_DEFAULT_POOL_CLASSES: Final = urllib3.PoolManager().pool_classes_by_scheme
_WATCHED_POOL_CLASSES: Final = {
    "http": _WatchedHTTPConnectionPool,
    "https": _WatchedHTTPSConnectionPool,
}


def _watch(manager: Any) -> Any:
    """``manager``'s pools made watched, unless it uses pool classes of its own (SOCKS)."""
    if getattr(manager, "pool_classes_by_scheme", None) == _DEFAULT_POOL_CLASSES:
        manager.pool_classes_by_scheme = _WATCHED_POOL_CLASSES
    return manager


class WatchedAdapter(requests.adapters.HTTPAdapter):
    """requests' ``HTTPAdapter`` with watched pools (and through proxies too)."""

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        _watch(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        return _watch(super().proxy_manager_for(proxy, **proxy_kwargs))


def watched_session(pool_maxsize: int) -> requests.Session:
    """A new session whose pools are watched and hold ``pool_maxsize`` connections per host."""
    session = requests.Session()
    for prefix in ("https://", "http://"):
        session.mount(prefix, WatchedAdapter(pool_maxsize=pool_maxsize))
    return session


def _watched_copy(adapter: requests.adapters.HTTPAdapter) -> requests.adapters.HTTPAdapter:
    """A copy of a caller's adapter sharing its settings, with pools of its own, watched:
    its pool manager is of the same class with the same pool settings (``source_address``,
    ``ssl_context``, ``socket_options``... whether given to ``init_poolmanager`` by a subclass
    or by a call of the caller's), and the proxy managers it makes are watched too."""
    clone = shallow_copy(adapter)
    clone.proxy_manager = {}
    original = adapter.poolmanager
    pools = vars(adapter)["_pool_connections"]  # requests keeps it private; the copy needs it
    clone.poolmanager = _watch(type(original)(num_pools=pools, **original.connection_pool_kw))
    make_proxy_manager = clone.proxy_manager_for  # the adapter's own, bound to the copy
    vars(clone)["proxy_manager_for"] = lambda proxy, **options: _watch(
        make_proxy_manager(proxy, **options)
    )
    return clone


class SessionView:
    """A caller's session as withdrawkit sends through it: its adapters' watched copies.

    The copies are made once per adapter (and again for an adapter mounted later) and closed
    by ``close()``; the view of the session is made per request, so it reflects the session
    as it is now (its headers, cookies, hooks and mounts).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._copies: weakref.WeakKeyDictionary[
            requests.adapters.BaseAdapter, requests.adapters.HTTPAdapter | None
        ] = weakref.WeakKeyDictionary()

    def of(self, session: requests.Session) -> requests.Session:
        view = shallow_copy(session)
        view.adapters = OrderedDict(
            (prefix, self._copy_of(adapter)) for prefix, adapter in session.adapters.items()
        )
        return view

    def _copy_of(self, adapter: requests.adapters.BaseAdapter) -> requests.adapters.BaseAdapter:
        if not isinstance(adapter, requests.adapters.HTTPAdapter) or isinstance(
            adapter, WatchedAdapter
        ):
            return adapter
        with self._lock:
            if adapter not in self._copies:
                try:
                    self._copies[adapter] = _watched_copy(adapter)
                except (TypeError, AttributeError, KeyError):
                    # An adapter built unlike requests' own: used as it is, and the deadline
                    # is then checked between pieces of the body only.
                    self._copies[adapter] = None
            copy = self._copies[adapter]
        return adapter if copy is None else copy

    def close(self) -> None:
        with self._lock:
            copies = list(self._copies.values())
            self._copies.clear()
        for copy in copies:
            if copy is not None:
                copy.close()
