"""What both fakes read off a request the same way: a JSON object body, a positive count in the
query string and the subject of the bearer token.

Each provider words its refusals its own way, so every reader takes the answers to give.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from withdrawkit import _wire_json as wire_json
from withdrawkit._text import ascii_int
from withdrawkit.testing._exchange import FakeRequest, FakeResponse
from withdrawkit.testing._provider import Refusal
from withdrawkit.testing._tokens import TokenCheck, TokenStore, bearer_token

__all__ = ["json_object", "positive_count", "token_subject"]


def json_object(
    request: FakeRequest,
    *,
    unparsable: Callable[[ValueError], Refusal],
    not_an_object: Callable[[], Refusal],
) -> dict[str, Any]:
    """The request body as a JSON object; an empty body is unparsable JSON."""
    try:
        body = wire_json.loads(request.body)
    except ValueError as error:
        raise unparsable(error) from error
    if not isinstance(body, dict):
        raise not_an_object()
    return body


def positive_count(text: str) -> int | None:
    """The integer 1 to 999999999 that ``text`` spells in ASCII digits, else None."""
    count = ascii_int(text, max_digits=9)
    return count if count is not None and count >= 1 else None


def token_subject(
    tokens: TokenStore,
    request: FakeRequest,
    *,
    missing: FakeResponse,
    expired: FakeResponse,
    unknown: FakeResponse,
) -> str:
    """Whose bearer token the request carries; refused with the answer for a missing, expired or
    unknown token."""
    check, subject = tokens.check(bearer_token(request.header("Authorization")))
    if check is TokenCheck.MISSING:
        raise Refusal(missing)
    if check is TokenCheck.EXPIRED:
        raise Refusal(expired)
    if check is not TokenCheck.VALID or subject is None:
        raise Refusal(unknown)
    return subject
