"""1Konto's error table: the category prefix of each message decides the exception.

1Konto answers errors in two shapes (the Get Account and the order pages of the 1Konto v1.0
docs, https://docs.1konto.com/1konto-v1.0-api-docs/reference/...)::

    {"status": 404, "error": "Account ID Not Found"}
    {"orderId": "...", "errors": ["Insufficient Funds: Requested 10000 USDT but only 1000 USDT
     is available"], "status": "failedDependency", "httpStatusCode": 424}

Each message may start with ``"<Category>: "``. A known category (matched without regard to
case, spaces, ``_`` or ``-``: "Insufficient Funds", "InsufficientFunds", "insufficient_funds")
picks the class. A body whose ``errors`` is an object of field -> messages (ASP.NET's
validation answer) is a ValidationFailed. Otherwise the HTTP status decides. ``code`` is the
category as the server wrote it, or else the string ``status`` ("failedDependency"), or else
``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, NamedTuple

from withdrawkit._amount_rules import AmountError
from withdrawkit._error_mapping.common import (
    Extras,
    Reading,
    body_of,
    build_error,
    class_for_status,
    flatten_field_errors,
    text_of,
)
from withdrawkit._error_mapping.response import ErrorResponse
from withdrawkit._exceptions import (
    APIError,
    CreditNotAvailable,
    InsufficientFunds,
    QuoteAlreadyExecuted,
    QuoteExpired,
    ValidationFailed,
)

if TYPE_CHECKING:
    from withdrawkit._amount import Amount

__all__ = ["CATEGORIES", "PROVIDER", "map_onekonto_error"]

PROVIDER: Final = "1Konto"


def _no_extras(_: Sequence[str]) -> Extras:
    return Extras()


# ASCII digits only: "1\u0660 BTC" (an Arabic-Indic zero) is not 10 BTC, whatever Decimal()
# says.
_AMOUNT: Final = r"(?P<value>-?[0-9]+(?:\.[0-9]+)?)\s+(?P<asset>[A-Za-z][A-Za-z0-9]*)\b"
# The optional colon takes its own leading blanks ("(?:\s*:)?\s*", not "\s*:?\s*"): two
# adjacent "\s*" would split a run of n blanks n ways, and "requested" + 40,000 spaces took 24 s.
_REQUESTED: Final = re.compile(r"\brequested(?:\s*:)?\s*" + _AMOUNT, re.IGNORECASE | re.ASCII)
_AVAILABLE: Final = re.compile(
    r"\b(?:only|available(?:\s*:)?)\s*" + _AMOUNT, re.IGNORECASE | re.ASCII
)


def _amount_after(pattern: re.Pattern[str], details: Sequence[str]) -> Amount | None:
    from withdrawkit._amount import Amount  # noqa: PLC0415 - with the first value (attrs)

    for detail in details:
        match = pattern.search(detail)
        if match is not None:
            try:
                return Amount(Decimal(match["value"]), match["asset"].upper())
            except AmountError:
                return None
    return None


def _amounts(details: Sequence[str]) -> Extras:
    """Read 'Requested 10000 USDT but only 1000 USDT is available' into two Amounts."""
    return Extras(
        requested=_amount_after(_REQUESTED, details),
        available=_amount_after(_AVAILABLE, details),
    )


# A field name opens a message or follows the ". " / "; " that ends the previous field's text.
_FIELD_START: Final = re.compile(r"(?:^|(?<=[.;])\s+)(?P<field>[A-Za-z_][\w.\[\]-]*)\s*:\s*")


def _field_errors(details: Sequence[str]) -> Extras:
    """Read 'Amount: must be positive. Asset: required' into {"Amount": "must be positive", ...}."""
    errors: dict[str, str] = {}
    for detail in details:
        starts = list(_FIELD_START.finditer(detail))
        for index, start in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(detail)
            text = detail[start.end() : end].strip()
            text = text[:-1].rstrip() if text.endswith((".", ";")) else text
            field = start["field"]
            errors[field] = f"{errors[field]}; {text}" if field in errors else text
    return Extras(field_errors=errors)


class Category(NamedTuple):
    """A row of the table: the exception a category raises and what else its messages carry."""

    exception: type[APIError]
    extras: Callable[[Sequence[str]], Extras] = _no_extras


# The table. Keys are category names lower-cased with everything but letters removed.
CATEGORIES: Final[Mapping[str, Category]] = MappingProxyType(
    {
        "insufficientfunds": Category(InsufficientFunds, _amounts),
        "validationfailed": Category(ValidationFailed, _field_errors),
        # Outside business hours, or no credit for the asset at all.
        "creditnotavailable": Category(CreditNotAvailable),
        # Accepting an RFQ quote: no page shows the body; the spec's InferredQuoteRefused is the
        # reading the fake answers.
        "quoteexpired": Category(QuoteExpired),
        "quotealreadyexecuted": Category(QuoteAlreadyExecuted),
    }
)

# The table reads this much of each message (the exception keeps it whole, masked): a
# category, its amounts and field names come first, and no pattern gets a 10 MiB message.
_READ_CHARS: Final = 16 * 1024
_PREFIXED: Final = re.compile(
    r"\s*(?P<category>[A-Za-z][A-Za-z _-]{0,40}?)\s*:\s*(?P<detail>.*)", re.DOTALL
)
_NOT_LETTERS: Final = re.compile(r"[^a-z]")


class _Categorised(NamedTuple):
    category: str  # as the server wrote it
    row: Category
    detail: str  # the message after its prefix


def _key(category: str) -> str:
    return _NOT_LETTERS.sub("", category.lower())


def _categorised(text: str) -> _Categorised | None:
    prefixed = _PREFIXED.fullmatch(text)
    if prefixed is not None and _key(prefixed["category"]) in CATEGORIES:
        category = prefixed["category"].strip()
        return _Categorised(category, CATEGORIES[_key(category)], prefixed["detail"].strip())
    if _key(text) in CATEGORIES:  # a bare "Insufficient Funds"
        return _Categorised(text.strip(), CATEGORIES[_key(text)], "")
    return None


def _messages_in(body: object) -> list[str]:
    """Every message text of either error shape, in order."""
    if isinstance(body, list):
        return [text_of(item) for item in body]
    if not isinstance(body, Mapping):
        return []
    messages: list[str] = []
    errors = body.get("errors")
    if isinstance(errors, list):
        messages.extend(text_of(item) for item in errors)
    elif errors is not None and not isinstance(errors, Mapping):
        messages.append(text_of(errors))
    for key in ("error", "title", "message"):
        if body.get(key) is not None:
            messages.append(text_of(body[key]))
    return messages


def _field_errors_object(body: object) -> dict[str, str]:
    """ASP.NET's validation body: {"title": ..., "status": 400, "errors": {"Amount": [...]}}.

    Not on 1Konto's pages, but what an ASP.NET Core API (1Konto's timestamps carry .NET's 7
    fractional digits) answers when a request does not bind to its model.
    """
    errors = body.get("errors") if isinstance(body, Mapping) else None
    return flatten_field_errors(errors) if isinstance(errors, Mapping) else {}


def _reading(response: ErrorResponse, body: object) -> Reading:
    messages = _messages_in(body)
    read = (_categorised(message[:_READ_CHARS]) for message in messages)
    categorised = [found for found in read if found is not None]
    status = body.get("status") if isinstance(body, Mapping) else None
    status_word = status if isinstance(status, str) else None
    if categorised:
        # The first known category decides; its other messages add to the same fields.
        row = categorised[0].row
        return Reading(
            exception=row.exception,
            code=categorised[0].category,
            messages=messages,
            extras=row.extras([found.detail for found in categorised if found.row is row]),
        )
    field_errors = _field_errors_object(body)
    if field_errors:
        return Reading(
            exception=ValidationFailed,
            code=status_word,
            messages=[*messages, *(f"{field}: {text}" for field, text in field_errors.items())],
            extras=Extras(field_errors=field_errors),
        )
    return Reading(
        exception=class_for_status(response.http_status),
        code=status_word,
        messages=messages,
    )


def map_onekonto_error(response: ErrorResponse) -> APIError:
    """The exception for a 1Konto error response (any shape, any status); never raises."""
    body = body_of(response)
    return build_error(_reading(response, body), response, provider=PROVIDER, body=body)
