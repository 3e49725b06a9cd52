"""What changed between two catalogues, grouped by matter, as data.

Staff must learn exactly what changed so every window keeps giving the same answer. `compare()` returns a
`ChangeReport` (the model of `_changes.yaml`, which the kiosk shows as 最近更新); templates/changes.txt
words each change the same way for `kiosk diff`, the signed 变更通知 and the kiosk.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..catalogue.view import CatalogueView, MatterView
from ..model import Change, ChangeReport, Material, MatterChange
from ..text import render

KINDS = ["added", "cancelled", "paused", "resumed", "renamed", "materials", "limits", "fees", "contacts", "other"]
STATE_KIND = {"暂停": "paused", "在用": "resumed", "取消": "cancelled"}
LIMITS = {"promise": ("promise_day", "promise_type"), "anticipate": ("anticipate_day", "anticipate_type")}
# fields whose change is only named (the new sheet says how): templates/changes.txt has their names
OTHER_FIELDS = (
    "promise_by",
    "standards",
    "limit_scene_num",
    "accept_condition",
    "prerequisites",
    "steps",
    "refusal_cases",
    "proxy",
    "by_law",
    "summary",
    "faq",
    "time_start",
    "accept_period",
    "apply_ahead",
    "agent",
    "other_elements",
    "stated_none",
)


def compare(old: CatalogueView, new: CatalogueView) -> ChangeReport:
    changes: list[MatterChange] = []
    old_ids, new_ids = set(old.matters), set(new.matters)
    for mid in sorted(new_ids - old_ids):
        changes.append(
            MatterChange(
                id=mid,
                name=new.matters[mid].task_name,
                kinds=["added"],
                changes=[Change(what="added", label=new.matters[mid].task_name)],
            )
        )
    for mid in sorted(old_ids - new_ids):
        changes.append(
            MatterChange(
                id=mid,
                name=old.matters[mid].task_name,
                kinds=["cancelled"],
                changes=[Change(what="cancelled", label=old.matters[mid].task_name)],
            )
        )
    for mid in sorted(old_ids & new_ids):
        found = list(_matter_changes(old.view(mid), new.view(mid)))
        if found:
            changes.append(
                MatterChange(
                    id=mid,
                    name=new.matters[mid].task_name,
                    kinds=sorted({kind for kind, _ in found}, key=KINDS.index),
                    changes=[change for _, change in found],
                )
            )
    return ChangeReport(
        old_version=old.c.catalogue.version,
        new_version=new.c.catalogue.version,
        effective_date=new.c.catalogue.effective_date,
        matters=changes,
        center=list(_center_changes(old, new)),
    )


def _matter_changes(a: MatterView, b: MatterView) -> Iterator[tuple[str, Change]]:
    ma, mb = a.m, b.m
    if ma.task_state != mb.task_state:
        yield (
            STATE_KIND[mb.task_state],
            Change(what="state", before=ma.task_state, after=mb.task_state, note=mb.task_state_note),
        )
    if ma.task_name != mb.task_name:
        yield "renamed", Change(what="name", before=ma.task_name, after=mb.task_name)
    yield from (("materials", c) for c in _material_changes(ma.materials, mb.materials))
    for label, (day, unit) in LIMITS.items():
        before, after = _limit(ma, day, unit), _limit(mb, day, unit)
        if before != after:
            yield "limits", Change(what="limit", label=label, before=before, after=after)
    if (ma.is_fee, ma.fees) != (mb.is_fee, mb.fees):
        yield "fees", Change(what="fee", before=_fee(ma), after=_fee(mb))
    for label, before, after in (
        ("window", a.window.name, b.window.name),
        ("person", a.person.name, b.person.name),
        ("person_phone", a.phone, b.phone),
        ("consult", _ways(a.consult), _ways(b.consult)),
        ("supervise", _ways(ma.supervise_way), _ways(mb.supervise_way)),
        ("address", a.address, b.address),
        ("hours", ma.transact_time, mb.transact_time),
    ):
        if before != after:
            yield "contacts", Change(what="contact", label=label, before=before or None, after=after or None)
    for field in OTHER_FIELDS:
        if getattr(ma, field) != getattr(mb, field):
            yield "other", Change(what="other", label=field)


def _material_changes(old: list[Material], new: list[Material]) -> Iterator[Change]:
    a = {x.material_name: x for x in old}
    b = {x.material_name: x for x in new}
    yield from (Change(what="material_added", label=name) for name in b if name not in a)
    yield from (Change(what="material_removed", label=name) for name in a if name not in b)
    for name in b:
        if name not in a or a[name] == b[name]:
            continue
        x, y = a[name], b[name]
        found = []
        if x.is_need != y.is_need:
            found.append(Change(what="material_need", label=name, before=x.is_need, after=y.is_need))
        if (x.original, x.copies) != (y.original, y.copies):
            found.append(Change(what="material_copies", label=name, before=_copies(x), after=_copies(y)))
        if x.situations != y.situations:
            found.append(Change(what="material_situations", label=name))
        yield from found or [Change(what="material_other", label=name)]


def _limit(m, day: str, unit: str) -> dict:
    return {"days": getattr(m, day), "unit": getattr(m, unit)}


def _copies(x: Material) -> dict:
    return {"original": x.original, "copies": x.copies}


def _fee(m) -> dict:
    return {"is_fee": m.is_fee, "fees": [{"name": f.fee_name, "stand": f.fee_stand} for f in m.fees]}


def _center_changes(old: CatalogueView, new: CatalogueView) -> Iterator[Change]:
    ca, cb = old.c.center, new.c.center
    for what, before, after in (("center_phone", ca.phone, cb.phone), ("center_address", ca.address, cb.address)):
        if before != after:
            yield Change(what=what, before=before, after=after)
    if ca.hours != cb.hours:
        yield Change(what="center_hours")
    sa = {s.id: s for s in ca.staff}
    sb = {s.id: s for s in cb.staff}
    for sid, s in sb.items():
        if sid not in sa:
            yield Change(what="staff_added", label=s.name, after={"role": s.role, "phone": s.phone})
            continue
        before = {
            "name": sa[sid].name,
            "phone": sa[sid].phone,
            "window": old.windows[sa[sid].window].name,
            "role": sa[sid].role,
        }
        after = {"name": s.name, "phone": s.phone, "window": new.windows[s.window].name, "role": s.role}
        if before != after:
            changed = [k for k in before if before[k] != after[k]]
            yield Change(
                what="staff_changed",
                label=sa[sid].name,
                note=sid,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    for sid, s in sa.items():
        if sid not in sb:
            yield Change(what="staff_removed", label=s.name, before={"role": s.role})
    if ca.complaints != cb.complaints:
        yield Change(what="center_complaints")


def lines(report: ChangeReport) -> list[str]:
    """The report as plain text lines (kiosk diff)."""
    return render.render("changes-report.txt", report=report, kinds=KINDS).rstrip("\n").split("\n")


def to_yaml(report: ChangeReport) -> str:
    """The report as `_changes.yaml`."""
    import yaml

    return render.render("changes-file.txt") + yaml.safe_dump(
        report.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False, width=100_000
    )


def _ways(contacts) -> str:
    """Each contact's phone, or its window, web address or address where it gives no phone."""
    return "、".join(c.phone or c.window or c.url or c.address for c in contacts)
