"""The steps of a complaint, each changing the locked complaint and saying what it prints:

register   登记 with every element of the rule; the answer is due complaints.reply_days working days
           later (the center's own commitment; unset: 未载明, no date); the 投诉登记表 (identity masked)
note       调查 / 跟踪: a dated line added to the notes
answer     答复: 口头 or 书面 (a written complaint only 书面); 书面 prints the 答复书, naming whoever wrote it,
           with where it is delivered
outcome    对被投诉人的处理 (view_complainant: the head only; never shown to a window user)
close      办结: only once answered, and a written complaint only with its 答复书
"""

from __future__ import annotations

from kiosk.problems import message

from .. import lifecycle, paper
from ..catalogues import Township
from ..deadlines import complaint_reply_due
from ..lifecycle import StepRefused
from ..models import AnswerKind, Complaint, ComplaintDocumentKind, ComplaintState


def register(t: Township, data: dict, user) -> Complaint:
    profile = getattr(user, "desk", None)
    c = Complaint(
        township=t.id,
        window=profile.window if profile else "",
        state=ComplaintState.REGISTERED,
        channel=data["channel"],
        received=data["received"],
        target_unit=data["target_unit"],
        target_person=data["target_person"],
        matter=data["matter"],
        happened=data["happened"],
        place=data["place"],
        grounds=data["grounds"],
        complainant=data["complainant"],
        complainant_phone=data["complainant_phone"],
        created_by=user,
        token=data["token"],
        number=paper.placeholder(),
    )
    c.due, c.due_year = complaint_reply_due(t.center, c.received, t.calendar)
    c._change_reason = "complaint-register"
    grounds = [g for g in t.center.complaints.grounds if g in c.grounds]
    html = paper.page(
        t,
        "print/desk-complaint-register.html",
        ComplaintDocumentKind.REGISTER.label,
        "desk-complaint",
        c.received,
        complaint=c,
        grounds=grounds,
        staff=paper.staff_of(t, user),
        secret=message("desk_complaint_secret_paper"),
    )
    return lifecycle.create(c, user, [(ComplaintDocumentKind.REGISTER, html)], placeholder=c.number, code=t.code)


def note(t: Township, c: Complaint, data: dict, user):
    line = f"{data['day'].isoformat()} {data['text']}"
    c.notes = f"{c.notes}\n{line}" if c.notes else line
    if c.state == ComplaintState.REGISTERED:
        c.state = ComplaintState.INVESTIGATING


def answer(t: Township, c: Complaint, data: dict, user):
    if c.written and data["answer_kind"] != AnswerKind.WRITTEN:
        raise StepRefused("desk_complaint_written_needs_reply")
    c.answer_kind, c.answered, c.answer = data["answer_kind"], data["answered"], data["answer"]
    c.reply_to = data.get("reply_to", "") if c.answer_kind == AnswerKind.WRITTEN else ""
    c.state = ComplaintState.ANSWERED
    if c.answer_kind != AnswerKind.WRITTEN:
        return None
    html = paper.page(
        t,
        "print/desk-complaint-reply.html",
        ComplaintDocumentKind.REPLY.label,
        "desk-complaint",
        c.answered,
        complaint=c,
        staff=paper.staff_of(t, user),
    )
    return [(ComplaintDocumentKind.REPLY, html)]


def set_outcome(t: Township, c: Complaint, data: dict, user):
    c.outcome = data["outcome"]


def close(t: Township, c: Complaint, data: dict, user):
    if c.written and not c.documents.filter(kind=ComplaintDocumentKind.REPLY).exists():
        raise StepRefused("desk_complaint_written_needs_reply")
    c.closed, c.state = data["closed"], ComplaintState.CLOSED
