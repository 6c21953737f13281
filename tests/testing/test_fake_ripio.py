"""FakeRipio's behaviour through its pure request handler: state, errors, fees, pagination."""

from __future__ import annotations

import base64
import decimal
import logging
from decimal import Decimal

import pytest

from tests.testing.wire import call, ripio_token
from withdrawkit._error_mapping import ErrorResponse, map_ripio_error
from withdrawkit._error_mapping.ripio import CODES
from withdrawkit._exceptions import APIError, AuthenticationFailed, NotFound
from withdrawkit._root_error import InvalidArgument
from withdrawkit.testing import FakeClock, FakeResponse, FakeRipio

NOT_AUTHENTICATED = {
    "code": 40001,
    "type": "NotAuthenticated",
    "detail": {
        "message": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    },
    "status": 403,
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> FakeRipio:
    fake = FakeRipio(clock=clock)
    fake.deposit("customer_10", "2 ETH")
    return fake


@pytest.fixture
def token(fake: FakeRipio) -> str:
    return ripio_token(fake)


def create_fee(fake: FakeRipio, token: str, **fields: object) -> FakeResponse:
    body = {"currency": "ETH", "network": "ethereum", "amount": Decimal("0.002"), **fields}
    return call(fake, "POST", "/api/v1/withdrawal-fees/", json=body, token=token)


def create_withdrawal(fake: FakeRipio, token: str, **fields: object) -> FakeResponse:
    body = {
        "end_user": "customer_10",
        "currency": "ETH",
        "address": "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15",
        "network": "ETHEREUM",
        "amount": Decimal("0.002"),
        **fields,
    }
    return call(fake, "POST", "/api/v1/withdrawals/", json=body, token=token)


def error_of(response: FakeResponse) -> tuple[int, int, str]:
    body = response.json()
    assert body["status"] == response.status
    assert set(body) == {"code", "type", "detail", "status"}
    assert set(body["detail"]) == {"message", "code"}
    return response.status, body["code"], body["detail"]["message"]


# -- the token endpoint ----------------------------------------------------------------------------


def test_token_from_form_fields_has_the_documented_shape(fake: FakeRipio) -> None:
    form = (
        "grant_type=client_credentials"
        f"&client_id={fake.client_id}&client_secret={fake.client_secret}"
    )
    response = call(
        fake,
        "POST",
        "/oauth2/token/",
        body=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    body = response.json()
    assert response.status == 200
    assert body["expires_in"] == 36000
    assert (body["token_type"], body["scope"]) == ("Bearer", "read write")
    assert len(body["access_token"]) == 30


def test_token_with_basic_authentication_and_multipart_form(fake: FakeRipio) -> None:
    credentials = base64.b64encode(f"{fake.client_id}:{fake.client_secret}".encode()).decode()
    multipart = (
        b'--XyZ\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\n'
        b"client_credentials\r\n--XyZ--\r\n"
    )
    response = call(
        fake,
        "POST",
        "/oauth2/token/",
        body=multipart,
        headers={
            "Content-Type": "multipart/form-data; boundary=XyZ",
            "Authorization": f"Basic {credentials}",
        },
    )
    assert response.status == 200, response.body


def test_bad_client_credentials_get_oauth2_invalid_client(fake: FakeRipio) -> None:
    response = call(
        fake,
        "POST",
        "/oauth2/token/",
        body=f"grant_type=client_credentials&client_id={fake.client_id}&client_secret=no".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (response.status, response.json()) == (401, {"error": "invalid_client"})


def test_an_unsupported_grant_is_refused(fake: FakeRipio) -> None:
    response = call(
        fake,
        "POST",
        "/oauth2/token/",
        body=b"grant_type=password",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert (response.status, response.json()) == (400, {"error": "unsupported_grant_type"})


def test_missing_token_is_the_documented_403_body(fake: FakeRipio) -> None:
    response = call(fake, "GET", "/api/v1/withdrawals/")
    assert (response.status, response.json()) == (403, NOT_AUTHENTICATED)


def test_expired_or_unknown_tokens_get_401(fake: FakeRipio, token: str, clock: FakeClock) -> None:
    assert call(fake, "GET", "/api/v1/withdrawals/", token="not-issued").status == 401
    fake.expire_tokens()
    assert error_of(call(fake, "GET", "/api/v1/withdrawals/", token=token))[:2] == (401, 40002)
    fresh = ripio_token(fake)
    clock.advance(seconds=36000)
    assert call(fake, "GET", "/api/v1/withdrawals/", token=fresh).status == 401


# -- withdrawal fees -------------------------------------------------------------------------------


def test_a_held_fee_is_gas_plus_service_fee_like_the_docs_example(
    fake: FakeRipio, token: str
) -> None:
    response = create_fee(fake, token)
    assert response.status == 201
    body = response.json()
    assert {
        key: body[key] for key in ("amount", "gas_price", "fee", "total_fee", "total_amount")
    } == {
        "amount": Decimal("0.002"),
        "gas_price": Decimal("0.00001"),
        "fee": Decimal("0.00001"),
        "total_fee": Decimal("0.00002"),
        "total_amount": Decimal("0.00202"),
    }
    assert body["expires_at"].endswith("Z")


def test_a_withdrawal_with_a_held_fee_debits_amount_plus_that_fee(
    fake: FakeRipio, token: str
) -> None:
    fee_id = create_fee(fake, token).json()["id"]
    response = create_withdrawal(fake, token, withdrawal_fee_id=fee_id, external_ref="order-1")
    assert response.status == 201
    body = response.json()
    assert (body["status"], body["amount"], body["debited_amount"]) == (
        "PENDING",
        "0.002",
        "0.00202",
    )
    assert (body["txn_hash"], body["confirmation_date"], body["external_ref"]) == (
        None,
        None,
        "order-1",
    )
    assert body["network_name"] == "ETHEREUM"
    assert fake.balance("customer_10", "ETH") == Decimal("1.99798")


def test_a_fee_held_by_the_test_under_a_chosen_id_pays_for_that_withdrawal(
    fake: FakeRipio, token: str
) -> None:
    fee_id = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
    assert fake.hold_fee("0.002 ETH", network="ETHEREUM", fee_id=fee_id) == fee_id
    held = create_fee(fake, token).json()
    assert [fee.id for fee in fake.held_fees()] == [fee_id, held["id"]]
    response = create_withdrawal(fake, token, withdrawal_fee_id=fee_id)
    assert response.status == 201
    assert response.json()["debited_amount"] == str(Decimal("0.002") + Decimal(held["total_fee"]))
    assert fake.hold_fee("0.002 ETH", network="ETHEREUM") != fee_id


@pytest.mark.parametrize(
    ("amount", "network", "fee_id", "message"),
    [
        ("1 ETH", "BITCOIN", None, "network 'BITCOIN' is not available for ETH"),
        ("1 DOGE", "DOGECOIN", None, "currency 'DOGE' cannot be withdrawn"),
        ("1 ETH", "ETHEREUM", "taken", "a fee with id 'taken' is already held"),
    ],
)
def test_a_fee_that_cannot_be_held_is_refused_to_the_test(
    fake: FakeRipio, amount: str, network: str, fee_id: str | None, message: str
) -> None:
    fake.hold_fee("1 ETH", network="ETHEREUM", fee_id="taken")
    with pytest.raises(InvalidArgument, match=message):
        fake.hold_fee(amount, network=network, fee_id=fee_id)


def test_a_fee_used_after_expiry_is_refused(fake: FakeRipio, token: str, clock: FakeClock) -> None:
    fee_id = create_fee(fake, token).json()["id"]
    clock.advance(seconds=15)
    status, code, message = error_of(create_withdrawal(fake, token, withdrawal_fee_id=fee_id))
    assert (status, code) == (400, 20000)
    assert "expired" in message
    assert fake.balance("customer_10", "ETH") == Decimal(2)


def test_a_fee_for_another_network_or_currency_is_refused(fake: FakeRipio, token: str) -> None:
    fake.deposit("customer_10", "1 BTC")
    fee_id = create_fee(fake, token).json()["id"]
    on_sepolia = create_withdrawal(
        fake, token, withdrawal_fee_id=fee_id, network="ETHEREUM_SEPOLIA"
    )
    in_btc = create_withdrawal(
        fake, token, withdrawal_fee_id=fee_id, currency="BTC", network="BITCOIN"
    )
    for response in (on_sepolia, in_btc):
        status, code, message = error_of(response)
        assert (status, code) == (400, 20000)
        assert "was held for ETH on ETHEREUM" in message
    assert fake.withdrawals() == []


@pytest.mark.parametrize("amount", ["0.003", "0.0019", "1"])
def test_a_fee_held_for_another_amount_is_refused(fake: FakeRipio, token: str, amount: str) -> None:
    # A fee is held for one amount: 0.002 ETH's fee does not pay for another amount.
    fee_id = create_fee(fake, token).json()["id"]
    refused = create_withdrawal(fake, token, withdrawal_fee_id=fee_id, amount=Decimal(amount))
    status, code, message = error_of(refused)
    assert (status, code) == (400, 20000)
    assert f"was held for an amount of 0.002 ETH, not {amount} ETH" in message
    assert fake.withdrawals() == []
    assert fake.balance("customer_10", "ETH") == Decimal(2)
    # The same amount written differently is the same amount.
    same = create_withdrawal(fake, token, withdrawal_fee_id=fee_id, amount="0.0020")
    assert same.status == 201


def test_a_held_fee_serves_one_withdrawal(fake: FakeRipio, token: str) -> None:
    fee_id = create_fee(fake, token).json()["id"]
    assert create_withdrawal(fake, token, withdrawal_fee_id=fee_id).status == 201
    status, code, message = error_of(create_withdrawal(fake, token, withdrawal_fee_id=fee_id))
    assert (status, code) == (400, 20000)
    assert "already used" in message


def test_without_a_held_fee_the_current_fee_applies(fake: FakeRipio, token: str) -> None:
    body = create_withdrawal(fake, token, amount=Decimal(1)).json()
    assert body["debited_amount"] == "1.00501"


# -- refusals --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"amount": Decimal(0)}, "amount: Ensure this value is greater than 0."),
        ({"amount": Decimal("-1.5")}, "amount: Ensure this value is greater than 0."),
        ({"amount": "lots"}, "amount: A valid number is required."),
        ({"network": "LIGHTNING"}, "network 'LIGHTNING' is not available for ETH"),
        ({"currency": "DOGE"}, "currency 'DOGE' cannot be withdrawn"),
        ({"end_user": "nobody"}, "end user 'nobody' does not exist"),
        ({"address": None}, "address: This field is required."),
        ({"address": "0x" + "f" * 127}, "address: at most 128 characters"),
        ({"address": "0x36f6..."}, "address: '0x36f6...' is not an address: only letters and"),
        ({"address": " 0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"}, "address: ' 0x36f6"),
        ({"address": "0x36f6"}, "address: '0x36f6' is not an address on ETHEREUM: '0x' and 40"),
        ({"currency": "eth"}, "currency 'eth' cannot be withdrawn"),
        (
            {"withdrawal_fee_id": "4d9bd2a5-0000-4000-8000-000000000000"},
            "withdrawal fee 4d9bd2a5-0000-4000-8000-000000000000 does not exist",
        ),
    ],
)
def test_invalid_withdrawals_are_20000_validation_errors(
    fake: FakeRipio, token: str, fields: dict[str, object], expected: str
) -> None:
    status, code, message = error_of(create_withdrawal(fake, token, **fields))
    assert (status, code) == (400, 20000)
    assert message.startswith(expected)
    assert fake.balance("customer_10", "ETH") == Decimal(2)


def test_the_vendor_pages_own_example_address_is_not_refused(fake: FakeRipio, token: str) -> None:
    # The Create Withdrawal page sends a 0x address on BITCOIN_TESTNET and is answered 201, so
    # the fake checks addresses only for what no chain would take.
    fake.deposit("customer_10", "2 BTC")
    created = create_withdrawal(fake, token, currency="BTC", network="BITCOIN_TESTNET")
    assert created.status == 201


def test_more_than_the_balance_is_20012(fake: FakeRipio, token: str) -> None:
    status, code, message = error_of(create_withdrawal(fake, token, amount=Decimal(2)))
    assert (status, code) == (400, 20012)
    assert message == "Not enough balance: 2.01001 ETH needed, 2 ETH available"
    assert fake.balance("customer_10", "ETH") == Decimal(2)


def test_a_body_that_is_not_json_is_20001(fake: FakeRipio, token: str) -> None:
    response = call(fake, "POST", "/api/v1/withdrawals/", body=b"{broken", token=token)
    assert error_of(response)[:2] == (400, 20001)


def test_the_fakes_invented_codes_are_mapped_by_http_status_not_by_code(
    fake: FakeRipio, token: str
) -> None:
    # 40002 (rejected token) and 40004 (not found) are the fake's choice, not Ripio's: the
    # facade's table must not know them, so the HTTP status alone decides the exception.
    fake.expire_tokens()
    rejected = call(fake, "GET", "/api/v1/withdrawals/", token=token)
    missing = call(fake, "GET", "/api/v1/withdrawals/no-such-id/", token=ripio_token(fake))
    assert (error_of(rejected)[:2], error_of(missing)[:2]) == ((401, 40002), (404, 40004))
    assert 40002 not in CODES
    assert 40004 not in CODES
    for response, expected in ((rejected, AuthenticationFailed), (missing, NotFound)):
        text = response.body.decode()
        error = map_ripio_error(ErrorResponse.from_body(response.status, text))
        assert type(error) is expected
        assert error.code == response.json()["code"]
        assert type(map_ripio_error(ErrorResponse.from_body(400, text))) is APIError


# -- lifecycle -------------------------------------------------------------------------------------


def test_a_withdrawal_completes_after_the_configured_polls_with_a_hash(
    fake: FakeRipio, token: str
) -> None:
    fake.pending_polls = 1
    withdrawal_id = create_withdrawal(fake, token).json()["id"]
    path = f"/api/v1/withdrawals/{withdrawal_id}/"
    first = call(fake, "GET", path, token=token).json()
    second = call(fake, "GET", path, token=token).json()
    assert first["status"] == "PENDING"
    assert second["status"] == "COMPLETED"
    assert second["txn_hash"] == second["provisory_transaction_hash"]
    assert second["txn_hash"].startswith("0x")
    assert second["confirmation_date"] is not None


def test_a_failed_withdrawal_is_error_and_refunds_what_was_debited(
    fake: FakeRipio, token: str
) -> None:
    withdrawal_id = create_withdrawal(fake, token).json()["id"]
    assert fake.balance("customer_10", "ETH") == Decimal("1.99798")
    fake.fail(withdrawal_id, reason="address rejected")
    body = call(fake, "GET", f"/api/v1/withdrawals/{withdrawal_id}/", token=token).json()
    assert (body["status"], body["reason"]) == ("ERROR", "address rejected")
    assert fake.balance("customer_10", "ETH") == Decimal(2)
    with pytest.raises(ValueError, match="already ERROR"):
        fake.complete(withdrawal_id)


def test_lookups_are_stable_and_unknown_ids_are_404(fake: FakeRipio, token: str) -> None:
    created = create_withdrawal(fake, token).json()
    path = f"/api/v1/withdrawals/{created['id']}/"
    assert call(fake, "GET", path, token=token).json() == created
    assert call(fake, "GET", path, token=token).json() == created
    missing = call(fake, "GET", "/api/v1/withdrawals/no-such-id/", token=token)
    assert error_of(missing)[:2] == (404, 40004)


# -- pagination ------------------------------------------------------------------------------------


def test_pages_link_to_localhost_like_the_docs(fake: FakeRipio, token: str) -> None:
    fake.page_size = 2
    fake.deposit("customer_10", "1 ETH")
    ids = [create_withdrawal(fake, token).json()["id"] for _ in range(5)]

    def page(number: int) -> FakeResponse:
        return call(fake, "GET", "/api/v1/withdrawals/", token=token, query=f"page={number}")

    first, second, third = page(1).json(), page(2).json(), page(3).json()
    assert first["count"] == second["count"] == third["count"] == 5
    assert (first["next"], first["previous"]) == (
        "http://localhost/api/v1/withdrawals/?page=2",
        None,
    )
    assert second["previous"] == "http://localhost/api/v1/withdrawals/"
    assert (third["next"], third["previous"]) == (
        None,
        "http://localhost/api/v1/withdrawals/?page=2",
    )
    listed = [item["id"] for body in (first, second, third) for item in body["results"]]
    assert listed == ids
    assert error_of(page(4))[:2] == (404, 40004)
    not_a_number = call(fake, "GET", "/api/v1/withdrawals/", token=token, query="page=x")
    assert not_a_number.status == 404


@pytest.mark.parametrize("page", ["\u00b2", "\u0663", "1" * 40, "-1", "0"])
def test_a_page_that_is_not_ascii_digits_is_a_404_not_a_crash(
    fake: FakeRipio, token: str, page: str
) -> None:
    response = call(fake, "GET", "/api/v1/withdrawals/", token=token, query=f"page={page}")
    assert error_of(response) == (404, 40004, "Invalid page.")


def test_an_empty_list_is_one_empty_page(fake: FakeRipio, token: str) -> None:
    body = call(fake, "GET", "/api/v1/withdrawals/", token=token).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


# -- fiat and end users ----------------------------------------------------------------------------


def test_fiat_withdrawal_to_an_enabled_beneficiary_account(fake: FakeRipio, token: str) -> None:
    fake.deposit_fiat("customer_10", "20000 ARS")
    account_id = fake.add_beneficiary_account("customer_10")
    disabled = fake.add_beneficiary_account("customer_10", status="DISABLED")
    body = {"end_user_id": "customer_10", "amount": Decimal("12345.67")}
    refused = call(
        fake,
        "POST",
        "/api/v1/fiat-withdrawals/",
        json={**body, "beneficiary_fiat_account_id": disabled},
        token=token,
    )
    assert error_of(refused)[:2] == (400, 20000)
    created = call(
        fake,
        "POST",
        "/api/v1/fiat-withdrawals/",
        json={**body, "beneficiary_fiat_account_id": account_id},
        token=token,
    )
    assert created.status == 201
    assert (created.json()["amount"], created.json()["currency_code"]) == ("12345.67", "ARS")
    assert fake.balance("customer_10", "ARS") == Decimal("7654.33")
    fake.fail(created.json()["id"])
    assert fake.fiat_withdrawals()[0].status == "CANCELLED"
    assert fake.balance("customer_10", "ARS") == Decimal(20000)


def test_a_beneficiary_account_can_be_given_its_id(fake: FakeRipio, token: str) -> None:
    account_id = "4123e456-e89b-12d3-a456-4bedc4266abc"
    assert fake.add_beneficiary_account("customer_10", account_id=account_id) == account_id
    path = "/api/v1/end-users/customer_10/beneficiary-fiat-accounts/"
    listed = call(fake, "GET", path, token=token).json()
    assert [account["beneficiary_fiat_account_id"] for account in listed] == [account_id]


def test_beneficiary_accounts_filter_by_status_in_either_case(fake: FakeRipio, token: str) -> None:
    enabled = fake.add_beneficiary_account("customer_10")
    fake.add_beneficiary_account("customer_10", status="PROCESSING")
    path = "/api/v1/end-users/customer_10/beneficiary-fiat-accounts/"
    listed = call(fake, "GET", path, token=token, query="status=enabled").json()
    assert [item["beneficiary_fiat_account_id"] for item in listed] == [enabled]
    assert len(call(fake, "GET", path, token=token).json()) == 2


def test_end_user_resources_and_unknown_end_users(fake: FakeRipio, token: str) -> None:
    user = call(fake, "GET", "/api/v1/end-users/customer_10/", token=token).json()
    assert user["external_ref"] == "customer_10"
    balances = call(fake, "GET", "/api/v1/end-users/customer_10/balances/", token=token).json()
    assert balances == [{"currency": "ETH", "balance": "2"}]
    addresses = call(fake, "GET", "/api/v1/end-users/customer_10/addresses/", token=token).json()
    assert {item["network"] for item in addresses} >= {"BITCOIN", "ETHEREUM"}
    assert call(fake, "GET", "/api/v1/end-users/nobody/", token=token).status == 404


def test_end_users_whose_ids_need_percent_encoding_are_found(fake: FakeRipio, token: str) -> None:
    fake.add_end_user("alice@example.com")
    account = fake.add_beneficiary_account("alice@example.com")
    encoded = "/api/v1/end-users/alice%40example.com/"
    assert call(fake, "GET", encoded, token=token).json()["external_ref"] == "alice@example.com"
    listed = call(fake, "GET", f"{encoded}beneficiary-fiat-accounts/", token=token).json()
    assert [item["beneficiary_fiat_account_id"] for item in listed] == [account]
    # An encoded "/" stays inside the id instead of splitting the path.
    assert call(fake, "GET", "/api/v1/end-users/a%2Fb/", token=token).status == 404


# -- crashes ---------------------------------------------------------------------------------------


def test_a_handler_that_crashes_answers_the_html_500_of_an_injected_failure(
    fake: FakeRipio, token: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the reviewers saw with a fee amount of 1e20000000 (decimal.Overflow in the handler).
    def overflow(*_: object) -> None:
        raise decimal.Overflow("exponent too large")

    with monkeypatch.context() as patched, caplog.at_level(logging.ERROR, "withdrawkit.testing"):
        patched.setattr(fake.state, "network", overflow)
        response = create_fee(fake, token)
    fake.faults.fail_next("createWithdrawalFee", status=500)
    injected = create_fee(fake, token)
    assert (response.status, response.headers, response.body) == (
        injected.status,
        injected.headers,
        injected.body,
    )
    assert response.headers["Content-Type"] == "text/html"
    assert [seen.status for seen in fake.calls("createWithdrawalFee")] == [500, 500]
    (record,) = caplog.records
    assert "FakeRipio crashed handling POST /api/v1/withdrawal-fees/" in record.getMessage()
    assert record.exc_info is not None
    assert create_fee(fake, token).status == 201  # the fake still works
