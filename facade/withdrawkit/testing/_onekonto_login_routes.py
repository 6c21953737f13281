"""``FakeOneKonto``'s login: a user's SHA-256 password digest in, a signed JWT out."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import timedelta
from typing import Final

from withdrawkit.testing import _onekonto_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._onekonto_base import OneKontoBase
from withdrawkit.testing._onekonto_errors import NOT_FOUND, InvalidFieldsRefusal, http_error
from withdrawkit.testing._onekonto_jwt import signed_token

__all__ = ["LOGIN_SERVICES", "TOKEN_LIFETIME", "LoginRoutes"]

TOKEN_LIFETIME: Final = timedelta(hours=24)
# The services whose ``/api/v1/{service}/jwt`` logs in; the token is good for all of them.
LOGIN_SERVICES: Final = frozenset({"identity", "routing", "accounting"})


class LoginRoutes(OneKontoBase):
    """login."""

    def _login(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        if params["service"] not in LOGIN_SERVICES:
            return NOT_FOUND
        body = wire.read_json_object(request)
        user, password = body.get("user"), body.get("password")
        missing = {
            name: "required"
            for name, value in (("User", user), ("Password", password))
            if not isinstance(value, str) or not value
        }
        if missing:
            raise InvalidFieldsRefusal(missing)
        known = self.state.users.get(str(user))
        # The page says the password crosses the wire as its SHA-256 hex: a plaintext is refused.
        if known is None or not hmac.compare_digest(str(password).lower(), known.password_sha256):
            return http_error(401, "Invalid user or password")
        issued_at = self.clock.now()
        token = signed_token(self._signing_key, known.user, issued_at, issued_at + TOKEN_LIFETIME)
        self._tokens.issue(token, known.user, TOKEN_LIFETIME, now=issued_at)
        return json_response(200, {"token": token})
