"""The README's marked examples (testing with withdrawkit.testing; reconciling an
OutcomeUnknown) run and pass, its webhook handler acts once on an event however often it
arrives, and the fault operation names it lists are the ones the fakes serve."""

from __future__ import annotations

import base64
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final

import pytest
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from tests.testing.user_suite import ROOT, run_user_suite
from withdrawkit.testing import FakeOneKonto, FakeRipio
from withdrawkit.webhooks import SIGNATURE_HEADER, RipioWebhookVerifier

EXAMPLE = re.compile(
    r"<!-- readme-example: start -->\n```python\n(?P<code>.*?)```\n<!-- readme-example: end -->",
    re.S,
)
OPERATIONS = re.compile(
    r"<!-- fake-operations: start -->\n(?P<list>.*?)<!-- fake-operations: end -->", re.S
)


EXAMPLES = EXAMPLE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_its_marked_examples() -> None:
    # The testing section's, and the OutcomeUnknown section's (reconcile).
    assert len(EXAMPLES) == 2, "the README lost a marked example"


@pytest.mark.parametrize("code", EXAMPLES, ids=["testing", "outcome-unknown"][: len(EXAMPLES)])
def test_each_readme_example_passes(tmp_path: Path, code: str) -> None:
    (tmp_path / "test_readme_example.py").write_text(code, encoding="utf-8")

    result = run_user_suite(tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    tests = len(re.findall(r"^def test_", code, re.M))
    assert tests > 0
    assert f"{tests} passed" in result.stdout


def test_the_readme_lists_every_operation_each_fake_serves() -> None:
    match = OPERATIONS.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match is not None, "the README lost its marked list of fake operations"
    listed: dict[str, list[str]] = {}
    for item in re.split(r"\n- ", "\n" + match["list"].strip())[1:]:
        name, names = item.split(":", 1)
        listed[name.strip("` ")] = re.findall(r"`([A-Za-z]+)`", names)
    assert listed == {
        "FakeOneKonto": FakeOneKonto().operations,
        "FakeRipio": FakeRipio().operations,
    }


# -- the webhooks section's handler ----------------------------------------------------------------

WEBHOOK_EXAMPLE = re.compile(
    r"<!-- readme-webhook-example: start -->\n```python\n(?P<code>.*?)```\n"
    r"<!-- readme-webhook-example: end -->",
    re.S,
)
# The order n of P-256's base point: (r, n - s) verifies wherever (r, s) does.
P256_ORDER: Final = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551

Handler = Callable[[bytes, Mapping[str, str]], int]


def readme_webhook_handler(public_key_pem: str, credits: list[tuple[str, Decimal]]) -> Handler:
    """The README's ``handle_ripio_webhook``, run as written, ``credit`` recording its calls."""
    match = WEBHOOK_EXAMPLE.search((ROOT / "README.md").read_text(encoding="utf-8"))
    assert match is not None, "the README lost its marked webhook example"

    def credit(end_user: str, amount: Decimal) -> None:
        credits.append((end_user, amount))

    namespace: dict[str, Any] = {"RIPIO_PUBLIC_KEY_PEM": public_key_pem, "credit": credit}
    exec(compile(match["code"], "README.md", "exec"), namespace)  # noqa: S102 - our README
    handler: Handler = namespace["handle_ripio_webhook"]
    return handler


@contextmanager
def endpoint(handler: Handler) -> Iterator[str]:
    """``handler`` behind a loopback URL, as a web framework would serve it."""

    class Served(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw_body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            self.send_response(handler(raw_body, dict(self.headers.items())))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test asserts what was credited."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Served)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hooks/ripio"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def reencoded(signature: str) -> list[str]:
    """Other encodings of one valid signature that verify too: raw ``r || s``, and the DER of
    its high-s twin ``(r, n - s)``."""
    r, s = decode_dss_signature(base64.b64decode(signature))
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    twin = encode_dss_signature(r, P256_ORDER - s)
    return [base64.b64encode(raw).decode(), base64.b64encode(twin).decode()]


def test_the_readme_webhook_handler_acts_once_on_an_event_replayed_or_re_encoded() -> None:
    fake = FakeRipio()
    credits: list[tuple[str, Decimal]] = []
    handler = readme_webhook_handler(fake.webhook_public_key_pem, credits)
    with endpoint(handler) as url:
        fake.deliver_webhooks_to(url)
        fake.deposit_fiat("customer_10", "12345.67 ARS")
        fake.deposit_fiat("customer_10", "10 ARS")
    first, second = fake.webhook_deliveries
    assert (first.status, second.status) == (200, 200)
    assert credits == [("customer_10", Decimal("12345.67")), ("customer_10", Decimal("10"))]

    verifier = RipioWebhookVerifier(fake.webhook_public_key_pem)
    for signature in [first.signature, *reencoded(first.signature)]:
        # Each verifies, so only the handler's own record can tell it was acted on already.
        assert verifier.verify(first.body, signature).event_type == "FIAT_DEPOSIT.COMPLETED"
        assert handler(first.body, {SIGNATURE_HEADER: signature}) == 200
    assert len(set(reencoded(first.signature)) | {first.signature}) == 3
    assert credits == [("customer_10", Decimal("12345.67")), ("customer_10", Decimal("10"))]

    tampered = first.body.replace(b"12345.67", b"99999.99")
    assert handler(tampered, {SIGNATURE_HEADER: first.signature}) == 400
    other_event = (
        b'{"event_type":"KYC.COMPLETED","issued_datetime":"2025-02-14T15:11:47Z",'
        b'"payload":{"end_user_id":"customer_10"}}'
    )
    assert handler(other_event, {SIGNATURE_HEADER: fake.sign_webhook(other_event)}) == 200
    assert len(credits) == 2
