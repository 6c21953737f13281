"""``RipioClient``'s crypto withdrawals: holding a fee, then creating, reading and listing them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from withdrawkit import _ripio_models as models
from withdrawkit._arguments import path_segment, required_text, withdrawal_amount
from withdrawkit._auth import AuthorizedTransport
from withdrawkit._client import Clocks
from withdrawkit._conversion import unstructure
from withdrawkit._error_mapping import RIPIO as PROVIDER
from withdrawkit._pagination import Page, iterate_pages
from withdrawkit._response_reading import decoder_for, read_response
from withdrawkit._sending import new_reference, remembered

if TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit_generated.ripio import Withdrawal, WithdrawalFee

__all__ = ["CryptoWithdrawals"]

WITHDRAWALS = "/api/v1/withdrawals/"


class CryptoWithdrawals:
    """createWithdrawalFee, createWithdrawal, getWithdrawal and listWithdrawals.

    One of the operation groups ``RipioClient`` joins; it sends through the client's
    ``_api`` (requests that carry the bearer token).
    """

    _api: AuthorizedTransport
    _clocks: Clocks

    def create_withdrawal_fee(
        self, amount: Amount | str, *, network: str, external_ref: str | None = None
    ) -> WithdrawalFee:
        """Hold the fee for withdrawing ``amount`` on ``network``, for create_withdrawal to use.

        The currency is the amount's asset. Holding a fee moves no money, so after a failure
        it is sent again like a read: a hold that a lost answer left behind lapses unused
        within seconds, and Ripio has no way to look a hold up that ``OutcomeUnknown`` could
        point to. If Ripio enforces a unique ``external_ref`` on holds, such a retry may be
        refused with a typed error while the first hold exists: harmless, since a hold moves
        nothing (hold again with another ``external_ref``, or none).
        """
        parsed = withdrawal_amount(amount, provider=PROVIDER)
        body = models.WithdrawalFeeRequest(
            currency=parsed.asset,
            network=required_text(network, name="network"),
            amount=parsed.value,
            external_ref=external_ref,
        )
        answer = self._api.request(
            "POST",
            "/api/v1/withdrawal-fees/",
            json_body=unstructure(body),
            decode=decoder_for(models.WithdrawalFee),
        )
        return read_response(answer, models.WithdrawalFee, operation="create_withdrawal_fee")

    def create_withdrawal(
        self,
        amount: Amount | str,
        *,
        end_user: str,
        address: str,
        network: str,
        external_ref: str | None = None,
        withdrawal_fee_id: str | None = None,
    ) -> Withdrawal:
        """Send ``amount`` (what the address receives; the fee is debited on top) to ``address``.

        The currency is the amount's asset; ``end_user`` is the end user's external_ref. If the
        request may or may not have reached Ripio, ``OutcomeUnknown`` is raised and nothing is
        re-sent: ``reconcile`` it before trying again. Without ``external_ref`` a UUID is sent
        as one (and comes back on the ``Withdrawal``), so every withdrawal can be found again.
        """
        parsed = withdrawal_amount(amount, provider=PROVIDER)
        reference = new_reference() if external_ref is None else external_ref
        body = models.WithdrawalRequest(
            end_user=required_text(end_user, name="end_user"),
            currency=parsed.asset,
            address=required_text(address, name="address"),
            network=required_text(network, name="network"),
            amount=parsed.value,
            external_ref=required_text(reference, name="external_ref"),
            withdrawal_fee_id=withdrawal_fee_id,
        )
        destination = {"end_user": end_user, "network": network, "address": address}
        with remembered("create_withdrawal", parsed, destination, wall=self._clocks.wall):
            answer = self._api.request(
                "POST",
                WITHDRAWALS,
                json_body=unstructure(body),
                moves_money=True,
                reference=reference,
                decode=decoder_for(models.Withdrawal),
            )
        return read_response(
            answer, models.Withdrawal, operation="create_withdrawal", accepted=True
        )

    def get_withdrawal(self, withdrawal_id: str) -> Withdrawal:
        """One crypto withdrawal by its ``id``."""
        path = f"{WITHDRAWALS}{path_segment(withdrawal_id)}/"
        answer = self._api.request("GET", path, decode=decoder_for(models.Withdrawal))
        return read_response(answer, models.Withdrawal, operation="get_withdrawal")

    def list_withdrawals(self) -> Iterator[Withdrawal]:
        """Every withdrawal of the partner, page after page, fetched lazily as you iterate.

        Each page is requested from this client's base URL with ``page=N``; the server's ``next``
        link only says whether another page exists (its host has been ``http://localhost``).

        The walk is checked, so that not finding a withdrawal in it means it is not there: a
        withdrawal listed twice, a skipped or empty page, or more or fewer withdrawals than the
        server's ``count`` raise ``UnexpectedResponse`` (list again; rows may have shifted).
        """
        return iterate_pages(self._withdrawal_page, key=_withdrawal_id)

    def _withdrawal_page(self, number: int) -> Page[Withdrawal]:
        answer = self._api.request(
            "GET",
            WITHDRAWALS,
            params={"page": str(number)},
            decode=decoder_for(models.WithdrawalPage),
        )
        page = read_response(answer, models.WithdrawalPage, operation="list_withdrawals")
        return Page(page.results, page.next, page.count)


def _withdrawal_id(withdrawal: Withdrawal) -> str:
    return withdrawal.id
