"""The staff desk booklet (一次性告知单汇编): a front (cover and contents), every sheet, the three forms.

It is not one WeasyPrint document (laying out thousands of pages again for every change, and holding them
all in memory): it is put together (pypdf, in a short-lived process of its own) from the front and parts of
PART sheets each, every part rendered like a sheet. Each sheet lays out in its part as in its own PDF
(`margin-break: discard` in print.css; a test compares where every word stands), so the sheets' page
counts give each part its first page number and the contents its numbers before anything of the booklet
is rendered. Changing one matter renders its sheet and its part again (and the front, when the contents
change); only a change in a sheet's number of pages renumbers, and so renders, the parts after it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from . import render
from .documents import FORMS, Documents
from .files import atomic_write
from .view import form_name, sheet_name

NAME = "booklet.pdf"
PART = 24  # sheets in one part: a change renders about this many sheets again
VERSION = "1"  # of the way pieces are put together


@dataclass
class Piece:
    name: str  # booklet-front, booklet-part-1 …
    key: str
    html: callable  # makes the piece's HTML, only when it must be rendered
    pages: int | None  # pages it must have (a part), or None (the front)


@dataclass
class Plan:
    pieces: list[Piece]
    starts: dict[str, int]  # the booklet page where each sheet and form starts, by file name (1 = first sheet)


def plan(docs: Documents, keys: dict[str, str], pages: dict[str, int], part: int | None = None) -> Plan:
    """The booklet of `docs`, given the key and page count of every sheet and form, by file name."""
    views, size = docs.cv.views(), part or PART
    names = [sheet_name(v.m.id) for v in views] + [form_name(f) for f in FORMS]
    starts, page = {}, 1
    for name in names:
        starts[name], page = page, page + pages[name]
    entries = [[v.m.task_name, starts[sheet_name(v.m.id)]] for v in views]
    forms = [[f, starts[form_name(f)]] for f in FORMS]
    front = Piece("booklet-front", docs.key("booklet-front", entries=entries, forms=forms, pages=page - 1),
                  lambda: docs.page("print/booklet-front.html", "一次性告知单汇编", "booklet-front",
                                    sheets=[(v, starts[sheet_name(v.m.id)]) for v in views],
                                    forms=[tuple(f) for f in forms], pages=page - 1), None)
    runs = [(views[i:i + size], ()) for i in range(0, len(views), size)] + [([], FORMS)]
    pieces = [front]
    for n, (run, run_forms) in enumerate(runs, 1):
        members = [sheet_name(v.m.id) for v in run] + [form_name(f) for f in run_forms]
        first = starts[members[0]]
        pieces.append(Piece(
            f"booklet-part-{n}", docs.key("booklet-part", members=[keys[m] for m in members], first_page=first),
            lambda run=run, run_forms=run_forms, first=first: docs.page(
                "print/booklet-part.html", "一次性告知单汇编", "booklet-part",
                sheets=[docs.parts(v.m.id) for v in run], forms=run_forms, first_page=first),
            sum(pages[m] for m in members)))
    return Plan(pieces, starts)


def key(pieces: list[Piece]) -> str:
    import pypdf

    h = hashlib.sha256(f"booklet\0{VERSION}\0{pypdf.__version__}".encode())
    for piece in pieces:
        h.update(piece.key.encode())
    return h.hexdigest()


def outline(docs: Documents, booklet: Plan, front_pages: int) -> list[tuple[str, int]]:
    """The bookmarks: the contents, then each matter and form at its first page (0-based)."""
    titles = render.env().get_template("print/macros.html").module.form_titles
    return ([("目录", min(1, front_pages - 1))]
            + [(v.m.task_name, front_pages + booklet.starts[sheet_name(v.m.id)] - 1) for v in docs.cv.views()]
            + [(titles[f], front_pages + booklet.starts[form_name(f)] - 1) for f in FORMS])


def assemble_apart(pieces: list[Path], bookmarks: list[tuple[str, int]], path: Path) -> None:
    """`assemble` in a fresh, short-lived interpreter. pypdf holds the whole booklet while putting it
    together (about 460 MB at 9,000 pages), and a process keeps memory it once held: done here, the build
    would carry it through the MkDocs build that follows."""
    job = json.dumps({"pieces": [str(p) for p in pieces], "outline": bookmarks, "path": str(path)})
    code = ("import json, sys; from pathlib import Path; from kiosk.booklet import assemble; "
            "j = json.load(sys.stdin); assemble([Path(p) for p in j['pieces']], j['outline'], Path(j['path']))")
    package_root = str(Path(__file__).resolve().parent.parent)  # this very kiosk, installed or not
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    done = subprocess.run([sys.executable, "-c", code], input=job, text=True, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if done.returncode != 0:
        raise RuntimeError(f"putting the booklet together failed: {done.stderr.strip()[-2000:]}")


def assemble(pieces: list[Path], bookmarks: list[tuple[str, int]], path: Path) -> None:
    """The booklet from its rendered front and parts, with bookmarks, the front's title and dates."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for piece in pieces:
        writer.append(PdfReader(piece), import_outline=False)
    for title, index in bookmarks:
        writer.add_outline_item(title=title, page_number=index)
    writer.add_metadata({k: v for k, v in (PdfReader(pieces[0]).metadata or {}).items()})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    atomic_write(path, buffer.getvalue())
