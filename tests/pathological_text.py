"""Server text built to make a pattern slow, with a same-size ordinary control for each.

``measure(case)`` times one case in the process it runs in (CPU time, not wall clock):
``cpu_seconds_each(cases)`` runs them one after another in one fresh process, so a
super-linear pattern that would take hours is stopped at a budget instead of hanging the
suite, and the cases after it go on in another. Used by tests/test_hostile_text.py
and benchmarks/hostile.py.
"""

from __future__ import annotations

import importlib
import multiprocessing
import queue
import time
from collections.abc import Callable, Sequence
from typing import Final

from withdrawkit import _redaction
from withdrawkit._error_mapping import map_onekonto_error
from withdrawkit._error_mapping.response import ErrorResponse
from withdrawkit._exceptions import ServerError, UnexpectedResponse
from withdrawkit._response_body import Body, body_of
from withdrawkit._transport_log import response_body_for_log

SIZE: Final = 1024 * 1024
# Ordinary text of the same size: an error page with tags, pairs, header lines, words and a
# JWT (so that masking has real work in the control too).
CONTROL_UNIT: Final = (
    '<p class="x">Gateway error, request id=4f2a "code": 502 Retry-After: 30</p>\n'
    "<p>session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln expired</p>\n"
)


def _sized(unit: str) -> str:
    return (unit * (SIZE // len(unit) + 1))[:SIZE]


def _piece(module: str, name: str) -> Callable[[str], object]:
    """A private function or compiled pattern of withdrawkit, looked up when the case runs
    (so a piece renamed or removed fails its case, not the whole module's import). A pattern
    makes one whole pass over the text, as redact_text makes it."""

    def apply(text: str) -> object:
        piece = getattr(importlib.import_module(module), name)
        if hasattr(piece, "sub"):
            return piece.sub(lambda match: match[0], text)
        return piece(text)

    return apply


_REDACTION: Final = "withdrawkit._redaction"
_EXCERPTS: Final = "withdrawkit._server_excerpts"
_ONEKONTO: Final = "withdrawkit._error_mapping.onekonto"


def _exception_excerpt(text: str) -> object:
    return str(UnexpectedResponse("GET /x: not JSON", http_status=502, body=text))


def _server_error(text: str) -> object:
    return str(ServerError(provider="Ripio", http_status=502, body=text))


def _log_line(text: str) -> object:
    return response_body_for_log(Body(text, problem="the body is not JSON"), secret=False)


def _decoded(text: str) -> object:
    return body_of(text.encode(), "text/html; charset=utf-8")


def _after(head: str, run: Callable[[str], object]) -> Callable[[str], object]:
    """``run`` on ``head`` followed by the text: a keyword, then the run of blanks, letters or
    digits its pattern would backtrack over."""
    return lambda text: run(head + text)


def _onekonto_400(text: str) -> object:
    message = f"{text}."  # a last non-blank, so that stripping the message leaves the run
    response = ErrorResponse(http_status=400, body_json={"errors": [message]}, body_text=message)
    return str(map_onekonto_error(response))


def _category_prefix(message: str) -> object:
    # Matched whole (fullmatch), as the table matches it; a search would try every start.
    return importlib.import_module(_ONEKONTO)._PREFIXED.fullmatch(message)


def _retry_after(value: str) -> object:
    return ErrorResponse(http_status=503, headers={"Retry-After": value}).retry_after


def _charset(parameters: str) -> object:
    return body_of(b"<p>down</p>", f"text/html; charset{parameters}")


# name: (what runs on server text, the unit repeated to 1 MiB)
CASES: Final[dict[str, tuple[Callable[[str], object], str]]] = {
    "excerpt of '<' * n": (_exception_excerpt, "<"),
    "excerpt of '<title>' * n": (_exception_excerpt, "<title>"),
    "excerpt of 'eyJ' * n": (_exception_excerpt, "eyJ"),
    "summary of '<' * n": (_server_error, "<"),
    "log line of 'eyJ' * n": (_log_line, "eyJ"),
    "redact_text of 'eyJa.' * n": (_redaction.redact_text, "eyJa."),
    "redact_text of '\"password\":' * n": (_redaction.redact_text, '"password":'),
    "redact_text of 'password: ' * n": (_redaction.redact_text, "password: "),
    "redact_text of 'Bearer ' * n": (_redaction.redact_text, "Bearer "),
    "body_of '<' * n": (_decoded, "<"),
    # The pieces themselves, on the whole 1 MiB (redact_text reads a bounded prefix).
    "tags of '<' * n": (_piece(_EXCERPTS, "without_tags"), "<"),
    "title of '<title>' * n": (_piece(_EXCERPTS, "html_title"), "<title>"),
    "JWT scan of 'eyJ' * n": (_piece(_REDACTION, "_mask_jwts"), "eyJ"),
    "JWT scan of 'eyJa.' * n": (_piece(_REDACTION, "_mask_jwts"), "eyJa."),
    'JSON pairs of \'"a":"\' * n': (_piece(_REDACTION, "_JSON_PAIR"), '"a":"'),
    'JSON pairs of "\'" * n': (_piece(_REDACTION, "_JSON_PAIR"), "'"),
    "header names of 'X-Auth-' * n": (_piece(_REDACTION, "_HEADER_NAME"), "X-Auth-"),
    "form pairs of 'a=' * n": (_piece(_REDACTION, "_FORM_PAIR"), "a="),
    "encoded pairs of '%26a' * n": (_piece(_REDACTION, "_ENCODED_FORM_PAIR"), "%26a"),
    "credentials of 'Bearer a' * n": (_piece(_REDACTION, "_AUTH_CREDENTIALS"), "Bearer a"),
    "header lines of 'password:' * n": (_piece(_REDACTION, "_mask_header_lines"), "password:"),
    # The error table, through the mapping and pattern by pattern (a pattern's whole pass over
    # the 1 MiB; the mapping reads a bounded prefix of each message).
    "1Konto 400 of 'requested' + ' ' * n": (
        _after("Insufficient Funds: requested", _onekonto_400),
        " ",
    ),
    "1Konto 400 of 'only' + ' ' * n": (_after("Insufficient Funds: only", _onekonto_400), " "),
    "1Konto 400 of ' ' * n": (_onekonto_400, " "),
    "1Konto 400 of 'ValidationFailed: ' + '. a' * n": (
        _after("ValidationFailed: ", _onekonto_400),
        ". a",
    ),
    "requested of 'requested' + ' ' * n": (
        _after("requested", _piece(_ONEKONTO, "_REQUESTED")),
        " ",
    ),
    "requested of 'requested 1' + '1' * n": (
        _after("requested 1", _piece(_ONEKONTO, "_REQUESTED")),
        "1",
    ),
    "available of 'available' + ' ' * n": (
        _after("available", _piece(_ONEKONTO, "_AVAILABLE")),
        " ",
    ),
    "available of 'only' * n": (_piece(_ONEKONTO, "_AVAILABLE"), "only "),
    "field names of '. a' * n": (_piece(_ONEKONTO, "_FIELD_START"), ". a"),
    "field names of 'a' * n": (_piece(_ONEKONTO, "_FIELD_START"), "a"),
    "category prefix of ' ' * n": (_category_prefix, " "),
    "category prefix of 'a ' * n": (_category_prefix, "a "),
    "category key of 'a-' * n": (_piece(_ONEKONTO, "_key"), "a-"),
    "Retry-After of '1' * n": (_retry_after, "1"),
    "charset of ' ' * n": (_charset, " "),
    "charset pattern of 'charset=' + ' ' * n": (
        _after("charset=", _piece("withdrawkit._response_body", "_CHARSET")),
        " ",
    ),
}


def measure(case: str) -> tuple[float, float]:
    """CPU seconds of the case on its pathological input, then on the control."""
    run, unit = CASES[case]
    timings = []
    for text in (_sized(unit), _sized(CONTROL_UNIT)):
        started = time.process_time()
        run(text)
        timings.append(time.process_time() - started)
    return timings[0], timings[1]


Timings = tuple[float, float]
# What the child reports per case: its timings, or the error it raised (as text).
_Report = tuple[str, "Timings | str"]


def _measure_each(cases: Sequence[str], reports: multiprocessing.Queue[_Report]) -> None:
    for case in cases:
        try:
            reports.put((case, measure(case)))
        except Exception as error:  # noqa: BLE001 - reported to the parent as the case's failure
            reports.put((case, f"{type(error).__name__}: {error}"))


def cpu_seconds_each(cases: Sequence[str], *, budget: float) -> dict[str, Timings | None]:
    """``measure(case)`` of every case, one after another in one fresh process; a case that
    has not finished ``budget`` seconds after the one before it is None (super-linear): the
    process is killed and the cases after it go on in a new one. A case that raised is raised
    as AssertionError naming it."""
    context = multiprocessing.get_context("spawn")
    timings: dict[str, Timings | None] = {}
    remaining = list(cases)
    while remaining:
        reports: multiprocessing.Queue[_Report] = context.Queue()
        child = context.Process(target=_measure_each, args=(remaining, reports), daemon=True)
        child.start()
        while remaining:
            try:
                case, outcome = reports.get(timeout=budget)
            except queue.Empty:
                timings[remaining.pop(0)] = None  # the case the child is still running
                child.kill()
                break
            if isinstance(outcome, str):
                child.kill()
                raise AssertionError(f"{case}: {outcome}")
            timings[case] = outcome
            remaining.remove(case)
        child.join()
    return timings
