"""What changed between two catalogues, in plain Chinese, grouped by matter.

Staff must learn exactly what changed so every window keeps giving the same
answer. `compare()` returns a `ChangeReport` (the model of `_changes.yaml`,
which the kiosk shows as 最近更新); `lines()` renders it as text.
"""

from __future__ import annotations

from .model import ChangeReport, MatterChange, Material
from .view import CatalogueView, MatterView

KIND_ORDER = ["新增", "取消", "暂停", "恢复", "更名", "材料", "时限", "收费", "地点和电话", "其他"]


def compare(old: CatalogueView, new: CatalogueView) -> ChangeReport:
    changes: list[MatterChange] = []
    old_ids, new_ids = set(old.matters), set(new.matters)
    for mid in sorted(new_ids - old_ids):
        m = new.matters[mid]
        changes.append(MatterChange(id=mid, name=m.task_name, kinds=["新增"], lines=[f"新增事项：{m.task_name}"]))
    for mid in sorted(old_ids - new_ids):
        m = old.matters[mid]
        changes.append(MatterChange(id=mid, name=m.task_name, kinds=["取消"], lines=[f"不再办理：{m.task_name}"]))
    for mid in sorted(old_ids & new_ids):
        found = _matter_changes(old.view(mid), new.view(mid))
        if found:
            kinds = sorted({k for k, _ in found}, key=KIND_ORDER.index)
            changes.append(MatterChange(id=mid, name=new.matters[mid].task_name, kinds=kinds,
                                        lines=[line for _, line in found]))
    return ChangeReport(
        old_version=old.c.catalogue.version, new_version=new.c.catalogue.version,
        effective_date=new.c.catalogue.effective_date, matters=changes, center=_center_changes(old, new),
    )


def _matter_changes(a: MatterView, b: MatterView) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    ma, mb = a.m, b.m
    if ma.task_state != mb.task_state:
        kind = "暂停" if mb.task_state == "暂停" else "恢复" if mb.task_state == "在用" else "取消"
        out.append((kind, f"状态：{ma.task_state} → {mb.task_state}" + (f"（{mb.task_state_note}）" if mb.task_state_note else "")))
    if ma.task_name != mb.task_name:
        out.append(("更名", f"名称：{ma.task_name} → {mb.task_name}"))
    out += [("材料", line) for line in _material_changes(ma.materials, mb.materials)]
    out += _time_changes(ma, mb)
    if (ma.is_fee, ma.fees) != (mb.is_fee, mb.fees):
        fa, fb = _fee_text(ma), _fee_text(mb)
        out.append(("收费", f"收费：{fa} → {fb}"))
    for label, va, vb in (
        ("窗口", a.window.name, b.window.name),
        ("首问责任人", a.person.name, b.person.name),
        ("首问责任人电话", a.phone, b.phone),
        ("咨询电话", "、".join(c.phone for c in a.consult), "、".join(c.phone for c in b.consult)),
        ("监督电话", "、".join(c.phone for c in ma.supervise_way), "、".join(c.phone for c in mb.supervise_way)),
        ("办理地点", a.address, b.address),
        ("办理时间", ma.transact_time, mb.transact_time),
    ):
        if va != vb:
            out.append(("地点和电话", f"{label}：{va or '（未写）'} → {vb or '（未写）'}"))
    for label, field in (("按申请人分的承诺时限", "promise_by"), ("补助标准", "standards"),
                         ("到现场次数", "limit_scene_num"), ("办理条件", "accept_condition"), ("前置事项", "prerequisites"), ("办理步骤", "steps"),
                         ("不予受理情形", "refusal_cases"), ("帮代办", "proxy"), ("设定依据", "by_law"),
                         ("一句话说明", "summary"), ("常见问题", "faq")):
        if getattr(ma, field) != getattr(mb, field):
            out.append(("其他", f"{label}有变化，请看新的告知单"))
    return out


def _material_changes(old: list[Material], new: list[Material]) -> list[str]:
    a = {x.material_name: x for x in old}
    b = {x.material_name: x for x in new}
    out = [f"新增材料：{name}" for name in b if name not in a]
    out += [f"不再需要：{name}" for name in a if name not in b]
    for name in b:
        if name in a and a[name] != b[name]:
            parts = []
            x, y = a[name], b[name]
            if x.is_need != y.is_need:
                parts.append(f"{x.is_need or '必要性未载明'} → {y.is_need or '必要性未载明'}")
            if (x.original, x.copies) != (y.original, y.copies):
                parts.append(f"{_copies_text(x)} → {_copies_text(y)}")
            if x.situations != y.situations:
                parts.append("适用情形有变化")
            if not parts:
                parts.append("说明有变化")
            out.append(f"材料“{name}”：" + "；".join(parts))
    return out


def _time_changes(ma, mb) -> list[tuple[str, str]]:
    out = []
    for label, (da, ua), (db, ub) in (
        ("承诺时限", (ma.promise_day, ma.promise_type), (mb.promise_day, mb.promise_type)),
        ("法定时限", (ma.anticipate_day, ma.anticipate_type), (mb.anticipate_day, mb.anticipate_type)),
    ):
        if (da, ua) == (db, ub):
            continue
        text_a, text_b = _limit_text(label, da, ua), _limit_text(label, db, ub)
        trend = ""
        if ua == ub and da is not None and db is not None:
            trend = "缩短" if db < da else "延长"
        out.append(("时限", f"{label}{trend}：{text_a} → {text_b}"))
    return out


def _copies_text(x: Material) -> str:
    if x.original is None and x.copies is None:
        return "份数未载明"
    return f"原件 {x.original or 0}、复印件 {x.copies or 0} 份"


def _limit_text(label: str, day: int | None, unit: str | None) -> str:
    if day is None:
        return "未载明"
    return "当场办结" if day == 0 and label == "承诺时限" else f"{day} 个{unit}"


def _fee_text(m) -> str:
    if m.fees:
        return "；".join(f"{f.fee_name} {f.fee_stand}" for f in m.fees)
    return {True: "收费", False: "免费", None: "未载明"}[m.is_fee]


def _center_changes(old: CatalogueView, new: CatalogueView) -> list[str]:
    out = []
    ca, cb = old.c.center, new.c.center
    if ca.phone != cb.phone:
        out.append(f"中心电话：{ca.phone} → {cb.phone}")
    if ca.address != cb.address:
        out.append(f"中心地址：{ca.address} → {cb.address}")
    if ca.hours != cb.hours:
        out.append("办公时间有变化")
    sa = {s.id: s for s in ca.staff}
    sb = {s.id: s for s in cb.staff}
    for sid in sb:
        if sid not in sa:
            out.append(f"新来工作人员：{sb[sid].name}（{sb[sid].role}，{sb[sid].phone}）")
        else:
            a, b = sa[sid], sb[sid]
            parts = [f"{label} {x} → {y}" for label, x, y in (
                ("姓名", a.name, b.name), ("电话", a.phone, b.phone),
                ("窗口", old.windows[a.window].name, new.windows[b.window].name),
                ("岗位", a.role, b.role)) if x != y]
            if parts:
                out.append(f"工作人员 {a.name}（{sid}）：" + "，".join(parts))
    for sid in sa:
        if sid not in sb:
            out.append(f"不再在中心：{sa[sid].name}（{sa[sid].role}）")
    if ca.complaints != cb.complaints:
        out.append("投诉渠道有变化")
    return out


def lines(report: ChangeReport) -> list[str]:
    """The report as plain text lines."""
    out = [f"事项目录 {report.old_version} → {report.new_version}（{report.effective_date} 起施行）"]
    if not report.matters and not report.center:
        out.append("没有变化。")
        return out
    for kind in KIND_ORDER:
        group = [c for c in report.matters if c.kinds[0] == kind]
        if not group:
            continue
        out.append("")
        out.append(f"【{kind}】{len(group)} 项")
        for c in group:
            out.append(f"  {c.name}（{c.id}）")
            out += [f"    - {line}" for line in c.lines]
    if report.center:
        out.append("")
        out.append("【中心信息】")
        out += [f"  - {line}" for line in report.center]
    return out


def to_yaml(report: ChangeReport) -> str:
    """The report as `_changes.yaml`."""
    import yaml

    header = "# 最近一次目录更新的变化，由 `kiosk diff 旧 新 --save` 生成；自助机的“最近更新”页和各事项的“更新于”用它。\n"
    return header + yaml.safe_dump(report.model_dump(mode="json"), allow_unicode=True, sort_keys=False, width=100_000)
