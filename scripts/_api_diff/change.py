"""One difference between two versions of the public API."""

from __future__ import annotations

import dataclasses

__all__ = ["Change"]


@dataclasses.dataclass(frozen=True)
class Change:
    """One difference, keyed by the dotted name a changelog entry quotes."""

    name: str
    what: str
    breaking: bool
