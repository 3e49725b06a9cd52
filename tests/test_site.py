"""The kiosk site, built from the sample catalogue: pages, build safety, generated Markdown."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

from conftest import FIXTURES, SAMPLE, project_copy, run_kiosk

from kiosk.catalogue.load import load_or_raise
from kiosk.catalogue.view import CatalogueView, page_source
from kiosk.printing.context import BuildContext
from kiosk.site.pages import search_index, site_files, syllables


def test_every_matter_has_its_page(built_site):
    for f in SAMPLE.glob("[a-z]*.yaml"):
        page = built_site / "matters" / f.stem / "index.html"
        assert page.is_file(), f.stem


def article(page) -> str:
    """The page's own content, without the theme's navigation."""
    html = page.read_text("utf-8")
    return html[html.index("<article") : html.index("</article>")]


def test_matter_page_sections_in_order(built_site):
    html = article(built_site / "matters" / "dibao-apply" / "index.html")
    order = [
        "最低生活保障审核确认",
        "家里收入太低",
        "最多跑 1 次",
        "可帮代办",
        "k-summary",
        "到哪儿办",
        "社会事务窗口",
        "打印告知单",
        "到哪儿办、找谁",
        "0745-0000103",
        "咨询电话",
        "0745-0000301",
        "监督电话",
        "0745-0000302",
        "实施主体",
        "办理条件",
        "要先办好的事",
        "要带的材料",
        "最低生活保障申请书",
        "容缺后补",
        "办理步骤",
        "入户调查",
        "办理时限",
        "承诺时限",
        "未载明",
        "各环节时限",
        "从哪天算",
        "收不收费",
        "不予受理",
        "<h2>帮代办</h2>",
        "办理依据",
        "常见问题",
        "用手机扫一扫",
        "k-print",
    ]
    at = 0
    for word in order:  # each after the one before
        found = html.find(word, at)
        assert found >= 0, f"{word} not after {html[max(0, at - 40) : at]!r}"
        at = found + len(word)
    assert '<details class="n-law">' in html


def test_prerequisites_link_both_ways(built_site):
    guihua = article(built_site / "matters" / "xiangcun-guihua" / "index.html")
    prerequisites = guihua[guihua.index('class="n-prerequisites"') : guihua.index('class="n-materials"')]
    assert 'href="../../matters/zhaijidi-apply/"' in prerequisites  # needs the 宅基地 approval first
    assert 'href="../../matters/nongfang-yanshou/"' in prerequisites  # and is needed by the 竣工验收
    assert (built_site / "matters" / "zhaijidi-apply" / "index.html").is_file()


def test_json_ld_is_a_government_service(built_site):
    html = (built_site / "matters" / "dibao-apply" / "index.html").read_text("utf-8")
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(found.group(1))
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "最低生活保障审核确认"
    assert data["availableChannel"]["servicePhone"]["telephone"] == "0745-0000103"
    assert data["url"] == "https://bmfw.example.org/dahepingxiang/matters/dibao-apply/"


def test_sample_banner_on_every_page(built_site):
    pages = list(built_site.rglob("index.html"))
    assert len(pages) > 40
    for page in pages:
        assert "示例数据" in page.read_text("utf-8"), page


def test_no_page_shows_a_space_where_a_chinese_line_was_broken(built_site):
    """A hand-written paragraph wraps its Chinese over several lines of Markdown: a browser would show each
    line break between two Chinese characters as a space (the rules page had two)."""
    broken = re.compile(
        r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef][ \t]*\n[ \t]*[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    )
    found = []
    for page in sorted(built_site.rglob("index.html")):
        body = article(page)
        for paragraph in re.findall(r"<(p|li|dd|td)\b[^>]*>(.*?)</\1>", body, re.S):
            found += [f"{page.relative_to(built_site)}: {m.group(0)!r}" for m in broken.finditer(paragraph[1])]
    assert found == []


def test_lines_of_chinese_are_joined_but_headings_tables_and_asked_breaks_stay():
    from kiosk.site.build import joined_lines

    written = "他要帮您联系，\n并告诉您。\n\n## 标题\n正文一\n  正文二  \n硬换行\n甲 | 乙\n丙 | 丁\n- 项一\n  续行\n- 项二\nabc\n中文"
    assert joined_lines(written) == (
        "他要帮您联系，并告诉您。\n\n## 标题\n正文一正文二  \n硬换行\n甲 | 乙\n丙 | 丁\n- 项一续行\n- 项二\nabc\n中文"
    )


def test_no_outside_resources_in_any_page(built_site):
    for page in built_site.rglob("*.html"):
        text = page.read_text("utf-8")
        for tag in re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", text):
            src = re.search(r'\b(?:src|href)="([^"]+)"', tag)
            if src:
                assert not re.match(r"(https?:)?//", src.group(1)), f"{page}: {tag}"
    css = "\n".join(p.read_text("utf-8") for p in built_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_suspended_matter_says_so_at_the_top(tmp_path):
    project = project_copy(tmp_path)
    f = project / "matters" / "gaoling-jintie.yaml"
    f.write_text(
        f.read_text("utf-8").replace("task_type:", "task_state: 暂停\ntask_state_note: 等待县里新标准\ntask_type:", 1),
        "utf-8",
    )
    page = site_files(BuildContext(load_or_raise(project / "matters")))[page_source("gaoling-jintie")]
    assert page.index("本事项暂停办理") < page.index("到哪儿办、找谁")
    assert "等待县里新标准" in page


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_content_holds_only_what_people_wrote(tmp_path):
    """The generated pages go to MkDocs from memory: a build writes nothing into content/, and a matter taken
    out of the catalogue leaves no page behind."""
    project = project_copy(tmp_path)
    written = tree(project / "content")
    assert not any(name.startswith(("matters/", "topics/", "lists/", "for/")) for name in written)
    assert run_kiosk("build", cwd=project).returncode == 0
    assert tree(project / "content") == written
    assert (project / "site" / "matters" / "tuiyi-xinxi" / "index.html").is_file()
    (project / "matters" / "tuiyi-xinxi.yaml").unlink()
    needs = project / "matters" / "tuiyi-youdaizheng.yaml"  # the one matter that names it as prerequisite
    needs.write_text(needs.read_text("utf-8").replace("matter: tuiyi-xinxi", "name: 退役军人信息采集"), "utf-8")
    result = run_kiosk("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project / "site" / "matters" / "tuiyi-xinxi").exists()
    assert tree(project / "content") == written


def test_build_refuses_on_errors_and_keeps_the_old_site(tmp_path):
    project = project_copy(tmp_path)
    old = project / "site"
    old.mkdir()
    (old / "index.html").write_text("last good site", "utf-8")
    broken = FIXTURES / "broken" / "wrong-type" / "wrong-type.yaml"
    shutil.copy(broken, project / "matters" / broken.name)
    result = run_kiosk("build", cwd=project)
    assert result.returncode == 1
    assert "matters/wrong-type.yaml:13:1: promise_day:" in result.stdout
    assert (old / "index.html").read_text("utf-8") == "last good site"
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site")) == []


def test_kiosk_build_and_publish_load_the_catalogue_once(tmp_path, monkeypatch):
    """The command checks the catalogue and hands its build context to the plugin, which does not load it
    again; the context is not kept after the build."""
    from click.testing import CliRunner

    from kiosk.catalogue import load as catalogue
    from kiosk.cli.main import main
    from kiosk.site import build as site

    project = project_copy(tmp_path, FIXTURES / "good")
    loads = []
    real = catalogue.load

    def counted(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(catalogue, "load", counted)  # read when a command loads, not at import
    monkeypatch.setattr(site, "load", counted)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 0, result.output
    assert len(loads) == 1
    assert (project / "site" / "matters" / "dibao-apply" / "index.html").is_file()
    result = CliRunner().invoke(main, ["publish", "--to", str(tmp_path / "pub")])
    assert result.exit_code == 0, result.output
    assert len(loads) == 2
    assert (tmp_path / "pub" / "live" / "site" / "matters" / "dibao-apply" / "index.html").is_file()


def test_plain_mkdocs_build_strict_works_and_fails_on_errors(tmp_path):
    project = project_copy(tmp_path)
    ok = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=project, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert (project / "site" / "matters" / "dibao-apply" / "index.html").is_file()
    shutil.copy(FIXTURES / "broken" / "wrong-type" / "wrong-type.yaml", project / "matters")
    bad = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=project, capture_output=True, text=True
    )
    assert bad.returncode != 0
    assert "matters/wrong-type.yaml:13:1: promise_day" in bad.stdout + bad.stderr


def test_keyboard_index_uses_pypinyin():
    assert syllables("低保") == ["di", "bao"]
    assert syllables("盖房子") == ["gai", "fang", "zi"]
    assert syllables("80岁补贴") == ["8", "0", "sui", "bu", "tie"]
    index = search_index(CatalogueView(load_or_raise(SAMPLE).catalogue))
    dibao = next(e for e in index if e["id"] == "dibao-apply")
    assert ["低保", ["di", "bao"]] in dibao["kw"]
    assert dibao["py"][:3] == ["zui", "di", "sheng"]
