"""HTML to PDF with WeasyPrint, in this process or in a pool of worker processes.

A Renderer holds one font configuration, one parsed stylesheet and one image cache (the QR codes), reused
for every document of its process: a new font configuration per document grows memory, and parsing the
stylesheet costs as much as a small page. A build gives it its cut-down print font (kiosk.fonts) as
@font-face rules.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import cache
from typing import Callable

from .documents import css_text


class Renderer:
    def __init__(self, fonts: str = ""):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.css = CSS(string=fonts + css_text(), font_config=self.font_config)
        self.images: dict = {}

    def pdf(self, html: str) -> tuple[bytes, list[str]]:
        """PDF bytes of `html` and WeasyPrint's warnings while rendering it."""
        data, warnings, _ = self.render(html)
        return data, warnings

    def render(self, html: str) -> tuple[bytes, list[str], int]:
        """PDF bytes of `html`, WeasyPrint's warnings and the number of pages. A fresh document each
        time: writing one rendered document twice gives wrong output."""
        from weasyprint import HTML

        with weasyprint_warnings() as warnings:
            document = HTML(string=html).render(stylesheets=[self.css], font_config=self.font_config,
                                                cache=self.images)
            data = document.write_pdf()
        return data, warnings, len(document.pages)


@cache
def default_renderer(fonts: str = "") -> Renderer:
    """The renderer of this process (for the print font `fonts`, kiosk.fonts.font_css)."""
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


def render_all(tasks: list, job: Callable, jobs: int) -> list:
    """`job(*task)` for every task, on `jobs` worker processes (each with its own Renderer: see
    `default_renderer`), in the order of `tasks`."""
    if not tasks:
        return []
    if jobs <= 1 or len(tasks) == 1:
        return [job(*task) for task in tasks]
    # fork: workers start at once, with the templates and WeasyPrint already imported, and work from a
    # script or a MkDocs build without a `__main__` guard; each worker makes its own fonts and stylesheet
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context,
                             initializer=default_renderer.cache_clear) as pool:
        futures = [pool.submit(job, *task) for task in tasks]
        return [f.result() for f in futures]
