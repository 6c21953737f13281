"""Run a test file with pytest in a subprocess, as a project that installed withdrawkit would."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_user_suite(folder: Path) -> subprocess.CompletedProcess[str]:
    # Installed, withdrawkit registers the plugin through its pytest11 entry point; naming it
    # with -p as well would register it twice, which pytest refuses.
    installed = any(
        entry.name == "withdrawkit" for entry in importlib.metadata.entry_points(group="pytest11")
    )
    load_plugin = [] if installed else ["-p", "withdrawkit.testing.pytest_plugin"]
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            *load_plugin,
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(folder),
            str(folder),
        ],
        capture_output=True,
        text=True,
        cwd=folder,
        env={
            "PYTHONPATH": f"{ROOT / 'facade'}:{ROOT / 'generated'}",
            "PATH": "/usr/bin:/bin",
        },
        timeout=120,
        check=False,
    )
