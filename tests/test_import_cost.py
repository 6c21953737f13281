"""Importing withdrawkit and constructing a client loads no generated model, cattrs, msgspec or
attrs (nor the stdlib modules only attrs pulls in, nor uuid): those load with the first call
or value that needs them (the time this saves is measured by ``nox -s bench``; here, which
modules load).

The probe counts what loads after ``import requests``, the cost a user pays anyway: on
CPython 3.12 and later requests' own imports already load ``inspect``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from withdrawkit import _wait_defaults, _waiting

DEFERRED = (
    "withdrawkit_generated.onekonto",
    "withdrawkit_generated.ripio",
    "cattrs",
    "msgspec",
    "attr",
    "attrs",
    "inspect",
    "uuid",
)
CONSTRUCT = {
    "OneKontoClient": "wk.OneKontoClient('http://127.0.0.1:9', user='u', password='p', "
    "account_id='a').close()",
    "RipioClient": "wk.RipioClient('http://127.0.0.1:9', client_id='i', client_secret='s').close()",
}


def loaded_after(code: str) -> list[str]:
    probe = (
        "import json, sys\n"
        "import requests\n"
        "before = set(sys.modules)\n"
        "import withdrawkit as wk\n"
        f"{code}\n"
        f"print(json.dumps([name for name in {DEFERRED!r}"
        " if name in sys.modules and name not in before]))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded: list[str] = json.loads(run.stdout)
    return loaded


@pytest.mark.parametrize("client", sorted(CONSTRUCT))
def test_constructing_a_client_loads_no_model_and_no_decoder(client: str) -> None:
    assert loaded_after(CONSTRUCT[client]) == []


@pytest.mark.parametrize("client", sorted(CONSTRUCT))
def test_constructing_a_client_imports_no_attrs(client: str) -> None:
    assert [name for name in loaded_after(CONSTRUCT[client]) if name.startswith("attr")] == []


def loaded_by_requests(names: tuple[str, ...]) -> set[str]:
    probe = (
        "import json, sys, requests\n"
        f"print(json.dumps([name for name in {names!r} if name in sys.modules]))"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(run.stdout))


def test_the_first_public_value_loads_attrs() -> None:
    already = loaded_by_requests(("inspect",))
    expected = [name for name in ("attr", "attrs", "inspect") if name not in already]
    assert loaded_after("wk.Amount.parse('1.5 BTC')") == expected


def test_the_probe_sees_a_module_that_did_load() -> None:
    already = loaded_by_requests(DEFERRED)
    expected = [
        "withdrawkit_generated.onekonto",
        "msgspec",
        "attr",
        "attrs",
        "inspect",
        "uuid",
    ]
    loaded = loaded_after("import withdrawkit_generated.onekonto, msgspec")
    assert loaded == [name for name in expected if name not in already]
    assert "attrs" in loaded  # the probe really sees a module the code loaded


def test_the_wait_defaults_are_those_of_waiting() -> None:
    # The client mixins take their signatures' defaults from _wait_defaults so that defining
    # them does not import _waiting; the two must not drift apart.
    assert (_wait_defaults.DEFAULT_TIMEOUT, _wait_defaults.DEFAULT_POLL_INTERVAL) == (
        _waiting.DEFAULT_TIMEOUT,
        _waiting.DEFAULT_POLL_INTERVAL,
    )
