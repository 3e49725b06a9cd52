"""The staff desk booklet (一次性告知单汇编): a front (cover and contents), every sheet, the three forms.

Nothing of it is laid out twice: the booklet is put together (pypdf, in a short-lived process of its own)
from the sheets' and forms' own PDFs, as the store keeps them, after a front rendered from their page
counts, so each booklet page is the very page a resident is given (the sheet's own “第 2 页 / 共 3 页”
stays on it). Each numbered page then gets its booklet page number, “汇编第 N 页” at the foot, the number
the contents give: stamped from pages of numbers rendered once in runs of STAMPS (they never change) and
laid over the page as a form, without touching what the page draws.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from ..catalogue.view import form_name, sheet_name
from ..files import atomic_write
from . import documents
from .documents import FORMS, Documents

NAME = "booklet.pdf"
STAMPS = 100  # booklet page numbers rendered in runs of this many pages
VERSION = "2"  # of the way the booklet is put together


@dataclass
class Piece:
    name: str  # booklet-front, booklet-stamps-1 …
    key: str
    html: callable  # makes the piece's HTML, only when it must be rendered


@dataclass
class Plan:
    front: Piece
    stamps: list[Piece]  # the page numbers 1 … STAMPS, STAMPS + 1 … 2 × STAMPS, … covering every numbered page
    members: list[str]  # the sheets and forms in the booklet's order, by file name
    starts: dict[str, int]  # the booklet page where each starts (1 = the first sheet's first page)
    pages: int  # numbered pages

    @property
    def pieces(self) -> list[Piece]:
        return [self.front, *self.stamps]


def plan(docs: Documents, pages: dict[str, int]) -> Plan:
    """The booklet of `docs`, given the page count of every sheet and form, by file name."""
    views = docs.cv.views()
    members = [sheet_name(v.m.id) for v in views] + [form_name(f) for f in FORMS]
    starts, page = {}, 1
    for name in members:
        starts[name], page = page, page + pages[name]
    entries = [[v.m.task_name, starts[sheet_name(v.m.id)]] for v in views]
    forms = [[f, starts[form_name(f)]] for f in FORMS]
    front = Piece(
        "booklet-front",
        docs.key("booklet-front", entries=entries, forms=forms, pages=page - 1),
        lambda: docs.page(
            "print/booklet-front.html",
            titles()["booklet"],
            "booklet-front",
            sheets=[(v, starts[sheet_name(v.m.id)]) for v in views],
            forms=[tuple(f) for f in forms],
            pages=page - 1,
        ),
    )
    stamps = [
        Piece(
            f"booklet-stamps-{n + 1}",
            docs.key("booklet-stamps", first=n * STAMPS + 1, count=STAMPS),
            lambda n=n: docs.page(
                "print/booklet-stamps.html", titles()["stamps"], "booklet-stamps", first=n * STAMPS + 1, count=STAMPS
            ),
        )
        for n in range((page - 2) // STAMPS + 1)
    ]
    return Plan(front, stamps, members, starts, page - 1)


def key(booklet: Plan, keys: dict[str, str]) -> str:
    """The booklet's key: its front, every sheet and form in order, its stamps, how it is put together."""
    h = hashlib.sha256(f"booklet\0{VERSION}\0{version('pypdf')}".encode())  # metadata: no 0.3 s import
    for part in [booklet.front.key] + [keys[m] for m in booklet.members] + [s.key for s in booklet.stamps]:
        h.update(part.encode())
    return h.hexdigest()


def outline(docs: Documents, booklet: Plan, front_pages: int) -> list[tuple[str, int]]:
    """The bookmarks: the contents, then each matter and form at its first page (0-based)."""
    forms = documents.environment().get_template("print/macros.html").module.form_titles
    return (
        [(titles()["contents"], min(1, front_pages - 1))]
        + [(v.m.task_name, front_pages + booklet.starts[sheet_name(v.m.id)] - 1) for v in docs.cv.views()]
        + [(forms[f], front_pages + booklet.starts[form_name(f)] - 1) for f in FORMS]
    )


def titles() -> dict[str, str]:
    """The booklet's titles, as print/macros.html words them."""
    return documents.environment().get_template("print/macros.html").module.titles


def assemble_apart(
    front: Path, members: list[Path], stamps: list[Path], bookmarks: list[tuple[str, int]], path: Path
) -> None:
    """`assemble` in a fresh, short-lived interpreter. pypdf holds the whole booklet while putting it
    together (about 460 MB at 9,000 pages), and a process keeps memory it once held: done here, the build
    would carry it through the MkDocs build that follows."""
    job = json.dumps(
        {
            "front": str(front),
            "members": [str(p) for p in members],
            "stamps": [str(p) for p in stamps],
            "outline": bookmarks,
            "path": str(path),
        }
    )
    code = (
        "import json, sys; from pathlib import Path; from kiosk.printing.booklet import assemble; j = json.load(sys.stdin); "
        "assemble(Path(j['front']), [Path(p) for p in j['members']], [Path(p) for p in j['stamps']], "
        "j['outline'], Path(j['path']))"
    )
    package_root = str(Path(__file__).resolve().parents[2])  # the folder holding this very kiosk, installed or not
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    done = subprocess.run(
        [sys.executable, "-c", code], input=job, text=True, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if done.returncode != 0:
        raise RuntimeError(f"putting the booklet together failed: {done.stderr.strip()[-2000:]}")


def assemble(
    front: Path, members: list[Path], stamps: list[Path], bookmarks: list[tuple[str, int]], path: Path
) -> None:
    """The booklet: the front, then every member's pages, each with its number stamped; bookmarks, and the
    front's title and dates."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(front), import_outline=False)
    numbers = (page for stamp in stamps for page in PdfReader(stamp).pages)
    for member in members:
        for page in PdfReader(member).pages:
            _stamp(writer, writer.add_page(page), next(numbers))
    for title, index in bookmarks:
        writer.add_outline_item(title=title, page_number=index)
    writer.add_metadata({k: v for k, v in (PdfReader(front).metadata or {}).items()})
    writer.page_mode = "/UseOutlines"
    buffer = io.BytesIO()
    writer.write(buffer)
    atomic_write(path, buffer.getvalue())


def _stamp(writer, page, stamp) -> None:
    """Lay `stamp` (a page of numbers) over `page` as a form XObject: the page's own drawing is kept as it
    is, between q and Q, and the form is drawn after it."""
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    form = DecodedStreamObject()
    form.set_data(stamp["/Contents"].get_object().get_data())
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): stamp.mediabox,
            NameObject("/Resources"): stamp["/Resources"].clone(writer),
        }
    )
    # the page's own resources (a sheet's pages share theirs), pointing at the same fonts and images
    resources = DictionaryObject(page["/Resources"].get_object())
    resources[NameObject("/XObject")] = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
    resources["/XObject"][NameObject("/KioskBookletPage")] = writer._add_object(form)
    page[NameObject("/Resources")] = resources
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    after.set_data(b"\nQ\nq /KioskBookletPage Do Q\n")
    contents = page["/Contents"]
    drawn = list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *drawn, writer._add_object(after)])
