"""A record's history as a person reads it: who, when, which step, and each field from what to what.

The rows come from django-simple-history (declared on the model, kept by every save); the documents
printed along the way are listed with the step that printed them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .models import Application, State

HIDDEN = {"version", "told", "id", "intake_token", "updated_at", "created_at"}  # internal, or never changed
FIRST = ["number", "matter_name", "applicant", "phone", "id_last4", "applicant_type", "state", "received",
         "accepted", "due", "due_kind", "due_year", "finished", "result", "reason", "brought", "not_needed"]


@dataclass
class Change:
    field: str
    label: str
    before: object  # the value shown: a text, a date, a list of material numbers, or None (empty)
    after: object


@dataclass
class Entry:
    when: datetime.datetime
    who: tuple[str, str] | None  # the staff member's name and staff id; None: the desk itself (the calendar)
    step: str  # the change reason the step gave: intake-accept, supplement-save, finish, refuse, void, calendar …
    created: bool
    changes: list[Change] = field(default_factory=list)
    documents: list = field(default_factory=list)


def history(app: Application) -> list[Entry]:
    rows = list(app.history.order_by("history_date", "history_id").select_related("history_user__desk"))
    documents = list(app.documents.order_by("created_at", "id"))
    meta = {f.name: f for f in Application._meta.get_fields() if hasattr(f, "verbose_name")}
    out, previous = [], None
    for row in rows:
        entry = Entry(row.history_date, _who(row.history_user), row.history_change_reason or "", previous is None)
        if previous is None:
            names = [n for n in FIRST if _shown(row, n) not in (None, "", [])]
            entry.changes = [Change(n, str(meta[n].verbose_name), None, _shown(row, n)) for n in names]
        else:
            delta = row.diff_against(previous)
            entry.changes = [Change(c.field, str(meta[c.field].verbose_name), _shown(previous, c.field), _shown(row, c.field))
                             for c in delta.changes if c.field not in HIDDEN]
        out.append(entry)
        previous = row
    # each printed document goes with the step that saved it (the last one saved before it)
    for doc in documents:
        owner = next((e for e in reversed(out) if e.when <= doc.created_at), out[0] if out else None)
        if owner is not None:
            owner.documents.append(doc)
    return out


def _shown(row, name: str):
    value = getattr(row, name)
    if name == "state":
        return State(value).label if value else None
    if name == "due_kind":
        return row.get_due_kind_display() if value else None
    if name in ("brought", "not_needed"):
        return sorted(value or [])
    return value


def _who(user) -> tuple[str, str] | None:
    if user is None:
        return None
    profile = getattr(user, "desk", None)
    return (profile.name, profile.staff_id) if profile else (user.get_username(), "")
