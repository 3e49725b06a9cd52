"""One build context: what a command hands to every stage of its build.

A command (`kiosk build`, `kiosk publish`, `kiosk sheets` …) loads and checks the catalogue once and makes
a BuildContext; the MkDocs plugin, the pages, the sheets and the audio all take it from there. Nothing
crosses between stages through module globals or the environment.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..catalogue.load import Loaded
from ..catalogue.view import CatalogueView
from ..model import Catalogue
from ..settings import SiteSettings, cache_dir, default_jobs, read, source_date_epoch
from .documents import created_date
from .qr import QrCodes


@dataclass
class BuildContext:
    loaded: Loaded  # the checked catalogue of one township
    settings: SiteSettings = field(default_factory=lambda: read({}))
    cache: Path = field(default_factory=lambda: cache_dir(Path.cwd()))  # kept for later builds
    sheets: object = None  # what the sheets step did (kiosk.printing.sheets.Report), for the command's progress line
    given_epoch: int | None = field(default_factory=source_date_epoch)  # SOURCE_DATE_EPOCH when the build began
    jobs: int = field(default_factory=default_jobs)  # worker processes for sheets and audio (--jobs)

    @property
    def catalogue(self) -> Catalogue:
        return self.loaded.catalogue

    @property
    def township(self) -> str:
        return self.loaded.township

    @cached_property
    def cv(self) -> CatalogueView:
        return CatalogueView(self.catalogue)

    @cached_property
    def qr(self) -> QrCodes:
        """The build's QR codes, kept in the build cache."""
        return QrCodes(self.cache / "qr")

    @cached_property
    def epoch(self) -> int:
        """The moment every output carries, as seconds since 1970: SOURCE_DATE_EPOCH, else the catalogue's
        effective date (so two builds of one catalogue give the same bytes)."""
        if self.given_epoch is not None:
            return self.given_epoch
        day = self.catalogue.catalogue.effective_date
        return int(datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc).timestamp())

    @cached_property
    def created(self) -> str:
        """The creation date written into PDFs (W3C format)."""
        return created_date(self.given_epoch or self.catalogue.catalogue.effective_date)


def of(source: "BuildContext | Loaded") -> BuildContext:
    """A context for code that is given a checked catalogue alone (tests, `kiosk sheets`)."""
    if isinstance(source, BuildContext):
        return source
    if source.catalogue is None:
        raise ValueError("the catalogue has errors; load it with load_or_raise")
    return BuildContext(source)
