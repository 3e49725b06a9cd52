"""The printed documents of a township as HTML, and the key each is stored under.

    sheet(matter_id)     the 一次性告知单 of a matter: the shared notice (templates/notice.html, the kiosk
                         page renders it too) wrapped in what only paper carries (print/sheet.html)
    form(name)           a blank form: unresolved (办不成事), proxy (帮代办), complaint (投诉)
    page(template, …)    any other printed document (the booklet's front, the 补正 notice, notices)

A key is a hash of what a document is made of (its matter's record, the township's center, the
catalogue's own facts, the names of the matters it mentions) and of what renders it (the print templates,
the stylesheet, the renderer's version), never of rendered HTML: a build in which nothing changed makes
no HTML at all, and a PDF in the store under the same key is the same PDF.
"""

from __future__ import annotations

import datetime
import hashlib
import importlib.metadata
import json
from functools import cache, cached_property

import jinja2.meta
from markupsafe import Markup

from ..catalogue.view import CatalogueView
from ..settings import source_date_epoch
from ..text import render
from .qr import QrCodes

FORMS = ("unresolved", "proxy", "complaint")
TEMPLATES = ((__package__, "templates"),)  # print/…, over the shared templates (kiosk.text)
CSS_NAME = "print/print.css"
#: how every PDF is written: tagged, for screen readers and reflow (WeasyPrint's `write_pdf` options)
PDF_OPTIONS: dict = {"pdf_tags": True}
#: the desk's records, kept for years: PDF/A-2u, tagged as well (why -2u: kiosk.desk.paper)
ARCHIVE_OPTIONS: dict = {**PDF_OPTIONS, "pdf_variant": "pdf/a-2u"}
# Bump when the rendering changes in a way the templates, the stylesheet and the data do not show.
RENDER_VERSION = "2"


@cache
def css_text() -> str:
    return _template_file(CSS_NAME)


def _template_file(name: str) -> str:
    """A template's source, wherever the printed documents' environment finds it (here or kiosk.text)."""
    e = environment()
    return e.loader.get_source(e, name)[0]


# what `kiosk sheets` renders (sheets.py, booklet.py), with the notice each sheet holds and each form's part
# (named by a variable in form.html): the version key follows from these templates and what they use
SHEET_TEMPLATES = (
    "print/sheet.html",
    "notice.html",
    "print/form.html",
    "print/booklet-front.html",
    "print/booklet-stamps.html",
    "print/changes.html",
    *(f"print/parts/form-{f}.html" for f in FORMS),
)


@cache
def versions() -> str:
    """What renders a sheet, as one hash: every template the sheets' templates use (followed through their
    extends, imports and includes, so a desk template or a kiosk page never re-renders a sheet), the
    stylesheet, WeasyPrint's and qrcode's versions, RENDER_VERSION, the options PDFs are written with."""
    h = hashlib.sha256(
        f"{RENDER_VERSION}\0{importlib.metadata.version('weasyprint')}\0"
        f"{importlib.metadata.version('qrcode')}\0{json.dumps(PDF_OPTIONS, sort_keys=True)}".encode()
    )
    for name in sorted(used_templates(SHEET_TEMPLATES)) + [CSS_NAME]:
        h.update(name.encode() + b"\0" + _template_file(name).encode() + b"\0")
    return h.hexdigest()


def environment() -> jinja2.Environment:
    """The printed documents' templates over the shared ones."""
    return render.environment(*TEMPLATES)


def used_templates(names) -> set[str]:
    """`names` and every template they reach through extends, import and include."""
    e, seen, todo = environment(), set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        source = e.loader.get_source(e, name)[0]
        todo += [n for n in jinja2.meta.find_referenced_templates(e.parse(source)) if n]
    return seen


def created_date(when: datetime.date | int) -> str:
    """The fixed creation date of a PDF (W3C format): a day at midnight in China, or a moment given as
    seconds since 1970 (SOURCE_DATE_EPOCH)."""
    if isinstance(when, int):
        return datetime.datetime.fromtimestamp(when, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{when.isoformat()}T00:00:00+08:00"


def with_inline_css(html: str) -> str:
    """A printed document's HTML made a standalone web page: the print stylesheet inlined."""
    style = f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<style>\n{css_text()}\n</style>\n'
    return html.replace("</head>", style + "</head>", 1)


def _no_link(_matter_id: str) -> None:
    return None


class Documents:
    """The printed documents of one township's catalogue (`cv`), each dated `created` (default: the
    catalogue's effective date; a build gives its context's)."""

    def __init__(self, cv: CatalogueView, created: str | None = None, qr: QrCodes | None = None, env=None):
        self.cv, self.qr = cv, qr or QrCodes()
        self.env = env or environment()  # the desk passes its own, with its printed documents' templates
        self.created = created or created_date(source_date_epoch() or cv.c.catalogue.effective_date)

    # ------------------------------------------------------------ keys

    @cached_property
    def base(self) -> str:
        """What every document of the township shares: its center, the catalogue's facts, the versions."""
        c = self.cv.c
        return _hash(
            {
                "center": c.center.model_dump(mode="json"),
                "created": self.created,
                "versions": versions(),
                "catalogue": c.catalogue.model_dump(mode="json", exclude={"topics", "audiences"}),
            }
        )

    def sheet_key(self, matter_id: str) -> str:
        v = self.cv.view(matter_id)
        report = self.cv.c.changes
        return _hash(
            {
                "base": self.base,
                "matter": v.m.model_dump(mode="json"),
                "local": v.local.model_dump(mode="json"),
                "not_handled": v.not_handled.model_dump(mode="json") if v.not_handled else None,
                "changes": [v.changes.model_dump(mode="json"), report.new_version, str(report.effective_date)]
                if v.changes
                else None,
                "mentions": [p.name for p in v.prerequisites] + [d.task_name for d in v.needed_by],
            }
        )

    def form_key(self, name: str) -> str:
        return _hash({"base": self.base, "form": name})

    def key(self, kind: str, **data) -> str:
        """The key of another document of the township made from `data` (JSON-able)."""
        return _hash({"base": self.base, "kind": kind, **data})

    # ------------------------------------------------------------ HTML

    def parts(self, matter_id: str) -> dict:
        """What print/parts/sheet.html is given: the matter's view, its notice for paper, its QR targets."""
        v = self.cv.view(matter_id)
        return {
            "v": v,
            "notice": Markup(render.notice(v, "print", _no_link, env=self.env, qr=self.qr)),
            "links": v.qr_links,
        }

    def sheet(self, matter_id: str, inline_css: bool = False) -> str:
        """The 一次性告知单 of one matter as a whole HTML document."""
        return self.page(
            "print/sheet.html", self.cv.view(matter_id).m.task_name, "sheet", inline_css, **self.parts(matter_id)
        )

    def form(self, name: str, inline_css: bool = False) -> str:
        """One of the blank forms: unresolved (办不成事), proxy (帮代办), complaint."""
        if name not in FORMS:
            raise ValueError(f"unknown form {name!r}; one of {FORMS}")
        return self.page("print/form.html", name, "form", inline_css, form=name)

    def page(
        self, template: str, title: str, kind: str, inline_css: bool = False, created: str | None = None, **context
    ) -> str:
        return self.env.get_template(template).render(
            c=self.cv.c,
            title=title,
            kind=kind,
            created=created or self.created,
            css=Markup(css_text()) if inline_css else None,
            qr=self.qr,
            **context,
        )


def _hash(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
