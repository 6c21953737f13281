"""The distribution says what it is: its license, its authors and the Pythons it is tested on.

The supported CPythons are listed once for each tool that needs them: noxfile.py's PYTHONS (the
tests session runs on each), .ci/run's SUPPORTED, pyproject.toml's requires-python and
classifiers, and the README. These tests hold them equal.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def supported_pythons() -> list[str]:
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "PYTHONS" for target in node.targets
        ):
            versions = ast.literal_eval(node.value)
            assert isinstance(versions, tuple)
            return [str(version) for version in versions]
    raise AssertionError("noxfile.py defines no PYTHONS")


def test_the_tests_run_on_every_python_from_310_to_313() -> None:
    assert supported_pythons() == ["3.10", "3.11", "3.12", "3.13"]


def test_ci_runs_the_tests_on_the_same_pythons() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    supported = re.search(r"^SUPPORTED=\((?P<versions>[0-9. ]+)\)$", ci, re.MULTILINE)
    assert supported is not None
    assert supported["versions"].split() == supported_pythons()


def test_the_metadata_claims_exactly_the_supported_pythons() -> None:
    metadata = importlib.metadata.metadata("withdrawkit")
    assert metadata["Requires-Python"] == f">={supported_pythons()[0]}"
    prefix = "Programming Language :: Python :: 3."
    claimed = [
        classifier.removeprefix("Programming Language :: Python :: ")
        for classifier in metadata.get_all("Classifier") or []
        if classifier.startswith(prefix)
    ]
    assert claimed == supported_pythons()


def test_the_license_is_the_mit_text_the_metadata_names() -> None:
    metadata = importlib.metadata.metadata("withdrawkit")
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Author"] == "the withdrawkit authors"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the withdrawkit authors\n")
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_the_readme_states_the_supported_pythons() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    *first, last = supported_pythons()
    assert f"CPython {', '.join(first)} and {last}" in readme
