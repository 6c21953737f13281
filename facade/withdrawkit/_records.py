"""``Frozen`` and ``Record``: slotted, immutable private records, without attrs.

Each is a class with ``__slots__`` and nothing more: not a tuple (``list()``, ``%``-formatting,
``json.dumps`` and ``tuple.__repr__`` would read every field, the masked repr bypassed), not
an attrs class (constructing a client does not import attrs). A record is immutable, equal only
to a record of its own class with equal fields, copied as itself, and never pickled: it would
carry the server's unmasked text (headers, bodies, tokens) in the clear.
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["Frozen", "Record"]


class Frozen:
    """Immutable slotted fields: a subclass lists them in ``__slots__`` and sets them in its
    ``__init__`` with ``self._init(name=value, ...)``; setting or deleting one later raises."""

    __slots__ = ()

    def _init(self, **values: Any) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")


class Record(Frozen):
    """A ``Frozen`` record of the server's text: equal only to one of its own class with equal
    fields, copied as itself, never pickled."""

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        names: tuple[str, ...] = self.__slots__
        return tuple(getattr(self, name) for name in names)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __copy__(self) -> Record:
        return self  # immutable: the copy may be the record itself

    def __deepcopy__(self, memo: dict[int, object]) -> Record:
        return self

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            f"{type(self).__name__} is not pickled: it would carry the server's text in the clear"
        )
