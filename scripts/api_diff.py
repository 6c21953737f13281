"""What a change does to the code of withdrawkit's callers: the public API against a git ref.

Usage: python scripts/api_diff.py [REF] [--changelog CHANGELOG.md]

Loads the public API of ``withdrawkit`` (its re-exported names and every public submodule:
clients and their methods, the generated models' fields, types and defaults, enum members,
exceptions and their ancestors) from the working tree and from REF (default: the merge-base
of HEAD with main), and prints the breaking changes apart from the additions.

griffe (https://mkdocstrings.github.io/griffe/) loads both versions by static analysis and
finds the breaking changes of names. The rest is checked here. Signatures are compared for
every public function and every public class's effective methods (inherited ones too,
resolved through the MRO): griffe 2.3.0 skips a method declared in one version and inherited
from a base (a mixin) in the other, so a keyword renamed while its method moved went
unreported. attrs classes get an ``__init__`` built from their fields (as griffe's own
dataclasses extension does for dataclasses), so a field that became required or lost its
default is a changed constructor. Annotations are compared (a field's type change breaks its
readers or its builders, a parameter that accepts less or a return that gives more breaks
callers); enum members' wire values and exceptions' ancestors are compared; and the types that
public annotations use without re-exporting them (a model's nested model, an enum, a
``TypeAlias`` of the generated package) are compared as public too, under their defining
module's name. The work is split in ``scripts/_api_diff/``: ``attrs_init`` (the griffe
extension), ``annotations`` (types by meaning), ``signatures`` (what a caller's call may no
longer do), ``surface`` (what is public), ``compare`` and ``report``.

Exit status: 1 when a breaking change is not named, in backticks, in the "Unreleased"
section of the changelog (``- `withdrawkit.Withdrawal.address`: removed ...``), else 0.
"""

from __future__ import annotations

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

import griffe
from _api_diff.attrs_init import AttrsInit
from _api_diff.compare import PACKAGES, compare_packages
from _api_diff.report import merged, report, unreleased_section

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ("facade", "generated")
GIT = shutil.which("git") or "git"


def load_api(source_root: Path) -> griffe.Module:
    """``withdrawkit`` as found under ``source_root``/facade and /generated, aliases resolved."""
    loader = griffe.GriffeLoader(
        extensions=griffe.load_extensions(AttrsInit),
        search_paths=[source_root / folder for folder in SOURCE_FOLDERS],
        allow_inspection=False,
    )
    modules = [loader.load(package) for package in PACKAGES]
    loader.resolve_aliases(implicit=True, external=False)
    package = modules[0]
    if not isinstance(package, griffe.Module):
        raise SystemExit(f"{PACKAGES[0]} is not a package under {source_root}")
    return package


def _git(*arguments: str) -> str:
    completed = subprocess.run(
        [GIT, "-C", str(ROOT), *arguments], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(f"git {' '.join(arguments)} failed: {completed.stderr.strip()}")
    return completed.stdout.strip()


def default_ref() -> str:
    """The merge-base of HEAD with main (or origin/main): what this branch started from."""
    for branch in ("main", "origin/main"):
        probe = subprocess.run(
            [GIT, "-C", str(ROOT), "rev-parse", "--verify", "--quiet", f"{branch}^{{commit}}"],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return _git("merge-base", "HEAD", branch)
    raise SystemExit("no branch main or origin/main to compare with: name a REF")


def extract_ref(ref: str, into: Path) -> None:
    """The facade/ and generated/ folders of ``ref``, as ``git archive`` writes them."""
    commit = _git("rev-parse", "--verify", f"{ref}^{{commit}}")
    archive = subprocess.run(
        [GIT, "-C", str(ROOT), "archive", "--format=tar", commit, "--", *SOURCE_FOLDERS],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        raise SystemExit(f"git archive {ref} failed: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):  # Python 3.10.12 and later
            tar.extractall(into, filter="data")
        else:  # our own repository's archive, written by git a moment ago
            tar.extractall(into)  # noqa: S202


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "ref", nargs="?", help="git ref to compare with (default: merge-base with main)"
    )
    parser.add_argument("--changelog", type=Path, default=ROOT / "CHANGELOG.md")
    arguments = parser.parse_args(argv)
    ref: str = arguments.ref or default_ref()
    short = _git("rev-parse", "--short", f"{ref}^{{commit}}")
    label = f"{arguments.ref} ({short})" if arguments.ref else f"the merge-base with main ({short})"
    with tempfile.TemporaryDirectory(prefix="api-diff-") as scratch:
        extract_ref(ref, Path(scratch))
        old = load_api(Path(scratch))
        new = load_api(ROOT)
        changes = merged(compare_packages(old, new))
    return report(changes, unreleased_section(arguments.changelog), arguments.changelog, label)


if __name__ == "__main__":
    sys.exit(main())
