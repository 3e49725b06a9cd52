"""Printed sheets: what a person checks on the paper (issue 5).

The PDFs are read back the way a person would: their text with pdftotext, their fonts with pdffonts,
their QR codes with a phone-like decoder (zbarimg on a 200 dpi picture of the page), their pages and
dates with pypdf. Most checks use one build of a small, stable catalogue: tests/fixtures/good, with a
staff name holding rare characters (𬌗, 堃) and one matter with 40 materials; one slow test builds the
whole sample catalogue.
"""

from __future__ import annotations

import datetime
import html.parser
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SAMPLE, catalogue_from
from pypdf import PdfReader

from kiosk import files
from kiosk.catalogue.load import load_or_raise
from kiosk.catalogue.view import CatalogueView, form_name, sheet_name
from kiosk.cli.main import main
from kiosk.printing import documents, renderer, sheets
from kiosk.printing.documents import Documents
from kiosk.text import render

RARE_NAME = "李𬌗堃"  # 𬌗 U+2C317 is outside the BMP; 堃 is a name character many fonts lack
LONG_ID = "cailiao-duo"
LONG_COUNT = 40
FORM_FILES = ["forms/unresolved.pdf", "forms/proxy.pdf", "forms/complaint.pdf"]
MATERIAL_HEADER = "序号材料要求份数从哪里来"


# ---------------------------------------------------------------- helpers


def flat(text: str) -> str:
    """Text without any whitespace: pdftotext breaks lines wherever the page does."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in the order the page draws it."""
    out = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def pdf_text(pdf: Path) -> str:
    return flat("".join(page_texts(pdf)))


def assert_in_order(text: str, items: list[str]) -> None:
    pos = 0
    for item in items:
        found = text.find(flat(item), pos)
        assert found >= 0, f"{item!r} not found after position {pos} (in order {items})"
        pos = found + len(flat(item))


def qr_codes(pdf: Path, tmp_path: Path) -> list[str]:
    """Every QR code on every page, decoded from a 200 dpi picture of the page."""
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    found = []
    for png in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(
            ["zbarimg", "-q", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)], capture_output=True, text=True
        )
        assert result.returncode in (0, 4), result.stderr  # 4: no code on this page
        found += [line for line in result.stdout.splitlines() if line]
    return found


def fonts(pdf: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name, type (may have spaces), encoding, emb, sub, uni, object id (2 columns)
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


class HeadingsAndFacts(html.parser.HTMLParser):
    """From the kiosk page's notice HTML: the section headings in order, and the facts that must be
    said the same way on paper (material names, time limits, phone, window)."""

    FACT_CLASSES = {
        "n-phone",
        "n-promise",
        "n-anticipate",
        "n-consult",
        "n-supervise",
        "n-phones",
        "n-contact",
        "n-extension",
        "n-correction",
        "n-visits",
        "n-result-name",
        "n-standards-note",
        "n-need",
        "n-copies",
        "n-source",
        "n-unknown",
    }
    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr"}

    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self.facts: list[str] = []
        self._stack: list[tuple[str, str]] = []
        self._capture: list[str] | None = None
        self._capture_tag = None
        self._in_name = False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        cls = dict(attrs).get("class") or ""
        self._stack.append((tag, cls))
        if tag in ("h2", "summary") or cls in self.FACT_CLASSES or (tag == "strong" and self._in_material()):
            self._capture, self._capture_tag = [], tag

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if self._capture is not None and tag == self._capture_tag:
            text = "".join(self._capture).strip()
            if tag in ("h2", "summary"):
                # a folded heading's hint is screen-only: 办理依据<small>点开看</small>
                self.headings.append(re.sub(r"点开看$", "", text) if tag == "summary" else text)
            else:
                self.facts.append(text)
            self._capture = None
        if self._stack:
            self._stack.pop()

    def handle_data(self, data):
        if self._capture is not None:
            self._capture.append(data)

    def _in_material(self):
        return any("n-name" in cls for _, cls in self._stack)


def screen_notice(view) -> HeadingsAndFacts:
    parser = HeadingsAndFacts()
    parser.feed(render.notice(view, "screen", lambda mid: f"../{mid}/"))
    return parser


@pytest.fixture
def no_weasyprint_warnings():
    """Fail the test on any warning of WeasyPrint while rendering in this process."""
    with renderer.weasyprint_warnings() as seen:
        yield seen
    assert seen == [], "WeasyPrint warned:\n" + "\n".join(seen)


# ---------------------------------------------------------------- the catalogue and one build of it


def make_print_catalogue(tmp: Path) -> Path:
    """fixtures/good, with a rare staff name and a matter of 40 materials."""
    root = catalogue_from(tmp)
    center = root / "_center.yaml"
    if not center.exists():  # one folder per township
        center = next(root.glob("_townships/*/center.yaml"))
    text = center.read_text("utf-8")
    assert "name: 李某某," in text
    center.write_text(text.replace("name: 李某某,", f"name: {RARE_NAME},"), "utf-8")
    materials = "\n".join(
        f"  - material_name: 第{i:02d}项证明材料（测试）\n"
        f"    is_need: 必要\n"
        f"    source_type: 申请人自备\n"
        f"    original: 1\n"
        f"    copies: {i % 3}\n"
        f"    source_explain: 到第{i}号窗口开具，带上身份证和户口本，工作人员当场出具\n"
        for i in range(1, LONG_COUNT + 1)
    )
    (root / f"{LONG_ID}.yaml").write_text(
        f"id: {LONG_ID}\n"
        "task_name: 多材料测试事项\n"
        "summary: 测试用：材料很多，表格要跨页。\n"
        "keywords: [测试]\n"
        "task_type: 公共服务\n"
        "dept_name: 乡镇人民政府\n"
        "user_topic_type: [zhengming]\n"
        "by_law:\n  - name: 测试依据\n"
        "project_type: 承诺件\n"
        "anticipate_day: 15\n"
        "anticipate_type: 工作日\n"
        "promise_day: 5\n"
        "promise_type: 工作日\n"
        "is_fee: 否\n"
        f"materials:\n{materials}"
        "steps:\n  - name: 受理\n    who: 综合受理窗口\n    time: 当场\n"
        "responsible:\n  window: zonghe\n  person: s02\n"
        "proxy:\n  allowed: true\n",
        "utf-8",
    )
    return root


@pytest.fixture(scope="module")
def print_catalogue(tmp_path_factory) -> Path:
    return make_print_catalogue(tmp_path_factory.mktemp("print-cat"))


@pytest.fixture(scope="module")
def loaded(print_catalogue):
    return load_or_raise(print_catalogue)


@pytest.fixture(scope="module")
def built(loaded, tmp_path_factory):
    """One build of every PDF, on two worker processes."""
    out = tmp_path_factory.mktemp("sheets")
    report = sheets.build(loaded, out, jobs=2)
    return out, report


# ---------------------------------------------------------------- what is printed


def test_build_makes_every_sheet_the_forms_and_the_booklet(built, loaded):
    out, report = built
    names = {p.relative_to(out).as_posix() for p in report.outputs}
    ids = [m.id for m in loaded.catalogue.matters]
    assert names == {f"{i}.pdf" for i in ids} | set(FORM_FILES) | {"booklet.pdf"}
    assert len(report.rendered) == len(names) and not report.reused
    for path in report.outputs:
        assert path.read_bytes().startswith(b"%PDF-"), path
        assert len(PdfReader(path).pages) >= 1
    assert sorted(p.name for p in out.rglob("*.tmp")) == [], "a temporary file was left behind"


def test_rendering_prints_no_weasyprint_warning(built):
    _, report = built
    assert report.warnings == []


def test_warning_capture_catches_a_warning():
    """The check above can fail: a glyph no font has and an unknown CSS property are caught."""
    html = '<html lang="zh-CN"><body><p style="colour: red">\ue000</p></body></html>'
    data, warnings = renderer.default_renderer().pdf(html)
    assert data.startswith(b"%PDF-")
    assert any("colour" in w for w in warnings), warnings
    assert any("U+E000" in w for w in warnings), warnings


def test_sheets_and_forms_are_tagged_in_chinese_with_their_title(built, loaded, monkeypatch):
    """Issue 22.9: a screen reader can read a sheet and a form (pdfinfo says Tagged, the structure tree is
    there), in zh-CN, titled as the HTML's <title>; the write options are part of every PDF's key, so a
    PDF cached before the tags is rendered again."""
    out, _ = built
    docs = Documents(CatalogueView(loaded.catalogue))
    sheet_title = f"一次性告知单：{loaded.matter('dibao-apply').task_name}"
    for name, page, title in [
        ("dibao-apply.pdf", docs.sheet("dibao-apply"), sheet_title),
        ("forms/proxy.pdf", docs.form("proxy"), "帮代办委托书"),
    ]:
        assert html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1)).strip() == title
        said = subprocess.run(["pdfinfo", str(out / name)], capture_output=True, text=True, check=True).stdout
        info = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in said.splitlines())}
        assert info["Tagged"] == "yes", name
        assert info["Title"] == title, name
        root = PdfReader(out / name).trailer["/Root"]
        assert root["/Lang"] == "zh-CN", name
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], name
    before = documents.versions()
    documents.versions.cache_clear()
    monkeypatch.setattr(documents, "PDF_OPTIONS", {**documents.PDF_OPTIONS, "pdf_tags": False})
    try:
        assert documents.versions() != before
    finally:
        monkeypatch.undo()
        documents.versions.cache_clear()
    assert documents.versions() == before


@pytest.mark.parametrize("matter_id", ["dibao-apply", "renmin-tiaojie", LONG_ID])
def test_sheet_text_says_everything_in_the_order_of_the_page(built, loaded, matter_id):
    out, _ = built
    v = CatalogueView(loaded.catalogue).view(matter_id)
    m, center = v.m, loaded.catalogue.center
    text = pdf_text(out / f"{matter_id}.pdf")
    for head in (center.name, "一次性告知单", m.task_name, m.task_type):
        assert flat(head) in text, head
    limits = [f"{m.promise_day}个{m.promise_type}" if m.project_type == "承诺件" else "即办件"]
    if m.anticipate_day:
        limits.append(f"{m.anticipate_day}个{m.anticipate_type}")
    assert_in_order(
        text,
        [
            "到哪儿办、找谁",
            v.window.name,
            v.phone,
            "要带的材料",
            *[x.material_name for x in m.materials],
            "办理时限",
            *limits,
            *[ch.name for ch in center.complaints.channels],
            center.hotline.number,
            *[g for g in center.complaints.grounds],
            "申请人",
            "日期",
            "告知人（工作人员）",
        ],
    )
    for r in v.rights:
        assert flat(r) in text, r
    assert text.count("12345") >= 2, "12345 as a channel and under its QR code"


def test_each_material_row_says_need_copies_and_source(built, loaded):
    out, _ = built
    m = loaded.matter("dibao-apply")
    text = pdf_text(out / "dibao-apply.pdf")
    for x in m.materials:
        row = [x.material_name]
        if x.situations:
            row.append("仅在以下情形需要：" + "；".join(x.situations))
        row.append(x.is_need)
        if x.original:
            row.append(f"原件{x.original}份")
        if x.copies:
            row.append(f"复印件{x.copies}份")
        row.append(x.source_type + (f"：{x.source_explain}" if x.source_explain else ""))
        assert_in_order(text, row)


@pytest.mark.parametrize("matter_id", ["dibao-apply", "renmin-tiaojie"])
def test_sheet_says_what_the_kiosk_page_says(built, loaded, matter_id):
    """口径一致: the sheet and the kiosk page's notice have the same sections in the same order and
    the same material names, time limits, phone and window."""
    out, _ = built
    v = CatalogueView(loaded.catalogue).view(matter_id)
    screen = screen_notice(v)
    assert len(screen.headings) >= 6 and screen.facts
    text = pdf_text(out / f"{matter_id}.pdf")
    assert_in_order(text, screen.headings)
    for fact in screen.facts:
        assert flat(fact) in text, fact
    assert flat(v.window.name) in text and flat(v.phone) in text
    names = [x.material_name for x in v.m.materials]
    assert [f for f in screen.facts if f in names] == names, "the page names every material, in order"


@pytest.mark.parametrize("matter_id", ["dibao-apply", "zhaijidi-apply", "renmin-tiaojie"])
def test_the_built_kiosk_page_and_its_sheet_say_the_same(built_site, matter_id):
    """口径一致 on what a resident and a clerk actually get: the published page and the published PDF."""
    html = (built_site / "matters" / matter_id / "index.html").read_text("utf-8")
    page = HeadingsAndFacts()
    page.feed(html[html.index('<div class="notice"') : html.index('<section class="n-qr">')])
    assert len(page.headings) >= 6 and page.facts
    text = pdf_text(built_site / "sheets" / f"{matter_id}.pdf")
    assert_in_order(text, page.headings)
    for fact in page.facts:
        assert flat(fact) in text, fact
    assert (built_site / "sheets" / f"{matter_id}.html").is_file(), "the staff print view is published too"
    assert f'href="../../sheets/{matter_id}.html?print"' in html, "打印 opens the print view"


def test_the_comparison_notices_a_difference(loaded):
    """The 口径一致 check can fail: a sheet of another matter does not pass it."""
    cv = CatalogueView(loaded.catalogue)
    screen = screen_notice(cv.view("dibao-apply"))
    other = flat(re.sub(r"<[^>]+>", "", Documents(cv).sheet("renmin-tiaojie")))
    assert not all(flat(f) in other for f in screen.facts)


def test_every_qr_code_decodes_to_exactly_its_target(built, loaded, tmp_path):
    out, _ = built
    v = CatalogueView(loaded.catalogue).view("dibao-apply")
    center = loaded.catalogue.center
    expected = sorted(
        [
            "https://bmfw.example.org/dahepingxiang/matters/dibao-apply/",
            center.hotline.url,
            "https://bmfw.example.org/dahepingxiang/complaints/",
            center.rating.url,
        ]
    )
    assert v.page_url == "https://bmfw.example.org/dahepingxiang/matters/dibao-apply/"
    assert sorted(qr_codes(out / "dibao-apply.pdf", tmp_path)) == expected


def test_qr_targets_follow_the_center(loaded):
    v = CatalogueView(loaded.catalogue).view("renmin-tiaojie")
    assert v.qr_links == {
        "page": "https://bmfw.example.org/dahepingxiang/matters/renmin-tiaojie/",
        "hotline": "https://12345.example.org/",
        "complaints": "https://bmfw.example.org/dahepingxiang/complaints/",
        "rating": "https://hcp.example.org/",
    }
    no_url = loaded.catalogue.model_copy(deep=True)
    no_url.center.hotline.url = None
    assert CatalogueView(no_url).view("renmin-tiaojie").qr_links["hotline"] == "tel:12345"
    no_slash = loaded.catalogue.model_copy(deep=True)
    no_slash.center.base_url = "https://bmfw.example.org/dahepingxiang"  # the site's root written without its /
    assert CatalogueView(no_slash).view("renmin-tiaojie").qr_links == v.qr_links


def test_fonts_are_embedded_subsets_of_the_simplified_chinese_family(built):
    """Kiosk Sans is Noto Sans CJK SC cut down to the catalogue's characters (kiosk.printing.fonts)."""
    out, report = built
    for pdf in report.outputs:
        rows = fonts(pdf)
        assert rows, pdf
        for row in rows:
            assert re.fullmatch(r"[A-Z]{6}\+(Kiosk-Sans|Noto-(Sans|Serif)-CJK-SC)(-Bold)?", row["name"]), (
                pdf.name,
                row,
            )
            assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), (pdf.name, row)
    assert {row["name"].split("+")[1] for row in fonts(out / "dibao-apply.pdf")} == {"Kiosk-Sans", "Kiosk-Sans-Bold"}


def test_the_cut_down_font_lays_out_every_word_where_the_whole_font_does(loaded, tmp_path):
    """Same glyphs, same metrics: a sheet rendered with the build's print font and one rendered with Noto
    Sans CJK SC itself have every word at the same place on every page; the cut is made once per set of
    characters and kept in the cache."""
    from kiosk.printing.fonts import font_css

    css = font_css(loaded.catalogue, tmp_path / "cache")
    cut = sorted((tmp_path / "cache" / "fonts").glob("*.otf"))
    assert len(cut) == 2 and "Kiosk Sans" in css
    assert font_css(loaded.catalogue, tmp_path / "cache") == css
    html = Documents(CatalogueView(loaded.catalogue)).sheet(LONG_ID)
    whole, small = tmp_path / "whole.pdf", tmp_path / "cut.pdf"
    whole.write_bytes(renderer.Renderer().pdf(html)[0])
    small.write_bytes(renderer.Renderer(css).pdf(html)[0])
    pages = len(PdfReader(whole).pages)
    assert pages == len(PdfReader(small).pages) > 1
    for page in range(1, pages + 1):
        assert body_words(small, page) == body_words(whole, page), page
    assert small.stat().st_size < whole.stat().st_size / 2


def test_rare_characters_print_with_no_missing_glyph(built):
    out, report = built
    text = pdf_text(out / "dibao-apply.pdf")
    assert RARE_NAME in text
    assert "\ufffd" not in text and "\ue000" not in text
    assert RARE_NAME in pdf_text(out / "booklet.pdf")
    assert report.warnings == []  # WeasyPrint warns for every .notdef glyph


def test_the_stylesheet_names_only_the_simplified_chinese_family():
    families = set(re.findall(r'"(Noto [^"]+)"', documents.css_text()))
    assert families == {"Noto Sans CJK SC", "Noto Serif CJK SC"}
    margin_boxes = re.findall(r"@(?:top|bottom)-\w+\s*\{([^}]*)\}", documents.css_text())
    assert margin_boxes and all("font-family" in box for box in margin_boxes if "content: none" not in box)


def test_every_page_has_version_page_number_and_sample_mark(built, loaded):
    out, report = built
    info = loaded.catalogue.catalogue
    assert info.sample is True
    version = flat(
        f"目录版本 {info.version}，{info.effective_date.year}年{info.effective_date.month}月"
        f"{info.effective_date.day}日起施行"
    )
    for pdf in report.outputs:
        pages = [flat(t) for t in page_texts(pdf)]
        for i, page in enumerate(pages, 1):
            assert version in page, (pdf.name, i)
            assert "示例数据" in page, (pdf.name, i)
            if pdf.name != "booklet.pdf":  # numbered through the booklet: its own test
                assert f"第{i}页/共{len(pages)}页" in page, (pdf.name, i)


def test_no_sample_mark_on_a_real_catalogue(loaded, no_weasyprint_warnings, tmp_path):
    real = loaded.catalogue.model_copy(deep=True)
    real.catalogue.sample = False
    pdf = tmp_path / "real.pdf"
    pdf.write_bytes(renderer.default_renderer().pdf(Documents(CatalogueView(real)).sheet("renmin-tiaojie"))[0])
    text = pdf_text(pdf)
    assert "示例数据" not in text and "人民调解申请" in text


def test_long_material_table_repeats_its_header_on_the_next_page(built, loaded):
    out, _ = built
    pages = [flat(t) for t in page_texts(out / f"{LONG_ID}.pdf")]
    with_rows = [i for i, p in enumerate(pages) if "证明材料（测试）" in p]
    assert len(with_rows) >= 2, "the 40 materials should take more than one page"
    for i in with_rows:
        assert MATERIAL_HEADER in pages[i], f"page {i + 1} has material rows but no table header"
    # every row once, none lost at the page break
    text = "".join(pages)
    for n in range(1, LONG_COUNT + 1):
        assert text.count(f"第{n:02d}项证明材料（测试）") == 1, n


def test_builds_are_byte_identical(built, loaded, tmp_path):
    out, report = built
    sheets.build(loaded, tmp_path / "again", jobs=1)
    for first in report.outputs:
        second = tmp_path / "again" / first.relative_to(out)
        assert first.read_bytes() == second.read_bytes(), first.name


def test_creation_date_is_fixed(loaded, monkeypatch, no_weasyprint_warnings, tmp_path):
    cv = CatalogueView(loaded.catalogue)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(renderer.default_renderer().pdf(Documents(cv).form("proxy"))[0])
    assert PdfReader(pdf).metadata.creation_date.date() == loaded.catalogue.catalogue.effective_date
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    pdf.write_bytes(renderer.default_renderer().pdf(Documents(cv).form("proxy"))[0])
    created = PdfReader(pdf).metadata.creation_date
    assert created == datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)


def outputs(folder):
    """The PDFs a build hands out (not its store of earlier renders)."""
    return [p for p in folder.rglob("*.pdf") if sheets.STORE not in p.parts]


def test_cache_renders_nothing_when_nothing_changed_and_only_what_changed(built, print_catalogue, tmp_path):
    out, report = built
    catalogue = tmp_path / "matters"
    shutil.copytree(print_catalogue, catalogue)
    work = tmp_path / "sheets"
    shutil.copytree(out, work)
    before = {p: p.stat().st_mtime_ns for p in outputs(work)}

    again = sheets.build(load_or_raise(catalogue), work, jobs=2)
    assert again.rendered == [] and len(again.reused) == len(report.outputs)
    assert {p: p.stat().st_mtime_ns for p in outputs(work)} == before, "a PDF was rewritten"

    matter = catalogue / "renmin-tiaojie.yaml"
    matter.write_text(matter.read_text("utf-8").replace("邻里、家庭有纠纷", "邻居、家里有纠纷"), "utf-8")
    stored = set((work / sheets.STORE).glob("*.pdf"))
    pages_before = len(PdfReader(work / "renmin-tiaojie.pdf").pages)
    changed = sheets.build(load_or_raise(catalogue), work, jobs=2)
    assert sorted(p.name for p in changed.rendered) == ["booklet.pdf", "renmin-tiaojie.pdf"]
    rewritten = sorted(p.name for p, t in before.items() if p.stat().st_mtime_ns != t)
    assert rewritten == ["booklet.pdf", "renmin-tiaojie.pdf"]
    assert "邻居、家里有纠纷" in pdf_text(work / "renmin-tiaojie.pdf")
    assert "邻居、家里有纠纷" in pdf_text(work / "booklet.pdf")
    # nothing of the booklet is laid out again: its pages did not change in number, so its front (the
    # contents) stays; it is only put together again from the sheets
    assert len(PdfReader(work / "renmin-tiaojie.pdf").pages) == pages_before
    new = set((work / sheets.STORE).glob("*.pdf")) - stored
    assert len(new) == 2, "the sheet and the booklet: " + ", ".join(p.name for p in new)


def test_going_back_to_an_earlier_version_copies_instead_of_rendering(built, print_catalogue, tmp_path):
    out, _ = built
    catalogue = tmp_path / "matters"
    shutil.copytree(print_catalogue, catalogue)
    work = tmp_path / "sheets"
    shutil.copytree(out, work)
    matter = catalogue / "renmin-tiaojie.yaml"
    original = matter.read_text("utf-8")
    matter.write_text(original.replace("邻里、家庭有纠纷", "邻居、家里有纠纷"), "utf-8")
    assert len(sheets.build(load_or_raise(catalogue), work, jobs=2).rendered) == 2
    matter.write_text(original, "utf-8")
    back = sheets.build(load_or_raise(catalogue), work, jobs=2)
    assert back.rendered == []
    assert sorted(p.name for p in back.restored) == ["booklet.pdf", "renmin-tiaojie.pdf"]
    assert (work / "renmin-tiaojie.pdf").read_bytes() == (out / "renmin-tiaojie.pdf").read_bytes()


def test_cache_renders_again_a_pdf_that_was_damaged_or_removed(built, loaded, tmp_path):
    out, _ = built
    work = tmp_path / "sheets"
    shutil.copytree(out, work)
    (work / "dibao-apply.pdf").write_bytes(b"%PDF-1.7 broken")
    (work / "forms" / "proxy.pdf").unlink()
    report = sheets.build(loaded, work, jobs=1)
    made_again = sorted(p.relative_to(work).as_posix() for p in report.rendered + report.restored)
    assert made_again == ["dibao-apply.pdf", "forms/proxy.pdf"]
    assert (work / "dibao-apply.pdf").read_bytes() == (out / "dibao-apply.pdf").read_bytes()


def test_a_matter_removed_from_the_catalogue_loses_its_sheet(built, print_catalogue, tmp_path):
    out, _ = built
    catalogue = tmp_path / "matters"
    shutil.copytree(print_catalogue, catalogue)
    (catalogue / f"{LONG_ID}.yaml").unlink()
    work = tmp_path / "sheets"
    shutil.copytree(out, work)
    (work / "notes.txt").write_text("not ours")
    report = sheets.build(load_or_raise(catalogue), work, jobs=2)
    assert [p.name for p in report.removed] == [f"{LONG_ID}.pdf"]
    assert not (work / f"{LONG_ID}.pdf").exists() and (work / "notes.txt").exists()


# ---------------------------------------------------------------- forms and booklet


def test_the_three_blank_forms_print_on_one_page_each(built, loaded):
    out, _ = built
    center = loaded.catalogue.center
    u = center.unresolved.deadlines
    expect = {
        "forms/unresolved.pdf": [
            "“办不成事”事项登记表",
            "事项名称",
            "涉及单位（窗口）",
            "反映人",
            "联系电话",
            "反映情况",
            *center.unresolved.scope,
            "没能办成的原因",
            f"{u.general_days}个工作日内解决",
            f"{u.complex_days}个工作日内答复反映人",
            f"办结后{u.follow_up_days}个工作日内回访",
            "满意",
            "基本满意",
            "不满意",
        ],
        "forms/proxy.pdf": [
            "帮代办委托书",
            "委托人",
            "代办员",
            "委托办理的事项",
            "交给代办员的材料",
            center.proxy_rules.free,
            "委托人签字",
            "代办员签字",
        ],
        "forms/complaint.pdf": [
            "投诉登记表",
            "投诉人",
            "联系电话",
            *center.complaints.grounds,
            "事情经过",
            "书面答复",
            "口头答复",
            center.complaints.confidentiality,
            "投诉人签字",
        ],
    }
    for name, items in expect.items():
        pdf = out / name
        assert len(PdfReader(pdf).pages) == 1, f"{name} should fit on one sheet of paper"
        assert_in_order(pdf_text(pdf), items)


def toc_entries(pdf: Path, page: int) -> dict[str, int]:
    """The table of contents as a person reads it: title ．．．．．． page number, one per line."""
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    entries = {}
    for line in out.splitlines():
        found = re.fullmatch(r"\s*(\S.*?)\s*[．.]{3,}\s*(\d+)\s*", line)
        if found:
            entries[flat(found.group(1))] = int(found.group(2))
    return entries


def test_booklet_has_a_table_of_contents_with_right_page_numbers(built, loaded):
    out, _ = built
    booklet = out / "booklet.pdf"
    pages = [flat(t) for t in page_texts(booklet)]
    sheet_pages = {m.id: len(PdfReader(out / f"{m.id}.pdf").pages) for m in loaded.catalogue.matters}
    numbered = sum(sheet_pages.values()) + len(FORM_FILES)
    front = len(pages) - numbered
    assert front >= 2, "a cover and the contents come before the sheets"
    assert f"共{len(loaded.catalogue.matters)}个事项，{numbered}页" in pages[0]
    assert "目录" in pages[1]
    toc = toc_entries(booklet, 2)
    for m in loaded.catalogue.matters:
        v = CatalogueView(loaded.catalogue).view(m.id)
        title = flat(f"{m.task_name}（{v.window.name}）")
        assert title in toc, f"{title} not in the table of contents {toc}"
        page = pages[front + toc[title] - 1]
        # the sheet starts on the page the contents give: its head, its title, its first material
        assert_in_order(page, ["一次性告知单", m.task_name, "要带的材料"])
    for title in ("“办不成事”事项登记表", "帮代办委托书", "投诉登记表"):
        assert title in toc, title
        assert title in pages[front + toc[title] - 1]
    assert len(toc) == len(loaded.catalogue.matters) + len(FORM_FILES)
    # every page after the front carries its booklet number, 1, 2, 3 … to the end, below its own footer
    for number, text in enumerate(pages[front:], 1):
        assert text.endswith(f"汇编第{number}页"), (number, text[-40:])
    assert not any("汇编第" in text for text in pages[:front])


def body_words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """The words of one page (1-based) between the top and bottom margins, with where they stand (pt):
    what the page says and where, without its running head and page number."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words = []
    for x_min, y_min, y_max, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out
    ):
        if 17 * 72 / 25.4 <= float(y_min) and float(y_max) <= 842 - 16 * 72 / 25.4:  # A4, print.css margins
            # one glyph draws both · and •; a PDF maps it back to whichever its font subset met first
            words.append((word.replace("•", "·"), round(float(x_min), 1), round(float(y_min), 1)))
    return words


def test_each_sheet_in_the_booklet_is_laid_out_as_alone(built, loaded):
    """Page for page, every word of a sheet stands where it stands in the sheet's own PDF: a sheet
    that broke its pages differently in the booklet would make the contents' page numbers wrong."""
    out, _ = built
    booklet = out / "booklet.pdf"
    toc = toc_entries(booklet, 2)
    front = len(PdfReader(booklet).pages) - max(toc.values())  # the last form is one page
    for v in CatalogueView(loaded.catalogue).views():
        start = toc[flat(f"{v.m.task_name}（{v.window.name}）")]
        for page in range(1, len(PdfReader(out / f"{v.m.id}.pdf").pages) + 1):
            alone = body_words(out / f"{v.m.id}.pdf", page)
            assert alone, (v.m.id, page)
            assert body_words(booklet, front + start + page - 1) == alone, (v.m.id, page)


def test_booklet_has_a_bookmark_at_each_matter_and_form(built, loaded):
    out, _ = built
    reader = PdfReader(out / "booklet.pdf")
    marks = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    cv = CatalogueView(loaded.catalogue)
    assert [t for t, _ in marks] == [
        "目录",
        *(v.m.task_name for v in cv.views()),
        "“办不成事”事项登记表",
        "帮代办委托书",
        "投诉登记表",
    ]
    assert marks[0][1] == 1, "the contents follow the cover"
    toc = toc_entries(out / "booklet.pdf", 2)
    front = len(reader.pages) - max(toc.values())  # the last form is one page
    for title, index in marks[1:]:
        number = next(n for t, n in toc.items() if t.startswith(flat(title)))
        assert index == front + number - 1, title


def booklet_parts(out: Path, loaded) -> list[tuple[Path, int]]:
    """The sheets and forms in the booklet's order, each with the booklet page (1-based) it starts on."""
    parts = [out / f"{v.m.id}.pdf" for v in CatalogueView(loaded.catalogue).views()] + [out / f for f in FORM_FILES]
    counts = [len(PdfReader(part).pages) for part in parts]
    page = len(PdfReader(out / "booklet.pdf").pages) - sum(counts) + 1  # after the front
    starts = []
    for part, count in zip(parts, counts):
        starts.append((part, page))
        page += count
    return starts


def page_image(pdf: Path, page: int, dpi: int = 50):
    """One page (1-based) as a grayscale picture, as poppler draws it."""
    from PIL import Image

    out = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(out))


def drawn_alike_above_the_foot(alone: Path, page: int, booklet: Path, booklet_page: int) -> bool:
    """The page draws the same, pixel for pixel, above the bottom margin, where the booklet number goes."""
    from PIL import ImageChops

    dpi = 50
    box = ImageChops.difference(page_image(alone, page, dpi), page_image(booklet, booklet_page, dpi)).getbbox()
    return box is None or box[1] >= (842 - 16 * 72 / 25.4) * dpi / 72  # A4, print.css bottom margin


def type0_fonts(pdf) -> list:
    import pikepdf

    return [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Subtype") == "/Type0"]


def programs_by_face(booklet: Path) -> dict[str, set]:
    """The font programs (FontFile3 objects) the booklet's fonts use, by face (the name without its tag)."""
    import pikepdf

    programs: dict[str, set] = {}
    with pikepdf.open(booklet) as pdf:
        for font in type0_fonts(pdf):
            face = re.sub(r"^/([A-Z]{6}\+)?", "", str(font.BaseFont))
            programs.setdefault(face, set()).add(font.DescendantFonts[0].FontDescriptor.FontFile3.objgen)
    return programs


def test_booklet_pages_draw_and_read_as_the_sheets_do(built, loaded):
    """Each numbered page of the booklet is its sheet's (or form's) own page: drawn the same to the pixel
    above the foot, where its booklet number goes, and read back (pdftotext) the same, that number added.
    The font programs are shared by the whole booklet; each sheet keeps its own text mapping."""
    out, _ = built
    booklet = out / "booklet.pdf"
    texts = page_texts(booklet)
    number = 0
    for part, start in booklet_parts(out, loaded):
        for i, text in enumerate(page_texts(part)):
            number += 1
            assert flat(texts[start + i - 1]) == flat(text) + f"汇编第{number}页", (part.name, i + 1)
            assert drawn_alike_above_the_foot(part, i + 1, booklet, start + i), (part.name, i + 1)


def test_booklet_has_one_font_per_face(built):
    """Every sheet embeds its own subset of each face; the booklet has one font per face: one program drawing
    every glyph of every sheet, with their widths and text (test_booklet_pages_draw_and_read_as_the_sheets_do
    reads every page back)."""
    import pikepdf

    out, report = built
    programs = programs_by_face(out / "booklet.pdf")
    assert set(programs) == {"Kiosk-Sans", "Kiosk-Sans-Bold"}
    assert all(len(found) == 1 for found in programs.values()), programs
    with pikepdf.open(out / "booklet.pdf") as pdf:
        assert len(type0_fonts(pdf)) == 2, "one font per face, not one in each part"
    for row in fonts(out / "booklet.pdf"):
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row


def test_parts_whose_fonts_read_a_glyph_as_different_text_keep_their_own(built, tmp_path):
    """Two parts whose fonts read one glyph as different characters (another writer, or a glyph two
    characters share) are not made one font: each page of the booklet reads as its part does."""
    import pikepdf

    from kiosk.printing.booklet import _append, _resources_of, _SharedFonts

    out, _ = built
    sheet, other = out / "dibao-apply.pdf", tmp_path / "other.pdf"
    with pikepdf.open(sheet) as pdf:
        fonts = pdf.pages[0].Resources.Font.values()
        font = next(f for f in fonts if re.sub(r"^/[A-Z]{6}\+", "", str(f.BaseFont)) == "Kiosk-Sans")
        cmap = font.ToUnicode.read_bytes()
        assert b"<4f4e>" in cmap, "低 is on the sheet"
        font.ToUnicode.write(cmap.replace(b"<4f4e>", b"<9ad8>"))  # its glyph read as 高
        pdf.save(other)
    booklet = pikepdf.new()
    shared = _SharedFonts(booklet)
    for part in (sheet, other):
        with pikepdf.open(part) as pdf:
            shared.share(pdf, _resources_of(pdf.pages))
            shared.mend(_resources_of(_append(booklet, pdf)))
    shared.finish()
    booklet.save(tmp_path / "booklet.pdf")
    assert len(shared.faces["Kiosk-Sans"]) == 2 and len(shared.faces["Kiosk-Sans-Bold"]) == 1
    pages, alone = page_texts(tmp_path / "booklet.pdf"), page_texts(sheet)
    assert [flat(t) for t in pages] == [flat(t) for t in alone + page_texts(other)]
    assert "可以申请低保" in flat(pages[0]) and "可以申请高保" in flat(pages[len(alone)])


def test_booklet_is_smaller_than_its_parts(built):
    """Smaller than its sheets and forms alone, its front and page numbers added: one font program per
    face, not one in each (a larger catalogue gains more: 17 MB against 3.9 MB at 100 matters)."""
    out, report = built
    parts = sum(p.stat().st_size for p in report.outputs if p.name != "booklet.pdf")
    assert (out / "booklet.pdf").stat().st_size < parts


def test_booklet_is_paper_untagged_while_each_of_its_parts_is_tagged(built):
    """The booklet carries no structure tree (qpdf would hold about 1 GB of it at N=1000); its parts, the
    sheets and forms a screen reader is given, are tagged (test_sheets_and_forms_are_tagged_pdf)."""
    import pikepdf

    out, _ = built
    with pikepdf.open(out / "booklet.pdf") as pdf:
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root
        assert not [i for i, page in enumerate(pdf.pages) if "/StructParents" in page.obj]
        assert str(pdf.Root.Lang) == "zh-CN" and pdf.Root.ViewerPreferences.DisplayDocTitle is True
    with pikepdf.open(out / "dibao-apply.pdf") as sheet:
        assert "/StructTreeRoot" in sheet.Root


def test_booklet_of_sheets_from_two_cuts_of_the_font(built, print_catalogue, tmp_path):
    """A matter that gains a character the catalogue did not have is rendered with a new cut of the font
    (kiosk.fonts), the other sheets stay as the store keeps them, with the old cut's glyph ids: the booklet
    shares a program among the sheets of one cut only, and every page draws as its sheet does."""
    catalogue = tmp_path / "matters"
    shutil.copytree(print_catalogue, catalogue)
    work = tmp_path / "sheets"
    shutil.copytree(built[0], work)
    matter = catalogue / "renmin-tiaojie.yaml"
    matter.write_text(matter.read_text("utf-8").replace("邻里、家庭有纠纷", "邻里、家庭有纠纷（龘）"), "utf-8")
    loaded = load_or_raise(catalogue)
    report = sheets.build(loaded, work, jobs=2)
    assert "booklet.pdf" in [p.name for p in report.rendered] and "dibao-apply.pdf" in [p.name for p in report.reused]
    booklet = work / "booklet.pdf"
    assert "（龘）" in pdf_text(booklet)
    programs = programs_by_face(booklet)
    assert set(programs) == {"Kiosk-Sans", "Kiosk-Sans-Bold"}
    assert len(programs["Kiosk-Sans"]) == 2, "one program for each cut"
    for part, start in booklet_parts(work, loaded):
        if part.stem in ("renmin-tiaojie", "dibao-apply"):
            for page in range(1, len(PdfReader(part).pages) + 1):
                assert drawn_alike_above_the_foot(part, page, booklet, start + page - 1), (part.name, page)


def test_a_face_embedded_whole_gives_its_glyphs_without_its_subroutines(loaded, built):
    """WeasyPrint embeds a face it cannot subset whole (a character the cut lacks, such as a zero-width
    space), subroutines and all. Merged with a subset as long as it, every glyph still draws as the font
    draws it."""
    from urllib.parse import unquote, urlparse

    from fontTools import subset
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.ttLib import TTFont

    from kiosk.printing.booklet import _Scan, _Union
    from kiosk.printing.fonts import font_css
    from kiosk.settings import cache_dir

    css = font_css(loaded.catalogue, cache_dir(Path.cwd()))  # the cut the build made
    whole = Path(unquote(urlparse(re.search(r'url\("([^"]+)"\); font-weight: normal', css).group(1)).path)).read_bytes()
    glyphs = TTFont(io.BytesIO(whole))["maxp"].numGlyphs
    options = subset.Options(retain_gids=True, desubroutinize=True, notdef_outline=True, hinting=False)
    cut = subset.Subsetter(options)
    cut.populate(gids=[0, 5, glyphs - 1])  # as long as the whole font, drawing three glyphs
    small = TTFont(io.BytesIO(whole))
    cut.subset(small)
    data = io.BytesIO()
    small.save(data)

    union = _Union(_Scan.of(data.getvalue()), data.getvalue())
    assert union.takes(_Scan.of(whole), whole)
    merged, font = TTFont(io.BytesIO(union.program())).getGlyphSet(), TTFont(io.BytesIO(whole)).getGlyphSet()
    for name in font.keys():
        drawn, expected = DecomposingRecordingPen(merged), DecomposingRecordingPen(font)
        merged[name].draw(drawn)
        font[name].draw(expected)
        assert drawn.value == expected.value, name


def test_a_font_programs_scan_reads_what_fonttools_reads(loaded, built):
    """The booklet compares the sheets' font programs by a scan of their bytes (kiosk.printing.booklet._Scan):
    each glyph's CID and whether it draws must be what fontTools reads."""
    import pikepdf
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from kiosk.printing.booklet import _Scan

    out, _ = built
    programs = []
    for pdf in [out / "booklet.pdf", *sorted(out.glob("*.pdf"))[:3]]:
        with pikepdf.open(pdf) as opened:
            for obj in opened.objects:
                if isinstance(obj, pikepdf.Dictionary) and pikepdf.Name.FontFile3 in obj:
                    programs.append(obj.FontFile3.read_bytes())
    whole = TTFont(io.BytesIO(programs[0]))
    for gids, form in [([0, 3, 4, 5, 9], 0), (range(0, 40, 2), 1)]:  # sparse: ranges of one glyph
        cut = subset.Subsetter(subset.Options(retain_gids=True, notdef_outline=True, hinting=False))
        cut.populate(gids=list(gids))
        small = TTFont(io.BytesIO(programs[0]))
        cut.subset(small)
        data = io.BytesIO()
        small.save(data)
        programs.append(data.getvalue())
    assert whole["CFF "].cff.topDictIndex[0].ROS  # CID-keyed, as WeasyPrint writes the print font
    for data in programs:
        font = TTFont(io.BytesIO(data))
        top = font["CFF "].cff.topDictIndex[0]
        scan = _Scan.of(data)
        names = font.getGlyphOrder()
        assert scan.cids.tolist() == [0] + [int(n[3:]) for n in names[1:]]
        offsets = top.CharStrings.charStringsIndex.offsets
        assert scan.drawn.tolist() == [g for g in range(len(names)) if offsets[g + 1] - offsets[g] > 1]
    assert _Scan.of(b"not a font") is None


def test_every_charset_format_is_read():
    """CFF charsets: format 0 (one CID a glyph), 1 and 2 (ranges; one or two bytes for their length). What
    WeasyPrint writes today is format 1; the others are read the same."""
    from kiosk.printing.booklet import _charset

    cids = [0, 7, 8, 9, 300, 301, 5]

    def u16(*values):
        return b"".join(v.to_bytes(2, "big") for v in values)

    assert _charset(b"\x00" + u16(*cids[1:]), 0, 7).tolist() == cids
    assert _charset(b"xx\x01" + u16(7) + b"\x02" + u16(300) + b"\x01" + u16(5) + b"\x00", 2, 7).tolist() == cids
    assert _charset(b"\x02" + u16(7, 2, 300, 1, 5, 0) + b"tail", 0, 7).tolist() == cids
    assert _charset(b"\x02" + u16(1, 299), 0, 301).tolist() == list(range(301))
    assert _charset(b"\x01", 0, 1).tolist() == [0]
    with pytest.raises(ValueError):
        _charset(b"\x02" + u16(7, 9), 0, 7)  # covers more glyphs than the font has
    with pytest.raises(ValueError):
        _charset(b"\x03", 0, 7)


def test_the_booklets_key_follows_what_puts_it_together(loaded, monkeypatch):
    from kiosk.printing import booklet

    docs = Documents(CatalogueView(loaded.catalogue))
    names = [sheet_name(v.m.id) for v in docs.cv.views()] + [form_name(f) for f in documents.FORMS]
    plan = booklet.plan(docs, {name: 1 for name in names})
    keys = {name: name for name in names}
    before = booklet.key(plan, keys)
    real = booklet.version
    monkeypatch.setattr(booklet, "version", lambda name: "0" if name == "pikepdf" else real(name))
    assert booklet.key(plan, keys) != before
    monkeypatch.setattr(booklet, "version", real)
    monkeypatch.setattr(booklet, "VERSION", booklet.VERSION + "x")
    assert booklet.key(plan, keys) != before


# ---------------------------------------------------------------- the 补正 notice


def run_sheet(*args):
    return CliRunner().invoke(main, ["sheet", *map(str, args)])


def test_correction_notice_lists_only_the_missing_materials(print_catalogue, loaded, tmp_path):
    out = tmp_path / "notice.pdf"
    result = run_sheet(
        "dibao-apply",
        "--missing",
        "2,5",
        "--received",
        "2026-03-02",
        "--today",
        "2026-03-02",
        "--applicant",
        "王某某",
        "--dir",
        print_catalogue,
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    text = pdf_text(out)
    m = loaded.matter("dibao-apply")
    names = [x.material_name for x in m.materials]
    assert_in_order(
        text,
        [
            "材料补正一次性告知书",
            "王某某",
            "2026年3月2日",
            m.task_name,
            names[1],
            names[4],
            "收件日期",
            "2026年3月2日（星期一）",
            "承诺时限",
            "20 个工作日",
            "公示 7 天不计算在内",
            "法定时限",
            "30 个工作日（特殊情况可延长至 45 个工作日）",
            "从哪天算",
            "受理之日起",
            # 20 working days end on 03-30; the 7 days of 公示 end on 04-06, a day of 清明
            "如在 2026年3月2日 补齐",
            "最迟 2026年4月7日（星期二）办结",
            "从受理日 2026年3月2日 算（原指南：受理之日起）",
            RARE_NAME,
            "0745-0000103",
            "申请人签字",
            "日期",
        ],
    )
    assert flat("材料补齐、受理之日起") not in text, "the clock's start as the guide says it, nothing added"
    for i, name in enumerate(names):
        if i not in (1, 4):
            assert flat(name) not in text, f"{name} is not missing and must not be listed"
    assert len(PdfReader(out).pages) == 1


def test_correction_notice_with_another_staff_member(print_catalogue, tmp_path):
    out = tmp_path / "notice.pdf"
    result = run_sheet(
        "renmin-tiaojie",
        "--missing",
        "1",
        "--received",
        "2026-03-02",
        "--applicant",
        "王某某",
        "--staff",
        "s02",
        "--dir",
        print_catalogue,
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    assert "张某某" in text and "0745-0000102" in text and "陈某某" not in text
    assert "即办件，当场办结" in text and "法定时限即办" in text


def test_correction_notice_leaves_the_due_date_blank_for_an_unknown_year(print_catalogue, tmp_path):
    out = tmp_path / "notice.pdf"
    result = run_sheet(
        "dibao-apply",
        "--missing",
        "1",
        "--received",
        "2031-03-03",
        "--today",
        "2031-03-03",
        "--applicant",
        "王某某",
        "--dir",
        print_catalogue,
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    assert "2031" in result.stderr and "留空" in result.stderr
    text = pdf_text(out)
    assert "如在2031年3月3日补齐年月日前" in text
    assert re.findall(r"2031年\d+月\d+日", text) == ["2031年3月3日"] * 3, "only the days received and printed"


def test_a_notice_printed_later_names_the_real_receipt_day_and_the_day_printed(print_catalogue, tmp_path):
    """A paper receipt of 3 March entered on 10 March: the notice names both days, each for what it is."""
    out = tmp_path / "notice.pdf"
    result = run_sheet(
        "dibao-apply",
        "--missing",
        "1",
        "--received",
        "2026-03-02",
        "--today",
        "2026-03-10",
        "--applicant",
        "王某某",
        "--dir",
        print_catalogue,
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    text = pdf_text(out)
    assert_in_order(
        text,
        [
            "您于2026年3月2日申请办理",
            "收件日期",
            "2026年3月2日（星期一）",
            "如在 2026年3月10日 补齐",
            "最迟 2026年4月15日（星期三）办结",
            "从受理日 2026年3月10日 算",
        ],
    )
    printed = run_sheet(
        "dibao-apply",
        "--missing",
        "1",
        "--received",
        "2026-03-10",
        "--today",
        "2026-03-02",
        "--applicant",
        "王某某",
        "--dir",
        print_catalogue,
        "-o",
        tmp_path / "early.pdf",
    )
    assert printed.exit_code == 1 and "打印日期 2026-03-02 早于收件日期 2026-03-10" in printed.output


@pytest.mark.parametrize(
    "args, says",
    [
        (["no-such-matter", "--missing", "1"], "目录中没有事项 no-such-matter"),
        (["dibao-apply", "--missing", "7"], "只有 6 项材料（序号 1 到 6），没有第 7 项"),
        (["dibao-apply", "--missing", "0"], "没有第 0 项"),
        (["dibao-apply", "--missing", "1,x"], "材料序号应为数字"),
        (["dibao-apply", "--missing", " "], "请用 --missing 写出要补交的材料序号"),
        (["dibao-apply", "--missing", "1", "--received", "2026-02-30"], "“2026-02-30”，不是有效日期"),
        (["dibao-apply", "--missing", "1", "--received", "2026/03/02"], "收件日期应写成 年-月-日"),
        (["dibao-apply", "--missing", "1", "--staff", "s99"], "工号 s99 不在本中心的工作人员名单里"),
        (["dibao-apply", "--missing", "1", "--applicant", " "], "请用 --applicant 写上申请人姓名"),
    ],
)
def test_wrong_input_gives_a_clear_error_and_no_file(print_catalogue, tmp_path, args, says):
    out = tmp_path / "notice.pdf"
    defaults = {"--received": "2026-03-02", "--applicant": "王某某"}
    extra = [x for k, v in defaults.items() if k not in args for x in (k, v)]
    result = run_sheet(*args, *extra, "--dir", print_catalogue, "-o", out)
    assert result.exit_code == 1, result.output
    assert says in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_usage_error_exits_2_and_writes_nothing(print_catalogue, tmp_path):
    out = tmp_path / "notice.pdf"
    result = run_sheet("dibao-apply", "--missing", "1", "--dir", print_catalogue, "-o", out)
    assert result.exit_code == 2
    assert not out.exists()


def test_a_failed_render_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")

    def explode(*_):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", explode)
    with pytest.raises(OSError):
        files.atomic_write(target, b"%PDF-new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


# ---------------------------------------------------------------- the print view, CLI, previews


def test_print_view_is_the_same_html_as_the_pdf(loaded, built):
    """The store keeps the HTML each PDF was rendered from; the kiosk's print view is that HTML's whole body
    with the print stylesheet inlined and the kiosk's bars around it."""
    from kiosk.printing.context import of
    from kiosk.site.build import Site, mkdocs_config

    _, report = built
    ctx = of(loaded)
    rendered = report.store.html(report.keys["dibao-apply.pdf"])
    assert rendered == Documents(ctx.cv).sheet("dibao-apply")
    assert "<style>" not in rendered
    page = Site(mkdocs_config(ROOT / "mkdocs.yml"), ctx).print_view(ctx.cv.view("dibao-apply"), rendered)
    body = rendered.split('<body class="sheet">', 1)[1].split("</body>", 1)[0]
    assert body.strip() and body in page
    assert '<html lang="zh-CN">' in page and "@page" in page and "<style>" in page


def test_kiosk_sheets_command_reuses_the_cache(print_catalogue, built, tmp_path):
    out, _ = built
    work = tmp_path / "sheets"
    shutil.copytree(out, work)
    first = CliRunner().invoke(main, ["sheets", str(print_catalogue), "--out", str(work)])
    assert first.exit_code == 0, first.output
    assert "本次排版 0 个" in first.stdout, first.stdout
    result = CliRunner().invoke(main, ["sheets", str(print_catalogue), "--out", str(work)])
    assert result.exit_code == 0, result.output
    assert "本次排版 0 个" in result.stdout and "共 7 个文件" in result.stdout


def test_previews_of_a_sheet_and_a_correction_notice(loaded, no_weasyprint_warnings):
    """Written where the README says (build/previews/), for a person to look at."""
    from PIL import Image

    written = sheets.write_previews(loaded, ROOT / "build" / "previews", "dibao-apply")
    assert [p.name for p in written] == ["sheet-dibao-apply.png", "correction-dibao-apply.png"]
    for png in written:
        with Image.open(png) as image:
            width, height = image.size
            assert abs(width / height - 210 / 297) < 0.01, png
            gray = image.convert("L")
            dark = sum(gray.histogram()[:128])
            assert dark > width * height * 0.02, f"{png} looks blank"


# ---------------------------------------------------------------- the sample catalogue


@pytest.mark.slow
def test_every_matter_of_the_sample_has_its_sheet(tmp_path):
    loaded = load_or_raise(SAMPLE)
    report = sheets.build(loaded, tmp_path, jobs=2)
    assert report.warnings == []
    for m in loaded.catalogue.matters:
        text = pdf_text(tmp_path / f"{m.id}.pdf")
        assert flat(m.task_name) in text
        assert_in_order(text, [x.material_name for x in m.materials])
    booklet = PdfReader(tmp_path / "booklet.pdf")
    assert len(booklet.pages) > len(loaded.catalogue.matters)


def test_no_matter_id_can_take_the_booklets_file_name():
    """A matter `booklet` would print as booklet.pdf over the booklet: `kiosk check` refuses the id
    (fixture broken/reserved-id)."""
    from kiosk.catalogue.checks import RESERVED_IDS

    assert Path(sheets.BOOKLET).stem in RESERVED_IDS


def test_what_a_build_owns_hangs_on_its_context(loaded, tmp_path):
    """Its QR codes kept in its cache, its print font cut for its catalogue, this process's renderer for that
    font, its printed documents: one context, no module-wide state of a build."""
    from kiosk.printing.context import BuildContext
    from kiosk.printing.renderer import default_renderer

    ctx = BuildContext(loaded, cache=tmp_path / "cache")
    assert ctx.qr.folder == tmp_path / "cache" / "qr"
    assert "@font-face" in ctx.fonts and str(tmp_path / "cache") in ctx.fonts
    assert ctx.renderer is default_renderer(ctx.fonts) and ctx.renderer is not default_renderer()
    assert ctx.documents.qr is ctx.qr and ctx.documents.created == ctx.created
    html = ctx.documents.sheet(loaded.catalogue.matters[0].id)
    assert "data:image/png;base64," in html  # the QR codes drawn by the build's own helper
    assert list((tmp_path / "cache" / "qr").glob("*.png")), "and kept in its cache"
