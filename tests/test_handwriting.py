"""Handwriting on the kiosk's search page: every character of the catalogue, drawn as a finger draws it,
comes back among the pad's buttons, most often first; `/api/handwriting` of `kiosk serve` answers every
request, good or broken, in JSON and plain Chinese, and the site around it keeps serving pages.

The templates are made, as the build makes them, from hanzi-writer-data (npm ci). The goals are checked on
stroke data held out from them: animCJK's zh-Hans medians and KanjiVG's strokes
(tests/fixtures/held-out-strokes), drawn as kiosk_bench.handwriting draws them: plain, with a finger's
distortion, and carelessly (strokes joined, split, backwards, swapped), seeded. Other drawings are real
stroke data of hanzi-writer-data (tests/fixtures/strokes). The HTTP tests serve a tiny site folder, not the
full build.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from browser import served
from conftest import FIXTURES, ROOT, SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import exceptions
from kiosk.catalogue.load import load_or_raise
from kiosk.problems import message
from kiosk.settings import stroke_data
from kiosk.site import handwriting, pages, strokes
from kiosk_bench import handwriting as bench

STROKES = FIXTURES / "strokes"
DRAWN = sorted(p.stem for p in STROKES.glob("*.json"))
BOX = 300
NOT_FOUND = '<!doctype html><html lang="zh-CN"><title>页面不存在</title><h1>404 找不到页面</h1></html>'
CHINESE = re.compile(r"[\u4e00-\u9fff]")
TEN = {"strokes": [[[60, 150], [240, 150]], [[150, 40], [150, 270]]], "width": BOX, "height": BOX}  # 十
DATA = stroke_data(ROOT)  # hanzi-writer-data, as npm ci installs it
# (source, way, first, among the buttons): what a drawing of a catalogue character must reach, measured in
# the README (handwriting); no character of the catalogue may be missing from the buttons every time
GOALS = [
    ("animCJK", "plain", 0.97, 1.0),
    ("animCJK", "finger", 0.90, 0.97),
    ("animCJK", "careless", 0.90, 0.97),
    ("KanjiVG", "finger", 0.90, 0.97),
]


@pytest.fixture(scope="module")
def catalogue_chars() -> str:
    """The characters the build writes to the site's assets/kiosk-chars.txt for the sample catalogue."""
    from kiosk.catalogue.view import CatalogueView

    return pages.catalogue_characters(CatalogueView(load_or_raise(SAMPLE).catalogue))


@pytest.fixture(scope="module")
def templates(catalogue_chars) -> strokes.Templates:
    """The templates the build makes of the sample's characters."""
    return strokes.Templates(strokes.medians(catalogue_chars, DATA))


def drawn(char: str) -> list[list[list[int]]]:
    """The strokes of `char` (tests/fixtures/strokes) as the pad sends them from a finger drawing them."""
    medians = json.loads((STROKES / f"{char}.json").read_text("utf-8"))["medians"]
    return bench.as_pad(bench.in_box([[(x, 900 - y) for x, y in median] for median in medians], 1024))


def drawing(char: str) -> bytes:
    return json.dumps({"strokes": drawn(char), "width": BOX, "height": BOX}).encode()


def make_site(folder, chars: str | None, with_templates: bool = False):
    """A tiny built site: a home page, mkdocs' 404.html, one matter page, the catalogue's characters and,
    when asked, their templates."""
    (folder / "matters" / "dibao-apply").mkdir(parents=True)
    (folder / "index.html").write_text('<!doctype html><html lang="zh-CN"><title>便民服务</title></html>', "utf-8")
    (folder / "404.html").write_text(NOT_FOUND, "utf-8")
    (folder / "matters" / "dibao-apply" / "index.html").write_text("<title>低保申请</title>", "utf-8")
    if chars is not None:
        (folder / "assets").mkdir()
        (folder / "assets" / "kiosk-chars.txt").write_text(chars + "\n", "utf-8")
        for name, text in pages.handwriting_templates(chars, DATA).items() if with_templates else ():
            (folder / name).write_text(text, "utf-8")
    return folder


@pytest.fixture(scope="module")
def url(tmp_path_factory, catalogue_chars):
    with served(make_site(tmp_path_factory.mktemp("site"), catalogue_chars, with_templates=True)) as url:
        yield url


def request(url: str, method: str, path: str = "api/handwriting", body: bytes | None = None, headers=None):
    """(status, headers, body) of one request."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, "/" + path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def raw(url: str, head: str, body: bytes = b"") -> tuple[int, dict]:
    """Status and JSON answer of a POST to the API written by hand: `head` holds the extra header lines.
    The client sends `body` and nothing more, then stops sending."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=5) as s:
        s.sendall(f"POST /api/handwriting HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n\r\n".encode() + body)
        s.shutdown(socket.SHUT_WR)
        answer = b"".join(iter(lambda: s.recv(65536), b""))
    status_line, _, payload = answer.partition(b"\r\n\r\n")
    return int(status_line.split()[1]), json.loads(payload)


def candidates(url: str, body: bytes) -> list[str]:
    status, _, answer = request(url, "POST", body=body)
    assert status == 200, answer.decode()
    return json.loads(answer)["candidates"]


# ---------------------------------------------------------------- reading characters


def test_this_machine_reads_handwriting():
    assert handwriting.available(), "apt-get install libzinnia0 tegaki-zinnia-simplified-chinese (see .ci/setup)"
    assert strokes.dataset_version(DATA) == "hanzi-writer-data 2.0.1", "npm ci (see .ci/setup and package.json)"


@pytest.mark.parametrize("source, way, first, among", GOALS, ids=[f"{g[0]}-{g[1]}" for g in GOALS])
def test_every_catalogue_character_drawn_from_held_out_data_is_offered(
    catalogue_chars, templates, source, way, first, among
):
    held_out = bench.sources(catalogue_chars, DATA)[source]
    if source == "animCJK":
        assert set(held_out) == set(catalogue_chars), "the whole catalogue, every character of it"
    answers = [
        (char, handwriting.classify(drawing, BOX, BOX, prefer=catalogue_chars, templates=templates))
        for char, drawing in bench.drawings(held_out, way, seed=1)
    ]
    found = bench.score(answers)
    print(f"\n{source} {way}: {found}")
    assert found["first"] >= first and found["buttons"] >= among, found
    assert found["never"] == "", f"never among the {bench.BUTTONS} buttons"


def test_without_templates_zinnia_alone_misses_characters_of_the_catalogue(catalogue_chars):
    """What the templates are for: 医, 女, 进 drawn plainly are not among Zinnia's guesses at all."""
    held_out = bench.sources(catalogue_chars, DATA)["animCJK"]
    for char, drawing in bench.drawings({c: held_out[c] for c in "医女进"}):
        assert char not in handwriting.classify(drawing, BOX, BOX, n=bench.BUTTONS, prefer=catalogue_chars), char


def test_a_character_without_a_template_keeps_the_place_zinnia_gives_it(catalogue_chars):
    """A catalogue character the dataset lacks is still read, by Zinnia: it stands where Zinnia's order of
    the catalogue's characters puts it, and the templates rank the others around it."""
    strokes_of_low = drawn("低")
    guessed = handwriting.classify(strokes_of_low, BOX, BOX, n=handwriting.POOL, prefer=catalogue_chars)
    in_order = [c for c in guessed if c in catalogue_chars]
    for place in (0, 3):
        char = in_order[place]
        without = strokes.Templates(strokes.medians(catalogue_chars.replace(char, ""), DATA))
        found = handwriting.classify(strokes_of_low, BOX, BOX, prefer=catalogue_chars, templates=without)
        assert found.index(char) == place and found.count(char) == 1, (char, found)
        assert len(found) == 10 and set(found) <= set(catalogue_chars)


def test_the_build_keeps_the_catalogues_medians_and_the_datas_licence(tmp_path, catalogue_chars):
    files = pages.handwriting_templates(catalogue_chars, DATA)
    assert set(files) == {"assets/kiosk-strokes.json", "assets/kiosk-strokes-licence.txt"}
    kept = json.loads(files["assets/kiosk-strokes.json"])
    assert kept["source"] == "hanzi-writer-data 2.0.1" and set(kept["medians"]) == set(catalogue_chars)
    assert "ARPHIC PUBLIC LICENSE" in files["assets/kiosk-strokes-licence.txt"]
    # as on a screen, y pointing down: 一's one stroke runs left to right at the middle of the box
    data = json.loads((DATA / "一.json").read_text("utf-8"))["medians"]
    assert strokes.medians("一", DATA) == {"一": [[[x, 900 - y] for x, y in stroke] for stroke in data]}
    # a character the data lacks is left out (Zinnia reads it); no data, no templates
    assert set(strokes.medians("低\ue000", DATA)) == {"低"}
    assert pages.handwriting_templates(catalogue_chars, tmp_path / "missing") == {}


def test_a_picture_does_not_depend_on_the_order_direction_or_place_of_the_strokes():
    ten = [[[60, 150], [240, 150]], [[150, 40], [150, 270]]]
    other_way = [[[150, 270], [150, 40]], [[240, 150], [60, 150]]]  # the other order, each backwards
    smaller_elsewhere = [[[x // 2 + 20, y // 2 + 30] for x, y in stroke] for stroke in ten]
    joined = [[[60, 150], [240, 150], [150, 40], [150, 270]]]  # in one stroke, with the line between
    picture = strokes.picture(ten)
    assert abs(float(picture @ picture) - 1) < 1e-9
    assert float(abs(strokes.picture(other_way) - picture).max()) < 1e-9
    assert float(abs(strokes.picture(smaller_elsewhere) - picture).max()) < 1e-6
    assert 0.2 < float(((strokes.picture(joined) - picture) ** 2).sum() ** 0.5) < 0.9  # near, not the same
    assert not strokes.picture([[[5, 5]], [[9, 9]]]).any(), "dots only: nothing to compare"


def test_preferred_characters_come_first_in_the_recognizers_order():
    strokes_of_bao = drawn("保")
    plain = handwriting.classify(strokes_of_bao, BOX, BOX, n=handwriting.POOL)
    assert len(plain) == handwriting.POOL
    prefer = plain[40] + plain[4] + plain[2] + "囧"  # in any order; a character not guessed changes nothing
    found = handwriting.classify(strokes_of_bao, BOX, BOX, prefer=prefer)
    # a guess far down the list is fetched; the rest follow as the recognizer ranked them, cut to ten
    assert found == [plain[2], plain[4], plain[40], *[c for i, c in enumerate(plain) if i not in (2, 4, 40)][:7]]
    assert handwriting.classify(strokes_of_bao, BOX, BOX, n=3) == plain[:3]


def test_a_good_body_is_read_as_points_in_a_box():
    drawn_ten = handwriting.parse(json.dumps(TEN).encode())
    assert drawn_ten == ([[(60, 150), (240, 150)], [(150, 40), (150, 270)]], BOX, BOX)
    assert "十" in handwriting.classify(*drawn_ten)[:3]


def test_a_body_over_the_limit_is_refused_before_it_is_read_as_json():
    body = json.dumps(TEN).encode().ljust(handwriting.MAX_BODY + 1)
    with pytest.raises(exceptions.BadDrawing) as refused:
        handwriting.parse(body)
    assert str(refused.value) == message("hw_too_large", kib=64)
    assert handwriting.parse(body[:-1]).width == BOX


@pytest.mark.parametrize("model", ["missing", "broken"])
def test_a_machine_without_the_model_has_no_handwriting_and_no_exception(tmp_path, monkeypatch, model):
    if model == "broken":
        (tmp_path / model).write_text("not a zinnia model")
    monkeypatch.setenv("KIOSK_ZINNIA_MODEL", str(tmp_path / model))
    assert handwriting.available() is False
    with pytest.raises(RuntimeError, match=message("hw_unavailable")):
        handwriting.classify(TEN["strokes"], BOX, BOX)


# ---------------------------------------------------------------- /api/handwriting


def test_the_kiosk_asks_whether_it_can_read_handwriting(url):
    status, headers, body = request(url, "GET")
    assert (status, json.loads(body)) == (200, {"ok": True})
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers.get_all("Cache-Control") == ["no-store"]
    status, headers, body = request(url, "HEAD")
    assert (status, body) == (200, b"")


def test_a_drawn_character_comes_back_first(url):
    status, headers, body = request(url, "POST", body=drawing("低"), headers={"Content-Type": "application/json"})
    assert status == 200
    assert json.loads(body)["candidates"][0] == "低"
    assert '"低"' in body.decode("utf-8")  # UTF-8 text, not \u escapes
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers.get_all("Cache-Control") == ["no-store"]
    assert headers["X-Content-Type-Options"] == "nosniff" and "default-src 'self'" in headers["Content-Security-Policy"]


def test_the_sites_templates_read_what_zinnia_alone_cannot(url, tmp_path, catalogue_chars):
    assert candidates(url, drawing("医"))[0] == "医"
    with served(make_site(tmp_path, catalogue_chars)) as older:  # a build without the stroke data
        assert "医" not in candidates(older, drawing("医"))


def test_drawings_sent_at_once_each_get_their_own_answer(url):
    bodies = {char: drawing(char) for char in DRAWN[:8]}
    expected = {char: candidates(url, body) for char, body in bodies.items()}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda char: (char, candidates(url, bodies[char])), [*bodies] * 4))
    assert all(found == expected[char] for char, found in answers)


def test_the_served_sites_characters_are_preferred_and_read_again_when_a_release_changes(tmp_path):
    body = drawing("保")
    current = tmp_path / "current"
    current.symlink_to(make_site(tmp_path / "release-1", None))  # an older build without the characters
    with served(current) as url:
        plain = candidates(url, body)
        # a publish swaps the symlink: the next drawing prefers the new release's characters
        make_site(tmp_path / "release-2", plain[2])
        (tmp_path / "next").symlink_to(tmp_path / "release-2")
        os.replace(tmp_path / "next", current)
        assert candidates(url, body)[0] == plain[2]
        # the file changes in place (a new modification time): read again
        chars = tmp_path / "release-2" / "assets" / "kiosk-chars.txt"
        chars.write_text(plain[4], "utf-8")
        written = chars.stat()  # a second after the write's own time: newer, without reading the clock
        os.utime(chars, ns=(written.st_atime_ns, written.st_mtime_ns + 10**9))
        assert candidates(url, body)[0] == plain[4]


def _body(**changes) -> bytes:
    """The 十 drawing with fields replaced; a field changed to ... is left out."""
    data = {**TEN, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...}, separators=(",", ":")).encode()


MALFORMED = [
    ("not JSON", b"strokes=1&width=300", "hw_not_json", {}),
    ("not UTF-8", b'{"strokes": "\xff\xfe"}', "hw_not_json", {}),
    ("nested too deep", b"[" * 30_000 + b"]" * 30_000, "hw_not_json", {}),
    ("a number of 5000 digits", b'{"width": ' + b"9" * 5000 + b"}", "hw_not_json", {}),
    ("a list", b"[[[1, 2]]]", "hw_not_object", {}),
    ("a string", '"十"'.encode(), "hw_not_object", {}),
    ("no width", _body(width=...), "hw_bad_box", {"max": 4096}),
    ("width a float", _body(width=300.0), "hw_bad_box", {"max": 4096}),
    ("width a string", _body(width="300"), "hw_bad_box", {"max": 4096}),
    ("width true", _body(width=True), "hw_bad_box", {"max": 4096}),
    ("width 0", _body(width=0), "hw_bad_box", {"max": 4096}),
    ("height 4097", _body(height=4097), "hw_bad_box", {"max": 4096}),
    ("no strokes", _body(strokes=...), "hw_bad_strokes", {}),
    ("strokes an object", _body(strokes={"1": [[1, 1]]}), "hw_bad_strokes", {}),
    ("a stroke of numbers", _body(strokes=[[10, 10]]), "hw_bad_strokes", {}),
    ("a point of three numbers", _body(strokes=[[[1, 2, 3]]]), "hw_bad_strokes", {}),
    ("a point of floats", _body(strokes=[[[1.5, 2]]]), "hw_bad_strokes", {}),
    ("a point of strings", _body(strokes=[[["1", "2"]]]), "hw_bad_strokes", {}),
    ("a point of true", _body(strokes=[[[True, 1]]]), "hw_bad_strokes", {}),
    ("a point null", _body(strokes=[[None]]), "hw_bad_strokes", {}),
    ("empty", _body(strokes=[]), "hw_no_strokes", {}),
    ("an empty stroke", _body(strokes=[[[1, 1]], []]), "hw_no_strokes", {}),
    ("31 strokes", _body(strokes=[[[1, 1]]] * 31), "hw_too_many_strokes", {"count": 31, "max": 30}),
    (
        "501 points in a stroke",
        _body(strokes=[[[1, 1]], [[1, 1]] * 501]),
        "hw_long_stroke",
        {"stroke": 2, "count": 501, "max": 500},
    ),
    (
        "5001 points",
        _body(strokes=[[[1, 1]] * 500] * 10 + [[[1, 1]]]),
        "hw_too_many_points",
        {"count": 5001, "max": 5000},
    ),
    (
        "a point right of the box",
        _body(strokes=[[[10, 10], [301, 10]]]),
        "hw_outside",
        {"stroke": 1, "x": 301, "y": 10, "width": 300, "height": 300},
    ),
    (
        "a point above the box",
        _body(strokes=[[[10, 10]], [[20, -1]]]),
        "hw_outside",
        {"stroke": 2, "x": 20, "y": -1, "width": 300, "height": 300},
    ),
]


@pytest.mark.parametrize("body, key, values", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_a_malformed_drawing_is_answered_400_in_plain_chinese(url, body, key, values):
    assert len(body) <= handwriting.MAX_BODY
    status, headers, answer = request(url, "POST", body=body)
    assert status == 400
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(answer) == {"error": message(key, **values)}
    assert CHINESE.search(json.loads(answer)["error"])


@pytest.mark.parametrize(
    "head, status, key",
    [
        ("Transfer-Encoding: chunked", 411, "hw_no_length"),
        ("Content-Length: ten", 400, "hw_bad_length"),
        ("Content-Length: -1", 400, "hw_bad_length"),
        ("Content-Length: 100", 400, "hw_incomplete"),  # announced, then not sent
        (f"Content-Length: {handwriting.MAX_BODY + 1}", 413, "hw_too_large"),
        ("Content-Length: 10000000", 413, "hw_too_large"),
        ("Content-Length: " + "9" * 5000, 413, "hw_too_large"),
    ],
)
def test_a_body_of_unknown_or_excessive_length_is_refused_without_reading_it(url, head, status, key):
    # the client sends the headers only: a server that waited for the body would answer hw_incomplete
    start = time.monotonic()
    assert raw(url, head) == (status, {"error": message(key, kib=64)})
    assert time.monotonic() - start < 2


def test_a_request_the_http_layer_refuses_is_answered_in_json_too(url):
    head = "\r\n".join(f"X-Header-{i}: {i}" for i in range(101)) + "\r\nContent-Length: 0"
    assert raw(url, head) == (431, {"error": message("page_error", code=431)})


def test_a_body_of_exactly_the_limit_is_read(url):
    body = json.dumps(TEN).encode().ljust(handwriting.MAX_BODY)
    status, answer = raw(url, f"Content-Length: {len(body)}", body)
    assert status == 200 and "十" in answer["candidates"][:3]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "BREW"])
def test_another_method_on_the_api_is_405(url, method):
    status, headers, body = request(url, method, body=b"{}")
    assert (status, json.loads(body)) == (405, {"error": message("hw_method")})
    assert headers["Allow"] == "GET, HEAD, POST"


def test_without_a_recognizer_the_kiosk_is_told_so_and_pages_still_serve(url, tmp_path, monkeypatch):
    monkeypatch.setenv("KIOSK_ZINNIA_MODEL", str(tmp_path / "missing.model"))
    status, _, body = request(url, "GET")
    assert (status, json.loads(body)) == (503, {"ok": False})
    status, _, body = request(url, "POST", body=json.dumps(TEN).encode())
    assert (status, json.loads(body)) == (503, {"error": message("hw_unavailable")})
    status, _, body = request(url, "GET", "index.html")
    assert status == 200 and "便民服务" in body.decode()


# ---------------------------------------------------------------- the pages around it


def test_a_missing_page_is_the_sites_own_404(url):
    status, headers, body = request(url, "GET", "matters/no-such-matter/")
    assert (status, body.decode("utf-8")) == (404, NOT_FOUND)
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers.get_all("Cache-Control") == ["no-cache"] and headers["X-Content-Type-Options"] == "nosniff"
    status, _, body = request(url, "HEAD", "no-such-page.html")
    assert (status, body) == (404, b"")
    assert request(url, "GET", "api/handwriting/")[0] == 404  # only the exact API path is the API


def test_a_folder_without_its_slash_still_redirects(url):
    status, headers, _ = request(url, "GET", "matters/dibao-apply")
    assert (status, headers["Location"]) == (301, "/matters/dibao-apply/")
    status, _, body = request(url, "GET", "matters/dibao-apply/")
    assert status == 200 and "低保申请" in body.decode()


def test_without_a_404_page_errors_are_still_in_chinese(tmp_path):
    site = make_site(tmp_path, None)
    (site / "404.html").unlink()
    with served(site) as url:
        status, headers, body = request(url, "GET", "no-such-page/")
        assert status == 404 and headers["Content-Type"] == "text/html; charset=utf-8"
        assert 'lang="zh-CN"' in body.decode() and message("page_not_found") in body.decode()
        status, _, body = request(url, "POST", "index.html", body=b"{}")
        assert status == 501 and message("page_error", code=501) in body.decode()


# ---------------------------------------------------------------- anything at all


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 5000) | st.floats() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=40,
)
points = st.lists(st.integers(-5, 320), min_size=1, max_size=3) | json_values
drawings = st.fixed_dictionaries(
    {},
    optional={
        "strokes": st.lists(st.lists(points, max_size=12), max_size=6) | json_values,
        "width": st.sampled_from([BOX, 1, 4096, 4097, 0]) | json_values,
        "height": st.sampled_from([BOX, 1, 4096, 4097, 0]) | json_values,
    },
)
bodies = (
    drawings.map(lambda d: json.dumps(d).encode())
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=200)
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies)
def test_any_body_is_answered_200_or_400_never_with_a_traceback(url, body):
    status, headers, answer = request(url, "POST", body=body)
    assert status in (200, 400), answer
    assert headers["Content-Type"] == "application/json; charset=utf-8" and b"Traceback" not in answer
    data = json.loads(answer)
    if status == 200:
        assert all(isinstance(c, str) and len(c) == 1 for c in data["candidates"])
    else:
        assert CHINESE.search(data["error"])


def test_a_recording_is_served_in_the_parts_a_player_asks_for(tmp_path):
    """The 朗读 player asks for byte ranges to learn a recording's length and to seek (RFC 9110 §14)."""
    site = make_site(tmp_path / "site", None)
    (site / "audio").mkdir()
    data = bytes(range(256)) * 40  # 10,240 bytes
    (site / "audio" / "dibao-apply.opus").write_bytes(data)
    size = len(data)
    with served(site) as url:
        get = lambda **h: request(url, "GET", "audio/dibao-apply.opus", headers=h)  # noqa: E731
        status, headers, body = get()
        assert (status, body, headers["Accept-Ranges"]) == (200, data, "bytes")
        assert headers["Content-Type"] == "audio/ogg"
        for asked, (first, last) in {
            "bytes=0-3": (0, 3),
            "bytes=100-": (100, size - 1),
            "bytes=-16": (size - 16, size - 1),
            "bytes=10000-99999": (10000, size - 1),
            "bytes = 5 - 9": (5, 9),
        }.items():
            status, headers, body = get(Range=asked)
            assert status == 206, asked
            assert headers["Content-Range"] == f"bytes {first}-{last}/{size}", asked
            assert body == data[first : last + 1] and int(headers["Content-Length"]) == len(body), asked
            assert headers["Content-Type"] == "audio/ogg"
        for past in ("bytes=10240-", "bytes=-0", "bytes=9-3"):
            status, headers, body = get(Range=past)
            assert (status, headers["Content-Range"], body) == (416, f"bytes */{size}", b""), past
        for whole in ("bytes=0-1,5-6", "items=0-3", "bytes=-", "bytes=abc"):
            assert get(Range=whole)[::2] == (200, data), whole
        assert get(Range="bytes=0-3", **{"If-Range": '"x"'})[::2] == (200, data), "If-Range: the whole file"
        status, headers, body = request(url, "HEAD", "audio/dibao-apply.opus", headers={"Range": "bytes=0-3"})
        assert status == 206 and headers["Content-Length"] == "4" and body == b""
        status, _, body = request(url, "GET", "no/such.opus", headers={"Range": "bytes=0-3"})
        assert status == 404
