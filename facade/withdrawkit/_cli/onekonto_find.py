"""``withdrawkit onekonto find``: the withdraw request an unknown outcome may have made.

1Konto's withdraw requests carry no reference of the caller's, so the command gives
``OneKontoClient.reconcile`` what was sent (amount, destination, instructions) and shows what
it finds: the one request that fits, none, or every candidate when several fit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Final

import click

from withdrawkit._amount import Amount
from withdrawkit._cli.context import (
    ProviderContext,
    amount_argument,
    json_option,
    output_for,
    pass_provider,
)
from withdrawkit._cli.exit_codes import EXCEPTION_CODES, OK, exit_code_for
from withdrawkit._cli.render import Output
from withdrawkit._exceptions import NotFound, OutcomeUnknown
from withdrawkit._lifecycle_errors import AmbiguousOutcome
from withdrawkit._onekonto_client import OneKontoClient
from withdrawkit._sent_request import SentRequest
from withdrawkit_generated.onekonto import WithdrawRequest

__all__ = ["find", "withdraw_request_table"]

BLOCKCHAIN: Final = "blockchain"

Context = ProviderContext[OneKontoClient]


@click.command()
@amount_argument
@click.option("--network", help="The network it was sent with, if any.")
@click.option("--address", help="The address it was sent with, if any.")
@click.option(
    "--type",
    "method",
    default=BLOCKCHAIN,
    show_default=True,
    help="blockchain, or the fiat method it was sent with (fedwire, ach...).",
)
@click.option("--routing-number", help="The bank routing number it was sent with (fiat).")
@click.option("--account-number", help="The bank account number it was sent with (fiat).")
@click.option("--instruction", "instructions", multiple=True, help="A memo line it was sent with.")
@click.option("--exclude", multiple=True, metavar="ID", help="A request known not to be it.")
@json_option
@pass_provider
def find(
    context: Context,
    *,
    amount: str,
    network: str | None,
    address: str | None,
    method: str,
    routing_number: str | None,
    account_number: str | None,
    instructions: Sequence[str],
    exclude: Sequence[str],
    as_json: bool,
) -> int:
    """Find the withdraw request of AMOUNT sent to this destination (after an unknown outcome).

    1Konto takes no reference of the caller's, so the request is recognised by what was sent,
    as OneKontoClient.reconcile does. Exit 0 with it, 28 if none fits (one sent less than a
    minute ago may not be listed yet), 17 if several do: they are listed, and a request for the
    same amount to the same place looks the same, so decide which is yours and pass the others'
    ids with --exclude before sending again.
    """
    sent = _what_was_sent(
        Amount.parse(amount),
        method=method,
        network=network,
        address=address,
        routing_number=routing_number,
        account_number=account_number,
        instructions=instructions,
    )
    client = context.client()
    out = output_for(as_json)
    title = f"1Konto withdraw requests of {sent.amount}"
    try:
        found = client.reconcile(_looked_up(client, sent), settle_time=0, exclude=exclude)
    except AmbiguousOutcome as several:
        candidates = [row for row in several.candidates if isinstance(row, WithdrawRequest)]
        if not candidates:  # a list cut at its maximum: nothing to show, the error says why
            raise
        withdraw_request_table(out, candidates, title=title)
        out.note(f"{len(candidates)} withdraw requests fit what was sent: withdrawkit will not")
        out.note("guess which one is yours (pass the others with --exclude ID).")
        return exit_code_for(several)
    withdraw_request_table(out, [found] if found is not None else [], title=title)
    return OK if found is not None else EXCEPTION_CODES[NotFound]


def _what_was_sent(
    amount: Amount,
    *,
    method: str,
    network: str | None,
    address: str | None,
    routing_number: str | None,
    account_number: str | None,
    instructions: Sequence[str],
) -> SentRequest:
    """The request ``withdraw`` (``method`` blockchain) or ``withdraw-fiat`` sent, as the client
    would have kept it; an option of the other kind of request is a usage error."""
    blockchain = method.lower() == BLOCKCHAIN
    other_kind = (
        {"--routing-number": routing_number, "--account-number": account_number}
        if blockchain
        else {"--network": network, "--address": address}
    )
    misplaced = [option for option, value in other_kind.items() if value is not None]
    if misplaced:
        kind = "a blockchain" if blockchain else "a fiat"
        raise click.UsageError(f"{misplaced[0]} is not part of {kind} withdraw request")
    if blockchain:
        operation = "request_withdraw_blockchain"
        destination = {"network": network, "address": address}
    else:
        operation = "request_withdraw_fiat"
        destination = {
            "type": method,
            "routing_number": routing_number,
            "account_number": account_number,
        }
    return SentRequest(operation, amount, destination, datetime.now(timezone.utc), instructions)


def _looked_up(client: OneKontoClient, sent: SentRequest) -> OutcomeUnknown:
    """The ``OutcomeUnknown`` that ``reconcile`` reads what was sent from: a later command has
    no exception to hand on, so it is rebuilt from the arguments (as a pickle would be)."""
    kind = "blockchain" if sent.operation == "request_withdraw_blockchain" else "fiat"
    url = f"{client.base_url}/api/v1/accounting/account/{client.account_id}/request/withdraw/{kind}"
    return OutcomeUnknown("looked up from the command line", method="POST", url=url, sent=sent)


def withdraw_request_table(out: Output, rows: list[WithdrawRequest], *, title: str) -> None:
    """Withdraw requests as a table (or, with --json, a list as 1Konto sent them)."""
    if out.json_mode:
        out.json(rows)
        return
    out.table(
        ["id", "status", "amount", "type", "network", "address"],
        (
            [r.withdraw_request_id, r.request_status, r.amount, r.type, r.network, r.address]
            for r in rows
        ),
        title=title,
    )
