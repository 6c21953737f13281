"""withdrawkit.webhooks: the signature is checked over the raw bytes before anything is read,
and the IPN envelope becomes a typed event (unknown event types kept raw).

Signatures are made here with keys generated for the test (Ripio's key is not public); the body
of the documented example is the vendor's IPN example, serialised compactly as Ripio does.
"""

from __future__ import annotations

import base64
import json
import logging
import pickle
import tracemalloc
from decimal import Decimal
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import given
from hypothesis import strategies as st

import withdrawkit as wk
from withdrawkit import _wire_json as wire_json
from withdrawkit._webhook_events import _WINDOW, MAX_BODY_BYTES, nesting_depth
from withdrawkit.webhooks import SIGNATURE_HEADER, RipioWebhookVerifier

# The IPN webhook example of Ripio's docs (https://docs.ripio.com/webhooks/ipn-webhooks), verbatim.
VENDOR_EVENT: dict[str, Any] = {
    "event_type": "FIAT_DEPOSIT.COMPLETED",
    "issued_datetime": "2025-02-14T15:11:47.910383Z",
    "payload": {
        "id": "8142b065-79c4-4f48-9e33-11b17bc658d4",
        "created_at": "2024-04-23T14:48:33.895551Z",
        "updated_at": "2024-04-23T14:49:25.342111Z",
        "currency_code": "ARS",
        "end_user_id": "customer_10",
        "amount": "12345.67",
        "status": "COMPLETED",
        "refunded": False,
        "refund_fiat_withdrawal_id": None,
        "origin_account_identifier": "0000465160000000100092",
        "origin_account_holder_id": "20388003629",
        "origin_account_holder_name": "Carlos Pineda",
    },
}

KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_KEY = ec.generate_private_key(ec.SECP256R1())


def pem(key: Any) -> str:
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return str(public.decode("ascii"))


def compact(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def wk_dumps(value: Any) -> bytes:
    """Compact JSON with Decimals written exactly."""
    return wire_json.dumps(value).encode()


def nested(depth: int) -> Any:
    """Arrays nested ``depth`` deep: ``nested(2) == [[]]``."""
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


def sign(body: bytes, key: ec.EllipticCurvePrivateKey = KEY) -> str:
    return base64.b64encode(key.sign(body, ec.ECDSA(hashes.SHA256()))).decode()


@pytest.fixture
def verifier() -> RipioWebhookVerifier:
    return RipioWebhookVerifier(pem(KEY))


def test_the_vendor_example_verifies_and_its_payload_is_a_typed_fiat_deposit(
    verifier: RipioWebhookVerifier,
) -> None:
    body = compact(VENDOR_EVENT)

    event = verifier.verify(body, sign(body))

    assert event.event_type == "FIAT_DEPOSIT.COMPLETED"
    assert event.object_type == "FIAT_DEPOSIT"
    assert event.issued_datetime.tzinfo is not None
    assert event.typed
    assert isinstance(event.payload, wk.FiatDeposit)
    assert event.payload.amount == Decimal("12345.67")
    assert event.payload.status == wk.FiatDepositStatus.COMPLETED
    assert event.body["payload"]["origin_account_holder_name"] == "Carlos Pineda"


def test_a_tampered_body_is_refused(verifier: RipioWebhookVerifier) -> None:
    body = compact(VENDOR_EVENT)
    signature = sign(body)
    tampered = body.replace(b"12345.67", b"99345.67")

    with pytest.raises(wk.InvalidSignature, match="does not match"):
        verifier.verify(tampered, signature)


def test_the_same_json_reformatted_is_refused_the_signature_covers_bytes(
    verifier: RipioWebhookVerifier,
) -> None:
    body = compact(VENDOR_EVENT)

    with pytest.raises(wk.InvalidSignature):
        verifier.verify(json.dumps(VENDOR_EVENT).encode(), sign(body))


def test_a_signature_by_another_key_is_refused(verifier: RipioWebhookVerifier) -> None:
    body = compact(VENDOR_EVENT)

    with pytest.raises(wk.InvalidSignature):
        verifier.verify(body, sign(body, OTHER_KEY))


@pytest.mark.parametrize(
    "header",
    [None, "", "   "],
    ids=["absent", "empty", "blank"],
)
def test_a_missing_signature_is_refused(verifier: RipioWebhookVerifier, header: str | None) -> None:
    with pytest.raises(wk.InvalidSignature, match="no signature"):
        verifier.verify(compact(VENDOR_EVENT), header)


def test_a_truncated_signature_is_refused(verifier: RipioWebhookVerifier) -> None:
    body = compact(VENDOR_EVENT)
    signature = sign(body)

    for cut in (4, len(signature) // 2, len(signature) - 4):
        with pytest.raises(wk.InvalidSignature):
            verifier.verify(body, signature[:cut])


@pytest.mark.parametrize(
    "header",
    ["not base64!", "QUJD" * 100, base64.b64encode(b"\x30\x02\x02\x00").decode(), "=="],
    ids=["not-base64", "too-long", "bad-der", "padding-only"],
)
def test_a_malformed_signature_is_refused(verifier: RipioWebhookVerifier, header: str) -> None:
    with pytest.raises(wk.InvalidSignature):
        verifier.verify(compact(VENDOR_EVENT), header)


def test_nothing_is_parsed_before_the_check(verifier: RipioWebhookVerifier) -> None:
    # An unreadable body with a bad signature is a signature problem, never a parse error.
    with pytest.raises(wk.InvalidSignature):
        verifier.verify(b"<html>not json", sign(b"something else"))


def test_a_raw_r_s_signature_is_accepted_as_well_as_der(verifier: RipioWebhookVerifier) -> None:
    body = compact(VENDOR_EVENT)
    r, s = decode_dss_signature(KEY.sign(body, ec.ECDSA(hashes.SHA256())))
    raw = base64.b64encode(r.to_bytes(32, "big") + s.to_bytes(32, "big")).decode()

    assert verifier.verify(body, raw).event_type == "FIAT_DEPOSIT.COMPLETED"
    with pytest.raises(wk.InvalidSignature):
        verifier.verify(body + b" ", raw)


def test_verify_request_finds_the_header_in_any_case(verifier: RipioWebhookVerifier) -> None:
    body = compact(VENDOR_EVENT)
    signature = sign(body)

    for name in (SIGNATURE_HEADER, SIGNATURE_HEADER.lower(), "X-SIGNATURE-ECDSA-SHA256"):
        headers = {"Content-Type": "application/json", name: signature}
        assert verifier.verify_request(body, headers).event_type == "FIAT_DEPOSIT.COMPLETED"
    with pytest.raises(wk.InvalidSignature, match="no signature"):
        verifier.verify_request(body, {"Content-Type": "application/json"})


def test_two_different_signature_headers_are_refused(verifier: RipioWebhookVerifier) -> None:
    body = compact(VENDOR_EVENT)
    headers = {SIGNATURE_HEADER: sign(body), SIGNATURE_HEADER.lower(): sign(b"other")}

    with pytest.raises(wk.InvalidSignature, match="more than once"):
        verifier.verify_request(body, headers)


def test_the_body_must_be_the_raw_bytes(verifier: RipioWebhookVerifier) -> None:
    body = compact(VENDOR_EVENT)
    with pytest.raises(TypeError, match="raw bytes"):
        verifier.verify(body.decode(), sign(body))  # type: ignore[arg-type]
    assert verifier.verify(bytearray(body), sign(body)).typed
    assert verifier.verify(memoryview(body), sign(body)).typed


def test_invalid_signature_is_a_withdrawkit_error() -> None:
    assert issubclass(wk.InvalidSignature, wk.WithdrawKitError)
    assert not issubclass(wk.InvalidSignature, wk.APIError)


@pytest.mark.parametrize(
    ("event_type", "payload"),
    [
        ("KYC.COMPLETED", {"end_user_id": "customer_10", "level": 2}),
        ("FIAT_ACCOUNT.ENABLED", {"fiat_account_id": "x", "amount": Decimal("1.10")}),
        ("SOMETHING_NEW", {"anything": [1, 2]}),
    ],
)
def test_an_unknown_event_type_is_kept_raw(
    verifier: RipioWebhookVerifier, event_type: str, payload: dict[str, Any]
) -> None:
    envelope = {"event_type": event_type, "issued_datetime": "2025-02-14T15:11:47Z"}
    body = wk_dumps({**envelope, "payload": payload})

    event = verifier.verify(body, sign(body))

    assert not event.typed
    assert event.payload == payload


def test_a_fiat_withdrawal_event_is_typed(verifier: RipioWebhookVerifier) -> None:
    payload = {
        "id": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
        "transaction_id": "0fec1e58-b197-4052-99cf-2218496c5482",
        "created_at": "2019-08-24T14:15:22Z",
        "updated_at": "2019-08-24T14:15:22Z",
        "end_user_id": "customer_10",
        "amount": "12345.67",
        "currency_code": "ARS",
        "status": "COMPLETED",
        "external_ref": "ac243840-ac04-4b3a-9efb-176554d4a029",
        "beneficiary_fiat_account_id": "4123e456-e89b-12d3-a456-4bedc4266abc",
        "is_fiat_deposit_refund": False,
        "refunded_fiat_deposit": None,
    }
    envelope = {
        "event_type": "FIAT_WITHDRAWAL.COMPLETED",
        "issued_datetime": "2025-02-14T15:11:47Z",
    }
    body = compact({**envelope, "payload": payload})

    event = verifier.verify(body, sign(body))

    assert isinstance(event.payload, wk.FiatWithdrawal)
    assert event.payload.status == wk.FiatWithdrawalStatus.COMPLETED


@pytest.mark.parametrize(
    "event_type",
    ["WITHDRAWAL.COMPLETED", "FIAT_WITHDRAWAL.COMPLETED"],
)
def test_an_inferred_payload_of_another_shape_is_kept_raw_not_refused(
    verifier: RipioWebhookVerifier, event_type: str, caplog: pytest.LogCaptureFixture
) -> None:
    payload = {"withdrawal_id": "497f6eca", "status": "COMPLETED", "txn_hash": "0xabc"}
    envelope = {"event_type": event_type, "issued_datetime": "2025-02-14T15:11:47Z"}
    body = compact({**envelope, "payload": payload})

    with caplog.at_level(logging.WARNING, logger="withdrawkit._webhook_events"):
        event = verifier.verify(body, sign(body))

    assert not event.typed
    assert event.payload == payload
    assert f"{event_type} kept raw" in caplog.text


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"event_type": "FIAT_DEPOSIT.COMPLETED"}',
        b'{"event_type": "FIAT_DEPOSIT.COMPLETED", "issued_datetime": "2025-02-14T15:11:47Z",'
        b' "payload": {"id": "x"}}',
    ],
    ids=["not-json", "not-an-object", "no-payload", "payload-not-a-fiat-deposit"],
)
def test_an_authentic_body_that_is_not_the_envelope_is_unexpected(
    verifier: RipioWebhookVerifier, body: bytes
) -> None:
    with pytest.raises(wk.UnexpectedResponse, match="ripio webhook"):
        verifier.verify(body, sign(body))


def test_the_key_must_be_a_p256_public_key() -> None:
    with pytest.raises(wk.InvalidArgument, match="not a PEM public key"):
        RipioWebhookVerifier("-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")
    with pytest.raises(wk.InvalidArgument, match="P-256"):
        RipioWebhookVerifier(pem(ec.generate_private_key(ec.SECP384R1())))
    with pytest.raises(wk.InvalidArgument, match="P-256"):
        RipioWebhookVerifier(pem(ed25519.Ed25519PrivateKey.generate()))
    assert (
        RipioWebhookVerifier(pem(KEY).encode())
        .verify(compact(VENDOR_EVENT), sign(compact(VENDOR_EVENT)))
        .typed
    )


def test_the_verifier_shows_no_key_material() -> None:
    assert repr(RipioWebhookVerifier(pem(KEY))) == "RipioWebhookVerifier(ECDSA P-256 / SHA-256)"


def test_invalid_signature_pickles_under_its_public_name() -> None:
    refusal = wk.InvalidSignature("the webhook signature does not match")
    restored = pickle.loads(pickle.dumps(refusal))  # noqa: S301 - our own bytes
    assert type(restored) is wk.InvalidSignature
    assert str(restored) == "the webhook signature does not match"


def test_an_event_pickles_under_its_public_module(verifier: RipioWebhookVerifier) -> None:
    body = compact(VENDOR_EVENT)
    event = verifier.verify(body, sign(body))
    pickled = pickle.dumps(event)
    assert b"withdrawkit._webhook" not in pickled
    assert pickle.loads(pickled) == event  # noqa: S301 - our own bytes
    assert RipioWebhookVerifier.__module__ == "withdrawkit.webhooks"


def test_a_header_that_is_not_text_is_a_type_error_and_ascii_bytes_are_read(
    verifier: RipioWebhookVerifier,
) -> None:
    body = compact({"event_type": "X.Y", "issued_datetime": "2025-02-14T15:11:47Z", "payload": {}})
    with pytest.raises(TypeError, match="signature header must be str"):
        verifier.verify(body, 5)  # type: ignore[arg-type]
    with pytest.raises(wk.InvalidSignature, match="not ASCII"):
        verifier.verify(body, "é".encode() + sign(body).encode())  # type: ignore[arg-type]

    event = verifier.verify(body, sign(body).encode("ascii"))  # type: ignore[arg-type]

    assert event.event_type == "X.Y"


# -- an authentic body is still untrusted input ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b"{" + b'"a":{' * 100_000 + b"}" * 100_001,
        # Deep, yet shallow enough for json to parse without a RecursionError.
        compact({**VENDOR_EVENT, "payload": {"id": "x", "deep": nested(500)}}),
    ],
    ids=["arrays", "objects", "deep-payload"],
)
def test_a_deeply_nested_authentic_body_is_unexpected_not_a_recursion_error(
    verifier: RipioWebhookVerifier, body: bytes
) -> None:
    with pytest.raises(wk.UnexpectedResponse, match="nested more than 64 deep") as raised:
        verifier.verify(body, sign(body))

    assert raised.value.http_status is None
    assert len(str(raised.value.body)) <= 2000


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16", "utf-32"])
def test_a_deep_body_in_another_unicode_encoding_is_not_json_not_a_recursion_error(
    verifier: RipioWebhookVerifier, encoding: str
) -> None:
    # json.loads(bytes) reads UTF-16 and UTF-32 too, where a byte scan sees no bracket nesting.
    body = ('["\u2260",' + "[" * 100_000 + "]" * 100_000 + "]").encode(encoding)

    with pytest.raises(wk.UnexpectedResponse, match="not JSON") as raised:
        verifier.verify(body, sign(body))

    assert raised.value.http_status is None
    assert len(str(raised.value.body)) <= 2000


def test_nesting_up_to_the_limit_is_read_and_brackets_in_strings_do_not_count(
    verifier: RipioWebhookVerifier,
) -> None:
    # The envelope and payload are two levels; 62 more reach the limit exactly.
    text = '[[[{{{"\\"]]]}}}' * 50
    payload = {"id": "x", "deep": nested(62), "note": text, "escaped": '\\"[[[' * 50}
    body = compact({**VENDOR_EVENT, "event_type": "KYC.COMPLETED", "payload": payload})

    event = verifier.verify(body, sign(body))

    assert event.payload == payload
    deeper = compact({**VENDOR_EVENT, "event_type": "KYC.COMPLETED", "payload": {"d": nested(63)}})
    with pytest.raises(wk.UnexpectedResponse, match="nested more than 64 deep"):
        verifier.verify(deeper, sign(deeper))


def depth_of(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(depth_of, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(depth_of, value), default=0)
    return 0


# Text full of what could fool a scanner: brackets, quotes, backslashes, escapes.
tricky_text = st.text(alphabet=st.sampled_from('[]{}"\\/,:ab\n\u00e9'), max_size=12)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | tricky_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=40,
)


@given(value=json_values, ensure_ascii=st.booleans(), spaced=st.booleans())
def test_the_nesting_depth_is_the_values_depth_whatever_its_strings_hold(
    value: Any, *, ensure_ascii: bool, spaced: bool
) -> None:
    separators = (", ", ": ") if spaced else (",", ":")
    body = json.dumps(value, ensure_ascii=ensure_ascii, separators=separators).encode()

    assert nesting_depth(body) == depth_of(value)


def test_a_leading_byte_order_mark_is_still_read(verifier: RipioWebhookVerifier) -> None:
    body = b"\xef\xbb\xbf" + compact(VENDOR_EVENT)

    assert verifier.verify(body, sign(body)).event_type == "FIAT_DEPOSIT.COMPLETED"


@given(value=json_values, offset=st.integers(min_value=-24, max_value=8))
def test_the_nesting_depth_is_exact_across_the_scans_windows(value: Any, offset: int) -> None:
    # Padding puts the value's strings, escapes and brackets across a window's edge.
    padding = "a" * (_WINDOW + offset - 2)
    body = json.dumps([padding, value, "[" * _WINDOW * 2, value]).encode()

    assert nesting_depth(body) == 1 + depth_of(value)


# Bodies that made a regex-based scan use ~70 bytes of memory per byte, or seconds of time.
PATHOLOGICAL_BODIES = {
    "quotes": lambda size: b"[" * 65 + b'"' * size,
    "short-strings": lambda size: b"[" * 65 + b'"a",' * (size // 4),
    "escaped-backslashes": lambda size: b"[" * 65 + b'"' + b"\\\\" * (size // 2) + b'"',
    "escaped-quotes": lambda size: b"[" * 65 + b'"' + b'\\"' * (size // 2) + b'"',
    "bare-backslashes": lambda size: b"[" * 65 + b"\\" * size,
    "strings-with-escapes": lambda size: b"[" * 65 + b'"\\\\a",' * (size // 6),
    "brackets-in-strings": lambda size: b"[" * 65 + b'"a\\"[",' * (size // 8),
}


def peak_memory(call: Any) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("shape", sorted(PATHOLOGICAL_BODIES))
def test_an_authentic_body_over_the_size_limit_is_refused_before_any_scan(
    verifier: RipioWebhookVerifier, shape: str
) -> None:
    body = PATHOLOGICAL_BODIES[shape](20_000_000)
    signature = sign(body)

    def verify() -> None:
        with pytest.raises(wk.UnexpectedResponse, match="over the limit of 1048576") as raised:
            verifier.verify(body, signature)
        assert len(str(raised.value.body)) <= 2000

    assert peak_memory(verify) < 256 * 1024  # no copy of the 20 MB body, no scan


@pytest.mark.parametrize("shape", sorted(PATHOLOGICAL_BODIES))
def test_the_nesting_scan_uses_at_most_one_copy_of_the_body(shape: str) -> None:
    body = PATHOLOGICAL_BODIES[shape](4_000_000)

    # The scan's own working set is bounded by its window, whatever the body's size.
    assert peak_memory(lambda: nesting_depth(body)) < len(body) + 4 * 1024 * 1024


def test_a_body_at_the_size_limit_is_read(verifier: RipioWebhookVerifier) -> None:
    event = {**VENDOR_EVENT, "event_type": "KYC.COMPLETED", "payload": {"note": ""}}
    room = MAX_BODY_BYTES - len(compact(event))
    body = compact({**event, "payload": {"note": "[" * room}})
    assert len(body) == MAX_BODY_BYTES

    assert verifier.verify(body, sign(body)).payload == {"note": "[" * room}
    longer = body[:-3] + b'["}}'
    with pytest.raises(wk.UnexpectedResponse, match="over the limit"):
        verifier.verify(longer, sign(longer))
