"""Publish a township's site as a release, switch the live link atomically, roll back.

    DIR/releases/<time>-<version>-<township>/site/           the kiosk site with its sheets
    DIR/releases/<time>-<version>-<township>/catalogue.json  what it was built from, as open data
    DIR/releases/<time>-<version>-<township>/catalogue/      the same as the YAML the desk reads (this township)
    DIR/releases/<time>-<version>-<township>/manifest.json   township, version, sequence, build time, every
                                                             file's SHA-256 and size
    DIR/releases/<time>-<version>-<township>/manifest.sig    the county's Ed25519 signature of manifest.json
    DIR/live -> releases/<…>                                 what `kiosk serve --site-dir DIR/live/site` shows
    DIR/latest.json                                          the live release's name and sequence, for halls
    DIR/sequence                                             the highest sequence given out (it only grows)
    DIR/.lock                                                held by the one publish or rollback at work

A hall's `kiosk pull` (kiosk.publish.pull) reads `latest.json`, then that release's manifest and signature,
and only the files it lacks. A release folder never changes once renamed into place, so a hall may read it
while the county publishes the next. A rollback is a new release (a higher sequence) of an older one's
files, so a hall takes it like any other and refuses an old release replayed.

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
from typing import TYPE_CHECKING

from ..exceptions import Busy, PublishError
from ..problems import message
from . import signing
from .signing import Ed25519PrivateKey

if TYPE_CHECKING:  # a hall's pull reads manifests only: it needs no catalogue model
    from ..printing.context import BuildContext

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
LATEST = "latest.json"
SEQUENCE = "sequence"
LIVE = "live"
LOCK = ".lock"
CATALOGUE = "catalogue"
FORMAT = 2  # of the manifest: 2 gives each file its size and carries a sequence and a signature
ABOUT = ("township", "center_name", "catalogue_version", "effective_date")  # what a release is of
BIG = 1 << 20  # a file this big is listed in pieces too, so a hall fetches only the pieces that changed
PIECE_LEAST, PIECE_MOST = 64 << 10, 1 << 20


def publish(
    to: Path,
    ctx: BuildContext,
    keep: int = 5,
    config_file: Path = Path("mkdocs.yml"),
    wait: float = 600,
    waiting: Callable[[str], None] | None = None,
    key: Ed25519PrivateKey | None = None,
) -> Path:
    """Build, verify and switch to a new release of the checked catalogue of `ctx`, signed with `key` (a
    release without a signature is refused by every hall's `kiosk pull`); return its folder."""
    from ..catalogue.unstated import open_data
    from ..site import build as site

    def fill(staging: Path) -> None:
        site.build(ctx, config_file, staging / "site", link=False)  # site and sheets
        catalogue = json.dumps(open_data(ctx.catalogue), ensure_ascii=False, indent=2) + "\n"
        (staging / "catalogue.json").write_text(catalogue, "utf-8")
        copy_catalogue(ctx.loaded.root, ctx.township, staging / CATALOGUE)  # the desk's YAML
        verify_complete(staging, ctx)  # every page and sheet is there

    info = ctx.catalogue.catalogue
    about = {
        "township": ctx.township,
        "center_name": ctx.catalogue.center.name,
        "catalogue_version": info.version,
        "effective_date": info.effective_date.isoformat(),
    }
    with locked(Path(to), "publish", wait, waiting):
        return add_release(Path(to), about, fill, key, keep)


def rollback(
    to: Path,
    wait: float = 600,
    waiting: Callable[[str], None] | None = None,
    key: Ed25519PrivateKey | None = None,
    keep: int = 5,
) -> Path:
    """Make the content of the release published before the live one's live again, as a new release with
    a higher sequence (`rollback_of` names the release it copies), so every hall takes it."""
    to = Path(to)
    with locked(to, "rollback", wait, waiting):
        published = [r for r in releases_of(to) if not read_manifest(r).get("rollback_of")]
        current = live_release(to)
        shown = read_manifest(current).get("rollback_of") if current is not None else None
        origin = to / "releases" / shown if shown else current
        if origin is None or origin not in published or published.index(origin) == 0:
            raise PublishError(message("rollback_none"))
        previous = published[published.index(origin) - 1]
        verify_manifest(previous)

        def fill(staging: Path) -> None:
            for path in _files(previous):
                target = staging / path.relative_to(previous)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, target)  # the same bytes; a release never changes, so sharing them is safe

        about = {k: v for k, v in read_manifest(previous).items() if k in ABOUT}
        return add_release(to, about, fill, key, keep, rollback_of=previous.name)


def add_release(
    to: Path,
    about: dict,
    fill: Callable[[Path], None],
    key: Ed25519PrivateKey | None,
    keep: int,
    rollback_of: str | None = None,
) -> Path:
    """Make a release of what `fill(folder)` writes and switch to it; the caller holds the folder's lock.
    `about`: what the release is of (ABOUT). Nothing is live until the release is whole and verified."""
    releases = to / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    clear_leftovers(releases)  # 1. what killed publishes left: nobody else is at work while we hold the lock
    name = _release_name(releases, about["catalogue_version"], about["township"])
    staging = releases / f".{name}.partial"
    try:
        fill(staging)  # 2. the files
        write_manifest(staging, name, about, next_sequence(to), key, rollback_of)  # 3. listed and signed
        verify_manifest(staging)  # 4. the checksums hold
        final = _place(to, staging, name)  # 5. the release is complete under its real name
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    switch(to, final)  # 6. one atomic rename makes it live; halls are told of it
    prune(to, keep)
    return final


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
                    raise Busy(message("publish_busy", **holder)) from None
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
    """Point `to/live` at `release` with one rename, so readers see the old or the new, never neither; then
    tell halls (`latest.json`, replaced in one rename too)."""
    tmp = to / f".{LIVE}.{os.getpid()}.tmp"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(release.relative_to(to))
    os.replace(tmp, to / LIVE)
    manifest = read_manifest(release)
    latest = {"release": release.name, "sequence": manifest.get("sequence", 0)}
    latest.update({k: manifest.get(k) for k in ABOUT})
    atomic_text(to / LATEST, json.dumps(latest, ensure_ascii=False) + "\n")


def atomic_text(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


def _place(to: Path, staging: Path, name: str) -> Path:
    """Rename a verified release into place and record its sequence as given out (before any switch)."""
    final = staging.with_name(name)
    staging.rename(final)
    atomic_text(to / SEQUENCE, f"{read_manifest(final)['sequence']}\n")
    return final


def next_sequence(to: Path) -> int:
    """One more than any release of `to` ever had: the highest of the recorded one and every kept manifest's
    (so neither a lost `sequence` file nor a pruned release can make it go down)."""
    try:
        recorded = int((Path(to) / SEQUENCE).read_text("utf-8").strip())
    except (OSError, ValueError):
        recorded = 0
    kept = [read_manifest(r).get("sequence", 0) for r in releases_of(to)]
    return max([recorded, *kept]) + 1


def read_manifest(release: Path) -> dict:
    try:
        return json.loads((Path(release) / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def copy_catalogue(root: Path, township: str, to: Path) -> None:
    """The YAML the desk reads for `township`: the catalogue's own files and that township's folder."""
    from ..catalogue.load import TOWNSHIPS

    for path in sorted(Path(root).iterdir()):
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            to.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, to / path.name)
    own = Path(root) / TOWNSHIPS / township
    if own.is_dir():
        shutil.copytree(own, to / TOWNSHIPS / township, ignore=shutil.ignore_patterns(".*"))


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
    from ..catalogue.view import page_path, sheet_path

    site = release / "site"
    needed = ["index.html"] + [
        p for m in ctx.catalogue.matters for p in (page_path(m.id) + "index.html", sheet_path(m.id))
    ]
    missing = [rel for rel in needed if not (site / rel).is_file() or (site / rel).stat().st_size == 0]
    if missing:
        raise PublishError(message("publish_incomplete", files="、".join(missing[:10])))


def write_manifest(
    release: Path, name: str, about: dict, sequence: int, key: Ed25519PrivateKey | None, rollback_of: str | None = None
) -> None:
    """The release's manifest (every file but itself and its signature, with SHA-256 and size) and, given a
    key, its signature."""
    manifest = {
        "format": FORMAT,
        "release": name,
        **{k: about.get(k) for k in ABOUT},
        "sequence": sequence,
        "build_time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "git_revision": _git_revision(),
        **({"rollback_of": rollback_of} if rollback_of else {}),
        **({"key": signing.fingerprint(key)} if key is not None else {}),
        "files": {p.relative_to(release).as_posix(): _entry(p) for p in _files(release)},
    }
    data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    (release / MANIFEST).write_bytes(data)
    if key is not None:
        (release / SIGNATURE).write_bytes(signing.sign(key, data))


def _entry(path: Path) -> dict:
    """A file's line in the manifest: SHA-256 and size, and for a big one its pieces (size, SHA-256 each)."""
    size = path.stat().st_size
    if size < BIG:
        return {"sha256": sha256(path), "size": size}
    data = path.read_bytes()
    cuts = pieces(data)
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": size,
        "pieces": [[end - start, hashlib.sha256(data[start:end]).hexdigest()] for start, end in cuts],
    }


def pieces(data: bytes) -> list[tuple[int, int]]:
    """Where a big file is cut: at the end of a PDF object (`endobj`), or else of a line, once a piece holds
    PIECE_LEAST bytes; at PIECE_MOST whatever it holds. Cut where the content says, not every N bytes, so a
    sheet changed in the middle of the booklet changes the pieces around it, not every piece after it."""
    marker = b"endobj" if data.startswith(b"%PDF") else b"\n"
    cuts, start = [], 0
    while start < len(data):
        found = data.find(marker, start + PIECE_LEAST, start + PIECE_MOST)
        end = min(len(data), start + PIECE_MOST) if found < 0 else found + len(marker)
        cuts.append((start, end))
        start = end
    return cuts


def _files(release: Path) -> list[Path]:
    return sorted(p for p in Path(release).rglob("*") if p.is_file() and p.name not in (MANIFEST, SIGNATURE))


def digest_of(entry: str | dict) -> str:
    """A file's SHA-256 in a manifest: format 2 gives {sha256, size}, format 1 the digest alone."""
    return entry if isinstance(entry, str) else entry["sha256"]


def verify_manifest(release: Path) -> None:
    manifest = json.loads((release / MANIFEST).read_text("utf-8"))
    have = {p.relative_to(release).as_posix() for p in _files(release)}
    if have != set(manifest["files"]):
        raise PublishError(message("publish_manifest_files"))
    for rel, entry in manifest["files"].items():
        if sha256(release / rel) != digest_of(entry):
            raise PublishError(message("publish_manifest_sum", file=rel))


def _release_name(releases: Path, version: str, township: str) -> str:
    stamp = datetime.datetime.now().strftime("%Y%m%dT%H%M%S")
    base = f"{stamp}-{version}-{township}"
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


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
