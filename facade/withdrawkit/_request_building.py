"""The transport's arguments checked, and a request's URL, query string and form built from them.

Everything here runs before anything is sent: a base URL, timeout, retry count, method or path
that cannot work is refused with ``InvalidArgument`` (a ``ValueError``) or ``TypeError``; query
values are written by the wire's rules (every decimal digit, no floats); and when requests
cannot prepare a request, the reason is given without quoting a header value (it may be a token).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Final
from urllib.parse import urlencode, urlsplit, urlunsplit

import requests

from withdrawkit import _wire_json as wire_json
from withdrawkit._decimals import plain_text
from withdrawkit._redaction import redact_url
from withdrawkit._root_error import InvalidArgument
from withdrawkit._secrets import Secret, revealed
from withdrawkit._version import __version__

__all__ = [
    "DEFAULT_POOL_MAXSIZE",
    "MAX_POOL_MAXSIZE",
    "MAX_RETRIES_LIMIT",
    "USER_AGENT",
    "built_request",
    "endpoint_url",
    "form_fields",
    "masked_values",
    "query_string",
    "query_value",
    "revealed_json",
    "revealed_values",
    "unpreparable",
    "user_agent_header",
    "validated_base_url",
    "validated_max_retries",
    "validated_method",
    "validated_pool_maxsize",
    "validated_timeout",
    "validated_user_agent",
]

MAX_RETRIES_LIMIT: Final = 10
# Connections kept per host when the caller does not say: enough for 32 threads sharing one
# client without urllib3 discarding connections ("connection pool is full").
DEFAULT_POOL_MAXSIZE: Final = 32
# More idle connections than this per host would be a mistake, not a tuning.
MAX_POOL_MAXSIZE: Final = 1024

_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
# What requests accepts as a header value (requests.utils.check_header_validity).
_VALID_HEADER_VALUE: Final = re.compile(r"(?:\S[^\r\n]*)?")
# Left unescaped in query strings: 1Konto's docs write "assetPairs=USDT/USD,USDC/USD".
_QUERY_SAFE: Final = "/,"


def validated_base_url(base_url: str) -> str:
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a string, got {type(base_url).__name__}")
    if any(char.isspace() or not char.isprintable() for char in base_url):
        raise InvalidArgument("base_url must not contain spaces or control characters")
    parts = urlsplit(base_url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise InvalidArgument(
            f"base_url must be an http(s) URL with a host, such as 'https://api.example', "
            f"got {redact_url(base_url)!r}"
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidArgument(
            "base_url must not carry credentials; give them to the client instead"
        )
    if parts.query or parts.fragment:
        raise InvalidArgument(
            f"base_url must not have a query or fragment: {redact_url(base_url)!r}"
        )
    try:
        parts.port  # noqa: B018 - reading it validates the port
        requests.Request("GET", base_url).prepare()  # host names requests cannot encode
    except (ValueError, requests.exceptions.RequestException) as error:
        raise InvalidArgument(f"base_url is not a usable URL: {redact_url(base_url)!r}") from error
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path.rstrip("/"), "", ""))


def validated_pool_maxsize(pool_maxsize: int | None) -> int:
    """``pool_maxsize`` (None: ``DEFAULT_POOL_MAXSIZE``) if it is a count of 1 to 1024."""
    if pool_maxsize is None:
        return DEFAULT_POOL_MAXSIZE
    if isinstance(pool_maxsize, bool) or not isinstance(pool_maxsize, int):
        raise TypeError(f"pool_maxsize must be an int, got {type(pool_maxsize).__name__}")
    if not 1 <= pool_maxsize <= MAX_POOL_MAXSIZE:
        raise InvalidArgument(
            f"pool_maxsize must be between 1 and {MAX_POOL_MAXSIZE}, got {pool_maxsize}"
        )
    return pool_maxsize


def validated_timeout(timeout: tuple[float, float]) -> tuple[float, float]:
    if not isinstance(timeout, (tuple, list)) or len(timeout) != 2:
        raise TypeError(f"timeout must be a (connect_seconds, read_seconds) pair, got {timeout!r}")
    for name, seconds in zip(("connect", "read"), timeout, strict=True):
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float, Decimal)):
            raise TypeError(f"{name} timeout must be a number of seconds, got {seconds!r}")
        if not math.isfinite(seconds) or seconds <= 0:
            raise InvalidArgument(f"{name} timeout must be finite and positive, got {seconds!r}")
    return (float(timeout[0]), float(timeout[1]))


def validated_max_retries(max_retries: int) -> int:
    if isinstance(max_retries, bool) or not isinstance(max_retries, int):
        raise TypeError(f"max_retries must be an int, got {max_retries!r}")
    if not 0 <= max_retries <= MAX_RETRIES_LIMIT:
        raise InvalidArgument(
            f"max_retries must be between 0 and {MAX_RETRIES_LIMIT}, got {max_retries}"
        )
    return max_retries


def validated_method(method: str) -> str:
    if not isinstance(method, str) or method.upper() not in _METHODS:
        raise InvalidArgument(f"unsupported HTTP method {method!r}")
    return method.upper()


def endpoint_url(base_url: str, path: str) -> str:
    """``path`` joined to ``base_url``; a path that could lead elsewhere is an InvalidArgument."""
    if not isinstance(path, str) or not path.strip("/ "):
        raise InvalidArgument(
            f"path must name an endpoint such as '/api/v1/withdrawals/', got {path!r}"
        )
    if "://" in path or path.startswith("//"):
        raise InvalidArgument("path must be relative to base_url; absolute URLs are refused")
    if "?" in path or "#" in path:
        raise InvalidArgument("put query parameters in params=, not in the path")
    if any(segment in {".", ".."} for segment in path.split("/")):
        raise InvalidArgument(f"path must not contain '.' or '..' segments: {path!r}")
    return f"{base_url}/{path.lstrip('/')}"


def query_string(params: Mapping[str, object] | None) -> str:
    pairs: list[tuple[str, str]] = []
    for name, value in (params or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        pairs.extend((name, query_value(name, item)) for item in values if item is not None)
    return urlencode(pairs, safe=_QUERY_SAFE)


def query_value(name: str, value: object) -> str:
    """How query parameter ``name`` writes ``value`` on the wire.

    An enum writes its value, a bool ``true``/``false``, a Decimal every digit without an
    exponent, an int and a str as they are; a float (which money never is) and anything else
    raise ``TypeError``.
    """
    if isinstance(value, enum.Enum):
        return query_value(name, value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return plain_text(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise TypeError(f"query parameter {name!r} is a float; pass a Decimal or a string")
    raise TypeError(f"query parameter {name!r} cannot be {type(value).__name__}")


def form_fields(form: Mapping[str, str]) -> dict[str, str]:
    for name, value in form.items():
        if not isinstance(name, str) or not isinstance(value, str):
            raise TypeError(f"form fields must be strings, got {name!r}: {type(value).__name__}")
    return dict(form)


def unpreparable(error: Exception, *header_maps: Mapping[str, str | bytes]) -> str:
    """Why requests could not prepare a request, naming no header value (it may be a token)."""
    invalid = sorted(
        {
            str(name)
            for headers in header_maps
            for name, value in headers.items()
            if not _is_valid_header_value(value)
        }
    )
    if invalid:
        names = ", ".join(repr(name) for name in invalid)
        return (
            f"header {names} has a value HTTP does not allow (a line break, a leading space or "
            "not text); the value is not shown"
        )
    return f"requests refused it: {type(error).__name__}"


def _is_valid_header_value(value: object) -> bool:
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return isinstance(value, str) and _VALID_HEADER_VALUE.fullmatch(value) is not None


# What withdrawkit says of itself in every User-Agent, after whatever the caller says first.
USER_AGENT: Final = f"withdrawkit/{__version__} python-requests/{requests.__version__}"


def validated_user_agent(user_agent: str | None) -> str | None:
    """The caller's product token(s) for the User-Agent (``"payouts/2.1"``), or None."""
    if user_agent is None:
        return None
    if not isinstance(user_agent, str):
        raise TypeError(f"user_agent must be a string, got {type(user_agent).__name__}")
    if not user_agent.strip() or not user_agent.isprintable() or not user_agent.isascii():
        raise InvalidArgument(
            "user_agent must be printable ASCII text such as 'payouts/2.1', without line breaks"
        )
    return user_agent.strip()


def user_agent_header(user_agent: str | None, session_headers: Mapping[str, str | bytes]) -> str:
    """The User-Agent to send: the caller's own first (``user_agent=`` and a User-Agent set on
    their session, unless it is requests' default), then withdrawkit's, as stripe-python
    appends its app info."""
    parts = [user_agent] if user_agent else []
    session_agent = session_headers.get("User-Agent")
    if isinstance(session_agent, bytes):
        session_agent = session_agent.decode("latin-1")
    if session_agent and session_agent != requests.utils.default_user_agent():
        parts.append(session_agent)
    return " ".join([*parts, USER_AGENT])


def revealed_values(values: Mapping[str, str | Secret]) -> dict[str, str]:
    """Header or form values as sent: call only inside the expression building a request."""
    return {name: revealed(value) for name, value in values.items()}


def masked_values(values: Mapping[str, str | Secret]) -> dict[str, str]:
    """Header values as an error message may quote them: each ``Secret`` masked."""
    return {
        name: repr(value) if isinstance(value, Secret) else value for name, value in values.items()
    }


def revealed_json(value: object) -> object:
    """A JSON body with each ``Secret`` revealed, for ``wire_json.dumps`` to write."""
    if isinstance(value, Secret):
        return value.reveal()
    if isinstance(value, Mapping):
        return {key: revealed_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [revealed_json(item) for item in value]
    return value


def built_request(
    method: str,
    url: str,
    headers: Mapping[str, str | Secret],
    *,
    json_body: object,
    form: Mapping[str, str | Secret] | None,
) -> requests.Request:
    """The request to prepare, its ``Secret``s revealed only inside this one expression (so
    no frame's locals hold them in the clear) and its JSON written with every digit."""
    return requests.Request(
        method,
        url,
        headers=revealed_values(headers),
        data=(
            wire_json.dumps(revealed_json(json_body)).encode("utf-8")
            if json_body is not None
            else form_fields(revealed_values(form))
            if form is not None
            else None
        ),
    )
