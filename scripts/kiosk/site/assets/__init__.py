"""Browser files the package owns and hands to both sites that need them: the kiosk (kiosk.site.build adds them
to the MkDocs build as assets/<name>) and the desk (its static files finder). One copy, in the package, so
an installed kiosk has them without the repository."""

from __future__ import annotations

from pathlib import Path

SEARCH = "kiosk-search.js"  # the search matcher: the kiosk and the desk find a matter the same way


def path(name: str) -> Path:
    return Path(__file__).resolve().parent / name


def files() -> dict[str, Path]:
    """Each asset's name and its file."""
    return {SEARCH: path(SEARCH)}
