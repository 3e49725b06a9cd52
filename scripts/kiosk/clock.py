"""Today, for every command and the desk: one place asks the date.

`KIOSK_TODAY` (YYYY-MM-DD) fixes it, to rehearse a year's end or in tests; otherwise it is today's date in
China (Asia/Shanghai), whatever the machine's own time zone. The desk sets it in-process through
`kiosk.desk.deadlines.clock`; nothing else reads the real date.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from . import settings

CHINA = ZoneInfo("Asia/Shanghai")


def today() -> datetime.date:
    fixed = settings.env("KIOSK_TODAY")
    if fixed:
        return datetime.date.fromisoformat(fixed)
    return datetime.datetime.now(CHINA).date()


def reminder_day(year: int) -> datetime.date:
    """The day of `year` from which a missing calendar for the next year is said (KIOSK_CALENDAR_REMINDER)."""
    default = next(s.default for s in settings.ENVIRONMENT if s.name == "KIOSK_CALENDAR_REMINDER")
    text = settings.env("KIOSK_CALENDAR_REMINDER")
    try:
        month, day = (int(x) for x in text.split("-"))
        return datetime.date(year, month, day)
    except ValueError:
        month, day = (int(x) for x in default.split("-"))
        return datetime.date(year, month, day)


def missing_next_year(calendar, day: datetime.date | None = None) -> int | None:
    """Next year, when it is time to have its holiday calendar (from the reminder day on) and the calendar does
    not know it yet; else None."""
    day = day or today()
    if day < reminder_day(day.year) or calendar.knows(day.year + 1):
        return None
    return day.year + 1
