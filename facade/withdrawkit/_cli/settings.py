"""Where the command line finds a provider's base URL and credentials: never on the command line.

Each setting comes from the first of: the ``--base-url`` option (the base URL only), the
environment variable ``WITHDRAWKIT_<PROVIDER>_<SETTING>``, the provider's section of the config
file. Secrets are never read from argv, where ``ps`` and shell history would show them.

The config file is INI (``[onekonto]``, ``[ripio]``), at ``--config``, else ``$WITHDRAWKIT_CONFIG``,
else ``$XDG_CONFIG_HOME/withdrawkit/config.ini`` (``~/.config/withdrawkit/config.ini``). Like ssh
with a private key, it is refused when anyone but its owner may read or write it, or when it
belongs to another user: ``chmod 600`` it. A file given explicitly must exist; the default one
may be absent. An unknown section or key is refused too, so a typo cannot pass for a setting.
"""

from __future__ import annotations

import configparser
import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import attrs
import click

from withdrawkit._cli.exit_codes import CONFIGURATION

__all__ = [
    "ONEKONTO",
    "RIPIO",
    "ConfigurationError",
    "ProviderSettings",
    "Setting",
    "default_config_path",
    "environment_name",
    "load_settings",
]


class ConfigurationError(click.ClickException):
    """Settings missing, unsafe or malformed; exits with CONFIGURATION, nothing was sent."""

    exit_code = CONFIGURATION


@attrs.frozen
class Setting:
    name: str  # the config file key; the environment variable is derived from it
    secret: bool = False
    required: bool = True


@attrs.frozen
class ProviderSettings:
    """The settings one provider's client is built from."""

    provider: str  # config section and environment prefix: "onekonto"
    settings: tuple[Setting, ...]

    def names(self) -> list[str]:
        return [setting.name for setting in self.settings]


ONEKONTO: Final = ProviderSettings(
    "onekonto",
    (
        Setting("base_url"),
        Setting("user"),
        Setting("account_id"),
        # Exactly one of these two: the plaintext, or its SHA-256 hex digest.
        Setting("password", secret=True, required=False),
        Setting("password_sha256", secret=True, required=False),
    ),
)
RIPIO: Final = ProviderSettings(
    "ripio",
    (Setting("base_url"), Setting("client_id"), Setting("client_secret", secret=True)),
)
_SECTIONS: Final = {ONEKONTO.provider: ONEKONTO, RIPIO.provider: RIPIO}


def environment_name(provider: str, setting: str) -> str:
    return f"WITHDRAWKIT_{provider.upper()}_{setting.upper()}"


def default_config_path(environ: Mapping[str, str]) -> Path:
    if environ.get("WITHDRAWKIT_CONFIG"):
        return Path(environ["WITHDRAWKIT_CONFIG"])
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "withdrawkit" / "config.ini"


def load_settings(
    wanted: ProviderSettings,
    *,
    base_url: str | None,
    config_path: Path | None,
    environ: Mapping[str, str],
) -> dict[str, str]:
    """Every setting ``wanted`` has a value for, by name; a required one missing is an error."""
    explicit = config_path is not None or bool(environ.get("WITHDRAWKIT_CONFIG"))
    path = config_path if config_path is not None else default_config_path(environ)
    from_file = _read_config(path, explicit=explicit).get(wanted.provider, {})
    values: dict[str, str] = {}
    for setting in wanted.settings:
        value = environ.get(environment_name(wanted.provider, setting.name)) or from_file.get(
            setting.name
        )
        if value:
            values[setting.name] = value
    if base_url:
        values["base_url"] = base_url
    missing = [s.name for s in wanted.settings if s.required and s.name not in values]
    if missing:
        raise ConfigurationError(_missing_message(wanted.provider, missing, path))
    return values


def _missing_message(provider: str, missing: Sequence[str], path: Path) -> str:
    names = ", ".join(
        environment_name(provider, name) + (" (or --base-url)" if name == "base_url" else "")
        for name in missing
    )
    return (
        f"{provider}: no {', '.join(missing)}. Set {names}, "
        f"or put them in the [{provider}] section of {path}"
    )


def _read_config(path: Path, *, explicit: bool) -> dict[str, dict[str, str]]:
    try:
        status = path.stat()
    except FileNotFoundError:
        if explicit:
            raise ConfigurationError(f"config file {path} does not exist") from None
        return {}
    except OSError as error:
        raise ConfigurationError(f"cannot read config file {path}: {error}") from error
    _check_private(path, status)
    parser = configparser.ConfigParser(interpolation=None)  # a "%" in a secret stays a "%"
    try:
        with path.open(encoding="utf-8") as text:
            parser.read_file(text)
    except (configparser.Error, UnicodeDecodeError, OSError) as error:
        raise ConfigurationError(
            f"config file {path} is not valid: {_first_line(error)}"
        ) from error
    return _sections(parser, path)


def _check_private(path: Path, status: os.stat_result) -> None:
    """Refuse a config file others may read or change, as ssh refuses such a key."""
    if os.name != "posix":
        return  # Windows has no mode bits to check; its ACLs are the user's to set
    if not stat.S_ISREG(status.st_mode):
        raise ConfigurationError(f"config file {path} is not a regular file")
    if status.st_uid != os.geteuid():
        raise ConfigurationError(f"config file {path} belongs to another user; refusing it")
    if status.st_mode & 0o077:
        mode = stat.S_IMODE(status.st_mode)
        raise ConfigurationError(
            f"config file {path} is open to other users (mode {mode:04o}) and holds secrets; "
            f"refusing it. Run: chmod 600 {path}"
        )


def _sections(parser: configparser.ConfigParser, path: Path) -> dict[str, dict[str, str]]:
    sections: dict[str, dict[str, str]] = {}
    for name in parser.sections():
        known = _SECTIONS.get(name)
        if known is None:
            raise ConfigurationError(
                f"config file {path}: unknown section [{name}]; use [onekonto] or [ripio]"
            )
        values = dict(parser.items(name))
        unknown = sorted(set(values) - set(known.names()))
        if unknown:
            raise ConfigurationError(
                f"config file {path}: unknown keys {unknown} in [{name}]; it takes {known.names()}"
            )
        sections[name] = {key: value.strip() for key, value in values.items()}
    return sections


def _first_line(error: Exception) -> str:
    # configparser quotes the offending line, which may hold a secret: keep its first line only.
    return str(error).splitlines()[0] if str(error) else type(error).__name__
