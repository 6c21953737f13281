"""The public API type-checks under ``mypy --strict`` the way a caller's code uses it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONSUMER = ROOT / "tests" / "consumer_typecheck.py"


@pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed in this environment; install it to type-check the public API",
)
def test_consumer_code_passes_mypy_strict() -> None:
    # The repository's pyproject.toml supplies mypy_path (facade/, generated/).
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", str(CONSUMER)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
