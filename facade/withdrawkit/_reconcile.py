"""Finding an operation again after ``OutcomeUnknown``: the matching, apart from any client.

Two ways, one per kind of API:

- ``find_in_pages``: by reference (Ripio's ``external_ref``) in a page-number listing, newest
  pages first, stopping at the first page older than the time the request was sent (less
  ``CLOCK_SKEW``). Ripio does not document the list's order (its example is oldest first), so
  the order is read from the rows' ``created_at``: the first page against the last.
- ``single_match``: among rows that fit what was sent, exactly one, or ``None``; two or more
  raise ``AmbiguousOutcome`` rather than guess.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final, TypeVar

from withdrawkit._client import Clocks
from withdrawkit._exceptions import OutcomeUnknown
from withdrawkit._lifecycle_errors import AmbiguousOutcome
from withdrawkit._pagination import Page
from withdrawkit._root_error import InvalidArgument

if TYPE_CHECKING:
    from withdrawkit._sent_request import SentRequest

__all__ = [
    "CLOCK_SKEW",
    "find_in_pages",
    "reconcile_by_reference",
    "sent_by",
    "settled_lookup",
    "single_match",
]

T = TypeVar("T")

# How far the provider's clock may be behind ours: rows created up to this long before our
# send time are still looked at.
CLOCK_SKEW: Final = timedelta(minutes=10)


def single_match(candidates: Sequence[T], *, what: str, identity: Callable[[T], str]) -> T | None:
    """The one candidate, ``None`` for none, ``AmbiguousOutcome`` for more (by ``identity``)."""
    distinct = {identity(candidate): candidate for candidate in candidates}
    if len(distinct) > 1:
        raise AmbiguousOutcome(
            f"{len(distinct)} {what} fit what was sent ({', '.join(sorted(distinct))}); "
            "withdrawkit will not guess which one this request made",
            candidates=list(distinct.values()),
        )
    return next(iter(distinct.values()), None)


def find_in_pages(
    fetch_page: Callable[[int], Page[T]],
    *,
    matches: Callable[[T], bool],
    created_at: Callable[[T], datetime],
    identity: Callable[[T], str],
    since: datetime | None,
    what: str,
) -> T | None:
    """The one row that ``matches``, walking pages newest first; pages wholly older than
    ``since - CLOCK_SKEW`` end the walk (``since`` ``None``: every page is read)."""
    cutoff = None if since is None else since - CLOCK_SKEW
    found: list[T] = []
    for page in _newest_pages_first(fetch_page, created_at):
        found += [row for row in page.items if matches(row)]
        if cutoff is not None and page.items and max(map(created_at, page.items)) < cutoff:
            break
    return single_match(found, what=what, identity=identity)


def _newest_pages_first(
    fetch_page: Callable[[int], Page[T]], created_at: Callable[[T], datetime]
) -> Iterator[Page[T]]:
    first = fetch_page(1)
    if first.next_link is None or not first.items:
        yield first
        return
    last_number = max(math.ceil(first.count / len(first.items)), 2)
    last = fetch_page(last_number)
    oldest_first = bool(last.items) and max(map(created_at, last.items)) > max(
        map(created_at, first.items)
    )
    if oldest_first:
        yield last
        # Rows added meanwhile go after the last page: the pages before it keep their rows.
        for number in range(last_number - 1, 1, -1):
            yield fetch_page(number)
        yield first
        return
    yield first
    # Rows added meanwhile push older ones to later pages: a row may be read twice, never missed.
    # One page of slack for a list that grew; a server that never stops linking is not followed.
    for number in range(2, last_number + 2):
        page = last if number == last_number else fetch_page(number)
        yield page
        if page.next_link is None or not page.items:
            return


def settled_lookup(
    look: Callable[[], T | None],
    *,
    sent: SentRequest,
    settle_time: float,
    clocks: Clocks,
) -> T | None:
    """``look()``, and if it finds nothing while the request is younger than ``settle_time``
    seconds, ``look()`` again once it is that old: ``None`` then says the provider did not
    apply the request (as far as it shows after that time), not that it has not shown it yet."""
    if isinstance(settle_time, bool) or not isinstance(settle_time, (int, float)):
        raise TypeError(f"settle_time must be a number of seconds, got {settle_time!r}")
    if not math.isfinite(settle_time) or settle_time < 0:
        raise InvalidArgument(f"settle_time must be a finite number >= 0, got {settle_time!r}")
    found = look()
    if found is not None:
        return found
    settled_at = sent.sent_at.timestamp() + settle_time
    remaining = settled_at - clocks.wall()
    if remaining <= 0:
        return None
    clocks.sleep(remaining)
    return look()


def sent_by(unknown: OutcomeUnknown, operations: Collection[str], *, method: str) -> SentRequest:
    """What ``unknown`` says was sent, when one of ``operations`` sent it; else InvalidArgument."""
    if not isinstance(unknown, OutcomeUnknown):
        raise TypeError(f"reconcile takes an OutcomeUnknown, got {type(unknown).__name__}")
    sent = unknown.sent
    if sent is None or sent.operation not in operations:
        made_by = "no client method" if sent is None else sent.operation
        raise InvalidArgument(
            f"{method} finds what {', '.join(sorted(operations))} sent; this "
            f"OutcomeUnknown was raised by {made_by}"
        )
    return sent


def reconcile_by_reference(
    unknown: OutcomeUnknown,
    *,
    operation: str,
    method: str,
    find: Callable[[str, datetime], T | None],
    fits: Callable[[T, SentRequest], bool],
    settle_time: float,
    clocks: Clocks,
) -> T | None:
    """What ``find(reference, sent_at)`` returns for the request ``operation`` sent, after the
    settle time; one found with the reference but not what was sent raises ``AmbiguousOutcome``
    (the reference was used twice)."""
    sent = sent_by(unknown, {operation}, method=method)
    reference = unknown.reference
    if reference is None:
        raise AmbiguousOutcome(f"the {operation} request carried no reference to find it by")
    found = settled_lookup(
        lambda: find(reference, sent.sent_at), sent=sent, settle_time=settle_time, clocks=clocks
    )
    if found is not None and not fits(found, sent):
        raise AmbiguousOutcome(
            f"what {method} found has the reference {reference!r} but not what was sent "
            f"({sent.amount}, {dict(sent.destination)})",
            candidates=[found],
        )
    return found
