"""The checked catalogue of each township the desk serves, read with the kiosk's own loader.

The folder is looked at again at most once a second (the modification times of its YAML files, and where a
symlink points): a new publish is picked up by the next request, never needing a restart. A catalogue
with errors is not taken: the desk keeps the last good one and says so to staff (`Township.problems`).
Each catalogue taken settles the dates that waited for a year its calendar now knows (deadlines.settle).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from kiosk.catalogue.load import TOWNSHIPS, Loaded, load
from kiosk.catalogue.view import CatalogueView
from kiosk.problems import ERROR, Problem
from kiosk.site.pages import search_index
from kiosk.text.pinyin import lazy_pinyin

RECHECK_SECONDS = 1.0
logger = logging.getLogger(__name__)
SUFFIXES = re.compile(r"(乡|镇|街道|街道办事处|办事处|民族乡)$")


class Unavailable(Exception):
    """A township has no good catalogue (never had one since the desk started): its problems."""

    def __init__(self, township: str, problems: list[Problem]):
        self.township, self.problems = township, problems
        super().__init__(f"no good catalogue for {township}")


@dataclass
class Township:
    """One township's checked catalogue as the desk uses it."""

    id: str
    loaded: Loaded
    code: str  # the record number prefix: DHP
    fingerprint: str
    problems: list[Problem] = field(default_factory=list)  # of a newer catalogue that could not be taken

    @cached_property
    def cv(self) -> CatalogueView:
        return CatalogueView(self.loaded.catalogue)

    @property
    def center(self):
        return self.loaded.catalogue.center

    @property
    def calendar(self):
        return self.loaded.calendar

    @cached_property
    def window_names(self) -> dict[str, str]:
        """Each window's name by its id (the center file)."""
        return {w.id: w.name for w in self.center.windows}

    @property
    def version(self) -> str:
        return self.loaded.catalogue.catalogue.version

    @cached_property
    def index(self) -> list[dict]:
        """What the intake search matches on: the kiosk's own index (kiosk.site.pages.search_index)."""
        return search_index(self.cv)

    @property
    def stale(self) -> bool:
        """A newer catalogue has errors: this one is the last good one."""
        return bool(self.problems)


def _settle(township: Township) -> None:
    """Dates that waited for a year's calendar, counted now that this catalogue may know the year (a
    database that cannot be reached now is tried again at the next load)."""
    from django.db import DatabaseError

    from .deadlines import settle

    try:
        settle(township)
    except DatabaseError:
        logger.warning("dates waiting for a calendar year not settled for %s", township.id, exc_info=True)


def derived_code(township_name: str) -> str:
    """The pinyin initials of a township's name without 乡/镇: 大合坪乡 -> DHP."""
    name = SUFFIXES.sub("", township_name) or township_name
    letters = "".join(s[0] for s in lazy_pinyin(name, style="NORMAL") if s and s[0].isascii() and s[0].isalpha())
    return letters.upper() or "X"


class Catalogues:
    def __init__(self, folder: Path, townships: list[str] | None = None, codes: dict[str, str] | None = None):
        self.folder = Path(folder)
        self.only = list(townships or [])
        self.codes = dict(codes or {})
        self._lock = threading.Lock()
        self._loaded: dict[str, Township] = {}
        self._checked_at = float("-inf")
        self._fingerprint = ""

    def townships(self) -> list[str]:
        """The townships the desk serves: those configured, else every folder of _townships/."""
        if self.only:
            return list(self.only)
        folder = self.folder / TOWNSHIPS
        return sorted(d.name for d in folder.iterdir() if d.is_dir()) if folder.is_dir() else []

    def get(self, township: str) -> Township:
        """The township's catalogue, loaded again if its files changed; Unavailable when there is none."""
        with self._lock:
            fingerprint = self._current_fingerprint()
            have = self._loaded.get(township)
            if have is not None and have.fingerprint == fingerprint:
                return have
            loaded = load(self.folder, township)
            if loaded.ok:
                code = self.codes.get(township) or derived_code(loaded.catalogue.center.township_name)
                have = Township(township, loaded, code, fingerprint)
                _settle(have)
            elif have is not None:  # keep the last good one, and say why the new one was not taken
                have.problems = [p for p in loaded.problems if p.severity == ERROR]
                have.fingerprint = fingerprint
            else:
                raise Unavailable(township, [p for p in loaded.problems if p.severity == ERROR])
            self._loaded[township] = have
            return have

    def refresh(self) -> None:
        """Look at the folder again at the next `get` (after a change this process made itself)."""
        with self._lock:
            self._checked_at = float("-inf")

    def window_names(self, townships: list[str]) -> dict[str, str]:
        """The window names of `townships` by id, of those whose catalogue can be read."""
        names = {}
        for tid in townships:
            try:
                names.update(self.get(tid).window_names)
            except Unavailable:
                continue
        return names

    def name(self, township: str) -> str:
        """The township's name for screens (its center file's 乡镇名称), or its id when it cannot be read."""
        try:
            return self.get(township).center.township_name
        except Unavailable:
            return township

    def _current_fingerprint(self) -> str:
        now = time.monotonic()
        if now - self._checked_at >= RECHECK_SECONDS:
            self._fingerprint = fingerprint(self.folder)
            self._checked_at = now
        return self._fingerprint


def fingerprint(folder: Path) -> str:
    """Where the folder points and the size and time of every YAML file that makes a catalogue."""
    parts = [os.path.realpath(folder)]
    places = [folder] + sorted((folder / TOWNSHIPS).iterdir()) if (folder / TOWNSHIPS).is_dir() else [folder]
    for place in places:
        try:
            entries = sorted(os.scandir(place), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for e in entries:
            if e.name.endswith((".yaml", ".yml")):
                try:
                    st = e.stat()
                except FileNotFoundError:
                    continue
                parts.append(f"{place.name}/{e.name}:{st.st_mtime_ns}:{st.st_size}")
    return "\n".join(parts)


@cache
def catalogues() -> Catalogues:
    """The desk's catalogues (one per process), as the settings say."""
    from django.conf import settings

    return Catalogues(settings.CATALOGUE, settings.TOWNSHIPS, settings.CODES)
