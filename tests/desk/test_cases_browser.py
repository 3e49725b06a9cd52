"""A 办不成事 in Debian's Chromium, through every state, as the 办不成事 window's new worker (s12) and the
receiving window (s03) would: 登记 from a paper form of ten days ago, 定时限 (3 个工作日), 交办 with the 交办单,
overdue on both home screens with the 督办 reminder, 办结, 反馈, 回访, 归档, the history. PDFs read back with
pdftotext; screens checked with axe and saved as build/screenshots/desk-case-*.png; only 127.0.0.1 reachable."""

from __future__ import annotations

import datetime

import pytest
from conftest import SAMPLE

from kiosk.catalogue.load import load_or_raise

from .test_browser import check_screen, china_today, login, page, pdf_text, served_desk  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def logout(page):
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()


def pdf_of(page, url, link_name, tmp_path, name) -> str:
    href = page.get_by_role("link", name=link_name).last.get_attribute("href")
    response = page.context.request.get(url.rstrip("/") + href)
    assert response.headers["content-type"] == "application/pdf"
    return pdf_text(response.body(), tmp_path, name)


def test_a_case_walks_through_every_state(page, browser, served_desk, tmp_path):  # noqa: F811
    url = served_desk.url
    served_desk.add_user("s12", "window", "dahepingxiang")
    calendar = load_or_raise(SAMPLE, "dahepingxiang").calendar
    reported = china_today() - datetime.timedelta(days=10)
    due = calendar.add_workdays(reported, 3)

    login(page, url, "s12")
    page.get_by_role("link", name="办不成事", exact=True).click()
    page.wait_for_url("**/cases/")
    check_screen(page, "case-list-empty")
    page.get_by_role("link", name="登记一件办不成事").click()
    page.wait_for_url("**/cases/new/")
    page.select_option("#id_channel", "window")
    page.fill("#id_received", reported.isoformat())  # the paper form's own date
    page.fill("#id_matter_name", "残疾人证申领")
    page.fill("#id_units", "社会事务窗口")
    page.fill("#id_person", "王大爷")
    page.fill("#id_phone", "13800001234")
    page.fill("#id_reason", "材料跑了三趟，窗口说还要村里证明")
    check_screen(page, "case-register")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert "已登记" in page.locator("h1").inner_text()
    number = page.locator("h1").inner_text().split()[0]
    text = pdf_of(page, url, "打印办不成事登记表", tmp_path, "register.pdf")
    assert "办不成事”登记表" in text and number in text and "王大爷" in text and "材料跑了三趟" in text
    check_screen(page, "case-registered")

    page.get_by_role("link", name="定办理时限").click()
    page.select_option("#id_category", "complex")
    page.fill("#id_classified", reported.isoformat())
    check_screen(page, "case-classify")
    with page.expect_navigation():
        page.get_by_role("button", name="定时限").click()
    assert "已定时限" in page.locator("h1").inner_text()
    assert due.isoformat() in page.locator("dl.facts").inner_text()

    page.get_by_role("link", name="交办窗口").click()
    page.select_option("#id_window", "shehui")
    page.fill("#id_passed", reported.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="交办").click()
    assert "已交办" in page.locator("h1").inner_text()
    text = pdf_of(page, url, "打印交办单", tmp_path, "assign.pdf")
    assert "交办单" in text and number in text and f"{due.year}年{due.month}月{due.day}日" in text
    assert "承办窗口负责人签收" in text
    assert "督办" in page.locator("main").inner_text()  # the clock has run past the 3 working days
    check_screen(page, "case-passed")
    page.get_by_role("link", name="限时办结").click()
    assert number in page.locator("section[aria-labelledby='cases-late-h']").inner_text()
    check_screen(page, "case-home-bbc")
    logout(page)

    # the receiving window: the case on its home screen, overdue; 办结 and 反馈
    login(page, url, "s03")
    late = page.locator("section[aria-labelledby='cases-late-h']")
    assert number in late.inner_text() and "超期" in late.inner_text()
    check_screen(page, "case-home-window")
    late.get_by_role("link", name=number).click()
    page.get_by_role("link", name="办结", exact=True).click()
    page.fill("#id_handling", "找村里开了证明，当天送县残联")
    page.fill("#id_result", "已办好，残疾人证已发")
    with page.expect_navigation():
        page.get_by_role("button", name="办结").click()
    assert "已办结" in page.locator("h1").inner_text()
    page.get_by_role("link", name="反馈反映人").click()
    page.fill("#id_told_how", "电话告知王大爷")
    check_screen(page, "case-feedback")
    with page.expect_navigation():
        page.get_by_role("button", name="反馈").click()
    assert "已反馈" in page.locator("h1").inner_text()
    assert page.get_by_role("link", name="回访").count() == 0  # the 回访 is the 办不成事 window's
    logout(page)

    # back at the 办不成事 window: 回访, 归档, the history
    login(page, url, "s12")
    page.goto(url + "cases/")
    page.get_by_role("link", name=number).click()
    page.get_by_role("link", name="回访").click()
    page.select_option("#id_satisfaction", "good")
    page.fill("#id_words", "态度好，办得快")
    check_screen(page, "case-follow-up")
    with page.expect_navigation():
        page.get_by_role("button", name="回访").click()
    assert "已回访" in page.locator("h1").inner_text()
    page.get_by_role("link", name="归档").click()
    with page.expect_navigation():
        page.get_by_role("button", name="归档").click()
    assert "已归档" in page.locator("h1").inner_text()
    assert "满意" in page.locator("dl.facts").inner_text()
    check_screen(page, "case-archived")
    page.get_by_role("link", name="查看修改历史").click()
    history = page.locator("ol.history").inner_text()
    for words in ("登记办不成事", "定办理时限", "交办窗口", "窗口办结", "反馈反映人", "回访", "归档", "（s03）"):
        assert words in history, words
    check_screen(page, "case-history")
    page.get_by_role("link", name="限时办结").click()
    assert "没有超期的办不成事" in page.locator("section[aria-labelledby='cases-late-h']").inner_text()
    assert browser.outside == []


def test_a_written_complaint_is_answered_with_its_reply_letter(page, browser, served_desk, tmp_path):  # noqa: F811
    url = served_desk.url
    served_desk.add_user("s12", "window", "dahepingxiang")
    login(page, url, "s12")  # the 办不成事 window takes it
    page.get_by_role("link", name="投诉", exact=True).click()
    page.get_by_role("link", name="登记一件投诉").click()
    page.select_option("#id_channel", "written")
    page.fill("#id_target_unit", "社会事务窗口")
    page.fill("#id_target_person", "李某某")
    page.fill("#id_matter", "办低保时被要求送礼")
    page.fill("#id_happened", "上周三上午")
    page.fill("#id_place", "中心大厅")
    page.get_by_label("有索、拿、卡、要等不廉洁行为").check()
    page.fill("#id_complainant", "刘投诉")
    page.fill("#id_complainant_phone", "13700001111")
    check_screen(page, "complaint-register")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert "已登记" in page.locator("h1").inner_text()
    number = page.locator("h1").inner_text().split()[0]
    main = page.locator("main").inner_text()
    assert "刘投诉" not in main and "13700001111" not in main and "保密" in main
    text = pdf_of(page, url, "打印投诉登记表", tmp_path, "complaint.pdf")
    assert "投诉登记表" in text and number in text and "办低保时被要求送礼" in text and "刘投诉" not in text
    check_screen(page, "complaint-registered")

    page.get_by_role("link", name="答复").click()
    page.select_option("#id_answer_kind", "oral")
    page.fill("#id_answer", "已当面说明")
    with page.expect_navigation():
        page.get_by_role("button", name="答复").click()
    assert "书面投诉必须书面答复" in page.locator("#id_answer_kind-error").inner_text()
    check_screen(page, "complaint-answer-error")
    page.select_option("#id_answer_kind", "written")
    page.fill("#id_answer", "经调查属实，已责令当事人退还并道歉。")
    page.fill("#id_reply_to", "当面交给投诉人")
    with page.expect_navigation():
        page.get_by_role("button", name="答复").click()
    assert "已答复" in page.locator("h1").inner_text()
    # it names the complainant: only the head and the one who wrote it (named on it as 经办人) print it
    text = pdf_of(page, url, "打印投诉答复书", tmp_path, "reply-writer.pdf")
    assert "经办人：周某某" in text and "当面交给投诉人" in text
    logout(page)

    login(page, url, "s01")  # the center head prints the 答复书 and closes it
    page.goto(url + "complaints/")
    page.get_by_role("link", name=number).click()
    assert "刘投诉" in page.locator("dl.facts").inner_text()
    text = pdf_of(page, url, "打印投诉答复书", tmp_path, "reply.pdf")
    assert "投诉答复书" in text and "刘投诉" in text and "已责令当事人退还并道歉" in text and number in text
    check_screen(page, "complaint-answered-head")
    page.get_by_role("link", name="办结", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="办结").click()
    assert "已办结" in page.locator("h1").inner_text()
    page.get_by_role("link", name="查看修改历史").click()
    history = page.locator("ol.history").inner_text()
    assert "刘投诉" not in history and "保密，只记下改过" in history and "投诉办结" in history
    check_screen(page, "complaint-history")
    assert browser.outside == []


def test_first_ask_proxy_ledger_and_report_screens(page, browser, served_desk, tmp_path):  # noqa: F811
    url = served_desk.url
    login(page, url, "s01")  # the center head
    page.get_by_role("link", name="首问", exact=True).click()
    page.get_by_role("link", name="登记一次首问").click()
    page.select_option("#id_way", "in_person")
    page.fill("#id_question", "高龄津贴在哪里办")
    page.get_by_label("不归我管，指引到别的部门").check()
    page.fill("#id_ref_unit", "县民政局")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert page.locator("#id_ref_place-error").inner_text() == "指引到别的部门，要写清部门、地点、电话和找谁"
    check_screen(page, "ask-errors")
    page.fill("#id_ref_place", "县政务服务中心二楼")
    page.fill("#id_ref_phone", "0745-1234567")
    page.fill("#id_ref_person", "王科长")
    with page.expect_navigation():
        page.get_by_role("button", name="登记").click()
    assert "已指引" in page.locator("h1").inner_text()
    check_screen(page, "ask")

    page.get_by_role("link", name="帮代办", exact=True).click()
    check_screen(page, "proxy-list")
    page.get_by_role("link", name="登记一件帮代办").click()
    page.fill("#id_person", "张奶奶")
    page.fill("#id_phone", "13822223333")
    page.fill("#id_matter_name", "城乡低保年审")
    page.select_option("#id_agent", "s12")
    page.fill("#id_due", (china_today() + datetime.timedelta(days=5)).isoformat())
    page.fill("#id_handed", "户口本、身份证复印件")
    check_screen(page, "proxy-new")
    with page.expect_navigation():
        page.get_by_role("button", name="登记并打印委托书").click()
    assert "代办中" in page.locator("h1").inner_text()
    text = pdf_of(page, url, "打印帮代办委托书", tmp_path, "letter.pdf")
    assert "帮代办委托书" in text and "张奶奶" in text and "免费" in text
    check_screen(page, "proxy")

    page.get_by_role("link", name="台账", exact=True).click()
    check_screen(page, "ledger")
    page.get_by_role("link", name="看月报").click()
    assert china_today().strftime("%Y-%m") in page.locator("h1").inner_text()
    check_screen(page, "report")
    text = pdf_of(page, url, "打印（PDF）", tmp_path, "report.pdf")
    assert "办不成事和投诉月报" in text
    assert browser.outside == []
