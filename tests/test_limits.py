"""Time limits as guides state them (kiosk.calendar.limits): every way a guide writes a length, where the clock starts,
stages that never make a total, a 法定 limit counted, words without a number kept."""

from __future__ import annotations

import datetime

import pytest

from kiosk.calendar import limits
from kiosk.calendar.workdays import WorkCalendar
from kiosk.model import Matter

D = datetime.date
CAL = WorkCalendar()


def matter(**fields) -> Matter:
    return Matter.model_validate({"id": "x", "task_name": "测试", **fields})


@pytest.mark.parametrize(
    "text, days, unit",
    [
        ("一个月", 1, "月"),
        ("1 月", 1, "月"),
        ("1个月", 1, "月"),
        ("30日", 30, "日"),
        ("3工作日", 3, "工作日"),
        ("3个工作日", 3, "工作日"),
        ("十五个工作日", 15, "工作日"),
        ("7 天", 7, "自然日"),
        ("承诺20个工作日", 20, "工作日"),
        ("法定一个月", 1, "月"),
        ("5个工作日内办结", 5, "工作日"),
        ("当场", 0, "当场"),
        ("立即", 0, "当场"),
        ("即办", 0, "当场"),
        ("当场办结", 0, "当场"),
    ],
)
def test_every_way_a_guide_writes_a_length_is_read_as_written(text, days, unit):
    assert limits.parse(text) == limits.Span(days, unit)


@pytest.mark.parametrize("text", ["按县里统一安排", "随到随办，特殊情况另定", "", None])
def test_words_that_are_not_a_length_give_none(text):
    assert limits.parse(text) is None


def test_a_same_day_stage_never_makes_a_total():
    m = matter(steps=[{"name": "材料审核", "time": "当场"}, {"name": "审批", "time": "10 个工作日"}])
    t = limits.deadline(m, None, None)
    assert t.cases == [] and t.legal is None, "no 承诺, no 法定: both stay unknown"
    assert t.stage_only and t.stage_sum is None, "当场 is not a working day: no sum is said"
    only_working_days = matter(steps=[{"name": "初审", "time": "5个工作日"}, {"name": "审批", "time": "10 个工作日"}])
    assert limits.deadline(only_working_days, None, None).stage_sum == limits.Span(15, "工作日")


def test_a_step_without_a_time_breaks_the_chain_of_stage_dates():
    m = matter(steps=[{"name": "初审", "time": "5个工作日"}, {"name": "公示"}, {"name": "审批", "time": "5个工作日"}])
    t = limits.deadline(m, D(2026, 9, 14), CAL)
    assert t.stages[0].due == D(2026, 9, 20)  # a make-up working Sunday before 国庆
    assert t.stages[1].due is None and t.stages[2].due is None, "a stage of unknown length gives no later date"
    assert t.stage_sum is None


def test_a_legal_limit_of_one_month_is_counted():
    m = matter(anticipate_day=1, anticipate_type="月")
    t = limits.deadline(m, D(2026, 9, 14), CAL)
    assert t.cases == [] and t.legal.span == limits.Span(1, "月") and t.legal.due == D(2026, 10, 14)


def test_words_without_a_number_are_kept_as_the_limit():
    t = limits.deadline(matter(promise_explain="按上级部门规定时限办结", anticipate_explain="依法定程序"), None, None)
    assert [(c.span, c.explain) for c in t.cases] == [(None, "按上级部门规定时限办结")]
    assert t.legal.span is None and t.legal.explain == "依法定程序"
    assert not t.timed, "nothing to count: where it counts from does not matter"


def test_the_clock_starts_where_the_guide_says():
    received, accepted = D(2026, 9, 14), D(2026, 9, 21)
    from_receipt = matter(promise_day=3, promise_type="工作日", time_start="自收到参保申请之日起")
    t = limits.deadline(from_receipt, accepted, CAL, received=received)
    assert t.start_from == "received" and t.start == received and t.cases[0].due == D(2026, 9, 17)
    for words in ("从乡司法所收件算起", "自提交申请之日起", "收到申请之日起"):
        assert limits.start_from(matter(time_start=words)) == "received", words
    for words in ("自受理申请之日起", "受理之日起", "材料齐全之日起", "从县农业农村局受理算起", None):
        m = matter(promise_day=3, promise_type="工作日", time_start=words)
        t = limits.deadline(m, accepted, CAL, received=received)
        assert t.start_from == "accepted" and t.cases[0].due == D(2026, 9, 24), words
    other = limits.deadline(
        matter(promise_day=3, promise_type="工作日", time_start="从乡里收到评定结论算起"),
        accepted,
        CAL,
        received=received,
    )
    assert other.start_from == "other" and other.start == accepted, "another event: counted from 受理, and said so"


def test_an_instant_matter_with_its_own_words_keeps_them():
    m = matter(project_type="即办件", promise_explain="户籍人口及时办理，跨省流动人口承诺办理")
    [case] = limits.deadline(m, None, None).cases
    assert case.span.instant and case.explain == "户籍人口及时办理，跨省流动人口承诺办理"
