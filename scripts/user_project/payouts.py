"""The application: pay a customer out, and find a payout again after an unknown outcome."""

from __future__ import annotations

import withdrawkit as wk


def pay_out_bitcoin(client: wk.OneKontoClient, amount: str, wallet: str) -> str:
    """Withdraw ``amount`` to a whitelisted wallet; returns the withdraw request's id."""
    receipt = client.request_withdraw_blockchain(amount, network="bitcoin", address=wallet)
    return receipt.withdraw_request_id


def pay_out_ether(
    client: wk.RipioClient, customer: str, amount: str, address: str, reference: str
) -> wk.Withdrawal | None:
    """Withdraw for ``customer``; after ``OutcomeUnknown``, look the payout up by reference.

    Returns None when the provider has no such withdrawal: it was never made, so the caller
    may try again.
    """
    try:
        return client.create_withdrawal(
            amount, end_user=customer, address=address, network="ETHEREUM", external_ref=reference
        )
    except wk.OutcomeUnknown:
        for withdrawal in client.list_withdrawals():
            if withdrawal.external_ref == reference:
                return withdrawal
        return None
