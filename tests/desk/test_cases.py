"""The 办不成事 cases on the desk: due dates in working days (weekends, 2026's 调休 Saturdays, the Spring
Festival, a year the calendar lacks), every step from 登记 to 归档 with its paper, the 督办 list on the home
screens, who sees and does what, and bad or hostile input."""

from __future__ import annotations

import datetime
import re
import subprocess

import pytest
from conftest import SAMPLE

from kiosk.catalogue.load import load_or_raise

from .support import case_of, case_step, errors, form_fields, register_case

D = datetime.date


@pytest.fixture(scope="module")
def township(desk):
    loaded = load_or_raise(SAMPLE, "dahepingxiang")
    return loaded.catalogue.center, loaded.calendar


# ---------------------------------------------------------------- due dates (the center file: 1 / 3 / follow-up 1)


@pytest.mark.parametrize(
    "category, received, due",
    [
        ("instant", D(2026, 3, 6), D(2026, 3, 6)),  # 即时: the same day
        ("general", D(2026, 3, 6), D(2026, 3, 9)),  # Friday + 1 working day: over the weekend, Monday
        ("complex", D(2026, 3, 5), D(2026, 3, 10)),  # Thursday + 3: Fri, Mon, Tue
        ("general", D(2026, 2, 13), D(2026, 2, 14)),  # Friday before the Spring Festival: the 调休 Saturday works
        ("complex", D(2026, 2, 13), D(2026, 2, 25)),  # Feb 14 (Sat, works), then the holiday to Feb 23: 24, 25
        ("general", D(2026, 2, 27), D(2026, 2, 28)),  # Feb 28 2026 is a working Saturday
        ("complex", D(2026, 9, 30), D(2026, 10, 10)),  # National Day: Oct 1-7 off; Oct 8, 9 and Saturday Oct 10 work
    ],
)
def test_handling_due_counts_the_calendars_working_days(township, category, received, due):
    from kiosk.desk.deadlines import case_handling_due as handling_due

    center, calendar = township
    assert handling_due(center, category, received, None, calendar) == (due, None)


def test_a_year_the_calendar_lacks_gives_no_date_but_the_year(township):
    from kiosk.desk.deadlines import case_follow_up_due as follow_up_due
    from kiosk.desk.deadlines import case_handling_due as handling_due

    center, calendar = township
    assert not calendar.knows(2031)
    assert handling_due(center, "complex", D(2031, 3, 5), None, calendar) == (None, 2031)
    assert handling_due(center, "general", D(2030, 12, 31), None, calendar) == (None, 2031)  # crosses into 2031
    assert follow_up_due(center, D(2031, 3, 5), calendar) == (None, 2031)
    assert handling_due(center, "agreed", D(2031, 3, 5), D(2031, 4, 1), calendar) == (D(2031, 4, 1), None)


def test_follow_up_is_due_one_working_day_after_finishing(township):
    from kiosk.desk.deadlines import case_follow_up_due as follow_up_due

    center, calendar = township
    assert center.unresolved.deadlines.follow_up_days == 1
    assert follow_up_due(center, D(2026, 2, 14), calendar) == (D(2026, 2, 24), None)  # over the Spring Festival
    assert follow_up_due(center, D(2026, 5, 8), calendar) == (D(2026, 5, 9), None)  # Sat May 9 works


# ---------------------------------------------------------------- helpers


def today():
    from kiosk.desk.deadlines import today as desk_today

    return desk_today()


register, do = register_case, case_step


def pdf_text(response, tmp_path, name="doc.pdf") -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    (tmp_path / name).write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(tmp_path / name), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", out)


# ---------------------------------------------------------------- the whole way


def test_a_case_goes_from_registration_to_archive_with_its_paper(client_of, tmp_path):
    from kiosk.desk.models import Case

    bbc, window = client_of("unresolved"), client_of("window")
    day = today() - datetime.timedelta(days=20)  # a paper form entered later keeps its own date
    case = case_of(register(bbc, received=day.isoformat(), channel="hotline"))
    assert case.state == "registered" and case.received == day and case.channel == "hotline"
    assert re.fullmatch(r"DHP-BB-\d{4}-\d{6}", case.number)
    text = pdf_text(bbc.get(case.documents.get().get_absolute_url()), tmp_path)
    for part in (
        "办不成事”登记表",
        case.number,
        "城乡低保申请",
        "社会事务窗口",
        "李大姐",
        "13900000001",
        "材料交了三次还没受理",
        "12345转来",
        "登记人签字",
    ):
        assert part in text, part

    case = case_of(do(bbc, case, "classify", category="complex", classified=day.isoformat()))
    from kiosk.desk.catalogues import catalogues

    calendar = catalogues().get("dahepingxiang").calendar
    assert case.state == "classified" and case.due == calendar.add_workdays(day, 3)

    case = case_of(do(bbc, case, "pass", window="shehui", passed=day.isoformat()))
    assert case.state == "passed" and case.window == "shehui"
    assign = case.documents.get(kind="assign")
    text = pdf_text(bbc.get(assign.get_absolute_url()), tmp_path, "assign.pdf")
    for part in (
        "交办单",
        "社会事务窗口：",
        case.number,
        f"{case.due.year}年{case.due.month}月{case.due.day}日",
        "复杂事项（3个工作日）",
        "承办窗口负责人签收",
        "交办人签字",
    ):
        assert part in text, part

    # the receiving window sees it overdue on its home screen, with the 督办 reminder on the case
    home = window.get("/").content.decode()
    assert case.number in home.split('id="cases-late-h"')[1].split("</section>")[0]
    assert "督办" in window.get(case.get_absolute_url()).content.decode()
    assert case.number in client_of("head").get("/").content.decode()
    assert case.number in bbc.get("/").content.decode()
    assert case.number not in client_of("window2").get("/").content.decode()

    finished = today() - datetime.timedelta(days=3)
    case = case_of(
        do(window, case, "handle", handling="找民政办核实", result="已受理，下周发证", finished=finished.isoformat())
    )
    assert case.state == "finished" and case.follow_up_due == calendar.add_workdays(finished, 1)
    case = case_of(do(window, case, "feedback", told_on=finished.isoformat(), told_how="电话告知"))
    assert case.state == "told"
    assert window.get(f"/cases/{case.pk}/follow-up/").status_code == 403  # the 回访 is the 办不成事 window's
    case = case_of(do(bbc, case, "follow-up", visited=today().isoformat(), satisfaction="fair", words="总算办了"))
    assert case.state == "visited" and case.satisfaction == "fair"
    case = case_of(do(bbc, case, "archive", archived=today().isoformat()))
    assert case.state == "archived"

    history = bbc.get(f"/cases/{case.pk}/history/").content.decode()
    for step in (
        "登记办不成事",
        "定办理时限",
        "交办窗口",
        "窗口办结",
        "反馈反映人",
        "回访",
        "归档",
        "基本满意",
        "交办单",
    ):
        assert step in history, step
    assert Case.history.filter(id=case.pk).count() == 7
    assert window.get(f"/cases/{case.pk}/").status_code == 200


def test_an_excluded_case_closes_with_the_explanation(client_of):
    bbc = client_of("unresolved")
    case = case_of(register(bbc))
    response = do(bbc, case, "classify", category="excluded", classified=today().isoformat())
    assert response.status_code == 400 and "不纳入受理的，要写明向反映人作的解释" in errors(response)
    case = case_of(
        do(
            bbc,
            case,
            "classify",
            category="excluded",
            classified=today().isoformat(),
            explanation="按县里规定，这类事项不能办，已当面解释",
        )
    )
    assert case.state == "excluded" and case.due is None
    page = bbc.get(case.get_absolute_url()).content.decode()
    assert "已当面解释" in page and "交办窗口" not in page


def test_an_agreed_later_date_needs_the_date_and_the_persons_consent(client_of):
    bbc = client_of("unresolved")
    case = case_of(register(bbc))
    later = today() + datetime.timedelta(days=10)
    response = do(bbc, case, "classify", category="agreed", classified=today().isoformat())
    assert response.status_code == 400
    said = errors(response)
    assert "约定延期要写约定的日期" in said and "约定延期要反映人同意，请勾选并写明怎么同意的" in said
    response = do(
        bbc,
        case,
        "classify",
        category="agreed",
        classified=today().isoformat(),
        agreed_date=later.isoformat(),
        consent_note="当面同意",
    )  # the box not ticked
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.state == "registered" and case.version == 1
    case = case_of(
        do(
            bbc,
            case,
            "classify",
            category="agreed",
            classified=today().isoformat(),
            agreed_date=later.isoformat(),
            consent="on",
            consent_note="当面同意，签了字",
        )
    )
    assert case.due == later and case.consent and case.consent_note == "当面同意，签了字"


def test_a_year_the_calendar_lacks_shows_date_unknown(client_of, clock):
    new_year_eve = D(2030, 12, 31)  # the desk's clock on 2030-12-31: one working day later is in 2031
    clock.set(new_year_eve)
    bbc = client_of("unresolved")
    case = case_of(register(bbc, received=new_year_eve.isoformat()))
    case = case_of(do(bbc, case, "classify", category="general", classified=new_year_eve.isoformat()))
    assert case.due is None and case.due_year == 2031
    page = bbc.get(case.get_absolute_url()).content.decode()
    assert "日期待定：工作日日历还没有 2031 年的放假安排" in page
    assert "日期待定" in bbc.get("/cases/").content.decode()


def test_bad_input_is_a_chinese_error_next_to_the_field_and_nothing_is_saved(client_of):
    from kiosk.desk.models import Case

    bbc = client_of("unresolved")
    before = Case.objects.count()
    tomorrow = (today() + datetime.timedelta(days=1)).isoformat()
    response = register(bbc, received=tomorrow, person="", phone="电话", channel="letter")
    assert response.status_code == 400
    said = errors(response)
    assert any(s.startswith("日期不能晚于今天") for s in said), said
    assert said.count("这里要填") == 1 and "请从列表里选一个" in said, said
    assert Case.objects.count() == before
    html = response.content.decode()
    for field in ("received", "person", "phone", "channel"):
        assert f'id="id_{field}-error"' in html, field


def test_hostile_text_shows_as_text_on_screen_and_paper(client_of, tmp_path):
    bbc = client_of("unresolved")
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    case = case_of(register(bbc, matter_name=evil, reason=evil))
    page = bbc.get(case.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in case.documents.get().html
    assert "<script>alert(1)</script>" in pdf_text(bbc.get(case.documents.get().get_absolute_url()), tmp_path)


def test_who_may_do_which_step(client_of):
    bbc, window, window2 = client_of("unresolved"), client_of("window"), client_of("window2")
    case = case_of(register(window2))  # any window may register what it was told
    assert window2.get(f"/cases/{case.pk}/").status_code == 200
    assert window2.get(f"/cases/{case.pk}/classify/").status_code == 403
    assert window.get(f"/cases/{case.pk}/").status_code == 404  # not passed to it, not its own
    case = case_of(do(client_of("head"), case, "classify", category="general", classified=today().isoformat()))
    case = case_of(do(bbc, case, "pass", window="shehui", passed=today().isoformat()))
    assert window.get(f"/cases/{case.pk}/handle/").status_code == 200
    assert client_of("county").get(f"/cases/{case.pk}/").status_code == 200
    assert client_of("county").get(f"/cases/{case.pk}/handle/").status_code == 403
    assert client_of("other_head").get(f"/cases/{case.pk}/").status_code == 404
    fields = form_fields(bbc.get(case.get_absolute_url()).content.decode())
    response = bbc.post(
        f"/cases/{case.pk}/pass/",
        {**fields, "version": case.version, "window": "shebao", "passed": today().isoformat()},
    )  # no longer that state
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.window == "shehui"


def test_a_window_cannot_pass_to_the_unresolved_window_itself_nor_an_unknown_one(client_of):
    bbc = client_of("unresolved")
    case = case_of(register(bbc))
    case = case_of(do(bbc, case, "classify", category="instant", classified=today().isoformat()))
    for wrong in ("banbucheng", "nowhere"):
        response = do(bbc, case, "pass", window=wrong, passed=today().isoformat())
        assert response.status_code == 400 and "请从列表里选一个窗口" in errors(response)


def test_two_people_saving_one_case_the_second_is_told_and_nothing_is_overwritten(client_of):
    bbc, head = client_of("unresolved"), client_of("head")
    case = case_of(register(bbc))
    stale = form_fields(bbc.get(f"/cases/{case.pk}/void/").content.decode())
    case_of(do(head, case, "classify", category="general", classified=today().isoformat()))
    response = bbc.post(f"/cases/{case.pk}/void/", {**stale, "reason": "重复"})
    assert response.status_code == 409 and "邓某某" not in response.content.decode().split("<main")[0]
    case.refresh_from_db()
    assert case.state == "classified" and case.void_reason == ""
