"""Committed due dates (限时办结) with official holidays and make-up working days."""

from __future__ import annotations

import datetime

import pytest
from conftest import catalogue_from, run_kiosk

from kiosk.calendar.workdays import WorkCalendar
from kiosk.catalogue.load import load
from kiosk.exceptions import UnknownYear

D = datetime.date
cal = WorkCalendar()


def test_make_up_sunday_counts_as_a_working_day():
    # 2026-01-01..03 is the New Year holiday, Sunday 2026-01-04 a make-up working day
    assert cal.due(D(2026, 1, 2), 1, "工作日") == D(2026, 1, 4)


def test_holiday_week_is_skipped_and_make_up_saturday_counted():
    # National Day 2026-10-01..07 off; Saturday 2026-10-10 is a make-up working day
    assert cal.due(D(2026, 9, 30), 3, "工作日") == D(2026, 10, 10)
    assert cal.due(D(2026, 9, 30), 4, "工作日") == D(2026, 10, 12)


def test_across_the_year_end():
    # 12-31 (1), then 01-01..03 off, Sunday 01-04 make-up (2), Monday 01-05 (3)
    assert cal.due(D(2025, 12, 30), 3, "工作日") == D(2026, 1, 5)


def test_natural_days_ending_on_a_holiday_move_to_the_next_working_day():
    assert cal.due(D(2026, 9, 10), 7, "自然日") == D(2026, 9, 17)
    assert cal.due(D(2026, 9, 24), 7, "自然日") == D(2026, 10, 8)


def test_months():
    assert cal.due(D(2026, 1, 31), 1, "月") == D(2026, 2, 28)  # month end; a make-up Saturday
    assert cal.due(D(2026, 4, 30), 1, "月") == D(2026, 6, 1)  # 05-30 is an ordinary Saturday
    assert cal.due(D(2026, 5, 11), 1, "月") == D(2026, 6, 11)


def test_instant_matter_is_due_the_same_day():
    assert cal.due(D(2026, 10, 3), 0, "工作日") == D(2026, 10, 3)


def test_unknown_year_is_an_error_never_a_guess():
    with pytest.raises(UnknownYear) as e:
        cal.due(D(2031, 3, 2), 5, "工作日")
    assert e.value.year == 2031


def test_calendar_file_adds_a_year(tmp_path):
    matters = catalogue_from(tmp_path)
    (matters / "_calendar.yaml").write_text(
        "years:\n"
        "  2031:\n"
        "    holidays:\n"
        "      - {name: 劳动节, start: 2031-05-01, end: 2031-05-05}\n"
        "    workdays: [2031-05-10]\n",
        "utf-8",
    )
    loaded = load(matters)
    assert loaded.ok, loaded.problems
    c = loaded.calendar
    assert c.knows(2031)
    assert c.due(D(2031, 4, 30), 1, "工作日") == D(2031, 5, 6)
    assert c.due(D(2031, 5, 9), 1, "工作日") == D(2031, 5, 10)  # make-up Saturday from the file


def test_calendar_file_dates_must_lie_in_their_year(tmp_path):
    matters = catalogue_from(tmp_path)
    (matters / "_calendar.yaml").write_text(
        "years:\n  2031:\n    holidays:\n      - {name: 元旦, start: 2030-12-31, end: 2031-01-01}\n", "utf-8"
    )
    out = run_kiosk("check", "matters", cwd=tmp_path).stdout
    assert "matters/_calendar.yaml:4:20: years.2031.holidays[0].start: 日期 2030-12-31 不在 2031 年" in out


def test_kiosk_due_prints_the_committed_date(good_catalogue, tmp_path):
    result = run_kiosk("due", "dibao-apply", "--received", "2026-09-28", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().split("\n") == [
        "最低生活保障审核确认：从受理日 2026-09-28 算（原指南：受理之日起）",
        "  承诺时限：20 个工作日（公示 7 天不计算在内）",
        "    应在 2026-10-30（星期五）前办结；公示 7 天不计算在内，算上它最迟 2026-11-06（星期五）",
        "  法定时限：30 个工作日（特殊情况可延长至 45 个工作日）",
        "    应在 2026-11-13（星期五）前办结；公示 7 天不计算在内，算上它最迟 2026-11-20（星期五）",
    ]


def test_kiosk_due_for_an_instant_matter(good_catalogue, tmp_path):
    result = run_kiosk("due", "renmin-tiaojie", "--received", "2026-10-09", cwd=tmp_path)
    assert result.stdout.strip().split("\n") == [
        "人民调解申请：2026-10-09 受理",
        "  承诺时限：即办件，当场办结",
        "  法定时限：即办",
        "    没有写成多久，算不出日期",
    ]


def test_kiosk_due_into_an_unknown_year_names_year_and_file(good_catalogue, tmp_path):
    result = run_kiosk(
        "due", "dibao-apply", "--received", "2031-03-02", cwd=tmp_path
    )  # a year no calendar will soon know
    assert result.returncode == 1
    assert "2031 年" in result.stderr and "matters/_calendar.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_kiosk_due_usage_errors(good_catalogue, tmp_path):
    assert run_kiosk("due", "dibao-apply", "--received", "2026-13-01", cwd=tmp_path).returncode == 2
    assert run_kiosk("due", "dibao-apply", cwd=tmp_path).returncode == 2
    unknown = run_kiosk("due", "no-such-matter", "--received", "2026-03-02", cwd=tmp_path)
    assert unknown.returncode == 1 and "no-such-matter" in unknown.stderr
