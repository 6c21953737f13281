"""``FakeRipio``'s webhook side for tests: where events go, its signing key, what was delivered,
and the background sender that delivers what loopback requests (and control requests) caused.

The outbox itself, signing and the HTTP POST, is ``_ripio_webhooks``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from withdrawkit._root_error import InvalidArgument
from withdrawkit.testing._exchange import FakeRequest, Outcome
from withdrawkit.testing._ripio_base import RipioBase
from withdrawkit.testing._ripio_webhooks import WebhookDelivery, loopback_url
from withdrawkit.testing._scene_checks import check_text

__all__ = ["MAX_WEBHOOK_WAIT", "WebhookScene"]

MAX_WEBHOOK_WAIT: Final = 600


class WebhookScene(RipioBase):
    """The webhook methods of ``FakeRipio`` and the hooks its served faces call."""

    @property
    def webhook_public_key_pem(self) -> str:
        """The public half of the fake's signing key (PEM): what ``RipioWebhookVerifier`` takes
        in place of Ripio's key in your tests."""
        return self.webhooks.public_key_pem()

    def deliver_webhooks_to(self, url: str | None) -> None:
        """POST a signed event to ``url`` (``http://`` on 127.0.0.1, ::1 or localhost only) on
        every later change of status; ``None`` stops. A scene call (``complete``, ``fail``,
        ``deposit_fiat``) returns once your endpoint has answered. A request over ``serve()``
        (or to the control surface of ``withdrawkit fake serve``) gets its answer first and the
        event follows from a background sender, as Ripio's would: call ``wait_for_webhooks()``
        before looking at what your endpoint received. Each delivery gives up after 5 s in all
        (see ``webhook_deliveries``). Any other URL raises ``InvalidArgument``."""
        if url is not None:
            try:
                url = loopback_url(check_text("url", url))
            except ValueError as refused:
                raise InvalidArgument(f"url: {refused}") from None
        self.webhooks.send_to(url)

    def wait_for_webhooks(self, timeout: float = 10.0) -> None:
        """Return once every event made so far has been POSTed (or given up on); raise
        ``TimeoutError`` after ``timeout`` seconds otherwise (from 0 to
        ``MAX_WEBHOOK_WAIT``, 600 seconds: a longer wait is a test that hangs)."""
        if isinstance(timeout, bool) or not isinstance(timeout, int | float):
            raise TypeError(f"timeout must be a number of seconds, got {timeout!r}")
        if not math.isfinite(timeout) or not 0 <= timeout <= MAX_WEBHOOK_WAIT:
            raise InvalidArgument(
                f"timeout must be from 0 to {MAX_WEBHOOK_WAIT} seconds, got {timeout}"
            )
        self.webhooks.wait(timeout)

    def sign_webhook(self, body: bytes) -> str:
        """The ``X-Signature-Ecdsa-Sha256`` value the fake would send with ``body``, for
        hand-made events."""
        if not isinstance(body, bytes):
            raise TypeError(f"body must be the raw bytes sent, got {type(body).__name__}")
        return self.webhooks.sign(body)

    @property
    def webhook_deliveries(self) -> list[WebhookDelivery]:
        """Every webhook POSTed so far, oldest first, with the status your endpoint answered."""
        return self.webhooks.deliveries()

    # -- the faces: who delivers ------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> Outcome:
        """``FakeProvider.handle``, then the webhooks the request caused, outside the lock."""
        outcome = super().handle(request)
        self.webhooks.flush()
        return outcome

    def _handle_served(self, request: FakeRequest) -> Outcome:
        """Over the loopback face the events wait for the sender, not for this answer."""
        return super().handle(request)

    def _after_served_answer(self) -> None:
        self.webhooks.wake_sender()

    @contextmanager
    def _answering_first(self) -> Iterator[None]:
        """Scene calls in the block queue their events for the sender instead of delivering
        them before they return (the control surface answers first)."""
        with self.webhooks.deferred():
            yield

    @contextmanager
    def _background(self, served_url: str) -> Iterator[None]:
        """The sender of what loopback requests queue, for as long as the fake is served; at
        the end what it had not sent yet is delivered here, each with its own deadline."""
        port = served_url.rsplit(":", 1)[-1]
        self.webhooks.start_sender(f"withdrawkit-fake-webhooks-{port}")
        try:
            yield
        finally:
            self.webhooks.stop_sender()
            self._deliver_pending()

    def _deliver_pending(self) -> None:
        self.webhooks.flush()
