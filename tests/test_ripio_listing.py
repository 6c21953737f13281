"""RipioClient.list_withdrawals over a mocked HTTP layer: the page walk, and every way a server
can make it loop, skip or repeat rows, refused."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
import responses
from responses import matchers

import withdrawkit as wk
from tests import ripio_support
from tests.ripio_support import TOKEN_URL, WITHDRAWALS_URL, add_token, urls, withdrawal
from withdrawkit._pagination import Page, iterate_pages, page_number_in
from withdrawkit._ripio_client import RipioClient

clock = ripio_support.clock
client = ripio_support.client


# -- list_withdrawals ---------------------------------------------------------------------------


def page(numbers: list[int], next_page: int | None, count: int = 7) -> dict[str, Any]:
    return {
        "count": count,
        "next": None
        if next_page is None
        else f"http://localhost/api/v1/withdrawals/?page={next_page}",
        "previous": None,
        "results": [withdrawal(number) for number in numbers],
    }


def add_page(rsps: responses.RequestsMock, number: int, body: dict[str, Any]) -> None:
    rsps.add(
        responses.GET,
        WITHDRAWALS_URL,
        json=body,
        match=[matchers.query_param_matcher({"page": str(number)})],
    )


def test_list_withdrawals_walks_every_page_from_the_base_url_not_the_next_link(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1, 2, 3], next_page=2))
    add_page(rsps, 2, page([4, 5, 6], next_page=3))
    add_page(rsps, 3, page([7], next_page=None))

    found = list(client.list_withdrawals())

    assert [item.id[-1] for item in found] == list("1234567")
    assert urls(rsps)[1:] == [
        f"{WITHDRAWALS_URL}?page=1",
        f"{WITHDRAWALS_URL}?page=2",
        f"{WITHDRAWALS_URL}?page=3",
    ]
    assert all(call.request.headers["Authorization"] == "Bearer tok-1" for call in rsps.calls[1:])


def test_list_withdrawals_is_lazy(rsps: responses.RequestsMock, client: RipioClient) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1, 2], next_page=2))

    walk = client.list_withdrawals()
    assert len(rsps.calls) == 0
    assert next(walk).id.endswith("1")
    assert urls(rsps) == [TOKEN_URL, f"{WITHDRAWALS_URL}?page=1"]


def test_an_empty_first_page_without_next_is_an_empty_list(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([], next_page=None, count=0))

    assert list(client.list_withdrawals()) == []


def test_list_withdrawals_refuses_an_empty_page_that_announces_a_next_one(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1], next_page=2))
    add_page(rsps, 2, page([], next_page=3))
    add_page(rsps, 3, page([3], next_page=None))  # never requested

    walk = client.list_withdrawals()
    assert next(walk).id.endswith("1")
    with pytest.raises(wk.UnexpectedResponse, match="page 2 is empty but links to a next page"):
        next(walk)
    assert urls(rsps).count(f"{WITHDRAWALS_URL}?page=3") == 0


def test_list_withdrawals_refuses_a_server_that_ignores_the_page_parameter(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    rsps.add(responses.GET, WITHDRAWALS_URL, json=page([1, 2], next_page=2))  # whatever the page

    walk = client.list_withdrawals()
    with pytest.raises(wk.UnexpectedResponse, match=r"page 2 lists '00000000-0000-4000-8000-0+1'"):
        list(walk)
    assert len(rsps.calls) == 3


def test_a_list_that_shifts_under_the_walk_is_refused_before_a_row_is_yielded_twice(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    # Newest first, and a new withdrawal (4) arrives between the two requests: page 2 then starts
    # with the row page 1 ended on. What the reviewers' probe saw loop forever.
    add_token(rsps)
    add_page(rsps, 1, page([3, 2], next_page=2, count=3))
    add_page(rsps, 2, page([2, 1], next_page=3, count=4))

    yielded: list[str] = []
    with pytest.raises(wk.UnexpectedResponse, match="list again"):
        yielded.extend(item.id[-1] for item in client.list_withdrawals())
    assert yielded == ["3", "2"]


def test_a_server_that_ignores_page_while_rows_shift_is_stopped_at_once() -> None:
    # The reviewers' probe (p9_pages.py): every answer is the newest three ids, shifted by one.
    served = itertools.count()

    def fetch(number: int) -> Page[str]:
        n = next(served)
        link = f"http://localhost/api/v1/withdrawals/?page={number + 1}"
        return Page([f"w-{n + 2}", f"w-{n + 1}", f"w-{n}"], link, 1000)

    yielded: list[str] = []
    with pytest.raises(wk.UnexpectedResponse, match="lists 'w-2' again"):
        yielded.extend(itertools.islice(iterate_pages(fetch, key=str), 3000))
    assert yielded == ["w-2", "w-1", "w-0"]
    assert next(served) == 2


@pytest.mark.parametrize("announced", [1, 2, 4])
def test_list_withdrawals_refuses_a_next_link_to_any_page_but_the_following_one(
    rsps: responses.RequestsMock, client: RipioClient, announced: int
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1], next_page=2))
    add_page(rsps, 2, page([2], next_page=announced))

    with pytest.raises(wk.UnexpectedResponse, match=f"page 2 links to page {announced}"):
        list(client.list_withdrawals())
    assert len(rsps.calls) == 3


@pytest.mark.parametrize("number", ["\u00b2", "x", "2.0", "", "99999999999999999999999"])
def test_a_next_link_without_a_readable_page_number_is_refused(
    rsps: responses.RequestsMock, client: RipioClient, number: str
) -> None:
    add_token(rsps)
    body = page([1], next_page=None)
    body["next"] = f"http://localhost/api/v1/withdrawals/?page={number}"
    add_page(rsps, 1, body)

    with pytest.raises(wk.UnexpectedResponse, match="page 1 links to no page number"):
        list(client.list_withdrawals())


def test_page_number_in_reads_ascii_digits_only() -> None:
    assert page_number_in("http://localhost/api/v1/withdrawals/?page=12") == 12
    assert page_number_in("http://localhost/api/v1/withdrawals/?page=\u00b2") is None
    assert page_number_in("http://localhost/api/v1/withdrawals/?page=\u0663") is None
    assert page_number_in("http://localhost/api/v1/withdrawals/?page=0") is None
    assert page_number_in("http://localhost/api/v1/withdrawals/") is None


def test_more_rows_than_count_are_refused(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1, 2], next_page=2, count=3))
    add_page(rsps, 2, page([3, 4], next_page=None, count=3))

    yielded: list[str] = []
    with pytest.raises(wk.UnexpectedResponse, match="4 items were listed by page 2"):
        yielded.extend(item.id[-1] for item in client.list_withdrawals())
    assert yielded == ["1", "2"]


def test_fewer_rows_than_count_are_refused_at_the_end(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    add_token(rsps)
    add_page(rsps, 1, page([1, 2], next_page=2, count=5))
    add_page(rsps, 2, page([3], next_page=None, count=5))

    with pytest.raises(wk.UnexpectedResponse, match="held 3 items of the 5"):
        list(client.list_withdrawals())


def test_the_walk_is_bounded_by_count_and_the_first_page_size(
    rsps: responses.RequestsMock, client: RipioClient
) -> None:
    # A count that keeps growing lets every page pass the row check; the page bound, fixed by
    # the first page (count 4 in pages of 2: at most 2 + 1 pages), still ends the walk.
    add_token(rsps)
    for number in range(1, 6):
        body = page([2 * number - 1, 2 * number], next_page=number + 1, count=4 * number)
        add_page(rsps, number, body)

    with pytest.raises(wk.UnexpectedResponse, match="beyond the 3 pages"):
        list(client.list_withdrawals())
    assert urls(rsps).count(f"{WITHDRAWALS_URL}?page=4") == 0


def _pages_of(ids: list[list[str]], count: int) -> Any:
    def fetch(number: int) -> Page[str]:
        link = None if number == len(ids) else f"http://localhost/?page={number + 1}"
        return Page(ids[number - 1], link, count)

    return fetch


def test_an_item_listed_twice_on_one_page_is_refused() -> None:
    with pytest.raises(wk.UnexpectedResponse, match="page 1 lists 'a' again"):
        list(iterate_pages(_pages_of([["a", "b", "a"]], count=3), key=str))


def test_a_first_page_item_served_again_pages_later_is_refused() -> None:
    # The walk keeps only the first and the previous page's ids, so this is what the first
    # page's are kept for: a server that went back to the start.
    pages = [["a", "b"], ["c", "d"], ["e", "f"], ["b", "g"]]
    yielded: list[str] = []
    with pytest.raises(wk.UnexpectedResponse, match="page 4 lists 'b' again"):
        yielded.extend(iterate_pages(_pages_of(pages, count=8), key=str))
    assert yielded == list("abcdef")


def test_a_long_walk_with_distinct_ids_yields_every_item_once() -> None:
    pages = [[f"w-{page}-{row}" for row in range(3)] for page in range(1000)]
    walked = list(iterate_pages(_pages_of(pages, count=3000), key=str))
    assert walked == [item for page in pages for item in page]
