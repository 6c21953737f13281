"""Each provider's table from error response to exception class, as data.

``map_onekonto_error`` and ``map_ripio_error`` take an ``ErrorResponse`` and return (never
raise) the ``APIError`` subclass its body and status call for.

Each name is loaded on first use (PEP 562), so that a client of one provider never builds the
other provider's table.
"""

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from withdrawkit._error_mapping.common import (
        FALLBACK_BY_STATUS,
        class_for_status,
    )
    from withdrawkit._error_mapping.onekonto import PROVIDER as ONEKONTO
    from withdrawkit._error_mapping.onekonto import map_onekonto_error
    from withdrawkit._error_mapping.response import ErrorResponse
    from withdrawkit._error_mapping.ripio import PROVIDER as RIPIO
    from withdrawkit._error_mapping.ripio import map_ripio_error

__all__ = [
    "FALLBACK_BY_STATUS",
    "ONEKONTO",
    "RIPIO",
    "ErrorResponse",
    "class_for_status",
    "map_onekonto_error",
    "map_ripio_error",
]

# Public name -> (submodule, its name there).
_EXPORTS = {
    "FALLBACK_BY_STATUS": ("common", "FALLBACK_BY_STATUS"),
    "class_for_status": ("common", "class_for_status"),
    "ONEKONTO": ("onekonto", "PROVIDER"),
    "map_onekonto_error": ("onekonto", "map_onekonto_error"),
    "ErrorResponse": ("response", "ErrorResponse"),
    "RIPIO": ("ripio", "PROVIDER"),
    "map_ripio_error": ("ripio", "map_ripio_error"),
}

if not TYPE_CHECKING:

    def __getattr__(name: str) -> object:
        if name not in _EXPORTS:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        submodule, attribute = _EXPORTS[name]
        value = getattr(importlib.import_module(f"{__name__}.{submodule}"), attribute)
        globals()[name] = value  # later lookups skip this function
        return value
