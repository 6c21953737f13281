"""Django REST Framework page-number pages as ``FakeRipio`` serves every partner-wide list.

Like the docs' List Withdrawals example, the ``next``/``previous`` links point at
``http://localhost`` whatever host the fake is reached on, so clients that follow them blindly
fail in tests as they would against Ripio.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Final, TypeVar

from withdrawkit.testing._exchange import FakeRequest
from withdrawkit.testing._request_reading import positive_count
from withdrawkit.testing._ripio_errors import not_found

__all__ = ["LINK_HOST", "page_body"]

T = TypeVar("T")

LINK_HOST: Final = "http://localhost"


def page_body(
    request: FakeRequest,
    records: Sequence[T],
    *,
    path: str,
    page_size: int,
    render: Callable[[T], dict[str, Any]],
    seen: Callable[[T], None] | None = None,
) -> dict[str, Any]:
    """The page ``?page=N`` asks for (1 by default); a bad or past-the-end page is a 404.

    ``seen`` is called on each record shown (a poll, for withdrawals) before it is rendered.
    """
    page = positive_count(request.query_value("page") or "1")
    if page is None:
        raise not_found("Invalid page.")
    start = (page - 1) * page_size
    if start >= len(records) and page != 1:
        raise not_found("Invalid page.")
    shown = records[start : start + page_size]
    if seen is not None:
        for record in shown:
            seen(record)
    has_next = start + page_size < len(records)
    return {
        "count": len(records),
        "next": _link(path, page + 1) if has_next else None,
        "previous": _link(path, page - 1) if page > 1 else None,
        "results": [render(record) for record in shown],
    }


def _link(path: str, page: int) -> str:
    # Django REST Framework drops ?page=1 from the link to the first page.
    return f"{LINK_HOST}{path}" if page == 1 else f"{LINK_HOST}{path}?page={page}"
