"""Enums that keep values they do not know.

The vendors' enums are documented only in part (Ripio shows three withdrawal statuses of a
longer list), so a new value from the server must not turn a successful response into a crash.
"""

from __future__ import annotations

from enum import Enum
from typing import Any


class OpenEnum(str, Enum):
    """A ``str`` enum whose members equal their wire strings and which accepts unknown values.

    ``Status("pending") is Status.pending``; ``Status("frozen")`` is a pseudo-member that is not
    one of the class's listed members but still equals ``"frozen"`` and has ``.value == "frozen"``.
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        pseudo_member = str.__new__(cls, value)
        pseudo_member._name_ = value
        pseudo_member._value_ = value
        return pseudo_member

    @property
    def is_known(self) -> bool:
        """Whether the spec lists this value."""
        return self._value_ in type(self)._value2member_map_

    def __str__(self) -> str:
        return str(self.value)
