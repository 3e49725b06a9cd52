"""HTML to PDF with WeasyPrint, in this process or in a pool of worker processes.

A Renderer holds one font configuration, one parsed stylesheet and one image cache (the QR codes), reused
for every document of its process: a new font configuration per document grows memory, and parsing the
stylesheet costs as much as a small page. A build gives it its cut-down print font (kiosk.printing.fonts) as
@font-face rules.

Every PDF is tagged (PDF_OPTIONS): its logical structure (headings, paragraphs, tables, lists, in reading
order), its language from <html lang> (zh-CN, print/base.html) and its title from <title>, shown as the
window's title; a screen reader can read a sheet and a viewer can reflow it. The tags cost writing time
only (WeasyPrint lays a document out the same either way): writing about 20% more, a sheet in all about
5% (`kiosk bench`, column "tags ×"), and its PDF about 10% larger. A changed option is a changed PDF: the
options are part of every document's key (kiosk.printing.documents.versions, where both are set). The
desk's records are written with ARCHIVE_OPTIONS (kiosk.desk.paper.pdf).
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Callable

from . import documents
from .documents import css_text


class Renderer:
    def __init__(self, fonts: str = ""):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.css = CSS(string=fonts + css_text(), font_config=self.font_config)
        self.images: dict = {}

    def pdf(self, html: str, options: dict | None = None) -> tuple[bytes, list[str]]:
        """PDF bytes of `html` and WeasyPrint's warnings while rendering it."""
        data, warnings, _ = self.render(html, options)
        return data, warnings

    def render(self, html: str, options: dict | None = None) -> tuple[bytes, list[str], int]:
        """PDF bytes of `html` (written with `options`, default PDF_OPTIONS), WeasyPrint's warnings and the
        number of pages. A fresh document each time: writing one rendered document twice gives wrong output."""
        with weasyprint_warnings() as warnings:
            document = self.layout(html)
            data = document.write_pdf(**(documents.PDF_OPTIONS if options is None else options))
        return data, warnings, len(document.pages)

    def layout(self, html: str):
        """WeasyPrint's document of `html`, laid out (its pages), not yet written."""
        from weasyprint import HTML

        return HTML(string=html).render(stylesheets=[self.css], font_config=self.font_config, cache=self.images)


@cache
def default_renderer(fonts: str = "") -> Renderer:
    """The renderer of this process (for the print font `fonts`, kiosk.printing.fonts.font_css)."""
    return Renderer(fonts)


@contextmanager
def weasyprint_warnings():
    """Collect what the `weasyprint` logger says at WARNING or above."""
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield records
    finally:
        logger.removeHandler(handler)


@contextmanager
def workers(jobs: int):
    """A pool of `jobs` worker processes for `render_all` (None for one: all in this process), kept for
    every render of one build: each worker sets up its fonts and stylesheet once (see `default_renderer`).
    Processes start with the first task, so a build that renders nothing starts none."""
    if jobs <= 1:
        yield None
        return
    # fork: workers start at once, with the templates and WeasyPrint already imported, and work from a
    # script or a MkDocs build without a `__main__` guard; each worker makes its own fonts and stylesheet
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=default_renderer.cache_clear) as pool:
        yield pool


def render_all(tasks: list, job: Callable, pool: ProcessPoolExecutor | None) -> list:
    """`job(*task)` for every task, on the `pool`'s worker processes (`workers`) or in this one, in the order
    of `tasks`."""
    if pool is None:
        return [job(*task) for task in tasks]
    futures = [pool.submit(job, *task) for task in tasks]
    return [f.result() for f in futures]
