"""Next year's holidays from the State Council's notice, without waiting for a library (kiosk calendar add).

The notice (国务院办公厅关于2027年部分节假日安排的通知) is read as published, one holiday a line:

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

Every weekday named in brackets is checked against its date, and the "共N天" against the span; a notice
that disagrees with itself is refused at the line, so a typo never becomes a wrong due date. So is a notice
that lacks one of the seven festivals (中秋 and 国庆 may share a line), and a make-up working day (上班) that
is a Monday to Friday anyway.

For a year the chinese-calendar library knows, the notice is also compared with it day by day (working day
or not, which is all a due date depends on); every day they disagree on is named at its line and the notice
is refused, unless the one adding it gives the reason it is right (`--override`): then the reason and the
days are written into the year's entry, and the file's year is what the working-day calendar uses.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import chinese_calendar
import yaml

from ..files import atomic_write
from ..model import CalendarYear, HolidaySpan
from ..problems import Problem, message

TITLE = re.compile(r"关于\s*(\d{4})\s*年.*?节假日安排")
LINE = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<name>[^：:]+)[：:](?P<rest>.+)$")
DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:[（(](?P<note>[^）)]*)[）)])?")
WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
DAYS = re.compile(r"共\s*(\d+)\s*天")
# the seven festivals every notice has a line for; a line is known by the first two characters of the name
# ("国庆节、中秋节：…" covers both)
FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
# the library's names of them (chinese_calendar.Holiday), to find the line of a day only the library has
LIBRARY_NAMES = {
    chinese_calendar.Holiday.new_years_day.value: "元旦",
    chinese_calendar.Holiday.spring_festival.value: "春节",
    chinese_calendar.Holiday.tomb_sweeping_day.value: "清明节",
    chinese_calendar.Holiday.labour_day.value: "劳动节",
    chinese_calendar.Holiday.dragon_boat_festival.value: "端午节",
    chinese_calendar.Holiday.mid_autumn_festival.value: "中秋节",
    chinese_calendar.Holiday.national_day.value: "国庆节",
}


@dataclass
class Notice:
    year: int | None = None
    title: str | None = None
    title_line: int = 1
    holidays: list[HolidaySpan] = field(default_factory=list)
    workdays: list[datetime.date] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # (name as the notice writes it, line) of each holiday line, and of each day the notice names off or on
    lines: list[tuple[str, int]] = field(default_factory=list)
    days: dict[datetime.date, tuple[str, int]] = field(default_factory=dict)

    def is_workday(self, day: datetime.date) -> bool:
        if day in self.workdays:
            return True
        return day.weekday() < 5 and not any(h.start <= day <= h.end for h in self.holidays)

    def kind(self, day: datetime.date) -> str:
        """What the notice makes of the day: 放假, 调休上班, 工作日 or 周末休息."""
        if day in self.workdays:
            return message("notice_day_makeup")
        if any(h.start <= day <= h.end for h in self.holidays):
            return message("notice_day_off")
        return message("notice_day_workday" if day.weekday() < 5 else "notice_day_weekend")


@dataclass
class Difference:
    """A day the notice and the chinese-calendar library disagree on (working day or not)."""

    day: datetime.date
    ours: str
    theirs: str
    name: str
    line: int

    @property
    def text(self) -> str:
        return message(
            "notice_library_differs",
            month=self.day.month,
            day=self.day.day,
            weekday=f"周{message('weekday_names')[self.day.weekday()]}",
            ours=self.ours,
            theirs=self.theirs,
        )

    def problem(self, file: str) -> Problem:
        return Problem(file, self.line, 1, self.name, self.text)


def read_notice(text: str, file: str, year: int | None = None) -> Notice:
    """The holidays and make-up working days of a notice; every disagreement is a problem at its line."""
    out = Notice(year=year)
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        found = TITLE.search(line)
        if found and out.title is None:
            out.title, out.title_line = line.strip(), n
            out.year = out.year or int(found.group(1))
    if out.year is None:
        out.problems.append(Problem(file, 1, 1, "", message("notice_no_year")))
        return out
    for n, line in enumerate(lines, 1):
        found = LINE.match(line.strip())
        if not found or "放假" not in found.group("rest"):
            continue
        _read_line(found.group("name").strip(), found.group("rest"), out, file, n)
    if not out.holidays and not out.problems:
        out.problems.append(Problem(file, 1, 1, "", message("notice_no_holidays")))
    elif out.holidays:
        named = "".join(name for name, _ in out.lines)
        missing = [f for f in FESTIVALS if f[:2] not in named]
        if missing:
            out.problems.append(
                Problem(
                    file,
                    out.title_line if out.title else 1,
                    1,
                    "",
                    message("notice_missing_festivals", names="、".join(missing)),
                )
            )
    return out


def _read_line(name: str, rest: str, out: Notice, file: str, n: int) -> None:
    off, _, after = rest.partition("放假")
    problem = lambda key, **values: out.problems.append(Problem(file, n, 1, name, message(key, **values)))  # noqa: E731
    dates = _dates(off, out.year, problem)
    if not dates or len(dates) > 2:
        problem("notice_bad_line")
        return
    start, end = dates[0], dates[-1]
    if end < start:
        problem("calendar_span_backwards", start=start, end=end)
        return
    stated = DAYS.search(rest)
    if stated and int(stated.group(1)) != (end - start).days + 1:
        problem("notice_days", stated=stated.group(1), counted=(end - start).days + 1, start=start, end=end)
    out.holidays.append(HolidaySpan(name=name, start=start, end=end))
    out.lines.append((name, n))
    day = start
    while day <= end:
        out.days.setdefault(day, (name, n))
        day += datetime.timedelta(days=1)
    work, _, _ = after.rpartition("上班")
    if work:
        for day in _dates(work.split("。", 1)[-1] if "。" in work else work, out.year, problem):
            if day.weekday() < 5:
                problem("notice_workday_not_weekend", date=day, real=f"周{message('weekday_names')[day.weekday()]}")
            out.workdays.append(day)
            out.days.setdefault(day, (name, n))


def _dates(text: str, year: int, problem) -> list[datetime.date]:
    """The dates in `text`; a date without its month takes the month before it ("1月1日至3日")."""
    out, month = [], None
    for found in DATE.finditer(text):
        month = int(found.group("m")) if found.group("m") else month
        if month is None:
            problem("notice_bad_line")
            return []
        try:
            day = datetime.date(int(found.group("y") or year), month, int(found.group("d")))
        except ValueError:
            problem("notice_no_such_date", text=found.group(0))
            return []
        said = WEEKDAY.search(found.group("note") or "")
        if said:
            named = message("weekday_names").index("日" if said.group(1) == "天" else said.group(1))
            if named != day.weekday():
                problem(
                    "notice_weekday",
                    date=day,
                    said=f"周{said.group(1)}",
                    real=f"周{message('weekday_names')[day.weekday()]}",
                )
        out.append(day)
    return out


def library_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def library_differences(notice: Notice) -> list[Difference]:
    """Every day of the notice's year (and any day it names outside it) that the notice and the chinese-calendar
    library disagree on, working day or not; none for a year the library does not know. Late December days
    the library gives to next year's 元旦 belong to next year's notice and are left out unless this one names
    them."""
    if not library_knows(notice.year):
        return []
    days = set(notice.days)
    day = datetime.date(notice.year, 1, 1)
    while day.year == notice.year:
        days.add(day)
        day += datetime.timedelta(days=1)
    by_name = {name[:2]: (name, n) for name, n in reversed(notice.lines)}
    out = []
    for day in sorted(days):
        try:
            theirs, festival = chinese_calendar.is_workday(day), chinese_calendar.get_holiday_detail(day)[1]
        except NotImplementedError:
            continue
        festival = LIBRARY_NAMES.get(getattr(festival, "value", festival))
        if day not in notice.days and day.month == 12 and day.year == notice.year and festival == "元旦":
            continue
        if notice.is_workday(day) == theirs:
            continue
        if day in notice.days:
            name, n = notice.days[day]
        else:
            name, n = by_name.get((festival or "")[:2], ("", notice.title_line if notice.title else 1))
        out.append(Difference(day, notice.kind(day), _library_kind(day), name, n))
    return out


def _library_kind(day: datetime.date) -> str:
    if day in chinese_calendar.workdays:
        return message("notice_day_makeup")
    if day in chinese_calendar.holidays:
        return message("notice_day_off")
    return message("notice_day_workday" if day.weekday() < 5 else "notice_day_weekend")


def add_to_file(notice: Notice, path: Path, override: str | None = None, differences: list[Difference] = ()) -> None:
    """Write the notice's year into the calendar file (replacing that year if it is there), keeping the
    file's opening comment and the other years."""
    text = path.read_text("utf-8") if path.exists() else ""
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#")) if text else ""
    years = (yaml.safe_load(text) or {}).get("years") or {} if text else {}
    years[notice.year] = CalendarYear(
        holidays=notice.holidays,
        workdays=notice.workdays,
        source=notice.title,
        override=override,
        differs=[d.text for d in differences] if override else [],
    ).model_dump(mode="json")
    lines = [header.rstrip("\n"), "years:"] if header else ["years:"]
    for year in sorted(years):
        spec = years[year]
        lines.append(f"  {year}:")
        if spec.get("source"):
            lines.append(f"    source: {_quoted(spec['source'])}")
        if spec.get("override"):
            lines.append(f"    override: {_quoted(spec['override'])}")
            lines.append("    differs:" if spec.get("differs") else "    differs: []")
            lines += [f"      - {_quoted(text)}" for text in spec.get("differs") or []]
        lines.append("    holidays:")
        for h in spec.get("holidays") or []:
            lines.append(f"      - {{name: {_quoted(h['name'])}, start: {h['start']}, end: {h['end']}}}")
        lines.append(f"    workdays: [{', '.join(str(d) for d in spec.get('workdays') or [])}]")
    atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
