"""The staff desk booklet (一次性告知单汇编): a front (cover and contents), every sheet, the three forms.

Nothing of it is laid out twice: the booklet is put together (qpdf through pikepdf, in a short-lived
process of its own) from the sheets' and forms' own PDFs, as the store keeps them, after a front rendered
from their page counts, so each booklet page is the very page a resident is given (the sheet's own
“第 2 页 / 共 3 页” stays on it). Each numbered page then gets its booklet page number, “汇编第 N 页” at the
foot, the number the contents give: stamped from pages of numbers rendered once in runs of STAMPS (they
never change) and laid over the page as a form, without touching what the page draws.

It embeds each face's glyphs once, not once in every sheet (_FontPrograms): 3.9 MB against 17 MB at 100
matters, 34 MB against 161 MB at 1,000. It is paper, untagged (its parts are tagged PDFs of their own):
their structure trees would hold about 0.95 GB of qpdf's memory at 1,000 matters. Putting it together
still holds every part's objects in memory, hence its own short-lived process.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
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
VERSION = "6"  # of the way the booklet is put together


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
    # what puts it together, by its metadata (no import): qpdf through pikepdf, the shared fonts by fontTools
    h = hashlib.sha256(f"booklet\0{VERSION}\0{version('pikepdf')}\0{version('fonttools')}".encode())
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


class AssemblyApart:
    """The booklet put together (Assembly) in a fresh, short-lived interpreter: qpdf holds the whole booklet while putting it together
    (see above), and a process keeps memory it once held; done here, the build would carry it through the
    MkDocs build that follows. It is fed in two steps on its standard input: the members, as soon as they
    are rendered (it takes them in while the front and the stamps render), then the rest (`finish`)."""

    CODE = (
        "import json, sys; from pathlib import Path; from kiosk.printing.booklet import Assembly; "
        "a = Assembly([Path(p) for p in json.loads(sys.stdin.readline())]); j = json.loads(sys.stdin.readline()); "
        "a.finish(Path(j['front']), [Path(p) for p in j['stamps']], j['outline'], Path(j['path']))"
    )

    def __init__(self, members: list[Path]):
        package_root = str(Path(__file__).resolve().parents[2])  # the folder holding this very kiosk
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
        self.process = subprocess.Popen(
            [sys.executable, "-c", self.CODE],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._send([str(p) for p in members])

    def finish(self, front: Path, stamps: list[Path], bookmarks: list[tuple[str, int]], path: Path) -> None:
        self._send({"front": str(front), "stamps": [str(p) for p in stamps], "outline": bookmarks, "path": str(path)})
        _, err = self.process.communicate()
        if self.process.returncode != 0:
            raise RuntimeError(f"putting the booklet together failed: {err.strip()[-2000:]}")

    def abandon(self) -> None:
        """Stop it (something else failed): it leaves at most its own temporary file."""
        self.process.kill()
        self.process.communicate()

    def _send(self, data) -> None:
        try:
            self.process.stdin.write(json.dumps(data) + "\n")
            self.process.stdin.flush()
        except BrokenPipeError:  # it failed already: `finish` says how
            pass


class Assembly:
    """The booklet: the front, then every member's pages, each with its number stamped; one font program per
    face, bookmarks, and the front's title, dates and language. The members are taken in first, the front
    and the stamps after (`finish`), so it can start before those are rendered.

    Paper for the staff, untagged: each of its parts is a tagged PDF of its own (every sheet and form, on the
    kiosk and in the store), and one structure tree over a booklet costs qpdf about 1.3 KB of memory an
    element, about 0.95 GB at N=1000 (the build's peak is to stay under 600 MB there).

    Each part is opened, copied in and closed before the next (pikepdf copies a stream's data with it),
    its font programs let go as soon as the booklet's shared ones hold their glyphs (_FontPrograms)."""

    def __init__(self, members: list[Path]):
        import pikepdf

        self.booklet = pikepdf.new()
        self.programs, self.seen = _FontPrograms(self.booklet), set()
        self.versions, self.pages = [], []
        for part in members:
            with pikepdf.open(part) as pdf:
                self.versions.append(pdf.pdf_version)
                pages = _append(self.booklet, pdf)
                self.pages += pages
                for font in _fonts(pages, self.seen):
                    self.programs.take(font)

    def finish(self, front: Path, stamps: list[Path], bookmarks: list[tuple[str, int]], path: Path) -> None:
        import pikepdf

        booklet, stamp, numbers = self.booklet, _Stamper(self.booklet), _stamps(stamps)
        for page in self.pages:
            stamp(page, next(numbers))
        numbers.close()
        for font in _fonts(self.pages, self.seen):  # the stamps'
            self.programs.take(font)
        with pikepdf.open(front) as pdf:  # the front: first, and the booklet's title, dates and language are its own
            self.versions.append(pdf.pdf_version)
            count = len(pdf.pages)
            for i, page in enumerate(pdf.pages):
                booklet.pages.insert(i, page)
            pages = booklet.pages[:count]
            _unstructure(pages)
            booklet.docinfo = booklet.copy_foreign(pdf.docinfo)
            for key in ("/Metadata", "/Lang", "/ViewerPreferences"):
                if key in pdf.Root:
                    booklet.Root[key] = _copy(booklet, pdf, pdf.Root[key])
            for font in _fonts(pages, self.seen):
                self.programs.take(font)
        self.programs.finish()
        with booklet.open_outline() as outline:
            outline.root.extend(pikepdf.OutlineItem(title, index) for title, index in bookmarks)
        booklet.Root.PageMode = pikepdf.Name.UseOutlines
        buffer = io.BytesIO()
        booklet.save(
            buffer,
            min_version=max(self.versions),
            object_stream_mode=pikepdf.ObjectStreamMode.generate,  # the many small objects compressed
            compress_streams=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,  # the parts' streams as they are
            deterministic_id=True,  # the same booklet, byte for byte, from the same parts
        )
        atomic_write(path, buffer.getvalue())


def _append(booklet, pdf) -> list:
    """`pdf`'s pages added at the end of `booklet` (their copies)."""
    start = len(booklet.pages)
    booklet.pages.extend(pdf.pages)
    pages = booklet.pages[start:]
    _unstructure(pages)
    return pages


def _unstructure(pages) -> None:
    """The pages without their places in their own PDF's structure tree (which stays behind)."""
    import pikepdf

    for page in pages:
        if pikepdf.Name.StructParents in page.obj:
            del page.obj.StructParents
        for annotation in page.obj.get(pikepdf.Name.Annots, []):
            if pikepdf.Name.StructParent in annotation:
                del annotation.StructParent


def _copy(booklet, pdf, obj):
    """`obj` of `pdf` copied into `booklet` (qpdf copies indirect objects only)."""
    return booklet.copy_foreign(obj if obj.is_indirect else pdf.make_indirect(obj))


def _stamps(files: list[Path]):
    """The stamp pages of `files` in order, each a form XObject of its own PDF (open while it is used). The
    booklet has no structure tree, so what the stamps mark for one (their MCIDs) is left as it is."""
    import pikepdf

    for file in files:
        with pikepdf.open(file) as pdf:
            for page in pdf.pages:
                yield page.as_form_xobject()


class _Stamper:
    """Lays a stamp (a form) over a page: the page's own drawing kept as it is, between q and Q, the form
    drawn after it. The two small streams around the drawing are one each for the whole booklet."""

    NAME = "/KioskBookletPage"

    def __init__(self, booklet):
        import pikepdf

        Operator = pikepdf.Operator
        self.booklet = booklet
        self.before = booklet.make_stream(pikepdf.unparse_content_stream([([], Operator("q"))]))
        self.after = booklet.make_stream(
            pikepdf.unparse_content_stream(
                [
                    ([], Operator("Q")),
                    ([], Operator("q")),
                    ([pikepdf.Name(self.NAME)], Operator("Do")),
                    ([], Operator("Q")),
                ]
            )
        )

    def __call__(self, page, form) -> None:
        import pikepdf

        Name = pikepdf.Name
        # the page's own resources (a sheet's pages share theirs), pointing at the same fonts and images
        resources = pikepdf.Dictionary({k: v for k, v in page.obj.Resources.items()})
        xobjects = pikepdf.Dictionary({k: v for k, v in resources.get(Name.XObject, pikepdf.Dictionary()).items()})
        xobjects[self.NAME] = self.booklet.copy_foreign(form)
        resources.XObject = xobjects
        page.obj.Resources = resources
        contents = page.obj.Contents
        drawn = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        page.obj.Contents = pikepdf.Array([self.before, *drawn, self.after])


def _fonts(pages: list, seen: set) -> list:
    """The composite fonts `pages` use (through forms too) not in `seen`, each once."""
    import pikepdf

    Name = pikepdf.Name
    found = []

    def visit(resources):
        for font in resources.get(Name.Font, {}).values():
            if font.objgen not in seen and font.get(Name.Subtype) == Name.Type0:
                seen.add(font.objgen)
                found.append(font)
        for xobject in resources.get(Name.XObject, {}).values():
            if xobject.get(Name.Subtype) == Name.Form and Name.Resources in xobject and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                visit(xobject.Resources)

    for page in pages:
        visit(page.obj.get(Name.Resources, {}))
    return found


class _FontPrograms:
    """One font program per face and cut (kiosk.fonts) in the whole booklet, instead of one in each part.

    WeasyPrint embeds in every PDF a subset of each face it uses, cut (HarfBuzz) with the glyph ids kept and
    CID = glyph id: the subsets of one cut of a face differ only in which glyphs they draw. The subsets that
    agree glyph for glyph (the same source glyph at every glyph id, as the CFF charset names them) are
    merged into one program drawing every glyph any of them draws (_Union), and each part's font points at
    it, keeping its own widths (/W) and /ToUnicode, right for its glyphs. Parts rendered with an earlier cut
    (kept in the store from before the catalogue gained a character) make a program of their own."""

    def __init__(self, booklet):
        self.booklet = booklet
        self.faces: dict[str, list[_Union]] = {}

    def take(self, font) -> None:
        import pikepdf
        from fontTools.ttLib import TTFont

        Name = pikepdf.Name
        descriptor = font.DescendantFonts[0].FontDescriptor
        program = descriptor.get(Name.FontFile3)
        if program is None or program.get(Name.Subtype) != Name.OpenType:
            return  # not what WeasyPrint writes for an OpenType (CFF) font: kept as it is
        data = program.read_bytes()
        # as they are: the subsets' bounding boxes are the whole font's (HarfBuzz keeps them), and the date
        glyphs = TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
        face = re.sub(r"^/([A-Z]{6}\+)?", "", str(font.BaseFont))
        group = next((union for union in self.faces.get(face, []) if union.takes(glyphs)), None)
        if group is None:
            group = _Union(glyphs, data)
            if not group.cid:
                return  # not a CID-keyed CFF font (WeasyPrint's CJK fonts are): kept as it is
            group.stream = self.booklet.make_stream(b"", Subtype=Name.OpenType)
            self.faces.setdefault(face, []).append(group)
        group.fonts.append(font)
        descriptor.FontFile3 = group.stream
        program.write(b"")  # the part's own program, used no more: its data let go

    def finish(self) -> None:
        import pikepdf

        Name = pikepdf.Name
        for face, groups in self.faces.items():
            for group in groups:
                if len(group.fonts) == 1:  # the part's own program, as it was
                    group.stream.write(group.data)
                    continue
                data = group.program()
                group.stream.write(data)
                tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(data).digest()[:6])  # a subset's name tag
                name = Name(f"/{tag}+{face}")
                for font in group.fonts:
                    cid = font.DescendantFonts[0]
                    cid.FontDescriptor.FontName = font.BaseFont = cid.BaseFont = name
                    if Name.CIDSet in cid.FontDescriptor:
                        del cid.FontDescriptor.CIDSet  # the glyphs of one part, not of the program


class _Union:
    """One program drawing every glyph of the subsets it takes, all cut from one CID-keyed CFF font with the
    glyph ids kept. It is built on the subset of most glyph ids (theirs a prefix of the font's), and takes
    from each other subset the glyphs it draws that the program does not yet: outline, font dict, metrics."""

    def __init__(self, font, data: bytes):
        self.data, self.fonts, self.stream = data, [], None
        self._base(font)
        self.drawn = set(self._drawn(self.top)) if self.cid else set()

    def _base(self, font) -> None:
        self.font = font
        self.names = font.getGlyphOrder()
        self.top = font["CFF "].cff.topDictIndex[0] if "CFF " in font else None
        self.cid = self.top is not None and hasattr(self.top, "ROS") and hasattr(self.top, "FDArray")
        if self.cid:
            self.source = self._source(font)
            self.fds = {self._fd_key(fd): i for i, fd in enumerate(self.top.FDArray)}

    @staticmethod
    def _source(font) -> tuple:
        return font["CFF "].cff.fontNames[0], font["head"].fontRevision

    @staticmethod
    def _drawn(top):
        """The glyph ids with an outline: those a subset with its ids kept does not draw are a bare endchar."""
        offsets = top.CharStrings.charStringsIndex.offsets
        return (gid for gid in range(len(offsets) - 1) if offsets[gid + 1] - offsets[gid] > 1)

    @staticmethod
    def _fd_key(fd) -> tuple:
        return str(getattr(fd, "FontName", "")), repr(sorted(fd.Private.rawDict.items()))

    def takes(self, font) -> bool:
        """Take `font`'s glyphs, if it is cut from the same font as this one with the same glyph at each id."""
        if not self.cid or "CFF " not in font or self._source(font) != self.source:
            return False
        names = font.getGlyphOrder()
        common = min(len(names), len(self.names))
        top = font["CFF "].cff.topDictIndex[0]
        if names[:common] != self.names[:common] or not hasattr(top, "FDArray"):
            return False
        drawn = set(self._drawn(top))
        if len(names) > len(self.names):  # it reaches further: the program is built on it from now on
            old, old_top, old_drawn = self.font, self.top, self.drawn
            self._base(font)
            self.drawn = drawn
            for gid in sorted(old_drawn - drawn):
                self._adopt(old, old_top, gid)
        else:
            for gid in sorted(drawn - self.drawn):
                self._adopt(font, top, gid)
        return True

    def _adopt(self, font, top, gid: int) -> None:
        cff = font["CFF "].cff
        if len(cff.GlobalSubrs) or any(hasattr(fd.Private, "Subrs") for fd in top.FDArray):
            # a glyph taken elsewhere must not call subroutines of the program it came from (WeasyPrint's
            # subsets call none; a face it could not subset is embedded whole, subroutines and all)
            cff.desubroutinize()
        from fontTools.misc.psCharStrings import T2CharString

        name = self.names[gid]
        fd = top.FDArray[top.FDSelect[gid]]
        key = self._fd_key(fd)
        if key not in self.fds:
            self.top.FDArray.append(fd)
            self.fds[key] = len(self.top.FDArray) - 1
        self.top.FDSelect[gid] = self.fds[key]
        glyph = top.CharStrings[name]
        glyph.compile()  # its bytes (drawn again if it was desubroutinized)
        # the outline alone, in this program's terms: it holds nothing of the subset it came from
        self.top.CharStrings[name] = T2CharString(
            bytecode=glyph.bytecode,
            private=self.top.FDArray[self.fds[key]].Private,
            globalSubrs=self.font["CFF "].cff.GlobalSubrs,
        )
        for tag in ("hmtx", "vmtx"):
            if tag in font and tag in self.font:
                self.font[tag].metrics[name] = font[tag].metrics[name]
        if "VORG" in font and "VORG" in self.font and name in font["VORG"].VOriginRecords:
            self.font["VORG"].VOriginRecords[name] = font["VORG"].VOriginRecords[name]
        self.drawn.add(gid)

    def program(self) -> bytes:
        out = io.BytesIO()
        self.font.save(out)
        return out.getvalue()
