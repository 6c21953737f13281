"""``withdrawkit ripio ...``: Ripio B2B from the command line."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import click

from withdrawkit._arguments import withdrawal_amount
from withdrawkit._cli.context import (
    USER_AGENT,
    ProviderContext,
    amount_argument,
    json_option,
    output_for,
    pass_provider,
    since_option,
)
from withdrawkit._cli.exit_codes import ENDED_UNSUCCESSFULLY, EXCEPTION_CODES, OK
from withdrawkit._cli.render import Output, cell
from withdrawkit._cli.ripio_accounts import ACCOUNT_COMMANDS
from withdrawkit._cli.sending import Plan, send_after_confirmation, since_sent
from withdrawkit._cli.settings import RIPIO
from withdrawkit._cli.waiting import Progress, follow
from withdrawkit._error_mapping import RIPIO as PROVIDER
from withdrawkit._exceptions import NotFound
from withdrawkit._ripio_client import RipioClient
from withdrawkit_generated.ripio import Withdrawal

__all__ = ["ripio"]

COMPLETED: Final = "COMPLETED"

Context = ProviderContext[RipioClient]


def _build(values: Mapping[str, str]) -> RipioClient:
    return RipioClient(
        values["base_url"],
        client_id=values["client_id"],
        client_secret=values["client_secret"],
        user_agent=USER_AGENT,
    )


@click.group()
@click.option(
    "--base-url",
    metavar="URL",
    help="Ripio's API root (else $WITHDRAWKIT_RIPIO_BASE_URL or the config file).",
)
@click.pass_context
def ripio(ctx: click.Context, base_url: str | None) -> None:
    """Ripio B2B: end users and balances, withdrawal fees, crypto and fiat withdrawals."""
    config_path = ctx.find_root().params.get("config_path")
    ctx.obj = ProviderContext(RIPIO, _build, base_url, config_path)


@ripio.command()
@amount_argument
@click.option("--network", required=True, help="The network to withdraw on, e.g. ETHEREUM.")
@json_option
@pass_provider
def fee(context: Context, amount: str, network: str, as_json: bool) -> None:
    """Hold the fee for withdrawing AMOUNT ("0.5 ETH") on a network; moves no money."""
    held = context.client().create_withdrawal_fee(amount, network=network)
    out = output_for(as_json)
    if out.json_mode:
        out.json(held)
        return
    out.fields(
        [
            ("id", held.id),
            ("amount", held.amount),
            ("fee", held.fee),
            ("gas price", held.gas_price),
            ("total fee", held.total_fee),
            ("expires at", held.expires_at),
        ],
        title="Withdrawal fee held",
    )


@ripio.command()
@amount_argument
@click.option("--end-user", required=True, help="The end user's external_ref, e.g. customer_10.")
@click.option("--address", required=True, help="The destination address.")
@click.option("--network", required=True, help="The network, e.g. ETHEREUM.")
@click.option("--external-ref", help="Your reference (default: a new UUID, shown before sending).")
@click.option("--fee-id", help="A fee held with `withdrawkit ripio fee`.")
@click.option("--yes", is_flag=True, help="Send without asking (for scripts).")
@json_option
@pass_provider
def withdraw(
    context: Context,
    *,
    amount: str,
    end_user: str,
    address: str,
    network: str,
    external_ref: str | None,
    fee_id: str | None,
    yes: bool,
    as_json: bool,
) -> None:
    """Withdraw AMOUNT ("0.5 ETH": what the address receives) from an end user's balance."""
    parsed = withdrawal_amount(amount, provider=PROVIDER)  # refused here, before the question
    reference = external_ref or str(uuid.uuid4())
    client = context.client()
    plan = Plan(
        action=f"withdraw {parsed} from {end_user} on Ripio",
        fields=[
            ("end_user", end_user),
            ("currency", parsed.asset),
            ("amount", parsed.value),
            ("address", address),
            ("network", network),
            ("external_ref", reference),
            ("withdrawal_fee_id", fee_id),
        ],
        destination=f"POST {client.base_url}/api/v1/withdrawals/",
        lookup=lambda unknown: context.command_line("find", reference, *since_sent(unknown)),
    )
    out = output_for(as_json)
    created = send_after_confirmation(
        out,
        plan,
        yes=yes,
        send=lambda: client.create_withdrawal(
            parsed,
            end_user=end_user,
            address=address,
            network=network,
            external_ref=reference,
            withdrawal_fee_id=fee_id,
        ),
    )
    _show_withdrawal(out, created, title="Withdrawal created")
    if not out.json_mode:
        out.note(f"Follow it: {' '.join(context.command_line('wait', created.id))}")


@ripio.command()
@click.argument("withdrawal_id")
@json_option
@pass_provider
def status(context: Context, withdrawal_id: str, as_json: bool) -> None:
    """Show one crypto withdrawal."""
    _show_withdrawal(output_for(as_json), context.client().get_withdrawal(withdrawal_id))


@ripio.command()
@click.argument("withdrawal_id")
@click.option("--timeout", default=600.0, show_default=True, help="Seconds to wait at most.")
@click.option(
    "--poll-interval", default=5.0, show_default=True, help="Seconds before the first re-read."
)
@json_option
@pass_provider
def wait(
    context: Context, withdrawal_id: str, timeout: float, poll_interval: float, as_json: bool
) -> int:
    """Wait until a withdrawal is COMPLETED or ERROR; exit 5 unless COMPLETED."""
    client = context.client()
    out = output_for(as_json)
    with Progress(out.stderr, what=f"withdrawal {withdrawal_id}") as progress:
        done = follow(
            lambda on_update, on_pause: client.wait_for_withdrawal(
                withdrawal_id,
                timeout=timeout,
                poll_interval=poll_interval,
                on_update=on_update,
                on_pause=on_pause,
            ),
            status_of=_status,
            timeout=timeout,
            progress=progress,
        )
    _show_withdrawal(out, done)
    return OK if _status(done) == COMPLETED else ENDED_UNSUCCESSFULLY


@ripio.command("list")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many.")
@json_option
@pass_provider
def list_(context: Context, limit: int | None, as_json: bool) -> None:
    """List the partner's crypto withdrawals, every page."""
    rows = list(itertools.islice(context.client().list_withdrawals(), limit))
    out = output_for(as_json)
    if out.json_mode:
        out.json(rows)
        return
    out.table(
        ["id", "status", "amount", "currency", "end user", "network", "external ref", "created"],
        (
            [
                w.id,
                w.status,
                w.amount,
                w.currency,
                w.end_user_id,
                w.network_name,
                w.external_ref,
                w.created_at,
            ]
            for w in rows
        ),
        title="Ripio withdrawals",
    )


@ripio.command()
@click.argument("external_ref")
@since_option
@json_option
@pass_provider
def find(context: Context, external_ref: str, since: datetime | None, as_json: bool) -> int:
    """Find the withdrawal sent with EXTERNAL_REF (after an unknown outcome); exit 28 if none.

    Reads the list newest pages first (RipioClient.find_withdrawal, what reconcile uses); two
    withdrawals with this reference exit 17, since neither can be told to be the one sent.
    """
    found = context.client().find_withdrawal(external_ref=external_ref, since=since)
    out = output_for(as_json)
    if found is None:
        if out.json_mode:
            out.json(None)
        out.note(f"Ripio lists no withdrawal with external_ref {external_ref!r}.")
        return EXCEPTION_CODES[NotFound]
    _show_withdrawal(out, found)
    return OK


for _command in ACCOUNT_COMMANDS:
    ripio.add_command(_command)


# -- rendering ----------------------------------------------------------------------------------


def _status(withdrawal: Withdrawal) -> str:
    return str(withdrawal.status.value) if withdrawal.status is not None else "UNKNOWN"


def _show_withdrawal(out: Output, withdrawal: Withdrawal, *, title: str | None = None) -> None:
    if out.json_mode:
        out.json(withdrawal)
        return
    out.fields(_withdrawal_fields(withdrawal), title=title)


def _withdrawal_fields(w: Withdrawal) -> list[tuple[str, Any]]:
    return [
        ("id", w.id),
        ("status", w.status),
        ("amount", f"{cell(w.amount)} {w.currency}"),
        ("charged fee", w.charged_fee),
        ("debited", w.debited_amount),
        ("end user", w.end_user_id),
        ("address", w.address),
        ("network", w.network_name),
        ("external ref", w.external_ref),
        ("created", w.created_at),
        ("confirmed", w.confirmation_date),
        ("txn hash", w.txn_hash),
        ("reason", w.reason or None),
    ]
