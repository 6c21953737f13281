"""What the command line prints: tables for people, exact JSON for scripts, errors on stderr.

``--json`` prints the provider's own JSON shape (the wire field names its documentation uses),
one document on stdout, with every amount exact: Ripio's as JSON numbers written digit for digit,
1Konto's as its ``"N ASSET"`` text. Without it, rich draws tables and key-value panels; colour
and box drawing appear only on a terminal, so piped output stays plain text.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

import attrs
import click
from rich import box
from rich.console import Console
from rich.table import Table

from withdrawkit import _wire_json as wire_json
from withdrawkit._amount import Amount
from withdrawkit._conversion import unstructure
from withdrawkit._decimals import plain_text

__all__ = ["Output", "cell"]

_PIPED_WIDTH: Final = 10_000


class Output:
    """Where a command writes: ``data`` to stdout (a table or JSON), ``note`` to stderr."""

    def __init__(self, *, json_mode: bool) -> None:
        self.json_mode = json_mode
        self.stdout = _console(stderr=False)
        self.stderr = _console(stderr=True)

    def json(self, value: Any) -> None:
        """``value`` (a model, a list of models, or plain JSON values) as one JSON document."""
        click.echo(wire_json.dumps(_jsonable(value)))

    def table(self, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> None:
        terminal = self.stdout.is_terminal
        table = Table(
            title=title,
            title_justify="left",
            box=box.SIMPLE_HEAD if terminal else None,
            show_edge=terminal,
        )
        for column in columns:
            table.add_column(column, overflow="fold")  # an id is wrapped, never cut short
        count = 0
        for row in rows:
            table.add_row(*(cell(value) for value in row))
            count += 1
        if count:
            self.stdout.print(table)
        else:
            self.stdout.print(f"{title}: none")

    def fields(self, pairs: Iterable[tuple[str, Any]], *, title: str | None = None) -> None:
        """``name: value`` lines, the names aligned; ``None`` values are left out."""
        shown = [(name, cell(value)) for name, value in pairs if value is not None]
        if title:
            self.stdout.print(title)
        width = max((len(name) for name, _ in shown), default=0)
        for name, value in shown:
            self.stdout.print(f"  {name.ljust(width)}  {value}", markup=False)

    def note(self, text: str) -> None:
        """A message for the person at the terminal, on stderr (never in piped data)."""
        self.stderr.print(text, markup=False)


def _console(*, stderr: bool) -> Console:
    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    if not console.is_terminal:
        # Piped: no width to fit, so tables keep every character for grep and awk.
        console = Console(stderr=stderr, highlight=False, soft_wrap=True, width=_PIPED_WIDTH)
    return console


def cell(value: Any) -> str:
    """One value as a person reads it: exact decimals, ISO times, enum values, '-' for None."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return plain_text(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (list, tuple)):
        return ", ".join(cell(item) for item in value) or "-"
    return str(value)


def _jsonable(value: Any) -> Any:
    if attrs.has(type(value)) and not isinstance(value, Amount):
        return unstructure(value)
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, Amount):
        return str(value)
    return value
