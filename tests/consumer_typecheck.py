"""withdrawkit as a caller's code uses it, checked by ``mypy --strict`` (test_consumer_typecheck).

Nothing here runs against a server: the functions are what a Django view or Celery task would
contain, and the annotations state what the public API promises. Lines marked
``type: ignore[...]`` are misuses the type checker must reject; ``--strict`` reports an unused
ignore, so if the API ever accepted them the check would fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

import withdrawkit as wk


def onekonto_client() -> wk.OneKontoClient:
    return wk.OneKontoClient(
        "https://api.example",
        user="u@example.com",
        password="plain",
        account_id="ACC",
        timeout=(3.05, 27.0),
        max_retries=2,
    )


def ripio_client() -> wk.RipioClient:
    return wk.RipioClient("https://sandbox-b2b.ripio.com", client_id="id", client_secret="secret")


def pay_out_bitcoin(client: wk.OneKontoClient, amount: wk.Amount) -> str | None:
    try:
        receipt: wk.WithdrawRequestReceipt = client.request_withdraw_blockchain(
            amount, network="bitcoin", address="addr", instructions=["memo"]
        )
    except wk.InsufficientFunds as refused:
        available: wk.Amount | None = refused.available
        print(f"only {available} available")  # noqa: T201 - a caller's script
        return None
    except wk.ValidationFailed as refused:
        problems: dict[str, str] = refused.field_errors
        print(problems)  # noqa: T201
        return None
    if receipt.request_status == "pending":
        print("queued")  # noqa: T201
    return receipt.withdraw_request_id


def wire_dollars(client: wk.OneKontoClient) -> wk.WithdrawRequestStatus:
    receipt = client.request_withdraw_fiat(
        "100 USD", type="fedwire", routing_number="012345678", account_number="0123456789"
    )
    return receipt.request_status


def pending_requests(client: wk.OneKontoClient) -> list[str]:
    found: list[wk.WithdrawRequest] = client.query_withdraw_requests(status="pending", max=100)
    return [request.withdraw_request_id for request in found]


def free_bitcoin(client: wk.OneKontoClient) -> Decimal:
    account: wk.Account = client.get_account()
    balance: wk.AccountBalance = account.balances["BTC"]
    credit: wk.AccountCreditResponse = client.get_account_credit()
    figures: wk.CreditFigures = credit.account.balances["BTC"]
    instructions: list[wk.DepositInstruction] = client.get_deposit_instructions()
    print(figures.available_credit, len(instructions))  # noqa: T201
    return balance.free


def withdraw_ether(client: wk.RipioClient, external_ref: str) -> tuple[Decimal, datetime]:
    fee: wk.WithdrawalFee = client.create_withdrawal_fee("0.002 ETH", network="ethereum")
    total: Decimal = fee.total_amount
    withdrawal: wk.Withdrawal = client.create_withdrawal(
        wk.Amount(Decimal("0.002"), "ETH"),
        end_user="customer_10",
        address="0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        network="ETHEREUM",
        external_ref=external_ref,
        withdrawal_fee_id=fee.id,
    )
    again: wk.Withdrawal = client.get_withdrawal(withdrawal.id)
    status: wk.WithdrawalStatus | None = again.status
    print(total, status)  # noqa: T201
    return withdrawal.amount, withdrawal.created_at


def every_withdrawal(client: wk.RipioClient) -> Iterator[str]:
    for withdrawal in client.list_withdrawals():
        if withdrawal.status == "COMPLETED" and withdrawal.txn_hash is not None:
            yield withdrawal.txn_hash


def pay_out_pesos(client: wk.RipioClient) -> Decimal:
    accounts: list[wk.BeneficiaryFiatAccount] = client.list_beneficiary_fiat_accounts(
        "customer_10", status="ENABLED"
    )
    enabled = [account for account in accounts if account.status == "ENABLED"]
    created: wk.FiatWithdrawal = client.create_fiat_withdrawal(
        "12345.67 ARS",
        end_user_id="customer_10",
        beneficiary_fiat_account_id=enabled[0].beneficiary_fiat_account_id,
    )
    return created.amount


def retry_later_or_look_up(client: wk.RipioClient) -> None:
    try:
        client.create_withdrawal("1.5 BTC", end_user="c", address="a", network="BITCOIN")
    except wk.OutcomeUnknown:
        pass  # look the withdrawal up by external_ref before sending it again
    except wk.RateLimited as limited:
        wait: Decimal | None = limited.retry_after
        print(wait)  # noqa: T201
    except wk.APIError as refused:
        print(refused.provider, refused.http_status, refused.code, refused.messages)  # noqa: T201


def misuses_the_type_checker_rejects(k: wk.OneKontoClient, r: wk.RipioClient) -> None:
    k.request_withdraw_blockchain(1.5)  # type: ignore[arg-type]
    k.request_withdraw_fiat("100 USD")  # type: ignore[call-arg]
    r.create_withdrawal("1 BTC", "customer_10", "addr", "BITCOIN")  # type: ignore[call-arg]
    r.create_withdrawal_fee(Decimal("0.002"), network="ethereum")  # type: ignore[arg-type]
    wk.RipioClient(client_id="id", client_secret="secret")  # type: ignore[call-arg]
    k.query_withdraw_requests(max="100")  # type: ignore[arg-type]
