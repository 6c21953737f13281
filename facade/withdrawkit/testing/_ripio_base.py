"""What every route group of ``FakeRipio`` stands on: a provider of ``RipioClient``, the fake's
state, the bearer-token check and the lookup of an end user a path names.

Each route group (``_ripio_token_routes``, ``_ripio_withdrawal_routes``, ...) is a class of
handlers deriving from ``RipioBase``; ``FakeRipio`` inherits them all and lists their handlers in
its route table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from withdrawkit.testing import _ripio_wire as wire
from withdrawkit.testing._exchange import FakeRequest
from withdrawkit.testing._provider import FakeProvider
from withdrawkit.testing._request_reading import token_subject
from withdrawkit.testing._ripio_errors import NOT_AUTHENTICATED, TOKEN_REJECTED, not_found
from withdrawkit.testing._ripio_state import (
    EndUserRecord,
    FiatWithdrawalRecord,
    RipioState,
    WithdrawalRecord,
)
from withdrawkit.testing._ripio_webhooks import WebhookOutbox

if TYPE_CHECKING:
    from withdrawkit._ripio_client import RipioClient

__all__ = ["RipioBase"]


class RipioBase(FakeProvider["RipioClient"]):
    """``FakeRipio`` less its scene-setting: what its handlers read and check, and the changes
    of status every group shares (each announced as a webhook)."""

    state: RipioState
    webhooks: WebhookOutbox

    def _client_type(self) -> Callable[..., RipioClient]:
        from withdrawkit._ripio_client import RipioClient  # noqa: PLC0415

        return RipioClient

    def _authorize(self, request: FakeRequest) -> str:
        """The API client whose bearer token the request carries."""
        return token_subject(
            self._tokens,
            request,
            missing=NOT_AUTHENTICATED,
            expired=TOKEN_REJECTED,
            unknown=TOKEN_REJECTED,
        )

    def _existing_end_user(self, external_ref: str) -> EndUserRecord:
        end_user = self.state.end_users.get(external_ref)
        if end_user is None:
            raise not_found()
        return end_user

    def _new_end_user(self, external_ref: str) -> None:
        """An end user with a deposit address on every configured network."""
        end_user = EndUserRecord(external_ref, self.clock.now())
        for network in self.state.networks:
            end_user.addresses.setdefault(network.network_name, self.ids.tx_hash()[:42])
        self.state.end_users[external_ref] = end_user

    # -- changes of status, each announced as a webhook (delivered once the lock is released) --

    def _announce_withdrawal(self, record: WithdrawalRecord) -> None:
        self.webhooks.announce(
            f"WITHDRAWAL.{record.status}", self.clock.now(), wire.withdrawal_body(record)
        )

    def _announce_fiat_withdrawal(self, record: FiatWithdrawalRecord) -> None:
        self.webhooks.announce(
            f"FIAT_WITHDRAWAL.{record.status}", self.clock.now(), wire.fiat_withdrawal_body(record)
        )

    def _complete_withdrawal(self, withdrawal_id: str) -> None:
        self.state.complete(withdrawal_id, self.clock.now(), self.ids.tx_hash())
        self._announce_withdrawal(self.state.withdrawals[withdrawal_id])

    def _fail_withdrawal(self, withdrawal_id: str, reason: str) -> None:
        self.state.fail(withdrawal_id, reason)
        self._announce_withdrawal(self.state.withdrawals[withdrawal_id])

    def _complete_fiat_withdrawal(self, fiat_withdrawal_id: str) -> None:
        self.state.complete_fiat(fiat_withdrawal_id, self.clock.now())
        self._announce_fiat_withdrawal(self.state.fiat_withdrawals[fiat_withdrawal_id])

    def _cancel_fiat_withdrawal(self, fiat_withdrawal_id: str) -> None:
        self.state.cancel_fiat(fiat_withdrawal_id, self.clock.now())
        self._announce_fiat_withdrawal(self.state.fiat_withdrawals[fiat_withdrawal_id])

    def _complete_fiat_deposit(self, fiat_deposit_id: str) -> None:
        self.state.complete_fiat_deposit(fiat_deposit_id, self.clock.now())
        record = self.state.fiat_deposits[fiat_deposit_id]
        self.webhooks.announce(
            "FIAT_DEPOSIT.COMPLETED", self.clock.now(), wire.fiat_deposit_body(record)
        )
