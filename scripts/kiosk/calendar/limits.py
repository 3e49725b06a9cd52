"""Time limits as guides state them (限时办结), and the dates they give from the day of 受理.

A guide states limits in several ways, and each is kept as stated:

    a committed total       promise_day / promise_type            承诺 20 个工作日
    limits per applicant    promise_by: [{who, day, type}]        个人 20 个工作日，单位 15 个工作日
    stage limits only       steps[].time, no total               入户调查 10 个工作日，审批 10 个工作日
    periods not counted     special_procedure with counted: 否   公示 7 天
    an extension            extension: {day, type, approver}     可延长 10 个工作日（经负责人批准）
    a 补正 deadline          correction_day / correction_type

    a legal limit           anticipate_day / anticipate_type      法定 一个月
    where the clock starts  time_start, in the guide's words      自收到申请之日起

The clock starts where the guide says (`time_start`): words about receiving the application (自收到申请之日起)
count from the day it was received; anything else, and a guide that does not say, from 受理 (行政许可法
第三十二条、第四十二条), and every surface says which. A total is never invented: with stage limits only,
each stage gets its own date, and a sum is given only where every stage is stated in working days. A
limit in "日" (the guide does not say working or natural days) gives no date; neither does a year the
working-day calendar does not know.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from ..exceptions import UnknownYear
from ..model import Extension, Matter
from .workdays import WorkCalendar

INSTANT = "当场"
AMBIGUOUS = "日"
DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SPAN = re.compile(
    r"^(?:承诺|法定|在)?\s*(\d+|[〇零一二两三四五六七八九十]+)\s*个?\s*(工作日|自然日|日|天|月)\s*(?:内|以内)?(?:办结)?$"
)
INSTANT_TEXTS = re.compile(r"^(当场|当天|即时|立即|即办)(办结|办理)?$")
# words of `time_start` that count from the day the application was received rather than from 受理
RECEIVED_WORDS = re.compile(r"(收到|提交|提出|递交)[^，。；]{0,8}(申请|申报)|收件|申请之日|申报之日")
ACCEPTED_WORDS = re.compile(r"受理|材料齐全")


@dataclass(frozen=True)
class Span:
    """A stated length of time: `days` of `unit` (工作日, 自然日, 日, 月), or 当场 (days 0)."""

    days: int
    unit: str

    @property
    def instant(self) -> bool:
        return self.unit == INSTANT

    @property
    def dated(self) -> bool:
        """Whether a date can be computed from it: not when the guide says only "日"."""
        return self.unit != AMBIGUOUS


def span(days: int | None, unit: str | None) -> Span | None:
    return Span(days, unit) if days and unit else None


def parse(text: str | None) -> Span | None:
    """A step's or a period's time as written, when it is a plain length: "10 个工作日", "7 天"
    (natural days), "5 日" (unit not said), "一个月", "当场". Anything else (“按县里统一安排”) is None."""
    if not text:
        return None
    text = re.sub(r"\s+", " ", text.strip())
    if INSTANT_TEXTS.match(text):
        return Span(0, INSTANT)
    found = SPAN.match(text)
    if not found:
        return None
    number = _number(found.group(1))
    unit = {"天": "自然日"}.get(found.group(2), found.group(2))
    return Span(number, unit) if number else None


def _number(text: str) -> int | None:
    """Arabic digits or a Chinese number up to 99 (十, 十五, 二十, 四十五)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1:
            return None
        return (DIGITS.get(tens, 0) if tens else 1) * 10 + (DIGITS.get(ones, 0) if ones else 0)
    return DIGITS.get(text) if len(text) == 1 else None


# ---------------------------------------------------------------- what a matter commits to


@dataclass(frozen=True)
class Period:
    """A period not counted in the limit (公示 7 天), as stated."""

    name: str
    text: str | None
    span: Span | None


@dataclass
class Case:
    """One committed limit: the matter's own (who None), or one per applicant type or situation."""

    who: str | None
    span: Span | None  # None: the guide names the case but not its length
    explain: str | None = None
    due: datetime.date | None = None
    latest: datetime.date | None = None  # `due` plus the periods not counted, when all are dated


@dataclass
class Stage:
    name: str
    text: str | None
    span: Span | None
    due: datetime.date | None = None


@dataclass
class Deadline:
    """Everything a matter says about its limits, with dates counted from `start` (or none)."""

    accepted: datetime.date | None
    cases: list[Case] = field(default_factory=list)  # committed limits; empty: none committed
    stages: list[Stage] = field(default_factory=list)  # every step, when some step has a limit and there is no total
    legal: Case | None = None  # 法定 limit, as stated
    start_words: str | None = None  # time_start as written; None: the guide does not say
    start_from: str = "accepted"  # "received", "accepted" or "other" (counted from 受理): which day `start` is
    start: datetime.date | None = None  # the day counted from (the receipt or the 受理 day)
    periods: list[Period] = field(default_factory=list)  # not counted in the limit
    extension: Extension | None = None
    correction: Span | None = None
    correction_due: datetime.date | None = None
    unknown_year: UnknownYear | None = None

    @property
    def committed(self) -> bool:
        return bool(self.cases)

    @property
    def stage_only(self) -> bool:
        return not self.cases and any(s.span for s in self.stages)

    @property
    def same_day(self) -> bool:
        """Done the same day for everyone: one instant limit, not qualified by the guide's own words
        (a 即办件 whose guide says 户籍人口及时办理，跨省流动人口承诺办理 is not)."""
        return (
            len(self.cases) == 1
            and bool(self.cases[0].span)
            and self.cases[0].span.instant
            and not (self.cases[0].who is None and self.cases[0].explain)
        )

    @property
    def stage_sum(self) -> Span | None:
        return stage_sum(self.stages) if self.stage_only else None

    @property
    def timed(self) -> bool:
        """Whether any limit has a length to count (so where it counts from matters)."""
        spans = [c.span for c in self.cases] + [s.span for s in self.stages] + [self.legal.span if self.legal else None]
        return any(x and not x.instant for x in spans)

    @property
    def due(self) -> datetime.date | None:
        """The one date a record is due, when the matter commits one limit and it gives a date."""
        if len(self.cases) == 1:
            return self.cases[0].latest or self.cases[0].due
        return None


def start_from(m: Matter) -> str:
    """Which day the clock starts on: "received" where the guide counts from receiving the application
    (自收到参保申请之日起, 从收件算起); "accepted" from 受理 (受理之日起, 材料齐全之日起, or the guide does not say);
    "other" where it names another event (从收到评定结论算起): dates are then counted from 受理 and every
    surface says the guide counts from something else."""
    words = m.time_start
    if not words or ACCEPTED_WORDS.search(words):
        return "accepted"
    return "received" if RECEIVED_WORDS.search(words) else "other"


def legal_case(m: Matter) -> Case | None:
    """The legal limit (法定), as stated: a length, or only words (anticipate_explain); None when blank."""
    if m.anticipate_day and m.anticipate_type:
        return Case(None, Span(m.anticipate_day, m.anticipate_type), m.anticipate_explain)
    return Case(None, None, m.anticipate_explain) if m.anticipate_explain else None


def stage_sum(stages: list[Stage]) -> Span | None:
    """The stages' working days added up, only where every stage is stated in working days."""
    if stages and all(s.span and s.span.unit == "工作日" for s in stages):
        return Span(sum(s.span.days for s in stages), "工作日")
    return None


def committed_cases(m: Matter) -> list[Case]:
    """What the matter commits to, as stated: a 即办件, a total, or a limit per applicant type."""
    if m.promise_by:
        return [Case(c.who, Span(0, INSTANT) if c.instant else span(c.day, c.type), c.explain) for c in m.promise_by]
    if m.project_type == "即办件":
        return [Case(None, Span(0, INSTANT), m.promise_explain)]
    if m.promise_day is not None and m.promise_type:
        return [
            Case(None, Span(m.promise_day, m.promise_type) if m.promise_day else Span(0, INSTANT), m.promise_explain)
        ]
    if m.promise_explain:  # words without a number (承诺时限说明): said, never counted
        return [Case(None, None, m.promise_explain)]
    return []


def periods(m: Matter) -> list[Period]:
    """The special procedures the guide says are not counted in the limit (a same-day one adds nothing)."""
    out = [Period(p.name, p.time, parse(p.time)) for p in m.special_procedure if p.counted is False]
    return [p for p in out if not (p.span and p.span.instant)]


def deadline(
    m: Matter, accepted: datetime.date | None, calendar: WorkCalendar | None, received: datetime.date | None = None
) -> Deadline:
    """The matter's limits; with a day and a calendar, the date each one ends, counted from the day the
    guide says (`received` where it counts from receiving the application, else `accepted`)."""
    out = Deadline(
        accepted,
        committed_cases(m),
        periods=periods(m),
        extension=m.extension,
        correction=span(m.correction_day, m.correction_type),
        legal=legal_case(m),
        start_words=m.time_start,
        start_from=start_from(m),
    )
    if not out.cases and any(s.time for s in m.steps):
        out.stages = [Stage(s.name, s.time, parse(s.time)) for s in m.steps]
    out.start = (received or accepted) if out.start_from == "received" else accepted
    if out.start is None or calendar is None:
        return out
    origin = out.start
    try:
        for case in out.cases + ([out.legal] if out.legal else []):
            case.due = add(calendar, origin, case.span)
            if case.due and out.periods and all(p.span and p.span.dated for p in out.periods):
                case.latest = case.due
                for p in out.periods:
                    case.latest = add(calendar, case.latest, p.span)
        start = origin
        for stage in out.stages:
            stage.due = add(calendar, start, stage.span) if start else None
            start = stage.due
        out.correction_due = add(calendar, accepted or origin, out.correction)
    except UnknownYear as e:
        out.unknown_year = e
        for case in out.cases + ([out.legal] if out.legal else []):
            case.due = case.latest = None
        for stage in out.stages:
            stage.due = None
        out.correction_due = None
    return out


def add(calendar: WorkCalendar, start: datetime.date, length: Span | None) -> datetime.date | None:
    """The last day of `length` counted from `start` (not counted itself); None when it gives no date."""
    if length is None or not length.dated:
        return None
    if length.instant:
        return start
    return calendar.due(start, length.days, length.unit)
