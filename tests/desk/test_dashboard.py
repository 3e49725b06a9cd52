"""限时办结 at a glance: due today, within 3 working days, overdue (in red, with how many working days),
finished this month; a year the calendar lacks says so instead of guessing, and the date comes by itself
once the holiday notice is added to the catalogue (no restart)."""

from __future__ import annotations

import datetime
import re

import pytest

from .support import intake, record_of


def today():
    from kiosk.desk.deadlines import today as desk_today

    return desk_today()


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def section(response, heading_id: str) -> str:
    html = response.content.decode()
    found = re.search(rf'<section aria-labelledby="{heading_id}">(.*?)</section>', html, re.S)
    assert found, heading_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


@pytest.fixture
def made(users):
    """Records of 大合坪乡's 社会事务窗口 with chosen states and dates, as if taken in earlier."""
    import uuid

    from kiosk.desk.catalogues import catalogues
    from kiosk.desk.models import Application
    from kiosk.desk.steps import application as records

    t = catalogues().get("dahepingxiang")
    v = t.cv.view("dibao-apply")
    told = records.snapshot(t, v)
    n = iter(range(1, 1000))

    def make(
        name,
        state="accepted",
        due=None,
        finished=None,
        due_kind="total",
        due_year=None,
        window="shehui",
        township="dahepingxiang",
        user="window",
    ):
        return Application.objects.create(
            number=f"T-{next(n):04d}",
            township=township,
            window=window,
            matter_id="dibao-apply",
            matter_name=v.m.task_name,
            applicant=name,
            state=state,
            received=today() - datetime.timedelta(days=40),
            accepted=today() - datetime.timedelta(days=30) if state != "correcting" else None,
            due=due,
            due_kind=due_kind if state != "correcting" else "",
            due_year=due_year,
            finished=finished,
            told=told,
            created_by=users[user],
            token=uuid.uuid4(),
        )

    return make, t.calendar


def test_the_home_screen_sorts_what_is_due(client_of, made):
    from kiosk.desk import dashboard

    make, calendar = made
    day = today()
    end, guessed = dashboard.horizon(calendar, day)
    late_due = day - datetime.timedelta(days=12)
    make("超期甲", due=late_due)
    make("今天乙", due=day)
    make("快到丙", due=end)
    make("远的丁", due=end + datetime.timedelta(days=30))
    make("办完戊", state="finished", finished=day)
    make("上月己", state="finished", finished=day.replace(day=1) - datetime.timedelta(days=1))
    make("补正庚", state="correcting")
    make("别窗辛", due=late_due, window="shebao", user="window2")
    make("别乡壬", due=late_due, township="guanzhuangzhen", user="other_window")

    home = client_of("window").get("/")
    assert home.status_code == 200
    late = dashboard.workdays_between(calendar, late_due, day)
    overdue = section(home, "overdue-h")
    assert "超期甲" in overdue and f"超期 {late} 个工作日" in overdue
    assert "别窗辛" not in text(home) and "别乡壬" not in text(home)
    assert "今天乙" in section(home, "today-h")
    soon = section(home, "soon-h")
    assert "快到丙" in soon and "远的丁" not in soon and "今天乙" not in soon
    month = section(home, "month-h")
    assert "办完戊" in month and "上月己" not in month
    tiles = re.findall(r"<strong>(\d+)</strong>([^<]+)</a>", home.content.decode())
    assert dict((label.strip(), int(n)) for n, label in tiles) == {
        "已超期": 1,
        "今天到期": 1,
        "3 个工作日内到期": 1,
        "补正中（等补材料）": 1,
        "本月办结": 1,
    }
    assert 'class="late"' in home.content.decode()

    head = client_of("head").get("/")
    assert "别窗辛" in section(head, "overdue-h") and "别乡壬" not in text(head)
    windows = section(head, "groups-h")
    assert "社会事务窗口 1 1 1 0 1 1" in windows and "社保医保窗口 1 0 0 0 0 0" in windows
    one = client_of("head").get("/?window=shebao")
    assert "别窗辛" in section(one, "overdue-h") and "超期甲" not in text(one)

    county = client_of("county").get("/")
    assert "别乡壬" in section(county, "overdue-h")
    assert "官庄镇" in section(county, "groups-h")
    listed = client_of("window").get("/records/?due=overdue")
    assert "超期甲" in text(listed) and "今天乙" not in text(listed)


def test_a_year_the_calendar_lacks_says_so_and_fills_in_when_the_notice_is_added(client_of, desk):
    """A matter committed in months that end in a year no calendar knows: 'unknown', never a guess; once the
    year is in _calendar.yaml, the next look at the home screen gives the date (and says so in the history)."""
    from kiosk.desk.catalogues import catalogues

    folder = desk["catalogue"]
    matter = folder / "canjizheng-apply.yaml"
    calendar_file = folder / "_calendar.yaml"
    saved = {p: p.read_text("utf-8") for p in (matter, calendar_file)}
    far = today().year + 4
    months = (far - today().year) * 12 + 1
    try:
        source = saved[matter]
        source = re.sub(r"(?m)^promise_day: .*$", f"promise_day: {months}", source)
        source = re.sub(r"(?m)^promise_type: .*$", "promise_type: 月", source)
        assert f"promise_day: {months}" in source
        matter.write_text(source, "utf-8")
        catalogues().refresh()
        catalogues().get("dahepingxiang")
        client = client_of("window")
        count = len(catalogues().get("dahepingxiang").cv.view("canjizheng-apply").materials)
        app = record_of(intake(client, matter="canjizheng-apply", brought=[str(n) for n in range(1, count + 1)]))
        assert app.due is None and app.due_kind == "unknown_year" and app.due_year is not None
        home = client.get("/")
        said = text(home)
        assert f"办结日期待定：工作日日历还没有 {app.due_year} 年的放假安排，请补上放假通知" in said
        assert "kiosk calendar add" in said
        receipt = app.documents.get().html
        assert f"日期待定：国家还没有公布 {app.due_year} 年的放假安排" in receipt

        years = "".join(
            f"  {y}:\n    holidays:\n      - {{name: 元旦, start: {y}-01-01, end: {y}-01-01}}\n"
            for y in range(today().year + 1, far + 2)
            if not catalogues().get("dahepingxiang").calendar.knows(y)
        )
        calendar_file.write_text(saved[calendar_file].replace("years: {}", "years:\n" + years), "utf-8")
        catalogues().refresh()
        assert catalogues().get("dahepingxiang").calendar.knows(app.due_year)
        client.get("/")
        app.refresh_from_db()
        assert app.due is not None and app.due.year >= far and app.due_kind == "total"
        assert app.history.first().history_change_reason == "calendar"
        assert "日历补上了年份" in text(client.get(f"/records/{app.pk}/history/"))
    finally:
        for p, content in saved.items():
            p.write_text(content, "utf-8")
        catalogues().refresh()
        catalogues().get("dahepingxiang")


def test_a_catalogue_with_errors_is_not_taken_and_the_desk_says_so(client_of, desk):
    from kiosk.desk.catalogues import catalogues

    path = desk["catalogue"] / "dibao-apply.yaml"
    saved = path.read_text("utf-8")
    try:
        path.write_text(saved + "\nnot_a_field: 1\n", "utf-8")
        catalogues().refresh()
        home = client_of("window").get("/")
        assert home.status_code == 200
        assert "目录的新版本有错误，工作台仍按上一版" in text(home)
        assert client_of("window").get("/intake/dibao-apply/").status_code == 200  # the last good one
    finally:
        path.write_text(saved, "utf-8")
        catalogues().refresh()
        catalogues().get("dahepingxiang")
    assert "目录的新版本有错误" not in text(client_of("window").get("/"))
