"""scripts/generate.py --check: CI's proof that generated/ is exactly what the specs produce."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated" / "withdrawkit_generated"

pytest.importorskip("datamodel_code_generator", reason="the generator is a nox-installed tool")


def run_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/generate.py", "--check", "--out", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def committed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("generated") / GENERATED.name
    shutil.copytree(GENERATED, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_committed_models_match_the_specs(committed_copy: Path) -> None:
    result = run_check(committed_copy)
    assert result.returncode == 0, result.stderr
    assert "matches the specs" in result.stdout


def test_a_hand_edited_model_is_named(committed_copy: Path, tmp_path: Path) -> None:
    edited = tmp_path / GENERATED.name
    shutil.copytree(committed_copy, edited)
    ripio = edited / "ripio.py"
    ripio.write_text(ripio.read_text(encoding="utf-8") + "\n# a hand edit\n", encoding="utf-8")
    (edited / "stray.py").write_text("", encoding="utf-8")
    (edited / "onekonto.py").unlink()

    result = run_check(edited)

    assert result.returncode == 1
    assert "Differs: onekonto.py, ripio.py, stray.py" in result.stderr
