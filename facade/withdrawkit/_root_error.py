"""The root of withdrawkit's exception tree; the tree itself grows in withdrawkit._exceptions."""


class WithdrawKitError(Exception):
    """Base class of every error withdrawkit raises on purpose."""
