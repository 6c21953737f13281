"""``SentRequest``: what a money-moving call sent, kept on the ``OutcomeUnknown`` it may raise.

After an unknown outcome the caller (or ``reconcile``) must find the operation again, on another
machine perhaps (Celery pickles the exception): so the exception carries the amount, where the
money was to go and when it was sent, with secret-named fields masked like everything else
withdrawkit keeps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import attrs

from withdrawkit._amount import Amount
from withdrawkit._redaction import REDACTED, is_secret_field

__all__ = ["SentRequest"]


def _masked(destination: Mapping[str, str | None]) -> dict[str, str]:
    return {
        name: REDACTED if is_secret_field(name) else value
        for name, value in destination.items()
        if value is not None
    }


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _aware(_instance: object, _attribute: object, value: datetime) -> None:
    if value.utcoffset() is None:
        raise ValueError(f"sent_at must carry a timezone, got {value!r}")


@attrs.frozen
class SentRequest:
    """One money-moving request as it was sent.

    ``operation`` is the client method (``"create_withdrawal"``), ``amount`` what it moved
    (``None`` for a quote acceptance, which names its quote by id, the ``reference``, and for
    ``create_end_user``, which moves none),
    ``destination`` where the money was to go, by the method's argument names (``network``,
    ``address``, ``end_user``; ``type``, ``routing_number``, ``account_number``...; arguments left
    out are absent; secret-named ones masked), ``instructions`` any free-text instructions sent
    with it, and ``sent_at`` this machine's UTC time just before the request left.
    """

    operation: str
    amount: Amount | None
    destination: Mapping[str, str] = attrs.field(converter=_masked)
    sent_at: datetime = attrs.field(validator=_aware)
    instructions: tuple[str, ...] = attrs.field(default=(), converter=_strings)


# Shown and pickled as withdrawkit.SentRequest, the path users import from; the annotations are
# resolved first, while this module's names are still where they are looked up.
attrs.resolve_types(SentRequest)
SentRequest.__module__ = "withdrawkit"
