"""Fixtures shared by the facade's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    """A responses mock that lets a test register routes it may not call."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
