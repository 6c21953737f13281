"""The public surface: what ``withdrawkit`` exports, and that nothing else looks public."""

from __future__ import annotations

import ast
import os
import pickle
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest

import withdrawkit as wk

ROOT = Path(__file__).resolve().parent.parent
FACADE = ROOT / "facade" / "withdrawkit"
# The modules a user may import; every other module's name starts with an underscore.
PUBLIC_MODULES = {
    "withdrawkit",
    "withdrawkit.testing",
    "withdrawkit.testing.pytest_plugin",
    "withdrawkit.webhooks",
}


def public(names: Iterable[str]) -> set[str]:
    # A public submodule appears as an attribute once imported (pytest's plugin imports
    # ``testing``, a webhook test ``webhooks``), and pytest rewrites the asserts of its plugins'
    # distribution, adding "@py_builtins".
    return {name for name in names if name.isidentifier() and not name.startswith("_")} - {
        "testing",
        "webhooks",
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
    assert run_python(code) == "[]"


def test_importing_withdrawkit_alone_loads_no_client() -> None:
    code = "import sys, withdrawkit; print('withdrawkit._transport' in sys.modules)"
    assert run_python(code) == "False"


def run_python(code: str) -> str:
    """What ``code`` prints in a fresh interpreter importing this checkout's packages (not an
    installed copy)."""
    path = os.pathsep.join([str(ROOT / "facade"), str(ROOT / "generated")])
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()


def test_the_lazy_exports_and_the_type_checkers_imports_name_the_same_things() -> None:
    """``_EXPORTS`` (what runs), the TYPE_CHECKING imports (what mypy sees) and ``__all__``
    must list the same names from the same modules."""
    tree = ast.parse((FACADE / "__init__.py").read_text(encoding="utf-8"))
    seen_by_type_checkers = {
        alias.name: node.module
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    exports: dict[str, str] = vars(wk)["_EXPORTS"]
    assert seen_by_type_checkers == exports
    assert sorted(wk.__all__) == sorted([*exports, "__version__"])


@pytest.mark.parametrize("name", [name for name in wk.__all__ if name[0].isupper()])
def test_public_classes_are_shown_and_pickled_under_their_public_name(name: str) -> None:
    value = getattr(wk, name)
    if value.__module__.startswith("withdrawkit_generated."):
        return  # a generated model: its module path is stable, and public through withdrawkit
    assert value.__module__ == "withdrawkit", name
    assert pickle.loads(pickle.dumps(value)) is value  # noqa: S301 - our own bytes


def test_a_pickled_refusal_names_no_private_module() -> None:
    refused = wk.InsufficientFunds(
        provider="1Konto",
        http_status=400,
        messages=["Insufficient Funds: Requested 1100 BTC but only 999 BTC is available"],
        requested=wk.Amount.parse("1100 BTC"),
        available=wk.Amount.parse("999 BTC"),
    )
    pickled = pickle.dumps(refused)
    assert b"withdrawkit._" not in pickled
    restored = pickle.loads(pickled)  # noqa: S301 - our own bytes
    assert (restored.requested, restored.available, str(restored)) == (
        refused.requested,
        refused.available,
        str(refused),
    )
