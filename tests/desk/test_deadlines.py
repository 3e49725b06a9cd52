"""One deadlines service (deadlines.py): one rule of "late" for the lists, the ledger and the 督办 list; dates
that wait for a year's holiday calendar settled for every kind of record when the calendar arrives; next
year's calendar asked for from 1 November. The clock is the tests' own (kiosk.clock, deadlines.clock)."""

from __future__ import annotations

import datetime
import re

from conftest import run_kiosk

from .support import case_of, case_step, intake, record_of, register_case
from .test_complaints import complaint_of
from .test_complaints import register as register_complaint

D = datetime.date


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_late_follow_up_is_late_everywhere_the_same(client_of, clock):
    """A case whose 回访 is past due: in the ledger's overdue filter with its 超期 column said, in the case list's
    late filter and on the home screen's 督办 list."""
    from kiosk.desk.models import Case

    clock.set(D(2026, 9, 1))
    bbc, head = client_of("unresolved"), client_of("head")
    case = case_of(register_case(bbc, received="2026-09-01"))
    case = case_of(case_step(bbc, case, "classify", category="instant", classified="2026-09-01"))
    case = case_of(case_step(bbc, case, "handle", handling="当场补办", result="已办好", finished="2026-09-01"))
    assert case.state == "finished" and case.follow_up_due == D(2026, 9, 2)
    clock.set(D(2026, 9, 14))
    ledger = head.get("/ledger/?overdue=1")
    row = next(r for r in re.findall(r"<tr>.*?</tr>", ledger.content.decode(), re.S) if case.number in r)
    assert "2026-09-02（超期）" in re.sub(r"<[^>]+>", "", row)  # the 回访's date, said late
    assert case.number in text(bbc.get("/cases/?late=1"))
    home = text(head.get("/"))
    assert "办不成事督办 1 件" in home and "回访" in home
    assert Case.objects.get(pk=case.pk).version == case.version  # looking changed nothing


def test_dates_waiting_for_a_year_are_settled_for_every_kind_when_the_calendar_arrives(client_of, clock, desk):
    """On 2030-12-31 an application, a 办不成事 case and a complaint each get a date in 2031, which no calendar
    knows: 日期待定 with the year. Once 2031 is in the catalogue's calendar, the desk's next look at the catalogue
    counts every one of them (the history says: calendar)."""
    from kiosk.desk.catalogues import catalogues
    from kiosk.desk.models import Application, Case, Complaint

    clock.set(D(2030, 12, 31))
    window, bbc = client_of("window"), client_of("unresolved")
    t = catalogues().get("dahepingxiang")
    count = len(t.cv.view("dibao-apply").materials)
    app = record_of(intake(window, brought=[str(n) for n in range(1, count + 1)], received="2030-12-31"))
    case = case_of(register_case(bbc, received="2030-12-31"))
    case = case_of(case_step(bbc, case, "classify", category="general", classified="2030-12-31"))
    complaint = complaint_of(register_complaint(bbc, received="2030-12-31"))
    assert (app.due, app.due_kind, app.due_year) == (None, "unknown_year", 2031)
    assert (case.due, case.due_year) == (None, 2031) and (complaint.due, complaint.due_year) == (None, 2031)
    home = text(window.get("/"))
    assert "办结日期待定 1 件" in home and "2031 年的放假安排" in home
    receipt = app.documents.get(kind="receipt").html
    assert "日期待定：国家还没有公布 2031 年的放假安排" in receipt

    calendar_file = desk["catalogue"] / "_calendar.yaml"
    saved = calendar_file.read_text("utf-8")
    try:
        calendar_file.write_text(
            saved.replace(
                "years: {}",
                "years:\n  2031:\n    holidays:\n      - {name: 元旦, start: 2031-01-01, end: 2031-01-01}\n",
            ),
            "utf-8",
        )
        catalogues().refresh()
        catalogues().get("dahepingxiang")  # the desk's next look at its catalogue
        app, case, complaint = (
            m.objects.get(pk=r.pk) for m, r in ((Application, app), (Case, case), (Complaint, complaint))
        )
        # 2031-01-01 off: Thursday 2 January is the first working day; 20, 1 and 5 working days
        assert app.due_kind == "stages" and app.due is not None and app.due.year == 2031
        assert case.due == D(2031, 1, 2) and case.due_year is None
        assert complaint.due == D(2031, 1, 8) and complaint.due_year is None
        for r in (app, case, complaint):
            assert r.history.first().history_change_reason == "calendar"
    finally:
        calendar_file.write_text(saved, "utf-8")
        catalogues().refresh()
        catalogues().get("dahepingxiang")


def test_next_years_calendar_is_asked_for_from_the_first_of_november(client_of, clock, tmp_path):
    """From 1 November, when the calendar does not know next year: kiosk check, kiosk build's checks and the
    center head's home screen say so and name the one command that adds it; window staff are not bothered."""
    from conftest import SAMPLE

    before = run_kiosk("check", SAMPLE, env={"KIOSK_TODAY": "2030-10-31"})
    after = run_kiosk("check", SAMPLE, env={"KIOSK_TODAY": "2030-11-01"})
    assert before.returncode == after.returncode == 0
    assert "2031" not in before.stdout
    line = next(x for x in after.stdout.splitlines() if "明年（2031 年）的放假安排" in x)
    assert line.startswith(f"{SAMPLE}/_calendar.yaml:1:1: years: 提醒：") and "kiosk calendar add" in line
    assert re.search(r"共 0 个错误，\d+ 个提醒", after.stdout)
    later = run_kiosk("check", SAMPLE, env={"KIOSK_TODAY": "2030-11-01", "KIOSK_CALENDAR_REMINDER": "12-01"})
    assert "2031" not in later.stdout  # the reminder day is a setting

    clock.set(D(2030, 11, 2))
    assert "明年（2031 年）的放假安排还没有加进工作日日历" in text(client_of("head").get("/"))
    assert "明年（2031 年）" in text(client_of("county").get("/"))
    assert "明年（2031 年）" not in text(client_of("window").get("/"))
    clock.set(D(2030, 10, 30))
    assert "明年（2031 年）" not in text(client_of("head").get("/"))
