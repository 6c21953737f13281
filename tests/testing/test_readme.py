"""The README's "Testing your code with withdrawkit.testing" example runs and passes, and the
fault operation names it lists are the ones the fakes serve."""

from __future__ import annotations

import re
from pathlib import Path

from tests.testing.user_suite import ROOT, run_user_suite
from withdrawkit.testing import FakeOneKonto, FakeRipio

EXAMPLE = re.compile(
    r"<!-- readme-example: start -->\n```python\n(?P<code>.*?)```\n<!-- readme-example: end -->",
    re.S,
)
OPERATIONS = re.compile(
    r"<!-- fake-operations: start -->\n(?P<list>.*?)<!-- fake-operations: end -->", re.S
)


def test_the_readme_testing_example_passes(tmp_path: Path) -> None:
    match = EXAMPLE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match is not None, "the README lost its marked testing example"
    (tmp_path / "test_readme_example.py").write_text(match["code"], encoding="utf-8")

    result = run_user_suite(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


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
