"""One exchange: send a prepared request once and read its whole answer before the deadline.

Every answer is read whole under two limits: an overall deadline, the connect and read
timeouts added together (``timeout=(5, 30)``: 35 s), measured from the moment the request is
sent to the last byte of the answer (status line, headers, ``100 Continue`` lines, body and
chunk framing alike); and a size cap (``MAX_RESPONSE_BYTES``, 10 MiB of decoded body). The read
timeout alone bounds each wait for the next bytes, so a server trickling a byte at a time
could otherwise hold a call for ever: the connections withdrawkit's pools make are shut down
by a watchdog at the deadline (``withdrawkit._deadline``, ``withdrawkit._watched_pools``), and
the body is also checked against the deadline between pieces (``withdrawkit._response_body``).

Same-origin redirects of a read are followed inside the exchange (``withdrawkit._redirects``),
under the same deadline. Every failure of sending or reading is raised from ``exchange_once``
as one of ``SEND_FAILURES``; what it means for the request (retry, ``OutcomeUnknown``,
``TransportError``) is the transport's decision.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from typing import Any, Final

import requests
import urllib3.exceptions

from withdrawkit._deadline import watching
from withdrawkit._outcomes import Attempt, without_tracebacks
from withdrawkit._redirects import send_following_redirects
from withdrawkit._response_body import (
    Received,
    ResponseDeadlineExceeded,
    ResponseTooLarge,
    read_content,
)

__all__ = ["MAX_RESPONSE_BYTES", "SEND_FAILURES", "exchange_once"]

# The largest answer body read (decoded); a larger one is a failure, not a MemoryError.
MAX_RESPONSE_BYTES: Final = 10 * 1024 * 1024

_DEADLINE_PASSED: Final = (
    "the response did not arrive whole within the connect and read timeouts added together"
)
# Everything sending and reading the answer can raise. requests' exceptions are OSErrors;
# urllib3 and http.client errors can escape it in rare paths (a malformed status line, an
# undecodable header); the last two are the limits on reading the body.
SEND_FAILURES: Final = (
    OSError,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ResponseDeadlineExceeded,
    ResponseTooLarge,
)


def exchange_once(
    session: requests.Session,
    prepared: requests.PreparedRequest,
    attempt: Attempt,
    *,
    timeout: tuple[float, float],
    settings_for: Callable[[str], dict[str, Any]],
) -> tuple[requests.Response, Received]:
    """Send ``prepared`` once through ``session`` and read the whole answer (following
    same-origin redirects of a read) before ``attempt.started`` plus both timeouts: every
    failure of either is raised from here. ``settings_for(url)`` gives the settings a request to
    ``url`` takes from the environment (proxies, CA bundle), as
    ``requests.Session.merge_environment_settings`` does; ``session`` may be a watched view of
    the session they belong to."""
    deadline = attempt.started + timeout[0] + timeout[1]

    def send(request: requests.PreparedRequest) -> requests.Response:
        return _send(session, request, timeout, settings_for)

    with watching(deadline) as watch:
        try:
            response = send_following_redirects(
                send, prepared, max_redirects=session.max_redirects, shown_url=attempt.url
            )
            content = _content(response, deadline)
        except SEND_FAILURES as failure:
            if not watch.expired:
                raise
            # The watchdog shut the socket: whatever the read made of that, it is this.
            raise ResponseDeadlineExceeded(_DEADLINE_PASSED) from without_tracebacks(failure)
        if watch.expired:  # a body read "to the end" that the watchdog ended
            raise ResponseDeadlineExceeded(_DEADLINE_PASSED)
    return response, Received(content, response.headers.get("Content-Type", ""))


def _content(response: requests.Response, deadline: float) -> bytes:
    try:
        return read_content(response, deadline=deadline, limit=MAX_RESPONSE_BYTES)
    finally:
        # After a complete read urllib3 has already put the connection back in its pool;
        # after a failed one this closes it, so its unread rest is never read as an answer.
        response.close()


def _send(
    session: requests.Session,
    prepared: requests.PreparedRequest,
    timeout: tuple[float, float],
    settings_for: Callable[[str], dict[str, Any]],
) -> requests.Response:
    # What Session.request does after preparing: proxies and CA bundle from the environment.
    settings = settings_for(prepared.url or "")
    # Whatever the session's own setting, the body is left on the socket for read_content,
    # which reads it under the deadline and the size cap, inside the failure handling.
    settings["stream"] = True
    # Redirects are followed by exchange_once, which refuses those leaving the origin.
    return session.send(prepared, timeout=timeout, allow_redirects=False, **settings)
