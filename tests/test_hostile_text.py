"""Every pattern applied to server text runs in linear time: benchmark-style checks.

Each case runs on a 1 MiB input built to make it slow and on a 1 MiB ordinary control, one
after the other in the same process; the slow input may cost at most RATIO times the control
(plus a floor for timer noise). All cases are measured once, in one fresh process (spawning
one per case cost more than the measuring); each test reads its own case's timings, so a
failure names its pattern. A quadratic pattern costs hours at this size, so it is stopped at
BUDGET_SECONDS and the case fails. No wall-clock limit is asserted on a linear case.
"""

from __future__ import annotations

import pytest

from tests.pathological_text import CASES, Timings, cpu_seconds_each

RATIO = 25.0
NOISE_FLOOR_SECONDS = 0.05
BUDGET_SECONDS = 30.0


@pytest.fixture(scope="module")
def measured() -> dict[str, Timings | None]:
    return cpu_seconds_each(list(CASES), budget=BUDGET_SECONDS)


@pytest.mark.parametrize("case", list(CASES))
def test_a_pathological_mebibyte_costs_no_more_than_ordinary_text(
    case: str, measured: dict[str, Timings | None]
) -> None:
    timings = measured[case]

    assert timings is not None, f"{case}: still running after {BUDGET_SECONDS} s (super-linear)"
    pathological, control = timings
    assert pathological <= RATIO * control + NOISE_FLOOR_SECONDS, (
        f"{case}: {pathological:.3f} s of CPU against {control:.3f} s for ordinary text"
    )
