"""受理时段 as guides write them (kiosk.calendar.accept_period.within): in, out, or None when the words do not say
(never a guess)."""

from __future__ import annotations

import datetime

import pytest

from kiosk.calendar.accept_period import parse, within

D = datetime.date


@pytest.mark.parametrize(
    "text",
    [
        "每月1-20日集中受理",
        "每月1日至20日",
        "每月1—20日",
        "每月1–20日",
        "每月1～20日",
        "每月 1 - 20 日",
        "每月1日-20日",
        "每月的1号到20号",
        "每月一日至二十日",
        "每月１-２０日集中受理",
        "每个月1至20日（集中受理）",
        "每月1-20日期间受理",
    ],
)
def test_the_shapes_of_days_1_to_20_of_every_month(text):
    assert within(text, D(2026, 9, 1)) is True
    assert within(text, D(2026, 9, 14)) is True
    assert within(text, D(2026, 9, 20)) is True
    assert within(text, D(2026, 9, 21)) is False
    assert within(text, D(2026, 2, 28)) is False
    assert within(text, D(2026, 12, 31)) is False


@pytest.mark.parametrize(
    "text, day, expected",
    [
        ("每年3月1日至5月31日", D(2026, 3, 1), True),
        ("每年3月1日至5月31日", D(2026, 5, 31), True),
        ("每年3月1日至5月31日", D(2026, 2, 28), False),
        ("每年3月1日至5月31日", D(2026, 6, 1), False),
        ("每年3月1日-5月31日集中申报", D(2026, 4, 15), True),
        ("每年三月一日至五月三十一日", D(2026, 4, 15), True),
        ("每年3月至5月", D(2026, 5, 31), True),
        ("每年3-5月", D(2026, 6, 1), False),
        ("每年3月1日至5月底", D(2026, 5, 31), True),
        ("每年6月", D(2026, 6, 30), True),
        ("每年6月", D(2026, 7, 1), False),
        ("每年11月1日至次年2月底", D(2026, 12, 31), True),
        ("每年11月1日至次年2月底", D(2028, 2, 29), True),  # a leap year's end of February
        ("每年11月1日至次年2月底", D(2026, 3, 1), False),
        ("每年11月1日至次年2月底", D(2026, 10, 31), False),
        ("每年3月1日至5月31日、9月1日至10月31日", D(2026, 9, 30), True),
        ("每年3月1日至5月31日、9月1日至10月31日", D(2026, 7, 1), False),
    ],
)
def test_periods_of_every_year(text, day, expected):
    assert within(text, day) is expected


@pytest.mark.parametrize(
    "text, day, expected",
    [
        ("每季度首月1-10日", D(2026, 1, 10), True),
        ("每季度首月1-10日", D(2026, 4, 1), True),
        ("每季度首月1-10日", D(2026, 7, 5), True),
        ("每季度首月1-10日", D(2026, 10, 10), True),
        ("每季度首月1-10日", D(2026, 10, 11), False),
        ("每季度首月1-10日", D(2026, 2, 5), False),
        ("每季度第一个月1日至10日", D(2026, 11, 5), False),
        ("每季度最后一个月20日至月底", D(2026, 12, 31), True),
        ("每季度最后一个月20日至月底", D(2026, 11, 25), False),
    ],
)
def test_quarters(text, day, expected):
    assert within(text, day) is expected


@pytest.mark.parametrize(
    "text, day, expected",
    [
        ("每月上旬", D(2026, 9, 10), True),
        ("每月上旬", D(2026, 9, 11), False),
        ("每月中旬", D(2026, 9, 11), True),
        ("每月下旬", D(2026, 2, 28), True),
        ("每月10日至月底", D(2026, 9, 30), True),
        ("每月10日至月底", D(2026, 9, 9), False),
        ("每月15日", D(2026, 9, 15), True),
        ("每月15日", D(2026, 9, 16), False),
        ("每月1-5日、15-20日", D(2026, 9, 16), True),
        ("每月1-5日、15-20日", D(2026, 9, 10), False),
        ("每月20日前", D(2026, 9, 19), True),
        ("每月20日前", D(2026, 9, 21), False),
        ("每月20日前", D(2026, 9, 20), None),  # 前 may or may not take the 20th in: not said
        ("全年受理", D(2026, 9, 20), True),
        ("每月1-31日", D(2026, 2, 28), True),
    ],
)
def test_other_monthly_shapes(text, day, expected):
    assert within(text, day) is expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "集中受理",
        "按县里通知",
        "每月1-20日（节假日顺延）",
        "每月1-20日，21日以后不受理",
        "1-20日集中受理",  # which months: not said
        "每周二、四",
        "每月25日至次月5日",
        "每月32日",
        "每月20-1日",
        "每年2月30日",
        "每年13月",
        "每月二十一二日",
        "2026年3月1日至5月31日",
        "每月第一个工作日",
    ],
)
def test_words_it_cannot_read_say_nothing(text):
    assert within(text, D(2026, 9, 14)) is None
    assert parse(text) is None
