"""Each provider's table from error response to exception class, as data.

``map_onekonto_error`` and ``map_ripio_error`` take an ``ErrorResponse`` and return (never
raise) the ``APIError`` subclass its body and status call for.
"""

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
