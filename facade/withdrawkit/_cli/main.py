"""The ``withdrawkit`` console script: the root group and the one place errors become exit codes.

A ``WithdrawKitError`` is printed on stderr as ``error: <Class>: <message>`` and exits with its
class's code (``exit_codes``); click's usage errors exit 2; anything else is a bug and keeps its
traceback (exit 1).

The library's own warnings (a poll that failed and is polled again, a status it does not know,
a fiat withdrawal created in another currency) are printed on stderr as ``warning: <message>``:
the library logs them and leaves showing them to the application, which this is.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import click

from withdrawkit._cli.exit_codes import INTERRUPTED, OK, exit_code_for
from withdrawkit._cli.fake import fake
from withdrawkit._cli.onekonto import onekonto
from withdrawkit._cli.ripio import ripio
from withdrawkit._root_error import WithdrawKitError
from withdrawkit._version import __version__

__all__ = ["cli", "main", "show_library_warnings"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="withdrawkit")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="INI file with [onekonto] / [ripio] settings (chmod 600). "
    "Default: $WITHDRAWKIT_CONFIG, else ~/.config/withdrawkit/config.ini.",
)
def cli(config_path: Path | None) -> None:
    """Check, send and follow withdrawals on 1Konto and Ripio B2B; serve fake providers.

    Credentials come from environment variables or the config file, never from the command
    line. Commands that move money show what they will send and ask first (--yes for scripts).
    """


cli.add_command(onekonto)
cli.add_command(ripio)
cli.add_command(fake)


class _LibraryWarnings(logging.Handler):
    """withdrawkit's records of WARNING and above, each a ``<level>: <message>`` line on stderr.

    ``click.echo`` finds stderr when called, so during ``wait`` on a terminal the line is
    printed above the live line (rich redirects stderr while that line is shown)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(f"{record.levelname.lower()}: {self.format(record)}", err=True)
        except Exception:  # noqa: BLE001 - a log line must never end the command
            self.handleError(record)


def show_library_warnings() -> None:
    """Print withdrawkit's warnings from now on (once, however often it is called)."""
    logger = logging.getLogger("withdrawkit")
    if not any(isinstance(handler, _LibraryWarnings) for handler in logger.handlers):
        logger.addHandler(_LibraryWarnings())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    show_library_warnings()
    try:
        result = cli.main(args=argv, prog_name="withdrawkit", standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as refused:
        refused.show()
        return refused.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("interrupted", err=True)
        return INTERRUPTED
    except WithdrawKitError as error:
        click.echo(f"error: {type(error).__name__}: {error}", err=True)
        return exit_code_for(error)
    return result if isinstance(result, int) else OK


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
