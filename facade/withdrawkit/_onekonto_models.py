"""``withdrawkit_generated.onekonto``, imported when a name of it is first read.

The client modules read the generated models through this module (``models.Account``) and
name them in annotations through ``TYPE_CHECKING`` imports, so that importing withdrawkit and
constructing a ``OneKontoClient`` builds none of the model classes: the first call that sends or
reads one does.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from withdrawkit_generated.onekonto import *  # noqa: F403
else:
    import importlib

    def __getattr__(name: str) -> object:
        value = getattr(importlib.import_module("withdrawkit_generated.onekonto"), name)
        globals()[name] = value  # later reads skip this function
        return value
