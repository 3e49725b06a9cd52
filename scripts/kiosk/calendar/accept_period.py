"""受理时段: the days a matter is taken in, as a guide writes them (`accept_period`), and whether a day is one.

    within(text, day)   True / False, or None when the words say something this reader does not understand
                        (never a guess: "每月1-20日（节假日顺延）" is None, as is anything it cannot read whole)

The shapes guides write, Arabic or Chinese numerals, any dash (- — – ～ ~), 至 / 到:

    每月1-20日集中受理   每月1日至20日   每月1—20日   每月的1号到20号   每月上旬 / 中旬 / 下旬   每月10日至月底
    每月20日前          (the 20th itself: None, 前 may or may not include it)
    每年3月1日至5月31日  每年3月至5月底   每年3-5月   每年11月1日至次年2月底   每年6月   全年受理
    每季度首月1-10日     每季度第一个月1日至10日   每季度最后一个月 …
    several at once      每月1-5日、15-20日 (any one of them)

Words around them that say nothing about the days (集中受理, 办理, 申报, 期间 …) are allowed; anything else
makes the whole None.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

NUMERALS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
DASHES = re.compile(r"[-‐‑‒–—―−－~～〜至到]+")
CONNECTORS = re.compile(r"[、，,；;和及与或]")
# words that say nothing about which days: left over around the days, they change nothing
FILLER = re.compile(
    r"(?:集中|统一|定期)?(?:受理|办理|申报|申请|收件|接件|办件)(?:时间|时段|期)?|期间|之间|以内|内|为|在|的|"
    r"[：:。.（）()\s]"
)


def _number(text: str) -> int | None:
    """Arabic digits or a Chinese number up to 39 (一, 十, 十五, 二十, 三十一)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if len(tens) > 1 or len(ones) > 1 or (tens and tens not in NUMERALS) or (ones and ones not in NUMERALS):
            return None
        return (NUMERALS[tens] if tens else 1) * 10 + (NUMERALS[ones] if ones else 0)
    return NUMERALS.get(text) if len(text) == 1 else None


def normalize(text: str) -> str | None:
    """Full-width digits to ASCII, spaces out, every dash to 至, Chinese numbers before 日 号 月 至 to digits.
    None when a number cannot be read."""
    text = re.sub(r"\s+", "", text.translate({ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")}))
    text = DASHES.sub("至", text)
    bad = False

    def arabic(found: re.Match) -> str:
        nonlocal bad
        n = _number(found.group(1))
        if n is None:
            bad = True
            return found.group(0)
        return str(n) + found.group(2)

    # 一个月 / 第一个月 stay words (个 follows); 首月 has no number
    text = re.sub(r"([〇零一二两三四五六七八九十]+)([日号月至])", arabic, text)
    return None if bad else text


# ---------------------------------------------------------------- what the words give


@dataclass(frozen=True)
class MonthDays:
    """Days `first` to `last` of a month (last None: its last day); `months`: the months it applies to
    (1-12; every month when None). `fuzzy_last`: whether `last` itself may or may not be in (…日前)."""

    first: int
    last: int | None
    months: frozenset[int] | None = None
    fuzzy_last: bool = False

    def contains(self, day: datetime.date) -> bool | None:
        if self.months is not None and day.month not in self.months:
            return False
        end = calendar.monthrange(day.year, day.month)[1]
        last = end if self.last is None else min(self.last, end)
        if self.fuzzy_last and day.day == last:
            return None
        return self.first <= day.day <= last


@dataclass(frozen=True)
class YearSpan:
    """From month/day to month/day of every year (day None at the end: the month's last day); it may run
    into the next year (每年11月1日至次年2月底)."""

    start: tuple[int, int]
    end: tuple[int, int | None]

    def contains(self, day: datetime.date) -> bool:
        end_day = self.end[1] if self.end[1] is not None else calendar.monthrange(day.year, self.end[0])[1]
        end = (self.end[0], end_day)
        now = (day.month, day.day)
        if self.start <= end:
            return self.start <= now <= end
        return now >= self.start or now <= end  # across the new year


def _valid_day(n: int) -> bool:
    return 1 <= n <= 31


def _valid_month(n: int) -> bool:
    return 1 <= n <= 12


def _longest(month: int) -> int:
    """The most days `month` has (February: 29)."""
    return calendar.monthrange(2024, month)[1]


D = r"(\d{1,2})"
DAY = r"(?:日|号)"
END = r"(?:月底|月末|底|末)"
# the ranges of days within a month
MONTH_RANGES = [
    (re.compile(rf"{D}{DAY}?至{D}{DAY}"), lambda a, b: (int(a), int(b), False)),
    (re.compile(rf"{D}{DAY}?至(?:当月|本月)?{END}"), lambda a: (int(a), None, False)),
    (re.compile(rf"{D}{DAY}(?:之|以)?前"), lambda b: (1, int(b), True)),
    (re.compile(r"上旬"), lambda: (1, 10, False)),
    (re.compile(r"中旬"), lambda: (11, 20, False)),
    (re.compile(r"下旬"), lambda: (21, None, False)),
    (re.compile(rf"{D}{DAY}"), lambda a: (int(a), int(a), False)),
]
QUARTER_MONTH = {
    "首月": 1,
    "第1个月": 1,
    "第一个月": 1,
    "头一个月": 1,
    "第1月": 1,
    "第一月": 1,
    "第2个月": 2,
    "第二个月": 2,
    "第2月": 2,
    "第二月": 2,
    "末月": 3,
    "最后一个月": 3,
    "第3个月": 3,
    "第三个月": 3,
    "第3月": 3,
    "第三月": 3,
}
ALL_YEAR = re.compile(r"全年|常年")
MONTHLY = re.compile(r"每(?:个)?月(?:份)?(?:的)?")
YEARLY = re.compile(r"每年(?:的)?")
QUARTERLY = re.compile(r"每(?:个)?季度?(?:的)?(" + "|".join(sorted(QUARTER_MONTH, key=len, reverse=True)) + r")(?:的)?")
NEXT_YEAR = r"(?:次年|第二年|翌年|下一年|来年)?"
YEAR_RANGES = [
    (re.compile(rf"{D}月{D}{DAY}?至{NEXT_YEAR}{D}月{D}{DAY}"), lambda m1, d1, m2, d2: ((m1, d1), (m2, d2))),
    (re.compile(rf"{D}月{D}{DAY}?至{NEXT_YEAR}{D}月{END}?"), lambda m1, d1, m2: ((m1, d1), (m2, None))),
    (re.compile(rf"{D}月?(?:初)?至{NEXT_YEAR}{D}月(?:份)?{END}?"), lambda m1, m2: ((m1, 1), (m2, None))),
    (re.compile(rf"{D}月{D}{DAY}"), lambda m, d: ((m, d), (m, d))),
    (re.compile(rf"{D}月(?:份)?(?:整月|全月)?"), lambda m: ((m, 1), (m, None))),
]


def parse(text: str | None) -> list | None:
    """The windows of days the words give (any one of them), or None when they cannot be read whole."""
    if not text or not text.strip():
        return None
    s = normalize(text)
    if s is None:
        return None
    windows, mode, months, i = [], None, None, 0
    while i < len(s):
        found = None
        for pattern, make in ((MONTHLY, "month"), (YEARLY, "year"), (QUARTERLY, "quarter")):
            m = pattern.match(s, i)
            if m:
                mode = make
                months = None
                if make == "quarter":
                    nth = QUARTER_MONTH[m.group(1)]
                    months = frozenset(q + nth for q in (0, 3, 6, 9))
                found = m
                break
        if found is None:
            found = ALL_YEAR.match(s, i)
            if found:
                windows.append(MonthDays(1, None))
        if found is None and mode in ("month", "quarter"):
            for pattern, make in MONTH_RANGES:
                m = pattern.match(s, i)
                if m:
                    first, last, fuzzy = make(*m.groups())
                    if not _valid_day(first) or (last is not None and (not _valid_day(last) or last < first)):
                        return None
                    windows.append(MonthDays(first, last, months, fuzzy))
                    found = m
                    break
        if found is None and mode == "year":
            for pattern, make in YEAR_RANGES:
                m = pattern.match(s, i)
                if m:
                    (m1, d1), (m2, d2) = make(*(int(g) for g in m.groups()))
                    if not (
                        _valid_month(m1) and _valid_month(m2) and _valid_day(d1) and (d2 is None or _valid_day(d2))
                    ):
                        return None
                    if d1 > _longest(m1) or (d2 is not None and d2 > _longest(m2)):
                        return None
                    windows.append(YearSpan((m1, d1), (m2, d2)))
                    found = m
                    break
        if found is None:
            found = CONNECTORS.match(s, i) or FILLER.match(s, i)
        if found is None or found.end() == i:
            return None
        i = found.end()
    return windows or None


def within(text: str | None, day: datetime.date) -> bool | None:
    """Whether `day` is in the 受理时段 `text`; None when the words cannot be read (or, as with 每月20日前 on the
    20th, they do not say)."""
    windows = parse(text)
    if windows is None:
        return None
    said = [w.contains(day) for w in windows]
    if any(x is True for x in said):
        return True
    if all(x is False for x in said):
        return False
    return None
