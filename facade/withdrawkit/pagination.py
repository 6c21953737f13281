"""Walking page-number pages (Django REST Framework style) without trusting the ``next`` URL.

Ripio's ``next`` links have pointed at ``http://localhost``; following them would send the bearer
token to whatever answers there. The link is read only for two facts: whether there is another
page, and its number. Each page is then requested from the client's own base URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar
from urllib.parse import parse_qs, urlsplit

import attrs

from withdrawkit.exceptions import UnexpectedResponse

__all__ = ["Page", "iterate_pages", "page_number_in"]

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page as the walk needs: its items and the server's ``next`` link (None on the last)."""

    items: Sequence[T]
    next_link: str | None


def iterate_pages(fetch_page: Callable[[int], Page[T]], *, first: int = 1) -> Iterator[T]:
    """Every item of every page, fetching page ``first``, then each next page, lazily.

    Stops after a page whose ``next`` is null, or at an empty page (a server that keeps announcing
    pages with nothing on them would otherwise be walked forever). Raises ``UnexpectedResponse``
    when the server sends the same page twice in a row or points ``next`` backwards, either of
    which would loop forever or repeat items.
    """
    number = first
    previous: Sequence[T] | None = None
    while True:
        page = fetch_page(number)
        if previous is not None and list(page.items) == list(previous):
            raise UnexpectedResponse(
                f"page {number} repeats page {number - 1}: the server ignores the page parameter",
                http_status=200,
                body=page.next_link or "",
            )
        yield from page.items
        if page.next_link is None or not page.items:
            return
        announced = page_number_in(page.next_link)
        if announced is not None and announced <= number:
            raise UnexpectedResponse(
                f"page {number} links to page {announced} as its next page",
                http_status=200,
                body=page.next_link,
            )
        number = number + 1 if announced is None else announced
        previous = page.items


def page_number_in(link: str) -> int | None:
    """The ``page`` query parameter of ``link`` when it is a positive integer, else None."""
    values = parse_qs(urlsplit(link).query).get("page", [])
    if len(values) != 1 or not values[0].isdigit():
        return None
    number = int(values[0])
    return number if number > 0 else None
