"""The steps of an application (受理件), each changing the locked record and saying what it prints:

    take_in     收件: a new record; missing materials -> 补正中 with the 补正 notice; none missing -> 已受理 with
                the 受理回执; a 即办件 can be received and finished at once
    supplement  补交: materials brought later; optionally a fresh notice of what is still missing; or 受理
    finish      办结, with the result
    refuse      不予受理 (before 受理) or 不予许可 (after), with the reason; the written notice

The snapshot of what was told (`told`) is made once, at intake: a later catalogue never rewrites it.
"""

from __future__ import annotations

import datetime

from kiosk.calendar.limits import deadline
from kiosk.catalogue.view import MatterView

from .. import lifecycle, paper
from ..catalogues import Township
from ..deadlines import application_due, told_matter
from ..lifecycle import StepRefused
from ..models import Application, DocumentKind, State

# the matter's fields that say its limits (all that kiosk.calendar.limits.deadline reads: committed_cases, legal_case,
# start_from, periods, the stages), and its 受理时段: kept in the snapshot, so the due date is counted as told.
# A record made before a field was kept lacks it in its snapshot: the matter is read as not saying it (未载明).
LIMIT_FIELDS = {
    "project_type",
    "promise_day",
    "promise_type",
    "promise_explain",
    "promise_by",
    "steps",
    "special_procedure",
    "extension",
    "correction_day",
    "correction_type",
    "applicant_types",
    "anticipate_day",
    "anticipate_type",
    "anticipate_explain",
    "time_start",
    "accept_period",
}


def snapshot(t: Township, v: MatterView) -> dict:
    """What the applicant is told about the matter on the day of intake, kept with the record."""
    info = t.loaded.catalogue.catalogue
    return {
        "catalogue": {
            "version": info.version,
            "effective_date": info.effective_date.isoformat(),
            "sample": info.sample,
        },
        "matter": {
            "id": v.m.id,
            "name": v.m.task_name,
            "project_type": v.m.project_type,
            "window": {"id": v.window.id, "name": v.window.name, "location": v.window.location},
            "person": {"id": v.person.id, "name": v.person.name},
            "phone": v.phone,
            "result_name": v.m.result_name,
        },
        "limits": v.m.model_dump(mode="json", include=LIMIT_FIELDS, exclude_none=True),
        "materials": [
            {"no": i, "name": x.material_name, "conditional": conditional(x)} for i, x in enumerate(v.materials, 1)
        ],
        "rights": list(v.rights),
    }


def conditional(material) -> bool:
    """Whether a material may not apply to an applicant (a situation, an applicant type, not 必要)."""
    return bool(material.situations or material.applicants or (material.is_need and material.is_need != "必要"))


def applicant_types(told: dict) -> list[str]:
    """The applicant types (or situations) the matter commits a limit for, one by one (promise_by)."""
    return [c.who for c in deadline(told_matter(told), None, None).cases if c.who]


def is_instant(told: dict, applicant_type: str = "") -> bool:
    cases = deadline(told_matter(told), None, None).cases
    chosen = [c for c in cases if c.who == applicant_type] or (cases if len(cases) == 1 else [])
    return bool(chosen) and all(c.span is not None and c.span.instant for c in chosen)


def take_in(t: Township, v: MatterView, data: dict, user, told: dict | None = None) -> Application:
    """A new record from the intake form's cleaned data: applicant, phone, id_last4, applicant_type, received,
    brought, not_needed, action (correct / accept / finish), result, token. `told`: the snapshot the form was
    made from (made again when not given). The document is rendered before the transaction, with a
    placeholder where the record number goes: the write lock is held only for the writes."""
    told = told or snapshot(t, v)
    app = Application(
        township=t.id,
        window=v.window.id,
        matter_id=v.m.id,
        matter_name=v.m.task_name,
        applicant=data["applicant"],
        phone=data.get("phone", ""),
        id_last4=data.get("id_last4", ""),
        applicant_type=data.get("applicant_type", ""),
        received=data["received"],
        brought=sorted(data["brought"]),
        not_needed=sorted(data["not_needed"]),
        told=told,
        created_by=user,
        token=data["token"],
        state=State.CORRECTING,
        number=paper.placeholder(),
    )
    if data["action"] == "correct":
        app._change_reason = "intake"
        printed = [(DocumentKind.CORRECTION, paper.correction(t, app, app.missing, paper.staff_id(user)))]
    else:
        _start_clock(t, app, data["received"])
        if data["action"] == "finish":
            app.state, app.finished, app.result = State.FINISHED, data["received"], data.get("result", "")
        app._change_reason = "intake-" + data["action"]
        printed = [(DocumentKind.RECEIPT, paper.receipt(t, app, user))]
    return lifecycle.create(app, user, printed, placeholder=app.number, code=t.code)


def supplement(t: Township, app: Application, data: dict, user):
    """补交: the materials brought now; `action` save, notice (a fresh notice of what is still missing) or
    accept (everything is in: 受理 on data["accepted"])."""
    action = data["action"]
    if action == "notice" and not paper.same_materials(t, app):
        raise StepRefused("desk_catalogue_changed_materials")
    app.brought, app.not_needed = sorted(data["brought"]), sorted(data["not_needed"])
    if data.get("applicant_type"):
        app.applicant_type = data["applicant_type"]
    if action == "accept":
        _start_clock(t, app, data["accepted"])
    app._change_reason = "supplement-" + action
    if action == "notice":
        return [(DocumentKind.CORRECTION, paper.correction(t, app, app.missing, paper.staff_id(user)))]
    if action == "accept":
        return [(DocumentKind.RECEIPT, paper.receipt(t, app, user))]
    return None


def finish(t: Township, app: Application, data: dict, user):
    app.state, app.finished, app.result = State.FINISHED, data["finished"], data["result"]


def refuse(t: Township, app: Application, data: dict, user):
    """不予受理 (the record was never accepted) or 不予许可 (it was), with the reason, in writing."""
    kind = DocumentKind.REJECTION if app.state == State.CORRECTING else DocumentKind.DENIAL
    app.state = State.REJECTED if kind == DocumentKind.REJECTION else State.DENIED
    app.finished, app.reason = data["decided"], data["reason"]
    return [(kind, paper.decision(t, app, kind, user))]


def _start_clock(t: Township, app: Application, accepted: datetime.date) -> None:
    """受理 on `accepted`: the due date counted from the day the guide says (the receipt, app.received, where it
    counts from receiving the application)."""
    due = application_due(app.told, app.applicant_type, accepted, t.calendar, app.received)
    app.state, app.accepted = State.ACCEPTED, accepted
    app.due, app.due_kind, app.due_year = due.date, due.kind, due.year
