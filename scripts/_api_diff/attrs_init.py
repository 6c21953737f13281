"""A griffe extension: each attrs class gets the ``__init__`` attrs would write.

griffe's own dataclasses extension does this for dataclasses; attrs classes need the same so
that a field that became required or lost its default is seen as a changed constructor.
"""

from __future__ import annotations

from typing import Any

import griffe

__all__ = ["ATTRS_LABEL", "AttrsInit"]

ATTRS_LABEL = "attrs"
ATTRS_DECORATORS = {
    "attrs.define", "attrs.frozen", "attrs.mutable", "attr.s", "attr.attrs", "attr.define",
    "attr.frozen", "attr.mutable",
}  # fmt: skip
ATTRS_FIELD_CALLS = {"attrs.field", "attr.ib", "attr.attrib", "attr.field"}
# griffe declares ParameterKind a StrEnum, which mypy reads as str when it targets 3.10.
KEYWORD_ONLY = griffe.ParameterKind("keyword-only")
POSITIONAL_OR_KEYWORD = griffe.ParameterKind("positional or keyword")


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
        cls.labels.add(ATTRS_LABEL)
        init = griffe.Function(
            "__init__", parameters=griffe.Parameters(this, *parameters), returns="None"
        )
        init.lineno = init.endlineno = cls.lineno
        cls.set_member("__init__", init)
