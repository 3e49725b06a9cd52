"""Publish a township's site as a release, switch the live link atomically, roll back.

    DIR/releases/<time>-<version>-<township>/site/           the kiosk site with its sheets
    DIR/releases/<time>-<version>-<township>/catalogue.json  what it was built from
    DIR/releases/<time>-<version>-<township>/manifest.json   version, git revision, build time, checksums
    DIR/live -> releases/<…>                                 what `kiosk serve --site-dir DIR/live/site` shows

A release is built and verified under a hidden name first; only a complete,
verified release is renamed into place, and only then does `live` switch (one
rename of a symlink). A failure at any step leaves the live site as it was.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

from .catalogue import load_or_raise
from .unstated import open_data

MANIFEST = "manifest.json"
LIVE = "live"


class PublishError(Exception):
    """A release did not verify; nothing was switched."""


def publish(to: Path, township: str | None = None, keep: int = 5, config_file: Path = Path("mkdocs.yml"),
            catalogue_dir: Path = Path("matters")) -> Path:
    """Check, build, verify and switch to a new release; return its folder."""
    from . import site

    to = Path(to)
    loaded = load_or_raise(catalogue_dir, township)  # 1. the catalogue must be clean
    releases = to / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    name = _release_name(releases, loaded)
    staging = releases / f".{name}.partial"
    try:
        site.build(config_file, staging / "site", loaded.township, link=False)  # 2. site and sheets
        catalogue = open_data(loaded.catalogue)
        (staging / "catalogue.json").write_text(json.dumps(catalogue, ensure_ascii=False, indent=2) + "\n", "utf-8")
        verify_complete(staging, loaded)  # 3. every page and sheet is there
        write_manifest(staging, loaded)
        verify_manifest(staging)  # 4. the checksums hold
        final = releases / name
        staging.rename(final)  # 5. the release is complete under its real name
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    switch(to, final)  # 6. one atomic rename makes it live
    prune(to, keep)
    return final


def rollback(to: Path) -> Path:
    """Make the release before the live one live again."""
    to = Path(to)
    done = releases_of(to)
    current = live_release(to)
    if current is None or current not in done or done.index(current) == 0:
        raise PublishError("没有可以回退的上一个版本")
    previous = done[done.index(current) - 1]
    verify_manifest(previous)
    switch(to, previous)
    return previous


def switch(to: Path, release: Path) -> None:
    """Point `to/live` at `release` with one rename, so readers see the old or the new, never neither."""
    tmp = to / f".{LIVE}.{os.getpid()}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(release.relative_to(to))
    os.replace(tmp, to / LIVE)


def releases_of(to: Path) -> list[Path]:
    folder = Path(to) / "releases"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def live_release(to: Path) -> Path | None:
    link = Path(to) / LIVE
    return (Path(to) / os.readlink(link)) if link.is_symlink() else None


def prune(to: Path, keep: int) -> None:
    """Keep the newest `keep` releases, and always the live one."""
    live = live_release(to)
    done = releases_of(to)
    for old in done[: max(0, len(done) - keep)]:
        if live is None or old.resolve() != live.resolve():
            shutil.rmtree(old)


def verify_complete(release: Path, loaded) -> None:
    site = release / "site"
    missing = []
    for m in loaded.catalogue.matters:
        for rel in (f"matters/{m.id}/index.html", f"sheets/{m.id}.pdf"):
            if not (site / rel).is_file() or (site / rel).stat().st_size == 0:
                missing.append(rel)
    if not (site / "index.html").is_file():
        missing.append("index.html")
    if missing:
        raise PublishError("发布包不完整，缺少：" + "、".join(missing[:10]))


def write_manifest(release: Path, loaded) -> None:
    info = loaded.catalogue.catalogue
    manifest = {
        "catalogue_version": info.version,
        "effective_date": info.effective_date.isoformat(),
        "township": loaded.township,
        "git_revision": _git_revision(),
        "build_time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "files": {p.relative_to(release).as_posix(): _sha256(p) for p in sorted(release.rglob("*"))
                  if p.is_file() and p.name != MANIFEST},
    }
    (release / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")


def verify_manifest(release: Path) -> None:
    manifest = json.loads((release / MANIFEST).read_text("utf-8"))
    have = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file() and p.name != MANIFEST}
    if have != set(manifest["files"]):
        raise PublishError("发布包的文件与清单不符")
    for rel, digest in manifest["files"].items():
        if _sha256(release / rel) != digest:
            raise PublishError(f"文件校验不符：{rel}")


def _release_name(releases: Path, loaded) -> str:
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    base = f"{stamp}-{loaded.catalogue.catalogue.version}-{loaded.township}"
    name, n = base, 1
    while (releases / name).exists() or (releases / f".{name}.partial").exists():
        n += 1
        name = f"{base}-{n}"
    return name


def _git_revision() -> str | None:
    try:
        found = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10)
    except OSError:
        return None
    return found.stdout.strip() or None if found.returncode == 0 else None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
