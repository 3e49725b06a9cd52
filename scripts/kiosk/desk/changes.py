"""A record's history as a person reads it: who, when, which step, and each field from what to what, for
every kind of record alike. The rows come from django-simple-history (declared on models.base.Kept, kept by
every save); the documents printed along the way are listed with the step that printed them, those the
person may fetch. What presenters.py hides stays hidden: a secret field says only that it changed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from kiosk.problems import message

from . import presenters

HIDDEN = {"version", "told", "id", "token", "updated_at", "created_at", "township"}  # internal, or never changed


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
    step: str  # the change reason the step gave: intake-accept, supplement-save, finish, case-classify, calendar …
    created: bool
    changes: list[Change] = field(default_factory=list)
    documents: list = field(default_factory=list)


def history(record, user) -> list[Entry]:
    model = type(record)
    hidden = HIDDEN | ({"window"} if not model.scope.window else set())
    if not presenters.may_read_all(record, user):
        hidden |= set(presenters.head_only_fields(model)) - set(presenters.secret_fields(model))
    secret = set(presenters.secret_fields(model))
    meta = {f.name: f for f in model._meta.concrete_fields}
    rows = list(record.history.order_by("history_date", "history_id").select_related("history_user__desk"))
    out, previous = [], None

    def shown(row, name):
        value = getattr(row, name)
        if name in secret:
            return message("desk_complaint_secret_changed") if value else None
        display = getattr(row, f"get_{name}_display", None)
        if display is not None and value:
            return display()
        if isinstance(value, bool):
            return message("desk_yes") if value else None
        if name == "grounds":
            return "；".join(value or [])
        if name in ("brought", "not_needed"):
            return sorted(value or [])
        return value

    for row in rows:
        entry = Entry(row.history_date, who(row.history_user), row.history_change_reason or "", previous is None)
        if previous is None:
            names = [n for n in meta if n not in hidden and shown(row, n) not in (None, "", [])]
            entry.changes = [Change(n, str(meta[n].verbose_name), None, shown(row, n)) for n in names]
        else:
            entry.changes = [
                Change(c.field, str(meta[c.field].verbose_name), shown(previous, c.field), shown(row, c.field))
                for c in row.diff_against(previous).changes
                if c.field not in hidden
            ]
        out.append(entry)
        previous = row
    for doc in record.documents.order_by("created_at", "id") if hasattr(record, "documents") else []:
        if not user.has_perm("desk.view_document", doc):
            continue
        owner = next((e for e in reversed(out) if e.when <= doc.created_at), out[0] if out else None)
        if owner is not None:
            owner.documents.append(doc)
    return out


def who(user) -> tuple[str, str] | None:
    if user is None:
        return None
    profile = getattr(user, "desk", None)
    return (profile.name if profile else user.get_username(), profile.staff_id if profile else "")
