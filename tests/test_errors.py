"""One error boundary (kiosk.cli.common.chinese_errors): the kiosk's own errors (kiosk.exceptions.KioskError)
are said in plain Chinese with their exit code and no traceback; a bug (any other exception) goes on with its
traceback, and still nothing half-built is published: the last good site, or the live release, stays.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import GOOD, ROOT, project_copy
from mkdocs.exceptions import PluginError

from kiosk import exceptions
from kiosk.catalogue import load as catalogue_load
from kiosk.cli.main import main
from kiosk.exceptions import KioskError
from kiosk.printing import sheets
from kiosk.publish import releases as releases
from kiosk.site import build as site


def tree(folder) -> dict[str, str]:
    folder = os.path.realpath(folder)
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(root, name), "rb") as f:
                out[os.path.relpath(os.path.join(root, name), folder)] = hashlib.sha256(f.read()).hexdigest()
    return out


def kiosk(*args, catch=True):
    """`kiosk ARGS` in this process; with catch=False an exception the command lets go reaches the test."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=catch)


def leftovers(project) -> list[str]:
    live = os.path.realpath(project / "site")
    return [p.name for p in (project / ".site-builds").iterdir() if os.path.realpath(p) != live]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A project of the small catalogue, built once: its site is the last good one."""
    project = project_copy(tmp_path_factory.mktemp("errors") / "project", GOOD)
    here = os.getcwd()
    os.chdir(project)
    try:
        result = kiosk("build")
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return project


def test_the_kiosk_errors_are_one_family():
    from kiosk.exceptions import (
        BadDrawing,
        CatalogueError,
        PublishError,
        SettingsError,
        SheetInputError,
        SpeechError,
        UnknownYear,
    )

    for error in (
        CatalogueError,
        SettingsError,
        SheetInputError,
        PublishError,
        SpeechError,
        UnknownYear,
        BadDrawing,
        exceptions.SiteBuildError,
    ):
        assert issubclass(error, KioskError), error
    assert issubclass(SettingsError, ValueError) and issubclass(SpeechError, RuntimeError)  # as they were
    assert KioskError("说明", exit_code=3).exit_code == 3 and KioskError("说明").exit_code == 1
    assert "2031 年" in str(UnknownYear(2031, "matters/_calendar.yaml"))


# ---------------------------------------------------------------- kiosk build


def test_a_bug_in_the_build_shows_itself_and_the_last_good_site_stays(built, monkeypatch):
    monkeypatch.chdir(built)
    before = tree(built / "site")

    def bug(self, files):
        return 1 / 0

    monkeypatch.setattr(site.Site, "add_pages", bug)  # inside MkDocs's build, after the sheets
    with pytest.raises(ZeroDivisionError):
        kiosk("build", "--force", catch=False)
    result = kiosk("build", "--force")  # as click would see it: the original exception, not an exit with a message
    assert isinstance(result.exception, ZeroDivisionError), result.output
    assert "网站没有生成" not in result.output
    assert tree(built / "site") == before
    assert leftovers(built) == []


def test_a_kiosk_error_in_the_build_is_said_in_chinese_without_a_traceback(built, monkeypatch):
    monkeypatch.chdir(built)
    before = tree(built / "site")

    def broken_voice(self):
        raise exceptions.SpeechError("espeak-ng failed (exit status 1): espeak-ng -v cmn")

    monkeypatch.setattr(site.Site, "write_audio", broken_voice)
    result = kiosk("build", "--force", catch=False)  # nothing comes out but the exit
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "网站没有生成（原来的网站保持不变）：espeak-ng failed (exit status 1)" in result.stderr
    assert "Traceback" not in result.output
    assert tree(built / "site") == before
    assert leftovers(built) == []


def test_mkdocs_own_build_error_is_said_with_what_it_says(built, monkeypatch):
    """MkDocs logs a BuildError and raises Abort ("Aborted with a BuildError!"): the kiosk says the error."""
    monkeypatch.chdir(built)
    before = tree(built / "site")

    def refused(self, files):
        raise PluginError("help.md: unknown block kiosk:nosuchblock")

    monkeypatch.setattr(site.Site, "add_pages", refused)
    result = kiosk("build", "--force", catch=False)
    assert result.exit_code == 1
    assert "网站没有生成（原来的网站保持不变）：help.md: unknown block kiosk:nosuchblock" in result.stderr
    assert "Aborted" not in result.output
    assert tree(built / "site") == before


# ---------------------------------------------------------------- kiosk sheets, kiosk sheet


def test_a_bug_in_sheets_shows_itself(good_catalogue, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)

    def bug(*args, **kwargs):
        raise RuntimeError("a bug in the sheets")

    monkeypatch.setattr(sheets, "build", bug)
    with pytest.raises(RuntimeError, match="a bug in the sheets"):
        kiosk("sheets", "matters", "--out", tmp_path / "out", catch=False)


def test_a_wrong_sheet_input_is_said_in_chinese(good_catalogue, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = kiosk(
        "sheet",
        "dibao-apply",
        "--missing",
        "99",
        "--received",
        "2026-09-14",
        "--applicant",
        "张三",
        "--dir",
        "matters",
        "-o",
        tmp_path / "n.pdf",
        catch=False,
    )
    assert result.exit_code == 1
    assert "99" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "n.pdf").exists()


# ---------------------------------------------------------------- kiosk check


def test_a_bug_in_check_shows_itself(good_catalogue, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)

    def bug(*args, **kwargs):
        raise ZeroDivisionError("a bug in the check")

    monkeypatch.setattr(catalogue_load, "load", bug)
    with pytest.raises(ZeroDivisionError):
        kiosk("check", "matters", catch=False)


def test_a_kiosk_error_in_check_gives_its_message_and_exit_code(good_catalogue, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)

    def refused(*args, **kwargs):
        raise KioskError("目录读不出来：请先拷回 matters 文件夹", exit_code=3)

    monkeypatch.setattr(catalogue_load, "load", refused)
    result = kiosk("check", "matters", catch=False)
    assert result.exit_code == 3
    assert result.stderr == "目录读不出来：请先拷回 matters 文件夹\n"
    assert result.stdout == ""


def test_ctrl_c_is_still_said_as_cancelled(good_catalogue, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(catalogue_load, "load", interrupted)
    result = kiosk("check", "matters", catch=False)
    assert result.exit_code == 1 and "已取消" in result.stderr


def test_a_bug_prints_its_traceback_on_the_command_line(good_catalogue, tmp_path):
    """As a person sees it: `python -m kiosk check` with a bug prints Python's traceback, exit 1."""
    program = (
        "import kiosk.catalogue.load as c\n"
        "def bug(*a, **k):\n    return 1 / 0\n"
        "c.load = bug\n"
        "from kiosk.cli.main import main\nmain(['check', 'matters'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "scripts")},
    )
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr and "ZeroDivisionError" in done.stderr, done.stderr
    assert "in bug" in done.stderr  # down to the line of the bug


# ---------------------------------------------------------------- kiosk publish


def test_a_bug_while_publishing_leaves_the_live_release_and_nothing_half_built(built, monkeypatch, tmp_path):
    monkeypatch.chdir(built)
    out = tmp_path / "out"
    result = kiosk("publish", "--to", out)
    assert result.exit_code == 0, result.output
    live = releases.live_release(out)

    def bug(self):
        raise ZeroDivisionError("a bug while placing the sheets")

    monkeypatch.setattr(site.Site, "finish", bug)  # the pages built, the release not complete
    with pytest.raises(ZeroDivisionError):
        kiosk("publish", "--to", out, catch=False)
    assert releases.live_release(out) == live
    releases.verify_manifest(live)
    assert releases.releases_of(out) == [live]
    assert sorted(p.name for p in (out / "releases").iterdir() if p.name.startswith(".")) == []

    monkeypatch.undo()  # `finish` works again; now the verification refuses: the kiosk's own error
    monkeypatch.chdir(built)

    def incomplete(*args):
        raise releases.PublishError("发布包不完整，缺少：index.html")

    monkeypatch.setattr(releases, "verify_complete", incomplete)
    result = kiosk("publish", "--to", out, catch=False)
    assert result.exit_code == 1
    assert "发布失败，在用的网站没有变：发布包不完整，缺少：index.html" in result.stderr
    assert "Traceback" not in result.output
    assert releases.live_release(out) == live


def test_a_missing_tool_is_said_in_chinese_not_as_a_bug(monkeypatch, tmp_path):
    """An installation without poppler-utils: previews stop with what to install, a kiosk error."""
    import shutil

    from kiosk.exceptions import KioskError
    from kiosk.printing import sheets

    which = shutil.which
    monkeypatch.setattr(sheets.shutil, "which", lambda name: None if name == "pdftoppm" else which(name))
    with pytest.raises(KioskError, match="poppler-utils"):
        sheets.png_page(tmp_path / "a.pdf", tmp_path / "a.png")
