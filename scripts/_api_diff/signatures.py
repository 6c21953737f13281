"""Two versions of one function's signature, compared as its callers see them.

griffe's own check compares a class's methods only where both versions declare them: a method
that moved into a base class (a mixin) is an inherited alias in the new version, and griffe
skips it, so a keyword renamed in the same move went unreported. This comparison is given the
effective method (resolved through the MRO) and judges every way a call that worked may fail:
a parameter removed or renamed, one that became required or was added as required, a
positional one moved, one no longer accepted by position or by keyword, a default changed, and
(through ``compare_types``) an accepted type narrowed or a return type widened.

Defaults are compared by value: a name (``DEFAULT_TIMEOUT``) is read as the literal its module
assigns it, so spelling the same value another way is no change, and a constant whose value
changed under the same name is a changed default. A default whose value cannot
be read statically (a call, a name griffe cannot follow) that is written differently is still
reported as breaking, worded as what is known: its expression changed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

import griffe

from _api_diff.annotations import compare_types
from _api_diff.change import Change

__all__ = ["compare_signatures"]

# griffe declares ParameterKind a StrEnum, which mypy reads as str when it targets 3.10.
POSITIONAL_ONLY = griffe.ParameterKind("positional-only")
POSITIONAL_OR_KEYWORD = griffe.ParameterKind("positional or keyword")
KEYWORD_ONLY = griffe.ParameterKind("keyword-only")
VARIADICS = {griffe.ParameterKind("variadic positional"), griffe.ParameterKind("variadic keyword")}
BY_POSITION = {POSITIONAL_ONLY, POSITIONAL_OR_KEYWORD}
BY_KEYWORD = {POSITIONAL_OR_KEYWORD, KEYWORD_ONLY}


def compare_signatures(name: str, old: griffe.Function, new: griffe.Function) -> list[Change]:
    """Every difference between ``old`` and ``new`` a caller of ``name`` can see."""
    old_named = [p for p in old.parameters if p.kind not in VARIADICS]
    new_named = [p for p in new.parameters if p.kind not in VARIADICS]
    pairs = _matched(old_named, new_named)
    changes = list(_variadics_removed(name, old, new))
    for previous in old_named:
        current = pairs.get(previous.name)
        label = f"{name}({previous.name})"
        if current is None:
            changes.append(Change(label, "parameter was removed", breaking=True))
            continue
        if current.name != previous.name:
            changes.append(Change(label, _renamed(previous, current), breaking=True))
        changes += _compared_parameter(label, previous, current, old_named, new_named)
    matched = {current.name for current in pairs.values()}
    for parameter in new_named:
        if parameter.name in matched:
            continue
        label = f"{name}({parameter.name})"
        if _required(parameter):
            changes.append(Change(label, "parameter was added as required", breaking=True))
        else:
            changes.append(Change(label, "new optional parameter", breaking=False))
    changes += compare_types(name, "return type", old.returns, new.returns, variance="return")
    return changes


def _matched(
    old_named: Sequence[griffe.Parameter], new_named: Sequence[griffe.Parameter]
) -> dict[str, griffe.Parameter]:
    """Old parameter name -> its new parameter: the one of the same name, else the one new
    parameter that took its place (same kind, and same position if it is passed by position)."""
    new_names = {parameter.name for parameter in new_named}
    old_names = {parameter.name for parameter in old_named}
    pairs = {p.name: p for p in new_named if p.name in old_names}
    newcomers = [p for p in new_named if p.name not in old_names]
    for previous in old_named:
        if previous.name in new_names:
            continue
        candidates = [p for p in newcomers if _took_the_place_of(previous, p, old_named, new_named)]
        if len(candidates) > 1:  # a keyword renamed beside a new optional one: the required one
            candidates = [p for p in candidates if _required(p) == _required(previous)]
        if len(candidates) == 1:
            pairs[previous.name] = candidates[0]
            newcomers.remove(candidates[0])
    return pairs


def _took_the_place_of(
    previous: griffe.Parameter,
    current: griffe.Parameter,
    old_named: Sequence[griffe.Parameter],
    new_named: Sequence[griffe.Parameter],
) -> bool:
    if previous.kind is not current.kind:
        return False
    if previous.kind in BY_POSITION:
        return _position(previous, old_named) == _position(current, new_named)
    return True


def _renamed(previous: griffe.Parameter, current: griffe.Parameter) -> str:
    wording = f"parameter was renamed to {current.name}"
    if previous.kind in BY_KEYWORD:
        return f"{wording} (a call passing {previous.name}= fails)"
    return wording


def _compared_parameter(
    label: str,
    previous: griffe.Parameter,
    current: griffe.Parameter,
    old_named: Sequence[griffe.Parameter],
    new_named: Sequence[griffe.Parameter],
) -> list[Change]:
    changes: list[Change] = []
    lost = [
        how
        for how, kinds in (("by position", BY_POSITION), ("by keyword", BY_KEYWORD))
        if previous.kind in kinds and current.kind not in kinds
    ]
    if lost:
        wording = f"parameter kind was changed: {_kind(previous)} -> {_kind(current)}"
        changes.append(Change(label, f"{wording} (no longer passed {lost[0]})", breaking=True))
    elif previous.kind in BY_POSITION and current.kind in BY_POSITION:
        before, after = _position(previous, old_named), _position(current, new_named)
        if before != after:
            wording = f"positional parameter was moved: argument {before} -> {after}"
            changes.append(Change(label, wording, breaking=True))
    if not _required(previous) and _required(current):
        changes.append(Change(label, "parameter is now required", breaking=True))
    elif not (_required(previous) or _required(current)):
        changes += _compared_default(label, previous, current)
    changes += compare_types(
        label, "accepted type", previous.annotation, current.annotation, variance="parameter"
    )
    return changes


class _Unreadable:
    """A default whose value the static view cannot know."""


UNREADABLE = _Unreadable()


def _compared_default(
    label: str, previous: griffe.Parameter, current: griffe.Parameter
) -> list[Change]:
    same_text = str(previous.default) == str(current.default)
    before, after = _default_value(previous), _default_value(current)
    if before is UNREADABLE or after is UNREADABLE:
        if same_text:  # nothing known changed
            return []
        wording = "default expression changed (check the value)"
        return [Change(label, f"{wording}: {previous.default} -> {current.default}", breaking=True)]
    if type(before) is type(after) and before == after:
        return []
    wording = f"default changed: {_shown(previous, before)} -> {_shown(current, after)}"
    return [Change(label, wording, breaking=True)]


def _default_value(parameter: griffe.Parameter) -> object:
    """The default's literal value, following a name to the module constant it names; or
    ``UNREADABLE``."""
    literal = _literal(str(parameter.default))
    expression, function = parameter.default, parameter.function
    if literal is not UNREADABLE or function is None:
        return literal
    if not isinstance(expression, (griffe.ExprName, griffe.ExprAttribute)):
        return UNREADABLE
    try:
        target = function.modules_collection[expression.canonical_path]
        while isinstance(target, griffe.Alias):
            target = target.target
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return UNREADABLE
    if not isinstance(target, griffe.Attribute) or target.value is None:
        return UNREADABLE
    return _literal(str(target.value))


def _literal(text: str) -> object:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return UNREADABLE


def _shown(parameter: griffe.Parameter, value: object) -> str:
    written = str(parameter.default)
    return written if written == repr(value) else f"{written} ({value!r})"


def _variadics_removed(name: str, old: griffe.Function, new: griffe.Function) -> Iterator[Change]:
    kept = {parameter.kind for parameter in new.parameters}
    for parameter in old.parameters:
        if parameter.kind in VARIADICS and parameter.kind not in kept:
            yield Change(f"{name}({parameter.name})", "parameter was removed", breaking=True)


def _position(parameter: griffe.Parameter, named: Sequence[griffe.Parameter]) -> int:
    """Where a caller passes the parameter by position, counting from 1 after self or cls."""
    positional = [p.name for p in named if p.kind in BY_POSITION]
    bound = 1 if positional and positional[0] in {"self", "cls"} else 0
    return positional.index(parameter.name) + 1 - bound


def _kind(parameter: griffe.Parameter) -> str:
    return parameter.kind.value if parameter.kind is not None else "unknown kind"


def _required(parameter: griffe.Parameter) -> bool:
    return parameter.kind not in VARIADICS and parameter.default is None
