"""`kiosk bench`: the printed sheets of a catalogue of N matters, and what each step of one costs.

    sheets_2core    every PDF (sheets, forms, the booklet) from cold on 2 worker processes
    sheets_1core    the same on one, for the first ONE_CORE_SAMPLE matters (a rate)
    sheets_none     the sheets step again, nothing changed
    steps           one core, warm, per sheet: making its HTML, WeasyPrint's layout, writing the PDF (drawing,
                    font subsetting, compression); the floor is what WeasyPrint alone allows on two cores,
                    2 / (layout + write), every other step (keys, store, booklet, placing) taken as free

Timings are wall-clock seconds on this machine; nothing here asserts a time.
"""

from __future__ import annotations

import time
from pathlib import Path

ONE_CORE_SAMPLE = 100


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(loaded, sample, work: Path, reps: int) -> dict:
    """`loaded`: the catalogue of N matters; `sample`: one of ONE_CORE_SAMPLE (or the same)."""
    import statistics

    from . import sheets
    from .context import BuildContext
    from .documents import FORMS

    ctx = BuildContext(loaded, cache=work / "cache-sheets")
    small = BuildContext(sample, cache=work / "cache-sheets")
    docs = len(loaded.catalogue.matters) + len(FORMS) + 1
    sample_docs = len(sample.catalogue.matters) + len(FORMS) + 1
    row = {"sheet_docs": docs, "sheets_1core_docs": sample_docs}
    row["sheets_2core_s"] = _timed(lambda: sheets.build(ctx, work / "s2", jobs=2, force=True))
    row["sheets_1core_s"] = _timed(lambda: sheets.build(small, work / "s1", jobs=1, force=True))
    row["sheets_per_s_2core"] = docs / row["sheets_2core_s"]
    row["sheets_per_s_1core"] = sample_docs / row["sheets_1core_s"]
    row["sheets_none_s"] = statistics.median(_timed(lambda: sheets.build(ctx, work / "s2", jobs=2)) for _ in range(reps))
    row |= steps(small)
    return row


def steps(ctx) -> dict:
    """Per sheet, on one warm core: HTML, layout, writing; pages; the floor on two cores."""
    from weasyprint import HTML

    from .documents import Documents
    from .fonts import font_css
    from .renderer import Renderer

    docs = Documents(ctx.cv, ctx.created, ctx.qr)
    renderer = Renderer(font_css(ctx.catalogue, ctx.cache))
    ids = [v.m.id for v in ctx.cv.views()]
    renderer.render(docs.sheet(ids[0]))  # warm: fonts, stylesheet, images
    html = layout = write = 0.0
    pages = 0
    for matter_id in ids:
        started = time.perf_counter()
        text = docs.sheet(matter_id)
        made = time.perf_counter()
        document = HTML(string=text).render(stylesheets=[renderer.css], font_config=renderer.font_config,
                                            cache=renderer.images)
        laid_out = time.perf_counter()
        document.write_pdf()
        html, layout, write = html + made - started, layout + laid_out - made, write + time.perf_counter() - laid_out
        pages += len(document.pages)
    n = len(ids)
    return {"html_ms": html / n * 1000, "layout_ms": layout / n * 1000, "write_ms": write / n * 1000,
            "pages_per_sheet": pages / n, "floor_per_s_2core": 2 * n / (layout + write)}
