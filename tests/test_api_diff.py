"""scripts/api_diff.py on a throwaway clone: what a spec or facade change does to callers.

Each test copies the repository's files into a fresh git repository (one commit, on main),
changes a spec or a facade module as a maintainer would, regenerates the models, and runs
the script as ``nox -s api_diff`` does: against the merge-base with main.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.repository_files import repository_files

ROOT = Path(__file__).resolve().parent.parent
GIT = shutil.which("git") or "git"

pytest.importorskip("griffe", reason="griffe is a nox-installed tool")
pytest.importorskip("datamodel_code_generator", reason="the generator is a nox-installed tool")

WITHDRAWAL_STATUSES = "        - PENDING\n        - COMPLETED\n        - ERROR\n"
WITHDRAWAL_ADDRESS = """\
        address:
          type: string
          maxLength: 128
          description: Destination address (max length 128, DOC-old schema).
"""


# The environment of every git command and api_diff run below, without the GIT_* variables of a
# caller such as `git rebase --exec pytest`: with GIT_DIR inherited, `git init` would re-initialise
# the enclosing repository as a bare one instead of making the test's own.
ISOLATED = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}


def _git(repo: Path, *arguments: str) -> str:
    identity = ["-c", "user.name=api-diff test", "-c", "user.email=api-diff@example.invalid"]
    completed = subprocess.run(
        [GIT, *identity, *arguments],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env=ISOLATED,
    )
    return completed.stdout


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """The repository's files (tracked and new, not ignored) committed on main in tmp_path."""
    repo = tmp_path / "repo"
    for name in repository_files():
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    _git(repo, "init", "--quiet", "--initial-branch=main")
    _git(repo, "add", "--all")
    _git(repo, "commit", "--quiet", "--message", "as on main")
    return repo


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_spec(repo: Path, spec: str, *replacements: tuple[str, str]) -> None:
    """Edit openapi/``spec``.yaml as a maintainer would, then regenerate the models."""
    for old, new in replacements:
        edit(repo / "openapi" / f"{spec}.yaml", old, new)
    regenerate(repo)


def remove_withdrawal_address(repo: Path) -> None:
    """Withdrawal.address, a required property, disappears from openapi/ripio.yaml."""
    edit_spec(
        repo,
        "ripio",
        (
            "        - amount\n        - address\n        - network_name\n",
            "        - amount\n        - network_name\n",
        ),
        (WITHDRAWAL_ADDRESS, ""),
    )


def regenerate(repo: Path) -> None:
    subprocess.run([sys.executable, "scripts/generate.py"], cwd=repo, check=True)


def api_diff(repo: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/api_diff.py", *arguments],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
        env=ISOLATED,
    )


def breaking_lines(output: str) -> list[str]:
    section = output.split("Breaking changes:", 1)[1].split("Additions", 1)[0]
    return [line.strip() for line in section.splitlines()[1:] if line.strip()]


def test_an_unchanged_clone_has_no_breaking_change(clone: Path) -> None:
    regenerate(clone)
    result = api_diff(clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "public API: the merge-base with main (" in result.stdout
    assert "Breaking changes: 0," in result.stdout
    assert "Additions and compatible changes: 0" in result.stdout


def test_a_required_field_removed_from_the_ripio_spec_fails_naming_model_and_field(
    clone: Path,
) -> None:
    remove_withdrawal_address(clone)
    assert "address" not in _withdrawal_class(clone)
    result = api_diff(clone)
    assert result.returncode == 1, result.stdout + result.stderr
    assert breaking_lines(result.stdout) == ["withdrawkit.Withdrawal.address: field removed"]
    assert "1 not named in CHANGELOG.md's Unreleased section" in result.stdout


def test_a_breaking_change_named_under_unreleased_passes(clone: Path) -> None:
    remove_withdrawal_address(clone)
    edit(
        clone / "CHANGELOG.md",
        "## [Unreleased]\n",
        "## [Unreleased]\n\n### Removed\n\n- `withdrawkit.Withdrawal.address`: Ripio dropped it.\n",
    )
    result = api_diff(clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert breaking_lines(result.stdout) == [
        "withdrawkit.Withdrawal.address: field removed  (named in the changelog)"
    ]


def test_a_name_under_a_released_version_does_not_count(clone: Path) -> None:
    remove_withdrawal_address(clone)
    changelog = clone / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8")
        + "\n## [0.0.1] - 2020-01-01\n\n- `withdrawkit.Withdrawal.address`: long ago.\n",
        encoding="utf-8",
    )
    assert api_diff(clone).returncode == 1


def test_a_field_that_became_required_and_a_removed_enum_member_are_breaking(
    clone: Path,
) -> None:
    edit_spec(
        clone,
        "ripio",
        (
            "        - network_name\n      properties:",
            "        - network_name\n        - status\n      properties:",
        ),
        (WITHDRAWAL_STATUSES, "        - PENDING\n        - COMPLETED\n"),
    )
    result = api_diff(clone)
    assert result.returncode == 1
    assert breaking_lines(result.stdout) == [
        "withdrawkit.Withdrawal.status: field became required (it has no default any more);"
        " type narrowed: WithdrawalStatus | None -> WithdrawalStatus",
        "withdrawkit.WithdrawalStatus.ERROR: removed",
    ]


def test_client_signatures_and_exception_ancestry_are_compared(clone: Path) -> None:
    client = clone / "facade" / "withdrawkit" / "_ripio_withdrawals.py"
    edit(
        client,
        "        amount: Amount | str,\n        *,\n        end_user: str,",
        "        amount: Amount,\n        *,\n        end_user: str,",
    )
    edit(
        client,
        "        withdrawal_fee_id: str | None = None,\n    ) -> Withdrawal:",
        "        withdrawal_fee_id: str | None = None,\n"
        "        memo: str = '',\n"
        "    ) -> Withdrawal:",
    )
    edit(
        clone / "facade" / "withdrawkit" / "_exceptions.py",
        "class QuoteExpired(APIError):",
        "class QuoteExpired(WithdrawKitError):",
    )
    result = api_diff(clone)
    assert result.returncode == 1
    lines = breaking_lines(result.stdout)
    narrowed = "accepted type narrowed: Amount | str -> Amount"
    assert f"withdrawkit.RipioClient.create_withdrawal(amount): {narrowed}" in lines
    assert "withdrawkit.QuoteExpired: no longer a subclass of withdrawkit.APIError" in lines
    assert "withdrawkit.QuoteExpired.http_status: removed" in lines
    assert (
        "withdrawkit.RipioClient.create_withdrawal(memo): new optional parameter" in result.stdout
    )


def test_additions_are_listed_apart_and_do_not_fail(clone: Path) -> None:
    edit_spec(
        clone,
        "ripio",
        (WITHDRAWAL_STATUSES, f"{WITHDRAWAL_STATUSES}        - CANCELLED\n"),
        (
            "        debited_amount:\n          allOf:",
            "        memo:\n          type: string\n        debited_amount:\n          allOf:",
        ),
    )
    result = api_diff(clone)
    assert result.returncode == 0, result.stdout
    assert "Breaking changes: 0," in result.stdout
    additions = result.stdout.split("Additions and compatible changes: 2", 1)[1]
    assert "withdrawkit.Withdrawal.memo: new optional field" in additions
    assert "withdrawkit.WithdrawalStatus.CANCELLED: new member" in additions


def test_an_explicit_ref_is_compared_and_named(clone: Path) -> None:
    remove_withdrawal_address(clone)
    _git(clone, "commit", "--quiet", "--all", "--message", "drop Withdrawal.address")
    assert api_diff(clone, "HEAD").returncode == 0
    result = api_diff(clone, "HEAD^")
    assert result.returncode == 1
    assert re.search(r"public API: HEAD\^ \([0-9a-f]+\) -> working tree", result.stdout)
    assert breaking_lines(result.stdout) == ["withdrawkit.Withdrawal.address: field removed"]


def test_types_public_annotations_use_are_public_though_not_re_exported(clone: Path) -> None:
    # Account.sources is list[AccountSource], many fields are an AssetCode, and
    # DepositInstruction.assetType a DepositAssetType; none of the three is re-exported.
    edit_spec(
        clone,
        "onekonto",
        (
            "        entityId:\n          type: string\n"
            "          description: '[A] only; its values are not documented.'\n",
            "",
        ),
        ("    AssetCode:\n      type: string\n", "    AssetCode:\n      type: integer\n"),
        ("        - blockchain\n        - fiat\n", "        - blockchain\n"),
    )
    result = api_diff(clone)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = breaking_lines(result.stdout)
    module = "withdrawkit_generated.onekonto"
    assert f"{module}.AccountSource.entity_id: field removed" in lines
    assert f"{module}.AssetCode: aliased type changed: str -> int" in lines
    assert f"{module}.DepositAssetType.FIAT: removed" in lines
    assert len(lines) == 3, lines


def test_constructor_parameters_of_hand_written_classes_are_compared(clone: Path) -> None:
    facade = clone / "facade" / "withdrawkit"
    edit(
        facade / "_amount.py",
        "value: Decimal | int | str, asset: str",
        "value: Decimal, asset: str",
    )
    edit(
        facade / "_ripio_client.py",
        "        session: requests.Session | None = None,",
        "        session: None = None,\n        proxies: dict[str, str] | None = None,",
    )
    edit(
        facade / "_exceptions.py",
        "        requested: Amount | None = None,",
        "        requested: str | None = None,",
    )
    result = api_diff(clone)
    assert result.returncode == 1, result.stdout + result.stderr
    assert breaking_lines(result.stdout) == [
        "withdrawkit.Amount.__init__(value): accepted type narrowed:"
        " Decimal | int | str -> Decimal",
        "withdrawkit.InsufficientFunds.__init__(requested): accepted type changed:"
        " Amount | None -> str | None",
        "withdrawkit.RipioClient.__init__(session): accepted type narrowed:"
        " requests.Session | None -> None",
    ]
    assert "withdrawkit.RipioClient.__init__(proxies): new optional parameter" in result.stdout


def test_the_spelling_of_a_type_is_not_a_change(clone: Path) -> None:
    facade = clone / "facade" / "withdrawkit"
    typing_imports = (
        "from __future__ import annotations\n\nimport typing\nfrom typing import Optional\n"
    )
    for module in ("_ripio_withdrawals.py", "_ripio_fiat.py"):
        edit(facade / module, "from __future__ import annotations\n", typing_imports)
    edit(
        facade / "_ripio_withdrawals.py",
        "        withdrawal_fee_id: str | None = None,\n    ) -> Withdrawal:",
        "        withdrawal_fee_id: Optional[str] = None,\n    ) -> Withdrawal:",
    )
    edit(
        facade / "_ripio_fiat.py",
        ") -> list[BeneficiaryFiatAccount]:",
        ") -> typing.List[BeneficiaryFiatAccount]:",
    )
    exceptions = clone / "facade" / "withdrawkit" / "_exceptions.py"
    edit(
        exceptions, "from typing import TYPE_CHECKING,", "from typing import TYPE_CHECKING, Union,"
    )
    edit(
        exceptions,
        "        available: Amount | None = None,",
        "        available: Union[None, Amount] = None,",
    )
    result = api_diff(clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Breaking changes: 0," in result.stdout
    assert "Additions and compatible changes: 0" in result.stdout


def test_each_unnamed_breaking_change_gets_a_bullet_to_paste(clone: Path) -> None:
    remove_withdrawal_address(clone)
    edit(
        clone / "facade" / "withdrawkit" / "_amount.py",
        "value: Decimal | int | str,",
        "value: Decimal,",
    )
    result = api_diff(clone)
    assert result.returncode == 1
    bullets = result.stdout.split("ready to paste", 1)[1]
    removed = "- `withdrawkit.Withdrawal.address`: field removed."
    changed = (
        "- `withdrawkit.Amount.__init__(value)`: accepted type narrowed:"
        " Decimal | int | str -> Decimal."
    )
    assert "### Changed" in bullets and "### Removed" in bullets
    assert bullets.index(removed) > bullets.index("### Removed")
    assert bullets.index(changed) > bullets.index("### Changed")
    edit(
        clone / "CHANGELOG.md",
        "## [Unreleased]\n",
        f"## [Unreleased]\n\n### Changed\n\n{changed}\n\n### Removed\n\n{removed}\n",
    )
    assert api_diff(clone).returncode == 0


GET_TRANSACTION = """\
    def get_transaction(self, transaction_id: str) -> dict[str, Any]:
        \"\"\"One executed transaction (a withdrawal's ``transaction_id``), as Ripio sent it.\"\"\"
        path = f"{TRANSACTIONS}{path_segment(transaction_id)}/"
        answer = self._api.request("GET", path)
        return read_response(answer, dict[str, Any], operation="get_transaction")

"""


def commit_older_shape(repo: Path, *, declared_on_the_client: str) -> None:
    """Commit on main a version where ``RipioClient`` itself declares ``get_transaction`` (as
    ``declared_on_the_client``) instead of inheriting it from the MarketAndTransactions mixin,
    then put the working tree back as it is now: the method moved into the mixin since main."""
    facade = repo / "facade" / "withdrawkit"
    edit(facade / "_ripio_market.py", GET_TRANSACTION, "")
    edit(
        facade / "_ripio_client.py",
        "    def _issue_token(self) -> IssuedToken:\n",
        f"{declared_on_the_client}\n    def _issue_token(self) -> IssuedToken:\n",
    )
    _git(repo, "commit", "--quiet", "--all", "--message", "get_transaction on RipioClient itself")
    _git(repo, "checkout", "HEAD~1", "--", "facade")


def test_a_method_moved_into_a_mixin_with_its_keyword_renamed_is_breaking(clone: Path) -> None:
    # The shape of the end_user_id= -> end_user= rename, made while RipioClient's methods moved
    # into one mixin per operation group: griffe alone skips a method that became inherited.
    commit_older_shape(
        clone,
        declared_on_the_client=(
            "    def get_transaction(self, transaction: str) -> dict[str, Any]:\n"
            "        return {}\n"
        ),
    )
    result = api_diff(clone)
    assert result.returncode == 1, result.stdout + result.stderr
    assert breaking_lines(result.stdout) == [
        "withdrawkit.RipioClient.get_transaction(transaction): parameter was renamed to"
        " transaction_id (a call passing transaction= fails)"
    ]
    assert "`withdrawkit.RipioClient.get_transaction(transaction)`" in result.stdout


def test_inherited_methods_that_lost_a_parameter_or_a_default_or_went_away_are_breaking(
    clone: Path,
) -> None:
    commit_older_shape(
        clone,
        declared_on_the_client=(
            "    def get_transaction(\n"
            "        self, transaction_id: str = 'latest', *, expand: bool = False\n"
            "    ) -> dict[str, Any]:\n"
            "        return {}\n"
        ),
    )
    edit(  # list_transactions, inherited in both versions, goes away from the mixin
        clone / "facade" / "withdrawkit" / "_ripio_market.py",
        "    def list_transactions(self) -> Iterator[dict[str, Any]]:",
        "    def _list_transactions(self) -> Iterator[dict[str, Any]]:",
    )
    result = api_diff(clone)
    assert result.returncode == 1, result.stdout + result.stderr
    assert breaking_lines(result.stdout) == [
        "withdrawkit.RipioClient.get_transaction(expand): parameter was removed",
        "withdrawkit.RipioClient.get_transaction(transaction_id): parameter is now required",
        "withdrawkit.RipioClient.list_transactions: removed",
    ]


def test_a_positional_parameter_moved_across_the_move_into_a_mixin_is_breaking(
    clone: Path,
) -> None:
    commit_older_shape(
        clone,
        declared_on_the_client=(
            "    def get_transaction(self, page: int, transaction_id: str) -> dict[str, Any]:\n"
            "        return {}\n"
        ),
    )
    result = api_diff(clone)
    assert result.returncode == 1, result.stdout + result.stderr
    assert breaking_lines(result.stdout) == [
        "withdrawkit.RipioClient.get_transaction(page): parameter was removed",
        "withdrawkit.RipioClient.get_transaction(transaction_id): positional parameter was"
        " moved: argument 2 -> 1",
    ]


def test_a_signature_unchanged_across_the_move_into_a_mixin_is_not_a_change(clone: Path) -> None:
    commit_older_shape(clone, declared_on_the_client=GET_TRANSACTION)
    result = api_diff(clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Breaking changes: 0," in result.stdout
    assert "Additions and compatible changes: 0" in result.stdout


def _withdrawal_class(repo: Path) -> str:
    source = (repo / "generated" / "withdrawkit_generated" / "ripio.py").read_text()
    return source.split("class Withdrawal:", 1)[1].split("\nclass ", 1)[0]


def test_a_default_written_as_the_value_of_its_constant_is_not_a_change(clone: Path) -> None:
    edit(
        clone / "facade" / "withdrawkit" / "_ripio_lifecycle.py",
        "        timeout: float = DEFAULT_TIMEOUT,",
        "        timeout: float = 600.0,",
    )
    result = api_diff(clone)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Breaking changes: 0," in result.stdout
    assert "Additions and compatible changes: 0" in result.stdout


def test_defaults_are_compared_by_value_and_an_unreadable_one_is_flagged(clone: Path) -> None:
    facade = clone / "facade" / "withdrawkit"
    lifecycle = facade / "_ripio_lifecycle.py"
    edit(lifecycle, "        timeout: float = DEFAULT_TIMEOUT,", "        timeout: float = 300.0,")
    edit(
        lifecycle,
        "        poll_interval: float = DEFAULT_POLL_INTERVAL,",
        "        poll_interval: float = float(5),",
    )
    edit(
        facade / "_wait_defaults.py",
        "DEFAULT_TIMEOUT: Final = 600.0",
        "DEFAULT_TIMEOUT: Final = 900.0",
    )
    result = api_diff(clone)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = breaking_lines(result.stdout)
    ripio_wait = "withdrawkit.RipioClient.wait_for_withdrawal"
    assert f"{ripio_wait}(timeout): default changed: DEFAULT_TIMEOUT (600.0) -> 300.0" in lines
    assert (
        f"{ripio_wait}(poll_interval): default expression changed (check the value):"
        " DEFAULT_POLL_INTERVAL -> float(5)"
    ) in lines
    # The constant changed under the same name: every default naming it changed.
    renamed_value = "default changed: DEFAULT_TIMEOUT (600.0) -> DEFAULT_TIMEOUT (900.0)"
    assert (
        f"withdrawkit.OneKontoClient.wait_for_withdraw_request(timeout): {renamed_value}" in lines
    )
    assert f"withdrawkit.OneKontoClient.wait_for_order(timeout): {renamed_value}" in lines
    assert f"withdrawkit.RipioClient.wait_for_fiat_withdrawal(timeout): {renamed_value}" in lines
