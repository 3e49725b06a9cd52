"""The 材料补正一次性告知书 of one application: only the materials still to bring, told once and in full,
with the limit counted from 受理 and the dates it gives if they come that day (kiosk sheet, and the desk).

Every input is checked before anything is made; a wrong one raises SheetInputError with a plain-Chinese
message.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from .. import clock
from ..calendar.limits import Deadline, deadline
from ..catalogue.load import Loaded
from ..catalogue.view import CatalogueView
from ..exceptions import SheetInputError
from ..files import atomic_write
from ..model import Material
from ..problems import message
from ..settings import source_date_epoch
from .documents import Documents, created_date
from .renderer import default_renderer


@dataclass
class Correction:
    html: str
    warnings: list[str]  # plain Chinese, for stderr (e.g. a due date left blank)
    missing: list[tuple[int, Material]]
    deadline: Deadline  # the limits, with the dates they give if the materials come on the day received


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


def correction_notice(
    loaded: Loaded,
    matter_id: str,
    missing: str,
    received: str | datetime.date,
    applicant: str,
    staff: str | None = None,
    number: str | None = None,
    today: str | datetime.date | None = None,
) -> Correction:
    """The 材料补正一次性告知书 of one application. Every input is checked before anything is made;
    a wrong one raises SheetInputError. `received`: the real day the application came in (a paper receipt
    entered later keeps its own day); `today`: the day the notice is printed for (kiosk.clock's today by
    default), the day "如在 … 补齐" counts from. `number`: the record number a desk gives it (printed; a
    blank line to fill in by hand without one). A due date in a year no calendar knows is left blank,
    with a warning, never guessed."""
    cv = CatalogueView(loaded.catalogue)
    if matter_id not in cv.matters:
        raise SheetInputError(message("sheet_unknown_matter", id=matter_id))
    v = cv.view(matter_id)
    chosen = parse_missing(missing, v.materials, v.m.task_name)
    day = parse_date(received)
    today = parse_date(today) if today else clock.today()
    if today < day:
        raise SheetInputError(message("sheet_today_before_received", today=today.isoformat(), received=day.isoformat()))
    applicant = (applicant or "").strip()
    if not applicant:
        raise SheetInputError(message("sheet_no_applicant"))
    if staff is not None and staff not in cv.staff:
        raise SheetInputError(message("sheet_unknown_staff", id=staff))
    person = cv.staff[staff] if staff else v.person
    window = cv.windows[person.window] if staff else v.window
    phone = person.phone if staff else v.phone

    t = deadline(v.m, today, loaded.calendar, received=day)
    warnings = (
        [message("sheet_due_blank", year=t.unknown_year.year, file=t.unknown_year.file)] if t.unknown_year else []
    )
    epoch = source_date_epoch()
    html = Documents(cv, created_date(today if epoch is None else epoch)).page(
        "print/correction.html",
        v.m.task_name,
        "correction",
        v=v,
        missing=chosen,
        received=day,
        today=today,
        t=t,
        applicant=applicant,
        staff=person,
        window=window,
        phone=phone,
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
