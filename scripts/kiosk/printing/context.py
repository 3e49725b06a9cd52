"""One build context: what a command hands to every stage of its build.

A command (`kiosk build`, `kiosk publish`, `kiosk sheets` …) loads and checks the catalogue once and makes
a BuildContext; the MkDocs plugin, the pages, the sheets and the audio all take it from there. Nothing
crosses between stages through module globals or the environment. What the build owns hangs on it: its QR
codes (kept in its cache), its print font, the renderer of this process for that font, the printed
documents with their Jinja environment. mkdocs.yml becomes settings in one place (kiosk.site.build.project),
for `kiosk build`, `kiosk publish` (kiosk.cli.common.contexts) and a plain `mkdocs build` (the plugin).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from ..catalogue.load import Loaded
from ..catalogue.view import CatalogueView
from ..model import Catalogue
from ..settings import SiteSettings, cache_dir, default_jobs, read, source_date_epoch, stroke_data
from .documents import Documents, created_date
from .fonts import font_css
from .qr import QrCodes
from .renderer import Renderer, default_renderer


@dataclass
class BuildContext:
    loaded: Loaded  # the checked catalogue of one township
    settings: SiteSettings = field(default_factory=lambda: read({}))
    cache: Path = field(default_factory=lambda: cache_dir(Path.cwd()))  # kept for later builds
    sheets: object = None  # what the sheets step did (kiosk.printing.sheets.Report), for the command's progress line
    given_epoch: int | None = field(default_factory=source_date_epoch)  # SOURCE_DATE_EPOCH when the build began
    jobs: int = field(default_factory=default_jobs)  # worker processes for sheets and audio (--jobs)
    unchanged: bool = False  # the build found its site already built from the same inputs (kiosk.site.uptodate)
    strokes: Path = field(default_factory=lambda: stroke_data(Path.cwd()))  # handwriting's templates come from here

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
    def documents(self) -> Documents:
        """The township's printed documents (HTML and keys), with printing's Jinja environment and these QR codes."""
        return Documents(self.cv, self.created, self.qr)

    @cached_property
    def fonts(self) -> str:
        """The build's print font as @font-face rules: cut to the characters the catalogue can print, kept in
        the cache (kiosk.printing.fonts); made when first asked, so a build that renders nothing makes none."""
        return font_css(self.catalogue, self.cache)

    @property
    def renderer(self) -> Renderer:
        """This process's renderer with the build's print font (a preview, one sheet); render workers make
        their own (kiosk.printing.renderer.render_all)."""
        return default_renderer(self.fonts)

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
