"""``nox -s hostile``: misbehaving servers on loopback, and how long withdrawkit takes to give up.

Every case runs against a server of its own on 127.0.0.1 (tests/hostile_cases.py and
tests/loopback.py): answers trickled a byte at a time where a socket timeout cannot see it,
bodies cut inside their framing, compressed bodies that decode past the size cap or never
decode to anything, redirects to another origin, and error bodies built to make
a pattern quadratic. Each case declares the exception it must end with (for a money POST,
``OutcomeUnknown``, "may or may not have been applied", or ``UnexpectedResponse``, "the server
took it"): its class exactly, and a phrase of its message. Each row prints what the call
raised, the time it took, and the documented limit: the connect and read timeouts added
together (one attempt; ``max_retries=0``), plus WATCHDOG_SLACK for the watchdog and the
socket's close to take effect. A case that ends any other way (answered, another class, over
the limit) is FAILED in the table. Then each pattern's CPU cost on a 1 MiB
pathological input is printed against a same-size ordinary control, measured in one run.
Last, what the deadline watchdog costs a request that ends in time: entering and leaving
its watch, against a bare context manager and against one keep-alive GET over loopback.
Exits 1 if any case failed or a pattern is over its limit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import http.server
import sys
import threading
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from typing import Final

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from tests.hostile_cases import (  # noqa: E402
    BOMB_CASES,
    CUT_CASES,
    NEVER_DECODING_CASES,
    SLOW_CASES,
)
from tests.loopback import Script, ScriptedServer, Wire, answer  # noqa: E402
from tests.pathological_text import CASES, SIZE, cpu_seconds_each  # noqa: E402
from withdrawkit._deadline import watching  # noqa: E402
from withdrawkit._error_mapping import map_ripio_error  # noqa: E402
from withdrawkit._exceptions import (  # noqa: E402
    OutcomeUnknown,
    ServerError,
    TransportError,
    UnexpectedResponse,
)
from withdrawkit._transport import Transport  # noqa: E402

TIMEOUT: Final = (1.0, 2.0)
LIMIT: Final = TIMEOUT[0] + TIMEOUT[1]
WATCHDOG_SLACK: Final = 0.1
RATIO_LIMIT: Final = 25.0
NOISE_FLOOR_SECONDS: Final = 0.05


def redirect_away(wire: Wire, request: bytes) -> None:
    location = "http://127.0.0.1:9/elsewhere?access_token=s3cr3t"
    wire.send(answer("302 Found", headers=[("Location", location)]))


def see_other(wire: Wire, request: bytes) -> None:
    wire.send(answer("303 See Other", headers=[("Location", "/api/v1/withdrawals/w-9/")]))


def bad_gateway_of(unit: str) -> Script:
    body = (unit * (SIZE // len(unit) + 1))[:SIZE].encode()

    def script(wire: Wire, request: bytes) -> None:
        wire.send(answer("502 Bad Gateway", body, [("Content-Type", "text/html")]))

    return script


Call = Callable[[Transport], object]


@dataclasses.dataclass(frozen=True)
class Case:
    """One misbehaving server, the call made to it, and how that call must end."""

    name: str
    script: Script
    call: Call
    expected: type[Exception]  # exactly this class, not a subclass
    says: str  # a phrase the exception's message must contain
    callers_session: bool = False


def money_post(transport: Transport) -> object:
    return transport.request("POST", "/api/v1/withdrawals/", json_body={}, moves_money=True)


def read(transport: Transport) -> object:
    return transport.request("GET", "/api/v1/withdrawals/w-1/")


TOO_SLOW: Final = "within the connect and read timeouts added together"
TRUNCATED: Final = "connection dropped while reading the response (IncompleteRead)"
TOO_LARGE: Final = "the response is larger than"


def network_cases() -> list[Case]:
    cases: list[Case] = []
    for name, script in SLOW_CASES.items():
        cases += [
            Case(f"{name}, money POST", script, money_post, OutcomeUnknown, TOO_SLOW),
            Case(
                f"{name}, money POST, caller's session",
                script,
                money_post,
                OutcomeUnknown,
                TOO_SLOW,
                callers_session=True,
            ),
            Case(f"{name}, read", script, read, TransportError, TOO_SLOW),
        ]
    for name, script in CUT_CASES.items():
        cases.append(Case(f"cut {name}, money POST", script, money_post, OutcomeUnknown, TRUNCATED))
    for name, script in BOMB_CASES.items():
        cases.append(Case(f"{name}, money POST", script, money_post, OutcomeUnknown, TOO_LARGE))
    for name, (script, says) in NEVER_DECODING_CASES.items():
        cases.append(Case(f"{name}, money POST", script, money_post, OutcomeUnknown, says))
    cases += [
        Case("redirect to another origin, read", redirect_away, read, UnexpectedResponse, "origin"),
        Case("303 See Other, money POST", see_other, money_post, UnexpectedResponse, "accepted"),
    ]
    for unit in ("<", "<title>", "eyJ"):
        script = bad_gateway_of(unit)
        cases.append(Case(f"502 of {unit!r} * 1 MiB, read", script, read, ServerError, "502"))
    return cases


def run_network_case(case: Case) -> tuple[BaseException | None, float]:
    """What ``case``'s call raised (None: it returned), and how long it took."""
    session = requests.Session() if case.callers_session else None
    raised: BaseException | None = None
    with ScriptedServer(case.script) as server:
        transport = Transport(
            server.url,
            provider="Ripio",
            map_error=map_ripio_error,
            timeout=TIMEOUT,
            max_retries=0,
            session=session,
        )
        started = time.monotonic()
        try:
            case.call(transport)
        except Exception as error:  # noqa: BLE001 - what was raised is the row's result
            raised = error
        elapsed = time.monotonic() - started
        transport.close()
    if session is not None:
        session.close()
    return raised, elapsed


def verdict_of(case: Case, raised: BaseException | None, elapsed: float) -> str:
    """ "ok", or why the case failed."""
    if raised is None:
        return "FAILED: answered"
    if type(raised) is not case.expected:
        return f"FAILED: expected {case.expected.__name__}"
    if case.says not in str(raised):
        return f"FAILED: message lacks {case.says!r}"
    if elapsed > LIMIT + WATCHDOG_SLACK:
        return "FAILED: over the limit"
    return "ok"


class _Ok(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 64 * 1024  # head and body in one send: no Nagle and delayed-ACK stall

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
        self.wfile.flush()

    def log_message(self, format: str, *args: object) -> None:
        pass


def watchdog_cost() -> None:
    count = 20_000

    def bare() -> None:
        with contextlib.nullcontext():
            pass

    def watched() -> None:
        with watching(time.monotonic() + LIMIT):
            pass

    bare_us = min(timeit.repeat(bare, number=count, repeat=5)) / count * 1e6
    watched_us = min(timeit.repeat(watched, number=count, repeat=5)) / count * 1e6
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with Transport(url, provider="Ripio", map_error=map_ripio_error) as transport:
        gets = 300
        get_seconds = min(
            timeit.repeat(lambda: transport.request("GET", "/x"), number=gets, repeat=3)
        )
    server.shutdown()
    server.server_close()
    get_us = get_seconds / gets * 1e6
    print(
        f"deadline watch per request: {watched_us:.1f} us (bare context manager {bare_us:.1f} us)"
    )
    print(
        f"one keep-alive GET over loopback through Transport: {get_us:.0f} us; "
        f"the watch is {watched_us / get_us:.1%} of it"
    )


def main() -> int:
    over = 0
    print(f"timeout={TIMEOUT}: limit {LIMIT:.2f} s per attempt (+{WATCHDOG_SLACK} s slack)")
    print(f"{'case':58} {'expected':18} {'raised':18} {'gave up':>8} {'limit':>6}")
    for case in network_cases():
        raised, elapsed = run_network_case(case)
        verdict = verdict_of(case, raised, elapsed)
        over += verdict != "ok"
        outcome = "(answered)" if raised is None else type(raised).__name__
        print(
            f"{case.name:58} {case.expected.__name__:18} {outcome:18} {elapsed:7.2f}s "
            f"{LIMIT:5.2f}s {verdict}"
        )
    print()
    print(f"{'pattern on 1 MiB':48} {'CPU':>8} {'control':>8} {'ratio':>7}")
    for pattern, timings in cpu_seconds_each(list(CASES), budget=60.0).items():
        if timings is None:
            over += 1
            print(f"{pattern:48} still running after 60 s: OVER")
            continue
        pathological, control = timings
        ratio = pathological / control if control else float("inf")
        within = pathological <= RATIO_LIMIT * control + NOISE_FLOOR_SECONDS
        over += not within
        verdict = "ok" if within else "OVER"
        print(f"{pattern:48} {pathological:7.3f}s {control:7.3f}s {ratio:6.1f}x {verdict}")
    print()
    watchdog_cost()
    print(f"\n{over} case(s) failed or over the limit")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
