"""From the county to a hall: signed releases pulled over HTTP (or from a folder), and each hall's report back.

The county's releases here are small folders of files made with the same `add_release` a publish uses (a
real publish and pull of the sample catalogue is tests/test_county.py's). Whatever goes wrong — a changed
file, a wrong key, an old release replayed, a download cut off, a server that is down or answers nonsense,
a full disk, kill -9 at any moment — `live` stays as it was and whole, and the next pull succeeds.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import resource
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import run_kiosk
from killpoint import kill, stopped_at

from kiosk.publish import pull as puller
from kiosk.publish import releases, server, signing, status

TOWNSHIP = "dahepingxiang"
ABOUT = {
    "township": TOWNSHIP,
    "center_name": "大合坪乡",
    "catalogue_version": "2026.1",
    "effective_date": "2026-03-01",
}
BIG = 300_000  # bytes of the release's largest file (the booklet's place)


def files(version: str = "一") -> dict[str, bytes]:
    rng = random.Random(7)
    return {
        "site/index.html": f"<p>首页 {version}</p>".encode(),
        "site/matters/dibao-apply/index.html": f"<p>低保 {version}</p>".encode(),
        "site/matters/canji-butie/index.html": "<p>残疾人补贴</p>".encode(),
        "site/sheets/booklet.pdf": rng.randbytes(BIG),
        "catalogue/_catalogue.yaml": b"version: '2026.1'\n",
    }


def publish(county: Path, content: dict[str, bytes], key, about=ABOUT) -> Path:
    """A release of `content` in the township folder `county`, as `kiosk publish` makes one."""

    def fill(staging: Path) -> None:
        for rel, data in content.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)

    with releases.locked(county, "publish", 0):
        return releases.add_release(county, about, fill, key, keep=5)


def tree(folder: Path) -> dict[str, str]:
    folder = Path(os.path.realpath(folder))
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class Recording(server.Handler):
    """The county's server, keeping the Range headers it was asked with; it can cut a file off halfway
    (`cut`) or go slow (`slow`: seconds per 16 KiB) for a pull to be killed in the middle."""

    ranges: list = []
    cut: set = set()
    slow = 0.0

    def do_GET(self):
        self.ranges.append(self.headers.get("Range"))
        super().do_GET()

    def copyfile(self, source, outputfile):
        if any(self.path.endswith(name) for name in self.cut):
            data = source.read()
            outputfile.write(data[: len(data) // 2])
            self.close_connection = True
            return
        if self.slow:
            while chunk := source.read(16384):
                outputfile.write(chunk)
                time.sleep(self.slow)
            return
        super().copyfile(source, outputfile)


@pytest.fixture
def county(tmp_path):
    """The county: its key pair, a publish folder with a township's first release, served over HTTP."""
    keys = tmp_path / "keys"
    signing.init(keys, "county")
    root = tmp_path / "county"
    key = signing.load_private(keys / "county.key")
    publish(root / TOWNSHIP, files(), key)

    class Handler(Recording):
        ranges, cut, slow = [], set(), 0.0

    import functools
    import http.server

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, folder=root))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/{TOWNSHIP}/"
    yield type(
        "County",
        (),
        {
            "root": root,
            "folder": root / TOWNSHIP,
            "key": key,
            "pub": keys / "county.pub",
            "url": url,
            "handler": Handler,
        },
    )
    httpd.shutdown()
    httpd.server_close()


def pull(county, hall: Path, **kw):
    return puller.pull(kw.pop("source", county.url), signing.load_public(county.pub), hall, **kw)


def live_of(hall: Path) -> tuple[str, dict[str, str]]:
    """Where `live` points and what it holds; checks it is whole against its manifest."""
    live = releases.live_release(hall)
    releases.verify_manifest(live)
    return live.name, tree(live)


# ---------------------------------------------------------------- taking releases


def test_a_hall_takes_the_release_then_only_what_changed(county, tmp_path):
    hall = tmp_path / "hall"
    first = pull(county, hall)
    assert first.new and first.fetched == 5 and first.reused == 0
    assert tree(hall / "live") == tree(county.folder / "live"), "the hall holds what the county published"
    again = pull(county, hall)
    assert not again.new and again.fetched == 0, "nothing new: one small request"
    publish(county.folder, files("二"), county.key)
    second = pull(county, hall)
    assert second.new and second.fetched == 2 and second.reused == 3
    assert second.fetched_bytes < 100, "the big file that did not change is not fetched again"
    assert (hall / "live" / "site" / "index.html").read_text("utf-8") == "<p>首页 二</p>"
    assert len(releases.releases_of(hall)) == 2 and not (hall / puller.INCOMING).exists()


def test_a_folder_works_as_the_source_too(county, tmp_path):
    hall = tmp_path / "hall"
    assert pull(county, hall, source=str(county.folder)).new
    assert tree(hall / "live") == tree(county.folder / "live")


def test_a_changed_file_is_refused_and_live_stays(county, tmp_path):
    hall = tmp_path / "hall"
    pull(county, hall)
    before = live_of(hall)
    second = publish(county.folder, files("二"), county.key)
    page = second / "site" / "index.html"
    page.write_bytes(b"<p>someone on the way</p>")  # same size or not, the hash tells
    with pytest.raises(releases.PublishError, match="与清单不符"):
        pull(county, hall)
    assert live_of(hall) == before
    page.write_bytes("<p>首页 二</p>".encode())
    assert pull(county, hall).new, "the next pull, the file put right, succeeds"


def test_a_changed_manifest_or_another_key_is_refused(county, tmp_path):
    hall = tmp_path / "hall"
    pull(county, hall)
    before = live_of(hall)
    second = publish(county.folder, files("二"), county.key)
    manifest = second / releases.MANIFEST
    good = manifest.read_bytes()
    manifest.write_bytes(good.replace(b'"sequence": 2', b'"sequence": 9'))
    with pytest.raises(releases.PublishError, match="签名不对"):
        pull(county, hall)
    assert live_of(hall) == before
    manifest.write_bytes(good)
    signing.init(tmp_path / "other", "county")  # a hall given another county's key
    with pytest.raises(releases.PublishError, match="不是本机认的县里钥匙"):
        puller.pull(county.url, signing.load_public(tmp_path / "other" / "county.pub"), hall)
    assert live_of(hall) == before
    assert pull(county, hall).new


def test_an_unsigned_release_is_refused(county, tmp_path):
    hall = tmp_path / "hall"
    publish(county.folder, files("二"), None)
    with pytest.raises(releases.PublishError, match="没有签名"):
        pull(county, hall)
    assert not (hall / "live").exists()


def test_an_older_release_replayed_is_refused_and_a_signed_rollback_is_taken(county, tmp_path):
    hall = tmp_path / "hall"
    first = releases.live_release(county.folder)
    old_latest = (county.folder / releases.LATEST).read_bytes()
    publish(county.folder, files("二"), county.key)
    pull(county, hall)
    before = live_of(hall)
    (county.folder / releases.LATEST).write_bytes(old_latest)  # the first release, validly signed, replayed
    with pytest.raises(releases.PublishError, match="不比在用的 2 新"):
        pull(county, hall)
    assert live_of(hall) == before
    back = releases.rollback(county.folder, wait=0, key=county.key)  # the county takes it back: a new release
    assert releases.read_manifest(back)["sequence"] == 3 and releases.read_manifest(back)["rollback_of"] == first.name
    assert pull(county, hall).new
    assert (hall / "live" / "site" / "index.html").read_text("utf-8") == "<p>首页 一</p>"
    assert pull(county, hall).fetched == 0


def test_another_townships_release_is_refused(county, tmp_path):
    hall = tmp_path / "hall"
    pull(county, hall)
    publish(county.folder, files("二"), county.key, about={**ABOUT, "township": "guanzhuangzhen"})
    with pytest.raises(releases.PublishError, match="这是 guanzhuangzhen 的版本"):
        pull(county, hall)


def booklet(changed: int | None = None) -> bytes:
    """A PDF-like file of 3 MB: 3000 objects of random bytes; object `changed` says something else."""
    rng = random.Random(11)
    objects = [f"{n} 0 obj\n".encode() + rng.randbytes(1000) + b"\nendobj\n" for n in range(3000)]
    if changed is not None:
        objects[changed] = f"{changed} 0 obj\n".encode() + b"another sheet, longer than before" * 40 + b"\nendobj\n"
    return b"%PDF-1.7\n" + b"".join(objects) + b"xref\ntrailer\n%%EOF\n"


def test_a_big_file_changed_in_the_middle_is_fetched_in_the_pieces_that_changed(county, tmp_path):
    hall = tmp_path / "hall"
    publish(county.folder, {**files(), "site/sheets/booklet.pdf": booklet()}, county.key)
    pull(county, hall)
    publish(county.folder, {**files(), "site/sheets/booklet.pdf": booklet(changed=1500)}, county.key)
    county.handler.ranges.clear()
    second = pull(county, hall)
    assert second.fetched == 1 and second.fetched_bytes < 200_000, "a few pieces of 3 MB, not the whole"
    assert [r for r in county.handler.ranges if r], "asked for by byte ranges"
    assert tree(hall / "live") == tree(county.folder / "live")


def test_a_web_server_without_byte_ranges_serves_as_well(county, tmp_path):
    """`python3 -m http.server`, as the README says to try it: no ranges, no kept-alive connections."""
    import functools
    import http.server

    hall = tmp_path / "hall"
    publish(county.folder, {**files(), "site/sheets/booklet.pdf": booklet()}, county.key)
    plain = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=county.root)
    )
    threading.Thread(target=plain.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{plain.server_address[1]}/{TOWNSHIP}/"
    try:
        pull(county, hall, source=url)
        publish(county.folder, {**files("二"), "site/sheets/booklet.pdf": booklet(changed=5)}, county.key)
        assert pull(county, hall, source=url).new
    finally:
        plain.shutdown()
        plain.server_close()
    assert tree(hall / "live") == tree(county.folder / "live")


# ---------------------------------------------------------------- the network and the disk


def test_a_download_cut_off_leaves_live_and_the_next_pull_resumes_it(county, tmp_path):
    hall = tmp_path / "hall"
    pull(county, hall)
    before = live_of(hall)
    content = files("二")
    content["site/sheets/booklet.pdf"] = random.Random(8).randbytes(BIG)
    publish(county.folder, content, county.key)
    county.handler.cut.add("booklet.pdf")
    with pytest.raises(releases.PublishError, match="连不上"):
        pull(county, hall)
    assert live_of(hall) == before
    parts = list((hall / puller.INCOMING).glob("*.part"))
    assert parts and 0 < parts[0].stat().st_size < BIG, "the half that came is kept"
    county.handler.cut.clear()
    county.handler.ranges.clear()
    assert pull(county, hall).new
    assert f"bytes={BIG // 2}-" in county.handler.ranges, "the file is asked for from where it stopped"
    assert tree(hall / "live") == tree(county.folder / "live")


def test_a_server_that_is_down_or_answers_nonsense_leaves_live(county, tmp_path):
    hall = tmp_path / "hall"
    pull(county, hall)
    before = live_of(hall)
    with pytest.raises(releases.PublishError, match="连不上") as down:
        pull(county, hall, source="http://127.0.0.1:9/dahepingxiang/")  # nothing listens on the discard port
    assert not down.value.reached
    (county.folder / releases.LATEST).write_text("<html>维护中</html>", "utf-8")
    with pytest.raises(releases.PublishError, match="收到的 latest.json 不对"):
        pull(county, hall)
    (county.folder / releases.LATEST).write_text(json.dumps({"release": "../../etc"}), "utf-8")
    with pytest.raises(releases.PublishError, match="收到的 latest.json 不对"):
        pull(county, hall)
    assert live_of(hall) == before


def test_https_with_the_countys_own_authority(county, tmp_path):
    """Over HTTPS a hall trusts the system's authorities, and with `kiosk pull --ca` the county's own."""
    import functools
    import http.server
    import ssl

    from kiosk.desk import tls

    made = tls.make(tmp_path / "tls", ["127.0.0.1"])
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(server.Handler, folder=county.root))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(made.cert, made.key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{httpd.server_address[1]}/{TOWNSHIP}/"
    hall = tmp_path / "hall"
    try:
        with pytest.raises(releases.PublishError, match="连不上.*CERTIFICATE_VERIFY_FAILED"):
            pull(county, hall, source=url)
        said = run_kiosk("pull", "--from", url, "--key", county.pub, "--to", hall, "--ca", tmp_path / "tls" / "ca.pem")
        assert said.returncode == 0, said.stdout + said.stderr
        assert "已更新到" in said.stdout
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert tree(hall / "live") == tree(county.folder / "live")


def _kiosk_pull(county, hall: Path, *more, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "pull", "--from", county.url, "--key", county.pub, "--to", hall, *more],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def test_a_full_disk_leaves_live_and_says_so(county, tmp_path):
    hall = tmp_path / "hall"
    pull(county, hall)
    before = live_of(hall)
    content = files("二")
    content["site/sheets/booklet.pdf"] = random.Random(9).randbytes(BIG)
    publish(county.folder, content, county.key)

    def small_disk():  # no file of this process may grow past 100 kB: the disk is full for it
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))

    run = _kiosk_pull(county, hall, preexec_fn=small_disk)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 1 and "本机磁盘满了" in err and "在用的版本不变" in err, err
    assert "Traceback" not in err
    assert live_of(hall) == before
    assert json.loads((hall / status.HALL_STATUS).read_text("utf-8"))["last_error"].startswith("本机磁盘满了")
    assert pull(county, hall).new


@pytest.fixture
def changing(county, tmp_path):
    """A hall with the first release live, and a second at the county with two dozen more files to fetch."""
    hall = tmp_path / "hall"
    pull(county, hall)
    content = {**files("二"), **{f"site/audio/{n}.opus": random.Random(n).randbytes(64_000) for n in range(24)}}
    publish(county.folder, content, county.key)
    return hall, live_of(hall), tree(county.folder / "live")


def finishes(county, hall: Path, new: dict) -> None:
    """The next `kiosk pull` takes the new release whole and leaves nothing behind."""
    result = run_kiosk("pull", "--from", county.url, "--key", county.pub, "--to", hall)
    assert result.returncode == 0, result.stderr
    assert tree(hall / "live") == new
    assert not (hall / puller.INCOMING).exists() and not list((hall / "releases").glob(".*"))


@pytest.mark.parametrize("point", ["pull-fetching", "pull-placing", "pull-switch"])
def test_a_pull_killed_at_each_step_leaves_live_whole_and_the_next_finishes(county, changing, point):
    hall, old, new = changing
    kill(stopped_at(point, "pull", "--from", county.url, "--key", county.pub, "--to", hall, cwd=hall.parent))
    assert live_of(hall) == old, "killed before the switch: the old release, whole"
    finishes(county, hall, new)


def test_kill_9_at_random_moments_of_a_transfer_leaves_live_whole(county, changing):
    """Killed anywhere while files arrive (slowly): `live` is the old release, whole; the next pull succeeds."""
    hall, old, new = changing
    county.handler.slow = 0.05  # 1.5 MB at 16 KiB a 50 ms, 4 at a time: about a second of transfer
    rng, midway = random.Random(2026), 0
    for _ in range(3):
        incoming = hall / puller.INCOMING
        before = set(incoming.iterdir()) if incoming.is_dir() else set()
        run = _kiosk_pull(county, hall, start_new_session=True)
        deadline = time.monotonic() + 30
        while run.poll() is None and time.monotonic() < deadline:  # until a file begins to arrive
            if incoming.is_dir() and set(incoming.iterdir()) - before:
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 1.0))
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
        out, err = run.communicate()
        assert run.returncode in (0, -signal.SIGKILL), err
        name, held = live_of(hall)
        assert (name, held) == old or held == new, "the old release or, killed after the switch, the new"
        midway += run.returncode == -signal.SIGKILL and (name, held) == old
    assert midway >= 2, "most kills land while files arrive"
    county.handler.slow = 0
    finishes(county, hall, new)


# ---------------------------------------------------------------- the command, and what every hall shows


def test_kiosk_pull_reports_and_the_county_sees_each_hall(county, tmp_path):
    hall = tmp_path / "hall"
    run_kiosk("key", "init", "--dir", tmp_path / "hallkeys", "--name", "hall")
    (county.folder / status.HALL_KEY).write_bytes((tmp_path / "hallkeys" / "hall.pub").read_bytes())
    args = (
        "pull",
        "--from",
        county.url,
        "--key",
        county.pub,
        "--to",
        hall,
        "--hall-key",
        tmp_path / "hallkeys/hall.key",
    )
    first = run_kiosk(*args)
    assert first.returncode == 0 and "已更新到" in first.stdout, first.stderr
    assert "大合坪乡（dahepingxiang）：最新" in run_kiosk("status", "--to", county.root).stdout
    publish(county.folder, files("二"), county.key)
    behind = run_kiosk("status", "--to", county.root).stdout
    assert "大合坪乡（dahepingxiang）：落后" in behind and "县里最新 #2" in behind and "大厅在用 #1" in behind
    second = run_kiosk(*args)
    assert second.returncode == 0 and second.stderr == "", second.stderr
    rows = json.loads(run_kiosk("status", "--to", county.root, "--json").stdout)
    assert [(r["township"], r["state"], r["hall_sequence"]) for r in rows] == [(TOWNSHIP, "up_to_date", 2)]
    later = status.halls(county.root, at=status.now() + status.SILENT * 2)
    assert later[0].state == "silent", "a hall not heard from for more than a day"
    page = urllib.request.urlopen(county.url.rsplit("/", 2)[0] + "/").read().decode("utf-8")
    assert "大合坪乡" in page and "最新" in page
    # the server is down: the hall says why, keeps its live release, and records it
    down = run_kiosk(
        "pull", "--from", "http://127.0.0.1:9/x/", "--key", county.pub, "--to", hall, "--township", TOWNSHIP
    )
    assert down.returncode == 1 and "没能更新，在用的版本不变：连不上" in down.stderr and "Traceback" not in down.stderr
    recorded = json.loads((hall / status.HALL_STATUS).read_text("utf-8"))
    assert recorded["sequence"] == 2 and recorded["last_error"].startswith("连不上")


def test_a_hall_cannot_report_for_another_township(county, tmp_path):
    other = county.root / "guanzhuangzhen"
    publish(other, files(), county.key, about={**ABOUT, "township": "guanzhuangzhen", "center_name": "官庄镇"})
    for place, name in ((county.folder, "a"), (other, "b")):
        signing.init(tmp_path / name, "hall")
        (place / status.HALL_KEY).write_bytes((tmp_path / name / "hall.pub").read_bytes())
    hall_b = signing.load_private(tmp_path / "b" / "hall.key")
    base = county.url.rsplit("/", 2)[0]

    def post(township: str, body: bytes) -> int:
        request = urllib.request.Request(f"{base}/{township}/{status.REPORT}", data=body, method="POST")
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status
        except urllib.error.HTTPError as e:
            return e.code

    claim = {"township": TOWNSHIP, "release": "x", "sequence": 99, "last_pull": status.now().isoformat(), "report": 1}
    assert post(TOWNSHIP, status.signed(claim, hall_b)) == 403, "hall B's key speaks for township A"
    own = {**claim, "township": "guanzhuangzhen"}
    assert post(TOWNSHIP, status.signed(own, hall_b)) == 403, "hall B's own report sent to A's address"
    assert not (county.folder / status.REPORT).exists()
    assert post("guanzhuangzhen", status.signed(own, hall_b)) == 204
    assert post("guanzhuangzhen", status.signed(own, hall_b)) == 409, "the same report again is not newer"
    assert post(TOWNSHIP, b"nonsense") == 400
    # a report laid in the folder by hand is checked when read: B's key does not speak for A
    (county.folder / status.REPORT).write_bytes(status.signed(claim, hall_b))
    a, b = status.halls(county.root)
    assert (
        a.township == TOWNSHIP and a.status is None and a.state == "unknown" and "一个大厅只能报自己乡镇" in a.problem
    )
    assert b.status["sequence"] == 99


def test_a_report_refused_before_its_body_is_read_closes_its_connection(county):
    """The county server keeps connections alive: a report it refuses unread (wrong address, too long) must not
    leave its body to be read as the next request on that connection."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(county.url)
    body = b"GET /dahepingxiang/manifest.json HTTP/1.1\r\nHost: x\r\n\r\n"  # what the unread body would pass for
    for path, length, code in (
        ("/nowhere/" + status.REPORT, len(body), 404),
        (f"/{TOWNSHIP}/{status.REPORT}", status.REPORT_MAX + 1, 413),
    ):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.putrequest("POST", path)
            connection.putheader("Content-Length", str(length))
            connection.endheaders(body)
            response = connection.getresponse()
            assert response.status == code and "error" in json.loads(response.read())
            assert response.will_close, path
        finally:
            connection.close()


def test_the_county_server_lists_no_folder_and_no_hidden_file(county):
    for path in ("", "releases/", ".lock"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(county.url + path)
        assert refused.value.code == 404
    assert json.loads(urllib.request.urlopen(county.url + releases.LATEST).read())["sequence"] == 1


def test_the_signing_key_is_only_the_countys(tmp_path):
    result = run_kiosk("key", "init", "--dir", tmp_path / "keys")
    assert result.returncode == 0 and "BEGIN PUBLIC KEY" in result.stdout
    private = tmp_path / "keys" / "county.key"
    assert private.stat().st_mode & 0o777 == 0o600 and (tmp_path / "keys").stat().st_mode & 0o777 == 0o700
    again = run_kiosk("key", "init", "--dir", tmp_path / "keys")
    assert again.returncode == 1 and "已经有钥匙了" in again.stderr
    private.chmod(0o644)
    with pytest.raises(releases.PublishError, match="别人也能读"):
        signing.load_private(private)
