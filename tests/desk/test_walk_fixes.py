"""What the walk through the desk found, fixed (issue 20, point 7), in-process: impossible months are a 400
page in Chinese; dates agreed for later within a year; invisible characters refused in one-line fields; an
unknown host, a 405 and the admin's label in Chinese; a 403 logged without a traceback; the login page told
when a session ended for idle time (a disabled account at the login: test_users_cli.py); the 不予受理通知书
names the clerk with the clerk's own window.
In Chromium at 1366×768 (marked browser): the header in one row, the 台账 not breaking numbers, dates and
states, the 首问 form showing only the chosen outcome's fields (all of them without script), typed text kept
through the idle timeout and cleared at logout; screenshots build/screenshots/desk-walk-*.png."""

from __future__ import annotations

import datetime
import io
import logging

import pytest

from .support import errors, form_fields, intake, record_of, step
from .test_browser import check_screen, login, page, served_desk  # noqa: F401 (the browser tests' fixtures)

BAD_MONTHS = ["9999-12", "0000-01", "2026-13", "1999-12", "2026-00", "next"]


def today():
    from kiosk.desk.deadlines import today as desk_today

    return desk_today()


# ---------------------------------------------------------------- months


@pytest.mark.parametrize(
    "address", ["/ledger/", "/ledger/export.xlsx", "/reports/", "/reports/report.xlsx", "/reports/report.pdf"]
)
def test_an_impossible_month_is_a_400_page_in_chinese(client_of, address):
    head = client_of("head")
    for month in BAD_MONTHS:
        response = head.get(address, {"month": month})
        assert response.status_code == 400, (address, month, response.status_code)
        html = response.content.decode()
        assert "月份要写成 2026-03 这样" in html and f"{month} 不对" in html, (address, month)
    assert head.get("/ledger/", {"month": today().strftime("%Y-%m")}).status_code == 200
    assert head.get("/ledger/").status_code == 200


def test_kiosk_desk_report_refuses_an_impossible_month_and_a_docx(desk, tmp_path):
    from click.testing import CliRunner

    from kiosk.cli.main import main

    runner = CliRunner()
    done = runner.invoke(main, ["desk", "report", "--month", "9999-12"])
    assert done.exit_code == 1 and "月份要写成" in done.output and "Traceback" not in done.output
    done = runner.invoke(
        main,
        ["desk", "report", "--month", today().strftime("%Y-%m"), "-o", str(tmp_path / "x.docx")],
        prog_name="kiosk",
    )
    assert done.exit_code == 2, done.output
    assert "-o 只能写 .xlsx（表格）或 .pdf（打印件）文件" in done.output and "用法：kiosk desk report" in done.output
    assert not (tmp_path / "x.docx").exists()


# ---------------------------------------------------------------- typed text and dates


INVISIBLE = {
    "\u200b": "零宽字符",
    "\u200c": "零宽字符",
    "\u200d": "零宽字符",
    "\u2060": "零宽字符",
    "\ufeff": "零宽字符",
    "\u2028": "换行符",
    "\u2029": "换行符",
    "\u00ad": "控制字符",
    "\x07": "控制字符",
    "\u202e": "文字方向",
}


def test_invisible_characters_are_refused_in_names_and_kept_out_of_every_form(users):
    from kiosk.desk.forms import fields
    from kiosk.desk.forms.case import RegisterForm
    from kiosk.desk.forms.complaint import ComplaintForm
    from kiosk.desk.forms.help import AskForm, ProxyForm

    for ch, words in INVISIBLE.items():
        with pytest.raises(Exception) as refused:
            fields.text(f"王{ch}小明")
        assert words in refused.value.messages[0] and f"U+{ord(ch):04X}" in refused.value.messages[0], repr(ch)
    assert fields.text("  王小明 ") == "王小明" and fields.text("老人👵🏻罕见字𠀀") == "老人👵🏻罕见字𠀀"
    assert fields.text("第一行\n第二\u200b行", multiline=True) == "第一行\n第二\u200b行"  # a reason keeps its lines
    name = "王\u200b五"
    for form, field in [
        (RegisterForm({"person": name}), "person"),
        (ComplaintForm({"complainant": name}), "complainant"),
        (ComplaintForm({"target_person": name}), "target_person"),
        (AskForm({"person": name}), "person"),
        (AskForm({"ref_person": name, "outcome": "refer"}), "ref_person"),
        (ProxyForm({"person": "张\u2028奶奶"}), "person"),
    ]:
        assert not form.is_valid()
        assert any("看不见" in e or "换行符" in e for e in form.errors[field]), (type(form).__name__, field)


def test_an_applicant_name_with_a_zero_width_space_is_refused_and_nothing_saved(client_of):
    from kiosk.desk.models import Application

    before = Application.objects.count()
    refused = intake(client_of("window"), applicant="王\u200b小明")
    assert refused.status_code == 400
    assert any("零宽字符（U+200B）" in e for e in errors(refused))
    assert Application.objects.count() == before


def test_days_agreed_for_later_are_within_a_year(client_of, users):
    from kiosk.desk.forms.help import ProxyForm

    def due_error(due):
        form = ProxyForm({"due": due, "received": today().isoformat()})
        form.is_valid()
        return form.errors.get("due", [])

    latest = today() + datetime.timedelta(days=366)
    assert any("最晚写到一年以后" in e and latest.isoformat() in e for e in due_error("9999-12-31"))
    assert any("最晚写到一年以后" in e for e in due_error((latest + datetime.timedelta(days=1)).isoformat()))
    assert due_error(latest.isoformat()) == []
    assert due_error((today() + datetime.timedelta(days=30)).isoformat()) == []
    assert due_error("1999-12-31") and due_error("0001-01-01")


def test_the_agreed_date_of_a_case_is_within_a_year(client_of):
    from kiosk.desk.forms.case import ClassifyForm

    from .support import case_of, register_case

    case = case_of(register_case(client_of("unresolved")))
    base = {
        "version": case.version,
        "category": "agreed",
        "classified": today().isoformat(),
        "consent": "on",
        "consent_note": "电话里同意",
    }
    far = ClassifyForm(case, {**base, "agreed_date": "9999-12-31"})
    assert not far.is_valid() and any("最晚写到一年以后" in e for e in far.errors["agreed_date"])
    early = ClassifyForm(case, {**base, "agreed_date": (case.received - datetime.timedelta(days=1)).isoformat()})
    assert not early.is_valid() and any("不能早于登记日期" in e for e in early.errors["agreed_date"])
    fine = ClassifyForm(case, {**base, "agreed_date": (today() + datetime.timedelta(days=60)).isoformat()})
    assert fine.is_valid(), fine.errors


def test_a_first_ask_keeps_only_the_fields_of_its_outcome():
    from kiosk.desk.forms.help import AskForm

    form = AskForm(
        {
            "token": "5b1f6d0e-8b6a-4d5e-9a53-1b8c2f2d1a11",
            "asked": today().isoformat(),
            "way": "phone",
            "question": "低保怎么办",
            "outcome": "answer",
            "answer": "带户口本来",
            "ref_unit": "县民政局",
            "ref_phone": "not a phone",
        }
    )
    assert form.is_valid(), form.errors  # the referral's bad phone is not asked about: it is not kept
    assert form.cleaned_data["answer"] == "带户口本来"
    assert form.cleaned_data["ref_unit"] == "" and form.cleaned_data["ref_phone"] == ""


# ---------------------------------------------------------------- pages and log in Chinese


def test_an_unknown_host_is_a_400_page_in_chinese(users):
    from django.test import Client

    response = Client(HTTP_HOST="desk.evil.example").get("/login/")
    assert response.status_code == 400
    assert "用这个地址打不开工作台" in response.content.decode()


def test_a_405_is_a_page_in_chinese(client_of):
    window = client_of("window")
    response = window.get("/logout/")  # the logout button's address, typed into the address bar
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "这个地址不能这样打开" in response.content.decode()
    response = window.post("/", {})
    assert response.status_code == 405 and "这个地址不能这样打开" in response.content.decode()
    assert window.get("/").status_code == 200  # still logged in: nothing was done


def test_the_admin_names_the_desk_in_chinese(client_of):
    from django.apps import apps

    assert apps.get_app_config("desk").verbose_name == "窗口工作台"
    html = client_of("head").get("/admin/").content.decode()
    assert "窗口工作台" in html and ">Desk<" not in html


def test_a_refusal_is_logged_as_one_line_without_a_traceback(client_of):
    handler = logging.getLogger("django").handlers[0]
    log = io.StringIO()
    old = handler.setStream(log)
    try:
        assert client_of("county").get("/intake/").status_code == 403
    finally:
        handler.setStream(old)
    assert "Forbidden" in log.getvalue() and "Traceback" not in log.getvalue()


def test_a_session_ended_by_idle_time_is_said_at_the_login(client_of):
    from django.contrib.sessions.models import Session

    window = client_of("window")
    assert window.get("/cases/").status_code == 200
    Session.objects.filter(session_key=window.session.session_key).update(  # the database let it expire:
        expire_date=datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
    )  # long past, whatever the clock
    response = window.get("/cases/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/cases/&idle=1"
    assert "太久没有操作" in window.get(response["Location"]).content.decode()
    # logged out by the button, or never logged in: nothing about idle time
    other = client_of("window2")
    token = form_fields(other.get("/").content.decode()).get("csrfmiddlewaretoken", "")
    other.post("/logout/", {"csrfmiddlewaretoken": token})
    response = other.get("/cases/")
    assert response.status_code == 302 and "idle" not in response["Location"]


# ---------------------------------------------------------------- paper


def test_the_refusal_notice_names_the_clerk_with_the_clerks_own_window(client_of):
    head = client_of("head")  # 向某某 of the 综合受理窗口 refuses a 低保 application of the 社会事务窗口
    app = record_of(intake(head, brought=["1"]))
    response = step(head, app, "refuse", decided=today().isoformat(), reason="申请人家庭收入超过低保标准")
    assert response.status_code == 302
    html = app.documents.order_by("-id").first().html
    assert "经办人 向某某（0745-0000101，综合受理窗口）" in html
    window = client_of("window")  # 李某某 of the 社会事务窗口
    app = record_of(intake(window, brought=["1"]))
    step(window, app, "refuse", decided=today().isoformat(), reason="不符合条件")
    assert "经办人 李某某（0745-0000103，社会事务窗口）" in app.documents.order_by("-id").first().html


# ---------------------------------------------------------------- in Chromium at 1366×768


def _register_case(page, url, matter_name, received=None):
    page.goto(url + "cases/new/")
    page.select_option("#id_channel", "window")
    if received:
        page.fill("#id_received", received.isoformat())
    page.fill("#id_matter_name", matter_name)
    page.fill("#id_units", "社会事务窗口")
    page.fill("#id_person", "王大爷")
    page.fill("#id_phone", "13800001234")
    page.fill("#id_reason", "材料跑了三趟，窗口说还要村里证明")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert "已登记" in page.locator("h1").inner_text()


ONE_LINE = """(cell) => {  // the height of the cell's text, in lines
    const r = document.createRange(); r.selectNodeContents(cell);
    return r.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).lineHeight);
}"""


@pytest.mark.browser
def test_the_header_ledger_and_first_ask_form_at_1366(page, served_desk):  # noqa: F811
    url = served_desk.url
    login(page, url, "s01")  # the longest header: 向某某（中心负责人，综合受理窗口）
    tops = page.evaluate(
        "[...document.querySelectorAll('.bar > *, .bar nav li')]"
        ".map(e => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2))"
    )
    assert max(tops) - min(tops) <= 4, tops  # one row: every part centred on the same line
    assert page.evaluate("document.querySelector('.bar').getBoundingClientRect().height") < 60
    check_screen(page, "walk-home")

    # the widest row: a long window name, a category, an overdue date
    reported = today() - datetime.timedelta(days=10)
    _register_case(page, url, "城乡居民最低生活保障（低保）申请、年度复核和动态调整中需要村里出具证明的情形", reported)
    page.get_by_role("link", name="定办理时限").click()
    page.select_option("#id_category", "complex")
    page.fill("#id_classified", reported.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="定时限").click()
    page.get_by_role("link", name="交办窗口").click()
    page.select_option("#id_window", "ziran")  # 自然资源和农业农村窗口
    page.fill("#id_passed", reported.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="交办").click()
    assert "已交办" in page.locator("h1").inner_text()
    _register_case(page, url, "残疾人证申领")
    page.get_by_role("link", name="台账", exact=True).click()
    page.wait_for_url("**/ledger/")
    cells = page.locator("table.ledger tbody td")
    assert cells.count() == 18
    for i in range(cells.count()):
        cell = cells.nth(i)
        lines = cell.evaluate(ONE_LINE)
        if "title" in (cell.get_attribute("class") or ""):
            continue
        assert lines < 1.5, (i, cell.inner_text(), lines)  # numbers, dates, states never broken
    assert "（超期）" in page.locator("table.ledger").inner_text()
    long_title = page.locator("table.ledger td.title", has_text="城乡居民最低生活保障")
    assert long_title.evaluate(ONE_LINE) >= 1.5  # the long title wraps, alone
    check_screen(page, "walk-ledger")

    # the 首问 form: only the chosen outcome's fields
    page.goto(url + "asks/new/")
    parts = {"answer": "#id_answer", "refer": "#id_ref_unit", "follow": "text=问清楚后"}
    assert all(not page.locator(sel).is_visible() for sel in parts.values())
    for outcome, label in [
        ("refer", "不归我管，指引到别的部门"),
        ("answer", "当场答复了"),
        ("follow", "帮着问清楚，稍后告诉群众"),
    ]:
        page.get_by_label(label).check()
        shown = {k for k, sel in parts.items() if page.locator(sel).is_visible()}
        assert shown == {outcome}, (outcome, shown)
    page.get_by_label("不归我管，指引到别的部门").check()
    check_screen(page, "walk-ask-new")


@pytest.mark.browser
def test_the_first_ask_form_without_script_shows_every_part(browser, served_desk):  # noqa: F811
    from .test_browser import OFFICE

    plain = browser.page(OFFICE, java_script_enabled=False)
    try:
        login(plain, served_desk.url)
        plain.goto(served_desk.url + "asks/new/")
        for sel in ("#id_answer", "#id_ref_unit", "#id_ref_person", "text=问清楚后", "text=只填那一项下面的"):
            assert plain.locator(sel).is_visible(), sel
    finally:
        plain.context.close()


@pytest.mark.browser
def test_typed_text_survives_the_idle_timeout_and_is_cleared_at_logout(page, served_desk):  # noqa: F811
    from .support import PASSWORD

    url = served_desk.url
    login(page, url)
    page.goto(url + "cases/new/")
    page.select_option("#id_channel", "phone")
    page.fill("#id_matter_name", "高龄津贴申领")
    page.fill("#id_units", "社会事务窗口")
    page.fill("#id_person", "赵奶奶")
    page.fill("#id_phone", "13800005678")
    page.fill("#id_reason", "打了三次电话")
    page.get_by_role("link", name="首问", exact=True).click()  # away without sending, and back
    page.wait_for_url("**/asks/")
    page.goto(url + "cases/new/")
    assert page.input_value("#id_person") == "赵奶奶" and page.input_value("#id_reason") == "打了三次电话"
    assert page.input_value("#id_channel") == "phone"
    stored = page.evaluate("JSON.stringify(sessionStorage)")
    assert "赵奶奶" in stored and "csrfmiddlewaretoken" not in stored and '"token"' not in stored

    # the session ends while the form is open (the database no longer knows it): sent, it goes to the login
    cookie = next(c for c in page.context.cookies() if c["name"] == "desk-session")
    page.context.add_cookies([{**cookie, "value": "ended" * 8}])
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert "/login/" in page.url and "idle=1" in page.url
    assert "太久没有操作" in page.locator("main").inner_text()
    check_screen(page, "walk-idle-login")
    page.select_option("#id_township", "dahepingxiang")
    page.fill("#id_username", "s03")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert page.url.endswith("/cases/new/")
    assert PASSWORD not in page.evaluate("JSON.stringify(sessionStorage)")
    assert page.input_value("#id_person") == "赵奶奶" and page.input_value("#id_matter_name") == "高龄津贴申领"
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert "已登记" in page.locator("h1").inner_text()
    page.goto(url + "cases/new/")  # saved: a new form is empty
    assert page.input_value("#id_person") == ""

    page.fill("#id_person", "钱大爷")
    page.goto(url)
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()
    assert "desk-form" not in page.evaluate("JSON.stringify(sessionStorage)")
    assert "太久没有操作" not in page.locator("main").inner_text()
