"""``FakeRipio``'s end users: creating one, and reading it, its deposit addresses, balances and
limits."""

from __future__ import annotations

from collections.abc import Mapping

from withdrawkit.testing import _ripio_wire as wire
from withdrawkit.testing._exchange import FakeRequest, FakeResponse, json_response
from withdrawkit.testing._ripio_base import RipioBase
from withdrawkit.testing._ripio_errors import validation_error

# Retrieve End User documents external_ref's maximum length.
MAX_EXTERNAL_REF = 250

__all__ = ["EndUserRoutes"]


class EndUserRoutes(RipioBase):
    """createEndUser, getEndUser, listEndUserAddresses, listEndUserBalances and
    listEndUserLimits."""

    def _create_end_user(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        body = wire.read_json_object(request)
        external_ref = wire.text(body, "external_ref")
        if len(external_ref) > MAX_EXTERNAL_REF:
            raise validation_error(f"external_ref: at most {MAX_EXTERNAL_REF} characters")
        if external_ref in self.state.end_users:
            # No code is documented for a duplicate; the fake answers a validation error.
            raise validation_error(f"external_ref: end user {external_ref!r} already exists")
        self._new_end_user(external_ref)
        return json_response(201, wire.end_user_body(self.state.end_users[external_ref]))

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

    def _list_limits(self, request: FakeRequest, params: Mapping[str, str]) -> FakeResponse:
        self._authorize(request)
        end_user = self._existing_end_user(params["end_user_id"])
        return json_response(200, [wire.limit_body(limit) for limit in end_user.limits])
