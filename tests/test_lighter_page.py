"""A lighter kiosk page (issue 23, point 8): a matter page loads at most 200 KB with an empty cache, none of the
theme's JavaScript and only the part of its stylesheet the pages use (kiosk.site.stylesheet); every text file
of the site has its gzip beside it (kiosk.site.compress), which `kiosk serve` sends to a browser that accepts
gzip, and only then."""

from __future__ import annotations

import gzip
import http.client
import os
from urllib.parse import urlsplit

import pytest
from browser import served

from kiosk.site import compress, stylesheet
from kiosk_bench.page import loaded_files, weight

LIMIT_KB = 200


def matter_pages(site):
    return sorted(site.glob("matters/*/index.html"))


def test_a_matter_page_with_all_it_loads_is_at_most_200_kb_cold(built_site):
    built_site = built_site.resolve()
    pages = matter_pages(built_site)
    assert len(pages) > 20
    for page in pages:
        names = {p.relative_to(built_site).as_posix() for p in loaded_files(built_site, page)}
        assert names == {
            "assets/favicon.svg",
            stylesheet.NAME,
            "assets/kiosk.css",
            "assets/kiosk-search.js",
            "assets/kiosk.js",
        }, page
        cold, sent = weight(built_site, page)
        assert cold <= LIMIT_KB * 1024, f"{page}: {cold / 1024:.0f} KB"
        assert sent < cold / 2, f"{page}: {sent / 1024:.0f} KB sent gzipped of {cold / 1024:.0f} KB"


def test_no_page_loads_the_themes_javascript_nor_its_whole_stylesheet(built_site):
    built_site = built_site.resolve()
    for page in built_site.rglob("*.html"):
        text = page.read_text("utf-8")
        for name in ("assets/javascripts/", "bundle.", "assets/stylesheets/", '<script id="__config"', "__md_"):
            assert name not in text, f"{page}: {name}"
        for path in loaded_files(built_site, page):  # every file a page names is there
            assert path.is_relative_to(built_site)
    assert not (built_site / "assets" / "javascripts").exists(), "the theme's scripts are not published"
    assert not (built_site / "assets" / "stylesheets").exists()
    assert (built_site / stylesheet.NAME).stat().st_size < 40 * 1024, "the theme's 138 KB cut to what the kiosk uses"


def test_every_text_file_has_a_gzip_that_holds_exactly_it(built_site):
    texts = compress.text_files(built_site)
    assert {p.suffix for p in texts} >= {".html", ".css", ".js", ".txt", ".xml"}
    for path in texts:
        packed = compress.packed(path)
        data = packed.read_bytes()
        assert gzip.decompress(data) == path.read_bytes(), path
        assert data[4:8] == b"\0\0\0\0" and not data[3] & 0x08, f"{packed}: a time or a name in the gzip"
    for kind in ("*.opus", "*.pdf"):  # compressed already
        assert list(built_site.rglob(kind))
        assert not [p for p in built_site.rglob(kind + ".gz")]


# ---------------------------------------------------------------- the stylesheet cut to what pages use


THEME = """@charset "UTF-8";
:root{--md-a:red;--md-b:var(--md-c);--md-c:blue;--md-unused:green;--md-page:1px}
html{color:var(--md-a)}
.md-typeset .admonition{color:var(--md-unused)}
.md-typeset a,.md-typeset code{color:var(--md-b)}
[dir=rtl] .md-typeset a{margin:0}
[dir=ltr] .md-typeset a{margin:1px}
.md-typeset details[open]>summary:after{transform:rotate(90deg)}
.md-typeset :not(.zz)>p{margin:0}
#kiosk-qr{z-index:9}
#other{z-index:1}
.md-header__title--active .md-header__topic{opacity:0}
@media screen and (max-width:30em){.md-typeset a{padding:0}.md-nav{display:none}}
@media print{.md-nav{display:none}}
@keyframes spin{0%{transform:none}to{transform:rotate(1turn)}}
@keyframes pulse{0%{opacity:1}to{opacity:0}}
.md-typeset summary{animation:pulse 1s}
.md-tooltip{animation:spin 1s}
"""


def test_the_theme_stylesheet_keeps_only_what_may_match_a_page():
    words = {"html", "md-typeset", "a", "p", "details", "summary", "ltr", "kiosk-qr", "md-page"}
    words |= {"md-header__title--active", "md-header__topic"}  # named by a script only: kept
    cut = stylesheet.trim(THEME, words, reads={"md-a"})
    kept = [
        "html{color:var(--md-a)}",
        ".md-typeset a{color:var(--md-b)}",  # the selector of the list that names code is gone
        "[dir=ltr] .md-typeset a{margin:1px}",
        ".md-typeset details[open]>summary:after{transform:rotate(90deg)}",  # a state the browser sets
        ".md-typeset :not(.zz)>p{margin:0}",
        "#kiosk-qr{z-index:9}",
        ".md-header__title--active .md-header__topic{opacity:0}",
        "@media screen and (max-width:30em){.md-typeset a{padding:0}}",
        "@keyframes pulse",
        ".md-typeset summary{animation:pulse 1s}",
    ]
    for rule in kept:
        assert rule in cut, rule
    for gone in ("admonition", "code", "rtl", "#other", "md-nav", "@media print", "spin", "md-tooltip"):
        assert gone not in cut, gone
    root = cut[cut.index(":root{") : cut.index("}", cut.index(":root{"))]
    assert root == ":root{--md-a:red;--md-b:var(--md-c);--md-c:blue;--md-page:1px", "read, read by one read, named"


# ---------------------------------------------------------------- gzip made by the build


def test_the_gzip_is_the_same_every_time_and_kept_by_content(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    (site / "assets").mkdir(parents=True)
    page = site / "index.html"
    page.write_text("<p>便民服务</p>" * 100, "utf-8")
    (site / "assets" / "tiny.css").write_text("p{}", "utf-8")
    (site / "voice.opus").write_bytes(b"OggS" * 100)
    (site / "data.tar.gz").write_bytes(b"not ours")
    compress.gzip_site(site, cache)
    first = compress.packed(page).read_bytes()
    assert gzip.decompress(first) == page.read_bytes()
    assert gzip.decompress(compress.packed(site / "assets" / "tiny.css").read_bytes()) == b"p{}"
    assert not compress.packed(site / "voice.opus").exists()
    assert len(list(cache.iterdir())) == 2, "one kept a text file"
    compress.clear(site)
    assert not compress.packed(page).exists() and (site / "data.tar.gz").exists(), "only the gzip of text files"
    compress.gzip_site(site)  # without the cache: the same bytes
    assert compress.packed(page).read_bytes() == first
    compress.gzip_site(site, cache)
    assert compress.packed(page).read_bytes() == first


# ---------------------------------------------------------------- served gzipped when asked


def request(url, method, path, headers=None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, "/" + path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.fixture
def small_site(tmp_path):
    site = tmp_path / "site"
    (site / "matters" / "dibao-apply").mkdir(parents=True)
    (site / "audio").mkdir()
    (site / "index.html").write_text("<title>便民服务</title>" + "<p>大合坪乡</p>" * 200, "utf-8")
    (site / "matters" / "dibao-apply" / "index.html").write_text("<title>低保</title>" * 100, "utf-8")
    (site / "audio" / "dibao-apply.opus").write_bytes(bytes(range(256)) * 40)
    compress.gzip_site(site)
    return site


def test_kiosk_serve_sends_the_gzip_to_a_browser_that_accepts_it_and_the_file_otherwise(small_site):
    page = small_site / "matters" / "dibao-apply" / "index.html"
    with served(small_site) as url:
        for accepts in ("gzip, deflate, br, zstd", "gzip", "*", "br;q=1.0, gzip;q=0.5"):
            status, headers, body = request(url, "GET", "matters/dibao-apply/", {"Accept-Encoding": accepts})
            assert (status, headers["Content-Encoding"], headers["Vary"]) == (200, "gzip", "Accept-Encoding"), accepts
            assert headers["Content-Type"].startswith("text/html")
            assert body == compress.packed(page).read_bytes() and int(headers["Content-Length"]) == len(body)
        for accepts in (None, "identity", "gzip;q=0", "br", "*;q=0"):
            status, headers, body = request(
                url, "GET", "matters/dibao-apply/", {"Accept-Encoding": accepts} if accepts else {}
            )
            assert (status, body, headers["Vary"]) == (200, page.read_bytes(), "Accept-Encoding"), accepts
            assert "Content-Encoding" not in headers
        status, headers, body = request(url, "HEAD", "index.html", {"Accept-Encoding": "gzip"})
        packed = compress.packed(small_site / "index.html")
        assert (status, headers["Content-Encoding"], body) == (200, "gzip", b"")
        assert int(headers["Content-Length"]) == packed.stat().st_size
        since = headers["Last-Modified"]
        status, _, body = request(url, "GET", "index.html", {"Accept-Encoding": "gzip", "If-Modified-Since": since})
        assert (status, body) == (304, b""), "the browser's copy is current"
        assert request(url, "GET", "matters/dibao-apply", {"Accept-Encoding": "gzip"})[0] == 301
        assert request(url, "GET", "index.html/", {"Accept-Encoding": "gzip"})[0] == 404


def test_a_byte_range_of_a_recording_is_still_answered_whatever_the_browser_accepts(small_site):
    data = (small_site / "audio" / "dibao-apply.opus").read_bytes()
    with served(small_site) as url:
        status, headers, body = request(
            url, "GET", "audio/dibao-apply.opus", {"Accept-Encoding": "gzip", "Range": "bytes=0-3"}
        )
        assert (status, headers["Content-Range"], body) == (206, f"bytes 0-3/{len(data)}", data[:4])
        assert "Content-Encoding" not in headers
        status, headers, body = request(url, "GET", "audio/dibao-apply.opus", {"Accept-Encoding": "gzip"})
        assert (status, body) == (200, data) and "Content-Encoding" not in headers


def test_one_kept_alive_connection_carries_every_kind_of_answer_in_turn(small_site):
    """A page's files come over the connection the page came by (a browser's keep-alive): each answer ends where
    its length says, so the next one is read whole; a refused request closes the connection."""
    data = (small_site / "audio" / "dibao-apply.opus").read_bytes()
    page = small_site / "matters" / "dibao-apply" / "index.html"
    with served(small_site) as url:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            asked = [
                ("matters/dibao-apply/", {"Accept-Encoding": "gzip"}, 200, compress.packed(page).read_bytes()),
                ("matters/dibao-apply/", {}, 200, page.read_bytes()),
                ("audio/dibao-apply.opus", {"Range": "bytes=4-7"}, 206, data[4:8]),
                ("matters/dibao-apply", {"Accept-Encoding": "gzip"}, 301, b""),
                ("index.html", {"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"}, 304, b""),
                ("audio/dibao-apply.opus", {}, 200, data),
            ]
            sockets = set()
            for path, headers, status, body in asked:
                connection.request("GET", "/" + path, headers=headers)
                response = connection.getresponse()
                assert (response.status, response.read()) == (status, body), path
                assert not response.will_close, path
                sockets.add(id(connection.sock))
            assert len(sockets) == 1, "one connection for all of them"
            connection.request("GET", "/missing/")
            response = connection.getresponse()
            assert response.status == 404 and response.will_close
        finally:
            connection.close()


def test_a_file_changed_after_the_build_is_sent_as_it_is_not_its_older_gzip(small_site):
    page = small_site / "index.html"
    page.write_text("<title>改过</title>", "utf-8")
    os.utime(compress.packed(page), ns=(0, page.stat().st_mtime_ns - 1))
    with served(small_site) as url:
        status, headers, body = request(url, "GET", "", {"Accept-Encoding": "gzip"})
        assert (status, body.decode("utf-8")) == (200, "<title>改过</title>")
        assert "Content-Encoding" not in headers


def test_a_browser_that_leaves_before_a_file_has_come_is_no_error_in_the_log(tmp_path, capsys):
    """A tap on the next page closes the connection of the last one mid-file: the kiosk's log stays quiet;
    anything else that goes wrong while answering still shows its traceback."""
    from kiosk.site.server import make_server

    server = make_server(tmp_path, 0)
    try:
        for error in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")):
            try:
                raise error
            except ConnectionError:
                server.handle_error(None, ("127.0.0.1", 50000))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("a bug")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 50000))
        assert "ValueError: a bug" in capsys.readouterr().err
    finally:
        server.server_close()
