"""What a matter does not say: the elements a real guide can leave blank, found blank here.

Pages and sheets print 未载明 for them (or leave a badge out), `kiosk check` lists them as 提醒
(errors with --complete), and `kiosk export` carries them beside the null values.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..calendar import limits
from ..model import Catalogue, Matter
from ..problems import format_path

REASON = "未载明"


@dataclass(frozen=True)
class Unstated:
    loc: tuple  # where it belongs in the matter file, e.g. ("materials", 2, "is_need")
    label: str  # the element's Chinese name, e.g. 材料必要性


def unstated(m: Matter) -> list[Unstated]:
    """Every element the matter leaves blank, in the order of the page."""
    out: list[Unstated] = []

    def blank(value, loc, label):
        if (value is None or value == []) and loc[0] not in m.stated_none:  # 无 is said, not blank
            out.append(Unstated(loc, label))

    blank(m.task_type, ("task_type",), "事项类型")
    blank(m.dept_name, ("dept_name",), "实施主体")
    blank(m.accept_condition, ("accept_condition",), "受理条件")
    for i, x in enumerate(m.materials):
        blank(x.is_need, ("materials", i, "is_need"), f"材料{i + 1}的必要性")
        blank(x.source_type, ("materials", i, "source_type"), f"材料{i + 1}的来源")
        if x.original is None and x.copies is None and not x.copies_note:
            out.append(Unstated(("materials", i, "original"), f"材料{i + 1}的份数"))
    blank(m.steps, ("steps",), "办理流程")
    blank(m.project_type, ("project_type",), "办件类型")
    deadline = limits.deadline(m, None, None)
    if not deadline.committed:  # stage limits do not make a total
        out.append(Unstated(("promise_day",), "承诺办结时限"))
    if deadline.legal is None:
        out.append(Unstated(("anticipate_day",), "法定办结时限"))
    if deadline.timed and not m.time_start:
        out.append(Unstated(("time_start",), "时限从哪天算"))
    blank(m.limit_scene_num, ("limit_scene_num",), "到办事现场次数")
    blank(m.is_fee, ("is_fee",), "是否收费")
    blank(m.result_name, ("result_name",), "办理结果")
    blank(m.proxy, ("proxy",), "帮代办")
    blank(m.is_online, ("is_online",), "是否网上办")
    blank(m.by_law, ("by_law",), "设定依据")
    return out


def open_data(c: Catalogue) -> dict:
    """The JSON export (kiosk export, catalogue.json of a release): every field of the model, null where
    the guide says nothing, and beside it, by matter, each element left blank with the reason."""
    blanks = {
        m.id: [{"field": format_path(u.loc), "label": u.label, "reason": REASON} for u in unstated(m)]
        for m in c.matters
    }
    return c.model_dump(mode="json") | {"unstated": blanks}
