"""Annotations compared by what they mean, not how they are spelled.

``Optional[X]``, ``Union[X, None]`` and ``X | None`` are one type; ``typing.List[int]`` is
``list[int]``; a union's members are a set, whatever their order.
"""

from __future__ import annotations

import griffe

from _api_diff.change import Change

__all__ = ["compare_types", "is_type_alias", "union_members"]

# Where the standard spellings of a type live: names from these modules compare by their own
# name, the typing module's old generic aliases by their builtin.
STANDARD_MODULES = ("typing.", "typing_extensions.", "collections.abc.", "builtins.")
BUILTIN_GENERICS = {
    "List": "list", "Dict": "dict", "Set": "set", "FrozenSet": "frozenset", "Tuple": "tuple",
    "Type": "type",
}  # fmt: skip


def is_type_alias(obj: griffe.Object) -> bool:
    """``Name: TypeAlias = ...`` (how the generator writes a named scalar schema)."""
    annotation = obj.annotation if isinstance(obj, griffe.Attribute) else None
    spelled = getattr(annotation, "canonical_path", str(annotation))
    return spelled in {"typing.TypeAlias", "typing_extensions.TypeAlias", "TypeAlias"}


def _spelled(name: griffe.Expr) -> str:
    canonical = str(getattr(name, "canonical_path", name))
    if canonical.startswith(STANDARD_MODULES):
        last = canonical.rsplit(".", 1)[-1]
        return BUILTIN_GENERICS.get(last, last)
    return str(name)


def _union_of(expression: object) -> frozenset[str]:
    if isinstance(expression, griffe.ExprBinOp) and expression.operator == "|":
        return _union_of(expression.left) | _union_of(expression.right)
    if isinstance(expression, griffe.ExprSubscript):
        head = _spelled(expression.left) if isinstance(expression.left, griffe.Expr) else ""
        if head == "Optional":
            return _union_of(expression.slice) | {"None"}
        if head == "Union":
            members = (
                expression.slice.elements
                if isinstance(expression.slice, griffe.ExprTuple)
                else [expression.slice]
            )
            return frozenset().union(*(_union_of(member) for member in members))
    return frozenset({_render(expression)})


def _render(expression: object) -> str:
    """One spelling per type: unions sorted, typing's aliases as builtins."""
    if isinstance(expression, (griffe.ExprName, griffe.ExprAttribute)):
        return _spelled(expression)
    if isinstance(expression, griffe.ExprBinOp) and expression.operator == "|":
        return " | ".join(sorted(_union_of(expression)))
    if isinstance(expression, griffe.ExprSubscript):
        head = _render_head(expression)
        if head in {"Optional", "Union"}:
            return " | ".join(sorted(_union_of(expression)))
        return f"{head}[{_render(expression.slice)}]"
    if isinstance(expression, (griffe.ExprTuple, griffe.ExprList)):
        elements = ", ".join(_render(element) for element in expression.elements)
        return f"[{elements}]" if isinstance(expression, griffe.ExprList) else elements
    return str(expression).strip()


def _render_head(expression: griffe.ExprSubscript) -> str:
    left = expression.left
    return _spelled(left) if isinstance(left, griffe.Expr) else str(left)


def union_members(annotation: object) -> frozenset[str]:
    """``Optional[A | B[C]]`` -> ``{'A', 'B[C]', 'None'}``; annotations griffe left as text
    (``'A | B[C | D] | None'``) are split at their top-level bars."""
    if isinstance(annotation, griffe.Expr):
        return _union_of(annotation)
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
    return frozenset(members)


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
