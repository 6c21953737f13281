"""``RipioClient``'s fiat withdrawal lifecycle: wait for a fiat withdrawal to end, find it by
``external_ref``, and reconcile the ``OutcomeUnknown`` of ``create_fiat_withdrawal``.

The same walk and settle time as crypto withdrawals (``_ripio_lifecycle``), over the fiat
withdrawal list.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from withdrawkit import _ripio_models as models
from withdrawkit._arguments import required_text
from withdrawkit._client import Clocks
from withdrawkit._exceptions import OutcomeUnknown
from withdrawkit._pagination import Page
from withdrawkit._reconcile import find_in_pages, reconcile_by_reference
from withdrawkit._ripio_lifecycle import DEFAULT_SETTLE_TIME
from withdrawkit._wait_defaults import DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from withdrawkit._root_error import WithdrawKitError
    from withdrawkit._sent_request import SentRequest
    from withdrawkit._waiting import Statuses
    from withdrawkit_generated.ripio import FiatWithdrawal, FiatWithdrawalStatus

__all__ = ["FiatLifecycle", "fiat_withdrawal_statuses"]


@functools.cache
def fiat_withdrawal_statuses() -> Statuses:
    """Built at the first wait, not at import: the generated enum is imported on first use."""
    from withdrawkit._waiting import Statuses  # noqa: PLC0415 - loaded at the first wait

    return Statuses(
        final=frozenset({"COMPLETED", "CANCELLED"}),
        known=frozenset(status.value for status in models.FiatWithdrawalStatus),
    )


class FiatLifecycle:
    """Mixed into ``RipioClient``: uses its ``get_fiat_withdrawal`` and fiat page reader."""

    _clocks: Clocks

    if TYPE_CHECKING:

        def get_fiat_withdrawal(self, fiat_withdrawal_id: str) -> FiatWithdrawal: ...

        def _fiat_withdrawal_page(self, number: int) -> Page[FiatWithdrawal]: ...

    def wait_for_fiat_withdrawal(
        self,
        fiat_withdrawal_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: Callable[[FiatWithdrawal], object] | None = None,
        on_pause: Callable[[float, WithdrawKitError | None], object] | None = None,
    ) -> FiatWithdrawal:
        """Poll the fiat withdrawal until it is ``COMPLETED`` or ``CANCELLED``, and return it.

        Polls as ``wait_for_withdrawal`` does (growing, jittered intervals; 429, 5xx and dropped
        connections waited out; an unknown status logged once) and raises ``StillPending`` with
        the last ``FiatWithdrawal`` read when ``timeout`` passes. ``on_pause(seconds, failure)``
        is called just before each pause, as there: to show progress (a Celery task's state, a
        countdown) with the error of the failed poll behind the pause, or ``None``.
        """
        required_text(fiat_withdrawal_id, name="fiat_withdrawal_id")
        from withdrawkit._waiting import wait_until_final  # noqa: PLC0415 - at the first wait

        return wait_until_final(
            lambda: self.get_fiat_withdrawal(fiat_withdrawal_id),
            status_of=_status,
            statuses=fiat_withdrawal_statuses(),
            what=f"Ripio fiat withdrawal {fiat_withdrawal_id}",
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
            on_pause=on_pause,
            clocks=self._clocks,
        )

    def find_fiat_withdrawal(
        self, *, external_ref: str, since: datetime | None = None
    ) -> FiatWithdrawal | None:
        """The fiat withdrawal whose ``external_ref`` is this one, or ``None``; read newest pages
        first and stopped before ``since`` as ``find_withdrawal`` does."""
        reference = required_text(external_ref, name="external_ref")
        if since is not None and since.utcoffset() is None:
            raise TypeError(f"since must be an aware datetime, got {since!r}")
        return find_in_pages(
            self._fiat_withdrawal_page,
            matches=lambda withdrawal: withdrawal.external_ref == reference,
            created_at=_created_at,
            identity=_identity,
            since=since,
            what=f"fiat withdrawals with external_ref {reference!r}",
        )

    def reconcile_fiat_withdrawal(
        self, unknown: OutcomeUnknown, *, settle_time: float = DEFAULT_SETTLE_TIME
    ) -> FiatWithdrawal | None:
        """The fiat withdrawal that the request behind ``unknown`` created, or ``None``.

        ``unknown`` is what ``create_fiat_withdrawal`` raised; the rest is as ``reconcile``:
        ``None`` after ``settle_time`` means it was not applied and sending it again (with the
        same ``external_ref``) is safe; one with the reference but another amount or
        beneficiary account raises ``AmbiguousOutcome``.
        """
        return reconcile_by_reference(
            unknown,
            operation="create_fiat_withdrawal",
            method="RipioClient.reconcile_fiat_withdrawal",
            find=lambda reference, since: self.find_fiat_withdrawal(
                external_ref=reference, since=since
            ),
            fits=_is_what_was_sent,
            settle_time=settle_time,
            clocks=self._clocks,
        )


def _status(withdrawal: FiatWithdrawal) -> FiatWithdrawalStatus:
    return withdrawal.status


def _created_at(withdrawal: FiatWithdrawal) -> datetime:
    return withdrawal.created_at


def _identity(withdrawal: FiatWithdrawal) -> str:
    return withdrawal.id


def _is_what_was_sent(withdrawal: FiatWithdrawal, sent: SentRequest) -> bool:
    return (
        sent.amount is not None
        and withdrawal.amount == sent.amount.value
        and withdrawal.beneficiary_fiat_account_id
        == sent.destination.get("beneficiary_fiat_account_id")
    )
