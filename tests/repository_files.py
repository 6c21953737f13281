"""The repository's own files: git's list in a checkout, every file in an unpacked sdist.

An sdist has no git metadata, but everything in it was put there by the build, so walking it
(leaving out what running the tools creates) lists the same files a checkout's git would.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"

# What tools create while they run, never part of a checkout or an sdist.
_CREATED_BY_TOOLS = frozenset(
    {".nox", ".venv", "venv", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    | {".hypothesis", ".benchmarks", "build", "dist"}
)


def repository_files() -> list[str]:
    """Relative paths of the files tracked or new (not ignored), sorted."""
    if (ROOT / ".git").exists():
        listed = subprocess.run(
            [GIT, "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return sorted(name for name in listed.split("\0") if name and (ROOT / name).is_file())
    return sorted(
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*")
        if path.is_file()
        and not _CREATED_BY_TOOLS & set(path.relative_to(ROOT).parts)
        and path.relative_to(ROOT).as_posix() != "PKG-INFO"  # the build's metadata, not ours
        and not path.name.endswith((".pyc", ".egg-info"))
        and ".egg-info" not in path.relative_to(ROOT).as_posix()
    )
