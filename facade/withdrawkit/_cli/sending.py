"""Commands that move money: show exactly what will be sent, ask, send once, and after an
unknown outcome say how to look the result up.

The plan is printed on stderr (so ``--json`` output stays one document on stdout) and the
question defaults to "no": Enter, end of input or Ctrl-C send nothing. ``--yes`` skips the
question for scripts; the plan is printed all the same, for the log.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import attrs
import click

from withdrawkit._cli.exit_codes import DECLINED
from withdrawkit._cli.render import Output, cell
from withdrawkit._exceptions import OutcomeUnknown

__all__ = ["Declined", "Plan", "send_after_confirmation", "since_sent"]

T = TypeVar("T")


class Declined(click.ClickException):
    """The person said no (or nothing): nothing was sent."""

    exit_code = DECLINED


@attrs.frozen
class Plan:
    """What a money-moving command is about to do, as it will be sent."""

    action: str  # "withdraw 0.5 ETH from customer_10 on Ripio"
    fields: Sequence[tuple[str, Any]]  # the request's fields in the order sent; None: not sent
    destination: str  # the base URL the request goes to
    lookup: Callable[[OutcomeUnknown], Sequence[str]]  # argv that looks the result up


def send_after_confirmation(out: Output, plan: Plan, *, yes: bool, send: Callable[[], T]) -> T:
    """Print ``plan``, ask unless ``yes``, then call ``send`` once.

    On ``OutcomeUnknown`` print the reference and the command that looks the result up, then
    re-raise it: the caller's exit code says the outcome is unknown.
    """
    out.note(f"About to {plan.action}:")
    sent = [(name, value) for name, value in plan.fields if value is not None]  # None: left out
    width = max(len(name) for name, _ in sent)
    for name, value in sent:
        out.note(f"  {name.ljust(width)}  {cell(value)}")
    out.note(f"  {'to'.ljust(width)}  {plan.destination}")
    if not yes:
        try:
            agreed = click.confirm("Send it?", default=False, err=True)
        except click.Abort:
            agreed = False
        if not agreed:
            raise Declined("not confirmed; nothing was sent")
    try:
        return send()
    except OutcomeUnknown as unknown:
        _explain_unknown(out, unknown, plan)
        raise


def _explain_unknown(out: Output, unknown: OutcomeUnknown, plan: Plan) -> None:
    # The client names the request's reference; the plan holds it too (what was sent).
    reference = unknown.reference or _field(plan, "external_ref")
    out.note("")
    out.note("The request may or may not have been applied; it was NOT sent again.")
    if reference:
        out.note(f"Its reference: {reference}")
    out.note("Look it up before trying again:")
    out.note(f"  {shlex.join(plan.lookup(unknown))}")


def _field(plan: Plan, name: str) -> str | None:
    for field_name, value in plan.fields:
        if field_name == name and value is not None:
            return str(value)
    return None


def since_sent(unknown: OutcomeUnknown) -> list[str]:
    """``--since <sent_at>`` for a lookup of what ``unknown`` sent, so that it reads only the
    pages around that time; nothing when ``unknown`` does not say what was sent. The time is
    given as sent: the lookup itself allows for the provider's clock being behind ours."""
    if unknown.sent is None:
        return []
    return ["--since", unknown.sent.sent_at.isoformat()]
