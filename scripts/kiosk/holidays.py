"""Next year's holidays from the State Council's notice, without waiting for a library (kiosk calendar add).

The notice (国务院办公厅关于2027年部分节假日安排的通知) is read as published, one holiday a line:

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。

Every weekday named in brackets is checked against its date, and the "共N天" against the span; a notice
that disagrees with itself is refused at the line, so a typo never becomes a wrong due date.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .files import atomic_write
from .model import CalendarYear, HolidaySpan
from .problems import Problem, message

TITLE = re.compile(r"关于\s*(\d{4})\s*年.*?节假日安排")
LINE = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(?P<name>[^：:]+)[：:](?P<rest>.+)$")
DATE = re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:[（(](?P<note>[^）)]*)[）)])?")
WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")
DAYS = re.compile(r"共\s*(\d+)\s*天")


@dataclass
class Notice:
    year: int | None = None
    title: str | None = None
    holidays: list[HolidaySpan] = field(default_factory=list)
    workdays: list[datetime.date] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_notice(text: str, file: str, year: int | None = None) -> Notice:
    """The holidays and make-up working days of a notice; every disagreement is a problem at its line."""
    out = Notice(year=year)
    lines = text.splitlines()
    for n, line in enumerate(lines, 1):
        found = TITLE.search(line)
        if found and out.title is None:
            out.title = line.strip()
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
    work, _, _ = after.rpartition("上班")
    if work:
        out.workdays += _dates(work.split("。", 1)[-1] if "。" in work else work, out.year, problem)


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
                problem("notice_weekday", date=day, said=f"周{said.group(1)}", real=f"周{message('weekday_names')[day.weekday()]}")
        out.append(day)
    return out


def add_to_file(notice: Notice, path: Path) -> None:
    """Write the notice's year into the calendar file (replacing that year if it is there), keeping the
    file's opening comment and the other years."""
    text = path.read_text("utf-8") if path.exists() else ""
    header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#")) if text else ""
    years = (yaml.safe_load(text) or {}).get("years") or {} if text else {}
    years[notice.year] = CalendarYear(holidays=notice.holidays, workdays=notice.workdays,
                                      source=notice.title).model_dump(mode="json")
    lines = [header.rstrip("\n"), "years:"] if header else ["years:"]
    for year in sorted(years):
        spec = years[year]
        lines.append(f"  {year}:")
        if spec.get("source"):
            lines.append(f"    source: {_quoted(spec['source'])}")
        lines.append("    holidays:")
        for h in spec.get("holidays") or []:
            lines.append(f"      - {{name: {_quoted(h['name'])}, start: {h['start']}, end: {h['end']}}}")
        lines.append(f"    workdays: [{', '.join(str(d) for d in spec.get('workdays') or [])}]")
    atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
