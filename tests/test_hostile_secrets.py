"""A secrets scan over everything an error leaves behind: its text, fields, pickle, the log,
and a traceback formatted with every frame's locals (what Sentry and many loggers do).

The server echoes the client's own secrets back, under secret names (``Password``,
``client_secret``, ``token``) and under ordinary ones, and the calls fail in the places
where withdrawkit's frames hold a credential: the login form and body, the bearer token.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
import traceback
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import responses

import withdrawkit as wk
from tests.loopback import ScriptedServer, Wire, answer, request_target
from tests.onekonto_support import BASE as ONEKONTO
from tests.onekonto_support import LOGIN_URL
from tests.ripio_support import BASE as RIPIO
from tests.ripio_support import TOKEN_URL, WITHDRAWALS_URL

PASSWORD = "correct horse battery staple"
DIGEST = hashlib.sha256(PASSWORD.encode()).hexdigest()
CLIENT_SECRET = "cs-5ecret-9f8e7d6c"
TOKEN = "tok-b3arer-a1b2c3d4e5"
SECRETS = (PASSWORD, DIGEST, CLIENT_SECRET, TOKEN)
ACCOUNT = f"{ONEKONTO}/api/v1/accounting/account/acct-1"


@pytest.fixture
def ripio() -> Iterator[wk.RipioClient]:
    with wk.RipioClient(RIPIO, client_id="id-1", client_secret=CLIENT_SECRET) as client:
        yield client


@pytest.fixture
def onekonto() -> Iterator[wk.OneKontoClient]:
    with wk.OneKontoClient(ONEKONTO, user="u", password=PASSWORD, account_id="acct-1") as client:
        yield client


def ripio_token(rsps: responses.RequestsMock) -> None:
    issued = {"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer", "scope": "x"}
    rsps.add(responses.POST, TOKEN_URL, json=issued)


def withdrawkits_frames(error: BaseException) -> str:
    """The traceback with locals (as ``capture_locals=True`` formats them: reprs) of every
    withdrawkit frame, through the whole chain of causes. The tests' own frames are left out:
    they hold the secrets as constants."""
    shown: list[str] = []
    formatted: traceback.TracebackException | None = traceback.TracebackException.from_exception(
        error, capture_locals=True
    )
    while formatted is not None:
        shown.extend(formatted.format_exception_only())
        for frame in formatted.stack:
            if "/withdrawkit/" in frame.filename:
                shown.append(f"{frame.filename}:{frame.lineno} {frame.name} {frame.locals}")
        formatted = formatted.__cause__ or formatted.__context__
    assert any("/withdrawkit/" in line for line in shown)  # the scan saw withdrawkit's frames
    return "\n".join(shown)


def left_behind(error: BaseException, log: str) -> dict[str, str]:
    """Every place an error's content ends up, as text."""
    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    return {
        "str": str(error),
        "repr": repr(error),
        "fields": repr(vars(error)),
        "pickle": repr(pickle.dumps(error)),
        "unpickled fields": repr(vars(restored)),
        "traceback with locals": withdrawkits_frames(error),
        "log": log,
    }


def leaks(error: BaseException, log: str) -> list[tuple[str, str]]:
    return [
        (place, secret)
        for place, text in left_behind(error, log).items()
        for secret in SECRETS
        if secret in text
    ]


def failing(call: Callable[[], object]) -> BaseException:
    with pytest.raises(wk.WithdrawKitError) as raised:
        call()
    return raised.value


@pytest.fixture(autouse=True)
def debug_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG, logger="withdrawkit")
    return caplog


def test_a_password_digest_echoed_in_a_validation_error_is_masked_everywhere(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient, debug_log: pytest.LogCaptureFixture
) -> None:
    rsps.add(responses.POST, LOGIN_URL, json={"token": TOKEN})
    echoed = f"ValidationFailed: Password: {DIGEST}. Network: {DIGEST} is not a network"
    rsps.add(
        responses.POST,
        f"{ACCOUNT}/request/withdraw/blockchain",
        status=400,
        json={"errors": [echoed]},
    )

    error = failing(lambda: onekonto.request_withdraw_blockchain("1 BTC", network="BTC"))

    assert isinstance(error, wk.ValidationFailed)
    assert error.field_errors["Password"] == "[REDACTED]"  # by name
    assert DIGEST not in error.field_errors["Network"]  # by value
    assert leaks(error, debug_log.text) == []


def test_ripio_field_errors_naming_secrets_or_echoing_them_are_masked_everywhere(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, debug_log: pytest.LogCaptureFixture
) -> None:
    ripio_token(rsps)
    body = {
        "client_secret": [CLIENT_SECRET],
        "token": [TOKEN],
        "address": [f"{CLIENT_SECRET} is not an address; sent with {TOKEN}"],
    }
    rsps.add(responses.POST, WITHDRAWALS_URL, status=400, json=body)

    error = failing(
        lambda: ripio.create_withdrawal("1 BTC", end_user="u-1", address="a", network="BTC")
    )

    assert isinstance(error, wk.ValidationFailed)
    assert error.field_errors["client_secret"] == "[REDACTED]"
    assert error.field_errors["token"] == "[REDACTED]"
    assert "[REDACTED]" in error.field_errors["address"]
    assert leaks(error, debug_log.text) == []


def test_secrets_echoed_as_ripio_field_names_are_masked_everywhere(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, debug_log: pytest.LogCaptureFixture
) -> None:
    ripio_token(rsps)
    body = {"code": TOKEN, "detail": "bad", "errors": {CLIENT_SECRET: ["x"], TOKEN: ["y"]}}
    rsps.add(responses.POST, WITHDRAWALS_URL, status=400, json=body)

    error = failing(
        lambda: ripio.create_withdrawal("1 BTC", end_user="u-1", address="a", network="BTC")
    )

    assert isinstance(error, wk.APIError)
    assert isinstance(error.body, dict)
    assert set(error.body["errors"]) == {"[REDACTED]"}
    assert leaks(error, debug_log.text) == []


def test_a_1konto_field_name_that_is_the_digest_is_masked_and_a_huge_code_is_cut(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient, debug_log: pytest.LogCaptureFixture
) -> None:
    rsps.add(responses.POST, LOGIN_URL, json={"token": TOKEN})
    status_word = f"{TOKEN} " + "x" * 5_000_000
    body = {"status": status_word, "errors": {DIGEST: ["bad"], "Amount": [TOKEN]}}
    rsps.add(responses.POST, f"{ACCOUNT}/request/withdraw/blockchain", status=400, json=body)

    error = failing(lambda: onekonto.request_withdraw_blockchain("1 BTC", network="BTC"))

    assert isinstance(error, wk.ValidationFailed)
    assert error.field_errors == {"[REDACTED]": "bad", "Amount": "[REDACTED]"}
    assert isinstance(error.code, str)
    assert error.code.startswith("[REDACTED] xxx")
    assert len(error.code) <= 103  # 100 characters and "..."
    assert len(str(error)) < 1_000
    assert leaks(error, debug_log.text) == []


def test_a_failed_ripio_login_shows_no_client_secret_in_frame_locals(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, debug_log: pytest.LogCaptureFixture
) -> None:
    rsps.add(responses.POST, TOKEN_URL, status=401, json={"error": "invalid_client"})

    error = failing(lambda: ripio.get_withdrawal("w-1"))

    assert isinstance(error, wk.AuthenticationFailed)
    assert leaks(error, debug_log.text) == []


def test_a_failed_onekonto_login_shows_no_digest_in_frame_locals(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient, debug_log: pytest.LogCaptureFixture
) -> None:
    rsps.add(responses.POST, LOGIN_URL, status=500, body=f"<title>echo {DIGEST}</title>")

    error = failing(onekonto.get_account)

    assert isinstance(error, wk.ServerError)
    assert leaks(error, debug_log.text) == []


def test_a_failed_call_after_login_shows_no_token_in_frame_locals(
    rsps: responses.RequestsMock, ripio: wk.RipioClient, debug_log: pytest.LogCaptureFixture
) -> None:
    ripio_token(rsps)
    rsps.add(responses.GET, f"{WITHDRAWALS_URL}w-1/", status=404, json={"detail": "Not found."})

    error = failing(lambda: ripio.get_withdrawal("w-1"))

    assert isinstance(error, wk.NotFound)
    assert leaks(error, debug_log.text) == []


def test_a_money_post_that_fails_in_transit_shows_no_token_in_frame_locals(
    rsps: responses.RequestsMock, onekonto: wk.OneKontoClient, debug_log: pytest.LogCaptureFixture
) -> None:
    rsps.add(responses.POST, LOGIN_URL, json={"token": TOKEN})
    rsps.add(
        responses.POST,
        f"{ACCOUNT}/request/withdraw/blockchain",
        body=ConnectionResetError("connection reset by peer"),
    )

    error = failing(lambda: onekonto.request_withdraw_blockchain("1 BTC", network="BTC"))

    assert isinstance(error, wk.OutcomeUnknown)
    assert leaks(error, debug_log.text) == []


# Token answers that fail after the token was read off the wire: a token a bearer header
# cannot carry, another field of the wrong type or missing, a token of another type (1Konto's
# login answer has no field but the token).
MALFORMED_LOGINS = {
    "unsendable token": {"token": f"{TOKEN} {TOKEN}"},
    "token in a list": {"token": [TOKEN]},
    "token in an object": {"token": {"value": TOKEN}},
    "bare token text": TOKEN,
}
MALFORMED_TOKEN_ANSWERS = {
    "expires_in as text": {"access_token": TOKEN, "expires_in": "soon", "token_type": "Bearer"},
    "expires_in as bool": {"access_token": TOKEN, "expires_in": True, "token_type": "Bearer"},
    "no token_type": {"access_token": TOKEN, "expires_in": 3600},
    "token_type mac": {"access_token": TOKEN, "expires_in": 3600, "token_type": "mac"},
    "unsendable token": {"access_token": f"{TOKEN}\r\nX: y", "token_type": "Bearer"},
    "token in a list": {"access_token": [TOKEN], "token_type": "Bearer"},
    # A server echoing a credential where the token's type goes: never quoted, not in a frame.
    "token echoed as token_type": {"access_token": TOKEN, "token_type": TOKEN},
    "client secret echoed as token_type": {"access_token": TOKEN, "token_type": CLIENT_SECRET},
}


@pytest.mark.parametrize("answer", MALFORMED_LOGINS.values(), ids=MALFORMED_LOGINS)
def test_a_malformed_onekonto_login_leaves_the_token_in_no_frame(
    answer: object,
    rsps: responses.RequestsMock,
    onekonto: wk.OneKontoClient,
    debug_log: pytest.LogCaptureFixture,
) -> None:
    rsps.add(responses.POST, LOGIN_URL, json=answer)

    error = failing(onekonto.get_account)

    assert isinstance(error, wk.UnexpectedResponse)
    assert leaks(error, debug_log.text) == []
    shown = every_frames_locals(error)
    assert [secret for secret in SECRETS if secret in shown] == []


@pytest.mark.parametrize("answer", MALFORMED_TOKEN_ANSWERS.values(), ids=MALFORMED_TOKEN_ANSWERS)
def test_a_malformed_ripio_token_answer_leaves_the_token_in_no_frame(
    answer: object,
    rsps: responses.RequestsMock,
    ripio: wk.RipioClient,
    debug_log: pytest.LogCaptureFixture,
) -> None:
    rsps.add(responses.POST, TOKEN_URL, json=answer)

    error = failing(lambda: ripio.get_withdrawal("w-1"))

    assert isinstance(error, wk.UnexpectedResponse)
    assert leaks(error, debug_log.text) == []
    shown = every_frames_locals(error)
    assert [secret for secret in SECRETS if secret in shown] == []


@pytest.mark.parametrize(
    ("path", "issued", "call"),
    [
        pytest.param(
            "/oauth2/token/",
            {"access_token": TOKEN, "expires_in": "soon", "token_type": "Bearer"},
            lambda url: wk.RipioClient(
                url, client_id="id-1", client_secret=CLIENT_SECRET, max_retries=0
            ).get_withdrawal("w-1"),
            id="ripio",
        ),
        pytest.param(
            urlsplit(LOGIN_URL).path,
            {"token": f"{TOKEN}\n"},
            lambda url: wk.OneKontoClient(
                url, user="u", password=PASSWORD, account_id="acct-1", max_retries=0
            ).get_account(),
            id="onekonto",
        ),
    ],
)
def test_a_malformed_token_answer_on_a_real_socket_leaves_the_token_in_no_frame(
    path: str, issued: object, call: Callable[[str], object]
) -> None:
    def token_answer(wire: Wire, request: bytes) -> None:
        assert request_target(request)[1] == path
        body = json.dumps(issued).encode()
        wire.send(answer("200 OK", body, [("Content-Type", "application/json")]))

    with ScriptedServer(token_answer) as server:
        error = failing(lambda: call(server.url))

    assert isinstance(error, wk.UnexpectedResponse)
    shown = every_frames_locals(error)
    assert [secret for secret in SECRETS if secret in shown] == []


def test_a_secret_holder_never_shows_or_pickles_its_value() -> None:
    from withdrawkit._secrets import Secret

    held = Secret(TOKEN)
    shown = [repr(held), str(held), f"{held}", f"{held!r:>40}", repr({"h": held})]
    assert all(TOKEN not in text for text in shown)
    assert held.reveal() == TOKEN
    with pytest.raises(TypeError, match="not pickled"):
        pickle.dumps(held)


def every_frames_locals(error: BaseException) -> str:
    """The locals of every frame of the traceback, requests' and urllib3's included, through
    the whole chain of causes; only this module's frames (holding the secrets as constants)
    are left out."""
    shown: list[str] = []
    formatted: traceback.TracebackException | None = traceback.TracebackException.from_exception(
        error, capture_locals=True
    )
    while formatted is not None:
        shown.extend(formatted.format_exception_only())
        shown.extend(
            f"{frame.filename}:{frame.lineno} {frame.name} {frame.locals}"
            for frame in formatted.stack
            if frame.filename != __file__
        )
        formatted = formatted.__cause__ or formatted.__context__
    return "\n".join(shown)


def token_then_hang_up(wire: Wire, request: bytes) -> None:
    _, path = request_target(request)
    if path == "/oauth2/token/":
        issued = {"access_token": TOKEN, "expires_in": 3600, "token_type": "Bearer", "scope": "x"}
        body = json.dumps(issued).encode()
        wire.send(answer("200 OK", body, [("Content-Type", "application/json")]))
    # Any other request is read whole, then the connection is closed without an answer.


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(lambda client: client.get_withdrawal("w-1"), wk.TransportError, id="read"),
        pytest.param(
            lambda client: client.create_withdrawal(
                "1 BTC", end_user="u-1", address="a", network="BTC"
            ),
            wk.OutcomeUnknown,
            id="withdrawal",
        ),
    ],
)
def test_a_connection_dropped_on_a_real_socket_leaves_no_secret_in_any_frame(
    call: Callable[[wk.RipioClient], object], expected: type[wk.WithdrawKitError]
) -> None:
    with ScriptedServer(token_then_hang_up) as server:
        client = wk.RipioClient(
            server.url, client_id="id-1", client_secret=CLIENT_SECRET, max_retries=0
        )
        with client:
            error = failing(lambda: call(client))

    assert isinstance(error, expected)
    assert "RemoteDisconnected" in str(error)  # the root cause is still named
    shown = every_frames_locals(error)
    assert [secret for secret in SECRETS if secret in shown] == []


def test_a_token_fetch_dropped_on_a_real_socket_leaves_no_client_secret_in_any_frame() -> None:
    def hang_up(wire: Wire, request: bytes) -> None:
        pass  # the token request is read whole, then the connection is closed

    with ScriptedServer(hang_up) as server:
        client = wk.RipioClient(
            server.url, client_id="id-1", client_secret=CLIENT_SECRET, max_retries=0
        )
        with client:
            error = failing(lambda: client.get_withdrawal("w-1"))

    assert isinstance(error, wk.TransportError)
    shown = every_frames_locals(error)
    assert [secret for secret in SECRETS if secret in shown] == []
