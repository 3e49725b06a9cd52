"""A build that would change nothing is not done again (kiosk.site.uptodate): `kiosk build` with the same
catalogue, pages, theme, settings, program and day says so and leaves the site as it is; any change to
those, or to the site itself, builds again; `--force` always does."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import GOOD, project_copy

from kiosk.cli.main import main


def build(*args):
    result = CliRunner().invoke(main, ["build", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def project(tmp_path, monkeypatch):
    folder = project_copy(tmp_path / "project", GOOD)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("KIOSK_CACHE_DIR", str(tmp_path / "cache"))  # audio and sheets kept: builds stay short
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
