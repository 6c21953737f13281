"""A caller's session as a money-moving request sees it: copies of its adapters that urllib3
never re-sends from, so that only withdrawkit's own retry policy decides what is sent twice.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Final, TypeVar

import requests
import requests.adapters
from urllib3.util.retry import Retry

__all__ = ["shallow_copy", "without_adapter_retries"]

T = TypeVar("T")

# requests' own default for an HTTPAdapter: urllib3 re-sends nothing, whatever failed.
_NO_ADAPTER_RETRIES: Final = Retry(0, read=False)


def without_adapter_retries(session: requests.Session) -> requests.Session:
    """``session`` as it is, except that urllib3 never sends a request through it twice.

    Why: an ``HTTPAdapter``'s ``max_retries`` (a urllib3 ``Retry``) re-sends inside
    ``session.send()``, out of withdrawkit's sight. A ``Retry`` with ``allowed_methods=None``
    re-sends a POST after a read timeout or a dropped connection, and even the common
    ``HTTPAdapter(max_retries=3)``, whose default ``allowed_methods`` leaves POST out, re-sends
    any method after what urllib3 counts as an "other" error (TLS failing while the answer is
    read). Either is a withdrawal sent twice. So a money-moving request goes through copies of
    the session's adapters whose ``max_retries`` is requests' own default,
    ``Retry(0, read=False)``: urllib3 re-sends nothing, and withdrawkit's policy (re-send only
    what certainly never reached the server) decides alone.

    Copies, not changes and not a refusal: the caller's session may be in use by other
    threads, so setting ``max_retries`` on its adapters and back would race (and could leave a
    retrying adapter in place mid-withdrawal); refusing such sessions would refuse recipes that
    are fine for reads, and could not see an adapter mounted after the client was built. The
    copies are made for each money-moving request, so they always reflect the session as it is
    now. A copy shares everything else with its original: connection pools, TLS and proxy
    settings, its class and so any method it overrides; the session copy shares cookies,
    headers, auth and hooks. Adapters that are not ``HTTPAdapter`` have no urllib3 ``Retry``
    and are used as they are.
    """
    view = shallow_copy(session)
    view.adapters = OrderedDict(
        (prefix, _without_retries(adapter)) for prefix, adapter in session.adapters.items()
    )
    return view


def _without_retries(
    adapter: requests.adapters.BaseAdapter,
) -> requests.adapters.BaseAdapter:
    if not isinstance(adapter, requests.adapters.HTTPAdapter):
        return adapter
    clone = shallow_copy(adapter)
    clone.max_retries = _NO_ADAPTER_RETRIES
    return clone


def shallow_copy(original: T) -> T:
    """A new object of the same class sharing every attribute of ``original``.

    Not ``copy.copy``: HTTPAdapter's and Session's pickling hooks, which it would use, copy
    only the attributes requests knows about, and HTTPAdapter's builds new connection pools.
    """
    clone: T = object.__new__(type(original))
    vars(clone).update(vars(original))
    return clone
