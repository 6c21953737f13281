"""What each group of ``OneKontoClient``'s methods stands on: the authorized transport and the
account's paths under each 1Konto service.

The method groups (``_onekonto_account``, ``_onekonto_market``, ``_onekonto_orders``) are
mixins of this class; ``OneKontoClient`` composes them with ``ClientShell``, which sets ``_api``.
"""

from __future__ import annotations

from withdrawkit._arguments import path_segment
from withdrawkit._auth import AuthorizedTransport
from withdrawkit._client import Clocks

__all__ = ["OneKontoOperations"]


class OneKontoOperations:
    """The account id and the path prefixes of its operations."""

    _api: AuthorizedTransport
    _account_id: str
    _clocks: Clocks

    @property
    def _account_path(self) -> str:
        """Accounting: balances, credit, deposit instructions, withdraw requests."""
        return f"/api/v1/accounting/account/{path_segment(self._account_id)}"

    @property
    def _ledger_path(self) -> str:
        return f"/api/v1/accounting/ledger/{path_segment(self._account_id)}"

    @property
    def _routing_path(self) -> str:
        """Routing: market data, placing orders, quotes."""
        return f"/api/v1/routing/account/{path_segment(self._account_id)}"

    @property
    def _orders_path(self) -> str:
        """Routing's order queries, whose path puts ``order`` before ``account``."""
        return f"/api/v1/routing/order/account/{path_segment(self._account_id)}"
