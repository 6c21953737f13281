"""The README's marked examples (testing with withdrawkit.testing; reconciling an
OutcomeUnknown) run and pass, and the fault operation names it lists are the ones the fakes
serve."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.testing.user_suite import ROOT, run_user_suite
from withdrawkit.testing import FakeOneKonto, FakeRipio

EXAMPLE = re.compile(
    r"<!-- readme-example: start -->\n```python\n(?P<code>.*?)```\n<!-- readme-example: end -->",
    re.S,
)
OPERATIONS = re.compile(
    r"<!-- fake-operations: start -->\n(?P<list>.*?)<!-- fake-operations: end -->", re.S
)


EXAMPLES = EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_its_marked_examples() -> None:
    # The testing section's, and the OutcomeUnknown section's (reconcile).
    assert len(EXAMPLES) == 2, "the README lost a marked example"


@pytest.mark.parametrize("code", EXAMPLES, ids=["testing", "outcome-unknown"][: len(EXAMPLES)])
def test_each_readme_example_passes(tmp_path: Path, code: str) -> None:
    (tmp_path / "test_readme_example.py").write_text(code, encoding="utf-8")

    result = run_user_suite(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    tests = len(re.findall(r"^def test_", code, re.M))
    assert tests > 0
    assert f"{tests} passed" in result.stdout


def test_the_readme_lists_every_operation_each_fake_serves() -> None:
    match = OPERATIONS.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match is not None, "the README lost its marked list of fake operations"
    listed: dict[str, list[str]] = {}
    for item in re.split(r"\n- ", "\n" + match["list"].strip())[1:]:
        name, names = item.split(":", 1)
        listed[name.strip("` ")] = re.findall(r"`([A-Za-z]+)`", names)
    assert listed == {
        "FakeOneKonto": FakeOneKonto().operations,
        "FakeRipio": FakeRipio().operations,
    }
