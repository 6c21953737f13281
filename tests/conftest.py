"""Fixtures shared by the facade's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses
from hypothesis import settings

from tests.transport_support import BASE, no_sleep
from withdrawkit._error_mapping import map_ripio_error
from withdrawkit._transport import Transport

# Hypothesis' per-example deadline is a timing assertion: on a loaded CI machine it fails
# examples that are merely slow (a 28-digit Amount took 334 ms once). Performance is measured
# by nox -s bench instead.
settings.register_profile("withdrawkit", deadline=None)
settings.load_profile("withdrawkit")


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """A responses mock that lets a test register routes it may not call."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    """A responses mock that fails the test if a route it registered was never called."""
    with responses.RequestsMock() as requests_mock:
        yield requests_mock


@pytest.fixture
def transport() -> Iterator[Transport]:
    """A Ripio transport to ``BASE`` that fails the test if it ever waits to retry."""
    with Transport(BASE, provider="Ripio", map_error=map_ripio_error, sleep=no_sleep) as made:
        yield made
