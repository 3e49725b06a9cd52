"""Builds that fail safely: killed, out of disk, or with a sheet that will not render, a build leaves
the previous site complete and unchanged, and the next build clears what the failed one left."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from pypdf import PdfReader

from conftest import project_copy, run_kiosk
from kiosk import sheets, site


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
    found = [p.name for p in builds.iterdir() if os.path.realpath(p) != live]
    found += [str(p) for p in (project / "content").rglob("*.tmp")]
    return found


def test_a_build_killed_at_any_point_leaves_the_previous_site(built_project):
    project = built_project
    started = time.perf_counter()
    assert run_kiosk("build", cwd=project).returncode == 0  # how long a build takes here, nothing changed
    took = time.perf_counter() - started
    before = tree(project / "site")
    token = uuid.uuid4().hex[:8]  # new text, so no earlier run's sheets can be reused: this build renders
    edit(project / "matters" / "dibao-apply.yaml", "每月领生活补助", f"每月领生活费{token}")
    for share in (0.05, 0.25, 0.5, 0.75, 0.9):  # of a build with nothing to render: this one takes longer
        build = subprocess.Popen([sys.executable, "-m", "kiosk", "build"], cwd=project,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(share * took)
        assert build.poll() is None, "the build ended before it could be killed"
        os.killpg(build.pid, signal.SIGKILL)  # the build and its sheet workers
        delay = round(share * took, 1)
        build.wait()
        assert tree(project / "site") == before, f"site changed by a build killed after {delay} s"
    cache = os.environ["KIOSK_CACHE_DIR"]
    for root, _, files in os.walk(cache):
        for name in files:
            if name.endswith(".pdf") and not name.startswith("."):
                PdfReader(os.path.join(root, name))  # no half-written PDF under a final name
    result = run_kiosk("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"每月领生活费{token}" in (project / "site" / "matters" / "dibao-apply" / "index.html").read_text("utf-8")
    assert leftovers(project) == [], "what the killed builds left is cleared"


def test_disk_full_while_writing_the_site_leaves_it_as_it_was(built_project, monkeypatch):
    project = built_project
    before = tree(project / "site")
    monkeypatch.chdir(project)

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(sheets, "atomic_write", disk_full)  # while writing the sheets into the new site
    with pytest.raises(OSError):
        site.build("mkdocs.yml")
    assert tree(project / "site") == before
    assert leftovers(project) == []


def test_a_sheet_that_fails_to_render_leaves_the_site_as_it_was(built_project, monkeypatch):
    project = built_project
    before = tree(project / "site")
    # a name no earlier run rendered: the store of rendered sheets is shared between runs
    changed = f"人民调解申请（改{uuid.uuid4().hex[:8]}）"
    edit(project / "matters" / "renmin-tiaojie.yaml", "task_name: 人民调解申请", f"task_name: {changed}")
    monkeypatch.chdir(project)
    real = sheets.Renderer.render

    def broken(self, html):
        if changed in html:
            raise RuntimeError("this sheet does not render")
        return real(self, html)

    monkeypatch.setattr(sheets.Renderer, "render", broken)
    with pytest.raises(RuntimeError):
        site.build("mkdocs.yml")
    assert tree(project / "site") == before
    assert leftovers(project) == []
