"""withdrawkit's walk-through: real clients, real sockets, fake providers.

``nox -s demo`` runs it. Both fake providers are started on 127.0.0.1 and a narrated session
moves money through them with the real ``wk.OneKontoClient`` and ``wk.RipioClient``: log in, read
balances, withdraw and poll until completed, meet the refusals a caller must handle, trade on
1Konto (a quote accepted, a market order filled), hold a Ripio fee, withdraw with it, list
withdrawals page by page, and receive Ripio's signed webhooks on a handler of our own, which
verifies each one. Exits non-zero if any step does not behave as described, the final balances
included.
"""

from __future__ import annotations

import http.client
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Final, TypeVar

import withdrawkit as wk
from withdrawkit.testing import FakeOneKonto, FakeProvider, FakeRipio
from withdrawkit.webhooks import SIGNATURE_HEADER, RipioWebhookEvent, RipioWebhookVerifier

T = TypeVar("T")

WALLET: Final = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
ETH_ADDRESS: Final = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
MAX_POLLS: Final = 10
POLL_PAUSE_SECONDS: Final = 0.2
TIMEOUT: Final = (2.0, 5.0)
BTC_DEPOSIT: Final = Decimal(999)
BTC_LEFT: Final = Decimal("997.5")  # after the one 1.5 BTC withdrawal that is accepted
USDT_DEPOSIT: Final = Decimal(10000)
# 1Konto's market: the account's fee is in every price it sees.
FEE: Final = Decimal("0.0005")
USDT_USD_BOOK: Final = {"bids": [("0.9995", "100000")], "asks": [("1.0005", "100000")]}
BTC_USDT_BOOK: Final = {"bids": [("24000", "2")], "asks": [("24210", "2")]}
QUOTE_SIZE: Final = "5000 USDT"
QUOTE_PROCEEDS: Final = Decimal("4995.00125")  # 5000 at 0.9995 less 0.05 %: 0.99900025
MARKET_ORDER: Final = "2422.2105 USDT"  # 0.1 BTC at 24210 plus 0.05 %: 24222.105
ETH_DEPOSIT: Final = Decimal(1)
# 1 ETH less 0.00202 (0.002 with its held fee) and 0.012..0.015 ETH with their fees (0.05431).
ETH_LEFT: Final = Decimal("0.94367")
USD_DEPOSIT: Final = Decimal(2500)
USD_CREDIT: Final = Decimal(2000)
READ_NEXT: Final = (
    "README.md 'Quickstart': the same calls against the real APIs",
    "README.md 'Errors': what to catch, and what to do after OutcomeUnknown",
    "README.md 'Retries, and when a withdrawal is never re-sent'",
    "README.md 'Testing your code with withdrawkit.testing': these fakes in your own suite",
    "help(wk.OneKontoClient), help(wk.RipioClient): every argument and method",
)


class DemoFailure(Exception):
    """A step did not behave the way the demo says it does."""


def expect(condition: bool, failure: str) -> None:
    if not condition:
        raise DemoFailure(failure)


def step(title: str) -> None:
    print(f"\n== {title}")


def say(text: str) -> None:
    print(f"   {text}")


def poll(fetch: Callable[[], T], is_done: Callable[[T], bool], describe: Callable[[T], str]) -> T:
    """Fetch until ``is_done``, at most MAX_POLLS times, narrating each answer."""
    for attempt in range(1, MAX_POLLS + 1):
        current = fetch()
        say(f"poll {attempt}: {describe(current)}")
        if is_done(current):
            return current
        time.sleep(POLL_PAUSE_SECONDS)
    raise DemoFailure(f"still not done after {MAX_POLLS} polls")


def onekonto_walk(fake: FakeOneKonto, client: wk.OneKontoClient) -> None:
    step(f"1Konto: log in as {fake.user} and read the balances")
    say("The password crosses the wire only as its SHA-256 hex digest.")
    account = client.get_account()
    for asset, balance in sorted(account.balances.items()):
        say(f"{asset}: free {balance.free}, locked {balance.locked}, available {balance.available}")
    usd = account.balances["USD"]
    credit = -usd.limit
    say("free is what the account owns, locked what its pending withdrawals hold.")
    say(f"USD available {usd.available} = free {usd.free} + the {credit} USD credit line 1Konto")
    say(f"extends to this account (its limit, {usd.limit}). Credit pays for trades only:")
    say("a withdrawal draws on free.")
    expect(
        account.balances["BTC"].free == BTC_DEPOSIT, f"the account should hold {BTC_DEPOSIT} BTC"
    )
    expect(usd.available == USD_DEPOSIT + USD_CREDIT, "available should be free plus the credit")

    step("1Konto: withdraw 1.5 BTC to a whitelisted wallet")
    receipt = client.request_withdraw_blockchain(
        "1.5 BTC", network="bitcoin", address=WALLET, instructions=["demo payout"]
    )
    say(f"withdraw request {receipt.withdraw_request_id} is {receipt.request_status}")
    expect(receipt.request_status == "pending", "a new withdrawal should be pending")

    step("1Konto: poll the request until it completes")
    done = poll(
        lambda: client.query_withdraw_requests(withdraw_request_id=receipt.withdraw_request_id)[0],
        lambda request: request.request_status == "completed",
        lambda request: f"{request.amount} to {request.address}: {request.request_status}",
    )
    expect(done.amount == wk.Amount.parse("1.5 BTC"), "the request should be for 1.5 BTC")
    btc = client.get_account().balances["BTC"]
    say(f"BTC now: free {btc.free}, locked {btc.locked}")
    expect(btc.free == BTC_LEFT and btc.locked == 0, "1.5 BTC should have left")

    step("1Konto: ask for more than the account holds")
    try:
        client.request_withdraw_blockchain("1100 BTC", network="bitcoin", address=WALLET)
    except wk.InsufficientFunds as refused:
        say(f"InsufficientFunds: requested {refused.requested}, available {refused.available}")
        expect(refused.available == wk.Amount(BTC_LEFT, "BTC"), f"{BTC_LEFT} BTC should be left")
    else:
        raise DemoFailure("withdrawing 1100 BTC should have raised InsufficientFunds")

    step("1Konto: withdraw to a wallet that is not whitelisted")
    try:
        client.request_withdraw_blockchain("1 BTC", network="bitcoin", address="bc1qstranger")
    except wk.ValidationFailed as refused:
        for field, problem in refused.field_errors.items():
            say(f"ValidationFailed: {field}: {problem}")
        expect("Address" in refused.field_errors, "the address should be named")
    else:
        raise DemoFailure("an unknown wallet should have raised ValidationFailed")
    expect(len(fake.withdraw_requests()) == 1, "only the first withdrawal should exist")
    btc = client.get_account().balances["BTC"]
    say(f"refusals move no money: BTC free {btc.free}, locked {btc.locked}")
    expect(btc.free == BTC_LEFT and btc.locked == 0, f"{BTC_LEFT} BTC should be left")


def onekonto_trading_walk(fake: FakeOneKonto, client: wk.OneKontoClient) -> None:
    step("1Konto: the market, inclusive of the account's fees")
    for pair, top in client.get_top_of_book(["USDT/USD", "BTC/USDT"]).items():
        if top.bid is not None and top.ask is not None:
            say(f"{pair}: bid {top.bid[0]} x {top.bid[1]}, ask {top.ask[0]} x {top.ask[1]}")

    step(f"1Konto: ask for a quote on {QUOTE_SIZE} and accept its sell leg")
    quote = client.request_quote(QUOTE_SIZE, asset_pair="USDT/USD", client_order_id="demo-rfq-1")
    if quote.sell is None or quote.buy is None:
        raise DemoFailure("a quote should have two legs")
    say(f"quote {quote.order_id}, firm until {quote.sell.expires_at.isoformat()}")
    say(f"sell {quote.sell.source} for {quote.sell.destination} at {quote.sell.price}")
    say(f"buy {quote.buy.destination} for {quote.buy.source} at {quote.buy.price}")
    filled = client.accept_quote(quote.order_id, side="sell")
    say(_fill_line("quote accepted", filled))
    result = filled.result
    expect(
        result is not None and result.total == wk.Amount(QUOTE_PROCEEDS, "USD"),
        f"the quote should give {QUOTE_PROCEEDS} USD",
    )

    step(f"1Konto: a market order selling {MARKET_ORDER} for BTC")
    order = client.place_market_order(MARKET_ORDER, destination="BTC")
    say(_fill_line("market order", order))
    result = order.result
    expect(
        result is not None and result.total == wk.Amount.parse("0.1 BTC"),
        "the market order should buy 0.1 BTC",
    )
    for asset in ("USDT", "USD", "BTC"):
        say(f"{asset} now: free {fake.balance(asset).free}")
    usdt_left = USDT_DEPOSIT - Decimal(5000) - wk.Amount.parse(MARKET_ORDER).value
    expect(fake.balance("USDT").free == usdt_left, f"{usdt_left} USDT should be left")
    ledger = client.get_transactions(type="trade")
    say(
        f"the ledger booked {len(ledger)} trade entries: {', '.join(str(e.amount) for e in ledger)}"
    )
    expect(len(ledger) == 4, "two fills make four ledger entries")


def _fill_line(what: str, order: wk.Order) -> str:
    result = order.result
    if result is None:
        return f"{what} {order.order_id}: no result"
    return (
        f"{what} {order.order_id}: {result.status}, {order.size} -> {result.total}"
        f" at {result.price}"
    )


def ripio_walk(fake: FakeRipio, client: wk.RipioClient) -> None:
    step(f"Ripio: hold a fee for withdrawing 0.002 ETH for end user {fake.end_user}")
    fee = client.create_withdrawal_fee("0.002 ETH", network="ethereum")
    say(f"fee {fee.id}: gas {fee.gas_price} + service {fee.fee} = {fee.total_fee} ETH")
    say(f"held until {fee.expires_at.isoformat()}; {fee.total_amount} ETH will be debited")
    expect(fee.total_amount == Decimal("0.00202"), "0.002 ETH + 0.00002 fee")

    step("Ripio: withdraw with the held fee")
    created = client.create_withdrawal(
        "0.002 ETH",
        end_user=fake.end_user,
        address=ETH_ADDRESS,
        network="ETHEREUM",
        withdrawal_fee_id=fee.id,
        external_ref="demo-payout-1",
    )
    say(f"withdrawal {created.id} is {created.status}, debited {created.debited_amount} ETH")
    expect(created.debited_amount == Decimal("0.00202"), "amount plus the held fee")

    step("Ripio: poll the withdrawal until it completes")
    done = poll(
        lambda: client.get_withdrawal(created.id),
        lambda withdrawal: withdrawal.status == "COMPLETED",
        lambda withdrawal: f"{withdrawal.amount} {withdrawal.currency}: {withdrawal.status}",
    )
    say(f"on chain as {done.txn_hash}")
    expect(done.txn_hash is not None, "a completed withdrawal has a hash")

    step("Ripio: more withdrawals, then list them all")
    for number in range(2, 6):
        client.create_withdrawal(
            f"0.01{number} ETH",
            end_user=fake.end_user,
            address=ETH_ADDRESS,
            network="ETHEREUM",
            external_ref=f"demo-payout-{number}",
        )
    say(f"list_withdrawals() fetches the pages ({fake.page_size} withdrawals each) as you iterate")
    listed = list(client.list_withdrawals())
    for withdrawal in listed:
        amount = f"{withdrawal.amount} {withdrawal.currency}"
        say(f"{withdrawal.external_ref}: {amount} {withdrawal.status}")
    pages = [seen.request.query_value("page") for seen in fake.calls("listWithdrawals")]
    say(f"pages fetched: {', '.join(page or '1' for page in pages)}")
    expect(len(listed) == 5, "all five withdrawals should be listed")
    expect(len(pages) == 3, "five withdrawals in pages of two make three pages")
    debited = sum((withdrawal.debited_amount or Decimal(0) for withdrawal in listed), Decimal(0))
    balance = fake.balance(fake.end_user, "ETH")
    say(
        f"{fake.end_user} has {balance} ETH left: "
        f"{ETH_DEPOSIT} ETH less {debited.normalize():f} ETH debited"
    )
    expect(balance == ETH_DEPOSIT - debited, "the balance should be the deposit less the debits")
    expect(balance == ETH_LEFT, f"{ETH_LEFT} ETH should be left")


@contextmanager
def webhook_handler(public_key_pem: str) -> Iterator[tuple[str, list[RipioWebhookEvent]]]:
    """A webhook endpoint as a partner writes one: verify, then act; 400 for a bad signature."""
    verifier = RipioWebhookVerifier(public_key_pem)
    events: list[RipioWebhookEvent] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw_body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                event = verifier.verify_request(raw_body, dict(self.headers.items()))
            except wk.InvalidSignature as refusal:
                say(f"handler refused a POST: {refusal}")
                self.send_response(400)
            else:
                events.append(event)
                say(f"handler verified {event.event_type} for {describe_payload(event)}")
                self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """The demo narrates instead."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ripio/webhooks", events
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def describe_payload(event: RipioWebhookEvent) -> str:
    payload = event.payload
    if isinstance(payload, (wk.FiatDeposit, wk.FiatWithdrawal)):
        return f"{payload.amount} {payload.currency_code} of {payload.end_user_id}"
    if isinstance(payload, wk.Withdrawal):
        return f"{payload.amount} {payload.currency} of {payload.end_user_id}"
    return "an event withdrawkit does not type"


def post_to(url: str, body: bytes, signature: str) -> int:
    host, _, port = url.removeprefix("http://").partition("/")[0].partition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT[1])
    try:
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: signature}
        connection.request("POST", "/ripio/webhooks", body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def ripio_webhooks_walk(fake: FakeRipio, client: wk.RipioClient) -> None:
    step("Ripio: signed webhooks, verified by a handler on this machine")
    with webhook_handler(fake.webhook_public_key_pem) as (url, events):
        say(f"the fake POSTs each change of status to {url}, signed with its P-256 key")
        fake.deliver_webhooks_to(url)
        fake.deposit_fiat(fake.end_user, "12345.67 ARS")
        account = fake.add_beneficiary_account(fake.end_user)
        paid = client.create_fiat_withdrawal(
            "10000 ARS", end_user=fake.end_user, beneficiary_fiat_account_id=account
        )
        fake.complete(paid.id)
        expect(
            [event.event_type for event in events]
            == ["FIAT_DEPOSIT.COMPLETED", "FIAT_WITHDRAWAL.PENDING", "FIAT_WITHDRAWAL.COMPLETED"],
            "the handler should have verified three events",
        )
        last = fake.webhook_deliveries[-1]
        tampered = last.body.replace(b'"10000"', b'"90000"')
        status = post_to(url, tampered, last.signature)
        say(f"a tampered copy of the last webhook was answered {status}")
        expect(status == 400 and len(events) == 3, "a tampered body must be refused")
        fake.deliver_webhooks_to(None)
    balance = fake.balance(fake.end_user, "ARS")
    say(f"{fake.end_user} has {balance} ARS left")
    expect(balance == Decimal("2345.67"), "12345.67 ARS in, 10000 ARS out")


def summary(fakes: dict[str, FakeProvider[Any]]) -> None:
    step("What the fakes saw: each operation (as fake.faults and fake.calls() name it) and count")
    for name, fake in fakes.items():
        counts = Counter(seen.operation for seen in fake.received)
        listed = ", ".join(f"{operation} x{count}" for operation, count in counts.items())
        say(f"{name}: {listed}")


def read_next() -> None:
    step("What to read next")
    for pointer in READ_NEXT:
        say(pointer)


def main() -> int:
    started = time.monotonic()
    onekonto = FakeOneKonto(pending_polls=2)
    onekonto.deposit(wk.Amount(BTC_DEPOSIT, "BTC"))
    onekonto.deposit(wk.Amount(USD_DEPOSIT, "USD"))
    onekonto.set_credit_limit(wk.Amount(USD_CREDIT, "USD"))
    onekonto.whitelist_wallet("bitcoin", WALLET)
    onekonto.deposit(wk.Amount(USDT_DEPOSIT, "USDT"))
    onekonto.set_fee(FEE)
    onekonto.set_book("USDT/USD", **USDT_USD_BOOK)
    onekonto.set_book("BTC/USDT", **BTC_USDT_BOOK)
    ripio = FakeRipio(pending_polls=1, page_size=2)
    ripio.deposit(ripio.end_user, wk.Amount(ETH_DEPOSIT, "ETH"))
    try:
        with onekonto.serve() as onekonto_url, ripio.serve() as ripio_url:
            print("withdrawkit demo: both providers are faked on this machine")
            print(f"  1Konto at {onekonto_url}")
            print(f"  Ripio  at {ripio_url}")
            with onekonto.client(timeout=TIMEOUT) as client:
                onekonto_walk(onekonto, client)
                onekonto_trading_walk(onekonto, client)
            with ripio.client(timeout=TIMEOUT) as client:
                ripio_walk(ripio, client)
                ripio_webhooks_walk(ripio, client)
            summary({"1Konto": onekonto, "Ripio": ripio})
            read_next()
    except (DemoFailure, wk.WithdrawKitError) as failure:
        print(f"\nDEMO FAILED: {type(failure).__name__}: {failure}", file=sys.stderr)
        return 1
    print(f"\nDone in {time.monotonic() - started:.1f}s: every step behaved as described.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
