"""限时办结 at a glance: of the records a person may see, what is due today, within 3 working days, overdue
(with how many working days), waiting for a year the calendar lacks, and finished this month.

Each list is a few indexed queries whatever the number of records (counts, and the first rows of each).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from kiosk.calendar.workdays import WorkCalendar

from .deadlines import horizon, overdue_q, workdays_between
from .models import Application, DueKind, State

SHOWN = 15  # rows of each list on the home screen; the rest behind 全部
LIST_DEFERRED = ("told", "brought", "not_needed", "result", "reason")  # a list shows none of them


@dataclass
class Overdue:
    app: Application
    workdays: int | None  # None: the calendar does not know a year in between


@dataclass
class Board:
    today: datetime.date
    horizon: datetime.date  # the last day of "within 3 working days"
    horizon_guessed: bool  # the calendar lacks next year: Monday to Friday were counted instead
    due_today: list[Application]
    due_today_count: int
    soon: list[Application]
    soon_count: int
    overdue: list[Overdue]
    overdue_count: int
    unknown: list[Application]
    unknown_count: int
    unknown_years: list[int]
    finished: list[Application]
    finished_count: int
    correcting_count: int
    groups: list[dict] = field(default_factory=list)  # per window (a center) or per township (the county)


def board(records, calendar: WorkCalendar, today: datetime.date, group_by: str | None = None) -> Board:
    """The home screen of `records` (a queryset already scoped to the person); `group_by`: "window" or
    "township" for a table of counts per window or per township."""
    end, guessed = horizon(calendar, today)
    month_start = today.replace(day=1)
    records = records.defer(*LIST_DEFERRED)
    accepted = records.filter(state=State.ACCEPTED)
    dated = accepted.exclude(due=None)
    late_q = overdue_q(Application, today)
    today_q = Q(state=State.ACCEPTED, due=today)
    soon_q = Q(state=State.ACCEPTED, due__gt=today, due__lte=end)
    unknown_q = Q(state=State.ACCEPTED, due=None, due_kind=DueKind.UNKNOWN_YEAR)
    finished_q = Q(state=State.FINISHED, finished__gte=month_start, finished__lte=today)
    # the counts from two index-only queries: the records in progress, and this month's finished ones
    in_progress = records.filter(state__in=[State.ACCEPTED, State.CORRECTING])
    counts = in_progress.aggregate(**_counts(late_q, today_q, soon_q, unknown_q))
    counts["finished"] = records.filter(finished_q).count()
    late, known = list(records.filter(late_q).order_by("due", "id")[:SHOWN]), {}
    unknown = list(accepted.filter(due=None, due_kind=DueKind.UNKNOWN_YEAR).order_by("accepted", "id")[:SHOWN])
    out = Board(
        today=today,
        horizon=end,
        horizon_guessed=guessed,
        due_today=list(dated.filter(due=today).order_by("id")[:SHOWN]),
        due_today_count=counts["today"],
        soon=list(dated.filter(due__gt=today, due__lte=end).order_by("due", "id")[:SHOWN]),
        soon_count=counts["soon"],
        overdue=[Overdue(a, workdays_between(calendar, a.due, today, known)) for a in late],
        overdue_count=counts["overdue"],
        unknown=unknown,
        unknown_count=counts["unknown"],
        unknown_years=sorted({a.due_year for a in unknown if a.due_year}),
        finished=list(records.filter(finished_q).order_by("-finished")[:SHOWN]),
        finished_count=counts["finished"],
        correcting_count=counts["correcting"],
    )
    if group_by:
        rows: dict[str, dict] = {}
        for r in in_progress.values(group_by).order_by().annotate(**_counts(late_q, today_q, soon_q, unknown_q)):
            rows[r[group_by]] = dict(r, key=r[group_by], finished=0)
        for r in records.filter(finished_q).values(group_by).order_by().annotate(n=Count("pk")):
            rows.setdefault(
                r[group_by],
                dict.fromkeys(("overdue", "today", "soon", "unknown", "correcting"), 0) | {"key": r[group_by]},
            )["finished"] = r["n"]
        out.groups = [rows[k] for k in sorted(rows)]
    return out


def _counts(overdue_q, today_q, soon_q, unknown_q) -> dict:
    return {
        "overdue": Count("pk", filter=overdue_q),
        "today": Count("pk", filter=today_q),
        "soon": Count("pk", filter=soon_q),
        "unknown": Count("pk", filter=unknown_q),
        "correcting": Count("pk", filter=Q(state=State.CORRECTING)),
    }


def filtered(records, due: str, calendar: WorkCalendar, today: datetime.date):
    """The records behind one list of the home screen (the record list's `due` filter)."""
    end, _ = horizon(calendar, today)
    lists = {
        "overdue": overdue_q(Application, today),
        "today": Q(state=State.ACCEPTED, due=today),
        "soon": Q(state=State.ACCEPTED, due__gt=today, due__lte=end),
        "unknown": Q(state=State.ACCEPTED, due=None, due_kind=DueKind.UNKNOWN_YEAR),
        "month": Q(state=State.FINISHED, finished__gte=today.replace(day=1), finished__lte=today),
    }
    return records.filter(lists[due]) if due in lists else records


def any_township():
    """A catalogue for what all townships share (the county's working-day calendar)."""
    from django.http import Http404

    from .catalogues import Unavailable, catalogues

    for tid in catalogues().townships():
        try:
            return catalogues().get(tid)
        except Unavailable:
            continue
    raise Http404
