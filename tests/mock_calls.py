"""What a client sent through a ``responses`` mock, read back for the assertions."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def body_of(call: Any) -> Any:
    """The JSON body of one recorded call, its numbers read as exact decimals."""
    return json.loads(call.request.body, parse_float=Decimal)
