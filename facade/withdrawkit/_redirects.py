"""Which redirects a transport follows: same-origin ones, for reads only.

A redirect to another origin (scheme, host or port) is never followed, for any method: its
answer would come from a server the client was not configured for, and a read believed from
there (a withdrawal "not found", an empty list) is what would make a reconciliation conclude a
withdrawal is absent. Writes are never followed either (a 301/302 would be re-sent as a GET
without its body, a 307/308 would send the same write a second time, to another address); a 303
to a write means the server accepted it and points at the result.
A loop ends after the session's ``max_redirects`` (requests' 30) with ``TooManyRedirects``.

The origin is read from the URL as requests prepares it and urllib3 parses it (the address it
will connect to), not with ``urllib.parse``: the two disagree on authorities such as
``http://evil:81\\@api:443/``, where ``urlsplit`` sees host ``api`` and urllib3 connects to
``evil:81``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final
from urllib.parse import urljoin

import requests
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from withdrawkit._redaction import redact_url

__all__ = [
    "FOLLOWED_STATUSES",
    "READ_METHODS",
    "redirect_target",
    "same_origin",
    "send_following_redirects",
]

logger = logging.getLogger("withdrawkit._transport")

# Methods whose redirects are followed (same origin only): they change nothing on the server.
READ_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
FOLLOWED_STATUSES: Final = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS: Final = {"http": 80, "https": 443}


def redirect_target(response: requests.Response) -> str | None:
    """The absolute URL a 3xx answer points to, or None if it names none."""
    location = response.headers.get("Location", "").strip()
    if not location or not 300 <= response.status_code <= 399:
        return None
    return urljoin(response.url or "", location)


def same_origin(first: str, second: str) -> bool:
    """Whether requests would send both URLs to the same scheme, host and port (RFC 6454's
    origin); a URL requests cannot send matches nothing."""
    origin = _origin(first)
    return origin is not None and origin == _origin(second)


def _origin(url: str) -> tuple[str, str, int | None] | None:
    prepared = requests.PreparedRequest()
    try:
        prepared.prepare_url(url, None)  # IDNA-encodes the host and percent-encodes the rest
        parts = parse_url(prepared.url or "")  # what urllib3's pool manager connects to
    except (requests.exceptions.RequestException, LocationParseError, ValueError):
        return None
    scheme = (parts.scheme or "").lower()
    return (scheme, (parts.host or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme))


def send_following_redirects(
    send: Callable[[requests.PreparedRequest], requests.Response],
    prepared: requests.PreparedRequest,
    *,
    max_redirects: int,
    shown_url: str,
) -> requests.Response:
    """``send(prepared)``, then each same-origin redirect of a read, up to ``max_redirects``;
    the first answer that is not one is returned (a redirect refused included), unread."""
    followed = 0
    while True:
        response = send(prepared)
        target = redirect_target(response)
        if (
            prepared.method not in READ_METHODS
            or response.status_code not in FOLLOWED_STATUSES
            or target is None
            or not same_origin(target, prepared.url or "")
        ):
            return response
        response.close()  # its body is not read: the connection is not reused
        if followed >= max_redirects:
            raise requests.exceptions.TooManyRedirects(
                f"Exceeded {max_redirects} redirects.", response=response
            )
        followed += 1
        logger.debug("%s %s redirected to %s", prepared.method, shown_url, redact_url(target))
        prepared = prepared.copy()
        prepared.prepare_url(target, None)
