"""``OneKontoClient``'s withdrawal lifecycle: wait for a withdraw request to end, and reconcile
a withdrawal's ``OutcomeUnknown`` by matching what was sent (orders: ``_onekonto_order_lifecycle``).

1Konto's withdraw requests carry no reference of the caller's and no creation time, so a
request is recognised by its amount and destination (network and address, or method and bank
numbers) and, when it was sent with some, its instructions.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Final

from withdrawkit import _onekonto_models as models
from withdrawkit._arguments import required_text
from withdrawkit._client import Clocks
from withdrawkit._exceptions import OutcomeUnknown
from withdrawkit._lifecycle_errors import AmbiguousOutcome
from withdrawkit._reconcile import sent_by, settled_lookup, single_match
from withdrawkit._wait_defaults import DEFAULT_POLL_INTERVAL, DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from withdrawkit._root_error import WithdrawKitError
    from withdrawkit._sent_request import SentRequest
    from withdrawkit._waiting import Statuses
    from withdrawkit_generated.onekonto import WithdrawRequest, WithdrawRequestStatus

__all__ = ["DEFAULT_SETTLE_TIME", "RECONCILE_MAX", "OneKontoLifecycle", "withdraw_statuses"]


@functools.cache
def withdraw_statuses() -> Statuses:
    """Built at the first wait, not at import: the generated enum is imported on first use."""
    from withdrawkit._waiting import Statuses  # noqa: PLC0415 - loaded at the first wait

    return Statuses(
        final=frozenset({"completed", "canceled", "rejected", "invalid"}),
        known=frozenset(status.value for status in models.WithdrawRequestStatus),
    )


DEFAULT_SETTLE_TIME: Final = 60.0
# How many withdraw requests reconcile asks for (the server's default is 100).
RECONCILE_MAX: Final = 1000
_WITHDRAW_OPERATIONS: Final = frozenset({"request_withdraw_blockchain", "request_withdraw_fiat"})


class OneKontoLifecycle:
    """Mixed into ``OneKontoClient``: uses its ``query_withdraw_requests`` and
    ``get_withdraw_request``."""

    _clocks: Clocks

    if TYPE_CHECKING:

        def query_withdraw_requests(
            self,
            *,
            status: str | None = None,
            max: int | None = None,
            withdraw_request_id: str | None = None,
            network: str | None = None,
            type: str | None = None,
        ) -> list[WithdrawRequest]: ...

        def get_withdraw_request(self, withdraw_request_id: str) -> WithdrawRequest: ...

    def wait_for_withdraw_request(
        self,
        withdraw_request_id: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        on_update: Callable[[WithdrawRequest], object] | None = None,
        on_pause: Callable[[float, WithdrawKitError | None], object] | None = None,
    ) -> WithdrawRequest:
        """Poll the withdraw request until it is ``completed``, ``canceled``, ``rejected`` or
        ``invalid``, and return it.

        The first wait is ``poll_interval`` seconds; later ones grow (with jitter) up to a
        minute. ``on_update(request)`` is called on every change (the first read too). A 429
        is waited out (its ``Retry-After`` honoured), as are 5xx answers and dropped
        connections; a status withdrawkit does not know is logged once and waited through.
        After ``timeout`` seconds ``StillPending`` is raised, with ``last_state`` the last
        ``WithdrawRequest`` read.

        ``on_pause(seconds, failure)`` is called just before each pause between polls, with
        the error that made the poll before it fail (``None`` if it read the request): for
        showing progress while the wait runs, e.g. a Celery task updating its state or a
        countdown, as tenacity's ``before_sleep`` does. ``failure`` is only reported; the
        wait handles it.
        """
        required_text(withdraw_request_id, name="withdraw_request_id")
        from withdrawkit._waiting import wait_until_final  # noqa: PLC0415 - at the first wait

        return wait_until_final(
            lambda: self.get_withdraw_request(withdraw_request_id),
            status_of=_status,
            statuses=withdraw_statuses(),
            what=f"1Konto withdraw request {withdraw_request_id}",
            timeout=timeout,
            poll_interval=poll_interval,
            on_update=on_update,
            on_pause=on_pause,
            clocks=self._clocks,
        )

    def reconcile(
        self,
        unknown: OutcomeUnknown,
        *,
        settle_time: float = DEFAULT_SETTLE_TIME,
        exclude: Collection[str] = (),
    ) -> WithdrawRequest | None:
        """The withdraw request that the request behind ``unknown`` made, or ``None``.

        ``unknown`` is what ``request_withdraw_blockchain`` or ``request_withdraw_fiat``
        raised. 1Konto lists requests without a creation time or a reference of yours, so the
        match is on what was sent: the amount, the network and address (or the method and bank
        numbers) and the instructions. An earlier request for the same amount to the same place
        is indistinguishable from this one: pass the ids of the requests you already know
        (from earlier receipts) in ``exclude``. If no request matches while the request is
        younger than ``settle_time`` seconds, it waits until then and looks once more.

        ``None`` means 1Konto lists no such request ``settle_time`` seconds after it was
        sent: it was not applied, and sending it again is safe. Two or more matches raise
        ``AmbiguousOutcome`` (with the candidates): withdrawkit never guesses. So does a list
        that reached its ``RECONCILE_MAX`` rows without a match, which rules nothing out.
        """
        sent = sent_by(unknown, _WITHDRAW_OPERATIONS, method="OneKontoClient.reconcile")
        known = frozenset(exclude)
        return settled_lookup(
            lambda: self._matching_request(sent, known),
            sent=sent,
            settle_time=settle_time,
            clocks=self._clocks,
        )

    def _matching_request(
        self, sent: SentRequest, exclude: frozenset[str]
    ) -> WithdrawRequest | None:
        blockchain = sent.operation == "request_withdraw_blockchain"
        listed = self.query_withdraw_requests(
            max=RECONCILE_MAX,
            network=sent.destination.get("network") if blockchain else None,
            type=None if blockchain else sent.destination.get("type"),
        )
        fits = _fits_blockchain if blockchain else _fits_fiat
        candidates = [
            row
            for row in listed
            if row.withdraw_request_id not in exclude
            and _same_amount(row, sent)
            and fits(row, sent)
        ]
        if not candidates and len(listed) >= RECONCILE_MAX:
            raise AmbiguousOutcome(
                f"1Konto listed {len(listed)} withdraw requests, its most, and none matches "
                f"{sent.amount}: the one sent may be among those not listed"
            )
        return single_match(
            candidates, what="withdraw requests", identity=lambda row: row.withdraw_request_id
        )


def _status(request: WithdrawRequest) -> WithdrawRequestStatus | None:
    return request.request_status


def _same_amount(row: WithdrawRequest, sent: SentRequest) -> bool:
    same_instructions = not sent.instructions or row.instructions is None
    return row.amount == sent.amount and (
        same_instructions or tuple(row.instructions or ()) == sent.instructions
    )


def _same(listed: str | None, sent: str | None, *, fold_case: bool = False) -> bool:
    """A destination field sent (``None``: left out, the whitelist chose) is listed as sent."""
    if sent is None:
        return True
    if listed is None:
        return False
    return listed.lower() == sent.lower() if fold_case else listed == sent


def _fits_blockchain(row: WithdrawRequest, sent: SentRequest) -> bool:
    return (_same(row.type, "blockchain", fold_case=True) or row.type is None) and (
        _same(row.network, sent.destination.get("network"), fold_case=True)
        and _same(row.address, sent.destination.get("address"))
    )


def _fits_fiat(row: WithdrawRequest, sent: SentRequest) -> bool:
    destination = sent.destination
    return (
        _same(row.type, destination.get("type"), fold_case=True)
        and _same(row.routing_number, destination.get("routing_number"))
        and _same(row.account_number, destination.get("account_number"))
    )
