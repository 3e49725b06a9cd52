"""`kiosk calendar add`: next year's holidays from the State Council's notice, as published."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from conftest import FIXTURES, run_kiosk
from kiosk.holidays import read_notice
from kiosk.model import CalendarFile, CalendarYear
from kiosk.workdays import WorkCalendar

NOTICES = FIXTURES / "notices"


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_notice_gives_the_same_days_as_chinese_calendar(year):
    """2025 as published (full-width punctuation), 2026 as most reprints carry it (half-width)."""
    path = NOTICES / f"{year}.txt"
    notice = read_notice(path.read_text("utf-8"), str(path))
    assert notice.problems == []
    assert notice.year == year and notice.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    ours = WorkCalendar(CalendarFile(years={year: CalendarYear(holidays=notice.holidays, workdays=notice.workdays)}))
    day = datetime.date(year, 1, 1)
    while day.year == year:
        assert ours.is_workday(day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_a_wrong_weekday_or_day_count_is_refused_at_its_line_and_nothing_is_written(good_catalogue, tmp_path):
    """A copy seen online has 劳动节 make-up day 4月28日（周日）: 2025-04-28 was a Monday."""
    text = (NOTICES / "2025.txt").read_text("utf-8")
    bad = tmp_path / "notice.txt"
    bad.write_text(text.replace("4月27日（周日）", "4月28日（周日）").replace("共8天。1月26日", "共9天。1月26日"), "utf-8")
    before = (good_catalogue / "_calendar.yaml").read_bytes()
    result = run_kiosk("calendar", "add", bad, "--dir", good_catalogue, cwd=tmp_path)
    assert result.returncode == 1
    assert f"{bad}:13:1: 劳动节: 2025-04-28 是周一，通知里写的是周日：请核对通知原文" in result.stdout
    assert f"{bad}:11:1: 春节: 写的是共 9 天，2025-01-28 到 2025-02-04 却是 8 天：请核对通知原文" in result.stdout
    assert (good_catalogue / "_calendar.yaml").read_bytes() == before


def test_a_year_the_library_does_not_know_is_added_and_used_by_kiosk_due(good_catalogue, tmp_path):
    """A notice for 2031 (made up for the test: the weekdays are right, the holidays invented)."""
    assert not WorkCalendar().knows(2031)
    notice = tmp_path / "2031.txt"
    notice.write_text(
        "国务院办公厅关于2031年部分节假日安排的通知\n"
        "一、元旦：1月1日（周三）放假1天，不调休。\n"
        "二、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。\n", "utf-8")
    added = run_kiosk("calendar", "add", notice, "--dir", good_catalogue, cwd=tmp_path)
    assert added.returncode == 0, added.stdout + added.stderr
    assert "2031 年，2 个节日，1 个调休上班日" in added.stdout
    assert run_kiosk("check", good_catalogue, cwd=tmp_path).returncode == 0
    text = (good_catalogue / "_calendar.yaml").read_text("utf-8")
    assert text.startswith("# 工作日日历的补充"), "the file's own explanation is kept"
    due = run_kiosk("due", "dibao-apply", "--accepted", "2031-04-25", "--dir", good_catalogue, cwd=tmp_path)
    assert due.returncode == 0, due.stdout + due.stderr
    # counted by hand: 04-27 (the Sunday worked) is day 1, 05-01..05 are off, day 20 is Tuesday 05-27
    assert due.stdout.strip() == ("最低生活保障审核确认：2031-04-25 受理，承诺 20 个工作日，应在 2031-05-27（星期二）前办结；"
                                  "公示 7 天不计算在内，算上它最迟 2031-06-03（星期二）")
    # adding the same year again replaces it rather than adding it twice
    assert run_kiosk("calendar", "add", notice, "--dir", good_catalogue, cwd=tmp_path).returncode == 0
    assert (good_catalogue / "_calendar.yaml").read_text("utf-8").count("  2031:") == 1


def test_a_notice_without_a_year_asks_for_one(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("一、元旦：1月1日（周三）放假1天，不调休。\n", "utf-8")
    assert read_notice(path.read_text("utf-8"), str(path)).problems[0].text.startswith("找不到年份")
    assert read_notice(path.read_text("utf-8"), str(path), year=2025).holidays[0].name == "元旦"
