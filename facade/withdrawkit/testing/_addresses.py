"""Wallet addresses in the fakes: the deposit addresses they make up, and the ones they refuse.

Neither vendor documents its address checks, and their own examples rule out checksum
validation: Ripio's Create Withdrawal page sends a ``0x...`` address on ``BITCOIN_TESTNET`` and
is answered 201, 1Konto's Request Withdraw page sends ``myWalletAddress``. So the fakes refuse
what no chain would take: anything but 1 to 128 ASCII letters and digits (Ripio's documented
maximum length), and on an EVM network anything but ``0x`` and 40 hex digits.
"""

from __future__ import annotations

import hashlib
import re
from typing import Final

__all__ = ["DEFAULT_DEPOSIT_NETWORKS", "MAX_ADDRESS_LENGTH", "address_problem", "derived_address"]

# Every new 1Konto account can receive these (asset, network) deposits; the addresses derive
# from its id.
DEFAULT_DEPOSIT_NETWORKS: Final = (("BTC", "bitcoin"), ("USDC", "trc20"))

MAX_ADDRESS_LENGTH: Final = 128

_BECH32: Final = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BASE58: Final = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
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


def derived_address(account_id: str, network: str) -> str:
    """A fixed, address-shaped string per account and network (not a valid address)."""
    digest = hashlib.sha512(f"{account_id}/{network}".encode()).digest()
    if network == "bitcoin":
        return "bc1q" + "".join(_BECH32[byte % len(_BECH32)] for byte in digest[:38])
    if network in {"trc20", "tron"}:
        return "T" + "".join(_BASE58[byte % len(_BASE58)] for byte in digest[:33])
    return f"0x{digest[:20].hex()}"
