"""What the transport's tests share: the sandbox URL, secrets to look for, and injected sleeps."""

from __future__ import annotations

from decimal import Decimal

BASE = "https://sandbox-b2b.ripio.com"
TOKEN = "gAgXJcRMnGP6TG9vFcepgP6OMtProD"
CLIENT_SECRET = "cs-9f8e7d6c5b4a"
PASSWORD_DIGEST = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
EXACT = Decimal("0.00206525633592975968892629")


class Sleeps(list[float]):
    """The injected sleep: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def no_sleep(seconds: float) -> None:
    """The injected sleep of a test that expects no retry."""
    raise AssertionError(f"this test expects no retry, but the transport slept {seconds}s")
