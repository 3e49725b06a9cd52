"""The staff desk booklet (一次性告知单汇编): a front (cover and contents), every sheet, the three forms.

Nothing of it is laid out twice: the booklet is put together (qpdf through pikepdf, in a short-lived
process of its own) from the sheets' and forms' own PDFs, as the store keeps them, after a front rendered
from their page counts, so each booklet page is the very page a resident is given (the sheet's own
“第 2 页 / 共 3 页” stays on it). Each numbered page then gets its booklet page number, “汇编第 N 页” at the
foot, the number the contents give, laid over the page as a form without touching what the page draws. A
number is put together from pieces rendered once (“汇编第”, each digit, “页”; STAMP), side by side and
centred, so numbering a page costs no layout: the pieces are the same for every booklet.

It has one font per face (_SharedFonts), not one in every sheet: its program draws each glyph once, and no
part's own font (its program, widths, text) is copied in, so putting 1,000 sheets together holds about 0.2 GB
of memory, not 0.47 GB. It is paper, untagged (its parts are tagged PDFs of their own): their structure
trees would hold about 0.95 GB of qpdf's memory at 1,000 matters. Putting it together still holds every
page in memory, hence its own short-lived process.
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
VERSION = "7"  # of the way the booklet is put together
# the pieces of a page number (print/booklet-stamps.html): the words before it end at x, each digit is centred in
# a cell of `cell` em starting at x, the word after starts at x; sizes in pt, `gap` (em) a space's width. The
# words are CJK ideographs (1 em each) and the digits of the print font 0.59 em, so a number's width is known.
STAMP = {"x": 210 / 25.4 * 72 / 2, "size": 9, "cell": 0.59, "gap": 0.23}


@dataclass
class Piece:
    name: str  # booklet-front, booklet-stamps
    key: str
    html: callable  # makes the piece's HTML, only when it must be rendered


@dataclass
class Plan:
    front: Piece
    stamp: Piece  # the pieces of the page numbers
    members: list[str]  # the sheets and forms in the booklet's order, by file name
    starts: dict[str, int]  # the booklet page where each starts (1 = the first sheet's first page)
    pages: int  # numbered pages

    @property
    def pieces(self) -> list[Piece]:
        return [self.front, self.stamp]


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
    pieces = _pieces()
    stamp = Piece(
        "booklet-stamps",
        docs.key("booklet-stamps", pieces=pieces, **STAMP),
        lambda: docs.page("print/booklet-stamps.html", titles()["stamps"], "booklet-stamps", pieces=pieces, **STAMP),
    )
    return Plan(front, stamp, members, starts, page - 1)


def _pieces() -> list[tuple[str, str]]:
    """The pieces of a page number in the order of the stamps' pages: the words before, 0 … 9, the word after."""
    words = titles()
    return [(words["stamp_before"], "before"), *((str(d), "digit") for d in range(10)), (words["stamp_after"], "after")]


def key(booklet: Plan, keys: dict[str, str]) -> str:
    """The booklet's key: its front, every sheet and form in order, its stamps, how it is put together."""
    # what puts it together, by its metadata (no import): qpdf through pikepdf, the shared fonts by fontTools
    h = hashlib.sha256(f"booklet\0{VERSION}\0{version('pikepdf')}\0{version('fonttools')}".encode())
    for part in [booklet.front.key] + [keys[m] for m in booklet.members] + [booklet.stamp.key]:
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
        "a.finish(Path(j['front']), Path(j['stamp']), j['outline'], Path(j['path']))"
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

    def finish(self, front: Path, stamp: Path, bookmarks: list[tuple[str, int]], path: Path) -> None:
        self._send({"front": str(front), "stamp": str(stamp), "outline": bookmarks, "path": str(path)})
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
    """The booklet: the front, then every member's pages, each with its number stamped; one font per face,
    bookmarks, and the front's title, dates and language. The members are taken in first, the front
    and the stamps after (`finish`), so it can start before those are rendered.

    Paper for the staff, untagged: each of its parts is a tagged PDF of its own (every sheet and form, on the
    kiosk and in the store), and one structure tree over a booklet costs qpdf about 1.3 KB of memory an
    element, about 0.95 GB at N=1000 (the build's peak is to stay under 600 MB there).

    Each part is opened, copied in and closed before the next, its fonts taken by the booklet's (_SharedFonts)
    before its pages are copied, so they are never copied."""

    def __init__(self, members: list[Path]):
        import pikepdf

        self.booklet = pikepdf.new()
        self.fonts = _SharedFonts(self.booklet)
        self.versions, self.pages = [], []
        for part in members:
            with pikepdf.open(part) as pdf:
                self.versions.append(pdf.pdf_version)
                self.fonts.share(pdf, _resources_of(pdf.pages))
                pages = _append(self.booklet, pdf)
                self.fonts.mend(_resources_of(pages))
                self.pages += pages

    def finish(self, front: Path, stamp: Path, bookmarks: list[tuple[str, int]], path: Path) -> None:
        import pikepdf

        booklet = self.booklet
        with pikepdf.open(stamp) as pdf:
            self.versions.append(pdf.pdf_version)
            self.fonts.share(pdf, _resources_of(pdf.pages))
            number, lay = _Numbers(booklet, pdf), _Stamper(booklet)
            self.fonts.mend([number.resources])
            for n, page in enumerate(self.pages, 1):
                lay(page, number(n))
        with pikepdf.open(front) as pdf:  # the front: first, and the booklet's title, dates and language are its own
            self.versions.append(pdf.pdf_version)
            self.fonts.share(pdf, _resources_of(pdf.pages))
            count = len(pdf.pages)
            for i, page in enumerate(pdf.pages):
                booklet.pages.insert(i, page)
            pages = booklet.pages[:count]
            _unstructure(pages)
            self.fonts.mend(_resources_of(pages))
            booklet.docinfo = booklet.copy_foreign(pdf.docinfo)
            for key in ("/Metadata", "/Lang", "/ViewerPreferences"):
                if key in pdf.Root:
                    booklet.Root[key] = _copy(booklet, pdf, pdf.Root[key])
        self.fonts.finish()
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


class _Numbers:
    """A page's number as a form of `booklet`: the pieces of `stamps` (print/booklet-stamps.html, one a page,
    each copied in once as a form) drawn side by side, centred on STAMP's x. The booklet has no structure
    tree, so what the pieces mark for one (their MCIDs) is left as it is."""

    def __init__(self, booklet, stamps):
        import pikepdf

        self.booklet = booklet
        self.box = [float(v) for v in stamps.pages[0].mediabox]
        forms = [booklet.copy_foreign(page.as_form_xobject()) for page in stamps.pages]
        pieces = _pieces()  # in the order of the stamps' pages: the words before, the digits, the word after
        self.names = {text: pikepdf.Name(f"/P{i}") for i, (text, _) in enumerate(pieces)}
        self.resources = booklet.make_indirect(
            pikepdf.Dictionary(XObject=pikepdf.Dictionary({str(self.names[t]): f for t, f in zip(self.names, forms)}))
        )
        self.before, self.after = pieces[0][0], pieces[-1][0]

    def __call__(self, n: int):
        import pikepdf

        size, x, digits = STAMP["size"], STAMP["x"], str(n)
        cell, gap = STAMP["cell"] * size, STAMP["gap"] * size
        before, after = len(self.before) * size, len(self.after) * size  # ideographs: 1 em each
        left = x - (before + gap + len(digits) * cell + gap + after) / 2
        at = [(self.before, left + before)]  # where each piece's own x goes
        at += [(d, left + before + gap + i * cell) for i, d in enumerate(digits)]
        at += [(self.after, left + before + gap + len(digits) * cell + gap)]
        drawn = "".join(f"q 1 0 0 1 {where - x:.3f} 0 cm {self.names[text]} Do Q\n" for text, where in at)
        return self.booklet.make_stream(
            drawn.encode("ascii"),
            Type=pikepdf.Name.XObject,
            Subtype=pikepdf.Name.Form,
            BBox=self.box,
            Resources=self.resources,
        )


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
        xobjects[self.NAME] = form
        resources.XObject = xobjects
        page.obj.Resources = resources
        contents = page.obj.Contents
        drawn = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        page.obj.Contents = pikepdf.Array([self.before, *drawn, self.after])


def _resources_of(pages) -> list:
    """The pages' resource dictionaries."""
    return [page.obj.get("/Resources") for page in pages]


def _resources(roots: list):
    """The resource dictionaries `roots` and those of the forms they draw, each once."""
    import pikepdf

    Name = pikepdf.Name
    seen, stack = set(), list(roots)
    while stack:
        resources = stack.pop()
        if resources is None or (resources.is_indirect and resources.objgen in seen):
            continue
        if resources.is_indirect:
            seen.add(resources.objgen)
        yield resources
        for xobject in resources.get(Name.XObject, {}).values():
            if xobject.get(Name.Subtype) == Name.Form:
                stack.append(xobject.get(Name.Resources))


def _fonts(resources: list):
    """Each font `resources` and the forms they draw name: (the /Font dictionary holding it, its name, it)."""
    for found in _resources(resources):
        fonts = found.get("/Font")
        for name, font in list(fonts.items()) if fonts is not None else []:
            yield fonts, name, font


class _SharedFonts:
    """One font per face and cut (kiosk.fonts) in the whole booklet, instead of one in each part.

    WeasyPrint embeds in every PDF a subset of each face it uses, cut (HarfBuzz) with the glyph ids kept and
    CID = glyph id: the subsets of one cut of a face differ only in which glyphs they draw, and their fonts
    only in which glyphs they give widths (/W) and text (/ToUnicode) for. The fonts whose programs agree glyph
    for glyph (the same source glyph at every glyph id, as the CFF charset names them) and whose widths and
    text agree for every glyph they share are one font of the booklet: its program draws every glyph any of
    them draws (_Union), its widths and text are theirs together. Parts rendered with an earlier cut (kept in
    the store from before the catalogue gained a character) make a font of their own.

    A part's own font is never copied into the booklet (`share` marks where it was, in the part, which is not
    saved, before its pages are copied; `mend` puts the booklet's font there after): its widths, one small
    object each, held about 0.36 MB of qpdf's memory a sheet, 1.1 GB at N=3000."""

    MARK = "/KioskSharedFont"

    def __init__(self, booklet):
        self.booklet = booklet
        self.shared: list[_Shared] = []
        self.faces: dict[str, list[_Shared]] = {}

    def share(self, pdf, resources: list) -> None:
        """In `pdf` (a part, open, never saved), each font of `resources` (and their forms') that the booklet
        can share replaced by a mark naming the booklet's font; the others stay, copied with their pages."""
        import pikepdf

        taken = {}  # the part's fonts, by object: the booklet's font each is, or None
        for fonts, name, font in _fonts(resources):
            if not font.is_indirect:
                continue
            if font.objgen not in taken:
                taken[font.objgen] = self._take(pdf, font)
            if taken[font.objgen] is not None:
                fonts[name] = pikepdf.Dictionary({self.MARK: taken[font.objgen].number})

    def mend(self, resources: list) -> None:
        """In the booklet, after a part's pages (or forms) are copied with `resources`: each mark replaced by
        the booklet's font it names."""
        for fonts, name, font in _fonts(resources):
            if self.MARK in font:
                fonts[name] = self.shared[int(font[self.MARK])].font

    def _take(self, pdf, font) -> _Shared | None:
        """The booklet's font that stands for `font` of `pdf` (made if none does), its glyphs, widths and text
        taken in; None for a font the booklet cannot share (kept as it is)."""
        import pikepdf

        Name = pikepdf.Name
        if font.get(Name.Subtype) != Name.Type0 or font.get(Name.Encoding) != Name("/Identity-H"):
            return None
        cid = font.DescendantFonts[0]
        program = cid.FontDescriptor.get(Name.FontFile3)
        if cid.get(Name.CIDToGIDMap, Name.Identity) != Name.Identity or program is None:
            return None
        if program.get(Name.Subtype) != Name.OpenType:
            return None  # not what WeasyPrint writes for an OpenType (CFF) font
        data = program.read_bytes()
        scan, widths, text = _Scan.of(data), _widths(cid.get(Name.W)), _text(font.get(Name.ToUnicode))
        if scan is None or widths is None or text is None:
            return None  # not a CID-keyed CFF font (WeasyPrint's CJK fonts are), or its widths or text unread
        face = re.sub(r"^/([A-Z]{6}\+)?", "", str(font.BaseFont))
        default = str(cid.get(Name.DW, 1000))
        for shared in self.faces.get(face, []):
            if shared.agrees(default, widths, text) and shared.union.takes(scan, data):
                break
        else:
            shared = _Shared(len(self.shared), _Union(scan, data), _copy(self.booklet, pdf, font), default)
            shared.font.DescendantFonts[0].FontDescriptor.FontFile3 = self.booklet.make_stream(
                b"", Subtype=Name.OpenType
            )
            self.shared.append(shared)
            self.faces.setdefault(face, []).append(shared)
        shared.widths.update(widths)
        shared.text.update(text)
        shared.parts += 1
        return shared

    def finish(self) -> None:
        import pikepdf

        Name = pikepdf.Name
        for face, fonts in self.faces.items():
            for shared in fonts:
                font, union = shared.font, shared.union
                cid = font.DescendantFonts[0]
                data = union.data if shared.parts == 1 else union.program()  # one part's: its own, as it was
                cid.FontDescriptor.FontFile3.write(data)
                cid.W = _width_array(shared.widths)
                font.ToUnicode = self.booklet.make_stream(_cmap(shared.text))
                if shared.parts > 1:
                    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(data).digest()[:6])  # a subset's name tag
                    cid.FontDescriptor.FontName = font.BaseFont = cid.BaseFont = Name(f"/{tag}+{face}")
                    if Name.CIDSet in cid.FontDescriptor:
                        del cid.FontDescriptor.CIDSet  # the glyphs of one part, not of the program


class _Shared:
    """One font of the booklet: the program (_Union), widths and text of the parts' fonts it stands for."""

    def __init__(self, number: int, union: _Union, font, default: str):
        self.number, self.union, self.font, self.default = number, union, font, default
        self.widths: dict[int, bytes] = {}
        self.text: dict[bytes, bytes] = {}
        self.parts = 0

    def agrees(self, default: str, widths: dict, text: dict) -> bool:
        """Whether a font of these widths and text can be this one: the same for every glyph both have."""
        return default == self.default and _agree(self.widths, widths) and _agree(self.text, text)


def _agree(known: dict, new: dict) -> bool:
    """`new` gives what `known` gives for every key both have (mostly `known` holds all of `new` already)."""
    return new.items() <= known.items() or all(known.get(key, value) == value for key, value in new.items())


# a /W array: entries `c [w1 w2 …]` (widths from CID c on) or `c_first c_last w`
_NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
_RUN = re.compile(rb"(\d+)\s*\[\s*((?:%s\s*)*)\]|(\d+)\s+(\d+)\s+(%s)" % (_NUMBER, _NUMBER))
_W = re.compile(rb"\[\s*(?:(?:%s)\s*)*\]" % _RUN.pattern)


def _widths(array) -> dict | None:
    """A CID font's widths (/W) by CID, each as written; None if it holds what is not a plain width list."""
    if array is None:
        return {}
    data = array.unparse()
    if not _W.fullmatch(data):
        return None
    widths = {}
    for first, run, low, high, width in _RUN.findall(data):
        if first:
            values = run.split()
            if len(values) == 1:
                widths[int(first)] = values[0]
            else:
                widths.update(zip(range(int(first), int(first) + len(values)), values))
        else:
            widths.update(dict.fromkeys(range(int(low), int(high) + 1), width))
    return widths


def _width_array(widths: dict):
    """`widths` as a /W array: each run of consecutive CIDs as `c [w1 w2 …]`."""
    from decimal import Decimal

    import pikepdf

    items, i = sorted(widths.items()), 0
    array = []
    while i < len(items):
        j = i + 1
        while j < len(items) and items[j][0] == items[j - 1][0] + 1:
            j += 1
        array += [items[i][0], pikepdf.Array([Decimal(width.decode()) for _, width in items[i:j]])]
        i = j
    return pikepdf.Array(array)


_CHAR = re.compile(rb"<([0-9a-f]{4})>\s*<([0-9a-f]+)>")
_RANGE = re.compile(rb"<([0-9a-f]{4})>\s*<([0-9a-f]{4})>\s*(<[0-9a-f]+>|\[(?:\s*<[0-9a-f]+>)*\s*\])")


def _text(cmap) -> dict | None:
    """A ToUnicode CMap of two-byte codes (Identity-H's): the text each code gives, both as hex digits (code:
    4, lower case; text: UTF-16BE); None if there is none or it is not plain bfchar and bfrange lists."""
    if cmap is None:
        return None
    data = cmap.read_bytes().lower()
    space = re.search(rb"begincodespacerange\s*<0000>\s*<ffff>\s*endcodespacerange", data)
    if space is None or b"usecmap" in data:
        return None
    text = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        pairs = _CHAR.findall(block)
        if block.count(b"<") != 2 * len(pairs) or block.translate(None, b"0123456789abcdef<> \t\r\n"):
            return None
        text.update(pairs)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        if _RANGE.sub(b"", block).strip():
            return None
        for low, high, chars in _RANGE.findall(block):
            codes = [b"%04x" % code for code in range(int(low, 16), int(high, 16) + 1)]
            if chars.startswith(b"["):
                each = re.findall(rb"<([0-9a-f]+)>", chars)
                if len(each) != len(codes):
                    return None
                text.update(zip(codes, each))
            else:
                first, size = int(chars[1:-1], 16), len(chars) - 2
                text.update((code, b"%0*x" % (size, first + k)) for k, code in enumerate(codes))
    return text


def _cmap(text: dict) -> bytes:
    """A ToUnicode CMap giving `text` (as _text reads it), in lists of at most 100 as the CMap format allows."""
    items = sorted(text.items())
    lists = "".join(
        f"{len(chunk)} beginbfchar\n"
        + "".join(f"<{code.decode()}> <{chars.decode()}>\n" for code, chars in chunk)
        + "endbfchar\n"
        for chunk in (items[i : i + 100] for i in range(0, len(items), 100))
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo\n<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n"
        f"{lists}endcmap\nCMapName currentdict /CMapName defineresource pop\nend\nend"
    ).encode("ascii")


class _Scan:
    """What merging needs of a font program, read straight from its bytes: its source (the CFF font's name and
    the font's revision), each glyph id's CID (the charset) and the glyph ids it draws (those a subset with its
    ids kept does not draw are a bare endchar). fontTools reads the same a glyph at a time in Python, about
    10 ms for a sheet's font: the booklet reads it only for the few parts whose glyphs it takes (_Union)."""

    def __init__(self, source: bytes, cids, drawn):
        self.source, self.cids, self.drawn = source, cids, drawn

    @classmethod
    def of(cls, data: bytes) -> _Scan | None:
        """The scan of an OpenType font with CID-keyed CFF outlines; None for any other."""
        import struct

        from fontTools.cffLib import TopDictDecompiler

        try:
            tables = {}
            for i in range(struct.unpack_from(">H", data, 4)[0]):
                tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
                tables[tag] = data[offset : offset + length]
            cff, head = tables[b"CFF "], tables[b"head"]
            names, at = _index(cff, cff[2])
            name = cff[at + names[0] : at + names[1]]
            tops, at = _index(cff, at + names[-1])
            top = TopDictDecompiler(range(1 << 16))  # a string's id stands for it: none is read
            top.decompile(cff[at + tops[0] : at + tops[1]])
            top = top.getDict()
            if "ROS" not in top or "FDArray" not in top:
                return None
            glyphs, at = _index(cff, top["CharStrings"])
            drawn = (glyphs[1:] - glyphs[:-1] > 1).nonzero()[0]
            return cls(name + head[4:8], _charset(cff, top["charset"], len(glyphs) - 1), drawn)
        except (KeyError, IndexError, ValueError, struct.error):
            return None


def _index(cff: bytes, at: int):
    """A CFF INDEX at `at`: its offsets (0-based, one more than its items) and where its data starts."""
    import numpy

    count = int.from_bytes(cff[at : at + 2], "big")
    if count == 0:
        return numpy.zeros(1, numpy.int64), at + 2
    size = cff[at + 2]
    raw = numpy.frombuffer(cff, numpy.uint8, (count + 1) * size, at + 3).reshape(count + 1, size).astype(numpy.int64)
    offsets = (raw << (8 * numpy.arange(size - 1, -1, -1, dtype=numpy.int64))).sum(axis=1) - 1
    return offsets, at + 3 + (count + 1) * size


def _charset(cff: bytes, at: int, glyphs: int):
    """Each glyph id's CID (glyph 0 is CID 0): a CFF charset of format 0, 1 or 2 at `at`."""
    import numpy

    form, at = cff[at], at + 1
    if glyphs == 1:
        return numpy.zeros(1, numpy.int64)
    if form == 0:
        return numpy.concatenate([[0], numpy.frombuffer(cff, ">u2", glyphs - 1, at)]).astype(numpy.int64)
    if form not in (1, 2):
        raise ValueError("charset")
    # ranges of (first CID, how many more), as many as there may be, then those that cover the glyphs
    record = numpy.dtype([("first", ">u2"), ("left", ">u1" if form == 1 else ">u2")])
    ranges = numpy.frombuffer(cff, record, min(glyphs - 1, (len(cff) - at) // record.itemsize), at)
    lengths = ranges["left"].astype(numpy.int64) + 1
    ends = numpy.cumsum(lengths)
    used = int(numpy.searchsorted(ends, glyphs - 1)) + 1
    if used > len(ranges) or ends[used - 1] != glyphs - 1:
        raise ValueError("charset")
    lengths, starts = lengths[:used], ends[:used] - lengths[:used]
    cids = numpy.repeat(ranges["first"][:used].astype(numpy.int64) - starts, lengths) + numpy.arange(glyphs - 1)
    return numpy.concatenate([[0], cids])


class _Union:
    """One program drawing every glyph of the subsets it takes, all cut from one CID-keyed CFF font with the
    glyph ids kept. It is built on the subset of most glyph ids (theirs a prefix of the font's), and takes
    from each other subset the glyphs it draws that the program does not yet: outline, font dict, metrics.
    Subsets are compared by their scans (_Scan); fontTools reads only those it builds on or takes from."""

    def __init__(self, scan: _Scan, data: bytes):
        self.data = data
        self._base(scan, data)
        self.drawn = set(scan.drawn.tolist())

    def _base(self, scan: _Scan, data: bytes) -> None:
        self.scan, self.font = scan, _read(data)
        self.names = self.font.getGlyphOrder()
        self.top = self.font["CFF "].cff.topDictIndex[0]
        self.fds = {self._fd_key(fd): i for i, fd in enumerate(self.top.FDArray)}

    @staticmethod
    def _fd_key(fd) -> tuple:
        return str(getattr(fd, "FontName", "")), repr(sorted(fd.Private.rawDict.items()))

    def takes(self, scan: _Scan, data: bytes) -> bool:
        """Take the glyphs of the subset `data` (scanned: `scan`), if it is cut from the same font as this one
        with the same glyph at each id."""
        import numpy

        common = min(len(scan.cids), len(self.scan.cids))
        if scan.source != self.scan.source or not numpy.array_equal(scan.cids[:common], self.scan.cids[:common]):
            return False
        drawn = set(scan.drawn.tolist())
        if len(scan.cids) > len(self.scan.cids):  # it reaches further: the program is built on it from now on
            old, old_top, old_drawn = self.font, self.top, self.drawn
            self._base(scan, data)
            self.drawn = drawn
            for gid in sorted(old_drawn - drawn):
                self._adopt(old, old_top, gid)
        elif drawn - self.drawn:
            font = _read(data)
            top = font["CFF "].cff.topDictIndex[0]
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


def _read(data: bytes):
    """fontTools' view of a font program, read as it is (the subsets' bounding boxes are the whole font's, as
    HarfBuzz keeps them, and so is the date)."""
    from fontTools.ttLib import TTFont

    return TTFont(io.BytesIO(data), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
