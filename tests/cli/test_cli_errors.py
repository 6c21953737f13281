"""Exit codes (one per exception class, documented in the README) and where settings come from."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import withdrawkit as wk
from tests.cli.support import Run, ripio_env, run
from tests.loopback import free_port
from withdrawkit._cli.exit_codes import (
    CONFIGURATION,
    CRASH,
    DECLINED,
    ENDED_UNSUCCESSFULLY,
    EXCEPTION_CODES,
    INTERRUPTED,
    OK,
    STILL_PENDING,
    USAGE,
    exit_code_for,
)
from withdrawkit.testing import FakeRipio

ROOT = Path(__file__).resolve().parents[2]
ADDRESS = "0x36f672385c060290f4785F1ECFF58aE4aBB2FD15"
WITHDRAW = ("--end-user", "customer_10", "--address", ADDRESS, "--network", "ETHEREUM", "--yes")


@pytest.fixture
def fake() -> Iterator[FakeRipio]:
    fake = FakeRipio()
    fake.deposit("customer_10", "1 ETH")
    with fake.serve():
        yield fake


def ripio(fake: FakeRipio, home: Path, *arguments: str, **env: str) -> Run:
    return run("ripio", *arguments, env={**ripio_env(fake.url), **env}, home=home)


# -- one code per exception class ---------------------------------------------------------------


def exception_classes() -> list[type[wk.WithdrawKitError]]:
    values = [getattr(wk, name) for name in wk.__all__]
    return [v for v in values if isinstance(v, type) and issubclass(v, wk.WithdrawKitError)]


def test_every_exception_class_has_its_own_code() -> None:
    classes = exception_classes()
    missing = [
        cls.__name__ for cls in classes if cls not in EXCEPTION_CODES and cls is not wk.AmountError
    ]
    assert missing == [], "give each new exception class its exit code (and a README row)"
    codes = list(EXCEPTION_CODES.values())
    assert len(set(codes)) == len(codes)
    own = {
        OK,
        CRASH,
        USAGE,
        DECLINED,
        CONFIGURATION,
        ENDED_UNSUCCESSFULLY,
        STILL_PENDING,
        INTERRUPTED,
    }
    assert own.isdisjoint(codes)


def test_a_class_without_a_code_exits_with_its_parents() -> None:
    assert exit_code_for(wk.AmountError("bad")) == EXCEPTION_CODES[wk.InvalidArgument]

    class Newer(wk.InsufficientFunds):
        pass

    assert exit_code_for(Newer(provider="Ripio")) == EXCEPTION_CODES[wk.InsufficientFunds]


def test_the_readme_documents_every_exit_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Exit codes") :]
    rows = dict(re.findall(r"^\| (\d+) \| `?([A-Za-z ,/()-]+?)`?(?: \(|\s*\|)", section, re.M))
    for cls, code in EXCEPTION_CODES.items():
        assert rows.get(str(code)) == cls.__name__, (code, cls.__name__)
    for code in (OK, USAGE, DECLINED, CONFIGURATION, ENDED_UNSUCCESSFULLY, STILL_PENDING):
        assert str(code) in rows


# -- each refusal, end to end -------------------------------------------------------------------


def test_insufficient_funds_exits_22(fake: FakeRipio, tmp_path: Path) -> None:
    done = ripio(fake, tmp_path, "withdraw", "5 ETH", *WITHDRAW)
    assert done.code == 22
    assert done.stderr.splitlines()[-1].startswith("error: InsufficientFunds: ")


def test_a_zero_amount_exits_21_before_asking_or_sending(fake: FakeRipio, tmp_path: Path) -> None:
    done = ripio(fake, tmp_path, "withdraw", "0 ETH", *WITHDRAW[:-1])  # no --yes: never asked
    assert done.code == 21
    assert "About to" not in done.stderr
    assert fake.received == []


def test_bad_amount_text_exits_10(fake: FakeRipio, tmp_path: Path) -> None:
    done = ripio(fake, tmp_path, "withdraw", "1,5 ETH", *WITHDRAW)
    assert done.code == 10
    assert "error: AmountError:" in done.stderr
    assert fake.received == []


def test_wrong_credentials_exit_27(fake: FakeRipio, tmp_path: Path) -> None:
    done = ripio(fake, tmp_path, "list", WITHDRAWKIT_RIPIO_CLIENT_SECRET="wrong")
    assert done.code == 27
    assert "wrong" not in done.stderr  # the secret is never echoed


def test_an_unknown_withdrawal_exits_28(fake: FakeRipio, tmp_path: Path) -> None:
    done = ripio(fake, tmp_path, "status", "00000000-0000-4000-8000-000000000000")
    assert done.code == 28


def test_a_server_error_exits_30_and_an_unreadable_answer_13(
    fake: FakeRipio, tmp_path: Path
) -> None:
    fake.faults.fail_next("listWithdrawals", status=500)
    assert ripio(fake, tmp_path, "list").code == 30
    fake.faults.fail_next(
        "listWithdrawals", status=200, body="<html>hi</html>", content_type="text/html"
    )
    assert ripio(fake, tmp_path, "list").code == 13


def test_a_refused_connection_exits_11(tmp_path: Path) -> None:
    env = ripio_env(f"http://127.0.0.1:{free_port()}")
    done = run("ripio", "list", env=env, home=tmp_path)
    assert done.code == 11
    assert "error: TransportError:" in done.stderr


def test_a_bad_base_url_exits_10(tmp_path: Path) -> None:
    done = run("ripio", "--base-url", "ripio.example", "list", env=ripio_env("x"), home=tmp_path)
    assert done.code == 10


def test_usage_errors_exit_2_and_secrets_have_no_option(tmp_path: Path) -> None:
    done = run("ripio", "list", "--client-secret", "s3cret", env={}, home=tmp_path)
    assert done.code == USAGE
    assert "No such option '--client-secret'" in done.stderr


# -- settings: environment, config file, permissions ---------------------------------------------


def write_config(home: Path, text: str, mode: int = 0o600) -> Path:
    path = home / ".config" / "withdrawkit" / "config.ini"
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def config_of(fake: FakeRipio) -> str:
    return (
        f"[ripio]\nbase_url = {fake.url}\nclient_id = test-client-id\n"
        "client_secret = test-client-secret\n"
    )


def test_no_base_url_exits_4_naming_where_to_put_it(tmp_path: Path) -> None:
    done = run("ripio", "list", env={}, home=tmp_path)
    assert done.code == CONFIGURATION
    assert "WITHDRAWKIT_RIPIO_BASE_URL (or --base-url)" in done.stderr
    assert "WITHDRAWKIT_RIPIO_CLIENT_SECRET" in done.stderr


def test_the_default_config_file_is_read_when_private(fake: FakeRipio, tmp_path: Path) -> None:
    write_config(tmp_path, config_of(fake))
    done = run("ripio", "list", "--json", env={}, home=tmp_path)
    assert (done.code, done.json()) == (0, [])


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o602])
def test_a_config_file_others_can_open_is_refused(
    fake: FakeRipio, tmp_path: Path, mode: int
) -> None:
    path = write_config(tmp_path, config_of(fake), mode)
    done = run("ripio", "list", env={}, home=tmp_path)
    assert done.code == CONFIGURATION
    assert f"(mode {mode:04o})" in done.stderr
    assert f"chmod 600 {path}" in done.stderr
    assert fake.received == []


def test_the_environment_wins_over_the_file_and_the_option_over_both(
    fake: FakeRipio, tmp_path: Path
) -> None:
    write_config(tmp_path, config_of(fake).replace("test-client-secret", "stale"))
    env = {
        "WITHDRAWKIT_RIPIO_CLIENT_SECRET": "test-client-secret",
        "WITHDRAWKIT_RIPIO_BASE_URL": f"http://127.0.0.1:{free_port()}",
    }
    done = run("ripio", "--base-url", fake.url, "list", "--json", env=env, home=tmp_path)
    assert (done.code, done.json()) == (0, [])


def test_an_explicit_config_file_must_exist_and_be_well_formed(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.ini"
    done = run("--config", str(missing), "ripio", "list", env={}, home=tmp_path)
    assert (done.code, f"config file {missing} does not exist" in done.stderr) == (4, True)
    typo = write_config(tmp_path, "[ripio]\nclient_secert = x\n")
    done = run("--config", str(typo), "ripio", "list", env={}, home=tmp_path)
    assert done.code == 4
    assert "unknown keys ['client_secert'] in [ripio]" in done.stderr
    os.chmod(typo, 0o600)
    typo.write_text("[ripo]\nclient_id = x\n", encoding="utf-8")
    done = run("ripio", "list", env={"WITHDRAWKIT_CONFIG": str(typo)}, home=tmp_path)
    assert (done.code, "unknown section [ripo]" in done.stderr) == (4, True)
    typo.write_text("client_secret = hunter2\n", encoding="utf-8")
    done = run("ripio", "list", env={"WITHDRAWKIT_CONFIG": str(typo)}, home=tmp_path)
    assert done.code == 4
    assert "hunter2" not in done.stderr
