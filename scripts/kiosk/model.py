"""The typed catalogue: a matter (事项), the center, the catalogue's own facts.

Field names follow the national 事项 elements (task_name, materials[].is_need,
promise_day ...; see shared/reference/matter-fields.md); the center's own
extensions (keywords, summary, prerequisites, responsible, proxy ...) sit
beside them. Every field carries a Chinese description that flows into the
JSON Schema, so an editor shows it while the YAML is typed.

Only structure and types are checked here; rules that look at several fields
or several files live in `checks.py`.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
# Mainland numbers: mobile, landline with area code (0745-1234567), a local
# 7-8 digit number, short service numbers (110, 12345, 12388) with or without
# an area code (0745-12388), 400/800 lines.
PHONE_PATTERN = (
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,5})?|\d{7,8}|(0\d{2,3}-?)?1\d{2}(\d{2})?|[48]00-?\d{3}-?\d{4})$"
)

Id = Annotated[str, Field(pattern=ID_PATTERN, description="编号：小写英文字母、数字和连字符，如 dibao-apply")]
Url = Annotated[str, Field(pattern=URL_PATTERN, description="网址，必须以 http:// 或 https:// 开头")]
Phone = Annotated[str, Field(pattern=PHONE_PATTERN, description="电话号码，如 0745-4221234、13907451234 或 12345")]
Text = Annotated[str, Field(min_length=1)]

TaskType = Literal[
    "行政许可", "行政确认", "行政裁决", "行政给付", "行政奖励", "行政备案", "其他行政权力", "公共服务",
]
TaskState = Literal["在用", "暂停", "取消"]
ProjectType = Literal["即办件", "承诺件"]
Unit = Literal["工作日", "自然日", "月"]
IsNeed = Literal["必要", "非必要", "容缺后补", "信息免交"]
MaterialFormat = Literal["纸质", "电子", "纸质+电子"]
SourceType = Literal["申请人自备", "政府部门核发", "其他"]
ServerType = Literal["自然人", "企业法人", "事业法人", "社会组织法人", "非法人企业", "行政机关", "其他组织"]
ResultType = Literal["证照", "批文", "其他", "无"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# ---------------------------------------------------------------- a matter


class LawBasis(Strict):
    name: Text = Field(description="法律法规或文件名称，如《社会救助暂行办法》")
    doc_no: Optional[str] = Field(None, description="文号，如 国务院令第649号")
    article: Optional[str] = Field(None, description="条款，如 第十一条")
    content: Optional[str] = Field(None, description="条款内容（原文摘录）")


class Prerequisite(Strict):
    """Another matter of this catalogue (`matter`) or an outside approval (`name`)."""

    matter: Optional[Id] = Field(None, description="本目录中的前置事项编号（与 name 二选一）")
    name: Optional[str] = Field(None, description="目录外的前置审批或手续名称（与 matter 二选一）")
    issuer: Optional[str] = Field(None, description="由哪个部门办理")
    how_to_get: Optional[str] = Field(None, description="怎么办理（一句话）")
    note: Optional[str] = Field(None, description="补充说明")


class Material(Strict):
    material_name: Text = Field(description="材料名称")
    is_need: IsNeed = Field("必要", description="必要性：必要 / 非必要 / 容缺后补（先受理、后补交）/ 信息免交")
    situations: list[Text] = Field(default_factory=list, description="适用情形：只在这些情形下需要；不写表示都需要")
    material_format: MaterialFormat = Field("纸质", description="材料形式")
    original: int = Field(0, ge=0, description="原件份数（0 表示只需复印件）")
    copies: int = Field(0, ge=0, description="复印件份数")
    page_format: Optional[str] = Field(None, description="纸质规格，如 A4")
    source_type: SourceType = Field("申请人自备", description="来源渠道")
    source_explain: Optional[str] = Field(None, description="来源说明：到哪里开、找谁要")
    fill_explain: Optional[str] = Field(None, description="填报须知")
    accept_stand: Optional[str] = Field(None, description="受理标准")
    form: Optional[str] = Field(None, description="空白表格名称（窗口领取或打印）")
    example: Optional[str] = Field(None, description="示例样表说明")


class Step(Strict):
    name: Text = Field(description="环节名称，如 受理、审核、审批、公示")
    who: Optional[str] = Field(None, description="谁来办，如 乡民政办、村（居）委会、县民政局")
    time: Optional[str] = Field(None, description="时限，如 3 个工作日、当场")
    standard: Optional[str] = Field(None, description="办理标准")
    result: Optional[str] = Field(None, description="本环节结果")


class SpecialProcedure(Strict):
    name: Text = Field(description="特别程序名称，如 公示、入户调查")
    time: Optional[str] = Field(None, description="时间，如 7 天")
    basis: Optional[str] = Field(None, description="依据")
    counted: bool = Field(False, description="是否计入办理时限")


class Fee(Strict):
    fee_name: Text = Field(description="收费项目")
    fee_stand: Text = Field(description="收费标准")
    by_law: Optional[str] = Field(None, description="收费依据")
    reduction: Optional[str] = Field(None, description="减免政策")


class Responsible(Strict):
    dept: Optional[str] = Field(None, description="责任部门，如 乡社会事务综合服务中心")
    window: Id = Field(description="窗口编号（见中心文件的 windows）")
    person: Optional[Id] = Field(None, description="首问责任人的工号（见中心文件的 staff）；不写时为该窗口的第一位工作人员")
    phone: Optional[Phone] = Field(None, description="咨询电话；不写时用责任人的电话")
    location: Optional[str] = Field(None, description="具体位置，如 一楼 2 号窗口")


class Proxy(Strict):
    allowed: bool = Field(description="是否可以帮办、代办")
    needs_presence: bool = Field(False, description="申请人是否必须本人到场（如签字、采集照片）")
    reason: Optional[str] = Field(None, description="说明：为什么要本人到场，或代办时要带什么")
    priority_groups: list[Text] = Field(default_factory=list, description="优先帮代办的人群，如 老年人、残疾人")


class Faq(Strict):
    question: Text = Field(description="问题（用群众的话）")
    answer: Text = Field(description="回答（一两句大白话）")


class Partner(Strict):
    name: Text = Field(description="联办部门")
    role: Optional[str] = Field(None, description="负责哪一步，按办理先后写")


class Matter(Strict):
    """One service matter (事项), one file `matters/<id>.yaml`."""

    id: Id = Field(description="事项编号，与文件名相同，如 dibao-apply")
    task_name: Text = Field(description="事项名称")
    summary: Optional[str] = Field(None, description="一句话说明：这件事是做什么的（大白话）")
    keywords: list[Text] = Field(default_factory=list, description="俗称、检索词：群众平时怎么说，如 办低保、开证明")
    catalog_code: Optional[str] = Field(None, description="基本编码（照抄县里的事项清单，不要自编）")
    task_code: Optional[str] = Field(None, description="实施编码（照抄县里的事项清单，不要自编）")
    task_type: TaskType = Field(description="事项类型")
    task_state: TaskState = Field("在用", description="事项状态：暂停的事项在自助机上标明暂停")
    task_state_note: Optional[str] = Field(None, description="暂停或取消的原因、恢复时间")
    task_version: Optional[str] = Field(None, description="事项版本")
    plan_effective_date: Optional[datetime.date] = Field(None, description="生效日期，如 2025-01-01")
    use_level: Optional[str] = Field(None, description="行使层级，如 县级、乡级")
    dept_name: Text = Field(description="实施主体，如 沅陵县民政局")
    entrust_name: Optional[str] = Field(None, description="受委托或具体承办的部门，如 大合坪乡人民政府")
    other_dept: list[Partner] = Field(default_factory=list, description="联办机构，按办理先后")
    server_type: list[ServerType] = Field(default_factory=lambda: ["自然人"], description="服务对象")
    user_topic_type: list[Id] = Field(min_length=1, description="主题分类（见 _catalogue.yaml 的 topics）")
    audiences: list[Id] = Field(default_factory=list, description="重点人群（见 _catalogue.yaml 的 audiences）")
    handle_area: Optional[str] = Field(None, description="通办范围，如 全县、全乡")

    by_law: list[LawBasis] = Field(min_length=1, description="设定依据")
    accept_condition: list[Text] = Field(default_factory=list, description="受理条件，每条一句")
    prerequisites: list[Prerequisite] = Field(default_factory=list, description="前置事项或前置审批")
    refusal_cases: list[Text] = Field(default_factory=list, description="不予受理情形")
    limit_explain: Optional[str] = Field(None, description="数量限制")
    rights: list[Text] = Field(default_factory=list, description="申请人权利和救济途径；不写时用中心的统一说明")

    materials: list[Material] = Field(default_factory=list, description="申请材料")
    steps: list[Step] = Field(default_factory=list, description="办理流程，按先后")
    special_procedure: list[SpecialProcedure] = Field(default_factory=list, description="特别程序（如公示）")

    project_type: ProjectType = Field(description="办件类型：即办件（当场办结）或 承诺件")
    anticipate_day: Optional[int] = Field(None, gt=0, description="法定办结时限（数字）")
    anticipate_type: Unit = Field("工作日", description="法定时限单位")
    anticipate_explain: Optional[str] = Field(None, description="法定时限说明")
    promise_day: int = Field(0, ge=0, description="承诺办结时限（数字）；即办件写 0")
    promise_type: Unit = Field("工作日", description="承诺时限单位")
    promise_explain: Optional[str] = Field(None, description="承诺时限说明，如 公示期不计入")
    limit_scene_num: int = Field(1, ge=0, description="到办事现场次数，如 最多跑 1 次")

    is_fee: bool = Field(False, description="是否收费")
    fees: list[Fee] = Field(default_factory=list, description="收费项目")

    result_name: Optional[str] = Field(None, description="办理结果，如 低保证、证明")
    result_type: ResultType = Field("其他", description="结果类型")
    is_express: bool = Field(False, description="结果是否可以邮寄")

    transact_addr: Optional[str] = Field(None, description="办理地点；不写时用中心地址")
    transact_time: Optional[str] = Field(None, description="办理时间；不写时用中心办公时间")
    responsible: Responsible = Field(description="首问责任：窗口和责任人")
    proxy: Proxy = Field(description="帮代办")
    is_online: bool = Field(False, description="是否可以网上办")
    online_handle_url: Optional[Url] = Field(None, description="网上办理地址")
    mobile_terminal_url: Optional[Url] = Field(None, description="手机办理地址")
    faq: list[Faq] = Field(default_factory=list, description="常见问题")


# ---------------------------------------------------------------- the center


class Window(Strict):
    id: Id = Field(description="窗口编号")
    name: Text = Field(description="窗口名称，如 社会事务窗口")
    location: Optional[str] = Field(None, description="位置，如 一楼左手第 2 个")


class Staff(Strict):
    id: Id = Field(description="工号")
    name: Text = Field(description="姓名")
    role: Text = Field(description="岗位")
    window: Id = Field(description="所在窗口编号")
    phone: Phone = Field(description="工作电话")


class Hours(Strict):
    days: Text = Field(description="哪几天，如 周一至周五（法定节假日除外）")
    time: Text = Field(description="时间，如 上午 8:30-12:00，下午 14:30-17:30")


class Channel(Strict):
    id: Id = Field(description="渠道编号，如 center、discipline、hotline")
    name: Text = Field(description="渠道名称，如 县纪委监委")
    phone: Optional[Phone] = Field(None, description="电话")
    address: Optional[str] = Field(None, description="地址")
    url: Optional[Url] = Field(None, description="网址")
    note: Optional[str] = Field(None, description="说明")


class Complaints(Strict):
    channels: list[Channel] = Field(min_length=1, description="投诉渠道：中心、县纪委监委、12345")
    grounds: list[Text] = Field(min_length=1, description="可以投诉的情形（制度规定的六种）")
    ways: list[Text] = Field(min_length=1, description="投诉方式：口头、书面、电话、网络、举报箱")
    written_required: Optional[str] = Field(None, description="什么情况必须书面投诉")
    what_to_tell: Optional[str] = Field(None, description="投诉时要讲清楚什么")
    confidentiality: Text = Field(description="保密承诺")
    replies: Text = Field(description="怎么答复")


class Hotline(Strict):
    number: Phone = Field(description="热线号码，12345")
    name: Text = Field(description="热线名称")
    url: Optional[Url] = Field(None, description="热线网上渠道")


class Rating(Strict):
    name: Text = Field(description="名称，如 政务服务好差评")
    url: Url = Field(description="官方评价页面网址")


class UnresolvedDeadlines(Strict):
    immediate: Text = Field(description="能立即解决的：立即解决")
    general_days: int = Field(gt=0, description="一般事项：几个工作日内解决")
    complex_days: int = Field(gt=0, description="多部门、流程复杂的：几个工作日内答复")
    follow_up_days: int = Field(gt=0, description="办结后几个工作日内回访")


class Unresolved(Strict):
    """The 办不成事 window."""

    window: Id = Field(description="办不成事反映窗口的窗口编号")
    scope: list[Text] = Field(min_length=1, description="受理哪些情况")
    excluded: Optional[str] = Field(None, description="不纳入受理的情况")
    deadlines: UnresolvedDeadlines = Field(description="办理和回访时限")
    steps: list[Text] = Field(default_factory=list, description="工作流程")


class ProxyRules(Strict):
    who: list[Text] = Field(min_length=1, description="谁可以申请帮代办")
    how: list[Text] = Field(min_length=1, description="怎么申请")
    free: Text = Field(description="免费承诺")
    scope: Optional[str] = Field(None, description="哪些事项可以帮代办")


class Center(Strict):
    """The township center: file `matters/_center.yaml`."""

    id: Id = Field(description="中心编号，如 dahepingxiang")
    name: Text = Field(description="中心全称")
    short_name: Optional[str] = Field(None, description="简称")
    county: Text = Field(description="所属县")
    address: Text = Field(description="地址")
    phone: Phone = Field(description="中心总咨询电话")
    hours: list[Hours] = Field(min_length=1, description="办公时间")
    windows: list[Window] = Field(min_length=1, description="窗口")
    staff: list[Staff] = Field(min_length=1, description="工作人员")
    hotline: Hotline = Field(description="12345 热线")
    complaints: Complaints = Field(description="投诉受理")
    rating: Rating = Field(description="好差评")
    unresolved: Unresolved = Field(description="办不成事反映窗口")
    proxy_rules: ProxyRules = Field(description="帮代办规则")
    rights: list[Text] = Field(min_length=1, description="申请人权利和救济途径（统一说明）")
    base_url: Url = Field(description="自助机网站的公开网址（二维码用）")


# ---------------------------------------------------------------- the catalogue


class Topic(Strict):
    id: Id = Field(description="主题编号")
    name: Text = Field(description="主题名称，如 社会救助")
    icon: Optional[Id] = Field(None, description="图标：Material Design 图标名，如 hand-heart（见 pictogrammers.com/library/mdi）")


class Audience(Strict):
    id: Id = Field(description="人群编号")
    name: Text = Field(description="人群名称，如 老年人")
    icon: Optional[Id] = Field(None, description="图标：Material Design 图标名，如 hand-heart（见 pictogrammers.com/library/mdi）")


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
    default_township: Optional[Id] = Field(None, description="不指定 --township 时生成哪个乡镇（_townships/ 下的文件夹名）")
    county_center: Optional[CountyCenter] = Field(None, description="县政务服务中心：乡镇不办的事项到这里办")


class HolidaySpan(Strict):
    name: Text = Field(description="节日名称，如 春节")
    start: datetime.date = Field(description="放假第一天")
    end: datetime.date = Field(description="放假最后一天")


class CalendarYear(Strict):
    holidays: list[HolidaySpan] = Field(description="法定节假日（含调休放假）")
    workdays: list[datetime.date] = Field(default_factory=list, description="调休上班的周末")
    source: Optional[str] = Field(None, description="依据，如 国务院办公厅关于2027年部分节假日安排的通知")


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


class MatterChange(Strict):
    id: Id = Field(description="事项编号")
    name: Text = Field(description="事项名称")
    kinds: list[Text] = Field(min_length=1, description="变化类别：新增、取消、暂停、恢复、更名、材料、时限、收费、地点和电话、其他")
    lines: list[Text] = Field(min_length=1, description="变化说明")


class ChangeReport(Strict):
    """What changed in the last update: `matters/_changes.yaml`, written by `kiosk diff --save`."""

    old_version: Text = Field(description="旧目录版本")
    new_version: Text = Field(description="新目录版本")
    effective_date: datetime.date = Field(description="新目录生效日期")
    matters: list[MatterChange] = Field(default_factory=list, description="按事项的变化")
    center: list[Text] = Field(default_factory=list, description="中心信息的变化")


class Catalogue(Strict):
    """One township's view of the county catalogue: what pages, sheets and `kiosk export` use."""

    township: Id
    center: Center
    catalogue: CatalogueInfo
    matters: list[Matter]
    local: Local = Field(default_factory=Local)
    changes: Optional[ChangeReport] = None
