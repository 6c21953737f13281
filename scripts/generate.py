"""Generate the attrs models in generated/withdrawkit_generated from the specs in openapi/.

Usage: python scripts/generate.py [--out DIR] [--check]

With --check nothing is written: the models are generated into a temporary folder and
compared with DIR; every file that differs, is missing or is extra is named, and the exit
status is 1.

datamodel-code-generator writes dataclass-shaped code through the templates in
scripts/templates/, which emit attrs classes and OpenEnum enums; this script then
swaps the dataclass/enum imports for the ones those templates need and formats the
result with ruff, so the output is byte-identical on every run with the pinned tools.

Two spec conventions are enforced here rather than trusted to each spec: every JSON
number becomes Decimal (a `type: number` without `format: decimal` included, so no
model ever holds a float), and a property marked `x-secret: true` reaches the templates
as the field extra `secret`, which they turn into `repr=False`.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import re
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "scripts" / "templates"
DEFAULT_OUT = ROOT / "generated" / "withdrawkit_generated"
PINNED_GENERATOR = "0.89.0"

# module name -> spec file, relative to the repository root
SPECS = {
    "onekonto": "openapi/onekonto.yaml",
    "ripio": "openapi/ripio.yaml",
}

# Named schemas that become facade value types instead of generated classes.
TYPE_OVERRIDES = {
    "AssetAmount": "withdrawkit._amount.Amount",
    "AssetPrice": "withdrawkit._price.Price",
    "Money": "decimal.Decimal",
}

# Formats of `type: number` that would otherwise generate float ("default" is no format).
NUMBER_FORMATS = ("default", "float", "double")

GENERATOR_OPTIONS = [
    "--input-file-type", "openapi",
    "--output-model-type", "dataclasses.dataclass",
    "--custom-template-dir", str(TEMPLATES),
    "--target-python-version", "3.10",
    "--snake-case-field",
    "--use-subclass-enum",
    "--capitalise-enum-members",
    "--strict-nullable",
    "--use-union-operator",
    "--use-standard-collections",
    "--output-datetime-class", "datetime",
    "--use-schema-description",
    "--keep-model-order",
    "--disable-timestamp",
    "--formatters", "builtin",
    "--type-overrides", json.dumps(TYPE_OVERRIDES),
    # A number without a format (or float/double) generates Decimal, never float.
    "--type-mappings", *(f"number+{number_format}=decimal" for number_format in NUMBER_FORMATS),
    # `x-secret: true` on a property -> field.extras["secret"] in the templates.
    "--field-extra-keys-without-x-prefix", "x-secret",
]  # fmt: skip

INIT_SOURCE = '''{header}
"""Models generated from the specs in openapi/; import them through withdrawkit."""
'''


def header(spec: str) -> str:
    return (
        f"# Generated from {spec} by scripts/generate.py"
        f" (datamodel-code-generator {PINNED_GENERATOR}).\n"
        "# Do not edit by hand: change the spec, then run `nox -s generate`."
    )


def run_generator(spec: str) -> str:
    command = [
        sys.executable, "-m", "datamodel_code_generator",
        "--input", str(ROOT / spec),
        "--custom-file-header", header(spec),
        *GENERATOR_OPTIONS,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"datamodel-code-generator failed on {spec}:\n{result.stderr}")
    return result.stdout


def model_source(spec: str) -> str:
    """The module the generator writes for ``spec`` (relative to the repository root or
    absolute), with the attrs/OpenEnum imports, before ruff formats it."""
    return use_attrs_and_open_enums(run_generator(spec))


def use_attrs_and_open_enums(source: str) -> str:
    """Swap the imports the dataclass output asks for with the ones our templates use."""
    source = re.sub(r"^from dataclasses import [^\n]+\n", "import attrs\n", source, flags=re.M)
    return re.sub(
        r"^from enum import Enum\n",
        "from withdrawkit._open_enum import OpenEnum\n",
        source,
        flags=re.M,
    )


def format_with_ruff(folder: Path) -> None:
    config = ["--config", str(ROOT / "pyproject.toml")]
    for step in (
        ["check", "--fix-only", "--select", "I,F401,UP", "--quiet"],
        ["format", "--quiet"],
    ):
        command = [sys.executable, "-m", "ruff", *step, *config, str(folder)]
        subprocess.run(command, check=True, cwd=ROOT)


def require_pinned_generator() -> None:
    installed = version("datamodel-code-generator")
    if installed != PINNED_GENERATOR:
        raise SystemExit(
            f"datamodel-code-generator {installed} is installed, {PINNED_GENERATOR} is pinned:"
            " run `nox -s generate` so the output matches CI."
        )


def generate_into(staging: Path) -> None:
    staging.mkdir(parents=True)
    (staging / "__init__.py").write_text(INIT_SOURCE.format(header=header("openapi/")))
    (staging / "py.typed").write_text("")
    for module, spec in SPECS.items():
        (staging / f"{module}.py").write_text(model_source(spec))
    format_with_ruff(staging)


def differences(fresh: Path, committed: Path) -> list[str]:
    """Names of the files that differ between the two folders, or are in only one of them."""

    fresh_files, committed_files = _file_names(fresh), _file_names(committed)
    return sorted(
        name
        for name in fresh_files | committed_files
        if name not in fresh_files
        or name not in committed_files
        or not filecmp.cmp(fresh / name, committed / name, shallow=False)
    )


def _file_names(folder: Path) -> set[str]:
    return {path.name for path in folder.glob("*") if path.is_file()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="package folder to write")
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    arguments = parser.parse_args()
    out: Path = arguments.out.resolve()
    require_pinned_generator()
    with tempfile.TemporaryDirectory() as scratch:
        staging = Path(scratch) / out.name
        generate_into(staging)
        if arguments.check:
            differing = differences(staging, out)
            if differing:
                raise SystemExit(
                    f"{out} does not match the specs; run `nox -s generate` and commit."
                    f" Differs: {', '.join(differing)}"
                )
            print(f"{out} matches the specs")
            return
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.glob("*.py"):
            stale.unlink()
        for produced in sorted(staging.iterdir()):
            (out / produced.name).write_bytes(produced.read_bytes())


if __name__ == "__main__":
    main()
