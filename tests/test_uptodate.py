"""A build that would change nothing is not done again (kiosk.site.uptodate): `kiosk build` with the same
catalogue, pages, theme, settings, program and day says so and leaves the site as it is; any change to
those, or to the site itself, builds again; `--force` always does."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner
from conftest import GOOD, project_copy

from kiosk.cli.main import main


def build(*args):
    result = CliRunner().invoke(main, ["build", *args])
    assert result.exit_code == 0, result.output
    return result.output


# what a build keeps by the key of its data alone (the sheets' store, speech, the font's cut, QR codes): any
# build may take it again; a test's own build keeps its pages (and all else) in a cache of its own
BY_DATA = ("sheets", "audio", "fonts", "qr")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """What one build of the small catalogue made that is kept by the key of its data."""
    folder = project_copy(tmp_path_factory.mktemp("made") / "project", GOOD)
    with pytest.MonkeyPatch.context() as m:
        m.chdir(folder)
        m.setenv("KIOSK_CACHE_DIR", str(folder.parent / "cache"))
        assert "网站已生成" in build()
    return folder.parent / "cache"


@pytest.fixture
def project(tmp_path, monkeypatch, made):
    folder = project_copy(tmp_path / "project", GOOD)
    monkeypatch.chdir(folder)
    for kept in BY_DATA:  # linked, not copied: the store and caches replace a file, never write into one
        shutil.copytree(made / kept, tmp_path / "cache" / kept, copy_function=os.link)
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))
    assert "网站已生成" in build()
    return folder


def live(project) -> str:
    return os.path.realpath(project / "site")


def test_nothing_changed_builds_nothing_and_says_so(project):
    before = live(project)
    out = build()
    assert "不用重新生成" in out and "--force" in out
    assert live(project) == before, "the very same build is live"


def test_a_file_touched_but_not_changed_is_no_change(project):
    before = live(project)
    matter = sorted((project / "matters").glob("[a-z]*.yaml"))[0]
    os.utime(matter, (1, 1))
    assert "不用重新生成" in build() and live(project) == before


@pytest.mark.parametrize(
    "change",
    ["matter", "new matter file", "page", "theme", "mkdocs.yml", "site damaged", "setting", "another day"],
)
def test_any_change_builds_again(project, monkeypatch, change):
    before = live(project)
    matters = project / "matters"
    if change == "matter":
        f = sorted(matters.glob("[a-z]*.yaml"))[0]
        f.write_text(f.read_text("utf-8").replace("summary: ", "summary: 改了：", 1), "utf-8")
    elif change == "new matter file":
        (matters / "zz-notes.txt").write_text("备注\n", "utf-8")
    elif change == "page":
        page = sorted((project / "content").rglob("*.md"))[0]
        page.write_text(page.read_text("utf-8") + "\n", "utf-8")
    elif change == "theme":
        f = sorted(p for p in (project / "overrides").rglob("*") if p.is_file())[0]
        f.write_bytes(f.read_bytes() + b"\n")
    elif change == "mkdocs.yml":
        yml = project / "mkdocs.yml"
        yml.write_text(yml.read_text("utf-8") + "\n# 注释\n", "utf-8")
    elif change == "site damaged":
        next((project / "site").rglob("index.html")).unlink()
    elif change == "setting":
        monkeypatch.setenv("KIOSK_VOICE", "cmn")
    elif change == "another day":
        monkeypatch.setenv("KIOSK_TODAY", "2026-09-15")
    assert "网站已生成" in build()
    assert live(project) != before


def test_force_builds_again(project):
    before = live(project)
    assert "网站已生成" in build("--force")
    assert live(project) != before


def test_a_failed_build_leaves_no_record_that_would_skip_the_next(project, monkeypatch):
    from kiosk.site import build as site

    def bug(self, files):
        return 1 / 0

    with monkeypatch.context() as m:
        m.setattr(site.Site, "add_pages", bug)
        result = CliRunner().invoke(main, ["build", "--force"])
        assert isinstance(result.exception, ZeroDivisionError)
    assert "网站已生成" in build(), "the site that stayed is built again, not taken as up to date"


def test_a_build_with_no_new_name_makes_no_pinyin_and_a_new_name_is_read(project, monkeypatch):
    """The keyboard's index, the read-aloud audio and the order of the list of every matter are kept by the
    key of the words they are made from: a build that brings no new word loads no pinyin at all."""
    from kiosk.text import pinyin

    made = pinyin._pypinyin
    monkeypatch.setattr(pinyin, "_pypinyin", lambda: pytest.fail("pinyin made again from the same words"))
    build("--force")
    monkeypatch.setattr(pinyin, "_pypinyin", made)
    listed = lambda: (project / "site" / "lists" / "all" / "index.html").read_text("utf-8")  # noqa: E731
    assert listed().index("人民调解申请") < listed().index("最低生活保障审核确认"), "rén before zuì"
    one = project / "matters" / "dibao-apply.yaml"
    one.write_text(one.read_text("utf-8").replace("task_name: 最低", "task_name: 阿坝最低", 1), "utf-8")
    build()
    assert listed().index("阿坝最低生活保障审核确认") < listed().index("人民调解申请"), "ā bà before rén"


# ---------------------------------------------------------------- the pages' HTML kept across builds


def pages_kept(tmp_path) -> dict:
    import json

    return {p: json.loads(p.read_text("utf-8")) for p in (tmp_path / "cache" / "pages").glob("*.json")}


def site_text(project) -> dict:
    """The site's text files and their gzip (kiosk.site.compress): its pages, the stylesheet cut from the
    theme's, the scripts."""
    from kiosk.site.compress import TEXT

    site = project / "site"
    return {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.suffix in TEXT | {".gz"}}


def test_a_build_from_kept_pages_is_the_same_site(project, tmp_path):
    cold = site_text(project)  # the fixture's build converted every page and gzipped every text file
    assert any(name.suffix == ".gz" for name in cold) and any(name.suffix == ".css" for name in cold)
    kept = pages_kept(tmp_path)
    assert len(kept) >= len(list((project / "matters").glob("[a-z]*.yaml"))), "every page kept"
    build("--force")
    assert site_text(project) == cold, "the same bytes, gzip included, from what earlier builds kept"
    assert pages_kept(tmp_path).keys() == kept.keys(), "nothing converted again"


def test_a_kept_page_is_what_the_site_shows_until_its_markdown_changes(project, tmp_path):
    import json

    path, entry = next((p, e) for p, e in pages_kept(tmp_path).items() if "首问责任" in e["content"])
    entry["content"] = entry["content"].replace("首问责任", "首问责任（缓存里的）", 1)
    path.write_text(json.dumps(entry, ensure_ascii=False), "utf-8")
    build("--force")
    rules = (project / "site" / "rules" / "index.html").read_text("utf-8")
    assert "首问责任（缓存里的）" in rules, "the kept HTML was used, not converted again"
    page = project / "content" / "rules.md"
    page.write_text(page.read_text("utf-8") + "\n新加的一句话。\n", "utf-8")
    build()
    rules = (project / "site" / "rules" / "index.html").read_text("utf-8")
    assert "新加的一句话" in rules and "缓存里的" not in rules


def test_a_new_file_converts_every_page_again(project, tmp_path):
    """Links are resolved against the files: another file may turn a broken link into a good one."""
    before = set(pages_kept(tmp_path))
    (project / "content" / "extra.md").write_text("# 另一页\n\n见[首页](index.md)。\n", "utf-8")
    build()
    after = set(pages_kept(tmp_path))
    assert len(after - before) == len(before) + 1


def test_a_page_that_warned_is_not_kept(project, tmp_path):
    page = project / "content" / "extra.md"
    page.write_text("# 另一页\n\n见[没有的页](nowhere.md)。\n", "utf-8")
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code != 0, "strict: a broken link stops the build"
    assert not [e for e in pages_kept(tmp_path).values() if "另一页" in e["content"]]
