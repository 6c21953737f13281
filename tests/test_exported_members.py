"""The public surface: what ``withdrawkit`` exports, and that nothing else looks public."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

import withdrawkit as wk

FACADE = Path(__file__).resolve().parent.parent / "facade" / "withdrawkit"
# The modules a user may import; every other module's name starts with an underscore.
PUBLIC_MODULES = {"withdrawkit", "withdrawkit.testing", "withdrawkit.testing.pytest_plugin"}


def public(names: Iterable[str]) -> set[str]:
    # A subpackage appears as an attribute once imported (pytest's plugin imports ``testing``),
    # and pytest rewrites the asserts of its plugins' distribution, adding "@py_builtins".
    return {name for name in names if name.isidentifier() and not name.startswith("_")} - {
        "testing"
    }


def test_all_lists_exactly_the_public_names_of_the_package() -> None:
    for name in wk.__all__:
        getattr(wk, name)  # loads every lazy name into the module's namespace
    assert set(wk.__all__) == public(vars(wk)) | {"__version__"}
    assert public(dir(wk)) == public(vars(wk))


def test_every_exported_name_resolves_and_says_where_it_lives() -> None:
    for name in wk.__all__:
        value = getattr(wk, name)
        if name == "__version__":
            assert isinstance(value, str)
            continue
        # Defined in a private module of the facade or in the generated models, never in a
        # third-party package re-exported by accident.
        assert value.__module__.split(".")[0] in {"withdrawkit", "withdrawkit_generated"}, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    unknown = "NoSuchThing"
    with pytest.raises(AttributeError, match=unknown):
        getattr(wk, unknown)


def test_every_module_but_the_public_ones_is_private() -> None:
    named_public = []
    for path in sorted(FACADE.rglob("*.py")):
        parts = path.relative_to(FACADE.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if any(part.startswith("_") and part != "__init__" for part in parts):
            continue
        named_public.append(module)
    assert set(named_public) == PUBLIC_MODULES


def test_importing_the_generated_models_does_not_import_the_clients() -> None:
    code = (
        "import sys, withdrawkit_generated.onekonto, withdrawkit_generated.ripio;"
        "print(sorted(m for m in ('requests', 'withdrawkit._transport', 'withdrawkit._client')"
        " if m in sys.modules))"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "[]"


def test_importing_withdrawkit_alone_loads_no_client() -> None:
    code = "import sys, withdrawkit; print('withdrawkit._transport' in sys.modules)"
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == "False"
