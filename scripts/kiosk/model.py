"""The typed catalogue: a matter (事项), the center, the catalogue's own facts.

Field names follow the national 事项 elements (task_name, materials[].is_need,
promise_day ...; see shared/reference/matter-fields.md); the center's own
extensions (keywords, summary, prerequisites, responsible, proxy ...) sit
beside them. Every field carries a Chinese description that flows into the
JSON Schema, so an editor shows it while the YAML is typed.

Unknown is a state, never a default: every element a real guide can leave
blank is optional here and stays None (or an empty list) when the editor did
not write it. Pages and sheets then say 未载明; nothing prints 免费 or 最多跑
1 次 because a field was left out (kiosk.unstated lists what is unknown).

Only structure and types are checked here; rules that look at several fields
or several files live in `checks.py`.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
# Mainland numbers: mobile, landline with area code (0745-1234567), a local
# 7-8 digit number, short service numbers (110, 12345, 12388) with or without
# an area code (0745-12388), 400/800 lines.
PHONE_PATTERN = (
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,5})?|\d{7,8}|(0\d{2,3}-?)?1\d{2}(\d{2})?|[48]00-?\d{3}-?\d{4})$"
)
YES_WORDS = {"是": True, "否": False}


def _yes_no(value):
    """是/否 as well as true/false: county editors write the words of their spreadsheets."""
    return YES_WORDS.get(value.strip(), value) if isinstance(value, str) else value


Id = Annotated[str, Field(pattern=ID_PATTERN, description="编号：小写英文字母、数字和连字符，如 dibao-apply")]
Url = Annotated[str, Field(pattern=URL_PATTERN, description="网址，必须以 http:// 或 https:// 开头")]
Phone = Annotated[str, Field(pattern=PHONE_PATTERN, description="电话号码，如 0745-4221234、13907451234 或 12345")]
Text = Annotated[str, Field(min_length=1)]
YesNo = Annotated[bool, BeforeValidator(_yes_no)]

TaskType = Literal[
    "行政许可", "行政确认", "行政裁决", "行政给付", "行政奖励", "行政备案", "其他行政权力", "公共服务",
]
TaskState = Literal["在用", "暂停", "取消"]
ProjectType = Literal["即办件", "承诺件"]
# 日: the guide says "日" without saying working or natural days; no date is computed from it
Unit = Literal["工作日", "自然日", "日", "月"]
IsNeed = Literal["必要", "非必要", "容缺后补", "信息免交"]
MaterialFormat = Literal["纸质", "电子", "纸质+电子"]
SourceType = Literal["申请人自备", "政府部门核发", "其他"]
ServerType = Literal["自然人", "企业法人", "事业法人", "社会组织法人", "非法人企业", "行政机关", "其他组织"]
ResultType = Literal["证照", "批文", "其他", "无"]
OriginalUse = Literal["核验", "提交"]
Match = Literal["任一", "全部"]
OnlineDepth = Literal["一级", "二级", "三级", "四级"]


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
    is_need: Optional[IsNeed] = Field(
        None, description="必要性：必要 / 非必要 / 容缺后补（先受理、后补交）/ 信息免交；不写为未载明")
    situations: list[Text] = Field(default_factory=list, description="适用情形：只在这些情形下需要；不写表示都需要")
    situations_match: Optional[Match] = Field(
        None, description="情形有几条时怎么算：任一（符合其中一条就要）或 全部（同时符合才要）")
    applicants: list[Text] = Field(
        default_factory=list, description="适用申请人：哪些申请人类型要带（见事项的 applicant_types）；不写表示都要")
    material_format: Optional[MaterialFormat] = Field(None, description="材料形式：纸质 / 电子 / 纸质+电子")
    original: Optional[int] = Field(None, ge=0, description="原件份数；不写为未载明")
    copies: Optional[int] = Field(None, ge=0, description="复印件份数；不写为未载明")
    copies_note: Optional[str] = Field(
        None, description="份数说明：原指南只写了“原件及复印件”“2 张”等、没写成几份时，照原文写")
    original_use: Optional[OriginalUse] = Field(
        None, description="原件怎么用：核验（看过后退还）或 提交（交给窗口留存）")
    page_format: Optional[str] = Field(None, description="规格，如 A4 纸、1 寸红底照片")
    source_type: Optional[SourceType] = Field(None, description="来源渠道：申请人自备 / 政府部门核发 / 其他；不写为未载明")
    source_explain: Optional[str] = Field(None, description="来源说明：到哪里开、找谁要")
    fill_explain: Optional[str] = Field(None, description="填报须知")
    accept_stand: Optional[str] = Field(None, description="受理标准")
    form: Optional[str] = Field(None, description="空白表格：名称和在哪里领取（窗口领取或打印）")
    form_url: Optional[Url] = Field(None, description="空白表格的下载网址（告知单上印成二维码）")
    example: Optional[str] = Field(None, description="示例样表：名称和在哪里看")
    example_url: Optional[Url] = Field(None, description="示例样表的网址（告知单上印成二维码）")


class Step(Strict):
    name: Text = Field(description="环节名称，如 受理、审核、审批、公示")
    who: Optional[str] = Field(None, description="谁来办，如 乡民政办、村（居）委会、县民政局")
    time: Optional[str] = Field(
        None, description="时限，照原指南写，如 10 个工作日、5 日、1 个月、当场；写成这样的能算出日期")
    standard: Optional[str] = Field(None, description="办理标准")
    result: Optional[str] = Field(None, description="本环节结果")


class SpecialProcedure(Strict):
    name: Text = Field(description="特别程序名称，如 公示、评议、鉴定、听证、专家评审")
    time: Optional[str] = Field(None, description="时间，照原指南写，如 7 天、5 个工作日")
    basis: Optional[str] = Field(None, description="依据")
    counted: Optional[YesNo] = Field(None, description="是否计入办理时限；不写为未载明")


class PromiseCase(Strict):
    who: Text = Field(description="适用于谁或什么情形，如 个人、单位、户籍人口")
    instant: Optional[YesNo] = Field(None, description="是否当场办结（即办）")
    day: Optional[int] = Field(None, gt=0, description="承诺时限（数字）")
    type: Optional[Unit] = Field(None, description="承诺时限单位")
    explain: Optional[str] = Field(None, description="说明，如 承诺办理")


class Extension(Strict):
    day: Optional[int] = Field(None, gt=0, description="最多可延长多少（数字）；原指南没写多久就不写")
    type: Optional[Unit] = Field(None, description="延长时限的单位")
    approver: Optional[str] = Field(None, description="谁批准延长，如 本机关负责人")
    note: Optional[str] = Field(None, description="什么情况下可以延长")


class Fee(Strict):
    fee_name: Text = Field(description="收费项目")
    fee_stand: Text = Field(description="收费标准")
    by_law: Optional[str] = Field(None, description="收费依据")
    reduction: Optional[str] = Field(None, description="减免政策")


class Standard(Strict):
    who: Text = Field(description="对象或档次，如 80-89 周岁")
    amount: Text = Field(description="标准，如 每月 100 元")
    note: Optional[str] = Field(None, description="说明")


class Responsible(Strict):
    dept: Optional[str] = Field(None, description="责任部门，如 乡社会事务综合服务中心")
    window: Id = Field(description="窗口编号（见中心文件的 windows）")
    person: Optional[Id] = Field(
        None, description="首问责任人的工号（见中心文件的 staff，如 s03）；不写时为该窗口的第一位工作人员")
    location: Optional[str] = Field(None, description="具体位置，如 一楼 2 号窗口")


class Contact(Strict):
    name: Optional[str] = Field(None, description="哪个部门接电话，如 镇党政办、县民政局")
    phone: Phone = Field(description="电话")
    note: Optional[str] = Field(None, description="说明，如 工作日上班时间")


class Person(Strict):
    name: Text = Field(description="联系人姓名")
    phone: Phone = Field(description="联系人电话")
    role: Optional[str] = Field(None, description="单位或职务，如 县民政局社会救助股")


class Proxy(Strict):
    allowed: YesNo = Field(description="是否可以帮办、代办")
    needs_presence: Optional[YesNo] = Field(None, description="申请人是否必须本人到场（如签字、采集照片）")
    reason: Optional[str] = Field(None, description="说明：为什么要本人到场，或代办时要带什么")
    priority_groups: list[Text] = Field(default_factory=list, description="优先帮代办的人群，如 老年人、残疾人")


class Faq(Strict):
    question: Text = Field(description="问题（用群众的话）")
    answer: Text = Field(description="回答（一两句大白话）")


class Partner(Strict):
    name: Text = Field(description="联办部门")
    role: Optional[str] = Field(None, description="负责哪一步，按办理先后写")


class Matter(Strict):
    """One service matter (事项), one file `matters/<id>.yaml`. Whatever the guide does not say is left out."""

    id: Id = Field(description="事项编号，与文件名相同，如 dibao-apply")
    task_name: Text = Field(description="事项名称")
    summary: Optional[str] = Field(None, description="一句话说明：这件事是做什么的（大白话）")
    keywords: list[Text] = Field(default_factory=list, description="俗称、检索词：群众平时怎么说，如 办低保、开证明")
    catalog_code: Optional[str] = Field(None, description="基本编码（照抄县里的事项清单，不要自编）")
    task_code: Optional[str] = Field(None, description="实施编码（照抄县里的事项清单，不要自编）")
    task_type: Optional[TaskType] = Field(None, description="事项类型；不写为未载明")
    task_state: TaskState = Field("在用", description="事项状态：暂停的事项在自助机上标明暂停")
    task_state_note: Optional[str] = Field(None, description="暂停或取消的原因、恢复时间")
    task_version: Optional[str] = Field(None, description="事项版本")
    plan_effective_date: Optional[datetime.date] = Field(None, description="生效日期，如 2025-01-01")
    use_level: Optional[str] = Field(None, description="行使层级，如 县级、乡级")
    dept_name: Optional[str] = Field(None, description="实施主体，如 沅陵县民政局；不写为未载明")
    entrust_name: Optional[str] = Field(None, description="受委托或具体承办的部门，如 乡镇人民政府")
    other_dept: list[Partner] = Field(default_factory=list, description="联办机构，按办理先后")
    server_type: list[ServerType] = Field(default_factory=list, description="服务对象：自然人、企业法人等")
    applicant_types: list[Text] = Field(
        default_factory=list, description="申请人类型：材料或时限按类型不同时写，如 个人、单位")
    user_topic_type: list[Id] = Field(default_factory=list, description="主题分类（见 _catalogue.yaml 的 topics）")
    audiences: list[Id] = Field(default_factory=list, description="重点人群（见 _catalogue.yaml 的 audiences）")
    handle_area: Optional[str] = Field(None, description="通办范围，如 全县、全乡")

    by_law: list[LawBasis] = Field(default_factory=list, description="设定依据；不写为未载明")
    accept_condition: list[Text] = Field(default_factory=list, description="受理条件，每条一句")
    prerequisites: list[Prerequisite] = Field(default_factory=list, description="前置事项或前置审批")
    refusal_cases: list[Text] = Field(default_factory=list, description="不予受理情形")
    limit_explain: Optional[str] = Field(None, description="数量限制")
    rights: list[Text] = Field(default_factory=list, description="申请人权利和救济途径；不写时用中心的统一说明")

    materials: list[Material] = Field(default_factory=list, description="申请材料")
    steps: list[Step] = Field(default_factory=list, description="办理流程，按先后；各环节的时限写在 time")
    special_procedure: list[SpecialProcedure] = Field(
        default_factory=list, description="特别程序（如公示、评议、鉴定），各写时间和是否计入办理时限")

    project_type: Optional[ProjectType] = Field(None, description="办件类型：即办件（当场办结）或 承诺件")
    anticipate_day: Optional[int] = Field(None, gt=0, description="法定办结时限（数字）")
    anticipate_type: Optional[Unit] = Field(None, description="法定时限单位：工作日 / 自然日 / 日（原指南只写“日”）/ 月")
    anticipate_explain: Optional[str] = Field(None, description="法定时限说明")
    promise_day: Optional[int] = Field(None, ge=0, description="承诺办结时限（数字）；只有分环节时限、没有总时限的不写")
    promise_type: Optional[Unit] = Field(None, description="承诺时限单位：工作日 / 自然日 / 日（原指南只写“日”）/ 月")
    promise_explain: Optional[str] = Field(None, description="承诺时限说明")
    promise_by: list[PromiseCase] = Field(
        default_factory=list, description="按申请人或情形不同的承诺时限，如 个人 20 个工作日、单位 15 个工作日")
    extension: Optional[Extension] = Field(None, description="可以延长：最多延长多久、谁批准")
    correction_day: Optional[int] = Field(None, gt=0, description="补正期限：收到补正告知后多久内补齐（原指南规定时写）")
    correction_type: Optional[Unit] = Field(None, description="补正期限单位")
    limit_scene_num: Optional[int] = Field(None, ge=0, description="到办事现场次数：0、1、2 …；不写为未载明")

    is_fee: Optional[YesNo] = Field(None, description="是否收费；不写为未载明")
    fees: list[Fee] = Field(default_factory=list, description="收费项目")
    standards: list[Standard] = Field(default_factory=list, description="补贴、救助标准，如 80-89 周岁 每月 100 元")
    standards_note: Optional[str] = Field(None, description="补助标准说明：依据，或 最高不超过低保月标准的 10 倍 这样的说法")

    result_name: Optional[str] = Field(None, description="办理结果，如 低保证、证明；不写为未载明")
    result_type: Optional[ResultType] = Field(None, description="结果类型：证照 / 批文 / 其他 / 无")
    is_express: Optional[YesNo] = Field(None, description="结果是否可以邮寄")

    transact_addr: Optional[str] = Field(None, description="办理地点；不写时用中心地址")
    transact_time: Optional[str] = Field(None, description="办理时间；不写时用中心办公时间")
    responsible: Optional[Responsible] = Field(
        None, description="首问责任：窗口和责任人；不写时由乡镇在 local.yaml 指定，或到综合受理窗口咨询")
    link_way: list[Contact] = Field(default_factory=list, description="咨询电话：原指南给的咨询电话")
    supervise_way: list[Contact] = Field(default_factory=list, description="监督投诉电话：原指南给的监督电话")
    phones: list[Phone] = Field(default_factory=list, description="未说明用途的电话：原指南没有说明是咨询还是监督的")
    contacts: list[Person] = Field(default_factory=list, description="联系人：不在中心名单上的联系人，写姓名和电话")
    proxy: Optional[Proxy] = Field(None, description="帮代办；不写为未载明")
    is_online: Optional[YesNo] = Field(None, description="是否可以网上办")
    online_depth: Optional[OnlineDepth] = Field(None, description="网上办理深度：一级、二级、三级、四级（四级为全程网办）")
    online_handle_url: Optional[Url] = Field(None, description="网上办理地址（页面和告知单上印成二维码）")
    mobile_terminal_url: Optional[Url] = Field(None, description="手机办理地址（页面和告知单上印成二维码）")
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
    """A township center: file `matters/_townships/<id>/center.yaml`."""

    id: Id = Field(description="中心编号，如 dahepingxiang")
    name: Text = Field(description="中心全称")
    short_name: Optional[str] = Field(None, description="简称（自助机每页的标题）")
    township_name: Text = Field(description="乡镇名称，如 大合坪乡（县目录事项里不写具体乡镇，这里写）")
    county: Text = Field(description="所属县")
    offices: dict[str, Text] = Field(
        default_factory=dict,
        description="县目录里通用的部门说法对应本乡镇的名称，如 乡镇人民政府: 大合坪乡人民政府；"
                    "事项的实施主体、承办部门、责任部门、环节、联办部门和办理地点里的通用说法换成本乡镇的")
    address: Text = Field(description="地址")
    phone: Phone = Field(description="中心总咨询电话")
    hours: list[Hours] = Field(min_length=1, description="办公时间")
    windows: list[Window] = Field(min_length=1, description="窗口；第一个是综合受理窗口：事项没有指定窗口时，先到这里问")
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


ChangeKind = Literal["added", "cancelled", "paused", "resumed", "renamed", "materials", "limits", "fees", "contacts",
                     "other"]


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
