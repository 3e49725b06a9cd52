"""`kiosk calendar add`: next year's holidays from the State Council's notice, as published."""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest
import yaml
from conftest import FIXTURES, run_kiosk

from kiosk.calendar.holidays import read_notice
from kiosk.calendar.workdays import WorkCalendar
from kiosk.model import CalendarFile, CalendarYear

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
    bad.write_text(
        text.replace("4月27日（周日）", "4月28日（周日）").replace("共8天。1月26日", "共9天。1月26日"), "utf-8"
    )
    before = (good_catalogue / "_calendar.yaml").read_bytes()
    result = run_kiosk("calendar", "add", bad, "--dir", good_catalogue, cwd=tmp_path)
    assert result.returncode == 1
    assert f"{bad}:13:1: 劳动节: 2025-04-28 是周一，通知里写的是周日：请核对通知原文" in result.stdout
    assert f"{bad}:11:1: 春节: 写的是共 9 天，2025-01-28 到 2025-02-04 却是 8 天：请核对通知原文" in result.stdout
    assert (good_catalogue / "_calendar.yaml").read_bytes() == before


def test_a_year_the_library_does_not_know_is_added_and_used_by_kiosk_due(good_catalogue, tmp_path):
    """A notice for 2031 (made up for the test: the weekdays are right, the holidays invented; 中秋 and 国庆 on
    one line, as in years they meet)."""
    assert not WorkCalendar().knows(2031)
    notice = tmp_path / "2031.txt"
    notice.write_text(
        "国务院办公厅关于2031年部分节假日安排的通知\n"
        "一、元旦：1月1日（周三）放假1天，不调休。\n"
        "二、春节：1月22日（周三）至28日（周二）放假调休，共7天。1月19日（周日）、2月8日（周六）上班。\n"
        "三、清明节：4月5日（周六）至7日（周一）放假，共3天。\n"
        "四、劳动节：5月1日（周四）至5日（周一）放假调休，共5天。4月27日（周日）上班。\n"
        "五、端午节：6月22日（周日）至24日（周二）放假，共3天。\n"
        "六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。\n",
        "utf-8",
    )
    added = run_kiosk("calendar", "add", notice, "--dir", good_catalogue, cwd=tmp_path)
    assert added.returncode == 0, added.stdout + added.stderr
    assert "2031 年，6 个节日，5 个调休上班日" in added.stdout
    assert run_kiosk("check", good_catalogue, cwd=tmp_path).returncode == 0
    text = (good_catalogue / "_calendar.yaml").read_text("utf-8")
    assert text.startswith("# 工作日日历的补充"), "the file's own explanation is kept"
    due = run_kiosk("due", "dibao-apply", "--accepted", "2031-04-25", "--dir", good_catalogue, cwd=tmp_path)
    assert due.returncode == 0, due.stdout + due.stderr
    # counted by hand: 04-27 (the Sunday worked) is day 1, 05-01..05 are off, day 20 is Tuesday 05-27
    assert "应在 2031-05-27（星期二）前办结；公示 7 天不计算在内，算上它最迟 2031-06-03（星期二）" in due.stdout
    # adding the same year again replaces it rather than adding it twice
    assert run_kiosk("calendar", "add", notice, "--dir", good_catalogue, cwd=tmp_path).returncode == 0
    assert (good_catalogue / "_calendar.yaml").read_text("utf-8").count("  2031:") == 1


def test_a_notice_without_a_year_asks_for_one(tmp_path):
    path = tmp_path / "n.txt"
    path.write_text("一、元旦：1月1日（周三）放假1天，不调休。\n", "utf-8")
    assert read_notice(path.read_text("utf-8"), str(path)).problems[0].text.startswith("找不到年份")
    assert read_notice(path.read_text("utf-8"), str(path), year=2025).holidays[0].name == "元旦"


def edited(tmp_path, year: int, *changes: tuple[str, str]):
    """The published notice of `year` with each (old, new) made, as tmp_path/notice.txt; every `old` is there."""
    text = (NOTICES / f"{year}.txt").read_text("utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "notice.txt"
    path.write_text(text, "utf-8")
    return path


def refused(notice, catalogue, *options, code=1):
    """Run `kiosk calendar add`; it must refuse and leave the calendar file as it was. What it said."""
    before = (catalogue / "_calendar.yaml").read_bytes()
    result = run_kiosk("calendar", "add", notice, "--dir", catalogue, *options, cwd=notice.parent)
    assert result.returncode == code, result.stdout + result.stderr
    assert (catalogue / "_calendar.yaml").read_bytes() == before
    return result.stdout + result.stderr


@pytest.mark.parametrize("year, lines, workdays", [(2025, 6, 5), (2026, 7, 6)])  # 2025: 国庆节、中秋节 one line
def test_the_published_notices_go_in_cleanly(good_catalogue, tmp_path, year, lines, workdays):
    added = run_kiosk("calendar", "add", NOTICES / f"{year}.txt", "--dir", good_catalogue, cwd=tmp_path)
    assert added.returncode == 0, added.stdout + added.stderr
    assert f"{year} 年，{lines} 个节日，{workdays} 个调休上班日" in added.stdout
    written = CalendarFile.model_validate(yaml.safe_load((good_catalogue / "_calendar.yaml").read_text("utf-8")))
    assert written.years[year].override is None and written.years[year].differs == []
    assert run_kiosk("check", good_catalogue, cwd=tmp_path).returncode == 0


@pytest.mark.parametrize(
    "year, line, missing",
    [
        (2025, "五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。\n", "端午节"),
        (
            2025,
            "六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。\n",
            "中秋节、国庆节",
        ),
        (2026, "六、中秋节:9月25日(周五)至27日(周日)放假,共3天。\n", "中秋节"),
    ],
)
def test_a_notice_missing_a_festival_is_refused(good_catalogue, tmp_path, year, line, missing):
    """Six holidays where there are seven would leave a festival's days as working days."""
    notice = edited(tmp_path, year, (line, ""))
    said = refused(notice, good_catalogue)
    assert (
        f"{notice}:1:1: -: 通知里没有{missing}：元旦、春节、清明节、劳动节、端午节、中秋节、国庆节每个都应有一行"
        "（中秋、国庆可合成一行），请核对通知原文是否抄全"
    ) in said


def test_a_make_up_working_day_that_is_a_weekday_is_refused_at_its_line(good_catalogue, tmp_path):
    notice = edited(tmp_path, 2026, ("1月4日(周日)上班", "1月5日(周一)上班"))
    said = refused(notice, good_catalogue)
    assert f"{notice}:7:1: 元旦: 2026-01-05 是周一，本来就上班，不是调休上班日：请核对通知原文" in said


@pytest.mark.parametrize(
    "change, where",
    [
        # self-consistent (weekdays and 共N天 agree), but not what was published
        (
            ("10月1日(周四)至7日(周三)放假调休,共7天", "10月1日(周四)至8日(周四)放假调休,共8天"),
            "13:1: 国庆节: 10月8日（周四）：通知写的是放假，日历库里是工作日",
        ),
        (
            ("9月20日(周日)、10月10日(周六)上班", "9月20日(周日)上班"),
            "13:1: 国庆节: 10月10日（周六）：通知写的是周末休息，日历库里是调休上班",
        ),
        (
            ("6月19日(周五)至21日(周日)放假,共3天", "6月20日(周六)至21日(周日)放假,共2天"),
            "11:1: 端午节: 6月19日（周五）：通知写的是工作日，日历库里是放假",
        ),
    ],
)
def test_a_notice_that_disagrees_with_the_library_is_refused_day_by_day(good_catalogue, tmp_path, change, where):
    notice = edited(tmp_path, 2026, change)
    assert read_notice(notice.read_text("utf-8"), str(notice)).problems == []
    said = refused(notice, good_catalogue)
    assert f"{notice}:{where}" in said
    assert (
        "通知和日历库（chinese-calendar）有 1 天对不上，什么也没写：请核对通知原文。"
        '确认通知没错（如国务院后来调整了安排），用 --override "理由" 照通知写入'
    ) in said


def test_override_writes_the_notice_and_its_reason_and_due_dates_follow_the_notice(good_catalogue, tmp_path):
    notice = edited(
        tmp_path, 2026, ("10月1日(周四)至7日(周三)放假调休,共7天", "10月1日(周四)至8日(周四)放假调休,共8天")
    )
    reason = "国务院办公厅补充通知：国庆节多放一天（测试用）"
    assert "--override 要写明理由" in refused(notice, good_catalogue, "--override", "  ", code=2)  # a blank one is none
    added = run_kiosk("calendar", "add", notice, "--dir", good_catalogue, "--override", reason, cwd=tmp_path)
    assert added.returncode == 0, added.stdout + added.stderr
    assert "2026 年有 1 天与日历库不同，已照通知写入" in added.stdout
    text = (good_catalogue / "_calendar.yaml").read_text("utf-8")
    written = CalendarFile.model_validate(yaml.safe_load(text))
    assert written.years[2026].override == reason
    assert written.years[2026].differs == ["10月8日（周四）：通知写的是放假，日历库里是工作日"]
    assert run_kiosk("check", good_catalogue, cwd=tmp_path).returncode == 0
    # the library counts 2026-10-08 as a working day: 20 working days from 09-28 end on Friday 10-30
    assert WorkCalendar().add_workdays(datetime.date(2026, 9, 28), 20) == datetime.date(2026, 10, 30)
    due = run_kiosk("due", "dibao-apply", "--accepted", "2026-09-28", "--dir", good_catalogue, cwd=tmp_path)
    assert due.returncode == 0, due.stdout + due.stderr
    # the file wins: 10-08 is off, so day 20 is Monday 11-02
    assert "应在 2026-11-02（星期一）前办结" in due.stdout
    # the same notice again, without --override, is refused and leaves the overridden year as it is
    assert "10月8日（周四）" in refused(notice, good_catalogue)
