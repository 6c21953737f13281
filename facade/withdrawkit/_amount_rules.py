"""The asset-code grammar and ``AmountError``, apart from ``Amount``: the argument checks and
error tables that every client loads use them, and ``Amount`` (an attrs class) is imported
only when one is first built."""

from __future__ import annotations

from typing import Final

from withdrawkit._root_error import InvalidArgument

__all__ = ["ASSET_CODE_PATTERN", "AmountError"]

# Asset codes are a letter then letters or digits (BTC, USDT, USDC, ETH2), ASCII only.
ASSET_CODE_PATTERN: Final = r"[A-Za-z][A-Za-z0-9]*"


class AmountError(InvalidArgument):
    """Amount text or arguments that do not describe an exact quantity of one asset."""


# Shown and pickled as withdrawkit.AmountError, the path users import from.
AmountError.__module__ = "withdrawkit"
