"""Decoded response bodies into generated models, or ``UnexpectedResponse`` when they do not fit.

A client reads a model in one of two ways. The plain way: the transport returns the body's JSON
values and ``read_response`` structures them. The fast way: the client passes
``decoder_for(model)`` as the request's ``decode``, the transport hands it the body bytes, and
``withdrawkit._wire_decode`` reads them straight into the model; ``read_response`` then returns
that model as is. A body the fast way refuses is read the plain way by the transport, so what a
caller gets, errors included, does not depend on the way taken.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import ModuleType
from typing import Any, Generic, TypeVar

from withdrawkit import _wire_json as wire_json
from withdrawkit._conversion import WireShapeError, structure
from withdrawkit._exceptions import ALREADY_ACCEPTED, UnexpectedResponse
from withdrawkit._records import Frozen
from withdrawkit._redaction import redact_json, shape_of

__all__ = ["ALREADY_ACCEPTED", "Decoded", "decoder_for", "read_list", "read_response", "unexpected"]

T = TypeVar("T")
E = TypeVar("E")


class Decoded(Frozen, Generic[T]):
    """A body already read into its model by ``decoder_for``: never mistaken for JSON values."""

    __slots__ = ("value",)
    value: T

    def __init__(self, value: T) -> None:
        self._init(value=value)

    def __eq__(self, other: object) -> bool:
        return self.value == other.value if isinstance(other, Decoded) else NotImplemented

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return f"Decoded({self.value!r})"


def decoder_for(model: type[T]) -> Callable[[bytes], Decoded[T]]:
    """A transport ``decode`` reading body bytes straight into ``model``; it raises ValueError
    for any body the reference reading refuses, which the transport then reads the plain way."""

    def decode_body(content: bytes) -> Decoded[T]:
        decoded: T = _wire_decode().decode(content, model)
        return Decoded(decoded)

    return decode_body


@functools.cache
def _wire_decode() -> ModuleType:
    # Imported on the first read, not with withdrawkit: msgspec and the decode plans are not
    # needed to make a client.
    from withdrawkit import _wire_decode as module  # noqa: PLC0415

    return module


def read_response(
    value: Any,
    model: type[T],
    *,
    operation: str,
    secret: bool = False,
    accepted: bool = False,
    http_status: int | None = None,
) -> T:
    """``value`` structured as ``model``; a body of another shape raises ``UnexpectedResponse``.

    The caller then never sees a cattrs, KeyError or TypeError from a server that changed its
    answer, and the exception keeps the body (secret-named fields masked) for the bug report.
    A ``secret`` body (a login answer) keeps only its shape, and the converter's explanation is
    left out too, since it may quote the values it could not read. ``accepted`` marks the answer
    to a request that moves money: the server took it, so the message warns against resending.
    ``http_status`` is the answer's status when the caller knows it; ``None`` (the exception's
    ``http_status`` too) means some 2xx, the only answers the transport returns a body for.
    A ``Decoded`` value (from ``decoder_for(model)``) is the model already.
    """
    if isinstance(value, Decoded):
        decoded: T = value.value
        return decoded
    try:
        return structure(value, model)
    except WireShapeError as error:
        warning = f" {ALREADY_ACCEPTED}" if accepted else ""
        if secret:
            message = f"{operation}: the response does not match {model.__name__}{warning}"
            raise unexpected(message, value, secret=True, http_status=http_status) from None
        raise unexpected(
            f"{operation}: {error}{warning}", value, http_status=http_status
        ) from error


def unexpected(
    message: str, value: Any, *, secret: bool = False, http_status: int | None = None
) -> UnexpectedResponse:
    """An ``UnexpectedResponse`` for a successful answer whose decoded body is ``value``.

    Secret-named fields are masked; of a ``secret`` body (a login answer, where any field may
    hold a credential under a name no list foresees) only the shape is kept. ``http_status``
    ``None`` means the status is not known here (some 2xx).
    """
    body = shape_of(value) if secret else _as_text(redact_json(value))
    return UnexpectedResponse(message, http_status=http_status, body=body)


def _as_text(value: Any) -> str:
    try:
        return wire_json.dumps(value)
    except (TypeError, ValueError):
        return repr(value)


def read_list(
    answer: Any,
    *,
    bare: type[list[T]],
    keyed: type[E],
    items: Callable[[E], list[T] | None],
    key: str,
    operation: str,
) -> list[T]:
    """A list answer whose shape no page documents: ``{key: [...]}`` read as ``keyed`` (what the
    spec models), or the bare array ``bare`` it might also be, which costs nothing to accept.

    An object without ``key`` is ``UnexpectedResponse``, never an empty list: "no such key" is
    not "nothing to list".
    """
    if isinstance(answer, list):
        return read_response(answer, bare, operation=operation)
    listed = items(read_response(answer, keyed, operation=operation))
    if listed is None:
        raise unexpected(f"{operation}: the response has no {key}", answer)
    return listed
