"""Login and token answers read without any frame holding the token in the clear.

The transport returns a credential answer ``Sealed``. ``read_token_answer`` takes the token out
of it as a ``Secret`` in one function that cannot raise, and structures only the model's other
fields, with a placeholder where the token was and the fields the model does not know (a
refresh token, an id token) left out. So when an answer is malformed, the frames of the
exception it raises (this module's, ``structure``'s, cattrs') hold the token only as a
``Secret``: a traceback formatted with ``capture_locals=True`` never shows it. The exception
keeps only the answer's shape (keys and value types), and is raised outside any ``except``
block so that it chains to no exception whose frames saw the values.
"""

from __future__ import annotations

import re
from typing import Any, Final, TypeVar

from withdrawkit._conversion import WireShapeError, structure
from withdrawkit._exceptions import UnexpectedResponse
from withdrawkit._records import Record
from withdrawkit._redaction import shape_of
from withdrawkit._secrets import Sealed, Secret

__all__ = ["read_token_answer"]

T = TypeVar("T")

# RFC 6750's b64token: all that may follow "Bearer " in an Authorization header. Anything else
# (CR/LF, spaces, non-ASCII) would break or split the header of every later request.
_BEARER_TOKEN: Final = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
# What the model is structured with in place of the token: a string, as the token field's type.
_PLACEHOLDER: Final = "[REDACTED]"


class _Opened(Record):
    """What ``_opened`` took out of a sealed answer: never the token in the clear.

    Either ``problem`` says why there is no token to use, or ``token`` and ``fields`` (the
    model's fields, a placeholder in place of the token) are both set.
    """

    __slots__ = ("fields", "problem", "shape", "token")
    shape: str
    problem: str | None
    token: Secret | None
    fields: dict[str, object] | None

    def __init__(
        self,
        shape: str,
        problem: str | None = None,
        token: Secret | None = None,
        fields: dict[str, object] | None = None,
    ) -> None:
        self._init(shape=shape, problem=problem, token=token, fields=fields)

    def __repr__(self) -> str:  # never the fields: they are the server's, unmasked
        return f"_Opened(shape={self.shape!r}, problem={self.problem!r}, token={self.token!r})"


def read_token_answer(
    answer: object,
    model: type[T],
    *,
    wire_name: str,
    operation: str,
    type_name: str | None = None,
) -> tuple[Secret, T]:
    """The token of a login answer (``Sealed`` by the transport) and the answer as ``model``.

    ``wire_name`` names the token in the answer. The token must be text a bearer token can be
    (RFC 6750); the model is read with a placeholder in its place. ``type_name``, if given,
    names the field that must say the token is a Bearer token (RFC 6749 §5.1 ``token_type``,
    case-insensitive): any other text is refused here, by its length only, so no frame and no
    message holds it (a server may echo the token there). A malformed answer raises
    ``UnexpectedResponse`` keeping only its shape, at login, before any token is cached.
    """
    mismatch = f"the response does not match {model.__name__}"
    opened = _opened(answer, wire_name, _wire_names(model), mismatch=mismatch)
    if type_name is not None and opened.fields is not None:
        opened = _of_bearer_type(opened, opened.fields.get(type_name), type_name)
    if opened.token is None or opened.fields is None:
        raise UnexpectedResponse(
            f"{operation}: {opened.problem}", http_status=None, body=opened.shape
        )
    read = _structured(opened.fields, model)
    if read is None:
        # Raised here, outside the except block: not even __context__ keeps cattrs' frames.
        raise UnexpectedResponse(f"{operation}: {mismatch}", http_status=None, body=opened.shape)
    return opened.token, read


def _opened(answer: object, wire_name: str, known: frozenset[str], *, mismatch: str) -> _Opened:
    # Nothing here raises: this is the one frame that holds the answer's values in the clear.
    value = answer.unsealed() if isinstance(answer, Sealed) else answer
    shape = shape_of(value)
    if not isinstance(value, dict):
        return _Opened(shape, mismatch)
    token = value.get(wire_name)
    if not isinstance(token, str):
        return _Opened(shape, "the token is missing or is not text; there is none to use")
    if not _BEARER_TOKEN.fullmatch(token):
        problem = (
            "the token is empty or has characters a bearer token cannot have (RFC 6750); "
            "it was not used"
        )
        return _Opened(shape, problem)
    fields = {name: item for name, item in value.items() if name in known}
    fields[wire_name] = _PLACEHOLDER
    return _Opened(shape, token=Secret(token), fields=fields)


def _of_bearer_type(opened: _Opened, token_type: object, type_name: str) -> _Opened:
    # Nothing here raises either; a token_type of another type than text is left to the model.
    if not isinstance(token_type, str) or token_type.lower() == "bearer":
        return opened
    problem = (
        f"the token's {type_name} is not Bearer (it is {_length_of(token_type)}, not shown); "
        "the token was not used"
    )
    return _Opened(opened.shape, problem)


def _length_of(text: str) -> str:
    return "empty" if not text else f"{len(text)} character{'s' if len(text) > 1 else ''} long"


def _structured(fields: dict[str, object], model: type[T]) -> T | None:
    try:
        return structure(fields, model)
    except WireShapeError:
        return None


def _wire_names(model: type[Any]) -> frozenset[str]:
    import attrs  # noqa: PLC0415 - loaded already: ``model`` is an attrs class

    return frozenset(str(field.metadata.get("wire", field.name)) for field in attrs.fields(model))
