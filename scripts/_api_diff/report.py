"""What api_diff prints, and whether the changelog names each breaking change."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from _api_diff.change import Change

__all__ = ["changelog_bullets", "merged", "report", "unreleased_section"]

REMOVALS = {"removed", "field removed", "public module removed"}


def unreleased_section(changelog: Path) -> str:
    """The text under ``## [Unreleased]`` up to the next ``## `` heading."""
    if not changelog.is_file():
        return ""
    match = re.search(
        r"^## \[Unreleased\][^\n]*\n(.*?)(?=^## |\Z)",
        changelog.read_text(encoding="utf-8"),
        flags=re.M | re.S,
    )
    return match.group(1) if match else ""


def merged(changes: Sequence[Change]) -> list[Change]:
    """One line per name and kind, its reasons joined: a removed field is seen both as a
    removed attribute and as a removed ``__init__`` parameter."""
    reasons: dict[tuple[str, bool], list[str]] = {}
    for change in changes:
        whats = reasons.setdefault((change.name, change.breaking), [])
        if change.what not in whats:
            whats.append(change.what)
    return [
        Change(name, "; ".join(_without_echoes(whats)), breaking)
        for (name, breaking), whats in sorted(reasons.items())
    ]


def _without_echoes(whats: list[str]) -> list[str]:
    if "field removed" in whats:
        return [
            "field removed",
            *(
                w
                for w in whats
                if w not in {"field removed", "removed", "public object was removed"}
            ),
        ]
    return whats


def report(changes: Sequence[Change], unreleased: str, changelog: Path, old_label: str) -> int:
    breaking = [change for change in changes if change.breaking]
    additions = [change for change in changes if not change.breaking]
    unnamed = [change for change in breaking if f"`{change.name}`" not in unreleased]
    print(f"withdrawkit public API: {old_label} -> working tree")
    print(
        f"\nBreaking changes: {len(breaking)},"
        f" {len(unnamed)} not named in {changelog.name}'s Unreleased section"
    )
    for change in breaking:
        mark = "  (named in the changelog)" if change not in unnamed else ""
        print(f"  {change.name}: {change.what}{mark}")
    print(f"\nAdditions and compatible changes: {len(additions)}")
    for change in additions:
        print(f"  {change.name}: {change.what}")
    if unnamed:
        print(
            f"\nName each breaking change under '## [Unreleased]' in {changelog.name}, in"
            " backticks, adding what callers must do, or undo the change. One bullet each,"
            " ready to paste:"
        )
        print(changelog_bullets(unnamed))
        return 1
    return 0


def changelog_bullets(changes: Sequence[Change]) -> str:
    """Keep a Changelog sections with one bullet per change: what was removed under Removed,
    the rest under Changed."""
    sections: dict[str, list[str]] = {"Changed": [], "Removed": []}
    for change in changes:
        removed = change.what.split(";", 1)[0] in {
            "removed",
            "field removed",
            "public module removed",
        }
        sections["Removed" if removed else "Changed"].append(f"- `{change.name}`: {change.what}.")
    return "\n".join(
        f"\n### {section}\n\n" + "\n".join(bullets)
        for section, bullets in sections.items()
        if bullets
    )
