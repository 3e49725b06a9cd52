"""Builds and publishes that fail safely. Killed at each named point of their work (tests/killpoint.py: the
run stops itself there and is killed, no sleeps), out of disk, or with a sheet that will not render: the
previous site, or the live release, stays complete and unchanged, and the next run clears what the failed
one left. Publish and rollback take turns on a publish folder, and pruning never removes the live release.
"""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from conftest import project_copy, run_kiosk
from killpoint import kill, stopped_at
from pypdf import PdfReader

from kiosk.cli.common import contexts
from kiosk.printing import renderer
from kiosk.publish import releases as releases
from kiosk.site import build as site

KILLPOINT = Path(__file__).with_name("killpoint.py")


def tree(folder) -> dict[str, str]:
    folder = os.path.realpath(folder)
    out = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return out


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def built_project(tmp_path):
    project = project_copy(tmp_path / "project")
    result = run_kiosk("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def leftovers(project) -> list[str]:
    builds = project / ".site-builds"
    live = os.path.realpath(project / "site")
    return [p.name for p in builds.iterdir() if os.path.realpath(p) != live]


@pytest.mark.parametrize("point", ["stored-pdf", "assembling", "pages", "placing", "compressing", "switching"])
def test_a_build_killed_at_any_point_leaves_the_previous_site(built_project, point):
    project = built_project
    before = tree(project / "site")
    token = uuid.uuid4().hex[:8]  # new text, so no earlier run's sheets can be reused: this build renders
    edit(project / "matters" / "dibao-apply.yaml", "每月领生活补助", f"每月领生活费{token}")
    kill(stopped_at(point, "build", cwd=project))
    assert tree(project / "site") == before, f"site changed by a build killed at {point}"
    for root, _, files in os.walk(os.environ["KIOSK_CACHE_DIR"]):
        for name in files:
            if name.endswith(".pdf") and not name.startswith("."):
                PdfReader(os.path.join(root, name))  # no half-written PDF under a final name
    result = run_kiosk("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"每月领生活费{token}" in (project / "site" / "matters" / "dibao-apply" / "index.html").read_text("utf-8")
    assert f"每月领生活费{token}" in (project / "site" / "sheets" / "dibao-apply.html").read_text("utf-8")
    assert leftovers(project) == [], "what the killed build left is cleared"


def test_disk_full_while_writing_the_site_leaves_it_as_it_was(built_project, monkeypatch):
    project = built_project
    before = tree(project / "site")
    monkeypatch.chdir(project)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(site.Site, "print_view", disk_full)  # while writing the sheets into the new site
    with pytest.raises(OSError):
        site.build(contexts("mkdocs.yml", None)[0])
    assert tree(project / "site") == before
    assert leftovers(project) == []


def test_a_sheet_that_fails_to_render_leaves_the_site_as_it_was(built_project, monkeypatch):
    project = built_project
    before = tree(project / "site")
    # a name no earlier run rendered: the store of rendered sheets is shared between runs
    changed = f"人民调解申请（改{uuid.uuid4().hex[:8]}）"
    edit(project / "matters" / "renmin-tiaojie.yaml", "task_name: 人民调解申请", f"task_name: {changed}")
    monkeypatch.chdir(project)
    real = renderer.Renderer.render

    def broken(self, html):
        if changed in html:
            raise RuntimeError("this sheet does not render")
        return real(self, html)

    monkeypatch.setattr(renderer.Renderer, "render", broken)
    with pytest.raises(RuntimeError):
        site.build(contexts("mkdocs.yml", None)[0])
    assert tree(project / "site") == before
    assert leftovers(project) == []


# ---------------------------------------------------------------- publishing


@pytest.fixture
def published(tmp_path):
    """A project of the small catalogue, published once."""
    from conftest import GOOD

    project = project_copy(tmp_path / "project", GOOD)
    out = tmp_path / "out"
    result = run_kiosk("publish", "--to", out, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, out


def hidden(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "releases").iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("point", ["pages", "release-verify", "release-switch", "pruning", "removing"])
def test_a_publish_killed_at_any_point_leaves_live_complete_and_the_next_clears_up(published, point):
    project, out = published
    for n in range(2):  # two releases more, so that --keep 1 has one to remove
        edit(project / "matters" / "dibao-apply.yaml", "每月领生活补助" if n == 0 else "每月领生活费", "每月领生活费")
        assert run_kiosk("publish", "--to", out, cwd=project).returncode == 0
    edit(project / "matters" / "dibao-apply.yaml", "每月领生活费", "每月领低保金")
    kill(stopped_at(point, "publish", "--to", out, "--keep", "1", cwd=project))
    live = releases.live_release(out)
    releases.verify_manifest(live)  # whatever the point, the live release is whole and checks out
    assert (out / "live" / "site" / "matters" / "dibao-apply" / "index.html").is_file()
    result = run_kiosk("publish", "--to", out, "--keep", "1", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert hidden(out) == [], "the next publish removed what the killed one left"
    assert [p.name for p in releases.releases_of(out)] == [releases.live_release(out).name]
    assert "每月领低保金" in (out / "live" / "site" / "matters" / "dibao-apply" / "index.html").read_text("utf-8")


def test_a_rollback_while_a_publish_prunes_waits_its_turn(published):
    """The race seen before the lock: `kiosk rollback` during `publish --keep 1`'s pruning switched live to
    the release being removed. Now the rollback waits for the lock (or, with --wait 0, says who holds it)."""
    project, out = published
    edit(project / "matters" / "dibao-apply.yaml", "每月领生活补助", "每月领生活费")
    publishing = stopped_at("pruning", "publish", "--to", out, "--keep", "1", cwd=project)  # holds the lock
    refused = run_kiosk("rollback", "--to", out, "--wait", "0", cwd=project)
    assert refused.returncode == 1
    assert f"publish（进程 {publishing.pid}" in refused.stderr, refused.stderr
    waiting = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "rollback", "--to", str(out)],
        cwd=project,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    said = [waiting.stderr.readline() for _ in range(2)]  # that it is unsigned, then that it waits
    assert "没有用 --key 签名" in said[0] and "等它做完" in said[1], said
    os.killpg(publishing.pid, signal.SIGCONT)  # the publish prunes and lets go of the lock
    assert publishing.wait() == 0
    stdout, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 1 and "没有可以回退的上一个版本" in stderr, stdout + stderr
    live = releases.live_release(out)
    assert live.is_dir() and releases.releases_of(out) == [live]
    releases.verify_manifest(live)


def test_pruning_reads_live_again_before_each_removal(published, monkeypatch):
    """Even a switch that did not take the lock (a person with `ln -sfn`) between two removals is seen."""
    project, out = published
    for text in ("每月领生活费", "每月领低保金"):
        edit(
            project / "matters" / "dibao-apply.yaml",
            "每月领生活补助" if text == "每月领生活费" else "每月领生活费",
            text,
        )
        assert run_kiosk("publish", "--to", out, cwd=project).returncode == 0
    first, second, third = releases.releases_of(out)
    assert releases.live_release(out) == third
    real = releases.shutil.rmtree

    def removing(path, *args, **kwargs):
        real(path, *args, **kwargs)
        releases.switch(out, second)  # live moves to the next one to be removed

    monkeypatch.setattr(releases.shutil, "rmtree", removing)
    releases.prune(out, keep=1)
    monkeypatch.undo()
    assert releases.releases_of(out) == [second, third]
    assert releases.live_release(out) == second
    releases.verify_manifest(second)
