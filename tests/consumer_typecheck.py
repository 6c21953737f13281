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
from typing import Any

import withdrawkit as wk
from withdrawkit.webhooks import RipioWebhookEvent, RipioWebhookVerifier


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


def market_snapshot(client: wk.OneKontoClient) -> Decimal:
    books: dict[str, wk.TopOfBook] = client.get_top_of_book(["USDT/USD", "USDC/USD"])
    spread: Decimal | None = books["USDT/USD"].spread
    depth: wk.OrderBook = client.get_order_book("USDT/USD", levels=2)
    bids: list[list[Decimal]] = depth.bids
    estimate: wk.IndicativePrice = client.request_indicative_price(
        "50 USDT", destination="BTC", quote="USDT"
    )
    price: wk.Price = estimate.price
    destination: wk.Amount = estimate.destination
    print(spread, bids[0], price.base, price.quote, destination.asset)  # noqa: T201
    return price.value


def read_the_ledger(client: wk.OneKontoClient, since: datetime) -> list[wk.Amount]:
    entries: list[wk.Transaction] = client.get_transactions(
        max=100,
        asset="USDT",
        type=wk.TransactionType.TRADE,
        start_at_ordering=2389,
        start_time=since,
        end_time=None,
        transaction_id=None,
    )
    request: wk.WithdrawRequest = client.get_withdraw_request("oiJ8s7oh8EqFwwnkZViCGg")
    print(request.request_status)  # noqa: T201
    return [entry.amount for entry in entries if entry.amount is not None]


def trade(client: wk.OneKontoClient, until: datetime) -> list[wk.Order]:
    market: wk.Order = client.place_market_order("10000 USDT", destination="BTC")
    limit: wk.Order = client.place_limit_order(
        wk.Amount(Decimal(1), "BTC"),
        destination="USD",
        limit=wk.Price.parse("59000 BTC/USD"),
        end_at=until,
    )
    client.place_limit_order("1 BTC", destination="USD", limit=Decimal(59000))
    quote: wk.Quote = client.request_quote(
        "10000 USDT", asset_pair="USDT/USD", client_order_id="rfq-test-1"
    )
    leg: wk.QuoteLeg | None = quote.sell
    if leg is not None:
        expires: datetime = leg.expires_at
        print(leg.price.value, expires)  # noqa: T201
    try:
        accepted: wk.Order = client.accept_quote(quote.order_id, side=wk.QuoteSide.SELL)
    except wk.QuoteExpired:
        accepted = client.accept_quote(
            client.request_quote("10000 USDT", asset_pair="USDT/USD").order_id, side="sell"
        )
    except wk.OutcomeUnknown as unknown:
        reference: str | None = unknown.reference
        print(reference)  # noqa: T201
        raise
    result: wk.OrderResult | None = accepted.result
    if result is not None and result.status == wk.OrderStatus.FILLED:
        total: wk.Amount | None = result.total
        print(total)  # noqa: T201
    found: list[wk.Order] = client.query_orders(
        source="USDT",
        destination="USD",
        type=wk.OrderType.RFQ,
        status="filled",
        submitted_at_start=until,
        submitted_at_end=until,
        start_at_ordering=1,
        max=10,
        asc=True,
    )
    again: wk.Order = client.get_order(market.order_id)
    return [limit, again, *found]


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
        end_user="customer_10",
        beneficiary_fiat_account_id=enabled[0].beneficiary_fiat_account_id,
    )
    return created.amount


def know_the_end_user(client: wk.RipioClient) -> Decimal:
    user: wk.EndUser = client.create_end_user("customer_11")
    found: wk.EndUser = client.get_end_user(user.external_ref)
    addresses: list[wk.EndUserAddress] = client.list_end_user_addresses(found.external_ref)
    balances: list[wk.EndUserBalance] = client.list_end_user_balances("customer_11")
    limits: list[wk.EndUserLimit] = client.list_end_user_limits("customer_11")
    allowed: Decimal | None = limits[0].allowed_amount
    network: wk.NetworkName | str = addresses[0].network
    print(network, allowed)  # noqa: T201
    return balances[0].balance


def follow_fiat_money(client: wk.RipioClient) -> list[Decimal]:
    fiat: wk.FiatWithdrawal = client.get_fiat_withdrawal("fw-1")
    status: wk.FiatWithdrawalStatus = fiat.status
    deposits: Iterator[wk.FiatDeposit] = client.list_fiat_deposits()
    deposit: wk.FiatDeposit = client.get_fiat_deposit("fd-1")
    print(status, deposit.status)  # noqa: T201
    paid = [item.amount for item in client.list_fiat_withdrawals()]
    return paid + [item.amount for item in deposits]


def market_and_transactions(client: wk.RipioClient) -> Decimal:
    rates: list[wk.Rate] = client.list_rates()
    transaction: dict[str, Any] = client.get_transaction("tx-1")
    every: Iterator[dict[str, Any]] = client.list_transactions()
    print(transaction, list(every))  # noqa: T201
    return rates[0].last_buy_rate


def handle_ripio_webhook(public_key_pem: str, body: bytes, headers: dict[str, str]) -> int:
    verifier = RipioWebhookVerifier(public_key_pem)
    try:
        event: RipioWebhookEvent = verifier.verify_request(body, headers)
    except wk.InvalidSignature:
        return 400
    payload = event.payload
    if isinstance(payload, wk.FiatDeposit):
        credited: Decimal = payload.amount
        print(credited)  # noqa: T201
    issued: datetime = event.issued_datetime
    print(issued, verifier.verify(body, headers.get("X-Signature-Ecdsa-Sha256")))  # noqa: T201
    return 200


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


def follow_and_reconcile(client: wk.RipioClient, konto: wk.OneKontoClient) -> str | None:
    """A Celery task: send, wait for the end, and after an unknown outcome find it again."""
    try:
        created = client.create_withdrawal("1 ETH", end_user="c", address="a", network="ETHEREUM")
    except wk.OutcomeUnknown as unknown:
        reference: str | None = unknown.reference
        sent: wk.SentRequest | None = unknown.sent
        print(reference, sent.amount if sent else None)  # noqa: T201
        try:
            found: wk.Withdrawal | None = client.reconcile(unknown, settle_time=120)
        except wk.AmbiguousOutcome as ambiguous:
            print(ambiguous.candidates)  # noqa: T201
            return None
        return None if found is None else found.id
    seen: list[wk.WithdrawalStatus | None] = []
    try:
        done = client.wait_for_withdrawal(
            created.id, timeout=600, poll_interval=5, on_update=lambda w: seen.append(w.status)
        )
    except wk.StillPending as pending:
        print(pending.last_state)  # noqa: T201
        return None
    request: wk.WithdrawRequest = konto.wait_for_withdraw_request("id", timeout=60)
    order: wk.Order = konto.wait_for_order("o-1")
    print(request.request_status, order.result)  # noqa: T201
    by_reference: wk.Withdrawal | None = client.find_withdrawal(external_ref="payout-7")
    return done.id if by_reference is None else by_reference.id


def misuses_the_type_checker_rejects(k: wk.OneKontoClient, r: wk.RipioClient) -> None:
    k.request_withdraw_blockchain(1.5)  # type: ignore[arg-type]
    k.request_withdraw_fiat("100 USD")  # type: ignore[call-arg]
    r.create_withdrawal("1 BTC", "customer_10", "addr", "BITCOIN")  # type: ignore[call-arg]
    r.create_withdrawal_fee(Decimal("0.002"), network="ethereum")  # type: ignore[arg-type]
    wk.RipioClient(client_id="id", client_secret="secret")  # type: ignore[call-arg]
    k.query_withdraw_requests(max="100")  # type: ignore[arg-type]
    k.place_limit_order("1 BTC", destination="USD", limit=59000.0)  # type: ignore[arg-type]
    k.get_top_of_book("USDT/USD", "USDC/USD")  # type: ignore[call-arg, arg-type]
    k.get_top_of_book("USDT/USD")  # type: ignore[arg-type]  # one pair is a list of one
    k.get_transactions(start_time="2025-01-01")  # type: ignore[arg-type]
    wk.Price(1.0, "USDT", "USD")  # type: ignore[arg-type]
    r.create_fiat_withdrawal(  # type: ignore[call-arg]
        "1 ARS", end_user_id="c", beneficiary_fiat_account_id="b"
    )
    RipioWebhookVerifier("pem").verify("body", "sig")  # type: ignore[arg-type]
    r.wait_for_withdrawal("w-1", 600)  # type: ignore[call-arg]
    r.find_withdrawal("payout-7")  # type: ignore[call-arg]
    k.reconcile("not an OutcomeUnknown")  # type: ignore[arg-type]
