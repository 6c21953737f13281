"""``nox -s bench``: every performance goal of withdrawkit, each against its baseline measured in
the same run, in one table; exits 1 when a goal is missed.

Each timed row alternates withdrawkit's side and its baseline (``timing.interleaved``) and
reports the best and the median of the repeats; the ratio and the goal use the best, the figure
least disturbed by whatever else runs on the machine. Ratios, not seconds, are what to compare
between commits and machines.
"""

from __future__ import annotations

import sys

import attrs
from decode_rows import decode_row, request_body_row, withdrawal_page
from loopback_rows import facade_call_row, fake_server_row
from process_rows import import_row, memory_row
from timing import Timing

MS = 1e3
US = 1e6


@attrs.frozen
class Row:
    what: str
    ours: str
    baseline: str
    ratio: float
    goal: str
    met: bool


def timed(
    what: str, pair: tuple[Timing, Timing], *, unit: float, goal_ratio: float, baseline: str
) -> Row:
    ours, theirs = pair
    suffix = "ms" if unit == MS else "us"
    ratio = ours.best / theirs.best
    return Row(
        what,
        f"{ours.best * unit:.2f} / {ours.median * unit:.2f} {suffix}",
        f"{baseline}: {theirs.best * unit:.2f} / {theirs.median * unit:.2f} {suffix}",
        ratio,
        f"<= {goal_ratio:.2f}x",
        ratio <= goal_ratio,
    )


def fake_rows() -> list[Row]:
    rows = []
    for name, label in (("ripio", "FakeRipio.serve()"), ("onekonto", "FakeOneKonto.serve()")):
        # Short turns, many of them: a burst from another process on the shared machine then
        # spoils a few of 70 turns of either side, not one of 7 (the min of 70 varied 1.18x to
        # 1.22x between runs where that of 7 varied 1.20x to 1.29x).
        pair = fake_server_row(name, number=20, repeats=70)
        row = timed(
            f"{label}: a request on a kept-alive connection",
            pair,
            unit=MS,
            goal_ratio=1.3,
            baseline="minimal stdlib server",
        )
        fast_enough = pair[0].best < 1.5e-3
        rows.append(attrs.evolve(row, goal="< 1.5 ms and <= 1.30x", met=row.met and fast_enough))
    return rows


def decode_rows() -> list[Row]:
    pairs = decode_row(withdrawal_page(10_000), repeats=15)
    rows = []
    for baseline, pair in pairs.items():
        is_goal = baseline.startswith("pydantic")
        row = timed(
            "decode a 10,000-row Ripio page (bytes -> Withdrawal)",
            pair,
            unit=MS,
            goal_ratio=1.0 if is_goal else float("inf"),
            baseline=baseline,
        )
        rows.append(row if is_goal else attrs.evolve(row, goal="(for reference)"))
    return rows


def memory() -> Row:
    long_walk, short_walk = memory_row(rows=20)
    ratio = long_walk / short_walk
    return Row(
        "list_withdrawals peak memory, 1,000 pages vs 10",
        f"1,000 pages: {long_walk / 1024:.0f} KiB",
        f"10 pages: {short_walk / 1024:.0f} KiB",
        ratio,
        "<= 1.50x",
        ratio <= 1.5,
    )


def print_table(rows: list[Row]) -> None:
    header = ("what", "withdrawkit best / median", "baseline best / median", "ratio", "goal", "")
    lines = [header] + [
        (
            row.what,
            row.ours,
            row.baseline,
            f"{row.ratio:.2f}x",
            row.goal,
            "ok" if row.met else "MISSED",
        )
        for row in rows
    ]
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    for number, line in enumerate(lines):
        print(
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
            + " |"
        )
        if number == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def main() -> int:
    rows = [
        *fake_rows(),
        *decode_rows(),
        memory(),
        timed(
            "request body: build + unstructure + exact JSON",
            request_body_row(number=200, repeats=90),
            unit=US,
            goal_ratio=2.0,
            baseline="json.dumps of the dict",
        ),
        timed(
            "import withdrawkit + first client, added over bare python",
            import_row(repeats=15),
            unit=MS,
            goal_ratio=1.25,
            baseline="import requests",
        ),
        timed(
            "RipioClient.get_withdrawal over loopback",
            facade_call_row(number=30, repeats=70),
            unit=MS,
            goal_ratio=1.10,
            baseline="requests.Session get + .json()",
        ),
    ]
    print_table(rows)
    missed = [row.what for row in rows if not row.met]
    if missed:
        print(f"\n{len(missed)} goal(s) missed: " + "; ".join(missed))
        return 1
    print("\nevery goal met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
