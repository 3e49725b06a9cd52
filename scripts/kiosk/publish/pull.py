"""`kiosk pull`: a township hall takes the county's newest release, verified, and switches to it atomically.

The source is the township's publish folder as `kiosk publish` made it (kiosk.publish.releases), read as a
folder or over HTTP(S) as plain files. A pull, under the hall folder's lock:

1. reads `latest.json`; the same release as `live` means there is nothing new (one small request);
2. reads that release's `manifest.json` and `manifest.sig` and checks the signature with the county's
   public key, then the manifest itself: its township, a sequence higher than the live release's (an old
   release, validly signed, replayed is refused), safe file names;
3. fetches only the files whose SHA-256 the hall does not have: into `DIR/.incoming/<sha256>` (a file being
   fetched is `<sha256>.part` and is resumed with a Range request), each checked for size and hash before
   it gets its name, so a killed pull's finished files are kept for the next;
4. puts the release together beside the live one (`releases/.<name>.partial`), hard-linking the live
   release's files that did not change (each hashed before use) and the fetched ones, with the manifest and
   signature as received; flushes it to disk, renames it into place, switches `live` (one rename), prunes.

Any failure, at any moment (the network, a full disk, a bad signature, a wrong key, a changed file, kill -9),
leaves `live` as it was; a PullError says why in plain Chinese, and the next pull goes on from there.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import json
import os
import re
import shutil
import ssl
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..exceptions import PullError
from ..problems import message
from . import releases, signing
from .releases import LATEST, MANIFEST, SIGNATURE

INCOMING = ".incoming"
SMALL = 64 * 1024  # latest.json and a signature are a few hundred bytes
MANIFEST_MAX = 64 * 1024 * 1024  # a manifest lists every file: ~150 bytes each
CHUNK = 1 << 20
TIMEOUT = 30  # seconds without a byte from the server
THREADS = 4  # files fetched at once (each over its own kept-alive connection)
SHA256 = re.compile(r"[0-9a-f]{64}")
FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)  # the disk (or this process's share of it) is full


@dataclass
class Pulled:
    release: Path
    new: bool  # False: the live release was already the newest
    fetched: int = 0  # files fetched from the source
    fetched_bytes: int = 0
    reused: int = 0  # files taken from the live release or a killed pull's finished files
    total_bytes: int = 0  # of the release


@dataclass
class Manifest:
    data: bytes
    signature: bytes
    body: dict = field(repr=False)

    @property
    def name(self) -> str:
        return self.body["release"]

    @property
    def sequence(self) -> int:
        return self.body["sequence"]

    @property
    def files(self) -> dict[str, dict]:
        return self.body["files"]


def pull(
    source: str,
    key: signing.Ed25519PublicKey,
    to: Path,
    keep: int = 3,
    township: str | None = None,
    wait: float = 0,
    ca: Path | None = None,
) -> Pulled:
    """Bring `to/live` up to the release `source` names as its latest, verified with `key` (see the module);
    over HTTPS, `ca` is an authority to trust besides the system's (the county's own)."""
    to = Path(to)
    src = open_source(source, ca)
    try:
        with releases.locked(to, "pull", wait):
            return _pull(src, key, to, keep, township)
    except OSError as e:  # ours: the hall's own disk (the source's errors are PullErrors already)
        raise PullError(message("pull_disk_full" if e.errno in FULL else "pull_local", detail=e)) from e
    finally:
        src.close()


def _pull(src: Source, key, to: Path, keep: int, township: str | None) -> Pulled:
    live = releases.live_release(to)
    shown = releases.read_manifest(live) if live is not None else {}
    latest = _json(src.read(LATEST, SMALL), LATEST)
    name = latest.get("release") if isinstance(latest, dict) else None
    if not isinstance(name, str) or not _safe(name) or "/" in name:
        raise PullError(message("pull_garbage", file=LATEST))
    if live is not None and live.name == name and shown:  # 1. nothing new
        return Pulled(live, new=False, total_bytes=_size(shown))
    manifest = fetch_manifest(src, f"releases/{name}/", key)  # 2. signed, and what it says is sound
    if manifest.name != name:
        raise PullError(message("pull_garbage", file=MANIFEST))
    want = township or shown.get("township")
    if want and manifest.body["township"] != want:
        raise PullError(message("pull_other_township", theirs=manifest.body["township"], ours=want))
    if shown and manifest.sequence <= shown.get("sequence", 0):
        raise PullError(message("pull_older", sequence=manifest.sequence, live=shown.get("sequence", 0)))
    folder = to / "releases"
    folder.mkdir(parents=True, exist_ok=True)
    releases.clear_leftovers(folder)
    final = folder / name
    if final.is_dir():  # a pull killed between its rename and the switch: finish it if it is this release
        if (final / MANIFEST).read_bytes() == manifest.data and _whole(final):
            _go_live(to, final, keep)
            return Pulled(final, new=True, total_bytes=_size(manifest.body))
        shutil.rmtree(final)
    store = Store(to / INCOMING)
    needed = {e["sha256"]: e["size"] for e in manifest.files.values()}
    have = _usable(_have(live, shown, store), needed)
    missing = {digest: size for digest, size in needed.items() if digest not in have}
    pulled = Pulled(final, new=True, total_bytes=_size(manifest.body), reused=len(have))
    pulled.fetched, pulled.fetched_bytes = store.fetch_all(src, f"releases/{name}/", manifest, missing, live)  # 3.
    staging = folder / f".{name}.partial"  # 4.
    try:
        _assemble(staging, manifest, {**have, **store.fetched})
        (staging / MANIFEST).write_bytes(manifest.data)
        (staging / SIGNATURE).write_bytes(manifest.signature)
        os.sync()  # the new release is on disk before anything points at it (a power cut, not just a kill)
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _go_live(to, final, keep)
    return pulled


def _go_live(to: Path, release: Path, keep: int) -> None:
    """Switch to a whole release, keep the newest `keep`, and let go of fetched files (all in releases now)."""
    releases.switch(to, release)
    releases.prune(to, keep)
    shutil.rmtree(to / INCOMING, ignore_errors=True)


def fetch_manifest(src: Source, base: str, key: signing.Ed25519PublicKey) -> Manifest:
    """The manifest of the release at `base`, its signature checked with `key` before a word of it is used."""
    data = src.read(base + MANIFEST, MANIFEST_MAX)
    try:
        signature = src.read(base + SIGNATURE, SMALL)
    except PullError as e:
        if getattr(e, "missing", False):
            raise PullError(message("pull_unsigned")) from e
        raise
    if not signing.verifies(key, data, signature):
        said = _json(data, MANIFEST)
        said = said.get("key") if isinstance(said, dict) else None
        ours = signing.fingerprint(key)
        if isinstance(said, str) and said != ours:
            raise PullError(message("pull_wrong_key", theirs=said, ours=ours))
        raise PullError(message("pull_bad_signature"))
    body = _json(data, MANIFEST)
    if not _sound(body):
        raise PullError(message("pull_garbage", file=MANIFEST))
    return Manifest(data, signature, body)


def _sound(body) -> bool:
    """A signed manifest still gets its shape checked: a name that climbs out of the release, a size that is
    not a size, would be the county's bug, and must not write outside the hall's folder."""
    if not isinstance(body, dict) or not isinstance(body.get("files"), dict):
        return False
    if not isinstance(body.get("sequence"), int) or not isinstance(body.get("township"), str):
        return False
    if not isinstance(body.get("release"), str) or not _safe(body["release"]) or "/" in body["release"]:
        return False
    for path, entry in body["files"].items():
        if not _safe(path) or PurePosixPath(path).parts[0] in (MANIFEST, SIGNATURE):
            return False
        if not isinstance(entry, dict) or not SHA256.fullmatch(str(entry.get("sha256", ""))):
            return False
        if not isinstance(entry.get("size"), int) or entry["size"] < 0:
            return False
        if "pieces" in entry and not _sound_pieces(entry["pieces"], entry["size"]):
            return False
    return True


def _sound_pieces(pieces, size: int) -> bool:
    if not isinstance(pieces, list) or not all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], int) and p[0] > 0 and SHA256.fullmatch(str(p[1]))
        for p in pieces
    ):
        return False
    return sum(p[0] for p in pieces) == size


def _safe(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and "\\" not in path and "\0" not in path and all(p not in ("", ".", "..") for p in parts)


def _size(manifest: dict) -> int:
    return sum(e["size"] for e in manifest.get("files", {}).values() if isinstance(e, dict))


def _whole(release: Path) -> bool:
    try:
        releases.verify_manifest(release)
    except (releases.PublishError, OSError, ValueError, KeyError):
        return False
    return True


def _have(live: Path | None, shown: dict, store: Store) -> dict[str, Path]:
    """Where each SHA-256 the hall may already have is: the live release's files, then a killed pull's
    finished files."""
    have = {}
    if live is not None:
        for rel, entry in shown.get("files", {}).items():
            have.setdefault(releases.digest_of(entry), live / rel)
    for digest, path in store.finished().items():
        have.setdefault(digest, path)
    return have


def _usable(have: dict[str, Path], needed: dict[str, int]) -> dict[str, Path]:
    """Those of the files at hand the release needs that still hash as they should (the rest is fetched)."""
    usable = {}
    for digest in needed:
        path = have.get(digest)
        try:
            if path is not None and releases.sha256(path) == digest:
                usable[digest] = path
        except FileNotFoundError:
            continue
    return usable


def _assemble(staging: Path, manifest: Manifest, origin: dict[str, Path]) -> None:
    """Lay the release out in `staging` from the checked files at hand (hard links: none is ever changed)."""
    for rel, entry in manifest.files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(origin[entry["sha256"]], target)
        except OSError as e:  # another file system, or links not allowed: a copy
            if e.errno in FULL:
                raise
            shutil.copyfile(origin[entry["sha256"]], target)


class Store:
    """Fetched files by their SHA-256, kept across killed pulls until a release is switched to."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.fetched: dict[str, Path] = {}  # by this pull, checked as they arrived
        self._lock = threading.Lock()
        self._bytes = 0

    def finished(self) -> dict[str, Path]:
        if not self.folder.is_dir():
            return {}
        return {p.name: p for p in self.folder.iterdir() if SHA256.fullmatch(p.name)}

    def fetch_all(
        self, src: Source, base: str, manifest: Manifest, missing: dict[str, int], live: Path | None
    ) -> tuple[int, int]:
        """Fetch the `missing` files (SHA-256 -> size); a big one in pieces where the live release's file of
        the same name has some of them. Return how many files, and how many bytes came over."""
        if not missing:
            return 0, 0
        self.folder.mkdir(parents=True, exist_ok=True)
        where = {}
        for rel, entry in manifest.files.items():
            where.setdefault(entry["sha256"], (rel, entry))

        def one(digest: str) -> str:
            rel, entry = where[digest]
            old = live / rel if live is not None and "pieces" in entry else None
            return self._fetch(src, base + rel, entry, old if old is not None and old.is_file() else None)

        jobs = sorted(missing, key=lambda d: -missing[d])  # the big ones first: the pool ends together
        with ThreadPoolExecutor(THREADS) as pool:
            for digest in pool.map(one, jobs):
                self.fetched[digest] = self.folder / digest
        return len(jobs), self._bytes

    def _fetch(self, src: Source, rel: str, entry: dict, old: Path | None) -> str:
        digest, size = entry["sha256"], entry["size"]
        part = self.folder / f"{digest}.part"
        got = self._from_pieces(src, rel, entry["pieces"], old, part) if old is not None else None
        if got is None:  # the whole file (resumed where a killed pull left it)
            got = src.fetch(rel, part, size)
        with self._lock:
            self._bytes += got
        if part.stat().st_size != size or releases.sha256(part) != digest:
            part.unlink(missing_ok=True)
            raise PullError(message("pull_file_changed", file=rel))
        os.replace(part, self.folder / digest)
        return digest

    def _from_pieces(self, src: Source, rel: str, pieces: list, old: Path, part: Path) -> int | None:
        """Lay out a big file from the pieces the old file already has and those fetched (byte ranges, one
        request per run of missing pieces); the bytes fetched, or None when it is not worth it or the
        server sends no ranges (then the whole file is fetched)."""
        data = old.read_bytes()
        have = {hashlib.sha256(data[a:b]).hexdigest(): (a, b) for a, b in releases.pieces(data)}
        if not any(p[1] in have for p in pieces):
            return None
        moved, offset, runs = 0, 0, []
        for n, digest in pieces:  # runs of pieces: (start, end, from the old file or None)
            local = have.get(digest)
            if local is None and runs and runs[-1][2] is None:
                runs[-1] = (runs[-1][0], offset + n, None)
            else:
                runs.append((offset, offset + n, local))
            offset += n
        with open(part, "wb") as out:
            for start, end, local in runs:
                if local is not None:
                    out.write(data[local[0] : local[1]])
                    continue
                got = src.fetch_range(rel, start, end)
                if got is None:
                    return None
                out.write(got)
                moved += len(got)
        return moved


# ---------------------------------------------------------------- sources: a folder, or plain files over HTTP(S)


def open_source(source: str, ca: Path | None = None) -> Source:
    parsed = urllib.parse.urlsplit(source)
    if parsed.scheme in ("http", "https"):
        return HttpSource(source, ca)
    if parsed.scheme not in ("", "file"):
        raise PullError(message("pull_source_kind", source=source))
    return FolderSource(Path(parsed.path if parsed.scheme == "file" else source))


class Source:
    where: str

    def read(self, rel: str, limit: int) -> bytes:
        raise NotImplementedError

    def fetch(self, rel: str, part: Path, size: int) -> int:
        """Bring `rel` into `part`, going on from what `part` holds; return the bytes transferred."""
        raise NotImplementedError

    def fetch_range(self, rel: str, start: int, end: int) -> bytes | None:
        """Bytes `start` to `end` (exclusive) of `rel`; None when the source cannot send a part of a file."""
        raise NotImplementedError

    def close(self) -> None:
        pass


def _unreachable(source, detail) -> PullError:
    e = PullError(message("pull_unreachable", source=source, detail=detail))
    e.reached = False
    return e


def _missing(rel: str, where: str) -> PullError:
    e = PullError(message("pull_missing", file=rel, source=where))
    e.missing = True
    return e


class FolderSource(Source):
    def __init__(self, folder: Path):
        self.folder = folder
        self.where = str(folder)
        if not folder.is_dir():
            raise _unreachable(source=folder, detail=message("pull_no_folder"))

    def read(self, rel: str, limit: int) -> bytes:
        try:
            with open(self.folder / rel, "rb") as f:
                data = f.read(limit + 1)
        except FileNotFoundError:
            raise _missing(rel, self.where) from None
        except OSError as e:
            raise _unreachable(source=self.where, detail=e.strerror or e) from e
        if len(data) > limit:
            raise PullError(message("pull_garbage", file=rel))
        return data

    def fetch(self, rel: str, part: Path, size: int) -> int:
        have = part.stat().st_size if part.exists() else 0
        try:
            src = open(self.folder / rel, "rb")
        except FileNotFoundError:
            raise _missing(rel, self.where) from None
        except OSError as e:
            raise _unreachable(source=self.where, detail=e.strerror or e) from e
        moved = 0
        with src, open(part, "ab" if 0 < have <= size else "wb") as out:
            src.seek(have if 0 < have <= size else 0)
            while moved <= size and (chunk := src.read(CHUNK)):
                out.write(chunk)
                moved += len(chunk)
        return moved

    def fetch_range(self, rel: str, start: int, end: int) -> bytes | None:
        try:
            with open(self.folder / rel, "rb") as f:
                f.seek(start)
                return f.read(end - start)
        except FileNotFoundError:
            raise _missing(rel, self.where) from None
        except OSError as e:
            raise _unreachable(source=self.where, detail=e.strerror or e) from e


class HttpSource(Source):
    """Plain files over HTTP or HTTPS, each worker thread with its own kept-alive connection; a file begun
    before is asked for from where it stopped (a server without Range requests sends it whole)."""

    def __init__(self, base: str, ca: Path | None = None):
        self.base = base if base.endswith("/") else base + "/"
        self._context = tls_context(ca)
        self.where = self.base
        parts = urllib.parse.urlsplit(self.base)
        self._https = parts.scheme == "https"
        self._host = parts.netloc
        self._path = parts.path
        self._local = threading.local()
        self._all: list[http.client.HTTPConnection] = []

    def _connection(self) -> http.client.HTTPConnection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._https:
                conn = http.client.HTTPSConnection(self._host, timeout=TIMEOUT, context=self._context)
            else:
                conn = http.client.HTTPConnection(self._host, timeout=TIMEOUT)
            self._local.conn = conn
            self._all.append(conn)
        return conn

    def _get(self, rel: str, headers: dict) -> http.client.HTTPResponse:
        url = self._path + urllib.parse.quote(rel)
        closed = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)
        for again in (True, False):  # a kept-alive connection the server has closed is opened again, once
            conn = self._connection()
            try:
                conn.request("GET", url, headers={"User-Agent": "kiosk-pull", **headers})
                return conn.getresponse()
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                self._local.conn = None
                if not (again and isinstance(e, closed)):
                    raise _unreachable(source=self.where, detail=e) from e

    def _status(self, response, rel: str) -> None:
        if response.status == 404:
            response.read()
            raise _missing(rel, self.where)
        if response.status not in (200, 206):
            response.read()
            raise PullError(message("pull_http", source=self.where, file=rel, status=response.status))

    def read(self, rel: str, limit: int) -> bytes:
        response = self._get(rel, {})
        self._status(response, rel)
        try:
            data = response.read(limit + 1)
            if len(data) > limit:
                raise PullError(message("pull_garbage", file=rel))
            response.read()
        except (OSError, http.client.HTTPException) as e:
            self._local.conn = None
            raise _unreachable(source=self.where, detail=e) from e
        return data

    def fetch(self, rel: str, part: Path, size: int) -> int:
        have = part.stat().st_size if part.exists() else 0
        resume = 0 < have < size
        response = self._get(rel, {"Range": f"bytes={have}-"} if resume else {})
        self._status(response, rel)
        appending = resume and response.status == 206 and _range_start(response) == have
        moved = 0
        try:
            with open(part, "ab" if appending else "wb") as out:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    moved += len(chunk)
                    if moved > size:  # more than the manifest says: not the file; stop reading it
                        self._connection().close()
                        self._local.conn = None
                        break
        except (OSError, http.client.HTTPException) as e:
            if isinstance(e, OSError) and e.errno in FULL:
                raise
            self._local.conn = None
            raise _unreachable(source=self.where, detail=e) from e
        if response.length:  # the connection ended before the length the server announced: kept, resumed next
            self._local.conn = None
            raise _unreachable(source=self.where, detail=message("pull_cut", file=rel))
        return moved

    def fetch_range(self, rel: str, start: int, end: int) -> bytes | None:
        response = self._get(rel, {"Range": f"bytes={start}-{end - 1}"})
        self._status(response, rel)
        try:
            if response.status != 206 or _range_start(response) != start:
                self._connection().close()  # a whole file we did not ask for: not read
                self._local.conn = None
                return None
            data = response.read()
        except (OSError, http.client.HTTPException) as e:
            self._local.conn = None
            raise _unreachable(source=self.where, detail=e) from e
        return data if len(data) == end - start else None

    def close(self) -> None:
        for conn in self._all:
            conn.close()


def tls_context(ca: Path | None) -> ssl.SSLContext:
    """The system's authorities, and `ca` too when given (a county that runs its own)."""
    context = ssl.create_default_context()
    if ca is not None:
        context.load_verify_locations(cafile=str(ca))
    return context


def _range_start(response) -> int | None:
    found = re.match(r"bytes (\d+)-", response.getheader("Content-Range") or "")
    return int(found.group(1)) if found else None


def _json(data: bytes, name: str):
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise PullError(message("pull_garbage", file=name)) from None
