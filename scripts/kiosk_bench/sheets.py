"""`kiosk bench`: the printed sheets of a catalogue of N matters, and what each step of one costs.

    font_cut        cutting the print font to the catalogue's characters (once per catalogue, then cached)
    sheets_2core    every PDF (sheets, forms, the booklet) from cold on 2 worker processes, the font cut
    sheets_1core    the same on one, for the first ONE_CORE_SAMPLE matters (a rate)
    sheets_none     the sheets step again, nothing changed
    steps           one core, warm, per sheet: making its HTML, WeasyPrint's layout, writing the PDF (drawing,
                    font subsetting, compression, the tags); the floor is what WeasyPrint alone allows on two
                    cores, 2 / (layout + write), every other step (keys, store, booklet, placing) taken as free
    tags            what tagging costs: each sheet is laid out and written twice, as built (tagged,
                    documents.PDF_OPTIONS) and untagged, in turn; the ratio is (layout + write) tagged over
                    untagged, a sheet's whole time (the tags cost writing only)

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

    from kiosk.printing import sheets
    from kiosk.printing.context import BuildContext
    from kiosk.printing.documents import FORMS

    ctx = BuildContext(loaded, cache=work / "cache-sheets")
    small = BuildContext(sample, cache=work / "cache-sheets")
    docs = len(loaded.catalogue.matters) + len(FORMS) + 1
    sample_docs = len(sample.catalogue.matters) + len(FORMS) + 1
    row = {"sheet_docs": docs, "sheets_1core_docs": sample_docs}
    # the print font is cut once for a catalogue's characters and kept in the cache: its own column, so
    # the rates compare rendering with rendering (the floor has no font cut in it either)
    row["font_cut_s"] = _timed(lambda: ctx.fonts)
    small.fonts  # the one-core sample's own cut, likewise
    row["sheets_2core_s"] = _timed(lambda: sheets.build(ctx, work / "s2", jobs=2, force=True))
    row["sheets_1core_s"] = _timed(lambda: sheets.build(small, work / "s1", jobs=1, force=True))
    row["sheets_per_s_2core"] = docs / row["sheets_2core_s"]
    row["sheets_per_s_1core"] = sample_docs / row["sheets_1core_s"]
    row["sheets_none_s"] = statistics.median(
        _timed(lambda: sheets.build(ctx, work / "s2", jobs=2)) for _ in range(reps)
    )
    row |= steps(small)
    return row


def steps(ctx) -> dict:
    """Per sheet, on one warm core: HTML, layout, writing tagged (as built) and untagged; pages; the floor on
    two cores; the tags' cost."""
    from kiosk.printing.documents import PDF_OPTIONS, Documents
    from kiosk.printing.fonts import font_css
    from kiosk.printing.renderer import Renderer

    untagged = {**PDF_OPTIONS, "pdf_tags": False}
    docs = Documents(ctx.cv, ctx.created, ctx.qr)
    renderer = Renderer(font_css(ctx.catalogue, ctx.cache))
    ids = [v.m.id for v in ctx.cv.views()]
    renderer.render(docs.sheet(ids[0]))  # warm: fonts, stylesheet, images
    renderer.render(docs.sheet(ids[0]), untagged)
    html = layout = 0.0
    write = {"tagged": 0.0, "untagged": 0.0}
    pages = 0
    both = [("tagged", PDF_OPTIONS), ("untagged", untagged)]
    for i, matter_id in enumerate(ids):
        started = time.perf_counter()
        text = docs.sheet(matter_id)
        html += time.perf_counter() - started
        # laid out afresh for each: a rendered document is written once; in turn first, so neither gains
        for name, options in both if i % 2 == 0 else both[::-1]:
            started = time.perf_counter()
            document = renderer.layout(text)
            laid_out = time.perf_counter()
            document.write_pdf(**options)
            layout, write[name] = layout + laid_out - started, write[name] + time.perf_counter() - laid_out
        pages += len(document.pages)
    n = len(ids)
    layout /= 2  # per sheet: every sheet was laid out twice
    return {
        "html_ms": html / n * 1000,
        "layout_ms": layout / n * 1000,
        "write_ms": write["tagged"] / n * 1000,
        "write_untagged_ms": write["untagged"] / n * 1000,
        "tags_ratio": (layout + write["tagged"]) / (layout + write["untagged"]),
        "pages_per_sheet": pages / n,
        "floor_per_s_2core": 2 * n / (layout + write["tagged"]),
    }
