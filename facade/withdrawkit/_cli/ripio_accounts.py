"""``withdrawkit ripio`` end users, balances, limits, rates and fiat withdrawals.

A fiat withdrawal moves money: like a crypto one it shows what it will send and asks first
(``--yes`` for scripts), always carries an ``external_ref`` (yours, or a new UUID shown before
sending), and after an unknown outcome ``withdrawkit ripio fiat-find REF`` finds it.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime
from typing import Any, Final

import click

from withdrawkit._arguments import withdrawal_amount
from withdrawkit._cli.context import (
    ProviderContext,
    amount_argument,
    json_option,
    output_for,
    pass_provider,
    since_option,
)
from withdrawkit._cli.exit_codes import EXCEPTION_CODES, OK
from withdrawkit._cli.render import Output, cell
from withdrawkit._cli.sending import Plan, send_after_confirmation, since_sent
from withdrawkit._error_mapping import RIPIO as PROVIDER
from withdrawkit._exceptions import NotFound
from withdrawkit._ripio_client import RipioClient
from withdrawkit_generated.ripio import FiatWithdrawal

__all__ = ["ACCOUNT_COMMANDS"]

Context = ProviderContext[RipioClient]


@click.command()
@click.argument("end_user")
@json_option
@pass_provider
def balances(context: Context, end_user: str, as_json: bool) -> None:
    """END_USER's balance of every currency."""
    rows = context.client().list_end_user_balances(end_user)
    out = output_for(as_json)
    if out.json_mode:
        out.json(rows)
        return
    out.table(
        ["currency", "balance"],
        ([row.currency, row.balance] for row in rows),
        title=f"Balances of {end_user}",
    )


@click.command()
@click.argument("end_user")
@json_option
@pass_provider
def addresses(context: Context, end_user: str, as_json: bool) -> None:
    """END_USER's deposit address on every network."""
    rows = context.client().list_end_user_addresses(end_user)
    out = output_for(as_json)
    if out.json_mode:
        out.json(rows)
        return
    out.table(
        ["network", "address"],
        ([row.network, row.address] for row in rows),
        title=f"Deposit addresses of {end_user}",
    )


@click.command()
@click.argument("end_user")
@json_option
@pass_provider
def limits(context: Context, end_user: str, as_json: bool) -> None:
    """END_USER's periodic limits and what is consumed of them."""
    rows = context.client().list_end_user_limits(end_user)
    out = output_for(as_json)
    if out.json_mode:
        out.json(rows)
        return
    out.table(
        ["type", "currency", "period", "amount", "consumed", "frequency", "consumed"],
        (
            [
                row.type,
                row.currency,
                row.period,
                row.allowed_amount,
                row.consumed_amount,
                row.allowed_frequency,
                row.consumed_frequency,
            ]
            for row in rows
        ),
        title=f"Limits of {end_user}",
    )


@click.command()
@json_option
@pass_provider
def rates(context: Context, as_json: bool) -> None:
    """The last market rates of every pair."""
    rows = context.client().list_rates()
    out = output_for(as_json)
    if out.json_mode:
        out.json(rows)
        return
    out.table(
        ["pair", "last buy", "last sell"],
        ([row.pair, row.last_buy_rate, row.last_sell_rate] for row in rows),
        title="Ripio rates",
    )


@click.command()
@click.argument("end_user")
@json_option
@pass_provider
def beneficiaries(context: Context, end_user: str, as_json: bool) -> None:
    """List the fiat accounts END_USER can be paid out to."""
    accounts = context.client().list_beneficiary_fiat_accounts(end_user)
    out = output_for(as_json)
    if out.json_mode:
        out.json(accounts)
        return
    out.table(
        ["id", "currency", "status", "method", "account"],
        (
            [
                a.beneficiary_fiat_account_id,
                a.currency,
                a.status,
                a.payment_method_type,
                ", ".join(f"{k}={v}" for k, v in sorted(a.account_fields.items())),
            ]
            for a in accounts
        ),
        title=f"Beneficiary accounts of {end_user}",
    )


@click.command("fiat-withdraw")
@amount_argument
@click.option("--end-user", required=True, help="The end user's external_ref.")
@click.option(
    "--beneficiary-account", required=True, help="From `withdrawkit ripio beneficiaries`."
)
@click.option("--external-ref", help="Your reference (default: a new UUID, shown before sending).")
@click.option("--yes", is_flag=True, help="Send without asking (for scripts).")
@json_option
@pass_provider
def fiat_withdraw(
    context: Context,
    *,
    amount: str,
    end_user: str,
    beneficiary_account: str,
    external_ref: str | None,
    yes: bool,
    as_json: bool,
) -> None:
    """Pay AMOUNT ("12345.67 ARS") out to one of an end user's beneficiary fiat accounts.

    Ripio takes no currency here: the account's applies. Check it with `beneficiaries` first.
    """
    parsed = withdrawal_amount(amount, provider=PROVIDER)
    reference = external_ref or str(uuid.uuid4())
    client = context.client()
    plan = Plan(
        action=f"pay {parsed} out to {end_user}'s account {beneficiary_account} on Ripio",
        fields=[
            ("end_user_id", end_user),
            ("amount", parsed.value),
            ("beneficiary_fiat_account_id", beneficiary_account),
            ("external_ref", reference),
        ],
        destination=f"POST {client.base_url}/api/v1/fiat-withdrawals/",
        lookup=lambda unknown: context.command_line("fiat-find", reference, *since_sent(unknown)),
    )
    out = output_for(as_json)
    created = send_after_confirmation(
        out,
        plan,
        yes=yes,
        send=lambda: client.create_fiat_withdrawal(
            parsed,
            end_user=end_user,
            beneficiary_fiat_account_id=beneficiary_account,
            external_ref=reference,
        ),
    )
    _show_fiat(out, created)


@click.command("fiat-status")
@click.argument("fiat_withdrawal_id")
@json_option
@pass_provider
def fiat_status(context: Context, fiat_withdrawal_id: str, as_json: bool) -> None:
    """Show one fiat withdrawal."""
    _show_fiat(output_for(as_json), context.client().get_fiat_withdrawal(fiat_withdrawal_id))


@click.command("fiat-list")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many.")
@json_option
@pass_provider
def fiat_list(context: Context, limit: int | None, as_json: bool) -> None:
    """List the partner's fiat withdrawals, every page."""
    rows = list(itertools.islice(context.client().list_fiat_withdrawals(), limit))
    out = output_for(as_json)
    if out.json_mode:
        out.json(rows)
        return
    out.table(
        ["id", "status", "amount", "currency", "end user", "account", "external ref"],
        (
            [
                w.id,
                w.status,
                w.amount,
                w.currency_code,
                w.end_user_id,
                w.beneficiary_fiat_account_id,
                w.external_ref,
            ]
            for w in rows
        ),
        title="Ripio fiat withdrawals",
    )


@click.command("fiat-find")
@click.argument("external_ref")
@since_option
@json_option
@pass_provider
def fiat_find(context: Context, external_ref: str, since: datetime | None, as_json: bool) -> int:
    """Find the fiat withdrawal sent with EXTERNAL_REF; exit 28 if there is none.

    Reads the list newest pages first (RipioClient.find_fiat_withdrawal); two fiat withdrawals
    with this reference exit 17.
    """
    found = context.client().find_fiat_withdrawal(external_ref=external_ref, since=since)
    out = output_for(as_json)
    if found is None:
        if out.json_mode:
            out.json(None)
        out.note(f"Ripio lists no fiat withdrawal with external_ref {external_ref!r}.")
        return EXCEPTION_CODES[NotFound]
    _show_fiat(out, found)
    return OK


ACCOUNT_COMMANDS: Final = (
    balances,
    addresses,
    limits,
    rates,
    beneficiaries,
    fiat_withdraw,
    fiat_status,
    fiat_list,
    fiat_find,
)


def _show_fiat(out: Output, withdrawal: FiatWithdrawal) -> None:
    if out.json_mode:
        out.json(withdrawal)
        return
    out.fields(_fiat_fields(withdrawal), title="Fiat withdrawal")


def _fiat_fields(w: FiatWithdrawal) -> list[tuple[str, Any]]:
    return [
        ("id", w.id),
        ("status", w.status),
        ("amount", f"{cell(w.amount)} {w.currency_code}"),
        ("end user", w.end_user_id),
        ("account", w.beneficiary_fiat_account_id),
        ("external ref", w.external_ref),
        ("created", w.created_at),
        ("updated", w.updated_at),
    ]
