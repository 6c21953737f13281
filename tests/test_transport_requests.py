"""Transport, what it sends: its arguments checked, URLs, headers, query strings, bodies, timeouts.

Requests that cannot be built (a header value with a line break) are refused here too, before
anything is sent. What comes back is pinned in test_transport_answers.py, logs and secrets in
test_transport_logs.py, the caller's session in test_transport_sessions.py, retries in
test_transport_retry.py and real sockets in test_transport_sockets.py.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import pytest
import requests
import responses
from responses import matchers

from tests.transport_support import BASE, CLIENT_SECRET, EXACT, TOKEN
from withdrawkit._arguments import query
from withdrawkit._error_mapping import map_onekonto_error, map_ripio_error
from withdrawkit._exceptions import TransportError
from withdrawkit._request_building import USER_AGENT, query_value
from withdrawkit._transport import DEFAULT_TIMEOUT, Transport

# -- construction ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://sandbox-b2b.ripio.com", "https://sandbox-b2b.ripio.com"),
        ("https://sandbox-b2b.ripio.com/", "https://sandbox-b2b.ripio.com"),
        ("HTTPS://api.example:8443/prefix/", "https://api.example:8443/prefix"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000"),
    ],
)
def test_base_url_is_normalised_without_a_trailing_slash(given: str, expected: str) -> None:
    with Transport(given, provider="Ripio", map_error=map_ripio_error) as made:
        assert made.base_url == expected


@pytest.mark.parametrize(
    "base_url",
    [
        "",
        "sandbox-b2b.ripio.com",
        "ftp://api.example",
        "https://",
        "https://api.example/?env=sandbox",
        "https://api.example/#top",
        "https://api.example:99999",
        "https://api example",
    ],
)
def test_unusable_base_urls_are_refused(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        Transport(base_url, provider="Ripio", map_error=map_ripio_error)


def test_base_url_with_credentials_is_refused_without_echoing_them() -> None:
    with pytest.raises(ValueError, match="credentials") as raised:
        Transport("https://user:hunter2@api.example", provider="Ripio", map_error=map_ripio_error)

    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize(
    "timeout",
    [(0, 30), (5, 0), (-1, 30), (float("inf"), 30), (5, float("nan")), (True, 30), ("5", 30)],
)
def test_timeouts_must_be_finite_and_positive(timeout: tuple[float, float]) -> None:
    with pytest.raises((ValueError, TypeError), match="timeout"):
        Transport(BASE, provider="Ripio", map_error=map_ripio_error, timeout=timeout)


@pytest.mark.parametrize("timeout", [5.0, (5.0,), (1.0, 2.0, 3.0), None])
def test_timeout_must_be_a_connect_read_pair(timeout: object) -> None:
    with pytest.raises(TypeError, match="timeout"):
        Transport(BASE, provider="Ripio", map_error=map_ripio_error, timeout=timeout)  # type: ignore[arg-type]


@pytest.mark.parametrize("max_retries", [-1, 11, True, 1.5])
def test_max_retries_is_validated(max_retries: object) -> None:
    with pytest.raises((ValueError, TypeError), match="max_retries"):
        Transport(BASE, provider="Ripio", map_error=map_ripio_error, max_retries=max_retries)  # type: ignore[arg-type]


def test_default_timeout_is_finite() -> None:
    connect, read = DEFAULT_TIMEOUT
    assert 0 < connect < read < 120


# -- URLs and headers ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/withdrawals/", "api/v1/withdrawals/"])
def test_path_is_joined_to_the_base_url_keeping_its_trailing_slash(
    mock: responses.RequestsMock, transport: Transport, path: str
) -> None:
    mock.get(f"{BASE}/api/v1/withdrawals/", json={"results": []})

    transport.request("GET", path)

    assert mock.calls[0].request.url == f"{BASE}/api/v1/withdrawals/"


def test_base_url_path_prefix_is_kept(mock: responses.RequestsMock) -> None:
    mock.get("https://api.example/gateway/api/v1/x", json={})
    with Transport(
        "https://api.example/gateway/", provider="1Konto", map_error=map_onekonto_error
    ) as made:
        made.request("GET", "/api/v1/x")

    assert mock.calls[0].request.url == "https://api.example/gateway/api/v1/x"


@pytest.mark.parametrize(
    "path",
    ["https://evil.example/steal", "//evil.example/steal", "/a?page=2", "/a#b", "/a/../admin", ""],
)
def test_paths_that_could_leave_the_base_url_are_refused(
    mock: responses.RequestsMock, transport: Transport, path: str
) -> None:
    with pytest.raises(ValueError, match=r"path|params"):
        transport.request("GET", path)

    assert len(mock.calls) == 0


def test_every_request_names_withdrawkit_and_asks_for_json(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.get(f"{BASE}/api/v1/withdrawals/", json={})

    transport.request("GET", "/api/v1/withdrawals/", headers={"Authorization": f"Bearer {TOKEN}"})

    sent = mock.calls[0].request.headers
    assert sent["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("withdrawkit/0.")
    assert f" python-requests/{requests.__version__}" in USER_AGENT
    assert sent["Accept"] == "application/json"
    assert sent["Authorization"] == f"Bearer {TOKEN}"


class Status(str, enum.Enum):
    pending = "pending"


def test_query_parameters_are_written_for_the_wire(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    mock.get(f"{BASE}/api/v1/x", json={})

    transport.request(
        "GET",
        "/api/v1/x",
        params={
            "status": Status.pending,
            "max": 100,
            "asc": True,
            "size": Decimal("1E-8"),
            "assetPairs": "USDT/USD,USDC/USD",
            "tag": ["a b", "c"],
            "omitted": None,
        },
    )

    assert mock.calls[0].request.url == (
        f"{BASE}/api/v1/x?status=pending&max=100&asc=true&size=0.00000001"
        "&assetPairs=USDT/USD,USDC/USD&tag=a+b&tag=c"
    )


def test_float_query_parameters_are_refused(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    with pytest.raises(TypeError, match="float"):
        transport.request("GET", "/api/v1/x", params={"size": 1.5})

    assert len(mock.calls) == 0


def test_the_clients_query_building_follows_the_transports_rules() -> None:
    # request_parts.query used to write values with str(): True became "True" and a float
    # slipped through. It now writes each value as the transport does, before any request.
    built = query(
        {"status": Status.pending, "asc": True, "size": Decimal("1E-8"), "max": 5, "gone": None}
    )

    assert built == {"status": "pending", "asc": "true", "size": "0.00000001", "max": "5"}
    assert built["asc"] == query_value("asc", True)
    with pytest.raises(TypeError, match="float"):
        query({"size": 1.5})


# -- request bodies --------------------------------------------------------------------------------


def test_json_body_arrives_with_every_decimal_digit(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    exact_body = '{"amount":0.00206525633592975968892629,"currency":"BTC","external_ref":"ref-1"}'
    mock.post(
        f"{BASE}/api/v1/withdrawals/",
        json={"id": "w-1"},
        status=201,
        match=[
            matchers.body_matcher(exact_body),
            matchers.header_matcher({"Content-Type": "application/json"}),
        ],
    )

    answer = transport.request(
        "POST",
        "/api/v1/withdrawals/",
        json_body={"amount": EXACT, "currency": "BTC", "external_ref": "ref-1"},
        moves_money=True,
    )

    assert answer == {"id": "w-1"}
    assert mock.calls[0].request.body == exact_body.encode()


def test_float_in_a_json_body_is_refused_before_sending(
    mock: responses.RequestsMock, transport: Transport
) -> None:
    with pytest.raises(TypeError, match="float"):
        transport.request(
            "POST", "/api/v1/withdrawals/", json_body={"amount": 1.5}, moves_money=True
        )

    assert len(mock.calls) == 0


def test_form_is_sent_urlencoded(mock: responses.RequestsMock, transport: Transport) -> None:
    form = {"grant_type": "client_credentials", "client_id": "id", "client_secret": CLIENT_SECRET}
    mock.post(
        f"{BASE}/oauth2/token/",
        json={"access_token": TOKEN, "expires_in": 36000},
        match=[matchers.urlencoded_params_matcher(form)],
    )

    answer = transport.request("POST", "/oauth2/token/", form=form)

    assert answer == {"access_token": TOKEN, "expires_in": 36000}
    assert mock.calls[0].request.headers["Content-Type"] == "application/x-www-form-urlencoded"


def test_json_body_and_form_together_are_refused(transport: Transport) -> None:
    with pytest.raises(ValueError, match="not both"):
        transport.request("POST", "/oauth2/token/", json_body={}, form={"a": "b"})


# -- timeouts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_every_request_is_sent_with_the_default_finite_timeout(
    mock: responses.RequestsMock, transport: Transport, method: str
) -> None:
    mock.add(method, f"{BASE}/api/v1/x", json={})

    transport.request(method, "/api/v1/x", json_body={} if method == "POST" else None)

    assert mock.calls[0].request.req_kwargs["timeout"] == DEFAULT_TIMEOUT  # type: ignore[attr-defined]


def test_a_configured_timeout_is_sent(mock: responses.RequestsMock) -> None:
    mock.get(f"{BASE}/api/v1/x", json={})
    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, timeout=(1, 2.5)) as made:
        assert made.timeout == (1.0, 2.5)
        made.request("GET", "/api/v1/x")

    assert mock.calls[0].request.req_kwargs["timeout"] == (1.0, 2.5)  # type: ignore[attr-defined]


# -- requests that cannot be built -----------------------------------------------------------------


@pytest.mark.parametrize(
    "token", ["s3cr3t-tok\r\n", "s3cr3t tok\nX-Evil: 1", "s3cr3t\rtok"], ids=["crlf", "lf", "cr"]
)
@pytest.mark.parametrize("moves_money", [False, True])
def test_a_header_value_with_a_line_break_is_a_transport_error_naming_no_secret(
    mock: responses.RequestsMock, transport: Transport, token: str, moves_money: bool
) -> None:
    with pytest.raises(TransportError) as raised:
        transport.request(
            "POST",
            "/api/v1/withdrawals/",
            json_body={},
            headers={"Authorization": f"Bearer {token}"},
            moves_money=moves_money,
        )

    error = raised.value
    assert type(error) is TransportError  # nothing was sent: never OutcomeUnknown
    assert "'Authorization'" in str(error)
    assert "never reached the server" in str(error)
    for shown in (str(error), repr(error)):
        assert "s3cr3t" not in shown
    # requests' own exception quotes the value: it is neither the cause nor the context.
    assert error.__cause__ is None
    assert error.__context__ is None
    assert len(mock.calls) == 0


def test_a_bad_session_header_is_named_too(mock: responses.RequestsMock) -> None:
    session = requests.Session()
    session.headers["X-Api-Key"] = "k3y\r\nX-Evil: 1"
    with (
        Transport(BASE, provider="Ripio", map_error=map_ripio_error, session=session) as made,
        pytest.raises(TransportError, match="'X-Api-Key'") as raised,
    ):
        made.request("GET", "/api/v1/x")

    assert "k3y" not in str(raised.value)
    assert len(mock.calls) == 0


def test_unknown_method_is_refused(transport: Transport) -> None:
    with pytest.raises(ValueError, match="method"):
        transport.request("BREW", "/api/v1/x")
