"""The default ``timeout`` and ``poll_interval`` of every ``wait_for_*`` method.

They are the defaults of the methods' signatures, so the client mixins read them when they are
defined; ``withdrawkit._waiting`` (which imports attrs) is imported at the first wait instead.
``_waiting`` keeps its own copies of the two numbers; tests/test_import_cost.py holds the two
together.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DEFAULT_POLL_INTERVAL", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT: Final = 600.0
DEFAULT_POLL_INTERVAL: Final = 5.0
