"""The facade's layering is one-way: no module imports from a layer above its own.

Bottom to top: value types, conversion, errors, transport, clients, testing, and the command
line on top, since ``withdrawkit fake serve`` serves the fakes (the README's "Layout" section
draws the same picture).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FACADE = ROOT / "facade" / "withdrawkit"
GENERATED = ROOT / "generated" / "withdrawkit_generated"

VALUE_TYPES, CONVERSION, ERRORS, TRANSPORT, CLIENTS, TESTING, CLI = range(1, 8)
# Every facade module's layer. A module missing here fails test_every_module_has_a_layer, so a
# new module must be placed deliberately.
LAYERS = {
    "withdrawkit._version": VALUE_TYPES,
    "withdrawkit._root_error": VALUE_TYPES,
    "withdrawkit._decimals": VALUE_TYPES,
    "withdrawkit._amount_rules": VALUE_TYPES,  # the asset-code grammar and AmountError
    "withdrawkit._amount": VALUE_TYPES,
    "withdrawkit._price": VALUE_TYPES,
    "withdrawkit._open_enum": VALUE_TYPES,
    "withdrawkit._text": VALUE_TYPES,
    "withdrawkit._secrets": VALUE_TYPES,
    "withdrawkit._records": VALUE_TYPES,  # slotted immutable records, no attrs
    "withdrawkit._ripio_models": VALUE_TYPES,  # the generated models, imported on first use
    "withdrawkit._onekonto_models": VALUE_TYPES,
    "withdrawkit._wire_json": CONVERSION,
    "withdrawkit._conversion": CONVERSION,
    "withdrawkit._cattrs_converter": CONVERSION,
    "withdrawkit._wire_decode": CONVERSION,
    "withdrawkit._redaction": CONVERSION,  # pure text/JSON rewriting, used from errors upwards
    "withdrawkit._exceptions": ERRORS,
    "withdrawkit._server_excerpts": ERRORS,  # what an exception quotes of the server's text
    "withdrawkit._error_mapping": ERRORS,
    "withdrawkit._sent_request": ERRORS,
    "withdrawkit._lifecycle_errors": ERRORS,
    "withdrawkit._transport": TRANSPORT,
    "withdrawkit._exchange_once": TRANSPORT,
    "withdrawkit._retry": TRANSPORT,
    "withdrawkit._request_building": TRANSPORT,
    "withdrawkit._response_body": TRANSPORT,
    "withdrawkit._body_framing": TRANSPORT,
    "withdrawkit._adapter_retries": TRANSPORT,
    "withdrawkit._outcomes": TRANSPORT,
    "withdrawkit._transport_log": TRANSPORT,
    "withdrawkit._deadline": TRANSPORT,
    "withdrawkit._watched_pools": TRANSPORT,
    "withdrawkit._redirects": TRANSPORT,
    "withdrawkit._environment_settings": TRANSPORT,
    "withdrawkit._auth": CLIENTS,
    "withdrawkit._token_answers": CLIENTS,
    "withdrawkit._client": CLIENTS,
    "withdrawkit._jwt_claims": CLIENTS,
    "withdrawkit._pagination": CLIENTS,
    "withdrawkit._arguments": CLIENTS,
    "withdrawkit._response_reading": CLIENTS,
    "withdrawkit._sending": CLIENTS,
    "withdrawkit._waiting": CLIENTS,
    "withdrawkit._wait_defaults": CLIENTS,  # the wait_for_* defaults, without _waiting
    "withdrawkit._reconcile": CLIENTS,
    "withdrawkit._onekonto_lifecycle": CLIENTS,
    "withdrawkit._onekonto_order_lifecycle": CLIENTS,
    "withdrawkit._ripio_lifecycle": CLIENTS,
    "withdrawkit._ripio_fiat_lifecycle": CLIENTS,
    "withdrawkit._onekonto_client": CLIENTS,
    "withdrawkit._onekonto_arguments": CLIENTS,
    "withdrawkit._onekonto_operations": CLIENTS,
    "withdrawkit._onekonto_account": CLIENTS,
    "withdrawkit._onekonto_market": CLIENTS,
    "withdrawkit._onekonto_orders": CLIENTS,
    "withdrawkit._onekonto_order_answers": CLIENTS,
    "withdrawkit._onekonto_quotes": CLIENTS,
    "withdrawkit._ripio_client": CLIENTS,
    "withdrawkit._ripio_withdrawals": CLIENTS,
    "withdrawkit._ripio_fiat": CLIENTS,
    "withdrawkit._ripio_end_users": CLIENTS,
    "withdrawkit._ripio_market": CLIENTS,
    # Webhooks read bodies with the conversion and errors layers and need no transport; they
    # sit beside the clients, whose models and exceptions they share.
    "withdrawkit._webhook_events": CLIENTS,
    "withdrawkit._webhook_signature": CLIENTS,
    "withdrawkit.webhooks": CLIENTS,
    "withdrawkit": CLIENTS,  # the package re-exports the public surface
    "withdrawkit.testing": TESTING,
    # The fakes' scene methods and the checks of their arguments, split out of the fakes.
    "withdrawkit.testing._scene_checks": TESTING,
    "withdrawkit.testing._ripio_end_user_scene": TESTING,
    "withdrawkit.testing._ripio_webhook_scene": TESTING,
    "withdrawkit.testing._onekonto_account_scene": TESTING,
    "withdrawkit._cli": CLI,  # the console script: every layer below, none above
}
GENERATED_LAYER = VALUE_TYPES  # the models may use value types only


def module_name(path: Path) -> str:
    parts = path.relative_to(FACADE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    """The layer of the longest known prefix: withdrawkit._error_mapping.ripio -> ERRORS."""
    candidates = [name for name in LAYERS if module == name or module.startswith(name + ".")]
    if not candidates:
        raise LookupError(module)
    return LAYERS[max(candidates, key=len)]


def imported_modules(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from withdrawkit import _wire_json` imports the module withdrawkit._wire_json
            names += [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in LAYERS
                else node.module
                for alias in node.names
            ]
    return [name for name in names if name.split(".")[0] == "withdrawkit"]


FACADE_MODULES = sorted(FACADE.rglob("*.py"))


@pytest.mark.parametrize("path", FACADE_MODULES, ids=module_name)
def test_every_module_has_a_layer(path: Path) -> None:
    assert layer_of(module_name(path)) in range(VALUE_TYPES, CLI + 1)


@pytest.mark.parametrize("path", FACADE_MODULES, ids=module_name)
def test_no_module_imports_from_a_higher_layer(path: Path) -> None:
    own = layer_of(module_name(path))
    upward = [name for name in imported_modules(path) if layer_of(name) > own]
    assert upward == []


@pytest.mark.parametrize("path", sorted(GENERATED.glob("*.py")), ids=lambda path: path.name)
def test_generated_models_use_value_types_only(path: Path) -> None:
    assert [name for name in imported_modules(path) if layer_of(name) > GENERATED_LAYER] == []


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "module.py"
    module.write_text("from withdrawkit._transport import Transport\nimport withdrawkit._auth\n")
    assert imported_modules(module) == ["withdrawkit._transport", "withdrawkit._auth"]
    assert all(layer_of(name) > ERRORS for name in imported_modules(module))
