"""The clients' arguments, checked and shaped for the wire before anything is sent.

Values the vendors would answer wrongly rather than refuse are refused here, never rewritten:
a lowercase asset code (``"1.5 btc"`` is answered "only 0 btc available") and a status filter
outside the documented values (``status="PENDING"`` lists nothing, which after an
``OutcomeUnknown`` reads as "the withdrawal does not exist"). Rewriting them would make what is
sent differ from what the caller holds, logs and later compares (``InsufficientFunds.requested``,
a reconciliation); a refusal costs one edit, once, while the code is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

from withdrawkit._amount_rules import AmountError
from withdrawkit._exceptions import ValidationFailed
from withdrawkit._request_building import query_value
from withdrawkit._root_error import InvalidArgument

if TYPE_CHECKING:
    from withdrawkit._amount import Amount

E = TypeVar("E", bound=Enum)


def path_segment(value: str) -> str:
    """``value`` percent-encoded as one path segment, so an id can never change the path."""
    if not isinstance(value, str) or not value:
        raise InvalidArgument(f"a path identifier must be a non-empty string, got {value!r}")
    return quote(value, safe="")


def query(values: Mapping[str, object]) -> dict[str, str]:
    """Query parameters by wire name, without those left as None (the server's defaults apply).

    Values are written by the transport's rules (``withdrawkit._request_building.query_value``): an
    enum member gives its wire value, a bool ``true``/``false``, a Decimal every digit; a
    float raises ``TypeError`` here, before a token is fetched or anything is sent.
    """
    return {name: query_value(name, value) for name, value in values.items() if value is not None}


def string_list(values: Sequence[str] | None, *, name: str) -> list[str] | None:
    """A list argument of strings; a bare string is refused rather than split into letters."""
    if values is None:
        return None
    if isinstance(values, str):
        raise TypeError(f"{name} must be a list of strings, not one string: use [{values!r}]")
    listed = list(values)
    for item in listed:
        if not isinstance(item, str):
            raise TypeError(f"{name} must contain strings, got {item!r}")
    return listed


def required_text(value: str, *, name: str) -> str:
    """A required string argument; refused here rather than sent as null or ``""``."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    if not value.strip():
        raise InvalidArgument(f"{name} must not be blank")
    return value


def documented_value(value: E | str | None, allowed: type[E], *, name: str) -> E | None:
    """A filter argument that must be one of ``allowed``'s documented members (or None).

    Takes a member or its wire string; anything else, an unknown value or another case
    (``"PENDING"`` for ``"pending"``), raises ``InvalidArgument`` naming the valid values.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {type(value).__name__}")
    documented = {str(member.value): member for member in allowed}
    found = documented.get(str(value.value) if isinstance(value, Enum) else value)
    if found is not None:
        return found
    valid = ", ".join(repr(wire) for wire in documented)
    same_but_case = [wire for wire in documented if wire.lower() == str(value).lower()]
    import difflib  # noqa: PLC0415 - only a refused value needs it, not every import

    close = same_but_case or difflib.get_close_matches(str(value), list(documented), n=1)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise InvalidArgument(
        f"{name} must be one of {valid}; got {str(value)!r}, which the server would match to "
        f"nothing.{hint}"
    )


def asset_amount(amount: Amount | str) -> Amount:
    """Read ``amount`` (an ``Amount`` or text such as ``"1.5 BTC"``) to send to a provider.

    Both providers write asset codes in upper case and match them exactly, so a code with a
    lowercase letter raises ``AmountError`` (an ``InvalidArgument``) naming the one to write.
    """
    from withdrawkit._amount import Amount  # noqa: PLC0415 - with the first value (attrs)

    parsed = Amount.coerce(amount)
    if parsed.asset != parsed.asset.upper():
        raise AmountError(
            f"asset codes are upper case at 1Konto and Ripio, which would not know "
            f"{parsed.asset!r}: write {str(Amount(parsed.value, parsed.asset.upper()))!r}, "
            f"not {str(parsed)!r}"
        )
    return parsed


def withdrawal_amount(amount: Amount | str, *, provider: str) -> Amount:
    """Read ``amount`` (an ``Amount`` or text such as ``"1.5 BTC"``) and require it positive.

    Raises ``TypeError`` for a float, ``AmountError`` for text that is not an amount or an asset
    code that is not upper case (see ``asset_amount``), and ``ValidationFailed`` for zero or a
    negative quantity, which no provider would pay out (``http_status is None``: nothing was
    sent; the reason is in ``field_errors["amount"]``).
    """
    parsed = asset_amount(amount)
    if parsed.value <= 0:
        problem = f"must be positive, got {parsed}"
        raise ValidationFailed(
            provider=provider,
            messages=[f"amount {problem} (checked by withdrawkit; nothing was sent)"],
            field_errors={"amount": problem},
        )
    return parsed
