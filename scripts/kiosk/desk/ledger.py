"""The 跟踪台账: the 办不成事 cases and the complaints in one table, scoped by visible_to like everything
else, with filters (status, window, category, month, overdue) and an xlsx export. The table is one UNION
query of the two, so a page reads only its own rows whatever the number of records. No complainant's
identity and no outcome for a person complained about is ever selected.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Q, Value, When
from django.db.models import Case as SqlCase

from kiosk.exchange.workbook import row
from kiosk.problems import message

from .catalogues import catalogues
from .deadlines import deadlines_of, overdue_q
from .models import CLOSED_STATES, Case, CaseState, Category, Complaint, ComplaintState
from .models.base import url_pattern

COLUMNS = [
    "kind",
    "pk",
    "number",
    "township",
    "window",
    "title",
    "category",
    "state",
    "received",
    "due",
    "done",
    "late",
]
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
        return cls(
            status=get.get("status", "") if get.get("status") in STATUSES else "",
            window=get.get("window", "") if get.get("window") in windows else "",
            category=category if category in set(Category.values) | {"complaint"} else "",
            month=month,
            overdue=get.get("overdue") == "1",
        )


def _month_q(month: datetime.date | None) -> Q:
    if month is None:
        return Q()
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    return Q(received__gte=month, received__lt=end)


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
        cases, complaints = cases.filter(overdue_q(Case, day)), complaints.filter(overdue_q(Complaint, day))
    text = CharField()
    # every column an annotation, in one order on both sides: the UNION lines them up by position
    left = cases.annotate(
        **_columns(Value("case", text), "window", "matter_name", "category", "finished", _due(Case), _late(Case, day))
    )
    right = complaints.annotate(
        **_columns(
            Value("complaint", text),
            Value("", text),
            "target_unit",
            Value("", text),
            "closed",
            _due(Complaint),
            _late(Complaint, day),
        )
    )
    names = [f"c_{c}" for c in COLUMNS]
    return left.values_list(*names).union(right.values_list(*names), all=True).order_by("-c_received", "-c_number")


def _due(model):
    """The date of the deadline running in a row's state (a case's 回访 once it is 办结), else its first one."""
    ds = deadlines_of(model)
    return SqlCase(*[When(state__in=d.states, then=F(d.field)) for d in ds], default=F(ds[0].field))


def _late(model, day: datetime.date) -> ExpressionWrapper:
    """Whether a row is past one of its deadlines (deadlines.overdue_q: the same rule as the filter)."""
    return ExpressionWrapper(overdue_q(model, day), output_field=BooleanField())


def _columns(kind, window, title, category, done, due, late) -> dict:
    def col(x):
        return F(x) if isinstance(x, str) else x

    return {
        "c_kind": kind,
        "c_pk": F("pk"),
        "c_number": F("number"),
        "c_township": F("township"),
        "c_window": col(window),
        "c_title": col(title),
        "c_category": col(category),
        "c_state": F("state"),
        "c_received": F("received"),
        "c_due": due,
        "c_done": col(done),
        "c_late": late,
    }


def rows(values, names: dict[str, str]) -> list[dict]:
    """Rows as the page and the export show them: labels and names in Chinese (whether a row is late comes
    from the query, `_late`)."""
    out, townships = [], {}
    for v in values:
        r = dict(zip(COLUMNS, v))
        if r["township"] not in townships:
            townships[r["township"]] = catalogues().name(r["township"])
        r["township_name"] = townships[r["township"]]
        case = r["kind"] == "case"
        state = (CaseState if case else ComplaintState)(r["state"])
        r["kind_label"] = message("desk_model_case") if case else message("desk_model_complaint")
        r["state_label"] = state.label
        r["category_label"] = Category(r["category"]).label if case and r["category"] else ""
        r["window_name"] = names.get(r["window"], r["window"])
        r["url"] = url_pattern("case" if case else "complaint").format(r["pk"])
        r["late"] = bool(r["late"])
        out.append(r)
    return out


EXPORT = [
    ("kind_label", "desk_ledger_kind"),
    ("number", "desk_field_number"),
    ("township_name", "desk_field_township"),
    ("window_name", "desk_field_window"),
    ("title", "desk_ledger_title"),
    ("category_label", "desk_ledger_category"),
    ("state_label", "desk_field_state"),
    ("received", "desk_ledger_received"),
    ("due", "desk_ledger_due"),
    ("done", "desk_ledger_done"),
    ("late", "desk_ledger_late"),
]


def xlsx(values, names: dict[str, str]) -> bytes:
    """The ledger as an xlsx workbook (kiosk.exchange.workbook.row: text stays text)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(message("desk_ledger_sheet"))
    ws.append([message(key) for _, key in EXPORT])
    chunk = []
    for v in values.iterator(chunk_size=2000):
        chunk.append(v)
        if len(chunk) == 2000:
            _write(ws, rows(chunk, names))
            chunk = []
    _write(ws, rows(chunk, names))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _write(ws, shown: list[dict]) -> None:
    yes = message("desk_yes")
    for r in shown:
        ws.append(row(ws, [(yes if r[n] else "") if n == "late" else r[n] for n, _ in EXPORT]))


def all_of(user):
    """The person's cases and complaints (visible_to)."""
    return Case.objects.visible_to(user), Complaint.objects.visible_to(user)
