"""Every deadline of the desk, in one place: today, the due dates of each kind of record, what is late and by
how many working days, and the dates that wait for a year's holiday calendar.

    clock             today in China; tests set it (`clock.set(day)`), nothing else asks the date
    Deadline          a model declares its deadlines as data: the date field, the states in which it runs,
                      the field keeping the year the calendar lacks, and how to count it again
    overdue_q(model)  the records of a model past one of their deadlines, as a query (lists, ledger, report)
    is_late(record)   the deadline a record is past, if any (a record's page)
    late(records)     the 督办 list: the records past a deadline, most late first, with working days
    settle(township)  the dates left unknown for lack of a year's calendar, counted for every kind of record
                      once the calendar knows the year (called when a catalogue is loaded, never by a page)

A year no calendar knows gives no date (日期待定, the year kept), never a guess.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from kiosk import clock as kiosk_clock
from kiosk.calendar.limits import deadline
from kiosk.calendar.workdays import WorkCalendar
from kiosk.exceptions import UnknownYear
from kiosk.model import Matter

SOON_WORKDAYS = 3


class Clock:
    """Today for the desk: KIOSK_TODAY or the date in China (kiosk.clock), unless a test has set it."""

    def __init__(self):
        self.fixed: datetime.date | None = None

    def today(self) -> datetime.date:
        return self.fixed or kiosk_clock.today()

    def set(self, day: datetime.date | None) -> None:
        self.fixed = day


clock = Clock()


def today() -> datetime.date:
    return clock.today()


@dataclass(frozen=True)
class Deadline:
    field: str  # the date field
    states: tuple[str, ...]  # the states in which it runs
    step: str  # what is due: finish (办结), handle (办理), follow_up (回访), answer (答复), give_back (交回)
    year: str | None = None  # the field keeping the year the calendar lacks (the date is then None)
    recount: Callable | None = None  # (record, township) -> {field: value}: the date counted again

    def running(self) -> Q:
        return Q(state__in=self.states)


def deadlines_of(model) -> tuple[Deadline, ...]:
    return getattr(model, "deadlines", ())


def overdue_q(model, day: datetime.date, step: str | None = None) -> Q:
    """The records of `model` past one of their deadlines on `day` (or past the deadline of `step` only)."""
    parts = [d.running() & Q(**{f"{d.field}__lt": day}) for d in deadlines_of(model) if step in (None, d.step)]
    if not parts:
        return Q(pk__in=[])
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q


def is_late(record, day: datetime.date | None = None) -> Deadline | None:
    """The deadline `record` is past, if any."""
    day = day or today()
    for d in deadlines_of(type(record)):
        due = getattr(record, d.field)
        if record.state in d.states and due is not None and due < day:
            return d
    return None


@dataclass
class Late:
    record: object
    step: str
    due: datetime.date
    workdays: int | None  # None: the calendar lacks a year in between


def late(records, calendar: WorkCalendar, day: datetime.date, limit: int = 30) -> tuple[list[Late], int]:
    """The records of `records` (a scoped queryset) past a deadline, most late first, and their number."""
    rows, count, known = [], 0, {}
    for d in deadlines_of(records.model):
        past = records.filter(d.running(), **{f"{d.field}__lt": day})
        count += past.count()
        rows += [Late(r, d.step, getattr(r, d.field), None) for r in past.order_by(d.field, "id")[:limit]]
    rows.sort(key=lambda r: (r.due, r.record.pk))
    rows = rows[:limit]
    for r in rows:
        r.workdays = workdays_between(calendar, r.due, day, known)
    return rows, count


def late_one(record, calendar: WorkCalendar, day: datetime.date | None = None) -> Late | None:
    day = day or today()
    d = is_late(record, day)
    if d is None:
        return None
    due = getattr(record, d.field)
    return Late(record, d.step, due, workdays_between(calendar, due, day))


def workdays_between(
    calendar: WorkCalendar, due: datetime.date, day: datetime.date, known: dict | None = None
) -> int | None:
    """Working days after `due` up to `day`: how late a record is. `known`: days already looked up (the
    calendar library is slow to ask, and a list asks about the same days again and again)."""
    known = {} if known is None else known
    count, cursor = 0, due
    try:
        while cursor < day:
            cursor += datetime.timedelta(days=1)
            if cursor not in known:
                known[cursor] = calendar.is_workday(cursor)
            count += known[cursor]
    except UnknownYear:
        return None
    return count


def horizon(calendar: WorkCalendar, day: datetime.date) -> tuple[datetime.date, bool]:
    """3 working days after `day`; where the calendar lacks the year, Monday to Friday (said on screen)."""
    try:
        return calendar.add_workdays(day, SOON_WORKDAYS), False
    except UnknownYear:
        cursor, left = day, SOON_WORKDAYS
        while left:
            cursor += datetime.timedelta(days=1)
            left -= cursor.weekday() < 5
        return cursor, True


# ---------------------------------------------------------------- due dates of each kind


def in_workdays(calendar: WorkCalendar, start: datetime.date, days: int | None):
    """(the `days`-th working day after `start`, None), or (None, the year the calendar lacks); (None, None)
    when no number of days is stated."""
    if days is None:
        return None, None
    try:
        return calendar.add_workdays(start, days), None
    except UnknownYear as e:
        return None, e.year


# applications: as the matter states its limits, from the snapshot of what was told (the same as `kiosk due`)


def told_matter(told: dict) -> Matter:
    """The matter's limits as told, as a kiosk.model.Matter that kiosk.calendar.limits can count."""
    return Matter.model_validate({"id": told["matter"]["id"], "task_name": told["matter"]["name"], **told["limits"]})


@dataclass
class Due:
    date: datetime.date | None
    kind: str  # models.application.DueKind
    year: int | None = None  # the year the calendar does not know


def application_due(
    told: dict, applicant_type: str, accepted: datetime.date, calendar, received: datetime.date | None = None
) -> Due:
    """The due date of an application received on `received` and accepted on `accepted`, counted from the day
    the guide says (kiosk.calendar.limits: the receipt where it counts from receiving the application, else 受理): the
    committed limit (the applicant type's own); where none is committed, or it gives no date (words only,
    or "日" only), the legal limit (法定) when it has a length; else the last stage's date."""
    t = deadline(told_matter(told), accepted, calendar, received=received)
    if t.unknown_year:
        return Due(None, "unknown_year", t.unknown_year.year)
    chosen = [c for c in t.cases if c.who == applicant_type] or (t.cases if len(t.cases) == 1 else [])
    if chosen:
        case = chosen[0]
        if case.span and case.span.instant:
            return Due(accepted, "instant")
        day = case.latest or case.due
        if day:
            return Due(day, "total")
    if t.legal and t.legal.span and not t.legal.span.instant:
        day = t.legal.latest or t.legal.due
        if day:
            return Due(day, "legal")
    if t.stage_only:
        last = t.stages[-1].due if t.stages else None
        return Due(last, "stages") if last else Due(None, "none")
    return Due(None, "none")


def recount_application(app, township) -> dict:
    due = application_due(app.told, app.applicant_type, app.accepted, township.calendar, app.received)
    return {"due": due.date, "due_kind": due.kind, "due_year": due.year}


# 办不成事 cases: the center file's working days (unresolved.deadlines)


def case_handling_due(
    center, category: str, received: datetime.date, agreed: datetime.date | None, calendar: WorkCalendar
):
    """The last day to solve a case reported on `received`, and the year the calendar lacks (else None).
    即时: that day; 一般 / 复杂: the center file's working days after it; 约定延期: the agreed day."""
    days = center.unresolved.deadlines
    if category == "instant":
        return received, None
    if category == "agreed":
        return agreed, None
    return in_workdays(calendar, received, {"general": days.general_days, "complex": days.complex_days}.get(category))


def case_follow_up_due(center, finished: datetime.date, calendar: WorkCalendar):
    """The 回访 is due follow_up_days working days after 办结."""
    return in_workdays(calendar, finished, center.unresolved.deadlines.follow_up_days)


def recount_case_handling(case, township) -> dict:
    due, year = case_handling_due(township.center, case.category, case.received, case.agreed_date, township.calendar)
    return {"due": due, "due_year": year}


def recount_case_follow_up(case, township) -> dict:
    due, year = case_follow_up_due(township.center, case.finished, township.calendar)
    return {"follow_up_due": due, "follow_up_year": year}


# complaints: the center's own commitment (complaints.reply_days; unset: 未载明, no date)


def complaint_reply_due(center, received: datetime.date, calendar: WorkCalendar):
    return in_workdays(calendar, received, center.complaints.reply_days or None)


def recount_complaint(complaint, township) -> dict:
    due, year = complaint_reply_due(township.center, complaint.received, township.calendar)
    return {"due": due, "due_year": year}


# ---------------------------------------------------------------- dates waiting for a year's calendar


def waiting(model, township_id: str):
    """The records of `model` in `township_id` with a date left unknown for lack of a year's calendar."""
    q = Q(pk__in=[])
    for d in deadlines_of(model):
        if d.year:
            q |= d.running() & Q(**{d.field: None, f"{d.year}__isnull": False})
    return model.objects.filter(q, township=township_id)


def settle(township) -> int:
    """Count every date that waited for a year the township's calendar now knows, for every kind of record;
    each in its own transaction, its history saying why (calendar). Returns how many records changed."""
    from django.apps import apps

    settled = 0
    for model in apps.get_app_config("desk").get_models():
        if not any(d.year for d in deadlines_of(model)):
            continue
        for pk in waiting(model, township.id).values_list("pk", flat=True):
            with transaction.atomic():
                record = model.objects.select_for_update().get(pk=pk)
                changed = {}
                for d in deadlines_of(model):
                    year = getattr(record, d.year) if d.year else None
                    if (
                        d.year
                        and record.state in d.states
                        and getattr(record, d.field) is None
                        and year
                        and township.calendar.knows(year)
                    ):
                        changed.update(d.recount(record, township))
                if not changed:
                    continue
                for name, value in changed.items():
                    setattr(record, name, value)
                record._change_reason = "calendar"
                record.version += 1
                record.save()
                settled += 1
    return settled
