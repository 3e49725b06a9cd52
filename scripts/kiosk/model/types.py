"""The shared field types of the catalogue model: ids, phones, addresses, yes/no, the national vocabularies."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
# Mainland numbers: mobile, landline with area code (0745-1234567), a local
# 7-8 digit number, short service numbers (110, 12345, 12388) with or without
# an area code (0745-12388), 400/800 lines.
PHONE_PATTERN = r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,5})?|\d{7,8}|(0\d{2,3}-?)?1\d{2}(\d{2})?|[48]00-?\d{3}-?\d{4})$"
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
    "行政许可",
    "行政确认",
    "行政裁决",
    "行政给付",
    "行政奖励",
    "行政备案",
    "其他行政权力",
    "公共服务",
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


def label(model: type[BaseModel], name: str) -> str:
    """A field's Chinese name: its description up to the first comma, colon, semicolon or bracket
    (申请材料, 联办机构), as the spreadsheet's headers and the pages name it."""
    text = model.model_fields[name].description or name
    return re.split(r"[，,：:（(；;]", text, maxsplit=1)[0].strip() or name
