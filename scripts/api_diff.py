"""What a change does to the code of withdrawkit's callers: the public API against a git ref.

Usage: python scripts/api_diff.py [REF] [--changelog CHANGELOG.md]

Loads the public API of ``withdrawkit`` (its re-exported names and every public submodule:
clients and their methods, the generated models' fields, types and defaults, enum members,
exceptions and their ancestors) from the working tree and from REF (default: the merge-base
of HEAD with main), and prints the breaking changes apart from the additions.

griffe (https://mkdocstrings.github.io/griffe/) loads both versions by static analysis and
finds the breaking changes of names and signatures. Three checks griffe leaves to its users
are added here: attrs classes get an ``__init__`` built from their fields (as griffe's own
dataclasses extension does for dataclasses), so a field that became required or lost its
default is a changed constructor; annotations are compared (a field's type change breaks its
readers or its builders, a parameter that accepts less or a return that gives more breaks
callers); enum members' wire values and exceptions' ancestors are compared.

Exit status: 1 when a breaking change is not named, in backticks, in the "Unreleased"
section of the changelog (``- `withdrawkit.Withdrawal.address`: removed ...``), else 0.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import griffe

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("withdrawkit", "withdrawkit_generated")
SOURCE_FOLDERS = ("facade", "generated")
ENUM_BASES = {"enum.Enum", "enum.StrEnum", "withdrawkit._open_enum.OpenEnum"}
ATTRS_DECORATORS = {
    "attrs.define", "attrs.frozen", "attrs.mutable", "attr.s", "attr.attrs", "attr.define",
    "attr.frozen", "attr.mutable",
}  # fmt: skip
ATTRS_FIELD_CALLS = {"attrs.field", "attr.ib", "attr.attrib", "attr.field"}
# griffe declares ParameterKind a StrEnum, which mypy reads as str when it targets 3.10.
KEYWORD_ONLY = griffe.ParameterKind("keyword-only")
POSITIONAL_OR_KEYWORD = griffe.ParameterKind("positional or keyword")
GIT = shutil.which("git") or "git"
# Special methods a caller uses by name or through syntax; the others (__reduce__, __repr__...)
# are plumbing that griffe lists only because they are inherited.
CALLER_DUNDERS = {
    "__init__", "__call__", "__enter__", "__exit__", "__iter__", "__next__", "__len__",
    "__getitem__", "__contains__", "__eq__", "__hash__", "__bool__",
}  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Change:
    """One difference, keyed by the public dotted name a changelog entry quotes."""

    name: str
    what: str
    breaking: bool


# --- attrs classes get the __init__ attrs would write ---------------------------------------


def _attrs_decorator(cls: griffe.Class) -> griffe.Expr | None:
    for decorator in cls.decorators:
        value = decorator.value
        if isinstance(value, griffe.Expr) and value.canonical_path in ATTRS_DECORATORS:
            return value
    return None


def _call_arguments(expression: object) -> dict[str, Any]:
    if not isinstance(expression, griffe.ExprCall):
        return {}
    return {
        argument.name: argument.value
        for argument in expression.arguments
        if isinstance(argument, griffe.ExprKeyword)
    }


def _attrs_parameter(field: griffe.Attribute, kw_only: bool) -> griffe.Parameter | None:
    value = field.value
    is_field_call = isinstance(value, griffe.ExprCall) and value.canonical_path in ATTRS_FIELD_CALLS
    arguments = _call_arguments(value) if is_field_call else {}
    if str(arguments.get("init", "True")) == "False":
        return None
    if "factory" in arguments:
        default: str | griffe.Expr | None = f"{arguments['factory']}()"
    elif is_field_call:
        default = arguments.get("default")
    else:
        default = value
    keyword = kw_only or str(arguments.get("kw_only", "False")) == "True"
    return griffe.Parameter(
        str(arguments.get("alias", "")).strip("'\"") or field.name.lstrip("_"),
        annotation=field.annotation,
        kind=KEYWORD_ONLY if keyword else POSITIONAL_OR_KEYWORD,
        default=default,
    )


class AttrsInit(griffe.Extension):
    """Gives each attrs class the ``__init__`` attrs generates, so griffe compares it."""

    def on_class_members(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        decorator = _attrs_decorator(cls)
        if decorator is None or "__init__" in cls.members:
            return
        kw_only = str(_call_arguments(decorator).get("kw_only", "False")) == "True"
        parameters = [
            parameter
            for member in cls.members.values()
            if isinstance(member, griffe.Attribute)
            and member.annotation is not None
            and "instance-attribute" in member.labels
            and (parameter := _attrs_parameter(member, kw_only)) is not None
        ]
        this = griffe.Parameter("self", kind=POSITIONAL_OR_KEYWORD)
        cls.labels.add("attrs")
        init = griffe.Function(
            "__init__", parameters=griffe.Parameters(this, *parameters), returns="None"
        )
        init.lineno = init.endlineno = cls.lineno
        cls.set_member("__init__", init)


# --- loading a version ----------------------------------------------------------------------


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


# --- comparing ------------------------------------------------------------------------------


def public_modules(package: griffe.Module) -> Iterator[griffe.Module]:
    """The package and its submodules whose dotted names have no leading underscore."""
    yield package
    for member in package.modules.values():
        if not member.name.startswith("_"):
            yield from public_modules(member)


def exported(module: griffe.Module) -> dict[str, griffe.Object | griffe.Alias]:
    names = module.exports if module.exports is not None else module.members
    members = module.all_members
    return {
        str(name): members[str(name)]
        for name in names
        if str(name) in members and not members[str(name)].is_module
    }


def compare_packages(old: griffe.Module, new: griffe.Module) -> list[Change]:
    new_modules = {module.path: module for module in public_modules(new)}
    old_modules = {module.path: module for module in public_modules(old)}
    names = public_names([*old_modules.values(), *new_modules.values()])
    changes: list[Change] = []
    for path, old_module in old_modules.items():
        new_module = new_modules.get(path)
        if new_module is None:
            changes.append(Change(path, "public module removed", breaking=True))
            continue
        changes += compare_namespaces(path, exported(old_module), exported(new_module), names)
    changes += [
        Change(path, "new public module", breaking=False)
        for path in new_modules
        if path not in old_modules
    ]
    return changes


def public_names(modules: Sequence[griffe.Module]) -> dict[str, str]:
    """Where each exported object is defined -> the public name callers use for it."""
    names: dict[str, str] = {}
    for module in modules:
        for name, obj in exported(module).items():
            with contextlib.suppress(griffe.AliasResolutionError):
                names.setdefault(resolved(obj).path, f"{module.path}.{name}")
    return names


def compare_namespaces(
    prefix: str,
    old: dict[str, griffe.Object | griffe.Alias],
    new: dict[str, griffe.Object | griffe.Alias],
    names: Mapping[str, str],
) -> list[Change]:
    changes = [
        Change(f"{prefix}.{name}", "removed", breaking=True) for name in old if name not in new
    ]
    changes += [
        Change(f"{prefix}.{name}", f"new {kind_of(new[name])}", breaking=False)
        for name in new
        if name not in old
    ]
    for name in old.keys() & new.keys():
        changes += compare_objects(f"{prefix}.{name}", old[name], new[name], names)
    return changes


def kind_of(obj: griffe.Object | griffe.Alias) -> str:
    target = resolved(obj)
    if isinstance(target, griffe.Class) and "attrs" in target.labels:
        return "model"
    return str(target.kind.value)


def resolved(obj: griffe.Object | griffe.Alias) -> griffe.Object:
    while isinstance(obj, griffe.Alias):
        obj = obj.target
    return obj


def compare_objects(
    name: str,
    old_obj: griffe.Object | griffe.Alias,
    new_obj: griffe.Object | griffe.Alias,
    names: Mapping[str, str],
) -> list[Change]:
    old, new = resolved(old_obj), resolved(new_obj)
    if old.kind is not new.kind:
        return [Change(name, f"was a {old.kind.value}, is a {new.kind.value}", breaking=True)]
    changes = list(griffe_breakages(name, old, new))
    if isinstance(old, griffe.Class) and isinstance(new, griffe.Class):
        changes += compare_classes(name, old, new, names)
    elif isinstance(old, griffe.Function) and isinstance(new, griffe.Function):
        changes += compare_signatures(name, old, new)
    elif isinstance(old, griffe.Attribute) and isinstance(new, griffe.Attribute):
        changes += compare_types(name, "type", old.annotation, new.annotation, variance="field")
    return changes


def griffe_breakages(name: str, old: griffe.Object, new: griffe.Object) -> Iterator[Change]:
    """griffe's own findings, each renamed to the public dotted name it concerns."""
    # find_breaking_changes walks the members of what it is given: hold the object in a
    # one-member class so that a top-level function's signature is compared too.
    holders = []
    for version in (old, new):
        holder = griffe.Class("holder")
        holder.set_member(new.name, griffe.Alias(new.name, target=version))
        holders.append(holder)
    for breakage in griffe.find_breaking_changes(holders[0], holders[1]):
        if breakage.kind is griffe.BreakageKind.ATTRIBUTE_CHANGED_VALUE:
            continue  # a constant's new value (__version__) breaks nobody; enums: compare_values
        member = breakage.obj.name
        if member.startswith("__") and member.endswith("__") and member not in CALLER_DUNDERS:
            continue
        yield describe_breakage(name, new, breakage)


def describe_breakage(name: str, root: griffe.Object, breakage: griffe.Breakage) -> Change:
    obj = breakage.obj
    path = obj.path
    relative = path[len(root.path) + 1 :] if path.startswith(f"{root.path}.") else ""
    if path != root.path and not relative:  # an inherited member: its path is its base's
        relative = obj.name
    member = f"{name}.{relative}" if relative else name
    parameter = _breakage_parameter(breakage)
    if parameter is None:
        removed = breakage.kind is griffe.BreakageKind.OBJECT_REMOVED
        return Change(member, "removed" if removed else str(breakage.kind.value), breaking=True)
    owner = obj.parent
    if obj.name == "__init__" and isinstance(owner, griffe.Class) and "attrs" in owner.labels:
        return Change(f"{name}.{parameter}", _field_wording(breakage), breaking=True)
    return Change(f"{member}({parameter})", _parameter_wording(breakage), breaking=True)


def _breakage_parameter(breakage: griffe.Breakage) -> str | None:
    for value in (breakage.old_value, breakage.new_value):
        if isinstance(value, griffe.Parameter):
            return value.name
    return None


def _field_wording(breakage: griffe.Breakage) -> str:
    kind = breakage.kind
    if kind is griffe.BreakageKind.PARAMETER_REMOVED:
        return "field removed"
    if kind is griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED:
        return "field became required (it has no default any more)"
    if kind is griffe.BreakageKind.PARAMETER_ADDED_REQUIRED:
        return "new required field (building the model without it fails)"
    if kind is griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT:
        return f"default changed: {breakage.old_value.default} -> {breakage.new_value.default}"
    return f"field: {kind.value.lower()}"


def _parameter_wording(breakage: griffe.Breakage) -> str:
    if breakage.kind is griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT:
        return f"default changed: {breakage.old_value.default} -> {breakage.new_value.default}"
    return str(breakage.kind.value).lower()


def compare_classes(
    name: str, old: griffe.Class, new: griffe.Class, names: Mapping[str, str]
) -> list[Change]:
    changes = [
        Change(name, f"no longer a subclass of {names.get(ancestor, ancestor)}", breaking=True)
        for ancestor in sorted(ancestors(old) - ancestors(new))
    ]
    is_enum = bool(ancestors(old) & ENUM_BASES)
    is_model = "attrs" in new.labels
    old_members, new_members = public_members(old), public_members(new)
    for member_name, new_member in new_members.items():
        if member_name in old_members or (is_model and new_member.is_attribute):
            continue  # a model's new fields are read off its __init__ below
        what = "new member" if is_enum else f"new {new_member.kind.value}"
        changes.append(Change(f"{name}.{member_name}", what, breaking=False))
    for member_name in old_members.keys() & new_members.keys():
        changes += compare_members(
            f"{name}.{member_name}", old_members[member_name], new_members[member_name], is_enum
        )
    if is_model:
        changes += new_optional_fields(name, old, new)
    return changes


def compare_members(
    name: str, old: griffe.Object, new: griffe.Object, is_enum: bool
) -> list[Change]:
    if isinstance(old, griffe.Attribute) and isinstance(new, griffe.Attribute):
        if is_enum:
            return compare_values(name, old, new)
        return compare_types(name, "type", old.annotation, new.annotation, variance="field")
    if isinstance(old, griffe.Function) and isinstance(new, griffe.Function):
        return compare_signatures(name, old, new)
    return []


def new_optional_fields(name: str, old: griffe.Class, new: griffe.Class) -> list[Change]:
    """A new required field is griffe's finding (a required parameter added to __init__)."""
    old_init, new_init = old.members.get("__init__"), new.members.get("__init__")
    if not isinstance(new_init, griffe.Function):
        return []
    known = (
        {p.name for p in old_init.parameters} if isinstance(old_init, griffe.Function) else set()
    )
    return [
        Change(f"{name}.{parameter.name}", "new optional field", breaking=False)
        for parameter in new_init.parameters
        if parameter.name not in known and not parameter.required
    ]


def ancestors(cls: griffe.Class) -> set[str]:
    try:
        return {base.path for base in cls.mro()}
    except ValueError:  # an unresolvable base: compare the written names
        return {str(base) for base in cls.bases}


def public_members(cls: griffe.Class) -> dict[str, griffe.Object]:
    members: dict[str, griffe.Object] = {}
    for member_name, member in cls.all_members.items():
        if member_name.startswith("_") or not member.is_public:
            continue
        try:
            members[member_name] = resolved(member)
        except griffe.AliasResolutionError:
            continue
    return members


def compare_values(name: str, old: griffe.Attribute, new: griffe.Attribute) -> list[Change]:
    if str(old.value) == str(new.value):
        return []
    return [Change(name, f"member's value changed: {old.value} -> {new.value}", breaking=True)]


def compare_signatures(name: str, old: griffe.Function, new: griffe.Function) -> list[Change]:
    old_parameters = {parameter.name: parameter for parameter in old.parameters}
    changes: list[Change] = []
    for parameter in new.parameters:
        previous = old_parameters.get(parameter.name)
        if previous is None:
            if not parameter.required:
                changes.append(
                    Change(f"{name}({parameter.name})", "new optional parameter", breaking=False)
                )
            continue
        changes += compare_types(
            f"{name}({parameter.name})",
            "accepted type",
            previous.annotation,
            parameter.annotation,
            variance="parameter",
        )
    changes += compare_types(name, "return type", old.returns, new.returns, variance="return")
    return changes


def union_members(annotation: object) -> set[str]:
    """``'A | B[C | D] | None'`` -> ``{'A', 'B[C | D]', 'None'}``."""
    text, depth, members, start = str(annotation), 0, set(), 0
    for index, character in enumerate(text):
        if character in "[(":
            depth += 1
        elif character in "])":
            depth -= 1
        if character == "|" and depth == 0:
            members.add(text[start:index].strip())
            start = index + 1
    members.add(text[start:].strip())
    return members


def compare_types(name: str, what: str, old: object, new: object, *, variance: str) -> list[Change]:
    """A field's type change breaks someone either way (its readers if it widened, its
    builders if it narrowed); a parameter may widen and a return value may narrow."""
    if old is None or new is None or str(old) == str(new):
        return []
    old_members, new_members = union_members(old), union_members(new)
    if old_members == new_members:
        return []
    if new_members < old_members:
        direction = "narrowed"
    elif new_members > old_members:
        direction = "widened"
    else:
        direction = "changed"
    breaking = {
        "field": True,
        "parameter": direction != "widened",
        "return": direction != "narrowed",
    }[variance]
    return [Change(name, f"{what} {direction}: {old} -> {new}", breaking=breaking)]


# --- reporting ------------------------------------------------------------------------------


def unreleased_section(changelog: Path) -> str:
    """The text under ``## [Unreleased]`` up to the next ``## `` heading."""
    if not changelog.is_file():
        return ""
    match = re.search(
        r"^## \[Unreleased\][^\n]*\n(.*?)(?=^## |\Z)",
        changelog.read_text(encoding="utf-8"),
        flags=re.M | re.S,
    )
    return match.group(1) if match else ""


def merged(changes: Sequence[Change]) -> list[Change]:
    """One line per name and kind, its reasons joined: a removed field is seen both as a
    removed attribute and as a removed ``__init__`` parameter."""
    reasons: dict[tuple[str, bool], list[str]] = {}
    for change in changes:
        whats = reasons.setdefault((change.name, change.breaking), [])
        if change.what not in whats:
            whats.append(change.what)
    return [
        Change(name, "; ".join(_without_echoes(whats)), breaking)
        for (name, breaking), whats in sorted(reasons.items())
    ]


def _without_echoes(whats: list[str]) -> list[str]:
    if "field removed" in whats:
        return [
            "field removed",
            *(
                w
                for w in whats
                if w not in {"field removed", "removed", "public object was removed"}
            ),
        ]
    return whats


def report(changes: Sequence[Change], unreleased: str, changelog: Path, old_label: str) -> int:
    breaking = [change for change in changes if change.breaking]
    additions = [change for change in changes if not change.breaking]
    unnamed = [change for change in breaking if f"`{change.name}`" not in unreleased]
    print(f"withdrawkit public API: {old_label} -> working tree")
    print(
        f"\nBreaking changes: {len(breaking)},"
        f" {len(unnamed)} not named in {changelog.name}'s Unreleased section"
    )
    for change in breaking:
        mark = "  (named in the changelog)" if change not in unnamed else ""
        print(f"  {change.name}: {change.what}{mark}")
    print(f"\nAdditions and compatible changes: {len(additions)}")
    for change in additions:
        print(f"  {change.name}: {change.what}")
    if unnamed:
        print(
            f"\nName each breaking change under '## [Unreleased]' in {changelog.name}, in"
            " backticks, with what callers must do:\n"
            "  - `withdrawkit.Withdrawal.address`: removed; Ripio no longer sends it.\n"
            "or undo the change."
        )
        return 1
    return 0


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
