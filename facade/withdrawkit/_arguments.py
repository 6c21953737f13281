"""The clients' arguments, checked and shaped for the wire before anything is sent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from withdrawkit._amount import Amount
from withdrawkit._exceptions import ValidationFailed
from withdrawkit._request_building import query_value
from withdrawkit._root_error import InvalidArgument


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


def withdrawal_amount(amount: Amount | str, *, provider: str) -> Amount:
    """Read ``amount`` (an ``Amount`` or text such as ``"1.5 BTC"``) and require it positive.

    Raises ``TypeError`` for a float, ``AmountError`` for text that is not an amount, and
    ``ValidationFailed`` for zero or a negative quantity, which no provider would pay out
    (``http_status is None``: nothing was sent; the reason is in ``field_errors["amount"]``).
    """
    parsed = Amount.coerce(amount)
    if parsed.value <= 0:
        problem = f"must be positive, got {parsed}"
        raise ValidationFailed(
            provider=provider,
            messages=[f"amount {problem} (checked by withdrawkit; nothing was sent)"],
            field_errors={"amount": problem},
        )
    return parsed
