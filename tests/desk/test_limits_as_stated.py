"""The desk says and counts a matter's limits as its guide states them (issue 21): due dates counted from the
day the guide says (the receipt where it counts from receiving the application), a legal-only matter due by
its legal limit, 承诺 / 法定 / 各环节 / 从哪天算 in the shared words on the intake page and the 受理回执, a 受理 on a
rest day confirmed, the 受理时段 warned about, and a 补正 notice printed later naming its real receipt day.

Each test adds matters of its own to the desk's catalogue copy (the sample's 高龄津贴 with its limits replaced),
removed at its end. The day is the tests' fixed Monday 2026-09-14 unless a test sets the desk's clock."""

from __future__ import annotations

import datetime
import re

import pytest
import yaml

from .support import errors, intake, record_of, step

D = datetime.date
BASE = "gaoling-jintie"  # 5 materials, steps 当场 / 5 个工作日 / 10 个工作日, window shehui
LIMIT_FIELDS = (
    "project_type",
    "promise_day",
    "promise_type",
    "promise_explain",
    "promise_by",
    "anticipate_day",
    "anticipate_type",
    "anticipate_explain",
    "time_start",
    "accept_period",
    "apply_ahead",
    "special_procedure",
    "extension",
    "correction_day",
    "correction_type",
)


def flat(html: str) -> str:
    """A page's or a paper's text without tags or spaces."""
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def page_text(response) -> str:
    return flat(response.content.decode())


def township():
    from kiosk.desk.catalogues import catalogues

    return catalogues().get("dahepingxiang")


@pytest.fixture
def variant(desk, db):
    """make(id, **limits): a matter like the sample's 高龄津贴 with only the limits given, in the desk's catalogue
    for this test; its MatterView."""
    from kiosk.desk.catalogues import catalogues

    made = []

    def make(matter_id: str, **limits):
        data = yaml.safe_load((desk["catalogue"] / f"{BASE}.yaml").read_text("utf-8"))
        for name in LIMIT_FIELDS:
            data.pop(name, None)
        data.update(
            id=matter_id, task_name=f"限时测试{len(made) + 1}", keywords=["限时测试"], project_type="承诺件", **limits
        )
        path = desk["catalogue"] / f"{matter_id}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        made.append(path)
        catalogues().refresh()
        t = catalogues().get("dahepingxiang")
        assert matter_id in t.cv.matters and not t.problems, t.problems
        return t.cv.view(matter_id)

    yield make
    for path in made:
        path.unlink()
    catalogues().refresh()
    catalogues().get("dahepingxiang")


def everything(v) -> list[str]:
    return [str(n) for n in range(1, len(v.materials) + 1)]


# ---------------------------------------------------------------- 1. due dates from the stated start


def test_a_matter_counting_from_receipt_is_due_from_the_received_day(client_of, variant):
    """自收到申请之日起 10 个工作日: received Tuesday 1 September, accepted Thursday 10 September: due 15 September
    (10 working days from the receipt), not 24 September (from 受理); the 受理回执 says so."""
    v = variant("limits-received", promise_day=10, promise_type="工作日", time_start="自收到申请之日起")
    calendar = township().calendar
    client = client_of("window")
    received, accepted = D(2026, 9, 1), D(2026, 9, 10)
    app = record_of(intake(client, matter=v.m.id, brought=["1"], received=received))
    assert app.told["limits"]["time_start"] == "自收到申请之日起"
    response = step(client, app, "supplement", brought=everything(v), accepted=accepted.isoformat(), action="accept")
    assert response.status_code == 302, errors(response)
    app.refresh_from_db()
    assert (app.accepted, app.due_kind) == (accepted, "total")
    assert app.due == calendar.add_workdays(received, 10) == D(2026, 9, 15)
    assert app.due != calendar.add_workdays(accepted, 10)
    receipt = flat(app.documents.get(kind="receipt").html)
    assert "最迟办结2026年9月15日" in receipt
    assert "从哪天算自收到申请之日起" in receipt
    assert "从收件日2026年9月1日算（原指南：自收到申请之日起）" in receipt
    assert "受理之日起" not in receipt


@pytest.mark.parametrize("promise", [{}, {"promise_explain": "按县里统一安排"}], ids=["no-promise", "words-only"])
def test_a_matter_without_a_countable_promise_is_due_by_its_legal_limit(client_of, variant, promise):
    """No 承诺 limit that gives a date, a 法定 limit of 20 working days: due by it (not by the stages' 15
    working days), said as 法定 on the receipt and on the record."""
    v = variant(
        "limits-legal", anticipate_day=20, anticipate_type="工作日", anticipate_explain="依据县里的办法", **promise
    )
    calendar = township().calendar
    client = client_of("window")
    app = record_of(intake(client, matter=v.m.id, brought=everything(v)))
    assert (app.state, app.accepted) == ("accepted", D(2026, 9, 14))
    assert app.due_kind == "legal" and app.get_due_kind_display().startswith("法定时限")
    assert app.due == calendar.add_workdays(D(2026, 9, 14), 20)
    assert app.due != calendar.add_workdays(D(2026, 9, 14), 15)  # the stages' last date
    receipt = flat(app.documents.get(kind="receipt").html)
    assert "法定时限20个工作日（依据县里的办法）" in receipt
    assert f"最迟办结{app.due.year}年{app.due.month}月{app.due.day}日" in receipt
    assert "这是法定时限的最后一天" in receipt
    assert "没有承诺总时限" not in receipt and "受理之日起" not in receipt
    assert f"{app.due.isoformat()}（法定时限）" in page_text(client.get(f"/records/{app.pk}/"))


def test_an_old_record_without_the_new_fields_is_counted_from_acceptance(client_of, variant):
    """A record made before time_start was kept in its snapshot reads as not saying where to count from:
    from 受理, as before; its 受理回执 says 从哪天算 未载明."""
    from kiosk.desk import deadlines
    from kiosk.desk.models import Application

    v = variant(
        "limits-old",
        promise_day=10,
        promise_type="工作日",
        time_start="自收到申请之日起",
        anticipate_explain="依据县里的办法",
        accept_period="每月1-20日集中受理",
    )
    calendar = township().calendar
    client = client_of("window")
    app = record_of(intake(client, matter=v.m.id, brought=["1"], received=D(2026, 9, 1)))
    told = app.told
    for name in ("time_start", "anticipate_explain", "accept_period"):
        assert name in told["limits"], name
        del told["limits"][name]
    Application.objects.filter(pk=app.pk).update(told=told)
    app.refresh_from_db()
    due = deadlines.application_due(app.told, "", D(2026, 9, 10), calendar, app.received)
    assert (due.date, due.kind) == (calendar.add_workdays(D(2026, 9, 10), 10), "total")
    response = step(client, app, "supplement", brought=everything(v), accepted="2026-09-10", action="accept")
    assert response.status_code == 302, errors(response)
    app.refresh_from_db()
    assert app.due == due.date
    receipt = flat(app.documents.get(kind="receipt").html)
    assert "从哪天算未载明" in receipt and "原指南没写从哪天算，这里从受理日2026年9月10日算" in receipt


# ---------------------------------------------------------------- 2. the limits in the shared words


def test_the_intake_page_and_the_receipt_say_where_the_clock_starts(client_of, variant):
    said = variant("limits-said", promise_day=10, promise_type="工作日", time_start="自收到申请之日起")
    unsaid = variant("limits-unsaid", promise_day=10, promise_type="工作日")
    stages = variant("limits-stages")  # the steps' own times only
    client = client_of("window")
    page = page_text(client.get(f"/intake/{said.m.id}/"))
    assert "承诺时限10个工作日" in page and "法定时限未载明" in page and "从哪天算自收到申请之日起" in page
    blank = page_text(client.get(f"/intake/{unsaid.m.id}/"))
    assert "承诺时限10个工作日" in blank and "从哪天算未载明" in blank
    steps = page_text(client.get(f"/intake/{stages.m.id}/"))
    assert "承诺时限未载明" in steps and "各环节时限申请受理当场；核实和初审5个工作日；审核确认10个工作日" in steps
    for text in (page, blank, steps):
        assert "受理之日起" not in text and "没有承诺总时限" not in text and "没有总时限" not in text
        assert "受理后" not in text

    app = record_of(intake(client, matter=unsaid.m.id, brought=everything(unsaid)))
    receipt = flat(app.documents.get(kind="receipt").html)
    assert "承诺时限10个工作日" in receipt and "法定时限未载明" in receipt and "从哪天算未载明" in receipt
    assert "原指南没写从哪天算，这里从受理日2026年9月14日算" in receipt
    assert "受理之日起" not in receipt
    app = record_of(intake(client, matter=stages.m.id, brought=everything(stages)))
    assert app.due_kind == "stages"
    receipt = flat(app.documents.get(kind="receipt").html)
    assert "各环节时限申请受理当场；核实和初审5个工作日；审核确认10个工作日" in receipt
    assert "没有承诺总时限" not in receipt


# ---------------------------------------------------------------- 3. a 受理 on a rest day


def test_a_rest_day_acceptance_is_refused_until_the_date_is_confirmed(client_of, variant):
    from kiosk.desk.models import Application

    v = variant("limits-rest", promise_day=10, promise_type="工作日")
    calendar = township().calendar
    client = client_of("window")
    assert 'name="rest_day_ok"' not in client.get(f"/intake/{v.m.id}/").content.decode()  # only when needed

    sunday = D(2026, 9, 13)
    refused = intake(client, matter=v.m.id, brought=everything(v), received=sunday)
    assert refused.status_code == 400
    said = errors(refused)
    assert any(e.startswith("9月13日是休息日：确认日期没写错，请勾选") for e in said), said
    assert not any(re.search(r"[A-Za-z]{3,}", e) for e in said), said
    assert 'name="rest_day_ok"' in refused.content.decode()
    assert not Application.objects.exists()
    app = record_of(intake(client, matter=v.m.id, brought=everything(v), received=sunday, rest_day_ok="on"))
    assert (app.state, app.received, app.accepted) == ("accepted", sunday, sunday)

    holiday = D(2026, 5, 1)  # 劳动节, a Friday: the calendar's, not the week's
    assert holiday.weekday() == 4 and not calendar.is_workday(holiday)
    refused = intake(client, matter=v.m.id, brought=everything(v), received=holiday)
    assert refused.status_code == 400 and any(e.startswith("5月1日是休息日") for e in errors(refused))
    makeup = D(2026, 5, 9)  # a Saturday worked for the holiday (调休上班): nothing to confirm
    assert makeup.weekday() == 5 and calendar.is_workday(makeup)
    assert intake(client, matter=v.m.id, brought=everything(v), received=makeup).status_code == 302

    # a 补正 notice on a Sunday is not a 受理: nothing to confirm; its 受理 on a Sunday is
    correcting = record_of(intake(client, matter=v.m.id, brought=["1"], received=sunday))
    assert correcting.state == "correcting"
    refused = step(
        client, correcting, "supplement", brought=everything(v), accepted=sunday.isoformat(), action="accept"
    )
    assert refused.status_code == 400 and any(e.startswith("9月13日是休息日") for e in errors(refused))
    assert 'name="rest_day_ok"' in refused.content.decode()
    correcting.refresh_from_db()
    assert correcting.state == "correcting"
    done = step(
        client,
        correcting,
        "supplement",
        brought=everything(v),
        accepted=sunday.isoformat(),
        action="accept",
        rest_day_ok="on",
    )
    assert done.status_code == 302, errors(done)
    correcting.refresh_from_db()
    assert (correcting.state, correcting.accepted) == ("accepted", sunday)


# ---------------------------------------------------------------- 4. 受理时段


def test_an_intake_outside_the_accept_period_is_warned_about_never_refused(client_of, variant, clock):
    v = variant("limits-period", promise_day=10, promise_type="工作日", accept_period="每月1-20日集中受理")
    client = client_of("window")
    assert v.m.accept_period == "每月1-20日集中受理"

    # the 14th: in the period, its words shown, no warning
    page = page_text(client.get(f"/intake/{v.m.id}/"))
    assert "受理时段每月1-20日集中受理" in page and "不在受理时段" not in page
    saved = intake(client, matter=v.m.id, brought=["1"])
    assert saved.status_code == 302
    assert "不在受理时段" not in page_text(client.get(saved["Location"]))

    # a form sent back with a day outside it says so for that day
    back = intake(client, matter=v.m.id, brought=["1"], received=D(2026, 8, 25), applicant="")
    assert back.status_code == 400 and "收件日期8月25日不在受理时段内：每月1-20日集中受理" in page_text(back)

    # the 22nd: a warning on the page and after saving, and the record saved all the same
    clock.set(D(2026, 9, 22))
    page = page_text(client.get(f"/intake/{v.m.id}/"))
    assert "今天（9月22日）不在受理时段内：每月1-20日集中受理" in page
    saved = intake(client, matter=v.m.id, brought=["1"])
    assert saved.status_code == 302
    app = record_of(saved)
    assert app.received == D(2026, 9, 22)
    assert "收件日期9月22日不在受理时段（每月1-20日集中受理）内：已照常保存" in page_text(client.get(saved["Location"]))
    assert app.told["limits"]["accept_period"] == "每月1-20日集中受理"


# ---------------------------------------------------------------- 5. a 补正 notice printed later


def test_a_notice_printed_later_names_the_real_receipt_day_and_the_day_it_is_printed(client_of, variant, clock):
    """A paper receipt of Tuesday 8 September entered on the 14th, and a fresh notice printed on the 16th: both
    say 收件日期 8 September; each says "如在 <the day it is printed> 补齐", with the dates counted from it."""
    v = variant("limits-notice", promise_day=10, promise_type="工作日")
    calendar = township().calendar
    client = client_of("window")
    app = record_of(intake(client, matter=v.m.id, brought=["1"], received=D(2026, 9, 8)))
    first = flat(app.documents.get(kind="correction").html)
    assert "收件日期2026年9月8日" in first and "如在2026年9月14日补齐" in first

    clock.set(D(2026, 9, 16))
    response = step(client, app, "supplement", brought=["1", "2"], action="notice")
    assert response.status_code == 302, errors(response)
    again = flat(app.documents.filter(kind="correction").order_by("-id").first().html)
    assert "收件日期2026年9月8日" in again
    assert "如在2026年9月16日补齐" in again and "如在2026年9月14日补齐" not in again
    due = calendar.add_workdays(D(2026, 9, 16), 10)
    assert f"{due.year}年{due.month}月{due.day}日" in again
