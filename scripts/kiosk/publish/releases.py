"""Publish a township's site as a release, switch the live link atomically, roll back.

    DIR/releases/<time>-<version>-<township>/site/           the kiosk site with its sheets
    DIR/releases/<time>-<version>-<township>/catalogue.json  what it was built from
    DIR/releases/<time>-<version>-<township>/manifest.json   version, git revision, build time, checksums
    DIR/live -> releases/<…>                                 what `kiosk serve --site-dir DIR/live/site` shows
    DIR/.lock                                                held by the one publish or rollback at work

A release is built and verified under a hidden name first; only a complete, verified release is renamed
into place, and only then does `live` switch (one rename of a symlink). A failure at any step leaves the
live site as it was. Publish and rollback take the folder's lock, so they never interleave; holding it, a
publish removes what killed ones left (hidden `.partial` and `.removing` folders), and pruning re-reads
`live` before each release it removes.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from ..catalogue.unstated import open_data
from ..catalogue.view import page_path, sheet_path
from ..exceptions import PublishError
from ..printing.context import BuildContext
from ..problems import message

MANIFEST = "manifest.json"
LIVE = "live"
LOCK = ".lock"


def publish(
    to: Path,
    ctx: BuildContext,
    keep: int = 5,
    config_file: Path = Path("mkdocs.yml"),
    wait: float = 600,
    waiting: Callable[[str], None] | None = None,
) -> Path:
    """Build, verify and switch to a new release of the checked catalogue of `ctx`; return its folder."""
    from ..site import build as site

    to = Path(to)
    with locked(to, "publish", wait, waiting):
        releases = to / "releases"
        releases.mkdir(parents=True, exist_ok=True)
        clear_leftovers(releases)  # 1. what killed publishes left: nobody else is at work while we hold the lock
        name = _release_name(releases, ctx)
        staging = releases / f".{name}.partial"
        try:
            site.build(ctx, config_file, staging / "site", link=False)  # 2. site and sheets
            catalogue = json.dumps(open_data(ctx.catalogue), ensure_ascii=False, indent=2) + "\n"
            (staging / "catalogue.json").write_text(catalogue, "utf-8")
            verify_complete(staging, ctx)  # 3. every page and sheet is there
            write_manifest(staging, ctx)
            verify_manifest(staging)  # 4. the checksums hold
            final = releases / name
            staging.rename(final)  # 5. the release is complete under its real name
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        switch(to, final)  # 6. one atomic rename makes it live
        prune(to, keep)
    return final


def rollback(to: Path, wait: float = 600, waiting: Callable[[str], None] | None = None) -> Path:
    """Make the release before the live one live again."""
    to = Path(to)
    with locked(to, "rollback", wait, waiting):
        done = releases_of(to)
        current = live_release(to)
        if current is None or current not in done or done.index(current) == 0:
            raise PublishError(message("rollback_none"))
        previous = done[done.index(current) - 1]
        verify_manifest(previous)
        switch(to, previous)
    return previous


@contextmanager
def locked(to: Path, what: str, wait: float, waiting: Callable[[str], None] | None = None):
    """Hold the publish folder's lock (flock on DIR/.lock, let go by the kernel when the process dies, so a
    killed publish never leaves it held). A second one waits up to `wait` seconds, saying once who holds it
    (`waiting`), then gives up with PublishError naming the holder."""
    to.mkdir(parents=True, exist_ok=True)
    with open(to / LOCK, "a+", encoding="utf-8") as f:
        deadline, told = time.monotonic() + wait, False
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(to / LOCK)
                if time.monotonic() >= deadline:
                    raise PublishError(message("publish_busy", **holder)) from None
                if not told and waiting:
                    waiting(message("publish_waiting", **holder))
                    told = True
                time.sleep(0.2)
        f.seek(0)
        f.truncate()
        f.write(
            json.dumps(
                {"pid": os.getpid(), "what": what, "since": datetime.datetime.now().isoformat(timespec="seconds")}
            )
        )
        f.flush()
        try:
            yield
        finally:
            f.truncate(0)


def _holder(path: Path) -> dict:
    """Who holds the lock, as its holder wrote it (it may be writing it right now)."""
    try:
        found = json.loads(path.read_text("utf-8"))
        return {"pid": found["pid"], "what": found["what"], "since": found["since"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {"pid": "?", "what": "?", "since": "?"}


def clear_leftovers(releases: Path) -> list[Path]:
    """Remove the hidden folders of killed publishes and prunes. Only under the lock."""
    gone = [p for p in releases.iterdir() if p.name.startswith(".") and p.name.endswith((".partial", ".removing"))]
    for p in gone:
        shutil.rmtree(p, ignore_errors=True)
    return gone


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
    """Keep the newest `keep` releases, and always the live one: `live` is read again just before each
    release is removed, and the release is first renamed out of the list (one rename), so a release is
    either whole in the list or gone."""
    done = releases_of(to)
    for old in done[: max(0, len(done) - keep)]:
        live = live_release(to)
        if live is not None and old.resolve() == live.resolve():
            continue
        doomed = old.with_name(f".{old.name}.removing")
        old.rename(doomed)
        shutil.rmtree(doomed)


def verify_complete(release: Path, ctx: BuildContext) -> None:
    site = release / "site"
    needed = ["index.html"] + [
        p for m in ctx.catalogue.matters for p in (page_path(m.id) + "index.html", sheet_path(m.id))
    ]
    missing = [rel for rel in needed if not (site / rel).is_file() or (site / rel).stat().st_size == 0]
    if missing:
        raise PublishError(message("publish_incomplete", files="、".join(missing[:10])))


def write_manifest(release: Path, ctx: BuildContext) -> None:
    info = ctx.catalogue.catalogue
    manifest = {
        "catalogue_version": info.version,
        "effective_date": info.effective_date.isoformat(),
        "township": ctx.township,
        "git_revision": _git_revision(),
        "build_time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "files": {
            p.relative_to(release).as_posix(): _sha256(p)
            for p in sorted(release.rglob("*"))
            if p.is_file() and p.name != MANIFEST
        },
    }
    (release / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", "utf-8")


def verify_manifest(release: Path) -> None:
    manifest = json.loads((release / MANIFEST).read_text("utf-8"))
    have = {p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file() and p.name != MANIFEST}
    if have != set(manifest["files"]):
        raise PublishError(message("publish_manifest_files"))
    for rel, digest in manifest["files"].items():
        if _sha256(release / rel) != digest:
            raise PublishError(message("publish_manifest_sum", file=rel))


def _release_name(releases: Path, ctx: BuildContext) -> str:
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    base = f"{stamp}-{ctx.catalogue.catalogue.version}-{ctx.township}"
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
