"""Running the real ``withdrawkit`` console script, as an operator's shell would.

Every test runs the script installed beside this interpreter (``pip install -e '.[cli]'``
puts it there) in a child process, with an environment of its own: a fresh ``HOME`` and
``XDG_CONFIG_HOME``, so no config file of the machine is read, and only the ``WITHDRAWKIT_*``
variables the test gives.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

SCRIPT_TIMEOUT = 60


def script() -> str:
    """The installed console script; its absence is a broken install, not a reason to skip."""
    found = shutil.which("withdrawkit", path=str(Path(sys.executable).parent))
    assert found is not None, "the withdrawkit script is missing: pip install -e '.[cli]'"
    return found


@attrs.frozen
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """stdout as JSON, every number read as an exact Decimal."""
        return json.loads(self.stdout, parse_float=Decimal, parse_int=Decimal)


def run(
    *arguments: str,
    env: Mapping[str, str],
    home: Path,
    answer: str | None = None,
) -> Run:
    """``withdrawkit *arguments`` with ``env`` on top of a bare environment; ``answer`` is
    typed on stdin (None: stdin is closed, as under cron)."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "LANG": "C.UTF-8",
        **env,
    }
    done = subprocess.run(
        [script(), *arguments],
        input=answer if answer is not None else "",
        capture_output=True,
        text=True,
        env=environment,
        timeout=SCRIPT_TIMEOUT,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def ripio_env(url: str) -> dict[str, str]:
    """FakeRipio's ready-made credentials, at ``url``."""
    return {
        "WITHDRAWKIT_RIPIO_BASE_URL": url,
        "WITHDRAWKIT_RIPIO_CLIENT_ID": "test-client-id",
        "WITHDRAWKIT_RIPIO_CLIENT_SECRET": "test-client-secret",
    }


def onekonto_env(url: str, *, user: str, password: str, account_id: str) -> dict[str, str]:
    return {
        "WITHDRAWKIT_ONEKONTO_BASE_URL": url,
        "WITHDRAWKIT_ONEKONTO_USER": user,
        "WITHDRAWKIT_ONEKONTO_PASSWORD": password,
        "WITHDRAWKIT_ONEKONTO_ACCOUNT_ID": account_id,
    }


def assert_sent_at(printed: str, created_at: datetime) -> None:
    """``printed`` is the send time as ``--since`` takes it: ISO 8601 with its offset, this
    machine's clock just before the request left, so at most moments before the fake made it."""
    sent_at = datetime.fromisoformat(printed)
    assert sent_at.utcoffset() is not None, printed
    assert timedelta(0) <= created_at - sent_at < timedelta(seconds=30), (printed, created_at)
