"""Which wallet addresses the fakes refuse as malformed.

Neither vendor documents its address checks, and their own examples rule out checksum
validation: Ripio's Create Withdrawal page sends a ``0x...`` address on ``BITCOIN_TESTNET`` and
is answered 201, 1Konto's Request Withdraw page sends ``myWalletAddress``. So the fakes refuse
what no chain would take: anything but 1 to 128 ASCII letters and digits (Ripio's documented
maximum length), and on an EVM network anything but ``0x`` and 40 hex digits.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["MAX_ADDRESS_LENGTH", "address_problem"]

MAX_ADDRESS_LENGTH: Final = 128

_ANY_CHAIN: Final = re.compile(r"[A-Za-z0-9]+")
_EVM_ADDRESS: Final = re.compile(r"0x[0-9a-fA-F]{40}")
# Networks whose addresses are 20-byte hex (both vendors' spellings, compared lower-cased).
_EVM_NETWORKS: Final = frozenset(
    {"ethereum", "ethereum_sepolia", "erc20", "polygon", "polygon_mumbai", "arbitrum", "base"}
)


def address_problem(network: str | None, address: str) -> str | None:
    """Why ``address`` cannot be an address on ``network`` (None: it can)."""
    if len(address) > MAX_ADDRESS_LENGTH:
        return f"at most {MAX_ADDRESS_LENGTH} characters"
    if not _ANY_CHAIN.fullmatch(address):
        return f"{address!r} is not an address: only letters and digits"
    on_evm = network is not None and network.lower() in _EVM_NETWORKS
    if on_evm and not _EVM_ADDRESS.fullmatch(address):
        return f"{address!r} is not an address on {network}: '0x' and 40 hex digits"
    return None
