"""``RipioClient``'s fiat money: fiat withdrawals (creating, reading, listing), the beneficiary
accounts they pay out to, and fiat deposits."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from withdrawkit import _ripio_models as models
from withdrawkit._arguments import (
    documented_value,
    path_segment,
    query,
    required_text,
    withdrawal_amount,
)
from withdrawkit._auth import AuthorizedTransport
from withdrawkit._client import Clocks
from withdrawkit._conversion import unstructure
from withdrawkit._error_mapping import RIPIO as PROVIDER
from withdrawkit._pagination import Page, iterate_pages
from withdrawkit._response_reading import decoder_for, read_response
from withdrawkit._root_error import InvalidArgument
from withdrawkit._sending import new_reference, remembered

if TYPE_CHECKING:
    from withdrawkit._amount import Amount
    from withdrawkit_generated.ripio import (
        BeneficiaryFiatAccount,
        BeneficiaryFiatAccountStatus,
        FiatDeposit,
        FiatWithdrawal,
        FiatWithdrawalRequest,
    )

__all__ = ["FiatMoney"]

_log = logging.getLogger(__name__)

FIAT_WITHDRAWALS = "/api/v1/fiat-withdrawals/"
FIAT_DEPOSITS = "/api/v1/fiat-deposits/"


class FiatMoney:
    """createFiatWithdrawal, getFiatWithdrawal, listFiatWithdrawals,
    listBeneficiaryFiatAccounts, listFiatDeposits and getFiatDeposit.

    One of the operation groups ``RipioClient`` joins; it sends through the client's
    ``_api`` (requests that carry the bearer token).
    """

    _api: AuthorizedTransport
    _clocks: Clocks

    def create_fiat_withdrawal(
        self,
        amount: Amount | str,
        *,
        end_user: str,
        beneficiary_fiat_account_id: str,
        external_ref: str | None = None,
    ) -> FiatWithdrawal:
        """Pay ``amount`` out to one of ``end_user``'s beneficiary fiat accounts.

        ``end_user`` is the end user's external_ref (sent as ``end_user_id``, the name this
        endpoint uses). Ripio's request has no currency field: the beneficiary account's currency
        applies, so ``"100 USD"`` to an ARS account would pay out 100 ARS. Before the POST the
        account is therefore read (``list_beneficiary_fiat_accounts``, one GET) and
        ``InvalidArgument`` raised, nothing sent, if the end user has no such account, if it is
        not ``ENABLED`` or if its currency is not the amount's (ids, statuses and currencies
        compared regardless of case; the id sent is the account's as Ripio lists it). A
        withdrawal that still comes back in another currency is logged as a warning. Moves
        money: after ``OutcomeUnknown`` nothing is re-sent; ``reconcile_fiat_withdrawal`` it.
        Without ``external_ref`` a UUID is sent as one.
        """
        parsed = withdrawal_amount(amount, provider=PROVIDER)
        reference = new_reference() if external_ref is None else external_ref
        body = models.FiatWithdrawalRequest(
            end_user_id=required_text(end_user, name="end_user"),
            amount=parsed.value,
            beneficiary_fiat_account_id=required_text(
                beneficiary_fiat_account_id, name="beneficiary_fiat_account_id"
            ),
            external_ref=required_text(reference, name="external_ref"),
        )
        account_id = self._checked_account_id(end_user, beneficiary_fiat_account_id, parsed.asset)
        body = _with_account_id(body, account_id)
        destination = {
            "end_user": end_user,
            "beneficiary_fiat_account_id": account_id,
        }
        with remembered("create_fiat_withdrawal", parsed, destination, wall=self._clocks.wall):
            answer = self._api.request(
                "POST",
                FIAT_WITHDRAWALS,
                json_body=unstructure(body),
                moves_money=True,
                reference=reference,
                decode=decoder_for(models.FiatWithdrawal),
            )
        created = read_response(
            answer, models.FiatWithdrawal, operation="create_fiat_withdrawal", accepted=True
        )
        if created.currency_code != parsed.asset:
            _log.warning(
                "fiat withdrawal %s was created in %s, but the amount asked for was %s",
                created.id,
                created.currency_code,
                parsed,
            )
        return created

    def _checked_account_id(self, end_user: str, account_id: str, currency: str) -> str:
        """The account's id as Ripio lists it; InvalidArgument for an account that would pay out
        something other than what was asked for. Ids (UUIDs), currency codes and statuses are
        compared without regard to case: Ripio's pages show them upper-case, not that they
        always are."""
        accounts = self.list_beneficiary_fiat_accounts(end_user)
        account = _account_named(accounts, account_id)
        if account is None:
            raise InvalidArgument(
                f"end user {end_user!r} has no beneficiary fiat account {account_id!r}"
            )
        if str(account.status).upper() != models.BeneficiaryFiatAccountStatus.ENABLED:
            raise InvalidArgument(
                f"beneficiary fiat account {account_id!r} is {account.status}, not ENABLED:"
                " Ripio pays out only to an enabled account"
            )
        if account.currency.upper() != currency.upper():
            raise InvalidArgument(
                f"beneficiary fiat account {account_id!r} is in {account.currency}, not"
                f" {currency}: Ripio would pay the amount out in {account.currency}"
            )
        return account.beneficiary_fiat_account_id

    def get_fiat_withdrawal(self, fiat_withdrawal_id: str) -> FiatWithdrawal:
        """One fiat withdrawal by its ``id`` (``GET /api/v1/fiat-withdrawals/{id}/``, a path
        inferred from fiat deposits': Ripio's page for it was not available)."""
        path = f"{FIAT_WITHDRAWALS}{path_segment(fiat_withdrawal_id)}/"
        answer = self._api.request("GET", path, decode=decoder_for(models.FiatWithdrawal))
        return read_response(answer, models.FiatWithdrawal, operation="get_fiat_withdrawal")

    def list_fiat_withdrawals(self) -> Iterator[FiatWithdrawal]:
        """Every fiat withdrawal of the partner, page after page, checked like
        ``list_withdrawals`` (path and pages inferred from fiat deposits')."""
        return iterate_pages(self._fiat_withdrawal_page, key=_fiat_withdrawal_id)

    def _fiat_withdrawal_page(self, number: int) -> Page[FiatWithdrawal]:
        answer = self._api.request(
            "GET",
            FIAT_WITHDRAWALS,
            params={"page": str(number)},
            decode=decoder_for(models.FiatWithdrawalPage),
        )
        page = read_response(answer, models.FiatWithdrawalPage, operation="list_fiat_withdrawals")
        return Page(page.results, page.next, page.count)

    def list_beneficiary_fiat_accounts(
        self,
        end_user: str,
        *,
        status: BeneficiaryFiatAccountStatus | str | None = None,
        payment_method_type: str | None = None,
    ) -> list[BeneficiaryFiatAccount]:
        """The end user's fiat accounts that fiat withdrawals can pay out to.

        ``status`` is one of the documented ``BeneficiaryFiatAccountStatus`` values
        (``"ENABLED"``, ``"PROCESSING"``, ``"DISABLED"``, ``"SUSPENDED"``), exactly as written;
        any other raises ``InvalidArgument`` rather than list nothing.
        """
        path = f"/api/v1/end-users/{path_segment(end_user)}/beneficiary-fiat-accounts/"
        params = query(
            {
                "status": documented_value(
                    status, models.BeneficiaryFiatAccountStatus, name="status"
                ),
                "payment_method_type": payment_method_type,
            }
        )
        model = list[models.BeneficiaryFiatAccount]
        answer = self._api.request("GET", path, params=params, decode=decoder_for(model))
        return read_response(answer, model, operation="list_beneficiary_fiat_accounts")

    def get_fiat_deposit(self, fiat_deposit_id: str) -> FiatDeposit:
        """One fiat deposit by its ``id``."""
        path = f"{FIAT_DEPOSITS}{path_segment(fiat_deposit_id)}/"
        answer = self._api.request("GET", path, decode=decoder_for(models.FiatDeposit))
        return read_response(answer, models.FiatDeposit, operation="get_fiat_deposit")

    def list_fiat_deposits(self) -> Iterator[FiatDeposit]:
        """Every fiat deposit of the partner, page after page, checked like
        ``list_withdrawals``."""
        return iterate_pages(self._fiat_deposit_page, key=_fiat_deposit_id)

    def _fiat_deposit_page(self, number: int) -> Page[FiatDeposit]:
        answer = self._api.request(
            "GET",
            FIAT_DEPOSITS,
            params={"page": str(number)},
            decode=decoder_for(models.FiatDepositPage),
        )
        page = read_response(answer, models.FiatDepositPage, operation="list_fiat_deposits")
        return Page(page.results, page.next, page.count)


def _account_named(
    accounts: list[BeneficiaryFiatAccount], account_id: str
) -> BeneficiaryFiatAccount | None:
    """The account whose id is ``account_id``: spelled exactly so, else the only one equal to it
    but for case (two that differ only in case leave it unknown which was meant)."""
    exact = [item for item in accounts if item.beneficiary_fiat_account_id == account_id]
    if exact:
        return exact[0]
    folded = account_id.casefold()
    alike = [item for item in accounts if item.beneficiary_fiat_account_id.casefold() == folded]
    return alike[0] if len(alike) == 1 else None


def _fiat_withdrawal_id(withdrawal: FiatWithdrawal) -> str:
    return withdrawal.id


def _fiat_deposit_id(deposit: FiatDeposit) -> str:
    return deposit.id


def _with_account_id(body: FiatWithdrawalRequest, account_id: str) -> FiatWithdrawalRequest:
    import attrs  # noqa: PLC0415 - loaded already by ``body``, an attrs model

    return attrs.evolve(body, beneficiary_fiat_account_id=account_id)
