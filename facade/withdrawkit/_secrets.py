"""``Secret``: a credential held so that nothing but an explicit ``reveal()`` shows it.

Error trackers (Sentry) and loggers format tracebacks with ``capture_locals=True``, which
writes the ``repr`` of every local variable of every frame. So a password digest, client
secret or bearer token is held in a ``Secret`` from the client's constructor down to the
expression that builds the header or request body, and a frame's locals show only
``Secret([REDACTED])``. A ``Secret`` refuses to be pickled: a client or request object that
holds one cannot be shipped to a queue by accident.

A login answer is held the same way, from the moment the transport decodes it, in a ``Sealed``:
any of its values may be a credential, so its repr shows only the type of what it holds.
"""

from __future__ import annotations

import hmac
from typing import Final, Generic, NoReturn, TypeVar, final

__all__ = ["Sealed", "Secret", "revealed"]

T = TypeVar("T")

_SHOWN: Final = "Secret([REDACTED])"


@final
class Secret:
    """A secret string; ``repr``, ``str`` and ``format`` show ``Secret([REDACTED])``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"a Secret holds a string, got {type(value).__name__}")
        self._value = value

    def reveal(self) -> str:
        """The secret itself: call this only in the expression that sends it."""
        return self._value

    def __repr__(self) -> str:
        return _SHOWN

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return format(_SHOWN, spec)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is not pickled: it would carry the secret in the clear")


def revealed(value: str | Secret) -> str:
    """``value`` as the text to send: a ``Secret`` revealed, a plain string as it is."""
    return value.reveal() if isinstance(value, Secret) else value


@final
class Sealed(Generic[T]):
    """Any value held like a ``Secret`` (a decoded login answer): ``repr`` shows its type only,
    ``unsealed()`` gives it back, and it refuses to be pickled."""

    __slots__ = ("_value",)

    def __init__(self, value: T) -> None:
        self._value = value

    def unsealed(self) -> T:
        """The value itself: call this only where no exception can be raised while it is held."""
        return self._value

    def __repr__(self) -> str:
        return f"Sealed({type(self._value).__name__}, [REDACTED])"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Sealed value is not pickled: it would carry its content in the clear")
