"""What happens to a 办不成事 case, each step one transaction (the case, its history row, its number and the
document it prints together or not at all), with the version check of records.py (Conflict) and its
refusals (StepRefused):

    register   登记: a new case with its number (DHP-BB-2026-000001) and the 登记表
    classify   定时限: 即时 / 一般 / 复杂 (the center file's working days) / 约定延期 (the agreed date and the
               person's consent) → the due date; 不纳入受理 with the explanation given → closed
    pass_on    交办 to the window the matter belongs to: the 交办单 with the due date
    handle     办结 by that window: what was done and the result; the 回访 falls due (follow_up_days)
    feedback   反馈: when and how the person was told
    follow_up  回访: 满意 / 基本满意 / 不满意 and the person's words
    archive    归档
    void       作废, with the reason

Due dates are working days of the township's calendar (kiosk.workdays, as the rest of the desk); a year the
calendar lacks gives no date (日期未知, the year kept), never a guess.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from kiosk.workdays import UnknownYear, WorkCalendar

from . import paper
from .case_models import HANDLING_STATES, Case, CaseDocument, CaseDocumentKind, CaseState, Category
from .catalogues import Township
from .dashboard import workdays_between
from .records import Conflict, StepRefused, next_number, pause, today

__all__ = ["Conflict", "StepRefused", "register", "classify", "pass_on", "handle", "feedback", "follow_up",
           "archive", "void", "handling_due", "follow_up_due", "late", "is_coordinator", "is_handler", "today"]


# ---------------------------------------------------------------- due dates


def handling_due(center, category: str, received: datetime.date, agreed: datetime.date | None,
                 calendar: WorkCalendar) -> tuple[datetime.date | None, int | None]:
    """The last day to solve a case reported on `received`, and the year the calendar lacks (else None).
    即时: that day; 一般 / 复杂: the center file's working days after it; 约定延期: the agreed day."""
    deadlines = center.unresolved.deadlines
    if category == Category.INSTANT:
        return received, None
    if category == Category.AGREED:
        return agreed, None
    days = {Category.GENERAL: deadlines.general_days, Category.COMPLEX: deadlines.complex_days}.get(category)
    if days is None:
        return None, None
    try:
        return calendar.add_workdays(received, days), None
    except UnknownYear as e:
        return None, e.year


def follow_up_due(center, finished: datetime.date, calendar: WorkCalendar) -> tuple[datetime.date | None, int | None]:
    """The 回访 is due follow_up_days working days after 办结."""
    try:
        return calendar.add_workdays(finished, center.unresolved.deadlines.follow_up_days), None
    except UnknownYear as e:
        return None, e.year


@dataclass
class Late:
    case: Case
    step: str  # "handle" (办理) or "follow_up" (回访)
    due: datetime.date
    workdays: int | None  # None: the calendar lacks a year in between


def late(cases, calendar: WorkCalendar, day: datetime.date, limit: int = 30) -> tuple[list[Late], int]:
    """The cases whose 办理 or 回访 is past its due date (the 督办 list), most late first; and their number."""
    handling = cases.filter(state__in=HANDLING_STATES, due__lt=day)
    visiting = cases.filter(state__in=[CaseState.FINISHED, CaseState.TOLD], follow_up_due__lt=day)
    count = handling.count() + visiting.count()
    rows = [Late(c, "handle", c.due, None) for c in handling.order_by("due", "id")[:limit]]
    rows += [Late(c, "follow_up", c.follow_up_due, None) for c in visiting.order_by("follow_up_due", "id")[:limit]]
    known: dict = {}
    for r in rows:
        r.workdays = workdays_between(calendar, r.due, day, known)
    rows.sort(key=lambda r: (r.due, r.case.pk))
    return rows[:limit], count


# ---------------------------------------------------------------- who may do a step


def is_coordinator(user, t: Township) -> bool:
    """The 办不成事 window's staff and the center head: they register, classify, pass on, call back, archive."""
    p = getattr(user, "desk", None)
    if p is None or not user.has_perm("desk.change_case") or p.township != t.id:
        return False
    return user.has_perm("desk.view_township") or p.window == t.center.unresolved.window


def is_handler(user, t: Township, case: Case) -> bool:
    """Who records the handling: the window the case was passed to, or a coordinator."""
    p = getattr(user, "desk", None)
    if p is None or not user.has_perm("desk.change_case"):
        return False
    return is_coordinator(user, t) or (bool(case.window) and p.window == case.window and p.township == case.township)


# ---------------------------------------------------------------- steps


def register(t: Township, data: dict, user) -> Case:
    """A new case from RegisterForm's cleaned data; the 登记表 printed with it."""
    existing = Case.objects.filter(token=data["token"]).first()
    if existing is not None:  # the same form sent twice
        return existing
    case = Case(township=t.id, state=CaseState.REGISTERED, channel=data["channel"], received=data["received"],
                matter_name=data["matter_name"], units=data["units"], person=data["person"], phone=data["phone"],
                reason=data["reason"], created_by=user, token=data["token"], number=paper.placeholder())
    placeholder = case.number
    html = _register_html(t, case, user)
    case._change_reason = "case-register"
    try:
        with transaction.atomic():
            case.number = next_number_of(t, data["received"].year)
            case.save()
            _print(case, CaseDocumentKind.REGISTER, html.replace(placeholder, case.number), user)
            pause("before-commit")
    except IntegrityError:
        existing = Case.objects.filter(token=data["token"]).first()
        if existing is None:
            raise
        return existing
    pause("after-commit")
    return case


def classify(t: Township, pk: int, version: int, data: dict, user) -> Case:
    with transaction.atomic():
        case = _locked(pk, version, user, CaseState.REGISTERED)
        _coordinator(user, t)
        case.category, case.classified = data["category"], data["classified"]
        if case.category == Category.EXCLUDED:
            case.explanation, case.state = data["explanation"], CaseState.EXCLUDED
        else:
            if case.category == Category.AGREED:
                case.agreed_date, case.consent, case.consent_note = data["agreed_date"], True, data["consent_note"]
            case.due, case.due_year = handling_due(t.center, case.category, case.received, case.agreed_date, t.calendar)
            case.state = CaseState.CLASSIFIED
        case._change_reason = "case-classify"
        _save(case)
        _print(case, CaseDocumentKind.REGISTER, _register_html(t, case, user), user)
        pause("before-commit")
    return case


def pass_on(t: Township, pk: int, version: int, data: dict, user) -> Case:
    with transaction.atomic():
        case = _locked(pk, version, user, CaseState.CLASSIFIED)
        _coordinator(user, t)
        case.window, case.passed, case.state = data["window"], data["passed"], CaseState.PASSED
        case._change_reason = "case-pass"
        _save(case)
        window = t.cv.windows[case.window]
        html = paper.page(t, "print/desk-case-assign.html", CaseDocumentKind.ASSIGN.label, "desk-case", case.passed,
                          case=case, category=case.category_text(t.center), staff=paper.staff_of(t, user),
                          window={"id": window.id, "name": window.name, "location": window.location})
        _print(case, CaseDocumentKind.ASSIGN, html, user)
        pause("before-commit")
    return case


def handle(t: Township, pk: int, version: int, data: dict, user) -> Case:
    with transaction.atomic():
        case = _locked(pk, version, user, *HANDLING_STATES)
        if not is_handler(user, t, case):
            raise StepRefused("desk_case_not_handler")
        case.handling, case.result, case.finished = data["handling"], data["result"], data["finished"]
        case.follow_up_due, case.follow_up_year = follow_up_due(t.center, case.finished, t.calendar)
        case.state = CaseState.FINISHED
        case._change_reason = "case-handle"
        _save(case)
        pause("before-commit")
    return case


def feedback(t: Township, pk: int, version: int, data: dict, user) -> Case:
    with transaction.atomic():
        case = _locked(pk, version, user, CaseState.FINISHED)
        if not is_handler(user, t, case):
            raise StepRefused("desk_case_not_handler")
        case.told_on, case.told_how, case.state = data["told_on"], data["told_how"], CaseState.TOLD
        case._change_reason = "case-feedback"
        _save(case)
    return case


def follow_up(t: Township, pk: int, version: int, data: dict, user) -> Case:
    with transaction.atomic():
        case = _locked(pk, version, user, CaseState.FINISHED, CaseState.TOLD)
        _coordinator(user, t)
        case.visited, case.satisfaction, case.words = data["visited"], data["satisfaction"], data["words"]
        case.state = CaseState.VISITED
        case._change_reason = "case-follow-up"
        _save(case)
    return case


def archive(t: Township, pk: int, version: int, data: dict, user) -> Case:
    with transaction.atomic():
        case = _locked(pk, version, user, CaseState.VISITED)
        _coordinator(user, t)
        case.archived, case.state = data["archived"], CaseState.ARCHIVED
        case._change_reason = "case-archive"
        _save(case)
    return case


def void(t: Township, pk: int, version: int, data: dict, user) -> Case:
    with transaction.atomic():
        case = _locked(pk, version, user, *[s for s in CaseState if s != CaseState.VOID])
        _coordinator(user, t)
        case.void_reason, case.state = data["reason"], CaseState.VOID
        case._change_reason = "case-void"
        _save(case)
    return case


# ---------------------------------------------------------------- helpers


def next_number_of(t: Township, year: int) -> str:
    """DHP-BB-2026-000001: the township's code with BB (办不成事), numbered on their own."""
    return next_number(_Coded(t.code + "-BB"), year)


@dataclass
class _Coded:
    code: str


def _register_html(t: Township, case: Case, user) -> str:
    return paper.page(t, "print/desk-case-register.html", CaseDocumentKind.REGISTER.label, "desk-case",
                      case.classified or case.received, case=case, category=case.category_text(t.center),
                      staff=paper.staff_of(t, case.created_by if case.pk else user))


def _coordinator(user, t: Township) -> None:
    if not is_coordinator(user, t):
        raise StepRefused("desk_case_not_coordinator")


def _locked(pk: int, version: int, user, *states: str) -> Case:
    case = Case.objects.visible_to(user).select_for_update().get(pk=pk)
    if case.version != version:
        raise Conflict(case)
    if case.state not in states:
        raise StepRefused("desk_wrong_state", state=case.get_state_display())
    return case


def _save(case: Case) -> None:
    case.version += 1
    case.save()


def _print(case: Case, kind: str, html: str, user) -> CaseDocument:
    return CaseDocument.objects.create(case=case, kind=kind, html=html, created_by=user)
