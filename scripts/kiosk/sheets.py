"""Printed sheets (WeasyPrint, A4): the 一次性告知单 of every matter, the 补正 notice, three blank forms
and the staff booklet.

    <out>/<matter-id>.pdf        one 一次性告知单 per matter (templates/print/sheet.html)
    <out>/forms/unresolved.pdf   “办不成事”事项登记表
    <out>/forms/proxy.pdf        帮代办委托书
    <out>/forms/complaint.pdf    投诉登记表
    <out>/booklet.pdf            cover, table of contents, every sheet, the three forms
    <out>/.sheets-cache.json     what each PDF was rendered from (content cache)
    <out>/.objects/              every rendered PDF by content (default place of the store)

A sheet wraps the shared notice (templates/notice.html, medium "print") that the kiosk page also
renders, so the screen and the paper say the same thing. The staff print view of the kiosk site is
the same HTML (`print_view_html`).

Rendering: every document is first made as HTML (cheap); its cache key is a hash of that HTML, the
stylesheet and the renderer's version. A PDF whose key and bytes match the cache is not rendered
again. The rest go to a pool of worker processes, each holding one FontConfiguration, one parsed
stylesheet and one image cache. Dates in the PDFs are fixed (SOURCE_DATE_EPOCH, else the catalogue's
effective date), so the same catalogue gives the same bytes. Every PDF is written to a temporary name
and renamed.

The booklet is not one WeasyPrint document (laying out thousands of pages again for every change, and
holding them all in memory): it is put together (pypdf) from a front (cover and contents) and parts
of BOOKLET_PART sheets each, rendered like any other document. Each sheet lays out in the booklet as
in its own PDF, so the sheets' page counts give each part its first page number and the contents its
numbers before anything of the booklet is rendered. Changing one matter renders its sheet and its part
again (and the front, when the contents change); only a change in a sheet's number of pages renumbers
(renders) the parts after it.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
import logging
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from markupsafe import Markup

from . import render
from .catalogue import Loaded
from .files import atomic_write
from .limits import Deadline, deadline
from .model import Catalogue, Material
from .problems import message
from .view import CatalogueView, MatterView

FORMS = ("unresolved", "proxy", "complaint")
BOOKLET = "booklet.pdf"
BOOKLET_PART = 24  # sheets in one part of the booklet: a change renders about this many sheets again
CACHE_FILE = ".sheets-cache.json"
STORE = ".objects"
# Bump when the rendering changes in a way the HTML and the stylesheet do not show.
RENDER_VERSION = "1"
CSS_NAME = "print/print.css"


class SheetInputError(Exception):
    """Wrong input for a 补正 notice; `str(e)` is the plain-Chinese message."""


# ---------------------------------------------------------------- HTML of each document


def catalogue_view(source: Loaded | CatalogueView | Catalogue) -> CatalogueView:
    if isinstance(source, CatalogueView):
        return source
    if isinstance(source, Loaded):
        if source.catalogue is None:
            raise ValueError("the catalogue has errors; load it with load_or_raise")
        return CatalogueView(source.catalogue)
    return CatalogueView(source)


@cache
def css_text() -> str:
    return resources.files(__package__).joinpath("templates", *CSS_NAME.split("/")).read_text("utf-8")


def created_date(c: Catalogue, day: datetime.date | None = None) -> str:
    """The fixed creation date of a PDF (W3C format): SOURCE_DATE_EPOCH when set, else `day`
    (default: the catalogue's effective date), at midnight in China."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        moment = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    day = day or c.catalogue.effective_date
    return f"{day.isoformat()}T00:00:00+08:00"


def _no_link(_matter_id: str) -> None:
    return None


def _sheet_parts(v: MatterView) -> dict:
    return {"v": v, "notice": Markup(render.notice(v, "print", _no_link)), "links": v.qr_links}


def _page(template: str, cv: CatalogueView, title: str, kind: str, inline_css: bool = False,
          created: str | None = None, **context) -> str:
    return render.render(
        template, c=cv.c, title=title, kind=kind, created=created or created_date(cv.c),
        css=Markup(css_text()) if inline_css else None, **context,
    )


def sheet_html(cv: CatalogueView, matter_id: str, inline_css: bool = False, parts: dict | None = None) -> str:
    """The 一次性告知单 of one matter as a whole HTML document."""
    v = cv.view(matter_id)
    return _page("print/sheet.html", cv, v.m.task_name, "sheet", inline_css, **(parts or _sheet_parts(v)))


def print_view_html(source: Loaded | CatalogueView | Catalogue, matter_id: str) -> str:
    """The same 一次性告知单 HTML as a standalone page with the print stylesheet inlined: the staff
    print view of the kiosk site (the browser prints it as the PDF looks)."""
    return with_inline_css(sheet_html(catalogue_view(source), matter_id))


def with_inline_css(html: str) -> str:
    """A printed document's HTML made a standalone web page: the print stylesheet inlined."""
    style = f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<style>\n{css_text()}\n</style>\n'
    return html.replace("</head>", style + "</head>", 1)


def form_html(cv: CatalogueView, form: str, inline_css: bool = False) -> str:
    """One of the blank forms: unresolved (办不成事), proxy (帮代办), complaint."""
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; one of {FORMS}")
    return _page("print/form.html", cv, form, "form", inline_css, form=form)


@dataclass
class BookletPlan:
    """The booklet as separately rendered documents, and where each sheet and form starts in it."""
    front: str  # HTML of the cover and contents
    parts: list[tuple[str, int]]  # HTML of each part, and its number of pages
    starts: dict[str, int]  # the booklet page number where each sheet and form starts, by file name


def booklet_plan(cv: CatalogueView, pages: dict[str, int], parts: dict | None = None,
                 part_size: int | None = None) -> BookletPlan:
    """The booklet of `cv`, given the page count of every sheet and form (`pages`, by file name as
    `documents` names them). Pages are numbered from the first sheet; the front has no numbers."""
    views = cv.views()
    size = part_size or BOOKLET_PART
    starts, page = {}, 1
    for name in [f"{v.m.id}.pdf" for v in views] + [f"forms/{f}.pdf" for f in FORMS]:
        starts[name] = page
        page += pages[name]
    total = page - 1
    front = _page("print/booklet-front.html", cv, "一次性告知单汇编", "booklet-front",
                  sheets=[(v, starts[f"{v.m.id}.pdf"]) for v in views],
                  forms=[(f, starts[f"forms/{f}.pdf"]) for f in FORMS], pages=total)
    runs = [(views[i:i + size], ()) for i in range(0, len(views), size)] + [([], FORMS)]
    documents = []
    for run_views, forms in runs:
        names = [f"{v.m.id}.pdf" for v in run_views] + [f"forms/{f}.pdf" for f in forms]
        html = _page("print/booklet-part.html", cv, "一次性告知单汇编", "booklet-part",
                     sheets=[(parts or {}).get(v.m.id) or _sheet_parts(v) for v in run_views], forms=forms,
                     first_page=starts[names[0]])
        documents.append((html, sum(pages[n] for n in names)))
    return BookletPlan(front, documents, starts)


def booklet_outline(cv: CatalogueView, plan: BookletPlan, front_pages: int) -> list[tuple[str, int]]:
    """The booklet's bookmarks: the contents, then each matter and form at its first page (0-based)."""
    titles = render.env().get_template("print/macros.html").module.form_titles
    return ([("目录", min(1, front_pages - 1))]
            + [(v.m.task_name, front_pages + plan.starts[f"{v.m.id}.pdf"] - 1) for v in cv.views()]
            + [(titles[f], front_pages + plan.starts[f"forms/{f}.pdf"] - 1) for f in FORMS])


# ---------------------------------------------------------------- the 补正 notice


@dataclass
class Correction:
    html: str
    warnings: list[str]  # plain Chinese, for stderr (e.g. a due date left blank)
    missing: list[tuple[int, Material]]
    deadline: Deadline  # the limits, with the dates they give if the materials come on the day received


def numbered_materials(v: MatterView) -> list[Material]:
    """The materials as the 一次性告知单 numbers them (notice.html): the view's list when it has one
    (a township's extra materials follow the county's), else the matter's."""
    return list(getattr(v, "materials", v.m.materials))


def parse_missing(text: str, materials: list[Material], name: str) -> list[tuple[int, Material]]:
    """'1,3' (or '1，3', '1 3') -> [(1, m1), (3, m3)], in the sheet's order; numbers as on the sheet."""
    parts = [p for p in re.split(r"[,，、;；\s]+", text.strip()) if p]
    if not parts:
        raise SheetInputError(message("sheet_missing_empty"))
    numbers = set()
    for part in parts:
        if not part.isascii() or not part.isdigit():
            raise SheetInputError(message("sheet_missing_not_number", input=text))
        number = int(part)
        if not 1 <= number <= len(materials):
            if not materials:
                raise SheetInputError(message("sheet_no_materials", name=name))
            raise SheetInputError(message("sheet_missing_out_of_range", name=name, count=len(materials), number=number))
        numbers.add(number)
    return [(n, materials[n - 1]) for n in sorted(numbers)]


def parse_date(text: str) -> datetime.date:
    if isinstance(text, datetime.date):
        return text
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise SheetInputError(message("sheet_bad_date", input=text))
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise SheetInputError(message("sheet_bad_date", input=text)) from None


def correction_notice(loaded: Loaded, matter_id: str, missing: str, received: str | datetime.date,
                      applicant: str, staff: str | None = None, number: str | None = None) -> Correction:
    """The 材料补正一次性告知书 of one application. Every input is checked before anything is made;
    a wrong one raises SheetInputError. `number`: the record number a desk gives it (printed; a blank line
    to fill in by hand without one). A due date in a year no calendar knows is left blank, with a
    warning, never guessed."""
    cv = catalogue_view(loaded)
    if matter_id not in cv.matters:
        raise SheetInputError(message("sheet_unknown_matter", id=matter_id))
    v = cv.view(matter_id)
    chosen = parse_missing(missing, numbered_materials(v), v.m.task_name)
    day = parse_date(received)
    applicant = (applicant or "").strip()
    if not applicant:
        raise SheetInputError(message("sheet_no_applicant"))
    if staff is not None and staff not in cv.staff:
        raise SheetInputError(message("sheet_unknown_staff", id=staff))
    person = cv.staff[staff] if staff else v.person
    window = cv.windows[person.window] if staff else v.window
    phone = person.phone if staff else v.phone

    t = deadline(v.m, day, loaded.calendar)
    warnings = [message("sheet_due_blank", year=t.unknown_year.year, file=t.unknown_year.file)] if t.unknown_year else []
    html = _page(
        "print/correction.html", cv, v.m.task_name, "correction", created=created_date(cv.c, day),
        v=v, missing=chosen, received=day, t=t, applicant=applicant, staff=person, window=window, phone=phone,
        number=number,
    )
    return Correction(html, warnings, chosen, t)


def write_correction(loaded: Loaded, matter_id: str, output: Path, **inputs) -> Correction:
    """Check the inputs, render the 补正 notice and write it to `output` (temp name, then renamed)."""
    notice = correction_notice(loaded, matter_id, **inputs)
    data, warnings = default_renderer().pdf(notice.html)
    notice.warnings += warnings
    atomic_write(Path(output), data)
    return notice


# ---------------------------------------------------------------- rendering


class Renderer:
    """One font configuration, one parsed stylesheet and one image cache (the QR codes), reused for
    every document of a process."""

    def __init__(self):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self.css = CSS(string=css_text(), font_config=self.font_config)
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
def default_renderer() -> Renderer:
    return Renderer()


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


_WORKER: Renderer | None = None


def _worker_init() -> None:
    global _WORKER
    _WORKER = Renderer()


def _render_job(html: str, path: str) -> tuple[list[str], int]:
    """Render `html` to `path`; WeasyPrint's warnings and the number of pages."""
    renderer = _WORKER or default_renderer()
    data, warnings, pages = renderer.render(html)
    atomic_write(Path(path), data)
    return warnings, pages


# ---------------------------------------------------------------- building all sheets


@dataclass
class Report:
    outputs: list[Path] = field(default_factory=list)  # every PDF of the build, sheets first
    rendered: list[Path] = field(default_factory=list)  # rendered this time
    reused: list[Path] = field(default_factory=list)  # unchanged, kept from the cache
    restored: list[Path] = field(default_factory=list)  # copied back from an earlier render of the same HTML
    removed: list[Path] = field(default_factory=list)  # PDFs of matters no longer in the catalogue
    warnings: list[str] = field(default_factory=list)  # WeasyPrint warnings, "file: message"
    html: dict[str, str] = field(default_factory=dict)  # each PDF's HTML, by name
    seconds: float = 0.0


def documents(cv: CatalogueView, parts: dict | None = None) -> dict[str, str]:
    """Every sheet and form PDF of a build, by path relative to the output folder, with its HTML
    (the booklet is put together from documents of its own: `booklet_plan`)."""
    parts = parts or {v.m.id: _sheet_parts(v) for v in cv.views()}
    docs = {f"{mid}.pdf": sheet_html(cv, mid, parts=p) for mid, p in parts.items()}
    docs.update({f"forms/{f}.pdf": form_html(cv, f) for f in FORMS})
    return docs


def cache_key(html: str) -> str:
    h = hashlib.sha256()
    for part in (RENDER_VERSION, importlib.metadata.version("weasyprint"), css_text(), html):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class _Store:
    """Rendered PDFs by content key (`<key>.pdf`), each with its number of pages (`<key>.pages`)."""

    def __init__(self, folder: Path, link: bool = False):
        self.folder, self.link, self.pages, self.fresh = folder, link, {}, set()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pdf"

    def render(self, docs: dict[str, str], keys: dict[str, str], jobs: int, force: bool) -> list[str]:
        """Make sure every document has its PDF: render those whose key has none yet (all with
        `force`), longest first, and mark the others as recently used (their `.pages` file: kept by
        pruning), rendering one again if another build sharing the store pruned it meanwhile.
        Returns WeasyPrint's warnings as "name: message"."""
        todo = {keys[n]: n for n in docs if force or not self.path(keys[n]).is_file()}
        names = sorted(todo.values(), key=lambda n: -len(docs[n]))
        said = []
        for name, (warnings, pages) in zip(names, _render_all([(docs[n], str(self.path(keys[n]))) for n in names], jobs)):
            said += [f"{name}: {w}" for w in warnings]
            self.counted(keys[name], pages)
            self.fresh.add(keys[name])
        for name, key in keys.items():
            try:
                self.touch(key)
            except FileNotFoundError:
                self.counted(key, _render_job(docs[name], str(self.path(key)))[1])
                self.fresh.add(key)
        return said

    def touch(self, key: str) -> None:
        """Mark the object as recently used: kept by pruning."""
        self.page_count(key)
        os.utime(self.path(key).with_suffix(".pages"))

    def page_count(self, key: str) -> int:
        if key not in self.pages:
            try:
                self.pages[key] = int(self.path(key).with_suffix(".pages").read_text("ascii"))
            except (FileNotFoundError, ValueError):
                from pypdf import PdfReader

                self.counted(key, len(PdfReader(self.path(key)).pages))
        return self.pages[key]

    def counted(self, key: str, pages: int) -> None:
        self.pages[key] = pages
        atomic_write(self.path(key).with_suffix(".pages"), str(pages).encode("ascii"))

    def place(self, key: str, path: Path) -> str:
        """Put the object at `path`, by a copy renamed into place; returns its SHA-256. With `link`
        (a fresh folder nobody edits, such as a site build), a hard link where the file system allows:
        objects are never changed once written."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        linked = False
        if self.link:
            try:
                os.link(self.path(key), tmp)
                linked = True
            except OSError:  # another file system, or no hard links there
                pass
        if not linked:
            shutil.copyfile(self.path(key), tmp)
        os.replace(tmp, path)
        return _sha256(path)


def build(loaded: Loaded | CatalogueView, out_dir: Path, jobs: int = 2, force: bool = False,
          store: Path | None = None, booklet_part: int | None = None, link: bool = False) -> Report:
    """Make every PDF under `out_dir`; render only HTML that no earlier build rendered.

    Rendered PDFs are kept by content in `store/<key>.pdf` (default `out_dir/.objects`), so switching
    back to an earlier version of a matter (or of the booklet) costs a copy, not a render. Builds of
    different catalogues may share one store, never one `out_dir`. `booklet_part`: sheets in one part
    of the booklet (default BOOKLET_PART). `link`: hard-link PDFs from the store instead of copying
    them (for a fresh folder that nobody edits in place).
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    cv = catalogue_view(loaded)
    _clear_stale_temporaries(out_dir)
    old = _read_cache(out_dir)
    objects = _Store(Path(store) if store else out_dir / STORE, link)

    # 1. every sheet and form as HTML, and its key; render what no earlier build rendered
    parts = {v.m.id: _sheet_parts(v) for v in cv.views()}  # each notice rendered once, for sheet and booklet
    docs = documents(cv, parts)
    keys = {name: cache_key(html) for name, html in docs.items()}
    report = Report(outputs=[out_dir / name for name in [*docs, BOOKLET]], html=dict(docs))
    report.warnings += objects.render(docs, keys, jobs, force)

    # 2. the booklet: front and parts rendered like the sheets, then put together
    plan = booklet_plan(cv, {name: objects.page_count(keys[name]) for name in docs}, parts, booklet_part)
    pieces = {"booklet-front": plan.front} | {f"booklet-part-{i + 1}": html for i, (html, _) in enumerate(plan.parts)}
    piece_keys = {name: cache_key(html) for name, html in pieces.items()}
    report.warnings += objects.render(pieces, piece_keys, jobs, force)
    for (name, key), (_, expected) in zip(list(piece_keys.items())[1:], plan.parts):
        if objects.page_count(key) != expected:
            raise RuntimeError(f"{name} has {objects.page_count(key)} pages where its sheets have {expected}: "
                               "a sheet lays out differently in the booklet, so its page numbers would be wrong")
    keys[BOOKLET] = _booklet_key(piece_keys.values())
    report.html[BOOKLET] = plan.front
    if force or not objects.path(keys[BOOKLET]).is_file():
        outline = booklet_outline(cv, plan, objects.page_count(piece_keys["booklet-front"]))
        _assemble_apart([objects.path(k) for k in piece_keys.values()], outline, objects.path(keys[BOOKLET]))
        objects.counted(keys[BOOKLET], sum(objects.page_count(k) for k in piece_keys.values()))
        objects.fresh.add(keys[BOOKLET])
    else:
        objects.touch(keys[BOOKLET])

    # 3. put each PDF in place, unless the one there is already right
    hashes = {}
    for name, key in keys.items():
        path, entry = out_dir / name, old.get(name)
        if entry and entry["key"] == key and key not in objects.fresh and _sha256(path) == entry["sha256"]:
            report.reused.append(path)
            hashes[name] = entry["sha256"]
            continue
        hashes[name] = objects.place(key, path)
        (report.rendered if key in objects.fresh else report.restored).append(path)

    # 4. drop PDFs this build no longer makes (only files an earlier build wrote), and old objects
    for name in sorted(set(old) - set(keys)):
        path = out_dir / name
        if path.exists():
            path.unlink()
            report.removed.append(path)
    in_use = set(keys.values()) | set(piece_keys.values())
    _prune(objects.folder, keep=in_use, limit=10 * len(in_use))

    _write_cache(out_dir, {name: {"key": keys[name], "sha256": hashes[name]} for name in keys})
    report.seconds = time.perf_counter() - started
    return report


def _booklet_key(piece_keys) -> str:
    import pypdf

    h = hashlib.sha256(f"booklet\0{RENDER_VERSION}\0{pypdf.__version__}".encode())
    for key in piece_keys:
        h.update(key.encode())
    return h.hexdigest()


def _assemble_apart(pieces: list[Path], outline: list[tuple[str, int]], path: Path) -> None:
    """`_assemble` in a fresh, short-lived interpreter. pypdf holds the whole booklet while putting it
    together (about 460 MB at 9,000 pages), and a process keeps memory it once held: done here, the
    build would carry it through the MkDocs build that follows."""
    job = json.dumps({"pieces": [str(p) for p in pieces], "outline": outline, "path": str(path)})
    code = ("import json, sys; from pathlib import Path; from kiosk.sheets import _assemble; "
            "j = json.load(sys.stdin); _assemble([Path(p) for p in j['pieces']], j['outline'], Path(j['path']))")
    package_root = str(Path(__file__).resolve().parent.parent)  # this very kiosk, installed or not
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", code], input=job, text=True, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise RuntimeError(f"putting the booklet together failed: {done.stderr.strip()[-2000:]}")


def _assemble(pieces: list[Path], outline: list[tuple[str, int]], path: Path) -> None:
    """The booklet from its rendered front and parts, with bookmarks, the front's title and dates."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for piece in pieces:
        writer.append(PdfReader(piece), import_outline=False)
    for title, index in outline:
        writer.add_outline_item(title=title, page_number=index)
    writer.add_metadata({k: v for k, v in (PdfReader(pieces[0]).metadata or {}).items()})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    atomic_write(path, buffer.getvalue())


def _clear_stale_temporaries(out_dir: Path, age: float = 600) -> None:
    """Temporary files a killed build left (a live one renames its file within seconds)."""
    now = time.time()
    for tmp in out_dir.rglob(".*.tmp") if out_dir.is_dir() else ():
        try:
            if now - tmp.stat().st_mtime > age:
                tmp.unlink()
        except FileNotFoundError:
            pass


def _prune(store: Path, keep: set[str], limit: int, age: float = 3600) -> None:
    """Keep the objects in use and the most recently used others, `limit` in all; never one used within
    the last hour (another build sharing the cache may be about to copy it). An object's last use is
    the time of its `.pages` file."""
    now = time.time()
    dated = []
    for p in store.glob("*.pdf"):
        try:
            dated.append((p.with_suffix(".pages").stat().st_mtime, p))
        except FileNotFoundError:
            try:
                dated.append((p.stat().st_mtime, p))
            except FileNotFoundError:
                continue
    others = sorted((d for d in dated if d[1].stem not in keep), reverse=True)
    for mtime, p in others[max(0, limit - len(keep)):]:
        if now - mtime > age:
            p.unlink(missing_ok=True)
            p.with_suffix(".pages").unlink(missing_ok=True)


def build_sheets(loaded: Loaded | CatalogueView, out_dir: Path, jobs: int = 2) -> list[Path]:
    """Every sheet, form and the booklet under `out_dir` (see the module docstring); returns their paths."""
    return build(loaded, out_dir, jobs).outputs


def _render_all(tasks: list[tuple[str, str]], jobs: int) -> list[tuple[list[str], int]]:
    if not tasks:
        return []
    if jobs <= 1 or len(tasks) == 1:
        return [_render_job(html, path) for html, path in tasks]
    # fork: workers start at once, with the templates and WeasyPrint already imported, and work from a
    # script or a MkDocs hook without a `__main__` guard; each worker makes its own fonts and stylesheet
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context, initializer=_worker_init) as pool:
        futures = [pool.submit(_render_job, html, path) for html, path in tasks]
        return [f.result() for f in futures]


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def _read_cache(out_dir: Path) -> dict[str, dict]:
    """What the last build wrote: each file's key and hash."""
    try:
        data = json.loads((out_dir / CACHE_FILE).read_text("utf-8"))
        files = data.get("files", {})
        return files if isinstance(files, dict) else {}
    except (FileNotFoundError, ValueError, AttributeError):
        return {}


def _write_cache(out_dir: Path, files: dict[str, dict]) -> None:
    text = json.dumps({"render_version": RENDER_VERSION, "files": files}, indent=1, sort_keys=True) + "\n"
    atomic_write(out_dir / CACHE_FILE, text.encode("utf-8"))


# ---------------------------------------------------------------- previews


def png_page(pdf: Path, png: Path, dpi: int = 110, page: int = 1) -> Path:
    """One page of a PDF as PNG (poppler's pdftoppm)."""
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm (poppler-utils) is needed for previews; run .ci/setup")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf), str(stem)], check=True)
        shutil.move(str(stem) + ".png", png)
    return png


def write_previews(loaded: Loaded, out_dir: Path, matter_id: str | None = None) -> list[Path]:
    """PNG previews of page 1 of a sheet and of a 补正 notice, for a person to look at:
    <out_dir>/sheet-<id>.png, <out_dir>/correction-<id>.png. Default matter: the one with most materials."""
    cv = catalogue_view(loaded)
    if matter_id is None:
        matter_id = max(cv.views(), key=lambda v: (len(numbered_materials(v)), v.m.id)).m.id
    v = cv.view(matter_id)
    out_dir = Path(out_dir)
    renderer = default_renderer()
    with tempfile.TemporaryDirectory() as tmp:
        sheet_pdf = Path(tmp) / "sheet.pdf"
        sheet_pdf.write_bytes(renderer.pdf(sheet_html(cv, matter_id))[0])
        missing = ",".join(str(i) for i in range(1, min(len(numbered_materials(v)), 3) + 1)) or "1"
        received = loaded.calendar.next_workday_from(cv.c.catalogue.effective_date)
        notice = correction_notice(loaded, matter_id, missing, received, message("sheet_preview_applicant"))
        notice_pdf = Path(tmp) / "correction.pdf"
        notice_pdf.write_bytes(renderer.pdf(notice.html)[0])
        return [
            png_page(sheet_pdf, out_dir / f"sheet-{matter_id}.png"),
            png_page(notice_pdf, out_dir / f"correction-{matter_id}.png"),
        ]


# ---------------------------------------------------------------- change notice (kiosk diff --pdf)


def change_notice_html(cv: CatalogueView, report) -> str:
    """The 事项目录变更通知 of a change report, with a line for each staff member to sign as read."""
    return _page("print/changes.html", cv, "事项目录变更通知", "changes", windows=cv.windows, report=report)


def write_change_notice(cv: CatalogueView, report, output: Path) -> list[str]:
    """Render the change notice to `output`; returns WeasyPrint's warnings (none expected)."""
    data, warnings = default_renderer().pdf(change_notice_html(cv, report))
    atomic_write(Path(output), data)
    return warnings
