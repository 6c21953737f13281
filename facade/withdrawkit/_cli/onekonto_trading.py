"""``withdrawkit onekonto`` market data, orders, RFQ quotes and the ledger.

Placing an order and accepting a quote move money: like a withdrawal, they show what they will
send and ask first (``--yes`` for scripts). A market or limit order carries no id known before
its answer (1Konto's order pages document no ``clientOrderId``), so after an unknown outcome
``withdrawkit onekonto orders --source S --destination D --type market`` lists where it would be.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Final

import click

from withdrawkit import _onekonto_arguments as checked
from withdrawkit._arguments import withdrawal_amount
from withdrawkit._cli.context import (
    ProviderContext,
    amount_argument,
    json_option,
    output_for,
    pass_provider,
)
from withdrawkit._cli.render import Output
from withdrawkit._cli.sending import Plan, send_after_confirmation
from withdrawkit._error_mapping import ONEKONTO as PROVIDER
from withdrawkit._onekonto_client import OneKontoClient
from withdrawkit_generated.onekonto import Order

__all__ = ["TRADING_COMMANDS"]

Context = ProviderContext[OneKontoClient]

_PLAIN_NUMBER: Final = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_ORDER_COLUMNS: Final = ("order id", "type", "size", "destination", "status", "price", "total")


@click.command()
@amount_argument
@click.option("--destination", required=True, help="The asset received, e.g. BTC.")
@click.option("--quote", "quote_asset", required=True, help="The asset the price is in.")
@json_option
@pass_provider
def price(
    context: Context, *, amount: str, destination: str, quote_asset: str, as_json: bool
) -> None:
    """What selling AMOUNT ("50 USDT") for another asset would give now; binds nothing."""
    estimate = context.client().request_indicative_price(
        amount, destination=destination, quote=quote_asset
    )
    out = output_for(as_json)
    if out.json_mode:
        out.json(estimate)
        return
    out.fields(
        [("sell", estimate.source), ("get", estimate.destination), ("price", estimate.price)],
        title="Indicative price",
    )


@click.command()
@click.argument("asset_pair")
@click.option("--levels", type=click.IntRange(min=1), help="Levels per side (server: 25).")
@json_option
@pass_provider
def book(context: Context, asset_pair: str, levels: int | None, as_json: bool) -> None:
    """The order book of ASSET_PAIR ("USDT/USD"), fees included."""
    answer = context.client().get_order_book(asset_pair, levels=levels)
    out = output_for(as_json)
    if out.json_mode:
        out.json(answer)
        return
    out.table(["side", "price", "size"], _levels(answer.asks, "ask"), title=f"{asset_pair} asks")
    out.table(["side", "price", "size"], _levels(answer.bids, "bid"), title=f"{asset_pair} bids")


@click.command()
@amount_argument
@click.option("--pair", "asset_pair", required=True, help="The asset pair, e.g. USDT/USD.")
@click.option("--client-order-id", help="Your name for the quote.")
@json_option
@pass_provider
def quote(
    context: Context, *, amount: str, asset_pair: str, client_order_id: str | None, as_json: bool
) -> None:
    """A firm two-sided quote for AMOUNT of a pair; it lapses in seconds. Moves no money."""
    answer = context.client().request_quote(
        amount, asset_pair=asset_pair, client_order_id=client_order_id
    )
    out = output_for(as_json)
    if out.json_mode:
        out.json(answer)
        return
    out.fields([("order id", answer.order_id)], title=f"Quote for {amount} of {asset_pair}")
    for side, leg in (("buy", answer.buy), ("sell", answer.sell)):
        if leg is not None:
            out.fields(
                [
                    ("price", leg.price),
                    ("pay", leg.source),
                    ("get", leg.destination),
                    ("expires", leg.expires_at),
                ],
                title=f"{side}:",
            )
    if not out.json_mode:
        out.note(f"Accept it: withdrawkit onekonto accept-quote {answer.order_id} --side buy|sell")


@click.command("accept-quote")
@click.argument("order_id")
@click.option("--side", type=click.Choice(["buy", "sell"]), required=True)
@click.option("--yes", is_flag=True, help="Send without asking (for scripts).")
@json_option
@pass_provider
def accept_quote(context: Context, *, order_id: str, side: str, yes: bool, as_json: bool) -> None:
    """Execute one side of quote ORDER_ID; moves money."""
    client = context.client()
    plan = Plan(
        action=f"accept the {side} side of quote {order_id} on 1Konto account {client.account_id}",
        fields=[("side", side)],
        destination=f"acceptQuote at {client.base_url}",
        lookup=lambda _: context.command_line("order", order_id),
    )
    out = output_for(as_json)
    done = send_after_confirmation(
        out, plan, yes=yes, send=lambda: client.accept_quote(order_id, side=side)
    )
    _show_order(out, done)


@click.command("market-order")
@amount_argument
@click.option("--destination", required=True, help="The asset bought, e.g. BTC.")
@click.option("--yes", is_flag=True, help="Send without asking (for scripts).")
@json_option
@pass_provider
def market_order(
    context: Context,
    *,
    amount: str,
    destination: str,
    yes: bool,
    as_json: bool,
) -> None:
    """Sell AMOUNT ("10000 USDT") for another asset at market; moves money."""
    size = withdrawal_amount(amount, provider=PROVIDER)
    client = context.client()
    plan = Plan(
        action=f"sell {size} for {destination} at market on 1Konto account {client.account_id}",
        fields=[
            ("type", "market"),
            ("source", size.asset),
            ("destination", destination),
            ("size", size),
        ],
        destination=f"placeMarketOrder at {client.base_url}",
        lookup=lambda _: _order_lookup(context, size.asset, destination, "market"),
    )
    out = output_for(as_json)
    done = send_after_confirmation(
        out,
        plan,
        yes=yes,
        send=lambda: client.place_market_order(size, destination=destination),
    )
    _show_order(out, done)


@click.command("limit-order")
@amount_argument
@click.option("--destination", required=True, help="The asset bought, e.g. USD.")
@click.option(
    "--limit", "limit_price", required=True, help='Least accepted: 59000 or "59000 BTC/USD".'
)
@click.option("--end-at", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z"]), help="ISO time, with zone.")
@click.option("--yes", is_flag=True, help="Send without asking (for scripts).")
@json_option
@pass_provider
def limit_order(
    context: Context,
    *,
    amount: str,
    destination: str,
    limit_price: str,
    end_at: datetime | None,
    yes: bool,
    as_json: bool,
) -> None:
    """Sell AMOUNT for another asset at no less than --limit; rests until filled; moves money."""
    size = withdrawal_amount(amount, provider=PROVIDER)
    # Checked and labelled as the client will send them, so the plan shows the wire values.
    limit = checked.limit_price(_price_or_number(limit_price), size=size, destination=destination)
    ends = end_at.astimezone(timezone.utc) if end_at is not None else None
    client = context.client()
    plan = Plan(
        action=f"sell {size} for {destination} at {limit} or better on 1Konto",
        fields=[
            ("type", "limit"),
            ("source", size.asset),
            ("destination", destination),
            ("size", size),
            ("limit", limit),
            ("endAt", ends),
        ],
        destination=f"placeLimitOrder at {client.base_url}",
        lookup=lambda _: _order_lookup(context, size.asset, destination, "limit"),
    )
    out = output_for(as_json)
    done = send_after_confirmation(
        out,
        plan,
        yes=yes,
        send=lambda: client.place_limit_order(
            size, destination=destination, limit=limit, end_at=ends
        ),
    )
    _show_order(out, done)


def _order_lookup(context: Context, source: str, destination: str, kind: str) -> list[str]:
    """The command listing the orders a lost one would be among (it has no id before its answer)."""
    return context.command_line(
        "orders", "--source", source, "--destination", destination, "--type", kind
    )


@click.command()
@click.option("--source", help="Only orders selling this asset.")
@click.option("--destination", help="Only orders buying this asset.")
@click.option("--status", help="submitted, filled, partially-filled, canceled, rejected...")
@click.option("--type", "kind", help="market, limit or rfq.")
@click.option("--client-order-id", help="Only the order with this clientOrderId.")
@click.option("--max", "most", type=click.IntRange(min=1), help="At most this many.")
@json_option
@pass_provider
def orders(
    context: Context,
    *,
    source: str | None,
    destination: str | None,
    status: str | None,
    kind: str | None,
    client_order_id: str | None,
    most: int | None,
    as_json: bool,
) -> None:
    """List the account's orders."""
    rows = context.client().query_orders(
        source=source, destination=destination, type=kind, status=status, max=most
    )
    if client_order_id is not None:
        rows = [row for row in rows if row.client_order_id == client_order_id]
    out = output_for(as_json)
    if out.json_mode:
        out.json(rows)
        return
    out.table(_ORDER_COLUMNS, (_order_row(row) for row in rows), title="1Konto orders")


@click.command()
@click.argument("order_id")
@json_option
@pass_provider
def order(context: Context, order_id: str, as_json: bool) -> None:
    """Show one order."""
    _show_order(output_for(as_json), context.client().get_order(order_id))


@click.command()
@click.option("--asset", help="Only entries of this asset.")
@click.option("--type", "entry_type", help="deposit, withdrawal, trade, ...")
@click.option("--max", "most", type=click.IntRange(min=1), default=100, show_default=True)
@json_option
@pass_provider
def transactions(
    context: Context, *, asset: str | None, entry_type: str | None, most: int, as_json: bool
) -> None:
    """The account's ledger: deposits, withdrawals, trades."""
    rows = context.client().get_transactions(max=most, asset=asset, type=entry_type)
    out = output_for(as_json)
    if out.json_mode:
        out.json(rows)
        return
    out.table(
        ["transaction id", "type", "amount", "created"],
        ([row.transaction_id, row.type, row.amount, row.created_at] for row in rows),
        title="1Konto ledger",
    )


TRADING_COMMANDS: Final = (
    price,
    book,
    quote,
    accept_quote,
    market_order,
    limit_order,
    orders,
    order,
    transactions,
)


def _price_or_number(text: str) -> str | Decimal:
    """``--limit 59000`` is a bare number the client labels; ``"59000 BTC/USD"`` a price."""
    return Decimal(text) if _PLAIN_NUMBER.fullmatch(text) else text


def _levels(levels: Sequence[Sequence[Any]], side: str) -> list[list[Any]]:
    return [[side, *level[:2]] for level in levels]


def _order_row(row: Order) -> list[Any]:
    result = row.result
    return [
        row.order_id,
        row.type,
        row.size,
        row.destination,
        result.status if result is not None else None,
        result.price if result is not None else None,
        result.total if result is not None else None,
    ]


def _show_order(out: Output, row: Order) -> None:
    if out.json_mode:
        out.json(row)
        return
    shown = [*zip(_ORDER_COLUMNS, _order_row(row), strict=True)]
    out.fields([*shown, ("client order id", row.client_order_id)])
