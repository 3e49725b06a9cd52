"""Printed sheets (WeasyPrint, A4) of a township: the 一次性告知单 of every matter, three blank forms and
the staff booklet, built into a folder; and what else is printed from the catalogue (previews, the change
notice).

    <out>/<matter-id>.pdf        one 一次性告知单 per matter
    <out>/forms/unresolved.pdf   “办不成事”事项登记表
    <out>/forms/proxy.pdf        帮代办委托书
    <out>/forms/complaint.pdf    投诉登记表
    <out>/booklet.pdf            cover, contents, every sheet, the three forms, numbered (kiosk.printing.booklet)
    <out>/.sheets-cache.json     what is in place: each file's key and checksum
    <out>/.objects/              every rendered PDF by key (kiosk.printing.store), unless a shared store is given

The steps, each a module: documents (HTML and keys) → store (render what it lacks: renderer, with the
print font of kiosk.printing.fonts) → booklet → placing. The 补正 notice of one application is kiosk.printing.correction.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..catalogue.load import Loaded
from ..catalogue.view import CatalogueView, form_name, sheet_name
from ..exceptions import KioskError
from ..files import atomic_write
from ..problems import message
from . import booklet
from .context import BuildContext, of
from .correction import correction_notice
from .documents import FORMS, Documents
from .renderer import default_renderer, workers
from .store import Store, clear_stale_temporaries, file_sha256

BOOKLET = booklet.NAME
CACHE_FILE = ".sheets-cache.json"
STORE = ".objects"


@dataclass
class Report:
    outputs: list[Path] = field(default_factory=list)  # every PDF of the build, sheets first
    rendered: list[Path] = field(default_factory=list)  # rendered this time
    reused: list[Path] = field(default_factory=list)  # unchanged, kept where it was
    restored: list[Path] = field(default_factory=list)  # copied back from an earlier render of the same data
    removed: list[Path] = field(default_factory=list)  # PDFs of matters no longer in the catalogue
    warnings: list[str] = field(default_factory=list)  # WeasyPrint warnings, "file: message"
    keys: dict[str, str] = field(default_factory=dict)  # each PDF's key in the store, by name
    store: Store | None = None
    seconds: float = 0.0


def build(
    source: BuildContext | Loaded,
    out_dir: Path,
    jobs: int | None = None,
    force: bool = False,
    store: Path | None = None,
    link: bool = False,
) -> Report:
    """Make every PDF under `out_dir`, rendering only what no earlier build rendered from the same data.
    `store`: where rendered PDFs are kept by key (default `out_dir/.objects`); builds of different
    catalogues may share one store, never one `out_dir`. `link`: hard-link PDFs from the store (a fresh
    folder nobody edits)."""
    started, out_dir = time.perf_counter(), Path(out_dir)
    ctx = of(source)
    jobs = jobs or ctx.jobs  # worker processes (default: the context's, one per core)
    docs = ctx.documents
    objects = Store(Path(store) if store else out_dir / STORE, link)
    for folder in (out_dir, objects.folder):
        clear_stale_temporaries(folder)
    report = Report(store=objects)
    fonts = lambda: ctx.fonts  # noqa: E731  (the print font, made only if something renders)

    # 1. every sheet and form by the key of its data; render what the store lacks
    made = {sheet_name(v.m.id): lambda i=v.m.id: docs.sheet(i) for v in ctx.cv.views()}
    made |= {form_name(f): lambda f=f: docs.form(f) for f in FORMS}
    keys = {sheet_name(v.m.id): docs.sheet_key(v.m.id) for v in ctx.cv.views()}
    keys |= {form_name(f): docs.form_key(f) for f in FORMS}
    with workers(jobs) as pool:  # one set of worker processes for all of it
        report.warnings += objects.render(keys, lambda name: made[name](), pool, force, fonts)

        # 2. the booklet: its front planned from the sheets' page counts and rendered like them, then put together
        keys[BOOKLET], pieces = _booklet(docs, keys, objects, pool, force, fonts, report)

    # 3. each PDF in place, unless the one there is already right; what this build no longer makes, gone
    _place(keys, objects, out_dir, report)
    objects.prune(keep=set(keys.values()) | set(pieces), limit=10 * (len(keys) + len(pieces)))

    report.keys, report.seconds = keys, time.perf_counter() - started
    return report


def _booklet(
    docs: Documents, keys: dict[str, str], objects: Store, pool, force: bool, fonts, report: Report
) -> tuple[str, list[str]]:
    """The booklet's key, and the keys of its front and stamps (in use: kept by pruning)."""
    plan = booklet.plan(docs, {name: objects.pages(key) for name, key in keys.items()})
    key = booklet.key(plan, keys)
    pieces = {p.name: p.key for p in plan.pieces}
    if not force and objects.has(key):
        objects.touch(key)  # its front and stamps, not needed, are not rendered again
        return key, list(pieces.values())
    # put together in a process of its own, which takes the members in while the front and stamps render;
    # named for this process: builds sharing the store may assemble the same booklet at once, and a killed
    # one's file is cleared as a stale temporary
    path = objects.folder / f".{key}.{os.getpid()}.assembling.tmp"
    apart = booklet.AssemblyApart([objects.path(keys[m]) for m in plan.members])
    try:
        by_name = {p.name: p for p in plan.pieces}
        report.warnings += objects.render(pieces, lambda name: by_name[name].html(), pool, force, fonts)
        apart.finish(
            objects.path(plan.front.key),
            objects.path(plan.stamp.key),
            booklet.outline(docs, plan, objects.pages(plan.front.key)),
            path,
        )
    except BaseException:
        apart.abandon()
        raise
    objects.add(key, path.read_bytes(), objects.pages(plan.front.key) + plan.pages)
    path.unlink()
    return key, list(pieces.values())


def _place(keys: dict[str, str], objects: Store, out_dir: Path, report: Report) -> None:
    """Every PDF at its name (from the store, with its checksum from the store), unless the one there is
    already right; PDFs an earlier build wrote and this one does not make are removed."""
    old = _read_placed(out_dir)
    placed = {}
    for name, key in keys.items():
        path, entry = out_dir / name, old.get(name)
        report.outputs.append(path)
        if entry and entry["key"] == key and key not in objects.fresh and file_sha256(path) == entry["sha256"]:
            report.reused.append(path)
            placed[name] = entry
            continue
        placed[name] = {"key": key, "sha256": objects.place(key, path)}
        (report.rendered if key in objects.fresh else report.restored).append(path)
    for name in sorted(set(old) - set(keys)):
        if (out_dir / name).exists():
            (out_dir / name).unlink()
            report.removed.append(out_dir / name)
    text = json.dumps({"files": placed}, indent=1, sort_keys=True) + "\n"
    atomic_write(out_dir / CACHE_FILE, text.encode("utf-8"))


def _read_placed(out_dir: Path) -> dict[str, dict]:
    """What the last build put in place: each file's key and checksum."""
    try:
        files = json.loads((out_dir / CACHE_FILE).read_text("utf-8")).get("files", {})
        return files if isinstance(files, dict) else {}
    except (FileNotFoundError, ValueError, AttributeError):
        return {}


# ---------------------------------------------------------------- for a person to look at, and to sign


def png_page(pdf: Path, png: Path, dpi: int = 110, page: int = 1) -> Path:
    """One page of a PDF as PNG (poppler's pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        raise KioskError(message("previews_need_pdftoppm"))  # an installation's gap, said in Chinese
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
            check=True,
        )
        shutil.move(str(stem) + ".png", png)
    return png


def write_previews(source: BuildContext | Loaded, out_dir: Path, matter_id: str | None = None) -> list[Path]:
    """PNG previews of page 1 of a sheet and of a 补正 notice, for a person to look at:
    <out_dir>/sheet-<id>.png, <out_dir>/correction-<id>.png. Default matter: the one with most materials."""
    ctx = of(source)
    if matter_id is None:
        matter_id = max(ctx.cv.views(), key=lambda v: (len(v.materials), v.m.id)).m.id
    v = ctx.cv.view(matter_id)
    out_dir, renderer = Path(out_dir), ctx.renderer
    with tempfile.TemporaryDirectory() as tmp:
        sheet_pdf = Path(tmp) / "sheet.pdf"
        sheet_pdf.write_bytes(renderer.pdf(ctx.documents.sheet(matter_id))[0])
        missing = ",".join(str(i) for i in range(1, min(len(v.materials), 3) + 1)) or "1"
        received = ctx.loaded.calendar.next_workday_from(ctx.catalogue.catalogue.effective_date)
        notice = correction_notice(ctx.loaded, matter_id, missing, received, message("sheet_preview_applicant"))
        notice_pdf = Path(tmp) / "correction.pdf"
        notice_pdf.write_bytes(renderer.pdf(notice.html)[0])
        return [
            png_page(sheet_pdf, out_dir / f"sheet-{matter_id}.png"),
            png_page(notice_pdf, out_dir / f"correction-{matter_id}.png"),
        ]


def change_notice_html(cv: CatalogueView, report, created: str | None = None) -> str:
    """The 事项目录变更通知 of a change report, with a line for each staff member to sign as read."""
    return Documents(cv, created).page(
        "print/changes.html", booklet.titles()["changes"], "changes", windows=cv.windows, report=report
    )


def write_change_notice(cv: CatalogueView, report, output: Path, created: str | None = None) -> list[str]:
    """Render the change notice to `output`; returns WeasyPrint's warnings (none expected)."""
    data, warnings = default_renderer().pdf(change_notice_html(cv, report, created))
    atomic_write(Path(output), data)
    return warnings
