"""The catalogue's own facts, the calendar, a township's overlay, the last change report, and one township's
whole catalogue."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal, Optional

from pydantic import Field

from .center import Center
from .matter import Material, Matter
from .types import ID_PATTERN, Id, Phone, Strict, Text

# ---------------------------------------------------------------- the catalogue


class Topic(Strict):
    id: Id = Field(description="主题编号")
    name: Text = Field(description="主题名称，如 社会救助")
    icon: Optional[Id] = Field(
        None, description="图标：Material Design 图标名，如 hand-heart（见 pictogrammers.com/library/mdi）"
    )


class Audience(Strict):
    id: Id = Field(description="人群编号")
    name: Text = Field(description="人群名称，如 老年人")
    icon: Optional[Id] = Field(
        None, description="图标：Material Design 图标名，如 hand-heart（见 pictogrammers.com/library/mdi）"
    )


class CountyCenter(Strict):
    name: Text = Field(description="县政务服务中心名称")
    address: Text = Field(description="地址")
    phone: Optional[Phone] = Field(None, description="咨询电话")
    hours: Optional[str] = Field(None, description="办公时间")


class CatalogueInfo(Strict):
    """The catalogue's own facts: file `matters/_catalogue.yaml`."""

    version: Text = Field(description="目录版本，如 2025.1")
    effective_date: datetime.date = Field(description="生效日期，如 2025-03-01")
    publisher: Text = Field(description="发布单位")
    sample: bool = Field(False, description="示例数据：为 true 时每页、每张告知单都标明“示例数据”")
    topics: list[Topic] = Field(min_length=1, description="主题（浏览分类）")
    audiences: list[Audience] = Field(default_factory=list, description="重点人群")
    default_township: Optional[Id] = Field(
        None, description="不指定 --township 时生成哪个乡镇（_townships/ 下的文件夹名）"
    )
    county_center: Optional[CountyCenter] = Field(None, description="县政务服务中心：乡镇不办的事项到这里办")


class HolidaySpan(Strict):
    name: Text = Field(description="节日名称，如 春节")
    start: datetime.date = Field(description="放假第一天")
    end: datetime.date = Field(description="放假最后一天")


class CalendarYear(Strict):
    holidays: list[HolidaySpan] = Field(description="法定节假日（含调休放假）")
    workdays: list[datetime.date] = Field(default_factory=list, description="调休上班的周末")
    source: Optional[str] = Field(None, description="依据，如 国务院办公厅关于2027年部分节假日安排的通知")
    override: Optional[str] = Field(
        None,
        description="通知与日历程序库（chinese-calendar）不一致、仍照通知写入的理由"
        "（kiosk calendar add --override）；这一年以本文件为准",
    )
    differs: list[str] = Field(
        default_factory=list,
        description="照通知写入时与日历程序库不一致的日期，如 10月8日（周四）：通知写的是放假，日历库里是工作日",
    )


class CalendarFile(Strict):
    """Years the chinese-calendar library does not know yet: `matters/_calendar.yaml`."""

    years: dict[int, CalendarYear] = Field(default_factory=dict, description="按年份")


def slug_ok(text: str) -> bool:
    return re.fullmatch(ID_PATTERN, text) is not None


# ---------------------------------------------------------------- a township's own overlay


class MatterOverride(Strict):
    window: Optional[Id] = Field(None, description="本乡镇由哪个窗口办理")
    person: Optional[Id] = Field(None, description="本乡镇的首问责任人工号")
    phone: Optional[Phone] = Field(None, description="本乡镇的咨询电话")
    location: Optional[str] = Field(None, description="本乡镇的具体位置")
    transact_time: Optional[str] = Field(None, description="本乡镇的办理时间")
    notes: list[Text] = Field(default_factory=list, description="本地说明（印在告知单和网页上）")
    keywords: list[Text] = Field(
        default_factory=list, description="本乡镇群众的说法（俗称），接在县目录的俗称后面，自助机上能搜到"
    )
    extra_materials: list[Material] = Field(default_factory=list, description="本乡镇另外要带的材料")


class NotHandled(Strict):
    matter: Id = Field(description="本乡镇不办的县目录事项编号")
    where: Optional[str] = Field(None, description="到哪里办；不写时为县政务服务中心")
    address: Optional[str] = Field(None, description="地址")
    phone: Optional[Phone] = Field(None, description="电话")
    note: Optional[str] = Field(None, description="说明")


class Local(Strict):
    """A township's own notes on the county's matters: `matters/_townships/<id>/local.yaml`."""

    matters: dict[Id, MatterOverride] = Field(default_factory=dict, description="按事项编号的本地调整")
    not_handled: list[NotHandled] = Field(default_factory=list, description="本乡镇不办、要到县里办的事项")


# ---------------------------------------------------------------- the last change report


ChangeKind = Literal[
    "added", "cancelled", "paused", "resumed", "renamed", "materials", "limits", "fees", "contacts", "other"
]


class Change(Strict):
    """One change, as data; templates/changes.txt words it (for kiosk diff, the 变更通知 and 最近更新)."""

    what: Annotated[str, Field(pattern=r"^[a-z_]+$")] = Field(description="哪一种变化（见 templates/changes.txt）")
    label: Optional[Text] = Field(None, description="变化的是哪一个：材料名、字段、工作人员")
    before: Any = Field(None, description="原来的值")
    after: Any = Field(None, description="现在的值")
    note: Optional[Text] = Field(None, description="附注，如暂停的原因")


class MatterChange(Strict):
    id: Id = Field(description="事项编号")
    name: Text = Field(description="事项名称")
    kinds: list[ChangeKind] = Field(min_length=1, description="变化类别")
    changes: list[Change] = Field(min_length=1, description="变化")


class ChangeReport(Strict):
    """What changed in the last update: `matters/_changes.yaml`, written by `kiosk diff --save`."""

    old_version: Text = Field(description="旧目录版本")
    new_version: Text = Field(description="新目录版本")
    effective_date: datetime.date = Field(description="新目录生效日期")
    matters: list[MatterChange] = Field(default_factory=list, description="按事项的变化")
    center: list[Change] = Field(default_factory=list, description="中心信息的变化")


class Catalogue(Strict):
    """One township's view of the county catalogue: what pages, sheets and `kiosk export` use."""

    township: Id
    center: Center
    catalogue: CatalogueInfo
    matters: list[Matter]
    local: Local = Field(default_factory=Local)
    changes: Optional[ChangeReport] = None
