"""``RipioClient``'s lifecycle methods: wait for a withdrawal to end, find it by reference, and
reconcile an ``OutcomeUnknown``.

Every crypto and fiat withdrawal the client creates carries an ``external_ref`` (the caller's,
or a UUID the client generates), so each can be found again by it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Final

from withdrawkit import _ripio_models as models
from withdrawkit._arguments import required_text
from withdrawkit._client import Clocks
from withdrawkit._exceptions import OutcomeUnknown
from withdrawkit._pagination import Page
from withdrawkit._reconcile import find_in_pages, reconcile_by_reference
from withdrawkit._wait_defaults import DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from withdrawkit._root_error import WithdrawKitError
    from withdrawkit._sent_request import SentRequest
    from withdrawkit._waiting import Statuses
    from withdrawkit_generated.ripio import Withdrawal, WithdrawalStatus

__all__ = ["DEFAULT_SETTLE_TIME", "RipioLifecycle", "withdrawal_statuses"]


@functools.cache
def withdrawal_statuses() -> Statuses:
    """Built at the first wait, not at import: the generated enum is imported on first use."""
    from withdrawkit._waiting import Statuses  # noqa: PLC0415 - loaded at the first wait

    return Statuses(
        final=frozenset({"COMPLETED", "ERROR"}),
        known=frozenset(status.value for status in models.WithdrawalStatus),
    )


# How long after sending a withdrawal may take to show in the list: longer than a request can
# stay in flight (connect + read timeout) with room for the server's own commit.
DEFAULT_SETTLE_TIME: Final = 60.0


class RipioLifecycle:
    """Mixed into ``RipioClient``: uses its ``get_withdrawal`` and page reader."""

    _clocks: Clocks

    if TYPE_CHECKING:

        def get_withdrawal(self, withdrawal_id: str) -> Withdrawal: ...

        def _withdrawal_page(self, number: int) -> Page[Withdrawal]: ...

    def wait_for_withdrawal(
        self,
        withdrawal_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: Callable[[Withdrawal], object] | None = None,
        on_pause: Callable[[float, WithdrawKitError | None], object] | None = None,
    ) -> Withdrawal:
        """Poll the withdrawal until it is ``COMPLETED`` or ``ERROR``, and return it.

        The first wait is ``poll_interval`` seconds; later ones grow (with jitter) up to a
        minute. ``on_update(withdrawal)`` is called on every change (the first read too). A
        429 is waited out (its ``Retry-After`` honoured), as are 5xx answers and dropped
        connections; a status withdrawkit does not know is logged once and waited through.
        After ``timeout`` seconds ``StillPending`` is raised, with ``last_state`` the last
        ``Withdrawal`` read.

        ``on_pause(seconds, failure)`` is called just before each pause between polls, with
        the error that made the poll before it fail (``None`` if it read the withdrawal): for
        showing progress while the wait runs, e.g. a Celery task updating its state or a
        countdown, as tenacity's ``before_sleep`` does. ``failure`` is only reported; the
        wait handles it.
        """
        required_text(withdrawal_id, name="withdrawal_id")
        from withdrawkit._waiting import wait_until_final  # noqa: PLC0415 - at the first wait

        return wait_until_final(
            lambda: self.get_withdrawal(withdrawal_id),
            status_of=_status,
            statuses=withdrawal_statuses(),
            what=f"Ripio withdrawal {withdrawal_id}",
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
            on_pause=on_pause,
            clocks=self._clocks,
        )

    def find_withdrawal(
        self, *, external_ref: str, since: datetime | None = None
    ) -> Withdrawal | None:
        """The withdrawal whose ``external_ref`` is this one, or ``None`` if Ripio lists none.

        Ripio has no filter for it, so the list is read, newest pages first. With ``since``
        (an aware datetime: when the withdrawal was sent) the walk stops at the first page whose
        every withdrawal was created more than ten minutes (clock skew) before it, instead of
        reading the whole history. Two withdrawals with this ``external_ref`` raise
        ``AmbiguousOutcome``.
        """
        reference = required_text(external_ref, name="external_ref")
        if since is not None and since.utcoffset() is None:
            raise TypeError(f"since must be an aware datetime, got {since!r}")
        return find_in_pages(
            self._withdrawal_page,
            matches=lambda withdrawal: withdrawal.external_ref == reference,
            created_at=_created_at,
            identity=_identity,
            since=since,
            what=f"withdrawals with external_ref {reference!r}",
        )

    def reconcile(
        self, unknown: OutcomeUnknown, *, settle_time: float = DEFAULT_SETTLE_TIME
    ) -> Withdrawal | None:
        """The withdrawal that the request behind ``unknown`` created, or ``None``.

        ``unknown`` is what ``create_withdrawal`` raised; the withdrawal is looked up by its
        ``reference`` (the ``external_ref`` sent) among those created since it was sent. If
        none is listed yet and the request is younger than ``settle_time`` seconds, it waits
        until then and looks once more.

        ``None`` means Ripio lists no such withdrawal ``settle_time`` seconds after it was
        sent: it was not applied, and sending it again (with the same ``external_ref``) is
        safe. With a ``settle_time`` shorter than your read timeout, ``None`` may only mean
        "not visible yet". A withdrawal with this reference whose amount, currency or address
        differ from what was sent raises ``AmbiguousOutcome``: the reference was used twice.
        """
        return reconcile_by_reference(
            unknown,
            operation="create_withdrawal",
            method="RipioClient.reconcile",
            find=lambda reference, since: self.find_withdrawal(external_ref=reference, since=since),
            fits=_is_what_was_sent,
            settle_time=settle_time,
            clocks=self._clocks,
        )


def _status(withdrawal: Withdrawal) -> WithdrawalStatus | None:
    return withdrawal.status


def _created_at(withdrawal: Withdrawal) -> datetime:
    return withdrawal.created_at


def _identity(withdrawal: Withdrawal) -> str:
    return withdrawal.id


def _is_what_was_sent(withdrawal: Withdrawal, sent: SentRequest) -> bool:
    return (
        sent.amount is not None
        and withdrawal.amount == sent.amount.value
        and withdrawal.currency == sent.amount.asset
        and withdrawal.address == sent.destination.get("address")
    )
