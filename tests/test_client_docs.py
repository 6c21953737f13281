"""help() tells how to construct a client and what each of its methods and properties does.

Each constructor's docstring has an ``Args:`` entry for every parameter, in the signature's order,
and an entry whose parameter has a default states that default as ``Default ``<repr>``.``, so the
documented default cannot drift from the real one.
"""

from __future__ import annotations

import inspect
import pydoc
import re

import pytest

import withdrawkit as wk

CLIENTS = [wk.OneKontoClient, wk.RipioClient]
_ENTRY = re.compile(r"^ {4}(?P<name>[a-z_]+): (?P<text>.*)$")


def documented_arguments(function: object) -> dict[str, str]:
    """``Args:`` entries of ``function``'s docstring: name -> text, whitespace collapsed."""
    doc = inspect.getdoc(function) or ""
    assert "\nArgs:\n" in doc, f"{function} has no Args: section"
    section = doc.split("\nArgs:\n", 1)[1].split("\n\n", 1)[0]
    entries: dict[str, list[str]] = {}
    for line in section.splitlines():
        entry = _ENTRY.match(line)
        if entry is not None:
            entries[entry["name"]] = [entry["text"]]
        else:
            assert line.startswith(" " * 8), f"unexpected line in Args: {line!r}"
            list(entries.values())[-1].append(line.strip())
    return {name: " ".join(lines) for name, lines in entries.items()}


@pytest.mark.parametrize("client", CLIENTS, ids=lambda client: client.__name__)
def test_every_constructor_argument_is_documented_with_its_default(client: type) -> None:
    constructor = vars(client)["__init__"]
    parameters = list(inspect.signature(constructor).parameters.values())[1:]
    documented = documented_arguments(constructor)
    assert list(documented) == [parameter.name for parameter in parameters]
    for parameter in parameters:
        text = documented[parameter.name]
        assert len(text) > 20, f"{parameter.name}: {text!r} says too little"
        if parameter.default is not inspect.Parameter.empty:
            assert f"Default ``{parameter.default!r}``" in text, (parameter.name, text)


@pytest.mark.parametrize("client", CLIENTS, ids=lambda client: client.__name__)
def test_every_public_method_and_property_has_a_docstring(client: type) -> None:
    public = [name for name in dir(client) if not name.startswith("_")]
    assert public
    undocumented = [name for name in public if not inspect.getdoc(getattr(client, name))]
    assert undocumented == []


@pytest.mark.parametrize("client", CLIENTS, ids=lambda client: client.__name__)
def test_help_shows_the_constructor_arguments_and_properties(client: type) -> None:
    page = pydoc.plain(pydoc.render_doc(client))
    assert "max_retries: how many times a failed read" in page
    assert "timeout: ``(connect_seconds, read_seconds)``" in page
    assert "The base URL every request goes to" in page
