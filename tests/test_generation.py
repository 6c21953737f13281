"""scripts/generate.py: --check (CI's proof that generated/ is exactly what the specs produce)
and the templates' handling of awkward specs."""

from __future__ import annotations

import importlib.util
import inspect
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import attrs
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated" / "withdrawkit_generated"

pytest.importorskip("datamodel_code_generator", reason="the generator is a nox-installed tool")


def _load_generate_script() -> ModuleType:
    loaded = importlib.util.spec_from_file_location("generate", ROOT / "scripts" / "generate.py")
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


generate = _load_generate_script()


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


# -- the templates, on a scratch spec ---------------------------------------------------------

# Descriptions that a naive `"""{{ description }}"""` turns into a SyntaxError or into other text.
AWKWARD_DESCRIPTIONS = {
    "EndsInQuote": 'The label is "quoted"',
    "StartsWithQuote": '"Quoted" first',
    "Backslashes": r"Amounts match \d+, paths like C:\new\table and a final backslash \ ",
    "TrailingBackslash": "Ends with a backslash \\",
    "TripleQuotes": 'Three """ inside, four """" and \'\'\' too, ending with """',
    "Multiline": 'First line "a"\nSecond line with \\n written out\n"""\n\nLast "line"',
    "NulAndEscapes": "A NUL \x00 and \\x00 and \\u0041 and \\N{DIGIT ONE}",
}


def _scratch_spec() -> dict[str, object]:
    schemas: dict[str, object] = {
        name: {"type": "object", "description": text, "properties": {"a": {"type": "string"}}}
        for name, text in AWKWARD_DESCRIPTIONS.items()
    }
    schemas["QuotedEnum"] = {"type": "string", "description": 'An enum "quoted"', "enum": ["x"]}
    schemas["Numbers"] = {
        "type": "object",
        "properties": {
            "plain": {"type": "number"},
            "single": {"type": "number", "format": "float"},
            "double": {"type": "number", "format": "double"},
            "decimal": {"type": "number", "format": "decimal"},
        },
    }
    schemas["Credentials"] = {
        "type": "object",
        "required": ["user", "password"],
        "properties": {
            "user": {"type": "string"},
            "password": {"type": "string", "x-secret": True},
        },
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "scratch", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


@pytest.fixture(scope="module")
def scratch_models(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The scratch spec through the real pipeline: generator, templates, import swap, ruff."""
    folder = tmp_path_factory.mktemp("scratch")
    spec = folder / "scratch.yaml"
    spec.write_text(yaml.safe_dump(_scratch_spec(), allow_unicode=False), encoding="utf-8")
    package = folder / "scratch_models"
    package.mkdir()
    (package / "scratch.py").write_text(generate.model_source(str(spec)), encoding="utf-8")
    generate.format_with_ruff(package)
    loaded = importlib.util.spec_from_file_location("scratch_models", package / "scratch.py")
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    sys.modules[loaded.name] = module  # typing.get_type_hints looks the module up there
    try:
        loaded.loader.exec_module(module)  # a SyntaxError here is the bug this guards against
        yield module
    finally:
        del sys.modules[loaded.name]


@pytest.mark.parametrize(("name", "text"), list(AWKWARD_DESCRIPTIONS.items()))
def test_any_description_becomes_the_exact_docstring(
    scratch_models: ModuleType, name: str, text: str
) -> None:
    docstring = getattr(scratch_models, name).__doc__
    assert inspect.cleandoc(docstring).strip() == inspect.cleandoc(text).strip()


def test_enum_descriptions_are_quoted_too(scratch_models: ModuleType) -> None:
    assert scratch_models.QuotedEnum.__doc__.strip() == 'An enum "quoted"'


def test_every_json_number_generates_decimal(scratch_models: ModuleType) -> None:
    fields = attrs.fields_dict(attrs.resolve_types(scratch_models.Numbers))
    assert {name: field.type for name, field in fields.items()} == dict.fromkeys(
        ("plain", "single", "double", "decimal"), Decimal | None
    )


def test_x_secret_properties_stay_out_of_the_repr(scratch_models: ModuleType) -> None:
    credentials = scratch_models.Credentials(user="someone", password="hunter2")
    assert "hunter2" not in repr(credentials)
    assert "someone" in repr(credentials)
