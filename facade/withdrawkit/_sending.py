"""What the clients do around every money-moving request so it can be found again.

``new_reference`` gives a request without a caller's reference one of its own (a UUID4), and
``remembered`` puts what was sent, and when, on any ``OutcomeUnknown`` the request raises (and,
for a request no ``reconcile`` finds again, the call that looks it up).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from withdrawkit._exceptions import OutcomeUnknown

if TYPE_CHECKING:
    from withdrawkit._amount import Amount

__all__ = ["new_reference", "remembered"]


def new_reference() -> str:
    """A fresh reference for a request the caller gave none: a random UUID, as text."""
    import uuid  # noqa: PLC0415 - loaded with the first reference, not with the client

    return str(uuid.uuid4())


@contextmanager
def remembered(
    operation: str,
    amount: Amount | None,
    destination: Mapping[str, str | None],
    *,
    wall: Callable[[], float],
    reference: str | None = None,
    instructions: Sequence[str] | None = None,
    look_up: str | None = None,
) -> Iterator[None]:
    """Run the request inside; an ``OutcomeUnknown`` it raises leaves with ``sent`` filled in.

    ``wall`` is the client's wall clock (seconds since the epoch), read once before the request
    leaves. ``reference`` fills the exception's ``reference`` if the transport did not.
    ``look_up`` (a sentence such as ``"get_end_user('u-1') tells whether it was created."``)
    is added to the exception's message.
    """
    from withdrawkit._sent_request import SentRequest  # noqa: PLC0415 - with the first value (attrs)

    sent = SentRequest(
        operation,
        amount,
        destination,
        datetime.fromtimestamp(wall(), tz=timezone.utc),
        tuple(instructions or ()),
    )
    try:
        yield
    except OutcomeUnknown as unknown:
        unknown.sent = sent
        if unknown.reference is None:
            unknown.reference = reference
        if look_up is not None:
            unknown.args = (f"{unknown} {look_up}",)
        raise
