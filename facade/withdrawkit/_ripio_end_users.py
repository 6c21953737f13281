"""``RipioClient``'s end users: creating and reading one, its deposit addresses, balances and
periodic limits. Every method names the end user ``end_user`` (its partner-issued external_ref)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from withdrawkit import _ripio_models as models
from withdrawkit._arguments import path_segment, query, required_text
from withdrawkit._auth import AuthorizedTransport
from withdrawkit._client import Clocks
from withdrawkit._conversion import unstructure
from withdrawkit._response_reading import decoder_for, read_response
from withdrawkit._root_error import InvalidArgument
from withdrawkit._sending import remembered

if TYPE_CHECKING:
    from withdrawkit_generated.ripio import EndUser, EndUserAddress, EndUserBalance, EndUserLimit

__all__ = ["EndUsers"]

# Retrieve End User documents external_ref's maximum length.
MAX_EXTERNAL_REF = 250


def _end_user_path(end_user: str, suffix: str = "") -> str:
    return f"/api/v1/end-users/{path_segment(end_user)}/{suffix}"


class EndUsers:
    """createEndUser, getEndUser, listEndUserAddresses, listEndUserBalances and
    listEndUserLimits.

    One of the operation groups ``RipioClient`` joins; it sends through the client's
    ``_api`` (requests that carry the bearer token).
    """

    _api: AuthorizedTransport
    _clocks: Clocks

    def create_end_user(self, end_user: str) -> EndUser:
        """Register an end user under your own id ``end_user`` (at most 250 characters).

        Known only from third-party code (no vendor page was found): the body
        ``{"external_ref": end_user}`` is inferred from what Retrieve End User answers.

        Creating an end user changes what the server holds, so it is sent like a withdrawal:
        again only when it certainly never reached the server (a refused connection). After
        that, a dropped connection, a timeout or a 5xx raises ``OutcomeUnknown`` (``reference``
        the ``end_user``, ``sent`` what was sent): ``get_end_user(end_user)`` then tells whether
        it was created. Sending it again blindly would answer "already exists" for an end user
        the first attempt created.
        """
        external_ref = required_text(end_user, name="end_user")
        if len(external_ref) > MAX_EXTERNAL_REF:
            raise InvalidArgument(
                f"end_user must be at most {MAX_EXTERNAL_REF} characters, got {len(external_ref)}"
            )
        body = unstructure(models.EndUserRequest(external_ref=external_ref))
        look_up = f"get_end_user({external_ref!r}) tells whether it was created."
        destination = {"end_user": external_ref}
        with remembered(
            "create_end_user", None, destination, wall=self._clocks.wall, look_up=look_up
        ):
            answer = self._api.request(
                "POST",
                "/api/v1/end-users/",
                json_body=body,
                # The transport's name for "never sent twice": no money moves, but state does.
                moves_money=True,
                reference=external_ref,
            )
        return read_response(answer, models.EndUser, operation="create_end_user", accepted=True)

    def get_end_user(self, end_user: str) -> EndUser:
        """The end user whose external_ref is ``end_user``; ``NotFound`` if there is none."""
        answer = self._api.request(
            "GET", _end_user_path(end_user), decode=decoder_for(models.EndUser)
        )
        return read_response(answer, models.EndUser, operation="get_end_user")

    def list_end_user_addresses(
        self, end_user: str, *, token: str | None = None
    ) -> list[EndUserAddress]:
        """The end user's deposit addresses, one per network (``token`` filters, as Ripio's
        ``token`` query parameter does; its values are not documented)."""
        answer = self._api.request(
            "GET",
            _end_user_path(end_user, "addresses/"),
            params=query({"token": token}),
            decode=decoder_for(list[models.EndUserAddress]),
        )
        return read_response(
            answer, list[models.EndUserAddress], operation="list_end_user_addresses"
        )

    def list_end_user_balances(self, end_user: str) -> list[EndUserBalance]:
        """The end user's balance in each currency (shape known from third-party code only)."""
        answer = self._api.request(
            "GET",
            _end_user_path(end_user, "balances/"),
            decode=decoder_for(list[models.EndUserBalance]),
        )
        return read_response(
            answer, list[models.EndUserBalance], operation="list_end_user_balances"
        )

    def list_end_user_limits(self, end_user: str) -> list[EndUserLimit]:
        """The end user's periodic limits (BUY/SELL/SWAP per currency and period), the ones
        behind ``LimitExceeded``."""
        answer = self._api.request(
            "GET",
            _end_user_path(end_user, "limits/"),
            decode=decoder_for(list[models.EndUserLimit]),
        )
        return read_response(answer, list[models.EndUserLimit], operation="list_end_user_limits")
