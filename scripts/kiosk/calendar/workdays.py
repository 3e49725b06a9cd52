"""Working days (限时办结): official holidays and make-up working days.

The chinese-calendar library knows the State Council's holiday notices up to
its release; `matters/_calendar.yaml` adds years it does not know yet. A year
that neither knows is an `UnknownYear` error, never a guess.

Counting follows the usual reading of 行政许可法 §82 and 民法典 §201-203: the
day an application is received is not counted; a period in natural days or
months that ends on a day off ends on the next working day instead.
"""

from __future__ import annotations

import calendar
import datetime

import chinese_calendar

from ..exceptions import UnknownYear
from ..model import CalendarFile

DAY = datetime.timedelta(days=1)


class WorkCalendar:
    """Working days from `_calendar.yaml` and the chinese-calendar library. A year in the file is taken from
    the file, whole, even when the library knows it too: the file wins (a year the library has wrong is
    written there with `kiosk calendar add --override`). Other years come from the library."""

    def __init__(self, extra: CalendarFile | None = None, file: str = "matters/_calendar.yaml"):
        self.file = file
        self._off: dict[int, set[datetime.date]] = {}
        self._on: dict[int, set[datetime.date]] = {}
        for year, spec in (extra.years if extra else {}).items():
            off = set()
            for span in spec.holidays:
                day = span.start
                while day <= span.end:
                    off.add(day)
                    day += DAY
            self._off[year] = off
            self._on[year] = set(spec.workdays)

    def knows(self, year: int) -> bool:
        if year in self._off:
            return True
        try:
            chinese_calendar.is_workday(datetime.date(year, 6, 1))
            return True
        except NotImplementedError:
            return False

    def is_workday(self, day: datetime.date) -> bool:
        if day.year in self._off:
            if day in self._on[day.year]:
                return True
            return day.weekday() < 5 and day not in self._off[day.year]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise UnknownYear(day.year, self.file) from None

    def add_workdays(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (start itself not counted)."""
        day = start
        while days > 0:
            day += DAY
            if self.is_workday(day):
                days -= 1
        return day

    def next_workday_from(self, day: datetime.date) -> datetime.date:
        while not self.is_workday(day):
            day += DAY
        return day

    def due(self, received: datetime.date, days: int, unit: str) -> datetime.date:
        """The last day to finish a matter received on `received`."""
        if days == 0:
            return received
        if unit == "工作日":
            return self.add_workdays(received, days)
        if unit == "自然日":
            return self.next_workday_from(received + days * DAY)
        if unit == "月":
            return self.next_workday_from(add_months(received, days))
        raise ValueError(f"unknown unit {unit!r}")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Same day `months` later; the month's last day where that day is missing."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
