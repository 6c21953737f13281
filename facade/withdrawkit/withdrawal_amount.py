"""The amount argument of every withdrawal method, checked before anything is sent."""

from __future__ import annotations

from withdrawkit.amount import Amount
from withdrawkit.exceptions import ValidationFailed


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
