"""One service matter (事项) and its parts: `matters/<id>.yaml`."""

from __future__ import annotations

import datetime
from typing import Optional

from pydantic import Field, model_validator

from .types import (
    Id,
    IsNeed,
    Match,
    MaterialFormat,
    OriginalUse,
    Phone,
    ProjectType,
    ResultType,
    ServerType,
    SourceType,
    Strict,
    TaskState,
    TaskType,
    Text,
    Unit,
    Url,
    YesNo,
)

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
        None, description="必要性：必要 / 非必要 / 容缺后补（先受理、后补交）/ 信息免交；不写为未载明"
    )
    situations: list[Text] = Field(default_factory=list, description="适用情形：只在这些情形下需要；不写表示都需要")
    situations_match: Optional[Match] = Field(
        None, description="情形有几条时怎么算：任一（符合其中一条就要）或 全部（同时符合才要）"
    )
    applicants: list[Text] = Field(
        default_factory=list, description="适用申请人：哪些申请人类型要带（见事项的 applicant_types）；不写表示都要"
    )
    material_format: Optional[MaterialFormat] = Field(None, description="材料形式：纸质 / 电子 / 纸质+电子")
    original: Optional[int] = Field(None, ge=0, description="原件份数；不写为未载明")
    copies: Optional[int] = Field(None, ge=0, description="复印件份数；不写为未载明")
    copies_note: Optional[str] = Field(
        None, description="份数说明：原指南只写了“原件及复印件”“2 张”等、没写成几份时，照原文写"
    )
    original_use: Optional[OriginalUse] = Field(
        None, description="原件怎么用：核验（看过后退还）或 提交（交给窗口留存）"
    )
    page_format: Optional[str] = Field(None, description="规格，如 A4 纸、1 寸红底照片")
    source_type: Optional[SourceType] = Field(
        None, description="来源渠道：申请人自备 / 政府部门核发 / 其他；不写为未载明"
    )
    source_explain: Optional[str] = Field(None, description="来源说明：到哪里开、找谁要")
    fill_explain: Optional[str] = Field(None, description="填报须知")
    accept_stand: Optional[str] = Field(None, description="受理标准")
    form: Optional[str] = Field(None, description="空白表格：名称和在哪里领取（窗口领取或打印）")
    form_url: Optional[Url] = Field(None, description="空白表格的下载网址（告知单上印成二维码）")
    example: Optional[str] = Field(None, description="示例样表：名称和在哪里看")
    example_url: Optional[Url] = Field(None, description="示例样表的网址（告知单上印成二维码）")
    as_example: Optional[YesNo] = Field(
        None, description="原指南只是举例（写的是“如：……”“……等”），不是一定要带这一样；照原文写材料名称"
    )


class Step(Strict):
    name: Text = Field(description="环节名称，如 受理、审核、审批、公示")
    who: Optional[str] = Field(None, description="谁来办，如 乡民政办、村（居）委会、县民政局")
    time: Optional[str] = Field(
        None, description="时限，照原指南写，如 10 个工作日、5 日、1 个月、当场；写成这样的能算出日期"
    )
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
        None, description="首问责任人的工号（见中心文件的 staff，如 s03）；不写时为该窗口的第一位工作人员"
    )
    location: Optional[str] = Field(None, description="具体位置，如 一楼 2 号窗口")


class Contact(Strict):
    """A way to ask or to complain, as the guide gives it: a phone, a window, a web address, or where to
    write or go in person; at least one of them."""

    name: Optional[str] = Field(None, description="哪个部门，如 镇党政办、县民政局")
    phone: Optional[Phone] = Field(None, description="电话")
    window: Optional[str] = Field(None, description="窗口，如 县政务服务中心 5 号窗口（到窗口当面问或反映）")
    url: Optional[Url] = Field(None, description="网址，如 网上咨询、网上投诉的页面")
    address: Optional[str] = Field(None, description="来信或来访的地址，如 县民政局办公室（某某路 1 号）")
    note: Optional[str] = Field(None, description="说明，如 工作日上班时间")

    @model_validator(mode="after")
    def _one_way(self):
        if not (self.phone or self.window or self.url or self.address):
            raise ValueError("contact_no_way")
        return self


class Person(Strict):
    name: Text = Field(description="联系人姓名")
    phone: Phone = Field(description="联系人电话")
    role: Optional[str] = Field(None, description="单位或职务，如 县民政局社会救助股")


class Proxy(Strict):
    allowed: YesNo = Field(description="是否可以帮办、代办")
    needs_presence: Optional[YesNo] = Field(None, description="申请人是否必须本人到场（如签字、采集照片）")
    reason: Optional[str] = Field(None, description="说明：为什么要本人到场，或代办时要带什么")
    priority_groups: list[Text] = Field(default_factory=list, description="优先帮代办的人群，如 老年人、残疾人")


class Agent(Strict):
    """委托他人代办: the applicant's own agent (a relative, a neighbour) going in their place, as the guide
    says; not the center's own 帮代办 service (proxy)."""

    allowed: Optional[YesNo] = Field(None, description="可不可以委托他人代办；不写为未载明")
    materials: list[Text] = Field(default_factory=list, description="代办人要带的，如 委托书、代办人身份证")
    note: Optional[str] = Field(None, description="说明，照原指南写")


class Source(Strict):
    """The published guide a matter file was typed from; several matters may share one."""

    title: Text = Field(description="原指南的标题，如 《高龄老人津贴申请》办事指南")
    publisher: Optional[str] = Field(None, description="发布单位，如 洛川县人民政府")
    published: Optional[str] = Field(None, description="发布日期，照原文写，如 2017-07-13")
    url: Optional[Url] = Field(None, description="原指南的网址")


class Element(Strict):
    """An element the guide states that this model has no field for, in its own name and words."""

    name: Text = Field(description="要素名称，照原指南写，如 权力来源、送达方式")
    text: Text = Field(description="内容，照原指南写；原指南写“无”的就写 无")


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
    source: Optional[Source] = Field(
        None, description="依据的办事指南：标题、发布单位、日期、网址（同一份指南写了几个事项的，各文件写同一个）"
    )
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
        default_factory=list, description="申请人类型：材料或时限按类型不同时写，如 个人、单位"
    )
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
        default_factory=list, description="特别程序（如公示、评议、鉴定），各写时间和是否计入办理时限"
    )

    time_start: Optional[str] = Field(
        None, description="时限从哪天算，照原指南写，如 受理之日起、自收到申请之日起、材料齐全之日起；不写为未载明"
    )
    accept_period: Optional[str] = Field(None, description="受理时段：只在这些日子受理，如 每月1-20日集中受理")
    apply_ahead: Optional[str] = Field(None, description="申报提前量：要提前多久来申请，如 需提前1个月申报")
    project_type: Optional[ProjectType] = Field(None, description="办件类型：即办件（当场办结）或 承诺件")
    anticipate_day: Optional[int] = Field(None, gt=0, description="法定办结时限（数字）")
    anticipate_type: Optional[Unit] = Field(
        None, description="法定时限单位：工作日 / 自然日 / 日（原指南只写“日”）/ 月"
    )
    anticipate_explain: Optional[str] = Field(None, description="法定时限说明")
    promise_day: Optional[int] = Field(None, ge=0, description="承诺办结时限（数字）；只有分环节时限、没有总时限的不写")
    promise_type: Optional[Unit] = Field(None, description="承诺时限单位：工作日 / 自然日 / 日（原指南只写“日”）/ 月")
    promise_explain: Optional[str] = Field(None, description="承诺时限说明")
    promise_by: list[PromiseCase] = Field(
        default_factory=list, description="按申请人或情形不同的承诺时限，如 个人 20 个工作日、单位 15 个工作日"
    )
    extension: Optional[Extension] = Field(None, description="可以延长：最多延长多久、谁批准")
    correction_day: Optional[int] = Field(
        None, gt=0, description="补正期限：收到补正告知后多久内补齐（原指南规定时写）"
    )
    correction_type: Optional[Unit] = Field(None, description="补正期限单位")
    limit_scene_num: Optional[int] = Field(None, ge=0, description="到办事现场次数：0、1、2 …；不写为未载明")

    is_fee: Optional[YesNo] = Field(None, description="是否收费；不写为未载明")
    fees: list[Fee] = Field(default_factory=list, description="收费项目")
    standards: list[Standard] = Field(default_factory=list, description="补贴、救助标准，如 80-89 周岁 每月 100 元")
    standards_note: Optional[str] = Field(
        None, description="补助标准说明：依据，或 最高不超过低保月标准的 10 倍 这样的说法"
    )

    result_name: Optional[str] = Field(None, description="办理结果，如 低保证、证明；不写为未载明")
    result_type: Optional[ResultType] = Field(None, description="结果类型：证照 / 批文 / 其他 / 无")
    is_express: Optional[YesNo] = Field(None, description="结果是否可以邮寄")

    transact_addr: Optional[str] = Field(None, description="办理地点；不写时用中心地址")
    transact_time: Optional[str] = Field(None, description="办理时间；不写时用中心办公时间")
    guide_window: Optional[str] = Field(None, description="原指南写的办理窗口名称和号码，如 民政窗口（5号窗口）")
    responsible: Optional[Responsible] = Field(
        None, description="首问责任：窗口和责任人；不写时由乡镇在 local.yaml 指定，或到综合受理窗口咨询"
    )
    link_way: list[Contact] = Field(default_factory=list, description="咨询电话：原指南给的咨询电话")
    supervise_way: list[Contact] = Field(default_factory=list, description="监督投诉电话：原指南给的监督电话")
    phones: list[Phone] = Field(default_factory=list, description="未说明用途的电话：原指南没有说明是咨询还是监督的")
    contacts: list[Person] = Field(default_factory=list, description="联系人：不在中心名单上的联系人，写姓名和电话")
    proxy: Optional[Proxy] = Field(
        None, description="中心的帮代办服务（工作人员帮办、代办）；不写为未载明。申请人自己委托别人代办写在 agent"
    )
    agent: Optional[Agent] = Field(None, description="委托他人代办：申请人委托亲友等代为办理，代办人要带什么")
    is_online: Optional[YesNo] = Field(None, description="是否可以网上办")
    online_depth: Optional[str] = Field(
        None, description="网上办理深度，照原指南写：一级、二级、三级、四级（四级为全程网办），或 全程网办、在线预审 等"
    )
    online_handle_url: Optional[Url] = Field(None, description="网上办理地址（页面和告知单上印成二维码）")
    mobile_terminal_url: Optional[Url] = Field(None, description="手机办理地址（页面和告知单上印成二维码）")
    faq: list[Faq] = Field(default_factory=list, description="常见问题")
    other_elements: list[Element] = Field(
        default_factory=list, description="其他要素：原指南写了、上面没有对应字段的，按原文的名称和内容逐条写"
    )
    stated_none: list[str] = Field(
        default_factory=list, description="原指南写了“无”的列表要素（字段名，如 other_dept）；直接在该字段写 无 也可以"
    )

    @model_validator(mode="before")
    @classmethod
    def _none_as_stated(cls, data):
        """`other_dept: 无` in a file: the guide says there is none, which is not the same as not saying."""
        if isinstance(data, dict):
            said = [k for k, v in data.items() if k in LIST_FIELDS and isinstance(v, str) and v.strip() == "无"]
            if said:
                data = {k: v for k, v in data.items() if k not in said}
                data["stated_none"] = list(dict.fromkeys([*(data.get("stated_none") or []), *said]))
        return data


LIST_FIELDS = frozenset(
    name
    for name, f in Matter.model_fields.items()
    if getattr(f.annotation, "__origin__", None) is list and name != "stated_none"
)
