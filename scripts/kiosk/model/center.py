"""A township center: `matters/_townships/<id>/center.yaml`."""

from __future__ import annotations

from typing import Optional

from pydantic import Field

from .types import Id, Phone, Strict, Text, Url

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
    reply_days: Optional[int] = Field(
        None, gt=0, description="中心承诺几个工作日内答复投诉（中心自己定的；不写就是“未载明”，窗口工作台不算答复期限）"
    )


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
        description="县目录事项里的占位写法对应本乡镇的叫法，如 乡镇: 大合坪乡：县里在事项里写 {乡镇}人民政府，"
        "本乡镇印成 大合坪乡人民政府；事项里没写 {乡镇} 的文字（如原指南的 乡镇人民政府）照原样印",
    )
    address: Text = Field(description="地址")
    phone: Phone = Field(description="中心总咨询电话")
    hours: list[Hours] = Field(min_length=1, description="办公时间")
    windows: list[Window] = Field(
        min_length=1, description="窗口；第一个是综合受理窗口：事项没有指定窗口时，先到这里问"
    )
    staff: list[Staff] = Field(min_length=1, description="工作人员")
    hotline: Hotline = Field(description="12345 热线")
    complaints: Complaints = Field(description="投诉受理")
    rating: Rating = Field(description="好差评")
    unresolved: Unresolved = Field(description="办不成事反映窗口")
    proxy_rules: ProxyRules = Field(description="帮代办规则")
    rights: list[Text] = Field(min_length=1, description="申请人权利和救济途径（统一说明）")
    base_url: Url = Field(description="自助机网站的公开网址（二维码用）")
