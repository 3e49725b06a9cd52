"""The monthly review of the 办不成事 cases and the complaints (“一类事” to fix): per township (or the county's
townships together), counted with a few grouped queries whatever the number of records.

    build(cases, complaints, month, today)   the Report of one month from scoped querysets
    to_xlsx(report) / from_xlsx(path)         the report as a workbook a county can add up (kiosk desk report
                                              --merge): sheet 月报, rows 项目 / 分类 / 数量 under 月份 and 乡镇
    merge(reports)                            townships' reports of one month added up
    html(report, township)                    the printed report (print/desk-report.html)
"""

from __future__ import annotations

import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models import Count, F, Q

from kiosk.problems import message

from .deadlines import overdue_q
from .models import Case, CaseState, Category, ComplaintState, Satisfaction

SECTIONS = ["total", "category", "window", "matter", "satisfaction", "grounds"]
TOTALS = [
    "registered",
    "finished",
    "on_time",
    "late",
    "overdue_open",
    "excluded",
    "complaints",
    "complaints_answered",
    "complaints_on_time",
]
TOP = 5


class ReportError(Exception):
    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


@dataclass
class Report:
    month: str  # 2026-11
    townships: list[str]  # names
    counts: dict[str, Counter] = field(default_factory=lambda: {s: Counter() for s in SECTIONS})

    @property
    def top(self) -> list[tuple[str, int]]:
        """The five matters with most 办不成事: the “一类事” to fix first."""
        return sorted(self.counts["matter"].items(), key=lambda kv: (-kv[1], kv[0]))[:TOP]

    def rows(self) -> list[tuple[str, str, int]]:
        """(section label, key, count) in a fixed order: what the xlsx and the PDF list."""
        out = [(message("desk_report_total"), message(f"desk_report_{k}"), self.counts["total"][k]) for k in TOTALS]
        for s in SECTIONS[1:]:
            for key, n in sorted(self.counts[s].items(), key=lambda kv: (-kv[1], kv[0])):
                out.append((message(f"desk_report_{s}"), key, n))
        return out


def month_range(month: str) -> tuple[datetime.date, datetime.date]:
    """The first day of YYYY-MM and the first day of the next month."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        first = datetime.date(year, mon, 1)
    except (ValueError, TypeError):
        raise ReportError("desk_report_bad_month", month=month) from None
    return first, (first + datetime.timedelta(days=32)).replace(day=1)


def build(
    cases,
    complaints,
    month: str,
    today: datetime.date,
    townships: list[str],
    window_names: dict[str, str] | None = None,
) -> Report:
    first, end = month_range(month)
    until = min(today, end - datetime.timedelta(days=1))  # how late things are, as of the month's end
    r = Report(month, townships)
    names = window_names or {}
    of_month = cases.filter(received__gte=first, received__lt=end).exclude(state=CaseState.VOID)
    t = r.counts["total"]
    t["registered"] = of_month.count()
    t["excluded"] = of_month.filter(state=CaseState.EXCLUDED).count()
    finished = cases.filter(finished__gte=first, finished__lt=end).exclude(state=CaseState.VOID)
    t["finished"] = finished.count()
    t["on_time"] = finished.filter(Q(due=None) | Q(finished__lte=F("due"))).count()
    t["late"] = finished.filter(finished__gt=F("due")).count()
    t["overdue_open"] = cases.filter(overdue_q(Case, until, "handle"), received__lt=end).count()
    for row in of_month.exclude(category="").values("category").annotate(n=Count("pk")).order_by():
        r.counts["category"][Category(row["category"]).label] += row["n"]
    for row in of_month.exclude(window="").values("window").annotate(n=Count("pk")).order_by():
        r.counts["window"][names.get(row["window"], row["window"])] += row["n"]
    for row in of_month.values("matter_name").annotate(n=Count("pk")).order_by():
        r.counts["matter"][row["matter_name"]] += row["n"]
    visited = cases.filter(visited__gte=first, visited__lt=end).exclude(state=CaseState.VOID)
    for row in visited.values("satisfaction").annotate(n=Count("pk")).order_by():
        r.counts["satisfaction"][Satisfaction(row["satisfaction"]).label] += row["n"]
    c_month = complaints.filter(received__gte=first, received__lt=end).exclude(state=ComplaintState.VOID)
    t["complaints"] = c_month.count()
    answered = complaints.filter(answered__gte=first, answered__lt=end).exclude(state=ComplaintState.VOID)
    t["complaints_answered"] = answered.count()
    t["complaints_on_time"] = answered.filter(Q(due=None) | Q(answered__lte=F("due"))).count()
    for grounds in c_month.values_list("grounds", flat=True).iterator(chunk_size=2000):
        r.counts["grounds"].update(grounds or [])
    return r


def merge(reports: list[Report]) -> Report:
    months = {r.month for r in reports}
    if len(months) != 1:
        raise ReportError("desk_report_months_differ", months="、".join(sorted(months)))
    total = Report(months.pop(), [n for r in reports for n in r.townships])
    for r in reports:
        for s in SECTIONS:
            total.counts[s].update(r.counts[s])
    return total


def to_xlsx(r: Report) -> bytes:
    from openpyxl import Workbook

    from kiosk.exchange.workbook import row

    wb = Workbook()
    ws = wb.active
    ws.title = message("desk_report_sheet")
    ws.append([message("desk_report_month"), r.month])
    ws.append([message("desk_report_townships"), "、".join(r.townships)])
    ws.append([message("desk_report_section"), message("desk_report_key"), message("desk_report_count")])
    for section, key, n in r.rows():
        ws.append(row(ws, [section, key, n]))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def from_xlsx(path: Path) -> Report:
    """A township's monthly workbook back as a Report (opened through kiosk.exchange.workbook: no macros, no formulas)."""
    from kiosk.exchange.workbook import open_workbook

    problems: list[str] = []
    wb = open_workbook(Path(path), problems)
    if wb is None:
        raise ReportError("desk_report_bad_file", file=path, detail="；".join(problems))
    ws = wb[message("desk_report_sheet")] if message("desk_report_sheet") in wb.sheetnames else None
    if ws is None:
        raise ReportError("desk_report_bad_file", file=path, detail=message("desk_report_no_sheet"))
    values = [tuple(c.value for c in row) for row in ws.iter_rows()]
    if len(values) < 3 or values[0][0] != message("desk_report_month"):
        raise ReportError("desk_report_bad_file", file=path, detail=message("desk_report_no_sheet"))
    r = Report(str(values[0][1]), [x for x in str(values[1][1] or "").split("、") if x])
    sections = {message(f"desk_report_{s}"): s for s in SECTIONS}
    totals = {message(f"desk_report_{k}"): k for k in TOTALS}
    for row in values[3:]:
        section, key, n = (list(row) + [None, None, None])[:3]
        s = sections.get(section)
        if s is None or not isinstance(n, int):
            raise ReportError("desk_report_bad_file", file=path, detail=f"{section} {key} {n}")
        key = str(key).lstrip("'") if key is not None else ""
        r.counts[s][totals.get(key, key) if s == "total" else key] += n
    return r


def html(r: Report, township) -> str:
    """The report's printed page, with the header of `township` (a catalogues.Township)."""
    from . import paper

    first, _ = month_range(r.month)
    return paper.page(
        township,
        "print/desk-report.html",
        message("desk_report_title", month=r.month),
        "desk-report",
        first,
        report=r,
        rows=r.rows(),
    )
