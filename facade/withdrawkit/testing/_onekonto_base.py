"""What every route group of ``FakeOneKonto`` stands on: a provider of ``OneKontoClient``, the
fake's state, its signing key and the check that a request's token may use the account it names.

Each route group (``_onekonto_login_routes``, ``_onekonto_account_routes``, ...) is a class of
handlers deriving from ``OneKontoBase``; ``FakeOneKonto`` inherits them all and lists their
handlers in its route table.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from withdrawkit.testing._exchange import FakeRequest, FakeResponse
from withdrawkit.testing._onekonto_errors import (
    ACCOUNT_NOT_FOUND,
    FORBIDDEN,
    ORDER_NOT_FOUND,
    TOKEN_EXPIRED,
    TOKEN_MISSING,
    TOKEN_UNKNOWN,
    http_error,
)
from withdrawkit.testing._onekonto_state import OneKontoAccount, OneKontoState
from withdrawkit.testing._onekonto_trading import Trading
from withdrawkit.testing._provider import FakeProvider, Refusal
from withdrawkit.testing._request_reading import token_subject
from withdrawkit.testing._scene_checks import check_known

if TYPE_CHECKING:
    from withdrawkit._onekonto_client import OneKontoClient

__all__ = ["OneKontoBase"]


class OneKontoBase(FakeProvider["OneKontoClient"]):
    """``FakeOneKonto`` less its scene-setting: what its handlers read and check."""

    state: OneKontoState
    trading: Trading
    account_id: str  # the ready-made account, which scene methods use when given none
    _signing_key: bytes

    def _client_type(self) -> Callable[..., OneKontoClient]:
        from withdrawkit._onekonto_client import OneKontoClient  # noqa: PLC0415

        return OneKontoClient

    def _authorize(
        self, request: FakeRequest, account_id: str, *, not_found: str = ACCOUNT_NOT_FOUND
    ) -> OneKontoAccount:
        """The account the token's user may use; ``not_found`` is the 404 text of the operation."""
        return self._authorize_user(request, account_id, not_found=not_found)[1]

    def _authorize_user(
        self, request: FakeRequest, account_id: str, *, not_found: str = ACCOUNT_NOT_FOUND
    ) -> tuple[str, OneKontoAccount]:
        """The token's user and the account it may use (see ``_authorize``)."""
        user = token_subject(
            self._tokens,
            request,
            missing=TOKEN_MISSING,
            expired=TOKEN_EXPIRED,
            unknown=TOKEN_UNKNOWN,
        )
        account = self.state.accounts.get(account_id)
        if account is None:
            raise Refusal(http_error(404, not_found))
        if account_id not in self.state.users[user].account_ids:
            raise Refusal(FORBIDDEN)
        return user, account

    def _user_id(self, user: str) -> str:
        """The user's id as [B] Get Order shows it: a UUID, fixed per user name."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"onekonto-fake:{user}"))

    def _order_not_found(self) -> FakeResponse:
        return http_error(404, ORDER_NOT_FOUND)

    def _account(self, account_id: str | None) -> OneKontoAccount:
        """The account a scene method names (``None``: the ready-made one)."""
        if account_id is None:
            return self.state.accounts[self.account_id]
        check_known("account_id", account_id, self.state.accounts, hint="add_account() adds one")
        return self.state.accounts[account_id]
