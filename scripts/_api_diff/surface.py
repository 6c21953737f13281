"""What is public in a loaded version: the public modules and their exports, and the types
their annotations reach without being re-exported (public too: callers hold their values)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import griffe

from _api_diff.annotations import is_type_alias

__all__ = ["exported", "public_members", "public_modules", "reachable_types", "resolved"]

PACKAGES = ("withdrawkit", "withdrawkit_generated")


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


def resolved(obj: griffe.Object | griffe.Alias) -> griffe.Object:
    while isinstance(obj, griffe.Alias):
        obj = obj.target
    return obj


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


def reachable_types(package: griffe.Module, public: Mapping[str, str]) -> dict[str, griffe.Object]:
    """The classes and type aliases of our packages that public annotations name, directly or
    through one another, and that are not public names themselves: defining path -> object."""
    collection = package.modules_collection
    found: dict[str, griffe.Object] = {}
    pending: list[griffe.Object] = []
    for module in public_modules(package):
        for obj in exported(module).values():
            with contextlib.suppress(griffe.AliasResolutionError):
                pending.append(resolved(obj))
    while pending:
        for path in sorted(referenced_paths(pending.pop())):
            if path in found or path in public or not path.startswith(PACKAGES):
                continue
            target = _lookup(collection, path)
            if target is not None and (isinstance(target, griffe.Class) or is_type_alias(target)):
                found[path] = target
                pending.append(target)
    return found


def referenced_paths(obj: griffe.Object) -> set[str]:
    """The canonical paths of the names in ``obj``'s annotations (for a class: its public
    members' and its constructor's; for a type alias: its value)."""
    if isinstance(obj, griffe.Class):
        members = [*public_members(obj).values()]
        init = obj.all_members.get("__init__")
        with contextlib.suppress(griffe.AliasResolutionError):
            if init is not None:
                members.append(resolved(init))
        return set().union(*(referenced_paths(member) for member in members if member is not obj))
    expressions: list[object] = []
    if isinstance(obj, griffe.Function):
        expressions = [parameter.annotation for parameter in obj.parameters]
        expressions.append(obj.returns)
    elif isinstance(obj, griffe.Attribute):
        expressions = [obj.value if is_type_alias(obj) else obj.annotation]
    return {
        str(name.canonical_path)
        for expression in expressions
        if isinstance(expression, griffe.Expr)
        for name in expression.iterate(flat=True)
        if isinstance(name, (griffe.ExprName, griffe.ExprAttribute))
    }


def _lookup(collection: griffe.ModulesCollection, path: str) -> griffe.Object | None:
    try:
        return resolved(collection[path])
    except (KeyError, ValueError, griffe.AliasResolutionError):
        return None
