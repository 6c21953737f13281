"""The environment's proxy and CA settings are read once and again after each change: every
answer is what ``requests.Session.merge_environment_settings`` gives at that moment."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from unittest import mock

import pytest
import requests
import requests.sessions

from withdrawkit._environment_settings import EnvironmentSettings
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._transport import Transport

URL = "https://api.example.test/api/v1/withdrawals/"

ENVIRONMENTS: list[dict[str, str]] = [
    {},
    {"HTTPS_PROXY": "http://proxy.test:3128"},
    {"https_proxy": "http://lower.test:3128", "HTTPS_PROXY": "http://upper.test:3128"},
    {"ALL_PROXY": "http://all.test:1"},
    {"HTTPS_PROXY": "http://proxy.test:3128", "NO_PROXY": "api.example.test"},
    {"https_proxy": "http://proxy.test:3128", "no_proxy": "*.other.test"},
    {"REQUESTS_CA_BUNDLE": "/etc/ssl/bundle.pem"},
    {"CURL_CA_BUNDLE": "/etc/ssl/curl.pem"},
    {"HTTP_PROXY": "http://cgi.test:1", "REQUEST_METHOD": "GET"},
]
PROXY_VARIABLES = [
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "REQUEST_METHOD",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
]


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def stock(session: requests.Session, url: str = URL) -> dict[str, Any]:
    return dict(session.merge_environment_settings(url, {}, None, None, None))


def set_environment(monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)


def test_each_environment_in_turn_gives_what_requests_gives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings, session = EnvironmentSettings(), requests.Session()
    for environment in [*ENVIRONMENTS, *reversed(ENVIRONMENTS)]:
        set_environment(monkeypatch, environment)
        assert settings.of(session, URL) == stock(session), environment
        assert settings.of(session, URL) == stock(session), environment  # remembered


@pytest.mark.parametrize(
    "change",
    [
        lambda session: session.proxies.update({"https": "http://session.test:8080"}),
        lambda session: setattr(session, "verify", "/etc/ssl/mine.pem"),
        lambda session: setattr(session, "verify", False),
        lambda session: setattr(session, "cert", ("/c.pem", "/k.pem")),
        lambda session: setattr(session, "stream", True),
        lambda session: setattr(session, "trust_env", False),
    ],
    ids=["proxies", "verify-path", "verify-off", "cert", "stream", "trust_env"],
)
def test_a_changed_session_setting_is_seen_at_once(
    monkeypatch: pytest.MonkeyPatch, change: Any
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    settings, session = EnvironmentSettings(), requests.Session()
    settings.of(session, URL)
    change(session)
    assert settings.of(session, URL) == stock(session)


def test_another_origin_is_read_for_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
    monkeypatch.setenv("NO_PROXY", "api.example.test")
    settings, session = EnvironmentSettings(), requests.Session()
    other = "https://other.example.test/x"
    assert settings.of(session, URL)["proxies"] == {}
    assert settings.of(session, other) == stock(session, other)
    assert settings.of(session, other)["proxies"]["https"] == "http://proxy.test:3128"


def test_the_environment_is_read_once_while_nothing_changes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[str] = []
    read_environment = requests.sessions.get_environ_proxies

    def counted(url: str, no_proxy: str | None = None) -> dict[str, str]:
        reads.append(url)
        return read_environment(url, no_proxy=no_proxy)

    monkeypatch.setattr(requests.sessions, "get_environ_proxies", counted)
    settings, session = EnvironmentSettings(), requests.Session()
    for _ in range(20):
        settings.of(session, URL)
    monkeypatch.setenv("https_proxy", "http://proxy.test:3128")
    for _ in range(20):
        settings.of(session, URL + "?page=2")
    assert len(reads) == 2


def test_the_answer_is_the_callers_to_change() -> None:
    settings, session = EnvironmentSettings(), requests.Session()
    first = settings.of(session, URL)
    first["stream"] = True
    first["proxies"]["https"] = "http://changed.test:1"
    assert settings.of(session, URL) == stock(session)


def test_a_session_with_its_own_merge_is_asked_every_time() -> None:
    class Counting(requests.Session):
        calls = 0

        def merge_environment_settings(self, *args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return super().merge_environment_settings(*args, **kwargs)

    settings, session = EnvironmentSettings(), Counting()
    for _ in range(3):
        settings.of(session, URL)
    assert session.calls == 3


def test_a_merge_replaced_on_the_instance_is_asked_every_time() -> None:
    session = requests.Session()
    stock_merge = session.merge_environment_settings
    settings = EnvironmentSettings()
    with mock.patch.object(session, "merge_environment_settings", wraps=stock_merge) as patched:
        for _ in range(3):
            settings.of(session, URL)
    assert patched.call_count == 3
    answers: Iterator[dict[str, Any]] = iter([{"verify": "/etc/pinned-ca.pem"}, {"verify": False}])

    def pinned_once(*args: Any) -> dict[str, Any]:
        return {"proxies": {}, "stream": None, "cert": None, **next(answers)}

    session.merge_environment_settings = pinned_once  # type: ignore[method-assign, assignment]
    assert settings.of(session, URL)["verify"] == "/etc/pinned-ca.pem"
    assert settings.of(session, URL)["verify"] is False


def test_a_proxy_set_while_the_environment_is_read_is_not_kept_once_it_is_removed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read_environment = requests.sessions.get_environ_proxies
    raced: list[str] = []

    def another_thread_sets_a_proxy(url: str, no_proxy: str | None = None) -> dict[str, str]:
        if not raced:  # between the key's read and the merge's, once
            raced.append(url)
            monkeypatch.setenv("HTTPS_PROXY", "http://proxy.test:3128")
        return read_environment(url, no_proxy=no_proxy)

    monkeypatch.setattr(requests.sessions, "get_environ_proxies", another_thread_sets_a_proxy)
    settings, session = EnvironmentSettings(), requests.Session()
    assert settings.of(session, URL)["proxies"] == {"https": "http://proxy.test:3128"}
    monkeypatch.delenv("HTTPS_PROXY")
    assert settings.of(session, URL) == stock(session)
    assert settings.of(session, URL)["proxies"] == {}


# -- over loopback: a proxy set between two calls is used by the second ----------------------------


class _Recording(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _RecordingServer

    def do_GET(self) -> None:
        self.server.request_lines.append(self.requestline)
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Recording)
        self.request_lines: list[str] = []


@pytest.fixture
def servers() -> Iterator[tuple[_RecordingServer, _RecordingServer]]:
    pair = (_RecordingServer(), _RecordingServer())
    threads = [threading.Thread(target=server.serve_forever, args=(0.05,)) for server in pair]
    for thread in threads:
        thread.start()
    yield pair
    for server, thread in zip(pair, threads, strict=True):
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_proxy_set_between_two_calls_carries_the_second(
    monkeypatch: pytest.MonkeyPatch, servers: tuple[_RecordingServer, _RecordingServer]
) -> None:
    api, proxy = servers
    base_url = f"http://127.0.0.1:{api.server_address[1]}"
    with Transport(base_url, provider="Ripio", map_error=map_ripio_error) as transport:
        transport.request("GET", "/api/v1/withdrawals/")
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
        transport.request("GET", "/api/v1/withdrawals/")
        monkeypatch.delenv("HTTP_PROXY")
        transport.request("GET", "/api/v1/withdrawals/")

    assert api.request_lines == ["GET /api/v1/withdrawals/ HTTP/1.1"] * 2
    assert proxy.request_lines == [f"GET {base_url}/api/v1/withdrawals/ HTTP/1.1"]
