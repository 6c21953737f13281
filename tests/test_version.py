"""The version is written once, in facade/withdrawkit/_version.py, and the changelog has it."""

from __future__ import annotations

import re

import withdrawkit
from tests.repository_files import ROOT, repository_files

VERSION_FILE = "facade/withdrawkit/_version.py"


def tracked_text_files() -> list[str]:
    return repository_files()


def test_hatchling_reads_the_version_from_the_one_version_file() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]$', pyproject, flags=re.M)
    hatch_version = re.search(r'^\[tool\.hatch\.version\]\npath = "(.+)"$', pyproject, flags=re.M)
    assert hatch_version is not None
    assert hatch_version[1] == VERSION_FILE
    assert not re.search(r"^version\s*=", pyproject, flags=re.M)


def test_no_other_file_repeats_the_version() -> None:
    version = re.compile(rf"(?<![\w.]){re.escape(withdrawkit.__version__)}(?![\w.])")
    repeating = [
        name
        for name in tracked_text_files()
        if name not in {VERSION_FILE, "CHANGELOG.md"}
        and version.search((ROOT / name).read_text(encoding="utf-8", errors="replace"))
    ]
    assert repeating == []


def test_the_changelog_has_a_section_for_the_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(r"^## \[Unreleased\]$", changelog, flags=re.M)
    assert re.search(rf"^## \[{re.escape(withdrawkit.__version__)}\] - ", changelog, flags=re.M)
