"""What every route group of ``FakeRipio`` stands on: a provider of ``RipioClient``, the fake's
state, the bearer-token check and the lookup of an end user a path names.

Each route group (``_ripio_token_routes``, ``_ripio_withdrawal_routes``, ...) is a class of
handlers deriving from ``RipioBase``; ``FakeRipio`` inherits them all and lists their handlers in
its route table.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from withdrawkit.testing._exchange import FakeRequest
from withdrawkit.testing._provider import FakeProvider
from withdrawkit.testing._request_reading import token_subject
from withdrawkit.testing._ripio_errors import NOT_AUTHENTICATED, TOKEN_REJECTED, not_found
from withdrawkit.testing._ripio_state import EndUserRecord, RipioState

if TYPE_CHECKING:
    from withdrawkit._ripio_client import RipioClient

__all__ = ["RipioBase"]


class RipioBase(FakeProvider["RipioClient"]):
    """``FakeRipio`` less its scene-setting: what its handlers read and check."""

    state: RipioState

    def _client_type(self) -> Callable[..., RipioClient]:
        from withdrawkit._ripio_client import RipioClient  # noqa: PLC0415

        return RipioClient

    def _authorize(self, request: FakeRequest) -> str:
        """The API client whose bearer token the request carries."""
        return token_subject(
            self._tokens,
            request,
            missing=NOT_AUTHENTICATED,
            expired=TOKEN_REJECTED,
            unknown=TOKEN_REJECTED,
        )

    def _existing_end_user(self, external_ref: str) -> EndUserRecord:
        end_user = self.state.end_users.get(external_ref)
        if end_user is None:
            raise not_found()
        return end_user
