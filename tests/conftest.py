"""Shared helpers: the repository's paths and a way to run `kiosk` as a user would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "matters"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = FIXTURES / "good"


# the day every test takes as today (kiosk.clock): no test reads the real date, so none changes with it, nor
# when the calendar library learns a new year. A Monday of a year the library knows, before the reminder of
# next year's calendar (1 November); tests of a year's end set their own day.
TODAY = "2026-09-14"


def pytest_configure(config):
    """One build cache for the whole test run, empty at its start: sheets rendered once are reused by every
    build of the run (as between a county's builds), never from an earlier run or the repository's
    build/cache. Made by the controlling process; pytest-xdist's workers inherit it. The day is fixed."""
    os.environ["KIOSK_TODAY"] = TODAY
    if "workerinput" not in config.__dict__ and not os.environ.get("KIOSK_CACHE_DIR"):
        config.kiosk_cache = tempfile.mkdtemp(prefix="kiosk-test-cache-")
        os.environ["KIOSK_CACHE_DIR"] = config.kiosk_cache


def pytest_unconfigure(config):
    if getattr(config, "kiosk_cache", None):
        shutil.rmtree(config.kiosk_cache, ignore_errors=True)


def run_kiosk(*args, cwd=ROOT, env=None) -> subprocess.CompletedProcess:
    """Run the installed `kiosk` command in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **(env or {})},
    )


def catalogue_from(tmp_path: Path, base: Path = GOOD, overlay: Path | None = None) -> Path:
    """A copy of `base` as tmp_path/matters, with the files of `overlay` laid over it."""
    target = tmp_path / "matters"
    shutil.copytree(base, target)
    if overlay is not None:
        shutil.copytree(overlay, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expect", "remove"))
        remove = overlay / "remove"
        if remove.exists():
            for name in remove.read_text().split():
                (target / name).unlink()
    return target


def project_copy(tmp_path: Path, matters: Path = SAMPLE) -> Path:
    """A copy of the project's site sources with `matters` as its catalogue."""
    for name in ("content", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.copytree(matters, tmp_path / "matters")
    return tmp_path


@pytest.fixture
def good_catalogue(tmp_path):
    return catalogue_from(tmp_path)


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory):
    """The sample's sites, every township's, built once per test session with `kiosk build --all-townships`;
    and what it said."""
    sites = tmp_path_factory.mktemp("sites") / "sites"
    result = run_kiosk("build", "--all-townships", "--site-dir", sites)
    assert result.returncode == 0, result.stdout + result.stderr
    return sites, result.stdout


@pytest.fixture(scope="session")
def built_site(built_sites):
    """The sample site of the default township (大合坪乡)."""
    return built_sites[0] / "dahepingxiang"


@pytest.fixture(scope="session")
def site_url(built_site):
    from browser import served

    with served(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from browser import Browser
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = Browser(p)
        yield b
        b.close()
