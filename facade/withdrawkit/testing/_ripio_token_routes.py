"""``FakeRipio``'s OAuth2 token endpoint: client credentials in, a bearer token out.

The credentials may come as ``Authorization: Basic`` or as form fields; the answers are
OAuth2-style (``{"error": "invalid_client"}``), not Ripio's error envelope.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from datetime import timedelta
from typing import Final

from withdrawkit.testing import _ripio_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._ripio_base import RipioBase

__all__ = ["TOKEN_LIFETIME", "TokenRoutes"]

TOKEN_LIFETIME: Final = timedelta(seconds=36000)
_TOKEN_ALPHABET: Final = string.ascii_letters + string.digits


class TokenRoutes(RipioBase):
    """getAccessToken."""

    def _get_access_token(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        form = wire.form_fields(request)
        client_id, client_secret = wire.basic_credentials(request.header("Authorization"))
        client_id = client_id or form.get("client_id")
        client_secret = client_secret or form.get("client_secret")
        grant_type = form.get("grant_type")
        if grant_type is None:
            return json_response(
                400, {"error": "invalid_request", "error_description": "Missing grant type."}
            )
        if grant_type != "client_credentials":
            return json_response(400, {"error": "unsupported_grant_type"})
        known_secret = self.state.clients.get(client_id or "")
        if known_secret is None or not secrets.compare_digest(known_secret, client_secret or ""):
            return json_response(401, {"error": "invalid_client"})
        token = "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(30))
        self._tokens.issue(token, str(client_id), TOKEN_LIFETIME)
        body = {
            "access_token": token,
            "expires_in": int(TOKEN_LIFETIME.total_seconds()),
            "token_type": "Bearer",
            "scope": "read write",
        }
        return json_response(200, body)
