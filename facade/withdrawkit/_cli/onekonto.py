"""``withdrawkit onekonto ...``: 1Konto (1KPrime) v1.0 from the command line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import click

from withdrawkit._arguments import withdrawal_amount
from withdrawkit._cli.context import (
    USER_AGENT,
    ProviderContext,
    amount_argument,
    json_option,
    output_for,
    pass_provider,
)
from withdrawkit._cli.exit_codes import ENDED_UNSUCCESSFULLY, OK
from withdrawkit._cli.onekonto_find import find, withdraw_request_table
from withdrawkit._cli.onekonto_trading import TRADING_COMMANDS
from withdrawkit._cli.render import Output
from withdrawkit._cli.sending import Plan, send_after_confirmation
from withdrawkit._cli.settings import ONEKONTO, ConfigurationError, environment_name
from withdrawkit._cli.waiting import Progress, follow
from withdrawkit._error_mapping import ONEKONTO as PROVIDER
from withdrawkit._onekonto_client import OneKontoClient
from withdrawkit_generated.onekonto import WithdrawRequest

__all__ = ["onekonto"]

COMPLETED: Final = "completed"

Context = ProviderContext[OneKontoClient]


def _build(values: Mapping[str, str]) -> OneKontoClient:
    plain, digest = values.get("password"), values.get("password_sha256")
    if (plain is None) == (digest is None):
        names = " or ".join(
            environment_name("onekonto", n) for n in ("password", "password_sha256")
        )
        raise ConfigurationError(f"onekonto: set exactly one of {names} (or the config file's)")
    return OneKontoClient(
        values["base_url"],
        user=values["user"],
        password=digest if digest is not None else str(plain),
        password_is_prehashed=digest is not None,
        account_id=values["account_id"],
        user_agent=USER_AGENT,
    )


@click.group()
@click.option(
    "--base-url",
    metavar="URL",
    help="1Konto's API root (else $WITHDRAWKIT_ONEKONTO_BASE_URL or the config file).",
)
@click.pass_context
def onekonto(ctx: click.Context, base_url: str | None) -> None:
    """1Konto (1KPrime): balances, withdrawals to whitelisted wallets and bank accounts."""
    config_path = ctx.find_root().params.get("config_path")
    ctx.obj = ProviderContext(ONEKONTO, _build, base_url, config_path)


@onekonto.command()
@json_option
@pass_provider
def balances(context: Context, as_json: bool) -> None:
    """The account's balance of every asset."""
    account = context.client().get_account()
    out = output_for(as_json)
    if out.json_mode:
        out.json(account)
        return
    out.table(
        ["asset", "free", "locked", "available", "limit", "pending deposit"],
        (
            [asset, b.free, b.locked, b.available, b.limit, b.pending_deposit]
            for asset, b in sorted(account.balances.items())
        ),
        title=f"1Konto account {account.account_id}",
    )


@onekonto.command("deposit-instructions")
@json_option
@pass_provider
def deposit_instructions(context: Context, as_json: bool) -> None:
    """Where to send deposits: an address per asset and network, or a bank wire."""
    instructions = context.client().get_deposit_instructions()
    out = output_for(as_json)
    if out.json_mode:
        out.json(instructions)
        return
    for instruction in instructions:
        out.fields(_model_fields(instruction), title=f"{instruction.asset}")


@onekonto.command()
@amount_argument
@click.option("--network", help="e.g. bitcoin; may be left out if the whitelist has one wallet.")
@click.option("--address", help="A whitelisted wallet; may be left out likewise.")
@click.option("--instruction", "instructions", multiple=True, help="A memo line (repeatable).")
@click.option("--yes", is_flag=True, help="Send without asking (for scripts).")
@json_option
@pass_provider
def withdraw(
    context: Context,
    *,
    amount: str,
    network: str | None,
    address: str | None,
    instructions: Sequence[str],
    yes: bool,
    as_json: bool,
) -> None:
    """Withdraw AMOUNT ("0.5 BTC") to a wallet whitelisted with 1Konto."""
    parsed = withdrawal_amount(amount, provider=PROVIDER)
    client = context.client()
    lookup = ["find", str(parsed)]
    lookup += ["--network", network] if network else []
    lookup += ["--address", address] if address else []
    lookup += [f"--instruction={line}" for line in instructions]
    plan = Plan(
        action=f"withdraw {parsed} from 1Konto account {client.account_id}",
        fields=[
            ("amount", parsed),
            ("network", network),
            ("address", address),
            ("instructions", list(instructions) or None),
        ],
        destination=f"POST {client.base_url}/api/v1/accounting/account/"
        f"{client.account_id}/request/withdraw/blockchain",
        lookup=lambda _: context.command_line(*lookup),
    )
    out = output_for(as_json)
    receipt = send_after_confirmation(
        out,
        plan,
        yes=yes,
        send=lambda: client.request_withdraw_blockchain(
            parsed, network=network, address=address, instructions=list(instructions) or None
        ),
    )
    if out.json_mode:
        out.json(receipt)
        return
    out.fields(
        [("id", receipt.withdraw_request_id), ("status", receipt.request_status)],
        title="Withdraw request created",
    )
    out.note(f"Follow it: {' '.join(context.command_line('wait', receipt.withdraw_request_id))}")


@onekonto.command("withdraw-fiat")
@amount_argument
@click.option("--type", "method", required=True, help="fedwire, ach, rtp... (sent as given).")
@click.option("--routing-number", help="A whitelisted bank account's routing number.")
@click.option("--account-number", help="A whitelisted bank account's number.")
@click.option("--instruction", "instructions", multiple=True, help="A memo line (repeatable).")
@click.option("--yes", is_flag=True, help="Send without asking (for scripts).")
@json_option
@pass_provider
def withdraw_fiat(
    context: Context,
    *,
    amount: str,
    method: str,
    routing_number: str | None,
    account_number: str | None,
    instructions: Sequence[str],
    yes: bool,
    as_json: bool,
) -> None:
    """Withdraw fiat AMOUNT ("100 USD") to a whitelisted bank account."""
    parsed = withdrawal_amount(amount, provider=PROVIDER)
    client = context.client()
    lookup = ["find", str(parsed), "--type", method]
    lookup += ["--routing-number", routing_number] if routing_number else []
    lookup += ["--account-number", account_number] if account_number else []
    lookup += [f"--instruction={line}" for line in instructions]
    plan = Plan(
        action=f"withdraw {parsed} by {method} from 1Konto account {client.account_id}",
        fields=[
            ("amount", parsed),
            ("type", method),
            ("routing_number", routing_number),
            ("account_number", account_number),
            ("instructions", list(instructions) or None),
        ],
        destination=f"POST {client.base_url}/api/v1/accounting/account/"
        f"{client.account_id}/request/withdraw/fiat",
        lookup=lambda _: context.command_line(*lookup),
    )
    out = output_for(as_json)
    receipt = send_after_confirmation(
        out,
        plan,
        yes=yes,
        send=lambda: client.request_withdraw_fiat(
            parsed,
            type=method,
            routing_number=routing_number,
            account_number=account_number,
            instructions=list(instructions) or None,
        ),
    )
    if out.json_mode:
        out.json(receipt)
        return
    out.fields(
        [("id", receipt.withdraw_request_id), ("status", receipt.request_status)],
        title="Withdraw request created",
    )


@onekonto.command()
@click.argument("withdraw_request_id")
@json_option
@pass_provider
def status(context: Context, withdraw_request_id: str, as_json: bool) -> None:
    """Show one withdraw request."""
    _show(output_for(as_json), context.client().get_withdraw_request(withdraw_request_id))


@onekonto.command()
@click.argument("withdraw_request_id")
@click.option("--timeout", default=600.0, show_default=True, help="Seconds to wait at most.")
@click.option(
    "--poll-interval", default=5.0, show_default=True, help="Seconds before the first re-read."
)
@json_option
@pass_provider
def wait(
    context: Context,
    withdraw_request_id: str,
    timeout: float,
    poll_interval: float,
    as_json: bool,
) -> int:
    """Wait until a withdraw request is final; exit 5 unless it is completed."""
    client = context.client()
    out = output_for(as_json)
    with Progress(out.stderr, what=f"withdraw request {withdraw_request_id}") as progress:
        done = follow(
            lambda on_update, on_pause: client.wait_for_withdraw_request(
                withdraw_request_id,
                timeout=timeout,
                poll_interval=poll_interval,
                on_update=on_update,
                on_pause=on_pause,
            ),
            status_of=_status,
            timeout=timeout,
            progress=progress,
        )
    _show(out, done)
    return OK if _status(done) == COMPLETED else ENDED_UNSUCCESSFULLY


@onekonto.command("list")
@click.option("--status", help="pending, completed, canceled, rejected or invalid.")
@click.option("--network", help="Only this network.")
@click.option("--type", "method", help="Only this type (fedwire, ...).")
@click.option("--max", "most", type=click.IntRange(min=1), help="At most this many (server: 100).")
@json_option
@pass_provider
def list_(
    context: Context,
    *,
    status: str | None,
    network: str | None,
    method: str | None,
    most: int | None,
    as_json: bool,
) -> None:
    """List the account's withdraw requests."""
    rows = context.client().query_withdraw_requests(
        status=status, network=network, type=method, max=most
    )
    withdraw_request_table(output_for(as_json), rows, title="1Konto withdraw requests")


for _command in (find, *TRADING_COMMANDS):
    onekonto.add_command(_command)


# -- reading and rendering ----------------------------------------------------------------------


def _status(request: WithdrawRequest) -> str:
    return str(request.request_status.value) if request.request_status is not None else "unknown"


def _show(out: Output, request: WithdrawRequest) -> None:
    if out.json_mode:
        out.json(request)
        return
    out.fields(_model_fields(request))


def _model_fields(model: Any) -> list[tuple[str, Any]]:
    return [
        (field.name.replace("_", " "), getattr(model, field.name))
        for field in attrs.fields(type(model))
        if field.name not in {"status", "http_status_code"}
    ]
