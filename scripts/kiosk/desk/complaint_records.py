"""What happens to a complaint, each step one transaction with the version check of records.py:

    register   登记 with every element of the rule; the answer is due complaints.reply_days working days
               later (the center's own commitment; unset: 未载明, no date); the 投诉登记表 (identity masked)
    note       调查 / 跟踪: a dated line added to the notes
    answer     答复: 口头 or 书面 (a written complaint only 书面); 书面 prints the 答复书
    outcome    对被投诉人的处理 (the head only; never shown to a window user)
    close      办结: only once answered, and a written complaint only with its 答复书
    void       作废, with the reason
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction

from kiosk.problems import message
from kiosk.workdays import UnknownYear, WorkCalendar

from . import paper
from .case_records import _Coded
from .catalogues import Township
from .complaint_models import (OPEN, SECRET, AnswerKind, Complaint, ComplaintDocument, ComplaintDocumentKind,
                               ComplaintState)
from .records import Conflict, StepRefused, next_number, pause, today

__all__ = ["Conflict", "StepRefused", "today", "register", "note", "answer", "set_outcome", "close", "void",
           "reply_due", "is_taker", "is_head", "masked"]


def reply_due(center, received: datetime.date, calendar: WorkCalendar) -> tuple[datetime.date | None, int | None]:
    """The committed answer day: complaints.reply_days working days after `received`; (None, None) when the
    center file does not state it, (None, year) when the calendar lacks the year."""
    days = center.complaints.reply_days
    if not days:
        return None, None
    try:
        return calendar.add_workdays(received, days), None
    except UnknownYear as e:
        return None, e.year


def is_head(user) -> bool:
    """The 中心负责人 role: the only one that sees the complainant's identity and the outcome."""
    p = getattr(user, "desk", None)
    return p is not None and bool(p.township) and user.has_perm("desk.view_township")


def is_taker(user, t: Township) -> bool:
    """Who works a complaint: the center head and the 办不成事 window (where complaints are taken)."""
    p = getattr(user, "desk", None)
    if p is None or not user.has_perm("desk.change_complaint") or p.township != t.id:
        return False
    return is_head(user) or p.window == t.center.unresolved.window


def masked(complaint: Complaint, user) -> Complaint:
    """The complaint as `user` may read it: for anyone but the head, the identity and the outcome blanked out
    (the object is for showing only: never saved)."""
    if not is_head(user):
        for name in SECRET + ("outcome",):
            setattr(complaint, name, "")
        complaint._masked = True
    return complaint


def register(t: Township, data: dict, user) -> Complaint:
    existing = Complaint.objects.filter(token=data["token"]).first()
    if existing is not None:
        return existing
    c = Complaint(township=t.id, state=ComplaintState.REGISTERED, channel=data["channel"], received=data["received"],
                  target_unit=data["target_unit"], target_person=data["target_person"], matter=data["matter"],
                  happened=data["happened"], place=data["place"], grounds=data["grounds"],
                  complainant=data["complainant"], complainant_phone=data["complainant_phone"], created_by=user,
                  token=data["token"], number=paper.placeholder())
    c.due, c.due_year = reply_due(t.center, c.received, t.calendar)
    placeholder = c.number
    html = _register_html(t, c, user)
    c._change_reason = "complaint-register"
    try:
        with transaction.atomic():
            c.number = next_number(_Coded(t.code + "-TS"), c.received.year)
            c.save()
            _print(c, ComplaintDocumentKind.REGISTER, html.replace(placeholder, c.number), user)
            pause("before-commit")
    except IntegrityError:
        existing = Complaint.objects.filter(token=data["token"]).first()
        if existing is None:
            raise
        return existing
    pause("after-commit")
    return c


def note(t: Township, pk: int, version: int, data: dict, user) -> Complaint:
    with transaction.atomic():
        c = _locked(pk, version, user, *OPEN)
        _taker(user, t)
        line = f"{data['day'].isoformat()} {data['text']}"
        c.notes = f"{c.notes}\n{line}" if c.notes else line
        if c.state == ComplaintState.REGISTERED:
            c.state = ComplaintState.INVESTIGATING
        c._change_reason = "complaint-note"
        _save(c)
    return c


def answer(t: Township, pk: int, version: int, data: dict, user) -> Complaint:
    with transaction.atomic():
        c = _locked(pk, version, user, ComplaintState.REGISTERED, ComplaintState.INVESTIGATING)
        _taker(user, t)
        if c.written and data["answer_kind"] != AnswerKind.WRITTEN:
            raise StepRefused("desk_complaint_written_needs_reply")
        c.answer_kind, c.answered, c.answer = data["answer_kind"], data["answered"], data["answer"]
        c.state = ComplaintState.ANSWERED
        c._change_reason = "complaint-answer"
        _save(c)
        if c.answer_kind == AnswerKind.WRITTEN:
            html = paper.page(t, "print/desk-complaint-reply.html", ComplaintDocumentKind.REPLY.label,
                              "desk-complaint", c.answered, complaint=c, staff=paper.staff_of(t, user))
            _print(c, ComplaintDocumentKind.REPLY, html, user)
        pause("before-commit")
    return c


def set_outcome(t: Township, pk: int, version: int, data: dict, user) -> Complaint:
    with transaction.atomic():
        c = _locked(pk, version, user, *OPEN, ComplaintState.CLOSED)
        if not is_head(user):
            raise StepRefused("desk_complaint_head_only")
        c.outcome = data["outcome"]
        c._change_reason = "complaint-outcome"
        _save(c)
    return c


def close(t: Township, pk: int, version: int, data: dict, user) -> Complaint:
    with transaction.atomic():
        c = _locked(pk, version, user, ComplaintState.ANSWERED)
        _taker(user, t)
        if c.written and not c.documents.filter(kind=ComplaintDocumentKind.REPLY).exists():
            raise StepRefused("desk_complaint_written_needs_reply")
        c.closed, c.state = data["closed"], ComplaintState.CLOSED
        c._change_reason = "complaint-close"
        _save(c)
    return c


def void(t: Township, pk: int, version: int, data: dict, user) -> Complaint:
    with transaction.atomic():
        c = _locked(pk, version, user, *OPEN, ComplaintState.CLOSED)
        _taker(user, t)
        c.void_reason, c.state = data["reason"], ComplaintState.VOID
        c._change_reason = "complaint-void"
        _save(c)
    return c


def _register_html(t: Township, c: Complaint, user) -> str:
    grounds = [g for g in t.center.complaints.grounds if g in c.grounds]
    return paper.page(t, "print/desk-complaint-register.html", ComplaintDocumentKind.REGISTER.label,
                      "desk-complaint", c.received, complaint=c, grounds=grounds, staff=paper.staff_of(t, user),
                      secret=message("desk_complaint_secret_paper"))


def _taker(user, t: Township) -> None:
    if not is_taker(user, t):
        raise StepRefused("desk_complaint_not_taker")


def _locked(pk: int, version: int, user, *states: str) -> Complaint:
    c = Complaint.objects.visible_to(user).select_for_update().get(pk=pk)
    if c.version != version:
        raise Conflict(c)
    if c.state not in states:
        raise StepRefused("desk_wrong_state", state=c.get_state_display())
    return c


def _save(c: Complaint) -> None:
    c.version += 1
    c.save()


def _print(c: Complaint, kind: str, html: str, user) -> ComplaintDocument:
    return ComplaintDocument.objects.create(complaint=c, kind=kind, html=html, created_by=user)
