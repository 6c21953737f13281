"""The errors of following an operation to its end: ``StillPending`` and ``AmbiguousOutcome``.

Both carry provider models (the last state seen, the candidates found), which pickle with them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from withdrawkit._root_error import WithdrawKitError

__all__ = ["AmbiguousOutcome", "StillPending"]


class StillPending(WithdrawKitError):
    """A ``wait_*`` call ran out of time before the operation reached a final status.

    ``last_state`` is the last state read (a ``Withdrawal``, ``WithdrawRequest``...), or
    ``None`` when no read succeeded in time (every poll rate limited, say). The operation goes
    on at the provider: wait again, or look it up later.
    """

    def __init__(self, message: str, *, last_state: object = None) -> None:
        super().__init__(message)
        self.last_state = last_state

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt through the public class itself: a pickle names withdrawkit.StillPending only.
        return (functools.partial(StillPending, str(self), last_state=self.last_state), ())


class AmbiguousOutcome(WithdrawKitError):
    """``reconcile`` found more than one operation that fits what was sent, and will not guess.

    ``candidates`` holds them (provider models); tell them apart with your own records, then
    call again with the ones you already know excluded. An empty ``candidates`` means the
    provider's answer was too partial to rule anything out (a list cut at its maximum length).
    """

    def __init__(self, message: str, *, candidates: Sequence[object] = ()) -> None:
        super().__init__(message)
        self.candidates: tuple[object, ...] = tuple(candidates)

    def __reduce__(self) -> tuple[Any, ...]:
        return (functools.partial(AmbiguousOutcome, str(self), candidates=self.candidates), ())


# Shown and pickled as withdrawkit.<name>, the path users import from.
StillPending.__module__ = "withdrawkit"
AmbiguousOutcome.__module__ = "withdrawkit"
