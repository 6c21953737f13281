"""The public API of two versions, compared: names, signatures, fields, enum members, ancestors,
and the types public annotations reach without being re-exported."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import cast

import griffe

from _api_diff.annotations import compare_types, is_type_alias
from _api_diff.attrs_init import ATTRS_LABEL
from _api_diff.change import Change
from _api_diff.signatures import compare_signatures
from _api_diff.surface import (
    PACKAGES,
    exported,
    public_members,
    public_modules,
    reachable_types,
    resolved,
)

__all__ = ["PACKAGES", "compare_packages"]

ENUM_BASES = {"enum.Enum", "enum.StrEnum", "withdrawkit._open_enum.OpenEnum"}
# Special methods a caller uses by name or through syntax; the others (__reduce__, __repr__...)
# are plumbing that griffe lists only because they are inherited.
CALLER_DUNDERS = {
    "__init__", "__call__", "__enter__", "__exit__", "__iter__", "__next__", "__len__",
    "__getitem__", "__contains__", "__eq__", "__hash__", "__bool__",
}  # fmt: skip
# griffe's findings about parameters, which compare_signatures makes for every function: griffe
# skips a method declared in one version and inherited (an alias) in the other.
PARAMETER_BREAKAGES = {
    griffe.BreakageKind.PARAMETER_MOVED, griffe.BreakageKind.PARAMETER_REMOVED,
    griffe.BreakageKind.PARAMETER_CHANGED_KIND, griffe.BreakageKind.PARAMETER_CHANGED_DEFAULT,
    griffe.BreakageKind.PARAMETER_CHANGED_REQUIRED, griffe.BreakageKind.PARAMETER_ADDED_REQUIRED,
}  # fmt: skip


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
    return changes + compare_reachable_types(old, new, names)


def compare_reachable_types(
    old: griffe.Module, new: griffe.Module, names: Mapping[str, str]
) -> list[Change]:
    """The types public annotations use without re-exporting them (a model's nested model, an
    enum, a TypeAlias), compared under their defining path: what the old version's callers
    could hold. A type the new version no longer defines is removed; one that it defines but
    no public annotation reaches any more shows as the annotation's own change."""
    new_types = reachable_types(new, names)
    changes: list[Change] = []
    for path, old_type in reachable_types(old, names).items():
        new_type = new_types.get(path)
        if new_type is None:
            with contextlib.suppress(KeyError, ValueError, griffe.AliasResolutionError):
                new_type = resolved(new.modules_collection[path])
        if new_type is None:
            changes.append(Change(path, "removed", breaking=True))
        else:
            changes += compare_objects(path, old_type, new_type, names)
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
    if isinstance(target, griffe.Class) and ATTRS_LABEL in target.labels:
        return "model"
    return str(target.kind.value)


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
        if is_type_alias(old) and is_type_alias(new):
            changes += compare_types(name, "aliased type", old.value, new.value, variance="field")
        else:
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
        if breakage.kind in PARAMETER_BREAKAGES and not _is_attrs_init(breakage.obj):
            continue  # compare_signatures judges every signature, inherited methods' too
        member = breakage.obj.name
        if member.startswith("__") and member.endswith("__") and member not in CALLER_DUNDERS:
            continue
        yield describe_breakage(name, new, breakage)


def _is_attrs_init(obj: griffe.Object | griffe.Alias) -> bool:
    owner = obj.parent
    is_attrs_class = isinstance(owner, griffe.Class) and ATTRS_LABEL in owner.labels
    return obj.name == "__init__" and is_attrs_class


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
    if _is_attrs_init(obj):
        return Change(f"{name}.{parameter}", _field_wording(breakage), breaking=True)
    return Change(f"{member}({parameter})", str(breakage.kind.value).lower(), breaking=True)


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


def compare_classes(
    name: str, old: griffe.Class, new: griffe.Class, names: Mapping[str, str]
) -> list[Change]:
    changes = [
        Change(name, f"no longer a subclass of {names.get(ancestor, ancestor)}", breaking=True)
        for ancestor in sorted(ancestors(old) - ancestors(new))
    ]
    is_enum = bool(ancestors(old) & ENUM_BASES)
    is_model = ATTRS_LABEL in new.labels
    old_members, new_members = public_members(old), public_members(new)
    changes += [
        Change(f"{name}.{member_name}", "removed", breaking=True)
        for member_name in old_members.keys() - new_members.keys()
    ]
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
    else:  # attrs models' constructors are their fields, compared above
        changes += compare_constructors(name, old, new)
    return changes


def compare_constructors(name: str, old: griffe.Class, new: griffe.Class) -> list[Change]:
    """``__init__``'s parameter types (griffe compares their names, kinds and defaults)."""
    inits = []
    for cls in (old, new):
        try:
            inits.append(resolved(cls.all_members["__init__"]))
        except (KeyError, griffe.AliasResolutionError):
            return []
    if not all(isinstance(init, griffe.Function) for init in inits):
        return []
    old_init, new_init = cast("list[griffe.Function]", inits)
    return compare_signatures(f"{name}.__init__", old_init, new_init)


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


def compare_values(name: str, old: griffe.Attribute, new: griffe.Attribute) -> list[Change]:
    if str(old.value) == str(new.value):
        return []
    return [Change(name, f"member's value changed: {old.value} -> {new.value}", breaking=True)]
