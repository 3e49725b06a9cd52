"""The kiosk's search matcher served to the desk as `desk/kiosk-search.js`: the very file the kiosk uses
(kiosk.site.assets, in the package), so the desk and the kiosk find a matter the same way."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

from kiosk.site import assets

NAME = "desk/kiosk-search.js"
SOURCE = assets.path(assets.SEARCH)


class KioskSearchFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        if path == NAME and SOURCE.is_file():
            return [str(SOURCE)] if find_all else str(SOURCE)
        return []

    def list(self, ignore_patterns):
        if SOURCE.is_file():
            yield NAME, _Storage(SOURCE)


class _Storage(FileSystemStorage):
    """The one file under its desk name."""

    def __init__(self, source: Path):
        super().__init__(location=str(source.parent))
        self.source = source

    def path(self, name):
        return str(self.source)

    def open(self, name, mode="rb"):
        return open(self.source, mode)
