"""Six real published guides (tests/fixtures/real-guides): the page and the sheet say what each guide
says, no more. What a guide leaves blank is printed 未载明, never 免费, 最多跑 1 次, 必要 or 可帮代办."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLE, run_kiosk
from test_sheets import HeadingsAndFacts, flat, pdf_text

from kiosk.catalogue.load import load_or_raise
from kiosk.catalogue.view import CatalogueView
from kiosk.printing.correction import correction_notice
from kiosk.printing.documents import Documents
from kiosk.printing.renderer import default_renderer
from kiosk.text import render

GUIDES = FIXTURES / "real-guides"
ASK = "未载明，请向窗口咨询"
# what each guide says (on the page and the sheet, in words as printed), and what it must never be made to say
SAYS = {
    "dibao-anhua": (
        [
            "安化县民政局",
            "咨询电话0737-7226787",
            "监督电话0737-7224401",
            "户籍所在地村（居）委或乡镇人民政府",
            "安化县城乡居民最低生活保障申请表",
            "原件1份复印件1份",
            "必要性未载明",
            "来源未载明",
            "承诺时限" + ASK + "（0737-7226787）",
            "收不收费" + ASK,
            "能不能帮办、代办：" + ASK,
            "国务院令第649号",
        ],
        ["免费", "不收费。", "最多跑", "可帮代办", "申请人自备", "即办", "个工作日", "必要<"],
    ),
    "linshi-hezhuang": (
        [
            "仅在以下情形需要：因病住院的",
            "同时符合以下情形才需要：因灾的；家庭财产入保的",
            "原件及复印件",
            "最高不超过城市低保月标准的10倍",
            "62602964",
            "原指南没有说明是咨询电话还是监督电话",
            "周一至周五，法定节假日除外",
            "设定依据" + ASK,
        ],
        ["免费", "不收费。", "最多跑", "可帮代办", "个工作日", "咨询电话62602964"],
    ),
    "falv-yuanzhu-qdn": (
        [
            "承诺7个工作日",
            "可以延长（延长多久未载明）",
            "需要查证的，可以适当延长审查期限",
            "5日",
            "15日",
            "不收费",
            "份数未载明",
            "国务院令第385号",
            "州政务中心州司法局窗口",
        ],
        ["最多跑", "可帮代办", "5个工作日", "15个工作日"],
    ),
    "gaoling-luochuan": (
        [
            "1个月",
            "70-79周岁",
            "50元/月",
            "100周岁以上",
            "600元/月",
            "不收费",
            "0911-3631903",
            "原件及复印件2张",
            "规格：二寸",
            "各乡镇（街道办、社区）民政站",
            "陕民发(2012)11号",
            "洛川户籍年满69周岁",
        ],
        ["最多跑", "可帮代办", "承诺1", "个工作日"],
    ),
    "linmu-huaxian": (
        [
            "符合以下任一情形需要：国营林场；一千五百亩以上的集体林场",
            "承诺3个工作日",
            "咨询电话0372-8181579",
            "监督电话0372-8112226",
            "全县范围内除房前屋后零星林木外的林木采伐",
            "怎么办办理步骤" + ASK,
        ],
        ["最多跑", "可帮代办", "必要<"],
    ),
    "laonian-longshan": (
        [
            "龙山县民政局",
            "承诺30个工作日",
            "法定时限30个工作日",
            "受理，5个工作日",
            "不用到现场",
            "0743-6222412、0743-6231658",
            "原指南没有说明是咨询电话还是监督电话",
            "要带的材料" + ASK,
        ],
        ["可帮代办", "咨询电话0743", "监督电话0743", "网上或电话"],
    ),
}


# printed only on paper, in the sheet's head (the kiosk page keeps to what a resident needs)
SHEET_SAYS = {
    "linmu-huaxian": ["基本编码：X0903", "事项类型：未载明"],
    "laonian-longshan": ["事项类型：行政给付", "行使层级：县级"],
    "dibao-anhua": ["事项类型：未载明"],
}


@pytest.fixture(scope="module")
def guides():
    return load_or_raise(GUIDES)


@pytest.fixture(scope="module")
def printed(guides, tmp_path_factory):
    """Each guide's 一次性告知单 as PDF."""
    out = tmp_path_factory.mktemp("guides")
    cv = CatalogueView(guides.catalogue)
    renderer = default_renderer()
    for v in cv.views():
        (out / f"{v.m.id}.pdf").write_bytes(renderer.pdf(Documents(cv).sheet(v.m.id))[0])
    return out


def page_notice(cv, matter_id) -> str:
    return render.notice(cv.view(matter_id), "screen", lambda mid: f"../{mid}/")


def notice_text(html: str) -> str:
    return flat(re.sub(r"<[^>]+>", "", html))


def test_every_guide_is_encoded():
    assert {p.stem for p in GUIDES.glob("[a-z]*.yaml")} == set(SAYS)
    assert len(list((Path(__file__).resolve().parents[2] / "shared" / "reference" / "real-guides").glob("*-*.md"))) in (
        0,
        len(SAYS),
    ), "one fixture per guide in shared/reference/real-guides"


@pytest.mark.parametrize("matter_id", sorted(SAYS))
def test_the_page_says_what_the_guide_says_and_nothing_more(guides, matter_id):
    must, never = SAYS[matter_id]
    html = page_notice(CatalogueView(guides.catalogue), matter_id)
    text = notice_text(html)
    for words in must:
        assert flat(words) in text, words
    for words in never:
        target = html if "<" in words else text
        assert flat(words) not in target, words


@pytest.mark.parametrize("matter_id", sorted(SAYS))
def test_the_sheet_says_what_the_guide_says_and_nothing_more(guides, printed, matter_id):
    must, never = SAYS[matter_id]
    text = pdf_text(printed / f"{matter_id}.pdf")
    notice = text[: text.index("您的权利和救济途径")]  # the matter's own part; the center's channels follow
    for words in must + SHEET_SAYS.get(matter_id, []):
        assert flat(words) in notice, words
    for words in never:
        if "<" not in words:
            assert flat(words) not in notice, words


@pytest.mark.parametrize("matter_id", sorted(SAYS))
def test_page_and_sheet_say_the_same_of_every_element(guides, printed, matter_id):
    """口径一致 for the elements a real guide brings: headings in order, and every fact and 未载明."""
    page = HeadingsAndFacts()
    page.feed(page_notice(CatalogueView(guides.catalogue), matter_id))
    text = pdf_text(printed / f"{matter_id}.pdf")
    pos = 0
    for heading in page.headings:
        pos = text.find(flat(heading), pos)
        assert pos >= 0, heading
    for fact in page.facts:
        assert flat(fact) in text, fact


def test_a_matter_own_supervision_phone_stands_with_the_centers_channels(guides, printed):
    text = pdf_text(printed / "dibao-anhua.pdf")
    channels = text[text.index("对办理不满意，可以投诉") :]
    for words in ("沅陵县纪委监委", "12345", "本事项监督电话", "0737-7224401"):
        assert flat(words) in channels, words
    assert channels.index("12345") < channels.index("0737-7224401"), "added after the center's, never instead"


def test_the_export_carries_null_with_the_reason(guides):
    from kiosk.catalogue.unstated import open_data

    data = open_data(guides.catalogue)
    anhua = next(m for m in data["matters"] if m["id"] == "dibao-anhua")
    assert anhua["is_fee"] is None and anhua["promise_day"] is None and anhua["proxy"] is None
    assert anhua["materials"][0]["is_need"] is None
    blanks = {b["field"]: b for b in data["unstated"]["dibao-anhua"]}
    assert blanks["is_fee"] == {"field": "is_fee", "label": "是否收费", "reason": "未载明"}
    assert "materials[0].is_need" in blanks and "proxy" in blanks


FACTS = ("免费", "最多跑 1 次", "可帮代办")


def test_removing_what_a_guide_may_leave_blank_never_prints_a_default(tmp_path):
    """The issue's check on the sample's 临时救助: without is_fee/fees, limit_scene_num, a material's
    is_need and proxy, the page and the sheet say 未载明, never 免费 / 最多跑 1 次 / 必要 / 可帮代办."""
    target = tmp_path / "matters"
    shutil.copytree(SAMPLE, target)
    path = target / "linshi-jiuzhu.yaml"
    text = path.read_text("utf-8")
    before = text
    text = re.sub(r"^is_fee: .*\n", "", text, flags=re.M)
    text = re.sub(r"^limit_scene_num: .*\n", "", text, flags=re.M)
    text = re.sub(r"^proxy:\n(  .*\n)+", "", text, flags=re.M)
    text = text.replace("  - material_name: 申请人身份证\n    is_need: 必要\n", "  - material_name: 申请人身份证\n", 1)
    assert text != before and "is_fee" not in text and "proxy:" not in text
    path.write_text(text, "utf-8")
    loaded = load_or_raise(target)
    cv = CatalogueView(loaded.catalogue)
    html = page_notice(cv, "linshi-jiuzhu")
    sheet = default_renderer().pdf(Documents(cv).sheet("linshi-jiuzhu"))[0]
    (tmp_path / "s.pdf").write_bytes(sheet)
    paper = pdf_text(tmp_path / "s.pdf")
    for said in (notice_text(html), paper[: paper.index("您的权利和救济途径")]):
        for fact in FACTS:
            assert flat(fact) not in said, fact
        assert flat("收不收费" + ASK) in said
        assert flat("到现场几次" + ASK) in said
        assert flat("能不能帮办、代办：" + ASK) in said
        assert flat("申请人身份证") + "必要性未载明" in said
    row = re.search(r'<tr class="n-material need-未载明">.*?申请人身份证.*?</tr>', html, re.S).group(0)
    assert ">必要<" not in row


def test_a_guide_import_round_trip(tmp_path):
    """The real on-ramp: the six guides as a county's 实施清单 (tests/fixtures/guide-list.xlsx, built from
    tests/fixtures/guide-list.yaml by make_guide_list), imported; every blank stays 未载明 and the result
    passes kiosk check."""
    from guide_list import KEPT, ROWS, cells, make_guide_list

    book = make_guide_list(tmp_path / "list.xlsx")
    assert cells(book) == cells(KEPT), "stale: python3 tests/guide_list.py (it writes tests/fixtures/guide-list.xlsx)"
    book = KEPT
    target = tmp_path / "matters"
    shutil.copytree(
        GUIDES,
        target,
        ignore=lambda folder, names: [  # the county's files, not its matters
            n for n in names if Path(folder) == GUIDES and (n[:1].isalnum() and n.endswith(".yaml") or n == "README.md")
        ],
    )
    result = run_kiosk("import", "--format", "guide", book, "-o", target, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"已导入 {len(ROWS)} 个事项到" in result.stdout
    assert "清单!Q1: 事项来源网址: 提醒：没有对应的字段，这一列照原文作为其他要素导入" in result.stdout
    assert "清单!U1: 是否支持涉企经营许可告知承诺: 提醒：没有对应的字段" in result.stdout
    assert run_kiosk("check", target, cwd=tmp_path).returncode == 0
    data = json.loads(run_kiosk("export", target, cwd=tmp_path).stdout)
    by_name = {m["task_name"]: m for m in data["matters"]}
    anhua = by_name["城乡最低生活保障对象认定"]
    assert anhua["dept_name"] == "安化县民政局"
    assert anhua["is_fee"] is None and anhua["promise_day"] is None, "blank in the list, blank in the catalogue"
    assert [x["material_name"] for x in anhua["materials"]] == [
        "安化县城乡居民最低生活保障申请表",
        "身份证",
        "户口本",
        "家庭经济状况核查授权委托书",
    ]
    assert anhua["link_way"] == [
        {"name": None, "phone": "0737-7226787", "window": None, "url": None, "address": None, "note": None}
    ]
    assert anhua["other_elements"] == [
        {"name": "事项来源网址", "text": "http://www.anhua.gov.cn/jc_ah/94/115/content_26088.html"}
    ]
    assert anhua["supervise_way"][0]["phone"] == "0737-7224401"
    linmu = by_name["林木采伐许可证"]
    assert (linmu["promise_day"], linmu["promise_type"], linmu["project_type"]) == (3, "工作日", "承诺件")
    assert linmu["catalog_code"] == "X0903" and linmu["is_fee"] is False
    assert linmu["id"] == "linmu-caifa-xuke"
    longshan = by_name["老年人福利补贴"]
    assert (longshan["anticipate_day"], longshan["limit_scene_num"]) == (30, 0)
    assert longshan["project_type"] == "承诺件"
    assert [e["name"] for e in longshan["other_elements"]] == ["事项来源网址", "是否支持涉企经营许可告知承诺"]
    assert longshan["other_elements"][1]["text"] == "否"
    legal = by_name["申请类法律援助受理审批"]
    assert legal["steps"] == [] and legal["promise_day"] == 7
    luochuan = by_name["高龄老人津贴申请"]
    assert (luochuan["anticipate_day"], luochuan["anticipate_type"]) == (1, "月")


def test_previews_of_the_sample_sheets_that_use_the_guides_elements():
    """Every page of the sheets whose matters use the new elements, as PNG in build/previews/ for a person
    to look at (stage limits and own phones, sets and limits by applicant, a benefit table, an online
    address, blanks), and a 补正 notice of a matter with stage limits only."""
    import subprocess

    from conftest import ROOT

    out = ROOT / "build" / "previews"
    out.mkdir(parents=True, exist_ok=True)
    loaded = load_or_raise(SAMPLE)
    cv = CatalogueView(loaded.catalogue)
    renderer = default_renderer()
    documents = {
        f"guide-{mid}": Documents(cv).sheet(mid)
        for mid in ("dibao-apply", "xiangcun-guihua", "gaoling-jintie", "bingyi-dengji", "linmu-caifa")
    }
    documents["guide-correction-dibao-apply"] = correction_notice(
        loaded, "dibao-apply", "1,3", "2026-03-02", "示例申请人"
    ).html
    for stem, html in documents.items():
        pdf = out / f"{stem}.pdf"
        data, warnings = renderer.pdf(html)
        assert warnings == []
        pdf.write_bytes(data)
        for old in out.glob(f"{stem}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(out / stem)], check=True)
        pdf.unlink()
        assert sorted(out.glob(f"{stem}-*.png")), stem
