"""The 跟踪台账: the 办不成事 cases and the complaints in one table, scoped by access.visible like everything
else, with filters (status, window, category, month, overdue) and an xlsx export. The table is one UNION
query of the two, so a page reads only its own rows whatever the number of records. No complainant's
identity and no outcome for a person complained about is ever selected.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db.models import CharField, F, Q, Value

from kiosk.problems import message

from .case_models import CLOSED_STATES, HANDLING_STATES, Case, CaseState, Category
from .complaint_models import Complaint, ComplaintState

COLUMNS = ["kind", "pk", "number", "township", "window", "title", "category", "state", "received", "due", "done"]
STATUSES = ("open", "done", "void")
CASE_DONE = (CaseState.FINISHED, CaseState.TOLD, CaseState.VISITED, CaseState.ARCHIVED, CaseState.EXCLUDED)


@dataclass
class Filters:
    status: str = ""  # open (在办), done (办结), void (作废)
    window: str = ""
    category: str = ""  # a case category, or "complaint"
    month: datetime.date | None = None  # its first day
    overdue: bool = False

    @classmethod
    def of(cls, get, windows: set[str]) -> "Filters":
        """From a query string; anything unknown is ignored (a list is never an error page)."""
        month = None
        try:
            year, mon = (int(x) for x in (get.get("month") or "").split("-"))
            month = datetime.date(year, mon, 1)
        except (ValueError, TypeError):
            pass
        category = get.get("category", "")
        return cls(status=get.get("status", "") if get.get("status") in STATUSES else "",
                   window=get.get("window", "") if get.get("window") in windows else "",
                   category=category if category in set(Category.values) | {"complaint"} else "",
                   month=month, overdue=get.get("overdue") == "1")


def _month_q(month: datetime.date | None) -> Q:
    if month is None:
        return Q()
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    return Q(received__gte=month, received__lt=end)


def case_overdue_q(day: datetime.date) -> Q:
    """A case whose 办理 or 回访 is past its due date."""
    return (Q(state__in=HANDLING_STATES, due__lt=day)
            | Q(state__in=[CaseState.FINISHED, CaseState.TOLD], follow_up_due__lt=day))


def complaint_overdue_q(day: datetime.date) -> Q:
    return Q(state__in=[ComplaintState.REGISTERED, ComplaintState.INVESTIGATING], due__lt=day)


def table(cases, complaints, f: Filters, day: datetime.date):
    """The ledger's rows (dicts of COLUMNS), newest first, as one queryset: `cases` and `complaints` are
    already scoped to the person (visible_to)."""
    cases = cases.filter(_month_q(f.month))
    complaints = complaints.filter(_month_q(f.month))
    if f.status == "open":
        cases = cases.exclude(state__in=CLOSED_STATES + CASE_DONE)
        complaints = complaints.exclude(state__in=[ComplaintState.CLOSED, ComplaintState.VOID])
    elif f.status == "done":
        cases = cases.filter(state__in=CASE_DONE)
        complaints = complaints.filter(state=ComplaintState.CLOSED)
    elif f.status == "void":
        cases, complaints = cases.filter(state=CaseState.VOID), complaints.filter(state=ComplaintState.VOID)
    if f.window:
        cases, complaints = cases.filter(window=f.window), complaints.none()
    if f.category == "complaint":
        cases = cases.none()
    elif f.category:
        cases, complaints = cases.filter(category=f.category), complaints.none()
    if f.overdue:
        cases, complaints = cases.filter(case_overdue_q(day)), complaints.filter(complaint_overdue_q(day))
    text = CharField()
    # every column an annotation, in one order on both sides: the UNION lines them up by position
    left = cases.annotate(**_columns(Value("case", text), "window", "matter_name", "category", "finished"))
    right = complaints.annotate(**_columns(Value("complaint", text), Value("", text), "target_unit", Value("", text),
                                           "closed"))
    names = [f"c_{c}" for c in COLUMNS]
    return left.values_list(*names).union(right.values_list(*names), all=True).order_by("-c_received", "-c_number")


def _columns(kind, window, title, category, done) -> dict:
    def col(x):
        return F(x) if isinstance(x, str) else x

    return {"c_kind": kind, "c_pk": F("pk"), "c_number": F("number"), "c_township": F("township"),
            "c_window": col(window), "c_title": col(title), "c_category": col(category), "c_state": F("state"),
            "c_received": F("received"), "c_due": F("due"), "c_done": col(done)}


def rows(values, day: datetime.date, names: dict[str, str]) -> list[dict]:
    """Rows as the page and the export show them: labels in Chinese, overdue worked out."""
    out = []
    for v in values:
        r = dict(zip(COLUMNS, v))
        case = r["kind"] == "case"
        state = (CaseState if case else ComplaintState)(r["state"])
        r["kind_label"] = message("desk_model_case") if case else message("desk_model_complaint")
        r["state_label"] = state.label
        r["category_label"] = Category(r["category"]).label if case and r["category"] else ""
        r["window_name"] = names.get(r["window"], r["window"])
        r["url"] = (f"/cases/{r['pk']}/" if case else f"/complaints/{r['pk']}/")
        open_ = state in (HANDLING_STATES if case else (ComplaintState.REGISTERED, ComplaintState.INVESTIGATING))
        r["late"] = bool(open_ and r["due"] and r["due"] < day)
        out.append(r)
    return out


EXPORT = [("kind_label", "desk_ledger_kind"), ("number", "desk_field_number"), ("township", "desk_field_township"),
          ("window_name", "desk_field_window"), ("title", "desk_ledger_title"), ("category_label", "desk_ledger_category"),
          ("state_label", "desk_field_state"), ("received", "desk_ledger_received"), ("due", "desk_ledger_due"),
          ("done", "desk_ledger_done"), ("late", "desk_ledger_late")]


def xlsx(values, day: datetime.date, names: dict[str, str]) -> bytes:
    """The ledger as an xlsx workbook: text never read as a formula."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(message("desk_ledger_sheet"))
    ws.append([message(key) for _, key in EXPORT])
    chunk = []
    for v in values.iterator(chunk_size=2000):
        chunk.append(v)
        if len(chunk) == 2000:
            _write(ws, rows(chunk, day, names))
            chunk = []
    _write(ws, rows(chunk, day, names))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write(ws, shown: list[dict]) -> None:
    yes = message("desk_yes")
    for r in shown:
        ws.append([safe(yes if (n == "late" and r[n]) else "" if n == "late" else r[n]) for n, _ in EXPORT])


def safe(value):
    """A cell's value: dates stay dates; text that a spreadsheet would read as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def all_of(user):
    """The person's cases and complaints (access.visible)."""
    return Case.objects.visible_to(user), Complaint.objects.visible_to(user)
