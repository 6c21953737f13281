"""A small route table: which documented operation a method and path belong to.

Routes are named by the ``operationId`` of the matching operation in ``openapi/*.yaml``, so
fault injection, the request log and the conformance test all speak the spec's names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar
from urllib.parse import unquote

import attrs

__all__ = ["Match", "Route", "RouteTable"]

H = TypeVar("H")

# "{accountId}" in a path template matches one path segment.
_PLACEHOLDER = re.compile(r"\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)\}")


def _compile(template: str) -> re.Pattern[str]:
    pattern = ""
    position = 0
    for placeholder in _PLACEHOLDER.finditer(template):
        pattern += re.escape(template[position : placeholder.start()])
        pattern += f"(?P<{placeholder['name']}>[^/]+)"
        position = placeholder.end()
    pattern += re.escape(template[position:])
    return re.compile(pattern)


@attrs.frozen
class Route(Generic[H]):
    """``method`` + path ``template`` (``/api/v1/withdrawals/{withdrawal_id}/``) -> ``handler``."""

    operation: str
    method: str
    template: str
    handler: H
    pattern: re.Pattern[str] = attrs.field(init=False)

    @pattern.default
    def _pattern(self) -> re.Pattern[str]:
        return _compile(self.template)


@attrs.frozen
class Match(Generic[H]):
    """The route a request matched and its path parameters, percent-decoded (``acc%3A1`` is the
    account ``acc:1``, as clients encode ids into one path segment)."""

    route: Route[H]
    path_params: Mapping[str, str]


class RouteTable(Generic[H]):
    """Routes in the order added; the first whose method and template match wins."""

    def __init__(self) -> None:
        self._routes: list[Route[H]] = []

    def add(self, operation: str, method: str, template: str, handler: H) -> None:
        self._routes.append(Route(operation, method.upper(), template, handler))

    def match(self, method: str, path: str) -> Match[H] | None:
        for route in self._routes:
            if route.method != method.upper():
                continue
            found = route.pattern.fullmatch(path)
            if found is not None:
                # Split into segments first, decode after: an encoded "/" stays inside its id.
                params = {name: unquote(value) for name, value in found.groupdict().items()}
                return Match(route, params)
        return None

    def __iter__(self) -> Iterator[Route[H]]:
        return iter(self._routes)
