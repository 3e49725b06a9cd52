"""What happens to a record, each step one transaction: the record, its history row, its record number and
the document it prints are saved together or not at all.

    take_in     收件: a new record; missing materials -> 补正中 with the 补正 notice; none missing -> 已受理 with
                the 受理回执; a 即办件 can be received and finished at once
    supplement  补交: materials brought later; optionally a fresh notice of what is still missing
    accept      受理: the clock starts; the due date from the working-day calendar; the 受理回执
    finish      办结, with the result
    refuse      不予受理 (before 受理) or 不予许可 (after), with the reason; the written notice
    void        作废, with the reason; nothing is ever deleted

A step on an existing record names the version the person saw; when someone saved the record since,
it raises Conflict and changes nothing (no silent overwrite). The snapshot of what was told (`told`)
is made once, at intake: a later catalogue never rewrites it.
"""

from __future__ import annotations

import datetime
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from kiosk.limits import deadline
from kiosk.model import Matter
from kiosk.view import MatterView

from . import paper
from .catalogues import Township
from .models import Application, Counter, Document, DocumentKind, DueKind, State

# the matter's fields that say its limits: kept in the snapshot, so the due date is counted as told
LIMIT_FIELDS = {"project_type", "promise_day", "promise_type", "promise_explain", "promise_by", "steps",
                "special_procedure", "extension", "correction_day", "correction_type", "applicant_types",
                "anticipate_day", "anticipate_type"}


class Conflict(Exception):
    """The record was saved by someone else since the form was opened; `current` is the record now."""

    def __init__(self, current: Application):
        self.current = current
        super().__init__(f"{current.number} changed (version {current.version})")


class StepRefused(Exception):
    """The step does not fit the record as it is now (e.g. the catalogue changed its materials)."""

    def __init__(self, key: str, **values):
        self.key, self.values = key, values
        super().__init__(key)


def today() -> datetime.date:
    """Today in China (the desk's time zone)."""
    return timezone.localdate()


# ---------------------------------------------------------------- the snapshot of what was told


def snapshot(t: Township, v: MatterView) -> dict:
    """What the applicant is told about the matter on the day of intake, kept with the record."""
    info = t.loaded.catalogue.catalogue
    return {
        "catalogue": {"version": info.version, "effective_date": info.effective_date.isoformat(), "sample": info.sample},
        "matter": {"id": v.m.id, "name": v.m.task_name, "project_type": v.m.project_type,
                   "window": {"id": v.window.id, "name": v.window.name, "location": v.window.location},
                   "person": {"id": v.person.id, "name": v.person.name}, "phone": v.phone,
                   "result_name": v.m.result_name},
        "limits": v.m.model_dump(mode="json", include=LIMIT_FIELDS, exclude_none=True),
        "materials": [{"no": i, "name": x.material_name, "conditional": conditional(x)}
                      for i, x in enumerate(v.materials, 1)],
        "rights": list(v.rights),
    }


def conditional(material) -> bool:
    """Whether a material may not apply to an applicant (a situation, an applicant type, not 必要)."""
    return bool(material.situations or material.applicants or (material.is_need and material.is_need != "必要"))


def told_matter(told: dict) -> Matter:
    """The matter's limits as told, as a kiosk.model.Matter that kiosk.limits can count."""
    return Matter.model_validate({"id": told["matter"]["id"], "task_name": told["matter"]["name"], **told["limits"]})


def applicant_types(told: dict) -> list[str]:
    """The applicant types (or situations) the matter commits a limit for, one by one (promise_by)."""
    return [c.who for c in deadline(told_matter(told), None, None).cases if c.who]


def is_instant(told: dict, applicant_type: str = "") -> bool:
    cases = deadline(told_matter(told), None, None).cases
    chosen = [c for c in cases if c.who == applicant_type] or (cases if len(cases) == 1 else [])
    return bool(chosen) and all(c.span is not None and c.span.instant for c in chosen)


@dataclass
class Due:
    date: datetime.date | None
    kind: str  # DueKind
    year: int | None = None  # the year the calendar does not know


def due_of(told: dict, applicant_type: str, accepted: datetime.date, calendar) -> Due:
    """The due date of a record accepted on `accepted`, as kiosk.limits counts it (the same as `kiosk due`)."""
    t = deadline(told_matter(told), accepted, calendar)
    if t.unknown_year:
        return Due(None, DueKind.UNKNOWN_YEAR, t.unknown_year.year)
    if t.cases:
        chosen = [c for c in t.cases if c.who == applicant_type] or (t.cases if len(t.cases) == 1 else [])
        if not chosen:
            return Due(None, DueKind.NONE)
        case = chosen[0]
        if case.span and case.span.instant:
            return Due(accepted, DueKind.INSTANT)
        day = case.latest or case.due
        return Due(day, DueKind.TOTAL) if day else Due(None, DueKind.NONE)
    if t.stage_only:
        last = t.stages[-1].due if t.stages else None
        return Due(last, DueKind.STAGES) if last else Due(None, DueKind.NONE)
    return Due(None, DueKind.NONE)


# ---------------------------------------------------------------- steps


def take_in(t: Township, v: MatterView, data: dict, user, told: dict | None = None) -> Application:
    """A new record from the intake form's cleaned data: applicant, phone, id_last4, applicant_type, received,
    brought, not_needed, action (correct / accept / finish), result, token. `told`: the snapshot the form was
    made from (made again when not given). The document is rendered before the transaction, with a
    placeholder where the record number goes: the write lock is held only for the writes."""
    told = told or snapshot(t, v)
    existing = Application.objects.filter(intake_token=data["token"]).first()
    if existing is not None:  # the same form sent twice (a double Enter): one record
        return existing
    app = Application(
        township=t.id, window=v.window.id, matter_id=v.m.id, matter_name=v.m.task_name,
        applicant=data["applicant"], phone=data.get("phone", ""), id_last4=data.get("id_last4", ""),
        applicant_type=data.get("applicant_type", ""), received=data["received"], brought=sorted(data["brought"]),
        not_needed=sorted(data["not_needed"]), told=told, created_by=user, intake_token=data["token"],
        state=State.CORRECTING, number=paper.placeholder(),
    )
    if data["action"] == "correct":
        app._change_reason = "intake"
        kind, html = DocumentKind.CORRECTION, paper.correction(t, app, app.missing, staff_id(user))
    else:
        _start_clock(t, app, data["received"])
        if data["action"] == "finish":
            app.state, app.finished, app.result = State.FINISHED, data["received"], data.get("result", "")
        app._change_reason = "intake-" + data["action"]
        kind, html = DocumentKind.RECEIPT, paper.receipt(t, app, user)
    placeholder = app.number
    try:
        with transaction.atomic():
            app.number = next_number(t, data["received"].year)
            app.save()
            _print(app, kind, html.replace(placeholder, app.number), user)
            pause("before-commit")
    except IntegrityError:  # sent twice at the same moment: the other one saved it
        existing = Application.objects.filter(intake_token=data["token"]).first()
        if existing is None:
            raise
        return existing
    pause("after-commit")
    return app


def supplement(t: Township, app_id: int, version: int, data: dict, user) -> Application:
    """补交: the materials brought now; `action` save, notice (a fresh notice of what is still missing) or
    accept (everything is in: 受理 on data["accepted"])."""
    with transaction.atomic():
        app = _locked(app_id, version, user, State.CORRECTING)
        action = data["action"]
        if action == "notice" and not paper.same_materials(t, app):
            raise StepRefused("desk_catalogue_changed_materials")
        app.brought, app.not_needed = sorted(data["brought"]), sorted(data["not_needed"])
        if data.get("applicant_type"):
            app.applicant_type = data["applicant_type"]
        if action == "accept":
            _start_clock(t, app, data["accepted"])
        app._change_reason = "supplement-" + action
        _save(app)
        if action == "notice":
            _print(app, DocumentKind.CORRECTION, paper.correction(t, app, app.missing, staff_id(user)), user)
        elif action == "accept":
            _print(app, DocumentKind.RECEIPT, paper.receipt(t, app, user), user)
        pause("before-commit")
    pause("after-commit")
    return app


def finish(t: Township, app_id: int, version: int, data: dict, user) -> Application:
    with transaction.atomic():
        app = _locked(app_id, version, user, State.ACCEPTED)
        app.state, app.finished, app.result = State.FINISHED, data["finished"], data["result"]
        app._change_reason = "finish"
        _save(app)
        pause("before-commit")
    return app


def refuse(t: Township, app_id: int, version: int, data: dict, user) -> Application:
    """不予受理 (the record was never accepted) or 不予许可 (it was), with the reason, in writing."""
    with transaction.atomic():
        app = _locked(app_id, version, user, State.CORRECTING, State.ACCEPTED)
        kind = DocumentKind.REJECTION if app.state == State.CORRECTING else DocumentKind.DENIAL
        app.state = State.REJECTED if kind == DocumentKind.REJECTION else State.DENIED
        app.finished, app.reason = data["decided"], data["reason"]
        app._change_reason = "refuse"
        _save(app)
        _print(app, kind, paper.decision(t, app, kind, user), user)
        pause("before-commit")
    return app


def void(t: Township, app_id: int, version: int, data: dict, user) -> Application:
    with transaction.atomic():
        app = _locked(app_id, version, user, *[s for s in State if s != State.VOID])
        app.state, app.reason = State.VOID, data["reason"]
        app._change_reason = "void"
        _save(app)
    return app


def settle_unknown_dues(queryset, township: Township) -> int:
    """Records whose due date waited for a year the calendar now knows get it (the history says so)."""
    settled = 0
    for app in queryset.filter(township=township.id, state=State.ACCEPTED, due=None, due_kind=DueKind.UNKNOWN_YEAR):
        if not township.calendar.knows(app.due_year or 0):
            continue
        with transaction.atomic():
            app = Application.objects.select_for_update().get(pk=app.pk)
            if app.due_kind != DueKind.UNKNOWN_YEAR:
                continue
            due = due_of(app.told, app.applicant_type, app.accepted, township.calendar)
            app.due, app.due_kind, app.due_year = due.date, due.kind, due.year
            app._change_reason = "calendar"
            _save(app)
            settled += 1
    return settled


# ---------------------------------------------------------------- helpers


def _start_clock(t: Township, app: Application, accepted: datetime.date) -> None:
    due = due_of(app.told, app.applicant_type, accepted, t.calendar)
    app.state, app.accepted = State.ACCEPTED, accepted
    app.due, app.due_kind, app.due_year = due.date, due.kind, due.year


def _locked(app_id: int, version: int, user, *states: str) -> Application:
    """The record, locked for this transaction, if `user` may see it, it is still at `version`, and it is in
    one of `states`. Raises Application.DoesNotExist, Conflict or StepRefused."""
    app = Application.objects.visible_to(user).select_for_update().get(pk=app_id)
    if app.version != version:
        raise Conflict(app)
    if app.state not in states:
        raise StepRefused("desk_wrong_state", state=app.get_state_display())
    return app


def _save(app: Application) -> None:
    app.version += 1
    app.save()


def _print(app: Application, kind: str, html: str, user) -> Document:
    return Document.objects.create(application=app, kind=kind, html=html, created_by=user)


def next_number(t: Township, year: int) -> str:
    """The next record number of the township's code and year (DHP-2026-000123), taken in the caller's
    transaction: two saves at once never get the same number, and a save that fails takes none."""
    Counter.objects.bulk_create([Counter(code=t.code, year=year)], ignore_conflicts=True)
    counter = Counter.objects.select_for_update().get(code=t.code, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{t.code}-{year}-{counter.last:06d}"


def staff_id(user) -> str | None:
    profile = getattr(user, "desk", None)
    return profile.staff_id if profile else None


def pause(point: str) -> None:
    """For the crash test only (KIOSK_DESK_PAUSE=point:FILE): create FILE and wait here to be killed."""
    spec = os.environ.get("KIOSK_DESK_PAUSE", "")
    if not spec.startswith(point + ":"):
        return
    Path(spec.split(":", 1)[1]).write_text(str(os.getpid()))
    while True:
        time.sleep(1)
