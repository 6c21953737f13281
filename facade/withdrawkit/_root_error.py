"""The root of withdrawkit's exception tree and the error for a bad argument value.

The rest of the tree grows in ``withdrawkit._exceptions``; these two live here, below every
other layer, because the value types raise them too.
"""


class WithdrawKitError(Exception):
    """Base class of every error withdrawkit raises on purpose."""


class InvalidArgument(WithdrawKitError, ValueError):
    """An argument's value is wrong (a URL without a scheme, an empty id, ``max_retries=-1``).

    Raised before any request is sent. It is a ``ValueError`` too, so code written against
    plain Python conventions still catches it; a wrong *type* is a ``TypeError``, as in Python.
    """


# Shown and pickled as withdrawkit.<name>, the path users import from.
WithdrawKitError.__module__ = "withdrawkit"
InvalidArgument.__module__ = "withdrawkit"
