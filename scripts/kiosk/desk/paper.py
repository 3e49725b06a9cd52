"""The desk's printed documents, from the kiosk's print templates (print/base.html, print/macros.html,
print.css), and their PDFs.

    correction(...)   the 材料补正一次性告知书: the very function `kiosk sheet` uses, with the record number, the
                      real receipt day and the desk's today
    receipt(...)      the 受理回执 (print/desk-receipt.html): dates, the due date, what was handed in
    decision(...)     the 不予受理通知书 / 不予许可决定书 (print/desk-decision.html): the reason, the applicant's
                      rights and remedies
    pdf(html)         the PDF of a document's HTML, with this process's renderer: PDF/A-2u, tagged

The desk's PDFs are records, kept and reprinted for years, so they are archival: PDF/A-2u (fonts embedded,
every character mapped to Unicode, sRGB output intent, XMP metadata), tagged like every printed document
(structure, language zh-CN, title: kiosk.printing.documents.ARCHIVE_OPTIONS). Why -2u: WeasyPrint 70 writes tags
with any PDF/A variant, but -2a/-3a would also claim that the structure meets PDF/A's accessibility level,
which WeasyPrint's tags are not checked against; -3u would allow attachments of any kind, which a record
does not carry, and -4 needs PDF 2.0, which older readers at the windows may not open.

Each document's HTML is kept with the record (models.Document), so a reprint is the same paper.
"""

from __future__ import annotations

import datetime
import uuid

from kiosk.calendar.limits import deadline
from kiosk.printing import documents
from kiosk.printing.correction import correction_notice
from kiosk.printing.documents import ARCHIVE_OPTIONS, Documents, created_date
from kiosk.printing.renderer import default_renderer
from kiosk.text import render

from .catalogues import Township
from .deadlines import today, told_matter
from .models import Application, DocumentKind


def correction(t: Township, app: Application, missing: list[int], staff_id: str | None) -> str:
    """The 补正 notice of the record's missing materials (numbers as on the matter's 一次性告知单): the real day
    the application came in (app.received: a paper receipt entered later keeps its own day), and the dates
    "如在 … 补齐" counted from the day it is printed (the desk's today)."""
    staff = staff_id if staff_id in t.cv.staff else None
    notice = correction_notice(
        t.loaded,
        app.matter_id,
        ",".join(map(str, missing)),
        app.received,
        app.applicant,
        staff=staff,
        number=app.number,
        today=max(today(), app.received),
    )
    return notice.html


def same_materials(t: Township, app: Application) -> bool:
    """Whether the matter's materials are still numbered as they were told (a fresh notice needs it)."""
    if app.matter_id not in t.cv.matters:
        return False
    now = [x.material_name for x in t.cv.view(app.matter_id).materials]
    return now == [m["name"] for m in app.told["materials"]]


def receipt(t: Township, app: Application, user) -> str:
    """The 受理回执 of a record just accepted (or received and finished at once): the limits as told, counted
    from the day the guide says (the receipt or 受理), as the record's due date was."""
    limits = deadline(told_matter(app.told), app.accepted, t.calendar, received=app.received)
    added = bool(limits.periods) and all(p.span and p.span.dated for p in limits.periods)
    return _page(
        t,
        "print/desk-receipt.html",
        DocumentKind.RECEIPT.label,
        "desk-receipt",
        app.accepted,
        app=app,
        t=limits,
        periods_added=added,
        staff=_staff(t, user),
        window=app.told["matter"]["window"],
    )


def decision(t: Township, app: Application, kind: str, user) -> str:
    """The written notice of 不予受理 or 不予许可, with the reason and the applicant's rights and remedies."""
    staff = _staff(t, user)
    profile = getattr(user, "desk", None)
    own = t.cv.windows.get(profile.window) if profile and profile.window else None  # the clerk's own window
    return _page(
        t,
        "print/desk-decision.html",
        DocumentKind(kind).label,
        "desk-decision",
        app.finished,
        app=app,
        decision=kind,
        rights=app.told.get("rights") or list(t.center.rights),
        staff={**staff, "window": own},
        window=app.told["matter"]["window"],
    )


def placeholder() -> str:
    """A stand-in for a record number not taken yet, unlike anything a person types (replaced in the HTML
    once the number is taken, inside the save's transaction)."""
    return f"NUMBER-{uuid.uuid4().hex}"


def pdf(html: str) -> tuple[bytes, list[str]]:
    """The PDF/A-2u (tagged) of a document's HTML and WeasyPrint's warnings (none expected)."""
    return default_renderer().pdf(html, ARCHIVE_OPTIONS)


def warm() -> None:
    """Load fonts and the stylesheet once, so a worker's first PDF is as fast as the rest."""
    pdf('<!DOCTYPE html><html lang="zh-CN"><head><title>-</title></head><body><p>中文</p></body></html>')


def environment():
    """The desk's printed documents (printing/print/desk-*.html) over the kiosk's print templates."""
    return render.environment((__package__, "printing"), *documents.TEMPLATES)


def _page(township: Township, template: str, title: str, body_class: str, day: datetime.date, **context) -> str:
    return Documents(township.cv, created_date(day), env=environment()).page(template, title, body_class, **context)


def _staff(t: Township, user) -> dict:
    """Who handled it: name, and the phone of their line in the center file (the center's phone without one)."""
    profile = getattr(user, "desk", None)
    person = t.cv.staff.get(profile.staff_id) if profile else None
    return {
        "name": person.name if person else (profile.name if profile else ""),
        "phone": person.phone if person else t.center.phone,
    }


def staff_id(user) -> str | None:
    profile = getattr(user, "desk", None)
    return profile.staff_id if profile else None


# for the other records of the desk (the 办不成事 cases: case_records.py)
page = _page
staff_of = _staff
