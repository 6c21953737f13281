"""Rows measured on whole processes or walks: import time, and a page walk's peak memory."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit

import requests
import requests.adapters
from decode_rows import withdrawal_page
from loopback_rows import TOKEN
from timing import Timing

import withdrawkit as wk

FIRST_USE = (
    "import withdrawkit as wk; "
    "wk.RipioClient('http://127.0.0.1:9', client_id='id', client_secret='secret').close()"
)


def _process_seconds(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603
    return time.perf_counter() - started


def import_row(*, repeats: int) -> tuple[Timing, Timing]:
    """What ``import withdrawkit`` plus a first client adds to a bare interpreter, against what
    ``import requests`` adds; the three kinds of process take turns."""
    bare: list[float] = []
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(repeats):
        bare.append(_process_seconds("pass"))
        ours.append(_process_seconds(FIRST_USE))
        theirs.append(_process_seconds("import requests"))
    floor = min(bare)
    return (
        Timing(tuple(sample - floor for sample in ours)),
        Timing(tuple(sample - floor for sample in theirs)),
    )


class _PagesAdapter(requests.adapters.BaseAdapter):
    """Answers the token request and page N of ``pages`` in process, keeping nothing: a mock
    that records its calls would itself grow with the walk."""

    def __init__(self, pages: int, rows: int) -> None:
        super().__init__()
        self.pages, self.rows = pages, rows

    def send(  # noqa: PLR0917 - BaseAdapter.send's own signature
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        url = str(request.url)
        if url.endswith("/oauth2/token/"):
            return _answer(request, json.dumps(TOKEN).encode())
        number = int(parse_qs(urlsplit(url).query)["page"][0])
        return _answer(request, self._page(number))

    def _page(self, number: int) -> bytes:
        body = json.loads(withdrawal_page(self.rows))
        body["count"] = self.pages * self.rows
        for row in body["results"]:
            row["id"] = f"{number}-{row['id']}"
        if number < self.pages:
            body["next"] = f"http://localhost/api/v1/withdrawals/?page={number + 1}"
        return json.dumps(body).encode()

    def close(self) -> None:
        """Nothing to release."""


def _answer(request: requests.PreparedRequest, content: bytes) -> requests.Response:
    response = requests.Response()
    response.status_code = 200
    response.headers["Content-Type"] = "application/json"
    response._content = content
    response.request, response.url = request, str(request.url)
    return response


def _walk_peak(pages: int, rows: int) -> int:
    """Peak bytes traced while ``list_withdrawals`` walks ``pages`` pages, discarding rows."""
    session = requests.Session()
    session.mount("https://", _PagesAdapter(pages, rows))
    client = wk.RipioClient(
        "https://ripio.invalid",
        client_id="id",
        client_secret="made-up",  # noqa: S106
        session=session,
    )
    with client:
        tracemalloc.reset_peak()
        walked = sum(1 for _ in client.list_withdrawals())
        peak = tracemalloc.get_traced_memory()[1]
    if walked != pages * rows:
        raise SystemExit(f"the walk yielded {walked} rows of {pages * rows}")
    return peak


def memory_row(*, rows: int) -> tuple[int, int]:
    """Peak traced bytes during a 1,000-page walk and during a 10-page one.

    Tracing starts before a first walk of 300 pages, which leaves the process as any long walk
    does (the converter's generated functions, the URL parser's caches of its last 128 URLs);
    otherwise a short walk measured from a cold start would not count those some 75 KiB.
    """
    tracemalloc.start()
    try:
        _walk_peak(300, rows)
        return _walk_peak(1000, rows), _walk_peak(10, rows)
    finally:
        tracemalloc.stop()
