"""Who may do what with one record, in one table: `user.has_perm("desk.<perm>", record)` answers every view,
export, printed document and the admin (rules' ObjectPermissionBackend, listed in the settings after Django's
own ModelBackend, which answers what a role may do at all).

    view_<kind>          the record is in the person's scope (models.base.visible: the same query as lists)
    change_<kind>        and the role acts on records (window staff, the head; never the county)
    void_application     and the role may void applications
    coordinate_case      a 办不成事 case: the 办不成事 window or the head of its township (定时限, 交办, 回访, 归档, 作废)
    handle_case          the window the case was passed to, or a coordinator (办结, 反馈)
    take_complaint       a complaint: the 办不成事 window or the head of its township (调查, 答复, 办结, 作废)
    view_complainant     the complainant's identity and the outcome: the head of its township only
    view_document        a printed document: its record's; a 答复书 (it names the complainant) only with
                         view_complainant, or for the one who wrote it

tests/desk/test_access.py checks every address for every role against its own table, and generates a check
of every step of every kind from RULES and the models' `steps`.
"""

from __future__ import annotations

import rules

from . import roles
from .models import KINDS, Complaint
from .models.case import unresolved_window
from .models.complaint import NAMES_COMPLAINANT


@rules.predicate
def sees(user, record) -> bool:
    """The record is in the person's scope: asked of the database once per record object and person (a page
    asks it for every step and every printed document of the record)."""
    if record is None:
        return False
    seen = record.__dict__.setdefault("_seen_by", {})
    if user.pk not in seen:
        seen[user.pk] = type(record).objects.visible_to(user).filter(pk=record.pk).exists()
    return seen[user.pk]


def role_may(codename: str):
    """The role's group permission `codename` (Django's ModelBackend, never this table again)."""
    return rules.predicate(lambda user: roles.has(user, codename), name=f"role_may_{codename}")


@rules.predicate
def of_own_township(user, record) -> bool:
    p = roles.profile(user)
    return record is not None and p is not None and bool(p.township) and p.township == record.township


@rules.predicate
def at_unresolved_window(user, record) -> bool:
    p = roles.profile(user)
    return record is not None and p is not None and bool(p.window) and p.window == unresolved_window(record.township)


@rules.predicate
def at_its_window(user, record) -> bool:
    p = roles.profile(user)
    return record is not None and p is not None and bool(record.window) and p.window == record.window


head = of_own_township & role_may("view_township")
coordinator = sees & role_may("change_case") & of_own_township & (head | at_unresolved_window)
taker = sees & role_may("change_complaint") & of_own_township & (head | at_unresolved_window)

RULES = {
    **{f"view_{m._meta.model_name}": sees for m in KINDS},
    **{f"change_{m._meta.model_name}": sees & role_may(f"change_{m._meta.model_name}") for m in KINDS},
    "void_application": sees & role_may("void_application"),
    "coordinate_case": coordinator,
    "handle_case": coordinator | (sees & role_may("change_case") & of_own_township & at_its_window),
    "take_complaint": taker,
    "view_complainant": sees & head,
}


@rules.predicate
def document_shown(user, document) -> bool:
    record = document.record
    if not user.has_perm(f"desk.view_{record._meta.model_name}", record):
        return False
    if document.kind in NAMES_COMPLAINANT and isinstance(record, Complaint):
        return user.has_perm("desk.view_complainant", record) or document.created_by_id == user.pk
    return True


RULES["view_document"] = document_shown

for name, predicate in RULES.items():
    rules.add_perm(f"{roles.APP}.{name}", predicate)
