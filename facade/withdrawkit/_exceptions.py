"""The exception tree every withdrawkit call raises from.

WithdrawKitError
├── InvalidArgument (also ValueError)     in withdrawkit._root_error
│   └── AmountError                       in withdrawkit._amount
├── TransportError
│   └── OutcomeUnknown
├── UnexpectedResponse
└── APIError
    ├── ValidationFailed
    ├── InsufficientFunds
    ├── CreditNotAvailable
    ├── AuthenticationFailed
    ├── NotFound
    ├── RateLimited
    ├── ServerError
    ├── QuoteExpired            Ripio 20010
    ├── QuoteAlreadyExecuted    Ripio 20011
    └── LimitExceeded           Ripio 20013-20016

Exception text is built for people: it says what the server said, briefly, and never holds a
secret. Neither do the fields: ``APIError.body``, ``.messages`` and ``.field_errors`` and
``UnexpectedResponse.body`` are stored with secrets masked (``withdrawkit._redaction``: by
field name, by pattern, and the client's own secret values), so logs, error trackers and
pickles of an exception hold none either; what a message quotes of the server is cut and
masked by ``withdrawkit._server_excerpts``. A text field keeps at most the first
``MAX_KEPT_CHARS`` (64 Ki) characters of what the server sent. Every exception survives pickling
with its fields (Celery ships failures that way): a class names the fields it carries beyond
its base's in ``extra_fields``, and its ``__init__`` takes each of them as a keyword.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Final

from withdrawkit._amount_rules import AmountError
from withdrawkit._decimals import plain_text
from withdrawkit._redaction import redact_json, redact_text
from withdrawkit._root_error import WithdrawKitError
from withdrawkit._server_excerpts import body_excerpt, kept_code, masked_field_errors, one_line

if TYPE_CHECKING:
    from typing_extensions import Required, TypedDict, Unpack

    from withdrawkit._amount import Amount
    from withdrawkit._sent_request import SentRequest

    class APIErrorFields(TypedDict, total=False):
        """The keyword arguments every APIError takes: a subclass's ``__init__`` adds its own
        ``extra_fields`` and passes these on."""

        provider: Required[str]
        http_status: int | None
        code: str | int | None
        messages: Sequence[str]
        body: object
        method: str | None
        path: str | None


__all__ = [
    "ALREADY_ACCEPTED",
    "APIError",
    "AmountError",
    "AuthenticationFailed",
    "CreditNotAvailable",
    "InsufficientFunds",
    "InvalidSignature",
    "LimitExceeded",
    "NotFound",
    "OutcomeUnknown",
    "QuoteAlreadyExecuted",
    "QuoteExpired",
    "RateLimited",
    "ServerError",
    "TransportError",
    "UnexpectedResponse",
    "ValidationFailed",
    "WithdrawKitError",
]

# What an exception says after a money-moving request the server took (2xx) but whose answer
# withdrawkit could not read.
ALREADY_ACCEPTED: Final = (
    "The server accepted the request: look the operation up before sending it again."
)


def _rebuilt(error: Exception, fields: dict[str, Any]) -> tuple[Any, ...]:
    """What ``__reduce__`` returns: a call of the class itself with ``fields``, so that a pickle
    names only the public class (``withdrawkit.InsufficientFunds``), never a private helper."""
    return (functools.partial(type(error), **fields), ())


class TransportError(WithdrawKitError):
    """The request did not complete: connection refused, TLS failure, timeout.

    ``url`` never carries credentials or secret query parameters.
    """

    # Keyword arguments of __init__ beyond message, method and url, kept through pickling.
    extra_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, message: str, *, method: str, url: str) -> None:
        super().__init__(message)
        self.method = method
        self.url = url

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {"message": str(self), "method": self.method, "url": self.url}
        fields.update((name, getattr(self, name)) for name in self.extra_fields)
        return _rebuilt(self, fields)


class OutcomeUnknown(TransportError):
    """A request that moves money may or may not have been applied; it was not re-sent.

    Find the operation again before trying again: ``RipioClient.reconcile(unknown)`` and
    ``OneKontoClient.reconcile(unknown)`` do it from what the exception kept.

    When the server did answer, with a 5xx that does not tell whether the request was applied
    (a gateway's 502/503/504, a 500), ``http_status`` and ``body`` (secrets masked) hold that
    answer and ``__cause__`` is the ``ServerError`` it maps to. After a transport failure
    (timeout, dropped connection) both are ``None`` and ``__cause__`` is the failure.
    ``reference`` is what the request can be looked up by (the ``external_ref``,
    ``clientOrderId`` or order id it carried), or ``None`` when it carried none. ``sent`` is
    what the client method sent (amount, destination, time sent; a ``SentRequest``), or
    ``None`` when the request was not sent by one.
    Pickling keeps these fields; ``__cause__`` is not pickled.
    """

    extra_fields = ("http_status", "body", "reference", "sent")

    def __init__(
        self,
        message: str,
        *,
        method: str,
        url: str,
        http_status: int | None = None,
        body: object = None,
        reference: str | None = None,
        sent: SentRequest | None = None,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.http_status = http_status
        self.body = redact_json(body)
        self.reference = reference
        self.sent = sent


class InvalidSignature(WithdrawKitError):
    """A webhook whose signature is missing, malformed or made with another key.

    Raised by ``withdrawkit.webhooks`` before anything of the body is read: treat the request as
    not sent by the provider (answer it with 400 or 401, and act on nothing in it).
    """


class UnexpectedResponse(WithdrawKitError):
    """The server answered something withdrawkit cannot read (HTML, empty or broken JSON).

    A 2xx ``http_status`` means the server accepted the request even though its answer is
    unreadable: after a money-moving request, look the operation up before trying again.
    ``http_status`` is ``None`` when the status is not known where the answer was read (a
    successful answer whose JSON does not fit the model: some 2xx). ``body`` is the answer's
    text with secrets masked, or only its shape when the answer was a secret (a login).
    """

    def __init__(self, message: str, *, http_status: int | None, body: str) -> None:
        status = f" (HTTP {http_status})" if http_status is not None else ""
        body = redact_text(body)
        super().__init__(f"{message}{status}: {body_excerpt(body) or 'empty body'}")
        self._message = message
        self.http_status = http_status
        self.body = body

    def __reduce__(self) -> tuple[Any, ...]:
        fields = {"message": self._message, "http_status": self.http_status, "body": self.body}
        return _rebuilt(self, fields)


class APIError(WithdrawKitError):
    """The server refused the request; the fields carry what it said.

    ``provider`` names the API, ``http_status`` is the response's status (``None`` when
    withdrawkit refused the request before sending it), ``code`` the provider's error code
    (1Konto: the message category such as ``"Insufficient Funds"``; Ripio: the five-digit
    code or the OAuth2 ``error``), ``messages`` every message text as sent, and ``body`` the
    decoded JSON body, or its text when it was not JSON. ``messages`` and ``body`` are kept
    with secrets masked: secret-named fields whole, tokens and credentials inside text.
    ``method`` and ``path`` name what was called (``"POST"``, ``"/api/v1/withdrawals/"``; never
    the query string, which could hold a secret), or are ``None`` when nothing was sent.
    """

    # Keyword arguments a subclass's __init__ takes beyond every APIError's; the error tables
    # fill them by name and pickling keeps them.
    extra_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        provider: str,
        http_status: int | None = None,
        code: str | int | None = None,
        messages: Sequence[str] = (),
        body: object = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        self.provider = provider
        self.method = method
        self.path = path
        self.http_status = http_status
        self.code = kept_code(code)
        self.messages: tuple[str, ...] = tuple(redact_text(message) for message in messages)
        self.body = redact_json(body)
        super().__init__(self._describe())

    def _fields(self) -> dict[str, Any]:
        fields = {
            "provider": self.provider,
            "http_status": self.http_status,
            "code": self.code,
            "messages": self.messages,
            "body": self.body,
            "method": self.method,
            "path": self.path,
        }
        fields.update((name, getattr(self, name)) for name in self.extra_fields)
        return fields

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt(self, self._fields())

    @property
    def summary(self) -> str:
        """What the server said, on one short line with secrets masked ("no message" if nothing)."""
        if self.messages:
            return one_line("; ".join(self.messages))
        if isinstance(self.body, str) and self.body.strip():
            return body_excerpt(self.body)
        return "no message"

    def _describe(self) -> str:
        code = f", code {self.code}" if self.code is not None else ""
        if self.http_status is None:
            return f"request to {self.provider} refused before sending{code}: {self.summary}"
        called = f"{self.method} {self.path}" if self.method and self.path else "the request"
        return f"{self.provider} refused {called} (HTTP {self.http_status}{code}): {self.summary}"


class ValidationFailed(APIError):
    """The request was invalid; ``field_errors`` maps each field named to what was wrong."""

    extra_fields = ("field_errors",)

    def __init__(
        self,
        *,
        field_errors: Mapping[str, str] | None = None,
        **fields: Unpack[APIErrorFields],
    ) -> None:
        self.field_errors: dict[str, str] = masked_field_errors(field_errors or {})
        super().__init__(**fields)


class InsufficientFunds(APIError):
    """The balance (or credit) cannot cover the request.

    ``requested`` and ``available`` are read from the server's message when it names them.
    """

    extra_fields = ("requested", "available")

    def __init__(
        self,
        *,
        requested: Amount | None = None,
        available: Amount | None = None,
        **fields: Unpack[APIErrorFields],
    ) -> None:
        self.requested = requested
        self.available = available
        super().__init__(**fields)


class CreditNotAvailable(APIError):
    """1Konto extends no credit now (outside business hours, or none for this asset)."""


class AuthenticationFailed(APIError):
    """Bad or missing credentials or token (401, Ripio's 40001 which arrives as 403)."""


class NotFound(APIError):
    """The account, withdrawal or other resource does not exist."""


class RateLimited(APIError):
    """Too many requests; ``retry_after`` is the server's wait in seconds, when it gave one."""

    extra_fields = ("retry_after",)

    def __init__(
        self,
        *,
        retry_after: Decimal | None = None,
        **fields: Unpack[APIErrorFields],
    ) -> None:
        self.retry_after = retry_after
        super().__init__(**fields)

    def _describe(self) -> str:
        described = super()._describe()
        if self.retry_after is None:
            return described
        return f"{described} (retry after {plain_text(self.retry_after)} s)"


class ServerError(APIError):
    """The server failed (5xx)."""


class QuoteExpired(APIError):
    """The quote (or held fee) being executed has expired: ask for a new one, then retry."""


class QuoteAlreadyExecuted(APIError):
    """The quote was executed before: the operation it priced has already happened once."""


class LimitExceeded(APIError):
    """The end user's frequency or amount limit refuses the operation for now.

    Not a ``ValidationFailed``: the request is well formed and would be accepted under a
    higher limit or later in the limit's window; changing its fields does not fix it.
    """


# Public classes say where users import them from: tracebacks show withdrawkit.InsufficientFunds
# and pickles name that stable path, not this private module (the package resolves it lazily).
for _public in (
    TransportError,
    OutcomeUnknown,
    UnexpectedResponse,
    InvalidSignature,
    APIError,
    ValidationFailed,
    InsufficientFunds,
    CreditNotAvailable,
    AuthenticationFailed,
    NotFound,
    RateLimited,
    ServerError,
    QuoteExpired,
    QuoteAlreadyExecuted,
    LimitExceeded,
):
    _public.__module__ = "withdrawkit"
