"""Walking page-number pages (Django REST Framework style) without trusting the ``next`` URL.

Ripio's ``next`` links have pointed at ``http://localhost``; following them would send the bearer
token to whatever answers there. The link is read only for two facts: whether there is another
page, and its number. Each page is then requested from the client's own base URL.

A walk is also how a caller decides that a withdrawal does *not* exist (after ``OutcomeUnknown``,
say), so it must never end early or repeat itself silently: a page the server skips, a row it
serves again on the next page or a list that keeps growing raise ``UnexpectedResponse`` instead
of yielding a partial or duplicated list.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Generic, TypeVar
from urllib.parse import parse_qs, urlsplit

from withdrawkit._exceptions import UnexpectedResponse
from withdrawkit._records import Frozen
from withdrawkit._text import ascii_int

__all__ = ["Page", "iterate_pages", "page_number_in"]

T = TypeVar("T")


class Page(Frozen, Generic[T]):
    """One page as the walk needs it: its items, the server's ``next`` link (None on the last)
    and ``count``, the number of items the server says the whole list holds."""

    __slots__ = ("count", "items", "next_link")
    items: Sequence[T]
    next_link: str | None
    count: int

    def __init__(self, items: Sequence[T], next_link: str | None, count: int) -> None:
        self._init(items=items, next_link=next_link, count=count)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Page):
            return NotImplemented
        mine = (self.items, self.next_link, self.count)
        return mine == (other.items, other.next_link, other.count)

    __hash__ = None  # type: ignore[assignment]  # its items are a list: not hashable

    def __repr__(self) -> str:
        return f"Page(items={self.items!r}, next_link={self.next_link!r}, count={self.count})"


def iterate_pages(
    fetch_page: Callable[[int], Page[T]],
    *,
    key: Callable[[T], Hashable],
    first: int = 1,
) -> Iterator[T]:
    """Every item of every page, fetching page ``first``, then each next page, lazily.

    ``key`` gives an item's identity (a withdrawal's ``id``). A page is checked whole before any
    of its items is yielded. ``UnexpectedResponse`` is raised, and the walk ends, when:

    - an item is listed twice on one page, or again on the page after it (rows shifted under the
      walk by up to a page, or the server ignores ``page`` and serves the same page again), or
      again after the first page, when it was on the first page (the server went back to the
      start);
    - ``next`` names any page but the following one, or no readable page number;
    - a page is empty but announces a next page;
    - more items arrive than ``count`` announces, or more pages than the first page's size and
      ``count`` allow (one page of slack for a list that grew meanwhile);
    - the last page is reached with fewer items listed than its ``count``.

    Memory stays flat however long the list: the walk keeps the identities of the first page and
    of the previous page, and a running count, never every identity it has seen. What it can
    no longer see is an item repeated two or more pages later, other than one of the first page,
    when the links and the counts all still agree; the counts catch such a repeat whenever it
    pushes the walk past ``count`` or leaves an item out.
    """
    number = first
    listed = 0
    first_keys: frozenset[Hashable] | None = None
    previous_keys: frozenset[Hashable] = frozenset()
    page_limit: int | None = None
    while True:
        page = fetch_page(number)
        if page_limit is None:
            page_limit = _page_limit(page, first)
        keys = _page_keys(page, number, key, previous_keys, first_keys or frozenset())
        if first_keys is None:
            first_keys = keys
        previous_keys = keys
        listed += len(page.items)
        if listed > page.count:
            raise _broken(
                page,
                f"{listed} items were listed by page {number}, but the server counts only "
                f"{page.count}",
            )
        yield from page.items
        if page.next_link is None:
            if listed < page.count:
                raise _broken(
                    page,
                    f"the last page is page {number}, but the pages held {listed} items of "
                    f"the {page.count} the server counts",
                )
            return
        if not page.items:
            raise _broken(page, f"page {number} is empty but links to a next page")
        announced = page_number_in(page.next_link)
        if announced != number + 1:
            target = "no page number" if announced is None else f"page {announced}"
            raise _broken(page, f"page {number} links to {target} as its next page")
        if announced > page_limit:
            raise _broken(
                page,
                f"page {number} links to page {announced}, beyond the {page_limit} pages the "
                "first page's size and count allow",
            )
        number = announced


def page_number_in(link: str) -> int | None:
    """The ``page`` query parameter of ``link`` when it is a positive integer, else None."""
    values = parse_qs(urlsplit(link).query).get("page", [])
    number = ascii_int(values[0]) if len(values) == 1 else None
    return number if number is not None and number > 0 else None


def _page_limit(first_page: Page[T], first: int) -> int:
    """The last page number a walk may reach: enough pages of the first page's size for
    ``count`` items, plus one."""
    if first_page.count < 0:
        raise _broken(first_page, f"the server counts {first_page.count} items")
    size = max(len(first_page.items), 1)
    return first - 1 + math.ceil(first_page.count / size) + 1


def _page_keys(
    page: Page[T],
    number: int,
    key: Callable[[T], Hashable],
    previous: frozenset[Hashable],
    first_page: frozenset[Hashable],
) -> frozenset[Hashable]:
    """The identities on ``page``; an item listed twice on it, or on ``previous`` or
    ``first_page``, raises ``UnexpectedResponse``."""
    keys: set[Hashable] = set()
    for item in page.items:
        identity = key(item)
        if identity in keys or identity in previous or identity in first_page:
            raise _broken(
                page,
                f"page {number} lists {identity!r} again: the server ignores the page parameter "
                "or the list changed during the walk; list again",
            )
        keys.add(identity)
    return frozenset(keys)


def _broken(page: Page[T], problem: str) -> UnexpectedResponse:
    return UnexpectedResponse(
        f"listing stopped: {problem}. Items already yielded may be incomplete",
        http_status=200,
        body=page.next_link or "",
    )
