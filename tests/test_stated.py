"""Every statement a surface prints about a real guide's matter is compared with the field it comes from.

The six real guides (tests/fixtures/real-guides) go through the kiosk page, the 一次性告知单, the 补正
notice, `kiosk due` and the export. From each printed text, the statements that carry a fact of the
guide are picked out (a length of time, where the clock starts, 免费 / 不收费, 当场, 可帮代办, a number of
visits, 可以邮寄) and each must be what the matter's own field states: a statement no field backs is a
default the software invented, the thing issue 21 forbids.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from conftest import FIXTURES, run_kiosk
from test_real_guides import page_notice
from test_sheets import flat, pdf_text

from kiosk.calendar import limits
from kiosk.catalogue.load import load_or_raise
from kiosk.catalogue.view import CatalogueView
from kiosk.printing.correction import correction_notice

GUIDES = FIXTURES / "real-guides"
IDS = sorted(p.stem for p in GUIDES.glob("[a-z]*.yaml"))
# a length of time, not a date: "3月1日" is neither "3 个月" nor "1 日"
SPAN = re.compile(r"(?<![\d月年.:])(\d+)个?(工作日|自然日|(?<=个)月|日|天)")


def stated_spans(v) -> set[str]:
    """Every length of time the matter's fields state, as printed ("7个工作日", "15日", "1个月"), and the sum of
    its stages where limits.html says one; plus those of the center's own texts the page prints (rights)."""
    m = v.m
    pairs = [
        (m.promise_day, m.promise_type),
        (m.anticipate_day, m.anticipate_type),
        (m.correction_day, m.correction_type),
    ]
    pairs += [(c.day, c.type) for c in m.promise_by]
    if m.extension:
        pairs.append((m.extension.day, m.extension.type))
    out = {_said(d, u) for d, u in pairs if d and u}
    words = (
        [s.time for s in m.steps]
        + [p.time for p in m.special_procedure]
        + [
            m.anticipate_explain,
            m.promise_explain,
            m.time_start,
            m.accept_period,
            m.apply_ahead,
            m.standards_note,
            *(c.explain for c in m.promise_by),
            *v.rights,
            *(s.standard for s in m.steps),
            *(s.name for s in m.steps),
            *(e.text for e in m.other_elements),
            *(c.note for c in m.link_way + m.supervise_way),
            m.extension.note if m.extension else None,
        ]
    )
    for text in filter(None, words):
        out |= {_said(int(n), u) for n, u in SPAN.findall(flat(text))}
    total = limits.deadline(m, None, None).stage_sum
    if total:
        out.add(_said(total.days, total.unit))
    return out


def _said(days: int, unit: str) -> str:
    return f"{days}{'个' if unit in ('工作日', '自然日', '月') else ''}{'自然日' if unit == '天' else unit}"


def check(text: str, v, where: str) -> None:
    """Each fact-bearing statement of `text` against the field that must back it."""
    m, text = v.m, flat(text)
    spans = stated_spans(v)
    for n, unit in SPAN.findall(text):
        said = _said(int(n), unit)
        assert said in spans or _said(int(n), "天") in spans, (
            f"{where}: “{said}” is printed but no field of {m.id} states it"
        )
    for start in re.findall(r"(自[^，。；：（）自]{1,10}|受理|材料齐全)之日起", text):
        assert any(
            start in flat(x or "")
            for x in (
                m.time_start,
                m.promise_explain,
                m.anticipate_explain,
                *(s.standard for s in m.steps),
                *(s.time for s in m.steps),
            )
        ), f"{where}: “{start}之日起” is printed but the guide does not say where its clock starts so"
    if re.search("(?<!收)不收费|免费|不要钱", text.split("可以请工作人员免费帮办")[0]):
        assert m.is_fee is False, f"{where}: 不收费 printed, is_fee is {m.is_fee}"
    if re.search("当场办结|当场办好|当天办结|即办", text):
        assert m.project_type == "即办件" or any(c.instant for c in m.promise_by), f"{where}: 当场 printed"
    if re.search("可帮代办|免费帮办|帮办、代办。", text):
        assert m.proxy and m.proxy.allowed, f"{where}: 帮代办 printed, proxy is {m.proxy}"
    if re.search(r"不用到现场|最多跑\d+次", text):
        assert m.limit_scene_num is not None, f"{where}: visits printed, limit_scene_num is blank"
    if "可以邮寄" in text:
        assert m.is_express, f"{where}: 邮寄 printed"


@pytest.fixture(scope="module")
def guides():
    return load_or_raise(GUIDES)


@pytest.mark.parametrize("matter_id", IDS)
def test_every_statement_of_the_page_has_its_field(guides, matter_id):
    cv = CatalogueView(guides.catalogue)
    v = cv.view(matter_id)
    html = page_notice(cv, matter_id)
    check(re.sub(r"<[^>]+>", "", html.split('class="n-rights"')[0]), v, "page")


@pytest.mark.parametrize("matter_id", IDS)
def test_every_statement_of_the_sheet_and_the_correction_notice_has_its_field(guides, matter_id, tmp_path):
    from kiosk.printing.documents import Documents
    from kiosk.printing.renderer import default_renderer

    cv = CatalogueView(guides.catalogue)
    v = cv.view(matter_id)
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(default_renderer().pdf(Documents(cv).sheet(matter_id))[0])
    text = pdf_text(pdf)
    check(text[: text.index("您的权利和救济途径")], v, "sheet")
    if v.materials:
        notice = correction_notice(
            guides, matter_id, "1", datetime.date(2026, 9, 14), "王某某", today=datetime.date(2026, 9, 15)
        )
        body = re.sub(r"<[^>]+>", "", notice.html)
        check(body[: body.index("交到哪里")], v, "补正告知书")


@pytest.mark.parametrize("matter_id", IDS)
def test_every_statement_of_kiosk_due_has_its_field(guides, matter_id, tmp_path):
    result = run_kiosk("due", matter_id, "--accepted", "2026-09-14", "--dir", GUIDES, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    v = CatalogueView(guides.catalogue).view(matter_id)
    said = re.sub(r"\d{4}-\d{2}-\d{2}（星期.）", "", result.stdout)  # the dates it counts, not statements
    check(said, v, "kiosk due")
    t = limits.deadline(v.m, None, None)
    assert ("从哪天算" in result.stdout or "从受理日" in result.stdout) or not t.timed
    if not v.m.time_start and t.timed:
        assert "原指南没写从哪天算" in result.stdout


def test_the_export_carries_each_new_element_as_written(guides, tmp_path):
    data = json.loads(run_kiosk("export", GUIDES, cwd=tmp_path).stdout)
    by_id = {m["id"]: m for m in data["matters"]}
    assert by_id["falv-yuanzhu-qdn"]["time_start"] == "自受理申请之日起"
    assert by_id["linmu-huaxian"]["agent"]["materials"] == ["村民的委托书"]
    assert by_id["laonian-longshan"]["other_elements"][0] == {"name": "是否支持涉企经营许可告知承诺", "text": "否"}
    assert by_id["gaoling-luochuan"]["source"]["published"] == "2017-07-13"
    blanks = {u["field"] for u in data["unstated"]["linmu-huaxian"]}
    assert "time_start" in blanks and "anticipate_day" in blanks
    assert "time_start" not in {u["field"] for u in data["unstated"]["falv-yuanzhu-qdn"]}


def test_the_check_fails_a_statement_no_field_backs(guides):
    """The comparison can fail: a page that says 免费 or counts from 受理之日起 on its own is caught."""
    v = CatalogueView(guides.catalogue).view("dibao-anhua")  # no limit, no fee, no 帮代办 stated
    for invented in (
        "从哪天算材料齐全、受理之日起计算",
        "收不收费免费",
        "最多等多久20个工作日",
        "可帮代办",
        "即办件，当场办结",
        "不用到现场",
    ):
        with pytest.raises(AssertionError):
            check(invented, v, "test")
