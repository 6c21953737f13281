""".ci/run's api_diff step on real clones: a shallow clone fetches HEAD's parent and compares
with it; only a root commit skips the comparison. nox is replaced by a recorder on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"
BASH = shutil.which("bash") or "bash"
# Without a caller's GIT_* variables (`git rebase --exec pytest` sets GIT_DIR): the clones below
# must be the tests' own repositories, never the enclosing one.
ISOLATED = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
RECORDER = """#!/bin/sh
echo "$*" >> "$(dirname "$0")/calls"
"""


def _git(repo: Path, *arguments: str) -> None:
    identity = ["-c", "user.name=ci test", "-c", "user.email=ci@example.invalid"]
    subprocess.run(
        [GIT, *identity, *arguments], cwd=repo, check=True, capture_output=True, env=ISOLATED
    )


def origin_with(tmp_path: Path, commits: int) -> Path:
    origin = tmp_path / "origin"
    (origin / ".ci").mkdir(parents=True)
    shutil.copy2(ROOT / ".ci" / "run", origin / ".ci" / "run")
    _git(origin, "init", "--quiet", "--initial-branch=main")
    for number in range(commits):
        (origin / "change").write_text(str(number), encoding="utf-8")
        _git(origin, "add", "--all")
        _git(origin, "commit", "--quiet", "--message", f"commit {number}")
    return origin


def run_ci(
    tmp_path: Path, origin: Path, *, cut_off: bool = False
) -> tuple[subprocess.CompletedProcess[str], str]:
    """.ci/run in a depth-1 clone of ``origin`` (``cut_off``: with no remote to deepen from)."""
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "--quiet", "--depth=1", origin.as_uri(), str(clone))
    if cut_off:
        _git(clone, "remote", "remove", "origin")
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    # python3 runs nox; python3.11 is one supported interpreter found, whatever is installed.
    for name in ("python3", "python3.11"):
        (fake_bin / name).write_text(RECORDER, encoding="utf-8")
        (fake_bin / name).chmod(0o755)
    environment = {**ISOLATED, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        [BASH, ".ci/run"], cwd=clone, env=environment, capture_output=True, text=True, check=False
    )
    calls = fake_bin / "calls"
    return result, calls.read_text(encoding="utf-8") if calls.exists() else ""


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_shallow_clone_fetches_the_parent_and_compares_with_it(tmp_path: Path) -> None:
    result, calls = run_ci(tmp_path, origin_with(tmp_path, commits=2))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "-m nox --non-interactive -s api_diff -- HEAD^" in calls.splitlines()
    assert "skipped" not in result.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_only_a_root_commit_skips_the_comparison_and_says_so(tmp_path: Path) -> None:
    result, calls = run_ci(tmp_path, origin_with(tmp_path, commits=1))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "api_diff: skipped: HEAD is a root commit" in result.stdout
    assert "api_diff" not in calls


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_shallow_clone_that_cannot_fetch_the_parent_fails(tmp_path: Path) -> None:
    result, calls = run_ci(tmp_path, origin_with(tmp_path, commits=2), cut_off=True)
    assert result.returncode != 0
    assert "api_diff" not in calls
    assert "check_generated" not in calls
