"""What every provider command shares: where its settings come from and how its client is made."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Generic, TypeVar

import attrs
import click

from withdrawkit._cli.render import Output
from withdrawkit._cli.settings import ProviderSettings, load_settings
from withdrawkit._version import __version__

__all__ = [
    "USER_AGENT",
    "ProviderContext",
    "amount_argument",
    "json_option",
    "output_for",
    "pass_provider",
    "since_option",
]

C = TypeVar("C")

# Sent first in the User-Agent, so the provider's logs tell the command line from a program.
USER_AGENT = f"withdrawkit-cli/{__version__}"


@attrs.define
class ProviderContext(Generic[C]):
    """The ``ctx.obj`` of ``withdrawkit onekonto`` / ``withdrawkit ripio``."""

    settings: ProviderSettings
    build: Callable[[Mapping[str, str]], C]  # settings by name -> client
    base_url: str | None
    config_path: Path | None
    _client: C | None = None

    def client(self) -> C:
        if self._client is None:
            values = load_settings(
                self.settings,
                base_url=self.base_url,
                config_path=self.config_path,
                environ=os.environ,
            )
            self._client = self.build(values)
        return self._client

    def command_line(self, *arguments: str) -> list[str]:
        """The argv of another command of this provider, with the same settings options."""
        argv = ["withdrawkit"]
        if self.config_path is not None:
            argv += ["--config", str(self.config_path)]
        argv.append(self.settings.provider)
        if self.base_url is not None:
            argv += ["--base-url", self.base_url]
        return [*argv, *arguments]


# Hands a command its group's ProviderContext (``withdrawkit ripio`` / ``onekonto`` make it).
pass_provider = click.make_pass_decorator(ProviderContext)


def json_option(command: Callable[..., object]) -> Callable[..., object]:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print exact JSON (the provider's field names)."
    )(command)


def output_for(as_json: bool) -> Output:
    return Output(json_mode=as_json)


def amount_argument(command: Callable[..., object]) -> Callable[..., object]:
    """AMOUNT as one word ("0.5 ETH" quoted) or two (0.5 ETH), handed on as "0.5 ETH"."""

    def joined(ctx: click.Context, param: click.Parameter, words: tuple[str, ...]) -> str:
        if len(words) > 2:
            raise click.BadParameter(f"expected an amount such as 0.5 ETH, got {' '.join(words)!r}")
        return " ".join(words)

    return click.argument("amount", nargs=-1, required=True, callback=joined)(command)


def since_option(command: Callable[..., object]) -> Callable[..., object]:
    """``--since TIME``: when the request was sent (ISO 8601 with its offset), so that a lookup
    stops at pages wholly older than it instead of reading the whole history."""

    def aware(ctx: click.Context, param: click.Parameter, text: str | None) -> datetime | None:
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise click.BadParameter(f"expected an ISO 8601 time, got {text!r}") from None
        if moment.utcoffset() is None:
            raise click.BadParameter(f"give the time's offset (+00:00 for UTC), got {text!r}")
        return moment

    return click.option(
        "--since",
        metavar="TIME",
        callback=aware,
        help="When it was sent (ISO 8601 with offset): older pages are not read.",
    )(command)
