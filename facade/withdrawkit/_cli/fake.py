"""``withdrawkit fake serve onekonto|ripio``: a fake provider as a standalone loopback server.

For suites in any language (a Go or Node service, a Django live server, docker compose): point
the code under test at the printed URL with the printed credentials, and set the scene through
the control surface under ``/_withdrawkit/`` (``GET /_withdrawkit/`` lists it). It serves until
Ctrl-C or SIGTERM, then closes every connection and exits 0.
"""

from __future__ import annotations

import shlex
import signal
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any, Final

import click

from withdrawkit import _wire_json as wire_json
from withdrawkit._cli.exit_codes import OK

if TYPE_CHECKING:
    from withdrawkit.testing._control import ControlSurface

__all__ = ["FAKE_PROVIDERS", "fake"]

# The fakes are imported when served, so that the other commands start without loading them;
# a test checks this list against the control surface's.
FAKE_PROVIDERS: Final = ("onekonto", "ripio")
_STOP_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)


@click.group()
def fake() -> None:
    """Fake providers for tests written in any language."""


@fake.command()
@click.argument("provider", type=click.Choice(FAKE_PROVIDERS))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, help="Port on 127.0.0.1 (0: a free one)."
)
@click.option("--seed", default="0", show_default=True, help="Seed of the fake's ids.")
@click.option(
    "--pending-polls",
    type=click.IntRange(min=0),
    help="Withdrawals complete by themselves after this many reads (default: when told).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON line, for a test harness.")
def serve(provider: str, port: int, seed: str, pending_polls: int | None, as_json: bool) -> int:
    """Serve a fake PROVIDER (onekonto or ripio) on 127.0.0.1 until Ctrl-C or SIGTERM."""
    # Imported here: `withdrawkit ripio status` should not pay for loading both fakes.
    from withdrawkit.testing._control import serve_scene  # noqa: PLC0415
    from withdrawkit.testing._control_scenes import PROVIDERS  # noqa: PLC0415

    scene = PROVIDERS[provider](seed=_seed(seed), pending_polls=pending_polls)
    stop = threading.Event()
    # Both signals only set the event: a KeyboardInterrupt could land anywhere, even between the
    # announcement and the wait, and skip the clean stop.
    previous = {number: signal.signal(number, _setter(stop)) for number in _STOP_SIGNALS}
    try:
        with serve_scene(scene, port=port) as surface:
            _announce(surface, as_json=as_json)
            while not stop.wait(0.5):  # a timeout keeps the wait responsive to signals
                pass
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    click.echo("stopped", err=True)
    return OK


def _setter(stop: threading.Event) -> Any:
    def on_signal(number: int, frame: FrameType | None) -> None:
        stop.set()

    return on_signal


def _seed(text: str) -> int | str:
    # "--seed 7" gives the ids FakeRipio(seed=7) gives in a Python test.
    return int(text) if text.isascii() and text.isdigit() else text


def _announce(surface: ControlSurface[Any], *, as_json: bool) -> None:
    control = f"{surface.url}{surface.prefix}/"
    if as_json:
        document = {"url": surface.url, "control": control, "credentials": surface.credentials()}
        click.echo(wire_json.dumps(document))
        return
    name = type(surface.fake).__name__
    click.echo(f"{name} serving at {surface.url}")
    click.echo("Ready-made credentials (paste into a shell):")
    for variable, value in surface.credentials().items():
        click.echo(f"  export {variable}={shlex.quote(value)}")
    click.echo(f"Control surface: {control}  (GET it for the list of endpoints)")
    click.echo("Press Ctrl-C to stop.")
