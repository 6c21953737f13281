"""Install withdrawkit each way the README gives and run a user's project against each install.

``nox -s install_check`` (and so ``.ci/run``) runs this. It builds the wheel and the sdist
(``python -m build``), checks what they contain, then for each way of installing makes a fresh
virtualenv, installs withdrawkit and pytest into it, copies ``scripts/user_project`` (and the
README's example suite) out of the repository and runs its tests there, where only the
installed package can be imported:

- the wheel, without the ``testing`` extra (the loopback fakes work; the in-process face says
  which extra to install) and with it;
- this directory (``pip install '.[testing]'`` from a clone);
- a git URL (``withdrawkit[testing] @ git+file://localhost/...``: the last commit, not
  uncommitted edits), when this directory is a git checkout;
- the sdist, unpacked, running its own ``nox -s lint tests-X.Y`` (X.Y: this interpreter).

Usage: ``python scripts/check_install.py [--skip-sdist-sessions]``. Exits non-zero, saying what
failed, if any step fails.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
USER_PROJECT: Final = ROOT / "scripts" / "user_project"
# The user's own test runner; pinned like every tool of the repository.
PYTEST: Final = "pytest==9.2.0"
README_EXAMPLE: Final = re.compile(
    r"<!-- readme-example: start -->\n```python\n(?P<code>.*?)```\n<!-- readme-example: end -->",
    re.DOTALL,
)
ALWAYS: Final = ("test_payouts_loopback.py",)
WITH_TESTING: Final = ("test_payouts.py", "test_readme_example.py")
WITHOUT_TESTING: Final = ("test_without_testing_extra.py",)


class CheckFailed(Exception):
    """One step of the check did not do what it should."""


@dataclasses.dataclass(frozen=True)
class Install:
    """One way of installing: what ``pip install`` is given, and whether the extra comes along."""

    name: str
    requirement: str
    with_testing: bool


def run(command: Sequence[str | Path], *, cwd: Path, env: dict[str, str] | None = None) -> None:
    shown = " ".join(str(part) for part in command)
    print(f"$ {shown}", flush=True)
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, check=False, text=True
    )
    if result.returncode != 0:
        raise CheckFailed(f"exit status {result.returncode}: {shown}")


def build(into: Path) -> tuple[Path, Path]:
    """The wheel and the sdist of this directory, built in an isolated environment."""
    run([sys.executable, "-m", "build", "--outdir", into, ROOT], cwd=ROOT)
    (wheel,) = into.glob("withdrawkit-*.whl")
    (sdist,) = into.glob("withdrawkit-*.tar.gz")
    return wheel, sdist


def check_wheel(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = next(name for name in names if name.endswith(".dist-info/METADATA"))
        text = archive.read(metadata).decode("utf-8")
        entry_points = archive.read(metadata.replace("METADATA", "entry_points.txt")).decode()
    required = ["withdrawkit/py.typed", "withdrawkit_generated/py.typed", "withdrawkit/testing/"]
    missing = [part for part in required if not any(name.startswith(part) for name in names)]
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in names):
        missing.append("LICENSE")
    for field in ("License-Expression: MIT", "Author: the withdrawkit authors"):
        if field not in text:
            missing.append(field)
    if "withdrawkit = withdrawkit.testing.pytest_plugin" not in entry_points:
        missing.append("the pytest11 entry point")
    if missing:
        raise CheckFailed(f"{wheel.name} lacks {', '.join(missing)}")
    print(f"{wheel.name}: package, py.typed, LICENSE, metadata and pytest plugin present")


def check_sdist(sdist: Path, into: Path) -> Path:
    with tarfile.open(sdist) as archive:
        archive.extractall(into, filter="data")
    (unpacked,) = into.iterdir()
    needed = ["LICENSE", "README.md", "CHANGELOG.md", "noxfile.py", "pyproject.toml", "tests"]
    needed += ["benchmarks", ".ci/run"]
    needed += ["openapi", "scripts/user_project", "facade", "generated"]
    missing = [part for part in needed if not (unpacked / part).exists()]
    if missing:
        raise CheckFailed(f"{sdist.name} lacks {', '.join(missing)}")
    print(f"{sdist.name}: everything its own nox sessions need is present")
    return unpacked


def user_project(into: Path, *, with_testing: bool) -> tuple[Path, list[str]]:
    """A copy of the user's project outside the repository, and the test files to run."""
    project = into / "project"
    shutil.copytree(USER_PROJECT, project)
    example = README_EXAMPLE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    if example is None:
        raise CheckFailed("README.md has no readme-example block")
    (project / "test_readme_example.py").write_text(example["code"], encoding="utf-8")
    files = [*ALWAYS, *(WITH_TESTING if with_testing else WITHOUT_TESTING)]
    return project, files


def clean_environment() -> dict[str, str]:
    """This process's environment without what would let the repository's code leak in."""
    dropped = {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PIP_REQUIRE_VIRTUALENV"}
    return {name: value for name, value in os.environ.items() if name not in dropped}


def try_install(install: Install, workdir: Path) -> None:
    print(f"\n== {install.name}: pip install {install.requirement!r}", flush=True)
    venv = workdir / "venv"
    env = clean_environment()
    run([sys.executable, "-m", "venv", venv], cwd=workdir, env=env)
    python = venv / "bin" / "python"
    pip: list[str | Path] = [python, "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    run([*pip, install.requirement, PYTEST], cwd=workdir, env=env)
    project, files = user_project(workdir, with_testing=install.with_testing)
    run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files], cwd=project, env=env)


def installs(wheel: Path) -> list[Install]:
    found = [
        Install("the wheel", str(wheel), with_testing=False),
        Install("the wheel with [testing]", f"{wheel}[testing]", with_testing=True),
        Install("a clone", f"{ROOT}[testing]", with_testing=True),
    ]
    if (ROOT / ".git").exists():
        # A host in the file URL: pip before 23.3 refuses "git+file:///path" as a requirement.
        url = f"withdrawkit[testing] @ git+file://localhost{ROOT}"
        found.append(Install("a git URL (the last commit)", url, with_testing=True))
    else:
        print("SKIPPED the git URL install: this directory is not a git checkout (an sdist?)")
    return found


def sdist_sessions(unpacked: Path) -> None:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    print(f"\n== the sdist's own sessions: nox -s lint tests-{version}", flush=True)
    command = [sys.executable, "-m", "nox", "--non-interactive", "-s", "lint", f"tests-{version}"]
    run(command, cwd=unpacked, env=clean_environment())


def main(arguments: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--skip-sdist-sessions", action="store_true")
    options = parser.parse_args(arguments)
    with tempfile.TemporaryDirectory(prefix="withdrawkit-install-") as temporary:
        scratch = Path(temporary)
        try:
            wheel, sdist = build(scratch / "dist")
            check_wheel(wheel)
            unpacked = check_sdist(sdist, scratch / "sdist")
            for number, install in enumerate(installs(wheel)):
                workdir = scratch / f"install-{number}"
                workdir.mkdir()
                try_install(install, workdir)
            if options.skip_sdist_sessions:
                print("SKIPPED the sdist's own nox sessions (--skip-sdist-sessions)")
            else:
                sdist_sessions(unpacked)
        except CheckFailed as failure:
            print(f"\nINSTALL CHECK FAILED: {failure}", file=sys.stderr)
            return 1
    print("\nEvery install works, and the user's project passes against each.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
