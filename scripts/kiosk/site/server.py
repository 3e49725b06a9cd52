"""`kiosk serve`: the built site on 127.0.0.1 for the kiosk browser, and handwriting for its search page.

Each request resolves the site folder anew, so when a publish swaps the
folder (or the symlink to it) the kiosk shows the new release without a restart.

`/api/searches`: POST of a search that found nothing or opened nothing (kiosk.site.searches), 204.

A file the build gzipped (kiosk.site.compress: `x.html.gz` beside `x.html`) is sent gzipped to a browser
that accepts it (`Content-Encoding: gzip`), as it is otherwise and for a byte range; every file's answer
says it depends on Accept-Encoding (`Vary`).

`/api/handwriting`: GET answers whether this machine reads handwriting (200 `{"ok": true}`, else 503
`{"ok": false}`); POST of a drawing (see `handwriting`) answers `{"candidates": [...]}`, the catalogue's
characters first (the site's `assets/kiosk-chars.txt`), read also against their templates (the site's
`assets/kiosk-strokes.json`, kiosk.site.strokes) where the build made them. A mistake in the request is answered
`{"error": "<plain Chinese>"}`: 400, 411 without a length, 413 over handwriting.MAX_BODY (not read),
503 without a recognizer, 405 for another method.
"""

from __future__ import annotations

import datetime
import email.utils
import functools
import html
import http.server
import io
import json
import os
import re
import sys
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

from .. import clock
from ..exceptions import BadDrawing
from ..problems import message
from . import compress, handwriting
from .searches import Searches
from .strokes import Templates

API = "/api/handwriting"
SEARCHES = "/api/searches"  # POST {"q": the words, "outcome": "none" | "left"}: a search that got nothing (searches)
CHARS = "assets/kiosk-chars.txt"  # the catalogue's characters, most frequent first (written by the build)
TEMPLATES = "assets/kiosk-strokes.json"  # their stroke medians, for handwriting's second reader (written by the build)
BODY_TIMEOUT = 10  # seconds a client may take to send a body it announced


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # a page's files come over the connections its own came by, not one each
    disable_nagle_algorithm = True  # headers and body go in two writes: without this, each waits ~40 ms for an ACK
    cache_control = "no-cache"
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".opus": "audio/ogg"}  # 朗读

    def __init__(self, *args, site: Path, searches: Searches | None = None, **kwargs):
        self.searches = searches
        super().__init__(*args, directory=os.path.realpath(site), **kwargs)

    def end_headers(self):
        # the kiosk must never show a stale page after an update, nor cache personal views
        self.send_header("Cache-Control", self.cache_control)
        self.send_header("X-Content-Type-Options", "nosniff")
        if not self._on_api():
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Vary", "Accept-Encoding")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self' 'unsafe-inline'; worker-src 'self' blob:; frame-src 'none'",
        )
        super().end_headers()

    def log_message(self, format, *args):  # quiet: a kiosk runs all day
        pass

    def send_head(self):
        """A file, or the one byte range of it a Range header asks for (RFC 9110 §14): an audio player asks
        for one to learn a recording's length and to seek. Several ranges, or an If-Range (the file may
        have changed with a publish), get the whole file, as the standard allows; a range past the end, 416.
        Without a range, the file's gzip where the browser accepts it and the build made one."""
        wanted = self.headers.get("Range")
        path = self.translate_path(self.path)
        if not wanted and accepts_gzip(self.headers.get("Accept-Encoding", "")):
            found = self._gzipped(path)
            if found:
                return self._send_gzipped(*found)
        if not wanted or "If-Range" in self.headers or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            span = byte_range(wanted, size)
            if span is None:
                return super().send_head()
            if span is False:
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            start, end = span
            f.seek(start)
            part = f.read(end - start + 1)
            modified = os.fstat(f.fileno()).st_mtime
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(part)))
        self.send_header("Last-Modified", self.date_time_string(modified))
        self.end_headers()
        return io.BytesIO(part)

    def _gzipped(self, path: str):
        """The file `path` names (a folder: its index.html), the gzip the build made of it, opened, and the
        file's time; None where there is no gzip, or it is older than the file (changed since the build)."""
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the base class redirects to the folder's address with its slash
            path = os.path.join(path, "index.html")
        if path.endswith("/"):
            return None  # a file's name with a slash after it: the base class says 404
        try:
            f = open(compress.packed(Path(path)), "rb")
        except OSError:
            return None
        try:
            modified = os.stat(path).st_mtime_ns
            if os.fstat(f.fileno()).st_mtime_ns >= modified:
                return path, f, modified / 1e9
        except OSError:
            pass
        f.close()
        return None

    def _send_gzipped(self, path: str, f, modified: float):
        """The gzip `f` of `path`, with the file's type and time; 304 when the browser has the file
        (If-Modified-Since, answered as the base class answers it)."""
        try:
            if not_modified(self.headers, modified):
                self.send_response(HTTPStatus.NOT_MODIFIED)
                self.end_headers()
                f.close()
                return None
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(os.fstat(f.fileno()).st_size))
            self.send_header("Last-Modified", self.date_time_string(modified))
            self.end_headers()
            return f
        except BaseException:
            f.close()
            raise

    def do_GET(self):
        if self._on_api():
            self._send_status()
        else:
            super().do_GET()

    def do_HEAD(self):
        if self._on_api():
            self._send_status()
        else:
            super().do_HEAD()

    def do_POST(self):
        if self._on_api():
            self._send_candidates()
        elif urlsplit(self.path).path == SEARCHES:
            self._keep_search()
        else:
            self.send_error(HTTPStatus.NOT_IMPLEMENTED)

    def _keep_search(self):
        """A search that found nothing or opened nothing, counted for the staff (searches): the words and
        the day only. Answered 204 whatever it was: the kiosk does not wait for it."""
        length = (self.headers.get("Content-Length") or "").strip()
        body = b""
        if length.isdigit() and int(length) <= 1024:
            self.connection.settimeout(BODY_TIMEOUT)
            try:
                body = self.rfile.read(int(length))
            except TimeoutError:
                pass
        if self.searches is not None:
            try:
                said = json.loads(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                said = None
            if isinstance(said, dict):
                self.searches.add(said.get("q"), said.get("outcome"), clock.today())
        self.send_response(HTTPStatus.NO_CONTENT)
        self.send_header("Connection", "close")
        self.end_headers()

    def send_error(self, code, message=None, explain=None):
        """Every error in Chinese: JSON on the API, else the site's own 404.html or a line of text."""
        if self._on_api():
            # the base class answers a method it has no do_<METHOD> for with 501; on the API that is a 405
            if code == HTTPStatus.NOT_IMPLEMENTED:
                return self._send_error_json(
                    HTTPStatus.METHOD_NOT_ALLOWED, "hw_method", headers={"Allow": "GET, HEAD, POST"}
                )
            return self._send_error_json(code, "page_error", code=int(code))
        body = self._error_page(code)
        self.send_response(code)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _on_api(self) -> bool:
        # no path yet when the request line itself could not be read
        return urlsplit(getattr(self, "path", "")).path == API

    def _send_status(self):
        ok = handwriting.available()
        self._send_json(HTTPStatus.OK if ok else HTTPStatus.SERVICE_UNAVAILABLE, {"ok": ok})

    def _send_candidates(self):
        length = (self.headers.get("Content-Length") or "").strip()
        if not length:
            return self._send_error_json(HTTPStatus.LENGTH_REQUIRED, "hw_no_length")
        if not re.fullmatch(r"[0-9]+", length):
            return self._send_error_json(HTTPStatus.BAD_REQUEST, "hw_bad_length")
        digits = length.lstrip("0") or "0"  # int() refuses thousands of digits; 7 already say too large
        if len(digits) > 7 or int(digits) > handwriting.MAX_BODY:
            return self._send_error_json(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "hw_too_large", kib=handwriting.MAX_BODY // 1024
            )
        size = int(digits)
        # read the whole body before anything else is answered: a reply that leaves it unread may be lost
        self.connection.settimeout(BODY_TIMEOUT)
        try:
            body = self.rfile.read(size)
        except TimeoutError:
            body = b""
        if len(body) < size:
            return self._send_error_json(HTTPStatus.BAD_REQUEST, "hw_incomplete")
        if not handwriting.available():
            return self._send_error_json(HTTPStatus.SERVICE_UNAVAILABLE, "hw_unavailable")
        try:
            drawing = handwriting.parse(body)
        except BadDrawing as e:
            return self._send_json(HTTPStatus.BAD_REQUEST, {"error": str(e)})
        prefer = _site_file(os.path.join(self.directory, CHARS), _read_chars, "")
        templates = _site_file(os.path.join(self.directory, TEMPLATES), _read_templates, None)
        candidates = handwriting.classify(*drawing, prefer=prefer, templates=templates)
        self._send_json(HTTPStatus.OK, {"candidates": candidates})

    def _send_error_json(self, status, key, headers=None, **values):
        self._send_json(status, {"error": message(key, **values)}, headers)

    def _send_json(self, status, data, headers=None):
        self._send(status, "application/json; charset=utf-8", json.dumps(data, ensure_ascii=False).encode(), headers)

    def _send(self, status, kind: str, body: bytes, headers=None):
        """An answer made here, not a file: never kept by the browser (it is about this request, or changes)."""
        self.cache_control = "no-store"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        if status >= 400:  # what is left of a refused request (a body, more header lines) is never read as the next
            self.send_header("Connection", "close")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error_page(self, code) -> bytes:
        """The site's own 404.html for a missing page; otherwise, or when it has none, a line of Chinese."""
        if code == HTTPStatus.NOT_FOUND:
            try:
                return Path(self.directory, "404.html").read_bytes()
            except OSError:
                pass
        text = html.escape(
            message("page_not_found") if code == HTTPStatus.NOT_FOUND else message("page_error", code=int(code))
        )
        return (
            f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{text}</title>'
            f'<p>{text}</p><p><a href="/">{html.escape(message("page_home"))}</a></p></html>'
        ).encode()


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (RFC 9110 §12.5.3): named, or `*`, with a weight above 0."""
    weights = {}
    for part in header.split(","):
        coding, _, params = part.strip().partition(";")
        found = re.search(r"\bq\s*=\s*([0-9.]+)", params)
        try:
            weights[coding.strip().lower()] = float(found.group(1)) if found else 1.0
        except ValueError:
            weights[coding.strip().lower()] = 0.0
    weight = weights.get("gzip", weights.get("x-gzip", weights.get("*", 0.0)))
    return weight > 0


def not_modified(headers, modified: float) -> bool:
    """Whether the browser's copy is current: If-Modified-Since at or after `modified` (whole seconds, UTC),
    without an If-None-Match, as http.server answers it for a plain file."""
    if "If-Modified-Since" not in headers or "If-None-Match" in headers:
        return False
    try:
        since = email.utils.parsedate_to_datetime(headers["If-Modified-Since"])
    except (TypeError, IndexError, OverflowError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=datetime.timezone.utc)
    if since.tzinfo is not datetime.timezone.utc:
        return False
    return datetime.datetime.fromtimestamp(modified, datetime.timezone.utc).replace(microsecond=0) <= since


def byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """The first and last byte a Range header asks of a file of `size` bytes; False when none of it is
    there (416); None for what is not one byte range (answered with the whole file)."""
    found = re.fullmatch(r"\s*bytes\s*=\s*([0-9]*)\s*-\s*([0-9]*)\s*", header)
    if not found or found.group(1) == found.group(2) == "":
        return None
    first, last = found.groups()
    if first == "":  # the last `last` bytes
        if int(last) == 0:
            return False
        return max(0, size - int(last)), size - 1
    start, end = int(first), min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return False
    return start, end


def _site_file(path: str, read, missing):
    """What `read` makes of the site's file at `path`, made again only when the file (or the release) changes;
    `missing` when the site has none (an older build: candidates keep the recognizer's order)."""
    real = os.path.realpath(path)
    try:
        return read(real, os.stat(real).st_mtime_ns)
    except OSError:
        return missing


@functools.lru_cache(maxsize=4)
def _read_chars(path: str, mtime_ns: int) -> str:
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


@functools.lru_cache(maxsize=2)
def _read_templates(path: str, mtime_ns: int) -> Templates:
    return Templates.load(path)


class Server(http.server.ThreadingHTTPServer):
    """The kiosk's and the county's server: a browser that leaves a page before its files have all come
    (a tap on the next page, a pull stopped) closes its connection, and that is no error to report."""

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError …
            super().handle_error(request, client_address)


def make_server(site: Path, port: int = 8000, searches: Path | None = None) -> Server:
    """The kiosk's server of `site` on 127.0.0.1; the searches that got nothing kept in `searches` (none: not kept)."""
    handler = functools.partial(Handler, site=site, searches=Searches(searches) if searches else None)
    return Server(("127.0.0.1", port), handler)


def serve(site: Path, port: int = 8000, searches: Path | None = None) -> None:
    run(make_server(site, port, searches))


def run(server: Server) -> None:
    """Say where `server` answers, and answer until Ctrl+C (the kiosk's, and the county's server)."""
    host, port = server.server_address[:2]
    print(f"http://{host}:{port}/")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
