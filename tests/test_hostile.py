"""Text stays text: hostile strings in every free-text field, on the kiosk page, in search, in JSON-LD,
in QR captions and on the printed sheet. Nothing runs, nothing leaves the machine, nothing overflows."""

from __future__ import annotations

import json
import re
import subprocess
import unicodedata

import pytest
import yaml
from browser import PORTRAIT, served
from conftest import GOOD, project_copy, run_kiosk

HOSTILE = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "javascript:window.__pwned=1",
    "[点我](javascript:window.__pwned=1)",
    "![图](http://evil.example/x.png)",
    "# 不是标题",
    "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |",
    "<div>原样 HTML 块</div>",
    "{{ 7*7 }} {% if 1 %}模板{% endif %}",
    "&amp; &lt;b&gt; &#x41;",
    "&锚点 *别名 <<: 合并",
    "长" * 120 + "a" * 200,
    "零\u200b宽\u200d连接符和换行",
    "老人👵🏻办事✅",
    "罕见字𠀀𬌗堃",
    "`代码` **粗体** _斜体_ <!-- 注释 -->",
]


def tagged(i: int, text: str) -> str:
    return f"H{i:02d}{text}"


def hostile_catalogue(folder):
    """The good catalogue, with every free-text field of one matter and of the center made hostile."""
    n = iter(range(1000))
    pick = lambda: tagged(k := next(n), HOSTILE[k % len(HOSTILE)])  # noqa: E731
    matter = yaml.safe_load((folder / "dibao-apply.yaml").read_text("utf-8"))
    matter.update(
        task_name=pick(),
        summary=pick(),
        keywords=[pick(), pick()],
        accept_condition=[pick(), pick()],
        refusal_cases=[pick()],
        limit_explain=pick(),
        promise_explain=pick(),
        anticipate_explain=pick(),
        result_name=pick(),
        transact_time=pick(),
        transact_addr=pick(),
        dept_name=pick(),
        entrust_name=pick(),
    )
    for x in matter["materials"]:
        x.update(material_name=pick(), source_explain=pick(), form=pick(), fill_explain=pick())
    matter["materials"][0]["situations"] = [pick()]
    for s in matter["steps"]:
        s.update(name=pick(), who=pick(), time=pick(), result=pick(), standard=pick())
    matter["faq"] = [{"question": pick(), "answer": pick()}]
    matter["by_law"] = [{"name": pick(), "doc_no": pick(), "article": pick(), "content": pick()}]
    matter["proxy"]["reason"] = pick()
    matter["special_procedure"] = [{"name": pick(), "time": pick(), "basis": pick()}]
    matter["prerequisites"] = [{"name": pick(), "issuer": pick(), "how_to_get": pick()}]
    (folder / "dibao-apply.yaml").write_text(yaml.safe_dump(matter, allow_unicode=True, sort_keys=False), "utf-8")
    in_matter = next(n)

    center_file = folder / "_townships" / "dahepingxiang" / "center.yaml"
    center = yaml.safe_load(center_file.read_text("utf-8"))
    center.update(name=pick(), rights=[pick()])  # printed on the sheet only
    sheet_only = next(n)
    center.update(address=pick())
    center["hours"][0].update(days=pick(), time=pick())
    shehui = next(w for w in center["windows"] if w["id"] == "shehui")
    shehui.update(name=pick(), location=pick())
    s03 = next(s for s in center["staff"] if s["id"] == "s03")
    s03.update(name=pick(), role=pick())
    center["complaints"].update(confidentiality=pick(), replies=pick(), grounds=[pick()], ways=[pick()])
    center["rating"]["name"] = pick()
    center["unresolved"]["scope"] = [pick()]
    center["proxy_rules"]["free"] = pick()
    center_file.write_text(yaml.safe_dump(center, allow_unicode=True, sort_keys=False), "utf-8")

    texts = [tagged(k, HOSTILE[k % len(HOSTILE)]) for k in range(next(n))]
    skipped = {in_matter, sheet_only}
    return {
        "not_printed": matter["keywords"] + [matter["by_law"][0]["content"]],
        "matter": texts[:in_matter],
        "sheet": texts[:in_matter] + texts[in_matter + 1 : sheet_only],
        "pages": texts[:in_matter] + [t for k, t in enumerate(texts) if k > sheet_only and k not in skipped],
    }


def flat(text: str) -> str:
    """Text to compare across renderings: no whitespace, no invisible format characters."""
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    matters = tmp / "matters-src"
    import shutil

    shutil.copytree(GOOD, matters)
    texts = hostile_catalogue(matters)
    project = project_copy(tmp / "project", matters)
    check = run_kiosk("check", cwd=project)
    assert check.returncode == 0, check.stdout
    result = run_kiosk("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site", texts


def test_yaml_reads_every_hostile_string_as_written(tmp_path):
    import shutil

    from kiosk.catalogue.load import load_or_raise

    shutil.copytree(GOOD, tmp_path / "m")
    texts = hostile_catalogue(tmp_path / "m")
    loaded = load_or_raise(tmp_path / "m")
    dumped = json.dumps(loaded.catalogue.model_dump(mode="json"), ensure_ascii=False)
    for t in texts["matter"] + texts["sheet"] + texts["pages"]:
        assert json.dumps(t, ensure_ascii=False)[1:-1] in dumped, t


@pytest.mark.browser
def test_nothing_runs_nothing_leaves_and_the_text_is_shown_as_written(hostile_site, browser):
    site, texts = hostile_site
    page = browser.page(PORTRAIT)
    before = len(browser.outside)
    shown = ""
    with served(site) as url:
        for path in [
            "",
            "matters/dibao-apply/",
            "topics/shehui-jiuzhu/",
            "complaints/",
            "help/",
            "unresolved/",
            "proxy/",
            "rules/",
            "search/",
        ]:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            for folded in page.locator("article details summary").all():
                folded.tap()  # a person opens the folded legal basis
            assert page.evaluate("window.__pwned") is None, path
            # the only data: URLs allowed are the QR code pictures the build draws itself
            bad = page.evaluate("""() => [...document.querySelectorAll('[href],[src]')]
                .filter(e => !(e.matches('img.qr') && e.getAttribute('src').startsWith('data:image/png;base64,')))
                .map(e => e.getAttribute('href') || e.getAttribute('src'))
                .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u))""")
            assert bad == [], (path, bad)
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
            assert page.locator("article script:not([type='application/ld+json']):not([src])").count() == 0
            shown += page.locator("article").inner_text()
            # the parts below the first screen are rendered as they come near it (content-visibility: auto):
            # read each as a person scrolling to it sees it
            for part in page.locator("article .notice section, article .notice details").all():
                part.scroll_into_view_if_needed()
                page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                shown += part.inner_text()
        # search: the keyboard's index and results show the text literally
        page.goto(url + "search/")
        page.locator(".k-chip").first.tap()
        assert page.evaluate("window.__pwned") is None
        result_text = page.locator("#kiosk-results").inner_text()
        assert flat(texts["matter"][0]) in flat(result_text)
        # JSON-LD holds the name as written
        page.goto(url + "matters/dibao-apply/")
        data = json.loads(page.locator("script[type='application/ld+json']").text_content())
        assert data["name"] == texts["matter"][0]
    assert browser.outside[before:] == []
    missing = [t for t in texts["pages"] if flat(t) not in flat(shown)]
    assert missing == []
    page.context.close()


def test_the_sheet_prints_every_string_as_written_inside_the_page(hostile_site):
    site, texts = hostile_site
    pdf = site / "sheets" / "dibao-apply.pdf"
    # the page body only (A4 less its 17 mm top and 16 mm bottom margins): the running header and footer
    # would otherwise come between the two halves of a word a page break cuts; so would the markers of the
    # lists that follow, which WeasyPrint draws after the text (lines of "2." or "·" alone)
    text = subprocess.run(
        ["pdftotext", "-raw", "-x", "0", "-y", "48", "-W", "595", "-H", "749", pdf, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    text = re.sub(r"(?m)^\s*(?:\d+\.|[·•]\s*)+\s*$\n?", "", text)
    # the sheet leaves out the 俗称 and the quoted text of each legal basis (its name, number and article stay)
    missing = [t for t in texts["sheet"] if flat(t) not in flat(text) and t not in texts["not_printed"]]
    assert missing == []
    # every word lies within the A4 page (595 pt wide): long words wrap, nothing runs off the sheet
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-x", "0", "-y", "0", "-W", "5000", "-H", "5000", pdf, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout  # text off the page counts too
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert right_edges and max(right_edges) <= 595.0


def test_the_page_source_never_holds_raw_markup_from_the_catalogue(hostile_site):
    site, _ = hostile_site
    html = (site / "matters" / "dibao-apply" / "index.html").read_text("utf-8")
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert "<svg onload" not in html
    assert 'src="http://evil.example' not in html
    assert "<div>原样 HTML 块</div>" not in html
    assert "{{ 7*7 }} {% if 1 %}模板{% endif %}" in html  # shown, not evaluated


def test_bidirectional_controls_are_refused_with_a_clear_error(tmp_path):
    import shutil

    shutil.copytree(GOOD, tmp_path / "matters")
    f = tmp_path / "matters" / "renmin-tiaojie.yaml"
    f.write_text(f.read_text("utf-8").replace("summary: 邻里", "summary: \u202e邻里"), "utf-8")
    result = run_kiosk("check", "matters", cwd=tmp_path)
    assert result.returncode == 1
    assert "matters/renmin-tiaojie.yaml:3:10: summary: 含有看不见的文字方向控制字符（U+202E）" in result.stdout
