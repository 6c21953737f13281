"""``FakeRipio``'s end-user reads: the end user, its deposit addresses and its balances."""

from __future__ import annotations

from collections.abc import Mapping

from withdrawkit.testing import _ripio_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._ripio_base import RipioBase

__all__ = ["EndUserRoutes"]


class EndUserRoutes(RipioBase):
    """getEndUser, listEndUserAddresses and listEndUserBalances."""

    def _get_end_user(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        return json_response(200, wire.end_user_body(end_user))

    def _list_addresses(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        return json_response(200, wire.address_bodies(end_user))

    def _list_balances(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        return json_response(200, wire.balance_bodies(end_user))
