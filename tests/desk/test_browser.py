"""The desk in Debian's Chromium at 1366×768, as a new staff member uses it: log in, take in an application
with two missing materials, print the 补正 notice, accept it later, see it on the due list, finish it, and
find every step in the history. Each printed PDF is read back with pdftotext; each screen is checked with
axe and saved as build/screenshots/desk-*.png. Only 127.0.0.1 is reachable (tests/browser.py)."""

from __future__ import annotations

import datetime
import re
import subprocess
from pathlib import Path

import axe_playwright_python
import pytest
from conftest import ROOT, SAMPLE

from kiosk.calendar.limits import deadline
from kiosk.catalogue.load import load_or_raise

from .support import PASSWORD

pytestmark = pytest.mark.browser
AXE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text("utf-8")
SHOTS = ROOT / "build" / "screenshots"
OFFICE = {"width": 1366, "height": 768}


def china_today() -> datetime.date:
    """The desk's today: the tests' fixed day (kiosk.clock, KIOSK_TODAY), which the served desk reads too."""
    from kiosk.clock import today

    return today()


def cursor_at(page, element_id: str) -> None:
    """Wait for the cursor to land where the page puts it, as a person waits to see it blink.

    Chromium moves focus to an autofocus field at its next rendering step, which may come after
    the load event; typing before then loses the first characters."""
    page.wait_for_function(f"document.activeElement && document.activeElement.id === {element_id!r}", timeout=5000)


def pdf_text(data: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", out)


def check_screen(page, name: str) -> None:
    """No serious or critical axe finding, nothing wider than the screen, then a screenshot."""
    page.add_script_tag(content=AXE)
    report = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], (name, bad)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= OFFICE["width"], name
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"desk-{name}.png"), full_page=True)


@pytest.fixture
def served_desk(desk_server):
    return desk_server().start()


@pytest.fixture
def page(browser, served_desk):
    p = browser.page(OFFICE, bypass_csp=True)  # axe is injected inline; escaping alone must keep text text
    p.dialogs = []
    p.on("dialog", lambda d: (p.dialogs.append(d.message), d.dismiss()))
    yield p
    assert p.errors == [], p.errors
    assert p.dialogs == []
    p.context.close()


def login(page, url, staff_id="s03"):
    page.goto(url + "login/")
    page.select_option("#id_township", "dahepingxiang")
    page.focus("#id_username")
    page.keyboard.type(staff_id)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter submits


def accept_day_due_soon(matter_id: str, received: datetime.date) -> tuple[datetime.date, datetime.date]:
    """An accept day (between `received` and today) that makes the matter due within 3 working days."""
    loaded = load_or_raise(SAMPLE, "dahepingxiang")
    m = loaded.matter(matter_id)
    today = china_today()
    soon = loaded.calendar.add_workdays(today, 3)
    day = today
    while day >= received:
        t = deadline(m, day, loaded.calendar)
        due = t.cases[0].latest or t.cases[0].due if t.cases else t.stages[-1].due
        if today < due <= soon:
            return day, due
        day -= datetime.timedelta(days=1)
    raise AssertionError("no accept day gives a due date within 3 working days")


def test_a_new_staff_member_takes_an_application_from_intake_to_finish(page, browser, served_desk, tmp_path):
    url = served_desk.url
    page.goto(url)
    assert "/login/" in page.url
    check_screen(page, "login")
    login(page, url)
    check_screen(page, "home-empty")

    # 收件登记: find the matter as the kiosk does (initials), Enter opens the first result
    page.get_by_role("link", name="收件登记").click()
    page.wait_for_url("**/intake/")
    cursor_at(page, "q")
    page.keyboard.type("cjz")
    page.wait_for_selector("#results a")
    assert page.locator("#results a").first.inner_text().startswith("残疾人证申领")
    check_screen(page, "intake-search")
    page.fill("#q", "")
    page.keyboard.type("办残疾证")
    assert page.locator("#results a").first.inner_text().startswith("残疾人证申领")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/intake/canjizheng-apply/")

    # the applicant, and what was brought (all but two), by keyboard
    received = china_today() - datetime.timedelta(days=30)
    cursor_at(page, "id_applicant")  # the cursor starts at the name
    page.keyboard.type("王小明")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_phone"
    page.keyboard.type("13800000000")
    page.fill("#id_received", received.isoformat())
    count = page.locator('input[name="brought"]').count()
    assert count >= 3
    for n in range(1, count - 1):
        page.check(f"#b{n}")
    missing = [page.locator(f"#m{n}-name").inner_text() for n in (count - 1, count)]
    assert "缺 2 项" in page.locator("#main-action").inner_text()
    check_screen(page, "intake")
    with page.expect_navigation():
        page.locator("#main-action").click()
    assert "补正中" in page.locator("h1").inner_text()
    number = re.search(r"DHP-\d{4}-\d{6}", page.locator("h1").inner_text()).group(0)
    check_screen(page, "record-correcting")

    # the 补正 notice: printed at once, with the record number
    notice_link = page.get_by_role("link", name="打印材料补正一次性告知书")
    assert notice_link.get_attribute("target") == "_blank"
    notice = page.context.request.get(url.rstrip("/") + notice_link.get_attribute("href"))
    assert notice.headers["content-type"] == "application/pdf"
    text = pdf_text(notice.body(), tmp_path, "notice.pdf")
    assert "材料补正一次性告知书" in text and number in text and "王小明" in text
    assert "还需要补交以下2项材料" in text
    for name in missing:
        assert re.sub(r"\s+", "", name) in text

    # later: the two materials come, 受理 on a day that makes it due within 3 working days
    accepted, due = accept_day_due_soon("canjizheng-apply", received)
    page.get_by_role("link", name="补交材料 / 受理").click()
    page.wait_for_url("**/supplement/")
    for n in (count - 1, count):
        page.check(f"#b{n}")
    page.fill("#id_accepted", accepted.isoformat())
    check_screen(page, "supplement")
    with page.expect_navigation():
        page.get_by_role("button", name="材料齐了，受理并打印回执").click()
    assert "已受理" in page.locator("h1").inner_text()
    assert due.isoformat() in page.locator("dl.facts").inner_text()
    receipt = page.context.request.get(
        url.rstrip("/") + page.get_by_role("link", name="打印受理回执").get_attribute("href")
    )
    text = pdf_text(receipt.body(), tmp_path, "receipt.pdf")
    assert "受理回执" in text and number in text
    assert f"{accepted.year}年{accepted.month}月{accepted.day}日" in text
    assert f"{due.year}年{due.month}月{due.day}日" in text

    # on the due list
    page.get_by_role("link", name="限时办结").click()
    page.wait_for_url(url)
    soon = page.locator("section[aria-labelledby='soon-h']")
    assert number in soon.inner_text()
    check_screen(page, "home")

    # 办结
    page.get_by_role("link", name=number).first.click()
    page.get_by_role("link", name="办结", exact=True).click()
    page.wait_for_url("**/finish/")
    cursor_at(page, "id_result")  # the cursor starts at the result
    page.keyboard.type("已发放第二代残疾人证")
    check_screen(page, "finish")
    with page.expect_navigation():
        page.get_by_role("button", name="办结", exact=True).click()
    assert "已办结" in page.locator("h1").inner_text(), page.locator("main").inner_text()
    check_screen(page, "record-finished")

    # every step in the history
    page.get_by_role("link", name="查看修改历史").click()
    page.wait_for_url("**/history/")
    history = page.locator("ol.history").inner_text()
    assert history.count("李某某（s03）") == 3
    for words in ["收件，开补正告知书", "补交材料并受理", "办结", "补正中", "已受理", "已办结", "已发放第二代残疾人证"]:
        assert words in history, words
    check_screen(page, "history")

    page.get_by_role("link", name="限时办结").click()
    assert number in page.locator("section[aria-labelledby='month-h']").inner_text()
    page.get_by_role("link", name="全部记录").click()
    check_screen(page, "records")
    assert browser.outside == []


def test_a_refusal_is_printed_with_the_reason_and_the_rights(page, browser, served_desk, tmp_path):
    url = served_desk.url
    login(page, url, "s01")  # the center head takes in too
    page.goto(url + "intake/dibao-apply/")
    page.fill("#id_applicant", "赵大")
    page.check("#b1")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter: missing materials, so the 补正 notice
    assert "补正中" in page.locator("h1").inner_text()
    page.get_by_role("link", name="不予受理", exact=True).click()
    page.wait_for_url("**/refuse/")
    cursor_at(page, "id_reason")
    page.keyboard.type("经入户调查，家庭人均收入高于当地低保标准。")
    check_screen(page, "refuse")
    with page.expect_navigation():
        page.get_by_role("button", name="保存并打印不予受理通知书").click()
    assert "不予受理" in page.locator("h1").inner_text()
    link = page.get_by_role("link", name="打印不予受理通知书")
    text = pdf_text(page.context.request.get(url.rstrip("/") + link.get_attribute("href")).body(), tmp_path, "no.pdf")
    assert "不予受理通知书" in text and "赵大" in text and "家庭人均收入高于当地低保标准" in text
    assert "行政复议" in text and "12345" in text
    check_screen(page, "record-refused")
    assert browser.outside == []


def test_the_head_sees_what_the_kiosk_was_asked_and_did_not_find(browser, desk_server, tmp_path):
    """What residents searched for at the township's kiosk and did not find (`kiosk serve --searches`), with
    the matter each may belong to: the center head's page, as a person sees it."""
    from kiosk.site.searches import Searches

    folder = tmp_path / "kiosk-searches"
    day = china_today()
    Searches(folder).add("低保怎么领", "none", day)
    Searches(folder).add("低保怎么领", "none", day)
    Searches(folder).add("房子盖好了", "none", day)
    url = desk_server().start({"KIOSK_DESK_SEARCHES": f"dahepingxiang={folder}"}).url
    page = browser.page(OFFICE, bypass_csp=True)
    try:
        login(page, url, "s01")
        page.goto(url + "searches/")
        table = page.locator("main").inner_text()
        assert "低保怎么领" in table and "最低生活保障" in table and "房子盖好了" in table
        assert table.index("低保怎么领") < table.index("房子盖好了")  # the most asked first
        check_screen(page, "searches")
        assert page.errors == []
    finally:
        page.context.close()


def test_bad_input_is_said_next_to_the_field(page, served_desk):
    url = served_desk.url
    login(page, url)
    page.goto(url + "intake/dibao-apply/")
    page.fill("#id_received", (china_today() + datetime.timedelta(days=3)).isoformat())
    with page.expect_navigation():
        page.locator("#main-action").click()
    name_error = page.locator("#id_applicant-error")
    assert name_error.inner_text().endswith("这里要填")
    assert page.get_attribute("#id_applicant", "aria-invalid") == "true"
    assert "日期不能晚于今天" in page.locator("#id_received-error").inner_text()
    assert page.evaluate("document.activeElement.id") == "form-errors"
    check_screen(page, "intake-errors")


def test_hostile_text_stays_text_on_screen_and_on_paper(page, browser, served_desk, tmp_path):
    from test_hostile import HOSTILE

    url = served_desk.url
    login(page, url)
    names = [h for h in HOSTILE if "\n" not in h and len(h) <= 48][:6]
    reasons = "\n".join(HOSTILE)[:1000]
    numbers = []
    for i, name in enumerate(names):
        page.goto(url + "intake/dibao-apply/")
        page.fill("#id_applicant", name)
        page.check("#b1")
        with page.expect_navigation():
            page.locator("#main-action").click()
        assert page.locator("dl.facts dd").first.inner_text() == name.strip()
        numbers.append(page.url)
        text = pdf_text(
            page.context.request.get(
                url.rstrip("/") + page.get_by_role("link", name="打印材料补正一次性告知书").get_attribute("href")
            ).body(),
            tmp_path,
            f"h{i}.pdf",
        )
        assert re.sub(r"\s+", "", name.replace("\u200b", "").replace("\u200d", "")) in text.replace(
            "\u200b", ""
        ).replace("\u200d", ""), name
    page.get_by_role("link", name="不予受理", exact=True).click()
    page.fill("#id_reason", reasons)
    with page.expect_navigation():
        page.get_by_role("button", name="保存并打印不予受理通知书").click()
    assert page.locator("dd.text").inner_text() == reasons.strip()
    text = pdf_text(
        page.context.request.get(
            url.rstrip("/") + page.get_by_role("link", name="打印不予受理通知书").get_attribute("href")
        ).body(),
        tmp_path,
        "reason.pdf",
    )
    invisible = str.maketrans("", "", "\u200b\u200d")
    for line in reasons.splitlines():
        assert re.sub(r"\s+", "", line.translate(invisible)) in text.translate(invisible), line
    page.goto(url + "records/")
    for name in names:
        assert page.get_by_text(name.strip(), exact=True).count() >= 1
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.scrollingElement.scrollWidth") <= OFFICE["width"]
    check_screen(page, "hostile")
    assert browser.outside == []
